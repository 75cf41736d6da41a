//! Validating an upload: every field by the Kreditorweb form's rules, each case (claims, notice,
//! the legal deadlines), duplicates across the file, and the trailer. Reads as a stream: one
//! case is held at a time, plus an 8-byte hash per case reference and invoice number for the
//! duplicate checks.

use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;

use chrono::NaiveDate;
use kidkit_core::{
    Diagnostic, EncodingSniffer, FileReport, Findings, LineForm, LineReader, LineStats, PersonRules, Reading, Severity,
    TextEncoding, decode, forbidden_byte_finding, mixed_encoding_finding, parse_yyyymmdd,
};

use crate::dups::{BloomFilter, KeyKind, key_hash, resolve};
use crate::layout::{Field, Kind, RECORD_LEN, RecordType, unpad, unpad_end};

mod records;

/// Options for checking an upload.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Severity of a KID failing both check-digit rules (`None`: not checked). Uploads are typed
    /// by people, so the default is an error.
    pub kid_check: Option<Severity>,
    /// Rules for personal numbers (today, 2032 rule).
    pub person: PersonRules,
    /// Show personal numbers unmasked in messages and records.
    pub show_personal_data: bool,
    /// `--max-errors`.
    pub max_errors: Option<u64>,
}

/// One record: its text padded to 200 characters, sliced by character.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The record type.
    pub kind: RecordType,
    text: Cow<'a, str>,
    /// Byte range of each field, from the nom parser.
    spans: Vec<std::ops::Range<usize>>,
    form: LineForm,
}

impl<'a> Record<'a> {
    fn new(kind: RecordType, text: Cow<'a, str>, form: LineForm) -> Self {
        let spans = crate::parse::split(kind, &text).unwrap_or_default();
        Record { kind, text, spans, form }
    }
    /// How the record's line ended and was encoded.
    pub fn form(&self) -> LineForm {
        self.form
    }
    /// The characters of a field.
    pub fn get(&self, field: &Field) -> &str {
        // fields are identified by their first column, unique within a record type
        let at = self.kind.fields().iter().position(|f| f.start == field.start);
        self.span(at)
    }

    fn span(&self, at: Option<usize>) -> &str {
        at.and_then(|i| self.spans.get(i)).and_then(|r| self.text.get(r.clone())).unwrap_or("")
    }
    /// A field by name, without its padding blanks.
    pub fn value(&self, name: &str) -> &str {
        let fields = self.kind.fields();
        let at = fields.iter().position(|f| f.name == name);
        let raw = self.span(at);
        match at.map(|i| fields[i].kind) {
            Some(Kind::Kid) => unpad(raw),
            _ => unpad_end(raw),
        }
    }
    /// The whole record (200 characters).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Receives every record of a file that is still valid, in order (for conversions).
pub trait UploadSink {
    /// One record.
    fn record(&mut self, line: u64, rec: &Record<'_>) -> io::Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Header,
    CaseOrTrailer,
    ContactOrClaim,
    ClaimOrAction,
    AfterAction,
    Nothing,
}

impl Expect {
    fn describe(self) -> &'static str {
        match self {
            Expect::Header => "the file header (00)",
            Expect::CaseOrTrailer => "a case (10) or the trailer (99)",
            Expect::ContactOrClaim => "the debtor's contact record (11) or a claim (20)",
            Expect::ClaimOrAction => "another claim (20) or the case's action (30)",
            Expect::AfterAction => "the next case (10) or the trailer (99)",
            Expect::Nothing => "nothing after the trailer (99)",
        }
    }
    fn allows(self, t: RecordType) -> bool {
        use RecordType as R;
        matches!(
            (self, t),
            (Expect::Header, R::Header)
                | (Expect::CaseOrTrailer | Expect::AfterAction, R::Case | R::Trailer)
                | (Expect::ContactOrClaim, R::Contact | R::Claim)
                | (Expect::ClaimOrAction, R::Claim | R::Action)
        )
    }
}

#[derive(Debug, Default)]
struct Case {
    line: u64,
    reference: String,
    /// What the case's findings are grouped under.
    group: Arc<str>,
    person: bool,
    contact: bool,
    claims: u32,
    sum: i128,
    known: bool,
    latest_due: Option<NaiveDate>,
    actions: u32,
    notice: Option<(NaiveDate, u64)>,
}

struct Checker<'o> {
    opts: &'o CheckOptions,
    out: Vec<Diagnostic>,
    line: u64,
    /// The current record's text and type, for showing under findings.
    text: String,
    kind: RecordType,
    expect: Expect,
    creation: Option<NaiveDate>,
    case: Option<Case>,
    invoice: Option<String>,
    dups: BloomFilter,
    cases: u64,
    claims: u64,
    records: u64,
    total: i128,
    total_known: bool,
    trailer: bool,
}

/// The day the reminder-fee cap changed from 70 to 35 kroner.
fn cap_change() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 10, 1).unwrap_or_default()
}

impl Checker<'_> {
    /// The current record as shown under a finding: a person's national id masked.
    fn shown(&self) -> String {
        shown_record(self.kind, &self.text, self.opts.show_personal_data)
    }

    fn prefix(&self) -> String {
        match (&self.case, &self.invoice) {
            (Some(c), Some(i)) => format!("case '{}', claim '{i}': ", c.reference),
            (Some(c), None) if !c.reference.is_empty() => format!("case '{}': ", c.reference),
            _ => String::new(),
        }
    }

    fn push(&mut self, severity: Severity, code: &'static str, f: &Field, message: impl AsRef<str>) {
        let d = Diagnostic::new(
            code,
            severity,
            self.line,
            u32::from(f.start),
            format!("{}{}", self.prefix(), message.as_ref()),
        )
        .width(u32::from(f.len.max(1)))
        .field(f.name)
        .record(self.shown());
        self.out.push(d);
    }
    fn err(&mut self, code: &'static str, f: &Field, message: impl AsRef<str>) {
        self.push(Severity::Error, code, f, message);
    }
    fn warn(&mut self, code: &'static str, f: &Field, message: impl AsRef<str>) {
        self.push(Severity::Warning, code, f, message);
    }

    /// A MUST field: `UPL010` when blank. Returns the value when filled.
    fn must<'r>(&mut self, rec: &'r Record<'_>, name: &str) -> Option<&'r str> {
        let f = rec.kind.field(name);
        let v = rec.value(name);
        if unpad(v).is_empty() {
            self.err("UPL010", &f, format!("{} must be filled in", f.describe()));
            return None;
        }
        Some(v)
    }
    /// A SHOULD field: warning `UPL011` when blank.
    fn should<'r>(&mut self, rec: &'r Record<'_>, name: &str) -> Option<&'r str> {
        let f = rec.kind.field(name);
        let v = rec.value(name);
        if unpad(v).is_empty() {
            self.warn("UPL011", &f, format!("{} should be filled in", f.describe()));
            return None;
        }
        Some(v)
    }
    fn date(&mut self, rec: &Record<'_>, name: &str, v: &str) -> Option<NaiveDate> {
        let f = rec.kind.field(name);
        match parse_yyyymmdd(v.as_bytes()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err("UPL015", &f, format!("{} must be a date YYYYMMDD, found '{v}' ({e})", f.describe()));
                None
            }
        }
    }
    fn optional_date(&mut self, rec: &Record<'_>, name: &str) -> Option<NaiveDate> {
        let v = rec.value(name);
        if v.is_empty() { None } else { self.date(rec, name, v) }
    }
    fn number(&mut self, rec: &Record<'_>, name: &str, v: &str) -> Option<u64> {
        let f = rec.kind.field(name);
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            return v.parse().ok();
        }
        let what = if f.kind == Kind::Amount { "an amount in øre, digits only" } else { "digits only" };
        self.err("UPL016", &f, format!("{} must be {what}, found '{v}'", f.describe()));
        None
    }
    fn optional_number(&mut self, rec: &Record<'_>, name: &str) -> Option<u64> {
        let v = rec.value(name);
        // zero-padded digits: leading blanks are not a number of this layout
        if unpad(v).is_empty() { None } else { self.number(rec, name, v) }
    }
    fn flag(&mut self, rec: &Record<'_>, name: &str) -> Option<u8> {
        let f = rec.kind.field(name);
        match rec.get(&f) {
            " " => Some(b'N'),
            "J" => Some(b'J'),
            "N" => Some(b'N'),
            other => {
                self.err("UPL006", &f, format!("{} must be 'J', 'N' or blank, found '{other}'", f.describe()));
                None
            }
        }
    }
    fn rest(&mut self, rec: &Record<'_>) {
        let f = rec.kind.field("rest");
        let v = rec.get(&f);
        if v.bytes().all(|b| b == b' ') {
            return;
        }
        if let Some(i) = v.chars().position(|c| c != ' ') {
            let column = u32::from(f.start) + i as u32;
            let d = Diagnostic::error(
                "UPL005",
                self.line,
                column,
                format!(
                    "{}the record's fields end at column {}; column {column} must be blank",
                    self.prefix(),
                    f.start - 1
                ),
            )
            .width(u32::from(f.end()) + 1 - column)
            .field("rest")
            .record(self.shown());
            self.out.push(d);
        }
    }

    /// Duplicates are decided after the file: see [`crate::dups`].
    fn duplicate(&mut self, kind: KeyKind, value: &str) {
        self.dups.add(key_hash(kind, value));
    }
}

fn shown_record(kind: RecordType, text: &str, show_personal: bool) -> String {
    if show_personal || kind != RecordType::Case {
        return text.to_owned();
    }
    // mask the national id (columns 24-34) of a person
    text.chars()
        .enumerate()
        .map(|(i, c)| if (29..34).contains(&i) && text.get(22..23) == Some("P") { '*' } else { c })
        .collect()
}

/// Checks an upload from any reader; `sink` receives every record while the file is valid.
pub fn check(
    input: impl Read,
    file: &str,
    opts: &CheckOptions,
    mut sink: Option<&mut dyn UploadSink>,
) -> io::Result<Reading> {
    let mut reader = LineReader::new(input, RECORD_LEN * 4 + 8);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
    let mut stats = LineStats::default();
    let mut findings = Findings::new(file, opts.max_errors);
    let mut c = Checker {
        opts,
        out: Vec::new(),
        line: 0,
        text: String::new(),
        kind: RecordType::Header,
        expect: Expect::Header,
        creation: None,
        case: None,
        invoice: None,
        dups: BloomFilter::default(),
        cases: 0,
        claims: 0,
        records: 0,
        total: 0,
        total_known: true,
        trailer: false,
    };
    let mut last_line = 0;
    while let Some(line) = reader.next_line()? {
        stats.observe(&line);
        last_line = line.number;
        c.line = line.number;
        let observed = sniffer.observe(line.bytes);
        c.out.extend(forbidden_byte_finding(line.bytes, observed.encoding, line.number));
        if observed.mixed {
            c.out.push(mixed_encoding_finding(line.number));
        }
        let text = decode(line.bytes, observed.encoding);
        let chars = if line.is_cut() {
            usize::MAX
        } else if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        let Ok((_, kind)) = crate::parse::record_type(&text) else {
            let found: String = text.chars().take(2).collect();
            let msg = if text.trim().is_empty() {
                "line is blank; expected a record".to_owned()
            } else {
                format!("record type (columns 1-2) '{found}' is not one of 00, 10, 11, 20, 30, 99")
            };
            c.out.push(Diagnostic::error("UPL002", line.number, 1, msg).width(2).field("record_type"));
            c.records += 1;
            flush(&mut c, &mut findings);
            continue;
        };
        c.records += 1;
        let mut text = text;
        if chars > RECORD_LEN {
            let len = if line.is_cut() { line.len.to_string() + " bytes" } else { chars.to_string() + " characters" };
            c.out.push(
                Diagnostic::error(
                    "UPL001",
                    line.number,
                    RECORD_LEN as u32 + 1,
                    format!("record is {len} long, at most 200 characters fit"),
                )
                .field("record"),
            );
            structure(&mut c, kind, line.number);
            flush(&mut c, &mut findings);
            continue;
        }
        if chars < RECORD_LEN {
            c.out.push(Diagnostic::warning("UPL001", line.number, chars as u32 + 1, format!("record has {chars} characters, 200 expected; read as if padded with blanks (editors strip trailing blanks)")).field("record"));
            let mut padded = text.into_owned();
            padded.extend(std::iter::repeat_n(' ', RECORD_LEN - chars));
            text = Cow::Owned(padded);
        }
        let short = (chars < RECORD_LEN).then_some(chars);
        let rec = Record::new(kind, text, LineForm { length: short, ..LineForm::of(&line, observed) });
        c.text.clear();
        c.text.push_str(rec.as_str());
        c.kind = kind;
        structure(&mut c, kind, line.number);
        match kind {
            RecordType::Header => c.header(&rec),
            RecordType::Case => c.case(&rec),
            RecordType::Contact => c.contact(&rec),
            RecordType::Claim => c.claim(&rec),
            RecordType::Action => c.action(&rec),
            RecordType::Trailer => c.trailer(&rec),
        }
        let valid_so_far = findings.errors() == 0 && !c.out.iter().any(|d| d.severity == Severity::Error);
        if let (Some(s), true) = (sink.as_deref_mut(), valid_so_far) {
            s.record(line.number, &rec)?;
        }
        flush(&mut c, &mut findings);
    }
    c.close_case();
    let after = last_line + 1;
    if c.records == 0 {
        c.out.push(
            Diagnostic::error("UPL003", after, 1, "file is empty; expected the file header (00)").field("record_type"),
        );
    } else if !c.trailer {
        c.out.push(Diagnostic::error("UPL003", after, 1, "file ends without the trailer (99)").field("record_type"));
    }
    flush(&mut c, &mut findings);
    stats.bom = reader.had_bom();
    findings.extend(stats.findings());
    let probe = std::mem::take(&mut c.dups).into_probe();
    Ok(Reading {
        report: FileReport::new("upload", c.records, findings),
        encoding: sniffer.current(),
        lines: stats,
        probe,
    })
}

/// Hands the current record's findings to the collector, those from the current case's lines
/// grouped under it.
fn flush(c: &mut Checker<'_>, findings: &mut Findings) {
    if let Some(case) = &c.case {
        for d in c.out.iter_mut().filter(|d| d.group.is_none() && d.line >= case.line) {
            d.group = Some(Arc::clone(&case.group));
        }
    }
    c.out.sort_by_key(|d| (d.line, d.column));
    findings.extend(c.out.drain(..));
}

/// Record order: `00`, then per case `10` [`11`] `20`+ `30`, then `99`.
fn structure(c: &mut Checker<'_>, kind: RecordType, line: u64) {
    use RecordType as R;
    if !c.expect.allows(kind) {
        let missing_action = c.expect == Expect::ClaimOrAction && matches!(kind, R::Case | R::Trailer);
        if !missing_action {
            let msg = format!(
                "{}a {} record (type {}) here is out of order; expected {}",
                c.prefix(),
                kind.name(),
                kind.code(),
                c.expect.describe()
            );
            c.out.push(Diagnostic::error("UPL003", line, 1, msg).width(2).field("record_type"));
        }
    }
    if kind == R::Case {
        c.close_case();
    }
    c.expect = match kind {
        R::Header => Expect::CaseOrTrailer,
        R::Case => Expect::ContactOrClaim,
        R::Contact | R::Claim => Expect::ClaimOrAction,
        R::Action => Expect::AfterAction,
        R::Trailer => Expect::Nothing,
    };
}

/// Checks a file that can be read twice: the check, then, when the first reading turned up
/// possible duplicates, a second reading that decides them (merged into the report).
pub fn check_rereadable<R: Read + Seek>(mut input: R, file: &str, opts: &CheckOptions) -> io::Result<Reading> {
    let mut out = check(&mut input, file, opts, None)?;
    settle_duplicates(&mut out, || {
        input.seek(SeekFrom::Start(0))?;
        Ok(&mut input)
    })?;
    Ok(out)
}

/// Decides the possible duplicates of `out` with a second reading from `reopen`.
pub fn settle_duplicates<R: Read>(out: &mut Reading, reopen: impl FnOnce() -> io::Result<R>) -> io::Result<()> {
    if let Some(probe) = out.probe.take() {
        let found = resolve(reopen()?, &probe)?;
        out.report.merge(found);
    }
    Ok(())
}
