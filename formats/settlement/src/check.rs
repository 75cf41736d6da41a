//! Reading and validating a settlement: each line split at `;` (no quoting), every field by its
//! rule, exact arithmetic per line, the kinds' sign rules, line numbering, the
//! trailer's count and column sums. Streams: one line at a time, plus an 8-byte hash per line for
//! the duplicate warning.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::io::{self, Read};

use chrono::NaiveDate;
use kidkit_core::{
    AmountSyntax, BloomFilter, BloomProbe, Diagnostic, EncodingSniffer, FileReport, Findings, LineForm, LineReader,
    LineStats, Reading, Severity, TextEncoding, check_account, check_kid_shape, check_orgnr, decode,
    forbidden_byte_finding, format_comma, kid_verdict, mixed_encoding_finding, parse_kroner, parse_yyyymmdd,
};

use crate::layout::{AMOUNTS, Field, HEADER, Kind, LINE, TRAILER};

/// Options.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Severity of a KID failing both check-digit rules (`None`: not checked); an error by
    /// default (settlements are data people typed).
    pub kid_check: Option<Severity>,
    /// `--max-errors`.
    pub max_errors: Option<u64>,
}

/// One record's fields, decoded.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line.
    pub line: u64,
    /// `H`, `L` or `T`.
    pub kind: char,
    /// The fields as written.
    pub fields: Vec<String>,
    /// How the line ended and was encoded.
    pub form: LineForm,
}

impl Record {
    /// A field by name (empty when the record has no such field).
    pub fn get(&self, name: &str) -> &str {
        let layout: &[Field] = match self.kind {
            'H' => &HEADER,
            'L' => &LINE,
            _ => &TRAILER,
        };
        layout.iter().position(|f| f.name == name).and_then(|i| self.fields.get(i)).map_or("", String::as_str)
    }
}

/// Receives every record while the file is valid (for conversions).
pub trait SettlementSink {
    /// One record.
    fn record(&mut self, rec: &Record) -> io::Result<()>;
}

/// How repeated lines are looked for: every key into the filter (the first reading), or only
/// the candidate keys, each remembered (the second).
enum Repeats {
    First(BloomFilter),
    Settle { probe: BloomProbe, seen: HashSet<u64> },
}

fn key(parts: &[&str]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

struct Checker<'o> {
    opts: &'o CheckOptions,
    out: Vec<Diagnostic>,
    line: u64,
    header: bool,
    trailer_at: Option<u64>,
    lines: u64,
    next_line_no: u64,
    sums: [i128; 8],
    sums_known: bool,
    repeats: Repeats,
    canonical_warned: bool,
}

impl Checker<'_> {
    fn column(fields: &[String], i: usize) -> u32 {
        1 + fields[..i].iter().map(|f| f.chars().count() as u32 + 1).sum::<u32>()
    }

    fn err(&mut self, code: &'static str, rec: &Record, i: usize, field: &'static str, message: String) {
        self.push(Severity::Error, code, rec, i, field, message);
    }

    fn push(
        &mut self,
        sev: Severity,
        code: &'static str,
        rec: &Record,
        i: usize,
        field: &'static str,
        message: impl std::fmt::Display,
    ) {
        let i = i.min(rec.fields.len().saturating_sub(1));
        let column = Self::column(&rec.fields, i);
        let width = rec.fields.get(i).map_or(1, |f| f.chars().count().max(1) as u32);
        let prefix = match rec.kind {
            'L' => format!("line {} (case {}): ", rec.get("line_no"), rec.get("case_no")),
            _ => String::new(),
        };
        self.out.push(
            Diagnostic::new(code, sev, rec.line, column, format!("{prefix}{message}"))
                .width(width)
                .field(field)
                .record(rec.fields.join(";")),
        );
    }

    /// Checks every field of `rec` against `layout`; returns the amounts (øre) by column.
    fn fields(&mut self, rec: &Record, layout: &'static [Field]) -> Vec<Option<i64>> {
        let mut amounts = Vec::new();
        for (i, f) in layout.iter().enumerate() {
            let v = rec.fields.get(i).map_or("", String::as_str);
            if v.is_empty() {
                if f.required && !matches!(f.kind, Kind::Fixed) {
                    self.err("SET018", rec, i, f.name, format!("{} is required but empty", f.name));
                }
                if f.kind == Kind::Amount {
                    amounts.push(None);
                }
                continue;
            }
            match f.kind {
                Kind::Fixed => {}
                Kind::Text(max) => {
                    let n = v.chars().count();
                    if n > max {
                        self.err(
                            "SET016",
                            rec,
                            i,
                            f.name,
                            format!("{} is {n} characters long, at most {max} allowed", f.name),
                        );
                    }
                }
                Kind::Digits(max) => {
                    if !(v.len() <= max && v.bytes().all(|b| b.is_ascii_digit())) {
                        self.err("SET010", rec, i, f.name, format!("{} must be 1-{max} digits, found '{v}'", f.name));
                    }
                }
                Kind::Amount => amounts.push(self.amount(rec, i, f.name, v)),
                Kind::Date => {
                    if let Err(e) = parse_yyyymmdd(v.as_bytes()) {
                        self.err(
                            "SET011",
                            rec,
                            i,
                            f.name,
                            format!("{} must be a date YYYYMMDD, found '{v}' ({e})", f.name),
                        );
                    }
                }
                Kind::OrgNo => {
                    if let Err(e) = check_orgnr(v) {
                        self.err("SET012", rec, i, f.name, format!("{}: {e}", f.name));
                    }
                }
                Kind::Account => {
                    if let Err(e) = check_account(v) {
                        self.err("SET013", rec, i, f.name, format!("{}: {e}", f.name));
                    }
                }
                Kind::Kid => self.kid(rec, i, v),
                Kind::EventKind => {
                    if !matches!(v, "PAYMENT" | "REVERSAL" | "WRITE_OFF") {
                        self.err(
                            "SET021",
                            rec,
                            i,
                            f.name,
                            format!("kind must be PAYMENT, REVERSAL or WRITE_OFF, found '{v}'"),
                        );
                    }
                }
                Kind::Currency => {
                    if v != "NOK" {
                        self.err(
                            "SET015",
                            rec,
                            i,
                            f.name,
                            format!("currency must be NOK (settlements are in Norwegian kroner), found '{v}'"),
                        );
                    }
                }
            }
        }
        amounts
    }

    fn amount(&mut self, rec: &Record, i: usize, name: &'static str, v: &str) -> Option<i64> {
        let ok_shape = !v.starts_with('+') && !v.contains(' ');
        match parse_kroner(v, AmountSyntax::EITHER) {
            Ok(ore) if ok_shape => {
                if !self.canonical_warned && format_comma(ore) != v {
                    self.canonical_warned = true;
                    self.push(
                        Severity::Warning,
                        "IO001",
                        rec,
                        i,
                        name,
                        format!(
                            "amount '{v}' is not written the canonical way ('{}'); a rewritten file uses 1234,50",
                            format_comma(ore)
                        ),
                    );
                }
                Some(ore)
            }
            Ok(_) | Err(_) => {
                self.err("SET010", rec, i, name, format!("{name} must be an amount like 1234,50, found '{v}'"));
                None
            }
        }
    }

    fn kid(&mut self, rec: &Record, i: usize, v: &str) {
        if let Err(e) = check_kid_shape(v, false) {
            self.err("SET014", rec, i, "kid", format!("KID {e}"));
            return;
        }
        let Some(sev) = self.opts.kid_check else { return };
        let verdict = kid_verdict(v.as_bytes());
        if !verdict.is_valid() {
            self.push(sev, "SET014", rec, i, "kid", verdict.problem(v));
        }
    }

    fn count(&mut self, rec: &Record, expected: usize) -> bool {
        if rec.fields.len() == expected {
            return true;
        }
        let what = match rec.kind {
            'H' => "a header (H)",
            'L' => "a line (L)",
            _ => "a trailer (T)",
        };
        self.err("SET002", rec, 0, "record_type", format!("{what} has {expected} fields, found {}", rec.fields.len()));
        false
    }

    fn header(&mut self, rec: &Record) {
        if self.header {
            self.err(
                "SET001",
                rec,
                0,
                "record_type",
                "a second header (H); a settlement has exactly one, first".to_owned(),
            );
        }
        if self.lines > 0 || self.trailer_at.is_some() {
            self.err("SET001", rec, 0, "record_type", "the header (H) must be the first record".to_owned());
        }
        self.header = true;
        if rec.fields.get(1).map(String::as_str) != Some("KKA1") {
            let found = rec.fields.get(1).cloned().unwrap_or_default();
            self.err("SET004", rec, 1, "version", format!("version must be KKA1, found '{found}'"));
        }
        if self.count(rec, HEADER.len()) {
            self.fields(rec, &HEADER);
        }
    }

    fn line(&mut self, rec: &Record) {
        if !self.header && self.lines == 0 {
            self.err("SET001", rec, 0, "record_type", "the first record must be the header (H)".to_owned());
        }
        if let Some(t) = self.trailer_at {
            self.err(
                "SET001",
                rec,
                0,
                "record_type",
                format!("a line after the trailer on line {t}; the trailer (T) must be last"),
            );
        }
        self.lines += 1;
        // the numbering is checked even on a line with the wrong number of fields
        let expected_no = self.next_line_no;
        if let Ok(n) = rec.get("line_no").parse::<u64>() {
            if n != expected_no {
                self.err(
                    "SET020",
                    rec,
                    1,
                    "line_no",
                    format!("line_no is {n}, expected {expected_no} (1, 2, 3 … without gaps)"),
                );
            }
            self.next_line_no = n + 1;
        } else {
            self.next_line_no += 1;
        }
        if !self.count(rec, LINE.len()) {
            self.sums_known = false;
            return;
        }
        let amounts = self.fields(rec, &LINE);
        let a: Vec<i64> = amounts.iter().map(|v| v.unwrap_or(0)).collect();
        if amounts.iter().any(Option::is_none) || a.len() != 8 {
            self.sums_known = false;
            return;
        }
        for (s, v) in self.sums.iter_mut().zip(&a) {
            *s += i128::from(*v);
        }
        let [principal, interest, fees, agency_costs, commission, vat, loss, net] =
            [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let parts = [principal, interest, fees, agency_costs, commission, vat];
        let kind = rec.get("kind");
        let broken = match kind {
            "PAYMENT" => {
                (parts.iter().any(|&p| p < 0) || loss != 0).then_some("a PAYMENT has every part ≥ 0 and loss 0")
            }
            "REVERSAL" => {
                (parts.iter().any(|&p| p > 0) || loss != 0).then_some("a REVERSAL has every part ≤ 0 and loss 0")
            }
            "WRITE_OFF" => (loss <= 0 || parts.iter().any(|&p| p != 0) || net != 0)
                .then_some("a WRITE_OFF has loss > 0 and every other amount 0"),
            _ => None,
        };
        if let Some(rule) = broken {
            self.err("SET022", rec, 8, "kind", format!("the amounts break the sign rule of its kind: {rule}"));
        }
        // in i128: five i64 amounts cannot overflow it
        let want =
            i128::from(principal) + i128::from(interest) + i128::from(fees) - i128::from(commission) - i128::from(vat);
        if i128::from(net) != want {
            self.err(
                "SET023",
                rec,
                16,
                "net",
                format!(
                    "net is {}, but principal + interest + fees − commission − vat = {}",
                    format_comma(net),
                    i64::try_from(want).map_or_else(|_| format!("{want} øre"), format_comma)
                ),
            );
        }
        let dup = key(&[
            rec.get("case_no"),
            rec.get("invoice_no"),
            kind,
            rec.get("event_date"),
            &a.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
        ]);
        let repeated = match &mut self.repeats {
            Repeats::First(filter) => {
                filter.add(dup);
                false
            }
            Repeats::Settle { probe, seen } => probe.contains(dup) && !seen.insert(dup),
        };
        if repeated {
            self.push(
                Severity::Warning,
                "SET040",
                rec,
                2,
                "case_no",
                "the same case, invoice, kind, date and amounts appear twice; check it is not posted twice".to_owned(),
            );
        }
    }

    fn trailer(&mut self, rec: &Record) {
        if let Some(t) = self.trailer_at {
            self.err("SET001", rec, 0, "record_type", format!("a second trailer (T); the first is on line {t}"));
        }
        self.trailer_at = Some(rec.line);
        if !self.count(rec, TRAILER.len()) {
            return;
        }
        let amounts = self.fields(rec, &TRAILER);
        if let Ok(n) = rec.get("line_count").parse::<u64>() {
            if n != self.lines {
                self.err(
                    "SET030",
                    rec,
                    1,
                    "line_count",
                    format!("trailer line_count is {n}, but the settlement has {} lines", self.lines),
                );
            }
        }
        if !self.sums_known {
            return;
        }
        for (k, (stated, sum)) in amounts.iter().zip(self.sums).enumerate() {
            if let Some(s) = stated {
                if i128::from(*s) != sum {
                    let col = AMOUNTS[k];
                    let sum = i64::try_from(sum).unwrap_or(i64::MAX);
                    self.err(
                        "SET031",
                        rec,
                        2 + k,
                        TRAILER[2 + k].name,
                        format!(
                            "trailer sum of {col} is {}, but the lines add up to {}",
                            format_comma(*s),
                            format_comma(sum)
                        ),
                    );
                }
            }
        }
    }
}

/// Puts the findings of a line (`L`) under its case, `case 4711`, when it names one.
fn group_by_case(found: &mut [Diagnostic], rec: &Record) {
    let Some(case_no) = rec.fields.get(2).map(|c| c.trim()).filter(|c| !c.is_empty()) else { return };
    let group: std::sync::Arc<str> = format!("case {case_no}").into();
    for d in found.iter_mut().filter(|d| d.group.is_none()) {
        d.group = Some(std::sync::Arc::clone(&group));
    }
}

/// Reads a settlement, checking everything; `sink` receives the records while the file is valid.
///
/// The format has no quoting, so a line split at `;` gives its fields exactly. The csv crate is
/// not used for this: with CRLF it numbers a record by the line before it, and it skips empty
/// lines silently, while every finding here needs its line and a blank line is a finding.
pub fn check(
    input: impl Read,
    file: &str,
    opts: &CheckOptions,
    sink: Option<&mut dyn SettlementSink>,
) -> io::Result<Reading> {
    let (mut out, repeats) = read(input, file, opts, sink, Repeats::First(BloomFilter::default()))?;
    if let Repeats::First(filter) = repeats {
        out.probe = filter.into_probe();
    }
    Ok(out)
}

/// Decides the possible repeated lines of `out` with a second reading from `reopen`: a line
/// that repeats an earlier one is a warning (`SET040`), as in one reading with a full index.
pub fn settle_duplicates<R: Read>(out: &mut Reading, reopen: impl FnOnce() -> io::Result<R>) -> io::Result<()> {
    let Some(probe) = out.probe.take() else { return Ok(()) };
    let opts = CheckOptions { kid_check: None, max_errors: None };
    let repeats = Repeats::Settle { probe, seen: HashSet::new() };
    let (again, _) = read(reopen()?, &out.report.file, &opts, None, repeats)?;
    out.report.merge(again.report.findings.into_iter().filter(|d| d.code == "SET040").collect());
    Ok(())
}

fn read(
    input: impl Read,
    file: &str,
    opts: &CheckOptions,
    mut sink: Option<&mut dyn SettlementSink>,
    repeats: Repeats,
) -> io::Result<(Reading, Repeats)> {
    let mut reader = LineReader::new(input, MAX_LINE);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Windows1252);
    let mut stats = LineStats::default();
    let mut findings = Findings::new(file, opts.max_errors);
    let mut c = Checker {
        opts,
        out: Vec::new(),
        line: 0,
        header: false,
        trailer_at: None,
        lines: 0,
        next_line_no: 1,
        sums: [0; 8],
        sums_known: true,
        repeats,
        canonical_warned: false,
    };
    let mut records = 0u64;
    let mut last = 0u64;
    while let Some(line) = reader.next_line()? {
        stats.observe(&line);
        last = line.number;
        c.line = line.number;
        if line.is_cut() {
            findings.push(
                Diagnostic::error(
                    "SET002",
                    line.number,
                    1,
                    format!("line is {} bytes long; no settlement record is", line.len),
                )
                .field("record_type"),
            );
            continue;
        }
        if line.bytes.is_empty() {
            findings.push(
                Diagnostic::error("SET002", line.number, 1, "blank line; every line is a record (H, L or T)")
                    .field("record_type"),
            );
            continue;
        }
        records += 1;
        let observed = sniffer.observe(line.bytes);
        let enc = observed.encoding;
        c.out.extend(forbidden_byte_finding(line.bytes, enc, line.number));
        if observed.mixed {
            c.out.push(mixed_encoding_finding(line.number));
        }
        let text = decode(line.bytes, enc);
        let fields: Vec<String> = text.split(';').map(str::to_owned).collect();
        let form = LineForm::of(&line, observed);
        let rec = Record { line: line.number, kind: fields[0].chars().next().unwrap_or(' '), fields, form };
        match (rec.kind, rec.fields[0].len()) {
            ('H', 1) => c.header(&rec),
            ('L', 1) => c.line(&rec),
            ('T', 1) => c.trailer(&rec),
            _ => c.err("SET003", &rec, 0, "record_type", format!("record type '{}' is not H, L or T", rec.fields[0])),
        }
        let valid = findings.errors() == 0 && !c.out.iter().any(|d| d.severity == Severity::Error);
        if let (Some(s), true) = (sink.as_deref_mut(), valid) {
            s.record(&rec)?;
        }
        if rec.kind == 'L' {
            group_by_case(&mut c.out, &rec);
        }
        c.out.sort_by_key(|d| (d.line, d.column));
        findings.extend(c.out.drain(..));
    }
    stats.bom = reader.had_bom();
    let end = last + 1;
    if !c.header {
        findings.push(Diagnostic::error("SET001", end, 1, "the settlement has no header (H)").field("record_type"));
    }
    if c.trailer_at.is_none() {
        findings.push(
            Diagnostic::error("SET001", end, 1, "the settlement ends without a trailer (T)").field("record_type"),
        );
    }
    findings.extend(stats.findings());
    let report = FileReport::new("settlement", records, findings);
    Ok((Reading { report, encoding: sniffer.current(), lines: stats, probe: None }, c.repeats))
}

/// Longest line read whole: the longest record (texts of 60, 60, 100 characters and the rest)
/// with room for UTF-8.
const MAX_LINE: usize = 4096;

/// A settlement's date field as a date (for conversions).
pub fn date(v: &str) -> Option<NaiveDate> {
    parse_yyyymmdd(v.as_bytes()).ok()
}
