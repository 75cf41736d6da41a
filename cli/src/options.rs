//! Turning the global flags into the libraries' options.

use kidkit_core::{KidCheck, Options};

use crate::args::{ColorChoice, GlobalArgs, KidCheckArg};

/// Whether human output on stderr is coloured: `--color always|never`, or with `auto` when
/// stderr is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn style(g: &GlobalArgs) -> kidkit_core::Style {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
    };
    kidkit_core::Style { color }
}

/// `--today`, or the clock.
pub fn today(g: &GlobalArgs) -> chrono::NaiveDate {
    g.today.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The options every format is given: the global flags, `--max-errors`, and the settings files
/// (`--map`, `--accounts`) for the formats that use them.
pub fn options(g: &GlobalArgs, max_errors: Option<u64>) -> Options {
    let mut o = Options::new(today(g));
    o.kid_check = g.kid_check.map(|k| match k {
        KidCheckArg::Off => KidCheck::Off,
        KidCheckArg::Warn => KidCheck::Warn,
        KidCheckArg::Error => KidCheck::Error,
    });
    o.lenient = g.lenient;
    o.show_personal_data = g.show_personal_data;
    o.fnr_2032 = g.fnr_2032;
    o.max_errors = max_errors;
    o
}
