//! One CSV row per claim (case and debtor columns repeated), both ways. Creditors export cases
//! from a spreadsheet; `--map` lets the CSV keep their own column names, separator, decimal mark
//! and date format.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::io::{self, Read, Write};

use chrono::NaiveDate;
use kidkit_core::{
    AmountSyntax, Columns, DecimalMark, Diagnostic, FileReport, Findings, GivenOnce, NameHasher, Origins, RowMark,
    RowReader, RowSyntax, TextRows, parse_compact_or_iso, parse_kroner,
};
use serde::Deserialize;

use crate::check::{Record, UploadSink};
use crate::layout::{Kind, RecordType, unpad, unpad_end};
use crate::write::Writer;

/// The columns of an upload row, in order.
pub const COLUMNS: &[&str] = &[
    "creditor_orgno",
    "client_no",
    "creation_date",
    "file_sequence",
    "creditor_name",
    "case_ref",
    "debtor_type",
    "national_id",
    "first_name",
    "last_name",
    "street",
    "postcode",
    "place",
    "country",
    "customer_no",
    "minor",
    "secret_address",
    "mobile",
    "email",
    "language",
    "co_address",
    "invoice_no",
    "invoice_date",
    "due_date",
    "sign",
    "original_principal",
    "remaining_principal",
    "kid",
    "currency",
    "interest_from",
    "reminder_fee",
    "reminder_date",
    "claim_text",
    "notice_date",
    "notice_info",
];

/// Columns a row cannot do without (the MUST fields).
pub const REQUIRED: &[&str] = &[
    "creditor_orgno",
    "client_no",
    "creation_date",
    "file_sequence",
    "creditor_name",
    "case_ref",
    "debtor_type",
    "national_id",
    "first_name",
    "postcode",
    "place",
    "invoice_no",
    "due_date",
    "remaining_principal",
    "notice_date",
];

/// Where each column lives in a record.
fn home(column: &str) -> Option<(RecordType, Kind)> {
    [RecordType::Header, RecordType::Case, RecordType::Contact, RecordType::Claim, RecordType::Action]
        .into_iter()
        .find_map(|t| t.fields().iter().find(|f| f.name == column && f.kind != Kind::Rest).map(|f| (t, f.kind)))
}

/// One row's values by column: looked up and filled a few dozen times a row, so by a cheap hash.
type Values = HashMap<&'static str, String, BuildHasherDefault<NameHasher>>;

pub use kidkit_core::RowFormat;

/// Writes one row per claim as records come (an [`UploadSink`]); a case's rows are written when
/// its action record (with the notice date) arrives.
pub struct RowWriter<W: Write> {
    sink: TextRows<W>,
    base: Values,
    claims: Vec<Values>,
    /// Rows written.
    pub rows: u64,
}

fn display(kind: Kind, raw: &str) -> String {
    match kind {
        Kind::Amount if !raw.trim().is_empty() => {
            let ore: u64 = raw.trim().parse().unwrap_or(0);
            format!("{}.{:02}", ore / 100, ore % 100)
        }
        Kind::Date if !raw.trim().is_empty() => {
            parse_compact_or_iso(raw.trim().as_bytes()).map_or_else(|_| raw.trim().to_owned(), |d| d.to_string())
        }
        Kind::Kid => unpad(raw).to_owned(),
        _ => unpad_end(raw).to_owned(),
    }
}

impl<W: Write> RowWriter<W> {
    /// A row writer; CSV gets its header row at once.
    pub fn new(out: W, format: RowFormat) -> io::Result<Self> {
        let sink = TextRows::new(out, format, COLUMNS)?;
        Ok(RowWriter { sink, base: Values::default(), claims: Vec::new(), rows: 0 })
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> io::Result<W> {
        self.sink.finish()
    }

    fn take(rec: &Record<'_>) -> Values {
        rec.kind
            .fields()
            .iter()
            .filter(|f| !matches!(f.kind, Kind::Type | Kind::Rest))
            .map(|f| (f.name, display(f.kind, rec.get(f))))
            .collect()
    }

    fn emit(&mut self) -> io::Result<()> {
        let claims = std::mem::take(&mut self.claims);
        for claim in claims {
            let value = |c: &str| claim.get(c).or_else(|| self.base.get(c)).map_or("", String::as_str).to_owned();
            let values: Vec<String> = COLUMNS.iter().map(|c| value(c)).collect();
            self.rows += 1;
            self.sink.write(&values)?;
        }
        Ok(())
    }
}

impl<W: Write> UploadSink for RowWriter<W> {
    fn record(&mut self, _line: u64, rec: &Record<'_>) -> io::Result<()> {
        match rec.kind {
            RecordType::Header => {
                let mut h = Self::take(rec);
                h.remove("format");
                h.remove("currency");
                self.base = h;
            }
            RecordType::Case => {
                let case = Self::take(rec);
                for k in ["mobile", "email", "language", "co_address", "notice_date", "notice_info"] {
                    self.base.remove(k);
                }
                self.base.extend(case);
            }
            RecordType::Contact => {
                let c = Self::take(rec);
                self.base.extend(c);
            }
            RecordType::Claim => {
                let c = Self::take(rec);
                self.claims.push(c);
            }
            RecordType::Action => {
                let mut a = Self::take(rec);
                a.remove("action_group");
                self.base.extend(a);
                self.emit()?;
            }
            RecordType::Trailer => {}
        }
        Ok(())
    }
}

/// How a creditor's CSV is laid out (`--map map.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMap {
    /// Field separator (one character), default `;`.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Whether the first row names the columns (default true).
    #[serde(default)]
    pub header: Option<bool>,
    /// Decimal mark of amounts: `,` or `.` (default: either).
    #[serde(default)]
    pub decimal: Option<String>,
    /// Thousands separator in amounts, e.g. a space.
    #[serde(default)]
    pub thousands: Option<String>,
    /// Date format in chrono's notation, e.g. `%d.%m.%Y` (default `YYYYMMDD` or ISO).
    #[serde(default)]
    pub date_format: Option<String>,
    /// kidkit column → the creditor's column name (or 1-based number without a header row).
    pub columns: HashMap<String, String>,
}

/// A problem with the map file itself (`IO007`, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("map file: {key}: {message}")]
pub struct MapError {
    /// The key concerned.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl ColumnMap {
    /// Reads and checks a map file: unknown keys, unknown columns and a bad separator are errors
    /// that name the key.
    pub fn from_json(text: &str) -> Result<Self, MapError> {
        let map: ColumnMap = serde_json::from_str(text).map_err(|e| {
            let msg = e.to_string();
            let key = msg.split('`').nth(1).unwrap_or("document").to_owned();
            MapError { key, message: msg }
        })?;
        for k in map.columns.keys() {
            if !COLUMNS.contains(&k.as_str()) {
                return Err(MapError {
                    key: format!("columns.{k}"),
                    message: format!("'{k}' is not an upload column; known: {}", COLUMNS.join(", ")),
                });
            }
        }
        if let Some(d) = &map.delimiter {
            if d.len() != 1 {
                return Err(MapError { key: "delimiter".into(), message: format!("must be one character, got '{d}'") });
            }
        }
        if let Some(d) = &map.decimal {
            if d != "," && d != "." {
                return Err(MapError { key: "decimal".into(), message: format!("must be ',' or '.', got '{d}'") });
            }
        }
        if let Some(t) = &map.thousands {
            if t.chars().count() != 1 {
                return Err(MapError { key: "thousands".into(), message: format!("must be one character, got '{t}'") });
            }
        }
        if let Some(f) = &map.date_format {
            if chrono::format::StrftimeItems::new(f).any(|i| matches!(i, chrono::format::Item::Error)) {
                return Err(MapError {
                    key: "date_format".into(),
                    message: format!("'{f}' is not a valid date format"),
                });
            }
        }
        Ok(map)
    }
}

fn row_value<'r>(rec: &'r csv::StringRecord, index: &Columns<'_>, column: &str) -> &'r str {
    index.get(column).and_then(|&i| rec.get(i)).unwrap_or("")
}

/// Builds an upload from CSV rows: consecutive rows with the same `case_ref` form one case.
/// Every row problem is reported (row, column, field); nothing is written when there is one.
pub fn build_from_rows(
    input: impl Read,
    ndjson: bool,
    file: &str,
    map: Option<&ColumnMap>,
    out: impl Write,
    origins: &mut Origins,
) -> io::Result<(FileReport, bool)> {
    let delimiter = map.and_then(|m| m.delimiter.as_deref()).map_or(b';', |d| d.as_bytes()[0]);
    let has_header = ndjson || map.and_then(|m| m.header).unwrap_or(true);
    let syntax = if ndjson { RowSyntax::Ndjson } else { RowSyntax::Csv { delimiter, has_header } };
    let mut findings = Findings::new(file, None);
    let mut rdr = match RowReader::new(input, syntax) {
        Ok(r) => r,
        Err(e) => {
            findings.push(e.finding());
            return Ok((FileReport::new("csv", 0, findings), false));
        }
    };
    let headers: Vec<String> = rdr.headers().to_vec();
    // kidkit column -> index in the row
    let mut index = Columns::default();
    for col in COLUMNS {
        let theirs = map.and_then(|m| m.columns.get(*col)).map_or(*col, String::as_str);
        let found = if has_header {
            headers.iter().position(|h| h.trim() == theirs)
        } else {
            theirs.parse::<usize>().ok().and_then(|n| n.checked_sub(1))
        };
        match found {
            Some(i) => {
                index.insert(col, i);
            }
            None if REQUIRED.contains(col) => {
                let how = if theirs == *col { String::new() } else { format!(" (mapped to '{theirs}')") };
                findings.push(
                    Diagnostic::error(
                        "UPL010",
                        1,
                        1,
                        format!("the CSV has no column '{col}'{how}, which every row needs"),
                    )
                    .field(*col),
                );
            }
            None => {}
        }
    }
    if findings.errors() > 0 {
        return Ok((FileReport::new("csv", 0, findings), false));
    }
    let syntax = AmountSyntax {
        decimal: match map.and_then(|m| m.decimal.as_deref()) {
            Some(",") => DecimalMark::Comma,
            Some(".") => DecimalMark::Point,
            _ => DecimalMark::Either,
        },
        thousands: map.and_then(|m| m.thousands.as_deref()).and_then(|t| t.chars().next()),
    };
    let date_format = map.and_then(|m| m.date_format.clone());
    // cases are written as their rows come, while no row has a problem; what was written is
    // thrown away by the caller when one turns up
    // the built file's lines name the rows they came from, and each row position its column
    let mut names = vec![String::new(); index.values().max().map_or(0, |m| m + 1)];
    for (col, &i) in &index {
        (*col).clone_into(&mut names[i]);
    }
    origins.columns(&names);
    let mark = RowMark::default();
    let out = origins.trace(out, mark.clone());
    let writer = Writer::new(out, kidkit_core::LineEnding::Crlf, kidkit_core::TextEncoding::Latin1);
    let mut cases = Some(Cases { w: writer, open: None, started: false, mark, last: 0 });
    let mut n = 0u64;
    let mut given = Given::new();
    while let Some(rec) = rdr.next_row() {
        n += 1;
        let (line, rec) = match rec {
            Ok(r) => (r.line, r.record),
            Err(e) => {
                findings.push(e.finding());
                continue;
            }
        };
        let mut values = Values::default();
        for col in COLUMNS {
            let raw = unpad(row_value(&rec, &index, col));
            let column = index.get(col).map_or(1, |&i| i as u32 + 1);
            let Some((_, kind)) = home(col) else { continue };
            let v = match kind {
                Kind::Amount if !raw.is_empty() => match parse_kroner(raw, syntax) {
                    Ok(ore) if ore >= 0 => ore.to_string(),
                    Ok(_) => {
                        findings.push(Diagnostic::error("UPL016", line, column, format!("row {line}, {col}: amount '{raw}' must not be negative (a credit note has sign '-')")).field(*col));
                        continue;
                    }
                    Err(e) => {
                        findings.push(
                            Diagnostic::error(
                                "UPL016",
                                line,
                                column,
                                format!("row {line}, {col}: '{raw}' is not an amount ({e})"),
                            )
                            .field(*col),
                        );
                        continue;
                    }
                },
                Kind::Date if !raw.is_empty() => {
                    let parsed = match &date_format {
                        Some(f) => NaiveDate::parse_from_str(raw, f).map_err(|e| e.to_string()),
                        None => parse_compact_or_iso(raw.as_bytes()).map_err(|e| e.to_string()),
                    };
                    match parsed {
                        Ok(d) => d.format("%Y%m%d").to_string(),
                        Err(e) => {
                            let want = date_format.as_deref().unwrap_or("YYYY-MM-DD or YYYYMMDD");
                            findings.push(
                                Diagnostic::error(
                                    "UPL015",
                                    line,
                                    column,
                                    format!("row {line}, {col}: '{raw}' is not a date in the form {want} ({e})"),
                                )
                                .field(*col),
                            );
                            continue;
                        }
                    }
                }
                _ => raw.to_owned(),
            };
            values.insert(*col, v);
        }
        given_alike(&mut given, line, &values, &index, &mut findings);
        if findings.errors() > 0 {
            cases = None;
        }
        if let Some(c) = cases.as_mut()
            && let Err((row, e)) = c.row(line, values)
        {
            refused(c.w.refusal(), e, row, &index, &mut findings)?;
            cases = None;
        }
    }
    if n == 0 {
        findings.push(Diagnostic::error("UPL003", 2, 1, "the CSV has no rows; there is no case to write").field("row"));
    }
    match cases.filter(|_| findings.errors() == 0) {
        Some(mut c) => match c.finish() {
            Ok(()) => Ok((FileReport::new("csv", n, findings), true)),
            Err((row, e)) => {
                refused(c.w.refusal(), e, row, &index, &mut findings)?;
                Ok((FileReport::new("csv", n, findings), false))
            }
        },
        None => Ok((FileReport::new("csv", n, findings), false)),
    }
}

/// A value the writer refuses, as a finding on its row and column; any other error is the
/// output's and goes on.
fn refused(
    refusal: Option<crate::write::WriteError>,
    e: io::Error,
    row: u64,
    index: &Columns<'_>,
    findings: &mut Findings,
) -> io::Result<()> {
    let Some(we) = refusal else { return Err(e) };
    let column = index.get(we.field).map_or(1, |&i| i as u32 + 1);
    findings.push(
        Diagnostic::error(we.code, row, column, format!("row {row}, {}: {}", we.field, we.message)).field(we.field),
    );
    Ok(())
}

/// What the rows of an upload give once: the header's columns (the first row's), and a case's
/// case, contact and action columns (its first row's), with the case those are for.
struct Given {
    file: GivenOnce,
    case: GivenOnce,
    case_ref: Option<String>,
    header_columns: Vec<&'static str>,
    case_columns: Vec<&'static str>,
}

impl Given {
    fn new() -> Self {
        // the columns of these records, in `COLUMNS` order
        let of = |types: &[RecordType]| -> Vec<&'static str> {
            COLUMNS.iter().copied().filter(|c| home(c).is_some_and(|(t, _)| types.contains(&t))).collect()
        };
        Given {
            file: GivenOnce::default(),
            case: GivenOnce::default(),
            case_ref: None,
            header_columns: of(&[RecordType::Header]),
            case_columns: of(&[RecordType::Case, RecordType::Contact, RecordType::Action]),
        }
    }
}

/// A row must give its file's header columns as the first row did (`UPL016`), and its case's
/// case, contact and action columns as the case's first row did (`UPL023`): a file has one
/// header and a case one debtor, and a value given otherwise would be dropped.
fn given_alike(given: &mut Given, line: u64, values: &Values, index: &Columns<'_>, findings: &mut Findings) {
    let mut check = |once: &mut GivenOnce, names: &[&'static str], code, why: &str| {
        let row = names.iter().map(|c| values.get(c).map_or("", String::as_str));
        once.check(line, row, |i, text| {
            let column = index.get(names[i]).map_or(1, |&c| c as u32 + 1);
            let message = format!("row {line}, {}: {text}: {why}", names[i]);
            findings.push(Diagnostic::error(code, line, column, message).field(names[i]));
        });
    };
    check(&mut given.file, &given.header_columns, "UPL016", "a file has one header");
    let case_ref = values.get("case_ref");
    if given.case_ref.as_ref() != case_ref {
        given.case.restart();
        given.case_ref = case_ref.cloned();
    }
    check(&mut given.case, &given.case_columns, "UPL023", "the rows of a case give its debtor and notice alike");
}

fn has_contact(v: &Values) -> bool {
    ["mobile", "email", "language", "co_address"].iter().any(|k| v.get(k).is_some_and(|s| !s.is_empty()))
}

fn fields_of(t: RecordType, v: &Values) -> Vec<(&'static str, &str)> {
    t.fields()
        .iter()
        .filter(|f| f.kind != Kind::Type && f.kind != Kind::Rest)
        .map(|f| (f.name, v.get(f.name).map_or("", String::as_str)))
        .collect()
}

/// Consecutive rows with the same `case_ref` written as one case: its case (and contact)
/// record from its first row, a claim per row, and its action when the next case begins. An
/// error carries the CSV row it came from.
struct Cases<W: Write> {
    w: Writer<W>,
    /// The case being written: its first row and values.
    open: Option<(u64, Values)>,
    started: bool,
    /// The row being written, for the built file's origins.
    mark: RowMark,
    last: u64,
}

type Refused = (u64, io::Error);

impl<W: Write> Cases<W> {
    fn row(&mut self, row: u64, values: Values) -> Result<(), Refused> {
        let at = |e| (row, e);
        self.last = row;
        if !self.started {
            self.mark.set(row);
            self.started = true;
            let mut header = fields_of(RecordType::Header, &values);
            for (k, v) in &mut header {
                match *k {
                    "format" => *v = "KUP1",
                    "currency" => *v = "NOK",
                    _ => {}
                }
            }
            self.w.record(RecordType::Header, &header).map_err(at)?;
        }
        if self.open.as_ref().is_some_and(|(_, case)| case.get("case_ref") != values.get("case_ref")) {
            self.close()?;
        }
        self.mark.set(row);
        if self.open.is_none() {
            self.w.record(RecordType::Case, &fields_of(RecordType::Case, &values)).map_err(at)?;
            if has_contact(&values) {
                self.w.record(RecordType::Contact, &fields_of(RecordType::Contact, &values)).map_err(at)?;
            }
        }
        let mut claim = fields_of(RecordType::Claim, &values);
        // NOK is the only currency an upload can hold: a sheet without the column means NOK
        for (k, v) in &mut claim {
            if *k == "currency" && v.is_empty() {
                *v = "NOK";
            }
        }
        self.w.record(RecordType::Claim, &claim).map_err(at)?;
        if self.open.is_none() {
            self.open = Some((row, values));
        }
        Ok(())
    }

    /// The open case's action record.
    fn close(&mut self) -> Result<(), Refused> {
        let Some((row, case)) = self.open.take() else { return Ok(()) };
        self.mark.set(row);
        let mut action = fields_of(RecordType::Action, &case);
        for (k, v) in &mut action {
            if *k == "action_group" {
                *v = "IKVAR";
            }
        }
        self.w.record(RecordType::Action, &action).map_err(|e| (row, e))
    }

    fn finish(&mut self) -> Result<(), Refused> {
        self.close()?;
        // the trailer sums every row: it comes from the last
        self.mark.set(self.last);
        self.w.close().map_err(|e| (0, e))
    }
}
