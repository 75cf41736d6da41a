//! Findings: what a validator says about one place in a file, and the collector that counts all
//! of them and keeps them up to `--max-errors` errors.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file is invalid.
    Error,
    /// Worth a look; fails only `--strict`.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A stable diagnostic code such as `OCR012` or `IO001`.
pub type Code = &'static str;

/// One finding: where, what code, how bad, which field, and a plain message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as named on the command line (`-` for stdin).
    pub file: Arc<str>,
    /// 1-based line; findings about the whole file sit at last line + 1.
    pub line: u64,
    /// 1-based column: character position in the record.
    pub column: u32,
    /// How many columns the finding covers (at least 1), for underlining.
    pub width: u32,
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The field the finding concerns, when it concerns one.
    pub field: Option<Cow<'static, str>>,
    /// Plain English naming the field, what was expected and what was found.
    pub message: String,
    /// The record's text (personal numbers masked) for showing under the message; a long record
    /// is cut to a window around the finding, `…` marking what was cut.
    pub record: Option<String>,
    /// Column of the record where the window shown in `record` starts (1 when it is whole).
    pub record_from: u32,
    /// The case or assignment the finding belongs to (`case 'S-1001'`, `assignment 4000086`),
    /// for grouping findings as people read them.
    pub group: Option<Arc<str>>,
}

/// A record up to this many characters is shown whole under its finding.
const RECORD_WHOLE: usize = 240;
/// How many characters of a longer record are shown, around the finding.
const RECORD_WINDOW: usize = 160;

/// How many characters of a quoted value a message shows.
const SHOWN_VALUE: usize = 80;
/// How long a message may be, its values cut, before it is cut itself.
const SHOWN_MESSAGE: usize = 1000;

/// `message` with every quoted value (`'…'` or `"…"`) longer than [`SHOWN_VALUE`] characters cut
/// to that many, followed by its true length; a message still longer than [`SHOWN_MESSAGE`] is
/// cut there, with its own length. A 1 GB value stays a readable line.
pub fn cut_long_values(message: &str) -> Cow<'_, str> {
    if message.len() <= SHOWN_VALUE {
        return Cow::Borrowed(message);
    }
    let bytes = message.as_bytes();
    let (mut out, mut kept, mut i) = (String::new(), 0, 0);
    while i < bytes.len() {
        let q = bytes[i];
        let close = if q == b'\'' || q == b'"' { memchr::memchr(q, &bytes[i + 1..]) } else { None };
        let Some(len) = close else {
            i += 1;
            continue;
        };
        // quotes are ASCII: these are char boundaries
        let inner = &message[i + 1..i + 1 + len];
        let n = inner.chars().count();
        if n > SHOWN_VALUE {
            out.push_str(&message[kept..=i]);
            out.extend(inner.chars().take(SHOWN_VALUE));
            out.push('…');
            out.push(char::from(q));
            let _ = write!(out, " ({n} characters)");
            kept = i + len + 2;
        }
        i += len + 2;
    }
    let cut = if kept == 0 { Cow::Borrowed(message) } else { Cow::Owned(out + &message[kept..]) };
    let n = cut.chars().count();
    if n <= SHOWN_MESSAGE {
        return cut;
    }
    let head: String = cut.chars().take(SHOWN_MESSAGE).collect();
    Cow::Owned(format!("{head}… (a message of {n} characters)"))
}

impl Diagnostic {
    /// A finding at `line`, `column` with the given code, severity and message; values quoted
    /// in the message are cut to a readable length ([`cut_long_values`]).
    pub fn new(code: Code, severity: Severity, line: u64, column: u32, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = match cut_long_values(&message) {
            Cow::Borrowed(_) => message,
            Cow::Owned(cut) => cut,
        };
        Diagnostic {
            file: Arc::from(""),
            line,
            column: column.max(1),
            width: 1,
            code,
            severity,
            field: None,
            message,
            record: None,
            record_from: 1,
            group: None,
        }
    }
    /// An error finding.
    pub fn error(code: Code, line: u64, column: u32, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, line, column, message)
    }
    /// A warning finding.
    pub fn warning(code: Code, line: u64, column: u32, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, line, column, message)
    }
    /// Names the field.
    #[must_use]
    pub fn field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = Some(field.into());
        self
    }
    /// Sets how many columns to underline.
    #[must_use]
    pub fn width(mut self, width: u32) -> Self {
        self.width = width.max(1);
        self
    }
    /// Attaches the record text shown under the message.
    #[must_use]
    pub fn record(mut self, record: impl Into<String>) -> Self {
        let record: String = record.into();
        let n = record.chars().count();
        if n <= RECORD_WHOLE {
            self.record = Some(record);
            return self;
        }
        // a window of the record around the finding's column
        let start = (self.column as usize).saturating_sub(1 + RECORD_WINDOW / 4).min(n - RECORD_WINDOW);
        let mut shown = String::with_capacity(RECORD_WINDOW + 8);
        if start > 0 {
            shown.push('…');
        }
        shown.extend(record.chars().skip(start).take(RECORD_WINDOW));
        if start + RECORD_WINDOW < n {
            shown.push('…');
        }
        self.record = Some(shown);
        self.record_from = u32::try_from(start + 1).unwrap_or(u32::MAX);
        self
    }
    /// Where the finding's column falls in `record` (0-based, in characters).
    pub fn record_column(&self) -> usize {
        let ellipsis = usize::from(self.record_from > 1);
        (self.column as usize).saturating_sub(self.record_from as usize) + ellipsis
    }
    /// Puts the finding in a case or assignment (see [`Diagnostic::group`]).
    #[must_use]
    pub fn group(mut self, group: Arc<str>) -> Self {
        self.group = Some(group);
        self
    }
    /// Changes the severity (for codes whose severity an option sets).
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Counts every finding of one file and keeps them until `max_errors` errors are kept; after
/// that, findings are only counted.
#[derive(Debug, Clone)]
pub struct Findings {
    file: Arc<str>,
    items: Vec<Diagnostic>,
    errors: u64,
    warnings: u64,
    omitted: Omitted,
    max_errors: Option<u64>,
    full: bool,
    groups: GroupCounts,
}

/// The true counts of each group (case, assignment) that has a finding kept: what its `──`
/// header says, however many of its findings `--max-errors` held back. Only groups with a kept
/// finding are counted, so memory stays bounded by the findings kept.
pub type GroupCounts = std::collections::HashMap<Arc<str>, Omitted>;

/// A count of errors and warnings: those `--max-errors` held back, or a group's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Errors counted.
    pub errors: u64,
    /// Warnings counted.
    pub warnings: u64,
}

impl Omitted {
    /// Errors and warnings together.
    pub fn total(self) -> u64 {
        self.errors + self.warnings
    }
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }
}

impl Findings {
    /// A collector for `file`; `max_errors` of `None` keeps everything.
    pub fn new(file: &str, max_errors: Option<u64>) -> Self {
        Findings {
            file: Arc::from(file),
            items: Vec::new(),
            errors: 0,
            warnings: 0,
            omitted: Omitted::default(),
            max_errors,
            full: false,
            groups: GroupCounts::new(),
        }
    }

    /// The file these findings are about.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Adds a finding. Once `max_errors` errors are kept, [`Findings::is_full`] turns true and
    /// further findings are counted (as errors or warnings, and as [`Omitted`]) but not kept, so
    /// a validator goes on to the end of the file in constant memory.
    pub fn push(&mut self, mut d: Diagnostic) {
        let error = d.severity == Severity::Error;
        if error {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
        tally(&mut self.groups, &d, !self.full);
        if self.full {
            self.omitted.add(d.severity);
            return;
        }
        d.file = Arc::clone(&self.file);
        self.items.push(d);
        if self.max_errors.is_some_and(|m| self.errors >= m) {
            self.full = true;
        }
    }

    /// Adds every finding of an iterator, in order.
    pub fn extend(&mut self, it: impl IntoIterator<Item = Diagnostic>) {
        for d in it {
            self.push(d);
        }
    }

    /// `--max-errors` was reached.
    pub fn is_full(&self) -> bool {
        self.full
    }
    /// Errors found (kept or not).
    pub fn errors(&self) -> u64 {
        self.errors
    }
    /// Warnings found (kept or not).
    pub fn warnings(&self) -> u64 {
        self.warnings
    }
    /// What was found after `max_errors` and not kept.
    pub fn omitted(&self) -> Omitted {
        self.omitted
    }
    /// The true counts of each group with a finding kept.
    pub fn groups(&self) -> &GroupCounts {
        &self.groups
    }
    /// The findings, in the order they were found.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
    /// Takes the findings out, sorted by line, then column, then code (stable order for output
    /// whatever order parallel work found them in).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
        self.items
    }
}

/// Counts `d` in its group: a kept finding opens its group's count, one held back adds to the
/// count of a group already open.
fn tally(groups: &mut GroupCounts, d: &Diagnostic, kept: bool) {
    let Some(g) = &d.group else { return };
    if kept {
        groups.entry(Arc::clone(g)).or_default().add(d.severity);
    } else if let Some(count) = groups.get_mut(g) {
        count.add(d.severity);
    }
}

/// What a whole validation run says about one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file as named (`-` for stdin).
    pub file: String,
    /// The format it was read as.
    pub format: String,
    /// Records (lines) examined.
    pub records: u64,
    /// Errors found, including those not kept.
    pub errors: u64,
    /// Warnings found, including those not kept.
    pub warnings: u64,
    /// Findings counted but not kept because `--max-errors` was reached.
    pub omitted: Omitted,
    /// The kept findings, ordered by line and column.
    pub findings: Vec<Diagnostic>,
    /// The true counts of each group with a finding kept.
    pub groups: GroupCounts,
    /// `--max-errors`: findings merged later are held to it too.
    pub max_errors: Option<u64>,
}

impl FileReport {
    /// Builds the report from a collector.
    pub fn new(format: &str, records: u64, findings: Findings) -> Self {
        FileReport {
            file: findings.file().to_owned(),
            format: format.to_owned(),
            records,
            errors: findings.errors(),
            warnings: findings.warnings(),
            omitted: findings.omitted(),
            groups: findings.groups.clone(),
            max_errors: findings.max_errors,
            findings: findings.into_sorted(),
        }
    }
    /// Adds findings found after the report was made (e.g. by a second reading), keeping the
    /// order by line and column.
    pub fn merge(&mut self, extra: Vec<Diagnostic>) {
        let mut kept_errors = self.findings.iter().filter(|d| d.severity == Severity::Error).count() as u64;
        for mut d in extra {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            // the cap holds for these as for the first reading's: once it is reached, a finding
            // is only counted
            let kept = self.max_errors.is_none_or(|m| kept_errors < m);
            tally(&mut self.groups, &d, kept);
            if !kept {
                self.omitted.add(d.severity);
                continue;
            }
            kept_errors += u64::from(d.severity == Severity::Error);
            d.file = Arc::from(self.file.as_str());
            self.findings.push(d);
        }
        self.findings.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
    }

    /// Whether a message, record or group name shows a personal number that
    /// [`FileReport::mask_person_numbers`] would mask.
    pub fn shows_person_numbers(&self) -> bool {
        let shows = |text: &str| matches!(crate::mask_person_numbers_in(text), Cow::Owned(_));
        self.findings.iter().any(|d| {
            shows(&d.message) || d.record.as_deref().is_some_and(shows) || d.group.as_deref().is_some_and(shows)
        })
    }

    /// Masks every personal number in what a person reads of the report: messages, records
    /// and group names (see [`crate::mask_person_numbers_in`]).
    pub fn mask_person_numbers(&mut self) {
        let masked = |text: &str| match crate::mask_person_numbers_in(text) {
            Cow::Owned(m) => Some(m),
            Cow::Borrowed(_) => None,
        };
        for d in &mut self.findings {
            if let Some(m) = masked(&d.message) {
                d.message = m;
            }
            if let Some(m) = d.record.as_deref().and_then(masked) {
                d.record = Some(m);
            }
            if let Some(m) = d.group.as_deref().and_then(masked) {
                d.group = Some(Arc::from(m));
            }
        }
        self.groups =
            std::mem::take(&mut self.groups).into_iter().map(|(g, n)| (masked(&g).map_or(g, Arc::from), n)).collect();
    }

    /// At least one error.
    pub fn is_invalid(&self) -> bool {
        self.errors > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_without_a_cap() {
        let mut f = Findings::new("a.txt", None);
        f.push(Diagnostic::error("OCR001", 3, 1, "x"));
        f.push(Diagnostic::warning("IO001", 1, 1, "y"));
        f.push(Diagnostic::error("OCR005", 2, 9, "z").field("amount").width(17));
        assert_eq!((f.errors(), f.warnings(), f.is_full()), (2, 1, false));
        let sorted = f.into_sorted();
        assert_eq!(sorted.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(&*sorted[0].file, "a.txt");
        assert_eq!(sorted[1].field.as_deref(), Some("amount"));
    }

    #[test]
    fn keeps_up_to_max_errors_and_counts_the_rest() {
        let mut f = Findings::new("a", Some(2));
        f.push(Diagnostic::warning("IO001", 1, 1, "w"));
        f.push(Diagnostic::error("E", 2, 1, "1"));
        assert!(!f.is_full());
        f.push(Diagnostic::error("E", 3, 1, "2"));
        assert!(f.is_full());
        f.push(Diagnostic::error("E", 4, 1, "3"));
        f.push(Diagnostic::warning("W", 5, 1, "4"));
        f.push(Diagnostic::error("E", 6, 1, "5"));
        assert_eq!((f.errors(), f.warnings(), f.items().len()), (4, 2, 3));
        assert_eq!(f.omitted(), Omitted { errors: 2, warnings: 1 });
        assert_eq!(f.omitted().total(), 3);
        let r = FileReport::new("x", 6, f);
        assert_eq!((r.errors, r.warnings, r.omitted.total(), r.findings.len()), (4, 2, 3, 3));
    }

    #[test]
    fn groups_count_every_finding_and_merged_findings_keep_to_the_cap() {
        let case: Arc<str> = Arc::from("case 'S-1'");
        let mut f = Findings::new("a", Some(1));
        f.push(Diagnostic::error("E", 2, 1, "1").group(Arc::clone(&case)));
        f.push(Diagnostic::error("E", 3, 1, "2").group(Arc::clone(&case)));
        f.push(Diagnostic::error("E", 4, 1, "3").group(Arc::from("case 'S-2'")));
        let mut r = FileReport::new("x", 4, f);
        assert_eq!(r.groups.get(&case), Some(&Omitted { errors: 2, warnings: 0 }));
        assert_eq!(r.groups.len(), 1, "a group without a kept finding is not counted");
        r.merge(vec![
            Diagnostic::error("DUP", 1, 1, "4").group(Arc::clone(&case)),
            Diagnostic::warning("W", 9, 1, "5"),
        ]);
        assert_eq!((r.errors, r.warnings, r.findings.len()), (4, 1, 1));
        assert_eq!(r.omitted, Omitted { errors: 3, warnings: 1 });
        assert_eq!(r.groups.get(&case), Some(&Omitted { errors: 3, warnings: 0 }));
    }

    #[test]
    fn long_values_are_cut_in_messages_with_their_length() {
        let long = "x".repeat(100_000);
        let d = Diagnostic::error("X", 1, 1, format!("claim_text '{long}' is too long; found \"{long}\""));
        let shown = format!("'{}…' (100000 characters)", "x".repeat(80));
        assert_eq!(
            d.message,
            format!("claim_text {shown} is too long; found \"{}…\" (100000 characters)", "x".repeat(80))
        );
        let unquoted = Diagnostic::error("X", 1, 1, "y".repeat(5000));
        assert_eq!(unquoted.message, format!("{}… (a message of 5000 characters)", "y".repeat(1000)));
        let short = "field 'it''s fine' is short";
        assert_eq!(Diagnostic::error("X", 1, 1, short).message, short);
    }

    #[test]
    fn a_long_record_is_shown_around_the_finding() {
        let record: String = (0..100_000u32).map(|i| char::from_digit(i % 36, 36).unwrap_or('?')).collect();
        let d = Diagnostic::error("X", 1, 50_001, "m").record(record.as_str());
        let shown = d.record.as_deref().unwrap();
        assert_eq!(shown.chars().count(), 162);
        assert_eq!(d.record_from, 50_001 - 40);
        assert_eq!(shown.chars().nth(d.record_column()), record.chars().nth(50_000));
        let start = Diagnostic::error("X", 1, 3, "m").record(record.as_str());
        assert_eq!((start.record_from, start.record_column()), (1, 2));
        assert!(start.record.unwrap().ends_with('…'));
    }

    #[test]
    fn column_and_width_are_at_least_one() {
        let d = Diagnostic::error("X", 1, 0, "m").width(0);
        assert_eq!((d.column, d.width), (1, 1));
    }
}
