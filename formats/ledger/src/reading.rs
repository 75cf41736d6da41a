//! What reading any dialect shares: the dialect's name and form, the options, what a reader
//! found, and the findings every reader makes the same way. The readers build on this; the
//! dispatch over them lives in [`crate::dialect`].

use kidkit_core::{Diagnostic, Severity, TextEncoding};

use crate::accounts::Accounts;
use crate::check::Place;
use crate::model::Bundle;

/// A ledger dialect (`--from` / `--to` value in parentheses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// kidkit's own CSV (`kidkit-csv`).
    KidkitCsv,
    /// Visma Global transaction import, the Rubicon `ImportBatchCSV` (`visma-global`).
    VismaGlobal,
    /// Visma Business batch import (`visma-business`).
    VismaBusiness,
    /// Mamut's GBAT10 voucher CSV (`gbat10`).
    Gbat10,
    /// SAF-T Financial 1.30 (`saft`).
    Saft,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 5] =
        [Dialect::KidkitCsv, Dialect::VismaGlobal, Dialect::VismaBusiness, Dialect::Gbat10, Dialect::Saft];

    /// The name used by `--from`, `--to` and `detect`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::KidkitCsv => "kidkit-csv",
            Dialect::VismaGlobal => "visma-global",
            Dialect::VismaBusiness => "visma-business",
            Dialect::Gbat10 => "gbat10",
            Dialect::Saft => "saft",
        }
    }

    /// The encoding the dialect is written in.
    pub fn encoding(self) -> TextEncoding {
        match self {
            Dialect::KidkitCsv | Dialect::Saft => TextEncoding::Utf8,
            Dialect::VismaGlobal => TextEncoding::Windows1252,
            Dialect::VismaBusiness | Dialect::Gbat10 => TextEncoding::Latin1,
        }
    }

    /// Whether its lines end in CRLF.
    pub fn crlf(self) -> bool {
        matches!(self, Dialect::VismaGlobal | Dialect::VismaBusiness | Dialect::Gbat10)
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What reading and writing a dialect needs beyond the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The account customer lines post to in GBAT10 and SAF-T.
    pub customer_control_account: String,
    /// The account numbers that are customers in Visma Global.
    pub customer_range: (u64, u64),
    /// Severity of a KID check digit that fails both rules (`None`: not checked).
    pub kid_check_digit: Option<Severity>,
}

impl Default for Options {
    fn default() -> Self {
        Options::from(&Accounts::default())
    }
}

impl From<&Accounts> for Options {
    fn from(a: &Accounts) -> Self {
        Options {
            customer_control_account: a.customer_control_account.clone(),
            customer_range: (a.customer_range[0], a.customer_range[1]),
            kid_check_digit: Some(Severity::Error),
        }
    }
}

/// What a reader found: the postings it could read, where each stands, and every finding about
/// the rest.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The bundle of the postings that could be read.
    pub bundle: Bundle,
    /// Where each posting stands, in voucher order.
    pub places: Vec<Place>,
    /// The reader's findings.
    pub findings: Vec<Diagnostic>,
    /// Records (lines or XML postings) read.
    pub records: u64,
    /// The file could not be read as a whole (a wrong header, broken XML): bundle rules are not
    /// judged.
    pub unreadable: bool,
}

/// A blank line: reported, never skipped silently.
pub fn blank_line(line: u64) -> Diagnostic {
    Diagnostic::error("IO003", line, 1, "blank line: expected a posting").field("record")
}

/// A field kidkit does not keep, filled: a warning, since converting drops it.
pub fn not_kept(line: u64, column: u32, name: &str, value: &str, dialect: Dialect) -> Diagnostic {
    Diagnostic::warning(
        "IO001",
        line,
        column,
        format!("{name} is '{value}': kidkit does not keep {name} from {dialect}, so converting leaves it out"),
    )
    .field(name.to_owned())
}
