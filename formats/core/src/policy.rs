//! Options every validator shares: how strictly KID check digits count, the date "today" is,
//! and whether personal numbers may be shown.

use chrono::NaiveDate;

use crate::diagnostic::Severity;
use crate::ident::person::PersonRules;

/// Severity of a KID whose check digit fails both MOD10 and MOD11 (`--kid-check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KidCheck {
    /// Not checked.
    Off,
    /// A warning (the default for Nets files).
    #[default]
    Warn,
    /// An error.
    Error,
}

impl KidCheck {
    /// The severity a failing check digit gets, or `None` when not checked.
    pub fn severity(self) -> Option<Severity> {
        match self {
            KidCheck::Off => None,
            KidCheck::Warn => Some(Severity::Warning),
            KidCheck::Error => Some(Severity::Error),
        }
    }
}

/// What every validator is told by the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--kid-check`; `None` means "the format's own default".
    pub kid_check: Option<KidCheck>,
    /// The date rules relative to today use (`--today`, else the clock).
    pub today: NaiveDate,
    /// `--lenient`: repair what each format's policy lists, with a warning each.
    pub lenient: bool,
    /// `--show-personal-data`: do not mask personal numbers in what people see.
    pub show_personal_data: bool,
    /// `--fnr-2032`: accept the 2032 check-digit rule.
    pub fnr_2032: bool,
    /// `--max-errors`.
    pub max_errors: Option<u64>,
    /// `--map`: a creditor's CSV layout, for formats built from such rows.
    pub map: Option<std::path::PathBuf>,
    /// `--accounts`: accounts, voucher types and numbering, for ledger bundles.
    pub accounts: Option<std::path::PathBuf>,
}

impl Options {
    /// Defaults with the given "today".
    pub fn new(today: NaiveDate) -> Self {
        Options {
            kid_check: None,
            today,
            lenient: false,
            show_personal_data: false,
            fnr_2032: false,
            max_errors: None,
            map: None,
            accounts: None,
        }
    }

    /// The rules for personal numbers.
    pub fn person_rules(&self) -> PersonRules {
        PersonRules { today: self.today, allow_2032: self.fnr_2032 }
    }

    /// The KID severity for a format whose own default is `default`.
    pub fn kid_check_or(&self, default: KidCheck) -> KidCheck {
        self.kid_check.unwrap_or(default)
    }

    /// The same options with `max_errors` replaced (a conversion keeps every finding).
    #[must_use]
    pub fn with_max_errors(&self, max_errors: Option<u64>) -> Self {
        Options { max_errors, ..self.clone() }
    }
}
