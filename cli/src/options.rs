//! Turning the global flags into the libraries' options.

use kidkit_core::Severity;
use kidkit_ocr::ReadOptions;
use kidkit_ocr::record::RecordOptions;

use crate::args::{ColorChoice, GlobalArgs, KidCheckArg};

/// Whether human output on stderr is coloured: `--color always|never`, or with `auto` when
/// stderr is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn style(g: &GlobalArgs) -> kidkit_core::render::Style {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
    };
    kidkit_core::render::Style { color }
}

/// `--today`, or the clock.
pub fn today(g: &GlobalArgs) -> chrono::NaiveDate {
    g.today.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Severity of a failing KID check digit in data people typed (uploads, settlements, ledger
/// bundles): an error unless `--kid-check` says otherwise.
fn typed_kid_check(g: &GlobalArgs) -> Option<Severity> {
    match g.kid_check {
        None | Some(KidCheckArg::Error) => Some(Severity::Error),
        Some(KidCheckArg::Warn) => Some(Severity::Warning),
        Some(KidCheckArg::Off) => None,
    }
}

/// Options for checking uploads: a failing KID check digit is an error unless `--kid-check`
/// says otherwise (people typed these).
pub fn upload(g: &GlobalArgs, max_errors: Option<u64>) -> kidkit_upload::check::CheckOptions {
    kidkit_upload::check::CheckOptions {
        kid_check: typed_kid_check(g),
        person: kidkit_core::ident::person::PersonRules { today: today(g), allow_2032: g.fnr_2032 },
        show_personal_data: g.show_personal_data,
        max_errors,
    }
}

/// Options for settlements: a failing KID check digit is an error unless `--kid-check` says
/// otherwise.
pub fn settlement(g: &GlobalArgs, max_errors: Option<u64>) -> kidkit_settlement::check::CheckOptions {
    kidkit_settlement::check::CheckOptions { kid_check: typed_kid_check(g), max_errors }
}

/// Options for ledger bundles: the accounts file's control account and customer range; a
/// failing KID check digit is an error unless `--kid-check` says otherwise.
pub fn ledger(g: &GlobalArgs, accounts: &kidkit_ledger::accounts::Accounts) -> kidkit_ledger::dialect::Options {
    let mut o = kidkit_ledger::dialect::Options::from(accounts);
    o.kid_check_digit = typed_kid_check(g);
    o
}

/// Options for reading Nets files: KID check digits are a warning unless `--kid-check` says
/// otherwise.
pub fn nets(g: &GlobalArgs, max_errors: Option<u64>) -> ReadOptions {
    let kid_check = match g.kid_check {
        None | Some(KidCheckArg::Warn) => Some(Severity::Warning),
        Some(KidCheckArg::Error) => Some(Severity::Error),
        Some(KidCheckArg::Off) => None,
    };
    ReadOptions { record: RecordOptions { kid_check, today: today(g), lenient: g.lenient }, max_errors }
}
