//! Turning the global flags into the libraries' options.

use kidkit_core::Severity;
use kidkit_ocr::ReadOptions;
use kidkit_ocr::record::RecordOptions;

use crate::args::{GlobalArgs, KidCheckArg};

/// `--today`, or the clock.
pub fn today(g: &GlobalArgs) -> chrono::NaiveDate {
    g.today.unwrap_or_else(|| chrono::Local::now().date_naive())
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
