//! Flat rows: one row per OCR giro transaction, or per AvtaleGiro claim, cancellation or mandate,
//! as CSV (`;`, header row, LF) or NDJSON; and building a Nets file back from such a CSV.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use chrono::NaiveDate;
use kidkit_core::amount::format_point;
use kidkit_core::date::parse_compact_or_iso;
use kidkit_core::encoding::TextEncoding;
use kidkit_core::lines::LineEnding;
use kidkit_core::{Diagnostic, FileReport, Findings};
use serde_json::{Map, Value, json};

use crate::assemble::Events;
use crate::model::{Assignment, Claim, Items, Mandate, OcrTransaction, TransmissionStart};
use crate::structure::{EndDates, TotalsConvention};
use crate::write::Writer;

/// Columns of `ocr-giro` rows.
pub const OCR_COLUMNS: &[&str] = &[
    "line",
    "data_transmitter",
    "transmission_number",
    "data_recipient",
    "transmission_nets_date",
    "service_code",
    "assignment_number",
    "agreement_id",
    "assignment_account",
    "assignment_nets_date",
    "transaction_type",
    "transaction_number",
    "nets_date",
    "amount",
    "amount_ore",
    "kid",
    "centre_id",
    "day_code",
    "partial_settlement_number",
    "partial_settlement_serial_number",
    "sign",
    "card_issuer",
    "form_number",
    "reference",
    "filler_35_41",
    "bank_date",
    "debit_account",
    "text",
];

/// Columns of `avtalegiro` rows.
pub const AG_COLUMNS: &[&str] = &[
    "line",
    "data_transmitter",
    "transmission_number",
    "data_recipient",
    "assignment_type",
    "assignment_number",
    "assignment_account",
    "transaction_type",
    "transaction_number",
    "due_date",
    "amount",
    "amount_ore",
    "kid",
    "short_name",
    "external_reference",
    "specification",
    "registration_type",
    "notify",
];

/// Which row shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row per OCR giro transaction.
    OcrGiro,
    /// One row per AvtaleGiro claim, cancellation or mandate.
    AvtaleGiro,
}

impl Shape {
    /// The columns of this shape.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Shape::OcrGiro => OCR_COLUMNS,
            Shape::AvtaleGiro => AG_COLUMNS,
        }
    }
    /// The shape whose CSV header is `header`, if any.
    pub fn from_header(header: &[&str]) -> Option<Shape> {
        [Shape::OcrGiro, Shape::AvtaleGiro].into_iter().find(|s| s.columns() == header)
    }
}

/// CSV or NDJSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// `;`-separated with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

fn date_value(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn text_value(s: &str) -> Value {
    let t = s.trim_end();
    if t.is_empty() { Value::Null } else { Value::String(t.to_owned()) }
}

fn int(s: &str) -> Value {
    s.parse::<u64>().map_or(Value::Null, |v| json!(v))
}

/// Writes flat rows as the file's content comes (an [`Events`] receiver).
pub struct RowWriter<W: Write> {
    out: W,
    shape: Shape,
    format: RowFormat,
    ends: EndDates,
    start: Option<TransmissionStart>,
    assignment: Option<(Assignment, usize)>,
    assignment_index: usize,
    header_written: bool,
    /// Rows written (for Shape::OcrGiro rows of other services are not written).
    pub rows: u64,
    skipped: u64,
}

impl<W: Write> RowWriter<W> {
    /// A writer of `shape` rows in `format`; `ends` from a first reading of the file.
    pub fn new(out: W, shape: Shape, format: RowFormat, ends: EndDates) -> Self {
        RowWriter { out, shape, format, ends, start: None, assignment: None, assignment_index: 0, header_written: false, rows: 0, skipped: 0 }
    }

    /// Items that have no row in this shape (AvtaleGiro items in OCR rows and the other way).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.header_written && self.format == RowFormat::Csv {
            self.write_header()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn write_header(&mut self) -> io::Result<()> {
        self.header_written = true;
        writeln!(self.out, "{}", self.shape.columns().join(";"))
    }

    fn row(&mut self, values: Vec<Value>) -> io::Result<()> {
        self.rows += 1;
        match self.format {
            RowFormat::Ndjson => {
                let obj: Map<String, Value> = self.shape.columns().iter().map(|c| (*c).to_owned()).zip(values).collect();
                serde_json::to_writer(&mut self.out, &obj)?;
                writeln!(self.out)
            }
            RowFormat::Csv => {
                if !self.header_written {
                    self.write_header()?;
                }
                let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
                let cells: Vec<String> = values
                    .into_iter()
                    .map(|v| match v {
                        Value::Null => String::new(),
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .collect();
                w.write_record(&cells).map_err(io::Error::other)?;
                let bytes = w.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
                self.out.write_all(&bytes)
            }
        }
    }

    fn head(&self) -> (Value, Value, Value) {
        self.start.as_ref().map_or((Value::Null, Value::Null, Value::Null), |s| {
            (json!(s.data_transmitter), json!(s.transmission_number), json!(s.data_recipient))
        })
    }
}

impl<W: Write> Events for RowWriter<W> {
    fn transmission_start(&mut self, start: &TransmissionStart) -> io::Result<()> {
        self.start = Some(start.clone());
        Ok(())
    }
    fn assignment_start(&mut self, _line: u64, a: &Assignment) -> io::Result<()> {
        self.assignment = Some((a.clone(), self.assignment_index));
        self.assignment_index += 1;
        Ok(())
    }
    fn ocr(&mut self, line: u64, t: &OcrTransaction) -> io::Result<()> {
        if self.shape != Shape::OcrGiro {
            self.skipped += 1;
            return Ok(());
        }
        let (dt, tn, dr) = self.head();
        let (a, idx) = self.assignment.clone().unwrap_or((
            Assignment { agreement_id: String::new(), assignment_number: String::new(), assignment_account: String::new(), nets_date: None, items: Items::Ocr(Vec::new()) },
            0,
        ));
        let signed = if t.negative { -(t.amount_ore as i64) } else { t.amount_ore as i64 };
        let values = vec![
            json!(line),
            dt,
            tn,
            dr,
            date_value(self.ends.transmission),
            json!(9),
            json!(a.assignment_number),
            json!(a.agreement_id),
            json!(a.assignment_account),
            date_value(self.ends.assignments.get(idx).copied().flatten()),
            json!(t.transaction_type),
            json!(t.transaction_number.unwrap_or(0)),
            date_value(t.nets_date),
            json!(format_point(signed)),
            json!(signed),
            text_value(&t.kid),
            json!(t.centre_id),
            int(&t.day_code),
            int(&t.partial_settlement_number),
            json!(t.partial_settlement_serial_number),
            json!(if t.negative { "-" } else { "0" }),
            json!(t.card_issuer),
            json!(t.form_number),
            json!(t.reference),
            json!(t.filler_35_41),
            date_value(t.bank_date),
            json!(t.debit_account),
            text_value(&t.text),
        ];
        self.row(values)
    }
    fn claim(&mut self, line: u64, c: &Claim) -> io::Result<()> {
        if self.shape != Shape::AvtaleGiro {
            self.skipped += 1;
            return Ok(());
        }
        let (dt, tn, dr) = self.head();
        let (a, _) = self.assignment.clone().ok_or_else(|| io::Error::other("claim outside an assignment"))?;
        let atype = if matches!(a.items, Items::Cancellations(_)) { 36 } else { 0 };
        let values = vec![
            json!(line),
            dt,
            tn,
            dr,
            json!(atype),
            json!(a.assignment_number),
            json!(a.assignment_account),
            json!(c.transaction_type),
            json!(c.transaction_number.unwrap_or(0)),
            date_value(c.due_date),
            json!(format_point(c.amount_ore as i64)),
            json!(c.amount_ore),
            text_value(&c.kid),
            text_value(&c.short_name),
            text_value(&c.external_reference),
            text_value(&specification_text(&c.specification)),
            Value::Null,
            Value::Null,
        ];
        self.row(values)
    }
    fn mandate(&mut self, line: u64, m: &Mandate) -> io::Result<()> {
        if self.shape != Shape::AvtaleGiro {
            self.skipped += 1;
            return Ok(());
        }
        let (dt, tn, dr) = self.head();
        let (a, _) = self.assignment.clone().ok_or_else(|| io::Error::other("mandate outside an assignment"))?;
        let values = vec![
            json!(line),
            dt,
            tn,
            dr,
            json!(24),
            json!(a.assignment_number),
            json!(a.assignment_account),
            json!(94),
            json!(m.serial_number.unwrap_or(0)),
            Value::Null,
            Value::Null,
            Value::Null,
            text_value(&m.kid),
            Value::Null,
            Value::Null,
            Value::Null,
            json!(m.registration_type),
            json!(if m.written_notification { "J" } else { "N" }),
        ];
        self.row(values)
    }
    fn verbatim(&mut self, _line: u64, _record: &str) -> io::Result<()> {
        Ok(())
    }
    fn assignment_end(&mut self, _nets_date: Option<NaiveDate>) -> io::Result<()> {
        self.assignment = None;
        Ok(())
    }
    fn transmission_end(&mut self, _date: Option<NaiveDate>) -> io::Result<()> {
        Ok(())
    }
}

/// The printed notification text of a claim: 42 lines of 80 characters, column 1 holding
/// characters 1–40 and column 2 characters 41–80; lines joined with `\n`, trailing blanks and
/// trailing empty lines dropped.
pub fn specification_text(spec: &[(u8, u8, String)]) -> String {
    let mut lines: Vec<[String; 2]> = vec![[String::new(), String::new()]; 42];
    for (l, c, t) in spec {
        if (1..=42).contains(l) && (1..=2).contains(c) {
            lines[usize::from(*l) - 1][usize::from(*c) - 1] = t.clone();
        }
    }
    let printed: Vec<String> =
        lines.iter().map(|[a, b]| if b.trim().is_empty() { a.trim_end().to_owned() } else { format!("{a:<40}{}", b.trim_end()) }).collect();
    let last = printed.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    printed[..last].join("\n")
}

/// Splits printed notification text into specification records (never an empty one).
pub fn split_specification(text: &str) -> Result<Vec<(u8, u8, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        if chars.len() > 80 {
            return Err(format!("specification line {} has {} characters, at most 80 fit", i + 1, chars.len()));
        }
        if i >= 42 {
            if chars.iter().all(|c| *c == ' ') {
                continue;
            }
            return Err("specification has more than 42 lines".to_owned());
        }
        let (a, b): (String, String) = (chars.iter().take(40).collect(), chars.iter().skip(40).collect());
        if !a.trim().is_empty() {
            out.push((i as u8 + 1, 1, a.trim_end().to_owned()));
        }
        if !b.trim().is_empty() {
            out.push((i as u8 + 1, 2, b.trim_end().to_owned()));
        }
    }
    Ok(out)
}

/// Builds a Nets file from flat CSV rows (`shape` from the header). Every row problem is
/// reported; nothing is written when there is one. Returns the findings.
pub fn build_from_csv(input: impl Read, file: &str, out: impl Write, today_encoding: TextEncoding) -> io::Result<(FileReport, bool)> {
    let mut rdr = csv::ReaderBuilder::new().delimiter(b';').flexible(true).from_reader(input);
    let mut findings = Findings::new(file, None);
    let header: Vec<String> = rdr.headers().map_err(io::Error::other)?.iter().map(str::to_owned).collect();
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(shape) = Shape::from_header(&hdr) else {
        findings.push(Diagnostic::error("IO006", 1, 1, "header row is not the ocr-giro or avtalegiro flat-row header").field("header"));
        return Ok((FileReport::new("csv", 0, findings, None), false));
    };
    let col: HashMap<&str, usize> = hdr.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut events: Vec<Ev> = Vec::new();
    let mut rows = 0u64;
    let mut current: Option<String> = None;
    let mut start_done = false;
    let mut trans_date: Option<NaiveDate> = None;
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        rows += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                findings.push(Diagnostic::error("IO003", line, 1, format!("row cannot be read: {e}")).field("row"));
                continue;
            }
        };
        if rec.len() != hdr.len() {
            findings.push(Diagnostic::error("OCR005", line, 1, format!("row has {} fields, the header {}", rec.len(), hdr.len())).field("row"));
            continue;
        }
        let mut row = RowReader { rec: &rec, col: &col, line, findings: &mut findings };
        if !start_done {
            start_done = true;
            events.push(Ev::Start(TransmissionStart {
                data_transmitter: row.s("data_transmitter"),
                transmission_number: row.s("transmission_number"),
                data_recipient: row.s("data_recipient"),
            }));
            if shape == Shape::OcrGiro {
                trans_date = row.date("transmission_nets_date");
            }
        }
        let (key, assignment) = match shape {
            Shape::OcrGiro => {
                let a = Assignment {
                    agreement_id: row.s("agreement_id"),
                    assignment_number: row.s("assignment_number"),
                    assignment_account: row.s("assignment_account"),
                    nets_date: row.date("assignment_nets_date"),
                    items: Items::Ocr(Vec::new()),
                };
                (format!("{}|{}|{}", a.agreement_id, a.assignment_number, a.assignment_account), a)
            }
            Shape::AvtaleGiro => {
                let atype = row.s("assignment_type");
                let items = match atype.as_str() {
                    "36" => Items::Cancellations(Vec::new()),
                    "24" => Items::Mandates(Vec::new()),
                    "0" | "00" | "" => Items::Claims(Vec::new()),
                    other => {
                        row.bad("assignment_type", format!("must be 0 (claims), 24 (mandates) or 36 (cancellations), found '{other}'"));
                        Items::Claims(Vec::new())
                    }
                };
                let a = Assignment {
                    agreement_id: "0".to_owned(),
                    assignment_number: row.s("assignment_number"),
                    assignment_account: row.s("assignment_account"),
                    nets_date: None,
                    items,
                };
                (format!("{atype}|{}|{}", a.assignment_number, a.assignment_account), a)
            }
        };
        if current.as_deref() != Some(&key) {
            if current.is_some() {
                events.push(Ev::End);
            }
            current = Some(key);
            events.push(Ev::Assignment(assignment.clone()));
        }
        let number = row.opt_u32("transaction_number");
        match (shape, &assignment.items) {
            (Shape::OcrGiro, _) => {
                let amount = row.amount();
                let sign = row.s("sign");
                let t = OcrTransaction {
                    transaction_type: row.u8("transaction_type"),
                    transaction_number: number,
                    nets_date: row.date("nets_date"),
                    centre_id: row.s("centre_id"),
                    day_code: row.s("day_code"),
                    partial_settlement_number: row.s("partial_settlement_number"),
                    partial_settlement_serial_number: row.s("partial_settlement_serial_number"),
                    negative: sign == "-" || amount < 0,
                    amount_ore: amount.unsigned_abs(),
                    kid: row.s("kid"),
                    card_issuer: row.s("card_issuer"),
                    form_number: row.s("form_number"),
                    reference: row.s("reference"),
                    filler_35_41: row.s("filler_35_41"),
                    bank_date: row.date("bank_date"),
                    debit_account: row.s("debit_account"),
                    text: row.s("text"),
                };
                events.push(Ev::Ocr(line, t));
            }
            (Shape::AvtaleGiro, Items::Mandates(_)) => {
                let m = Mandate {
                    serial_number: number,
                    registration_type: row.u8("registration_type"),
                    kid: row.s("kid"),
                    written_notification: row.s("notify") == "J",
                };
                events.push(Ev::Mandate(line, m));
            }
            (Shape::AvtaleGiro, items) => {
                let amount = row.amount();
                if amount < 0 {
                    row.bad("amount", "a claim amount cannot be negative".to_owned());
                }
                let spec = match split_specification(&row.s("specification")) {
                    Ok(s) => s,
                    Err(e) => {
                        row.bad("specification", e);
                        Vec::new()
                    }
                };
                let c = Claim {
                    transaction_type: row.u8("transaction_type"),
                    transaction_number: number,
                    due_date: row.date("due_date"),
                    filler_22_32: String::new(),
                    amount_ore: amount.unsigned_abs(),
                    kid: row.s("kid"),
                    short_name: row.s("short_name"),
                    external_reference: row.s("external_reference"),
                    has_item_2: !matches!(items, Items::Cancellations(_)) || !row.s("short_name").is_empty() || !row.s("external_reference").is_empty(),
                    specification: spec,
                };
                events.push(Ev::Claim(line, c));
            }
        }
    }
    if current.is_some() {
        events.push(Ev::End);
    }
    if rows == 0 {
        findings.push(Diagnostic::error("OCR040", 2, 1, "CSV has a header but no rows; there is nothing to write").field("row"));
    }
    if findings.errors() > 0 {
        return Ok((FileReport::new("csv", rows, findings, None), false));
    }
    let mut w = Writer::new(out, LineEnding::Crlf, today_encoding, TotalsConvention::Net);
    for ev in &events {
        let r = match ev {
            Ev::Start(s) => w.transmission_start(s),
            Ev::Assignment(a) => w.assignment_start(0, a),
            Ev::Ocr(l, t) => w.ocr(*l, t),
            Ev::Claim(l, c) => w.claim(*l, c),
            Ev::Mandate(l, m) => w.mandate(*l, m),
            Ev::End => w.assignment_end(None),
        };
        if let Err(e) = r {
            let line = match ev {
                Ev::Ocr(l, _) | Ev::Claim(l, _) | Ev::Mandate(l, _) => *l,
                _ => 2,
            };
            findings.push(Diagnostic::error("OCR005", line, 1, e.to_string()).field("row"));
            return Ok((FileReport::new("csv", rows, findings, None), false));
        }
    }
    w.transmission_end(trans_date)?;
    Ok((FileReport::new("csv", rows, findings, None), true))
}

enum Ev {
    Start(TransmissionStart),
    Assignment(Assignment),
    Ocr(u64, OcrTransaction),
    Claim(u64, Claim),
    Mandate(u64, Mandate),
    End,
}

struct RowReader<'a> {
    rec: &'a csv::StringRecord,
    col: &'a HashMap<&'a str, usize>,
    line: u64,
    findings: &'a mut Findings,
}

impl RowReader<'_> {
    fn s(&self, name: &str) -> String {
        self.col.get(name).and_then(|&i| self.rec.get(i)).unwrap_or("").to_owned()
    }
    fn column(&self, name: &str) -> u32 {
        self.col.get(name).map_or(1, |&i| i as u32 + 1)
    }
    fn bad(&mut self, name: &'static str, message: String) {
        let column = self.column(name);
        self.findings.push(Diagnostic::error("OCR005", self.line, column, format!("{name}: {message}")).field(name));
    }
    fn date(&mut self, name: &'static str) -> Option<NaiveDate> {
        let v = self.s(name);
        if v.is_empty() {
            return None;
        }
        match parse_compact_or_iso(v.as_bytes()) {
            Ok(d) => Some(d),
            Err(e) => {
                let column = self.column(name);
                self.findings.push(Diagnostic::error("OCR006", self.line, column, format!("{name} must be a date YYYY-MM-DD, found '{v}' ({e})")).field(name));
                None
            }
        }
    }
    fn u8(&mut self, name: &'static str) -> u8 {
        let v = self.s(name);
        v.parse().unwrap_or_else(|_| {
            self.bad(name, format!("must be a number, found '{v}'"));
            0
        })
    }
    fn opt_u32(&mut self, name: &'static str) -> Option<u32> {
        let v = self.s(name);
        if v.is_empty() {
            return None;
        }
        v.parse().map(Some).unwrap_or_else(|_| {
            self.bad(name, format!("must be a number, found '{v}'"));
            None
        })
    }
    fn amount(&mut self) -> i64 {
        let ore = self.s("amount_ore");
        if !ore.is_empty() {
            return ore.parse().unwrap_or_else(|_| {
                self.bad("amount_ore", format!("must be whole øre, found '{ore}'"));
                0
            });
        }
        let kr = self.s("amount");
        kidkit_core::amount::parse_kroner(&kr, kidkit_core::amount::AmountSyntax::EITHER).unwrap_or_else(|e| {
            self.bad("amount", format!("{e}, found '{kr}'"));
            0
        })
    }
}
