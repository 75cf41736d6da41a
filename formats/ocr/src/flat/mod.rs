//! Flat rows: one row per OCR giro transaction, or per AvtaleGiro claim, cancellation or mandate,
//! as CSV (`;`, header row, LF) or NDJSON; and building a Nets file back from such rows.

use std::io::{self, Write};

use chrono::NaiveDate;
use kidkit_core::format_point;

use crate::assemble::Events;
use crate::model::{Assignment, Claim, Items, Mandate, OcrTransaction, TransmissionStart};
use crate::structure::EndDates;

mod build;

pub use build::build_from_rows;

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
    "transmission_date",
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
    /// The columns every row gives alike, naming the one transmission: its sender, number,
    /// recipient and end date.
    pub fn transmission_columns(self) -> [&'static str; 4] {
        let date = match self {
            Shape::OcrGiro => "transmission_nets_date",
            Shape::AvtaleGiro => "transmission_date",
        };
        ["data_transmitter", "transmission_number", "data_recipient", date]
    }
    /// The shape whose CSV header is `header`, if any.
    pub fn from_header(header: &[&str]) -> Option<Shape> {
        [Shape::OcrGiro, Shape::AvtaleGiro].into_iter().find(|s| s.columns() == header)
    }
}

pub use kidkit_core::RowFormat;

/// One cell of a row.
enum Cell<'a> {
    Null,
    Str(&'a str),
    Owned(String),
    Int(i64),
}

fn date_cell(d: Option<NaiveDate>) -> Cell<'static> {
    d.map_or(Cell::Null, |d| Cell::Owned(d.to_string()))
}

fn text_cell(s: &str) -> Cell<'_> {
    let t = s.trim_end();
    if t.is_empty() { Cell::Null } else { Cell::Str(t) }
}

fn int_cell(s: &str) -> Cell<'static> {
    s.parse::<i64>().map_or(Cell::Null, Cell::Int)
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Ndjson(W),
}

impl<W: Write> Sink<W> {
    fn write(&mut self, columns: &[&str], cells: &[Cell<'_>]) -> io::Result<()> {
        match self {
            Sink::Csv(w) => {
                let mut num = itoa::Buffer::new();
                for c in cells {
                    match c {
                        Cell::Null => w.write_field(b""),
                        Cell::Str(s) => w.write_field(s),
                        Cell::Owned(s) => w.write_field(s),
                        Cell::Int(i) => w.write_field(num.format(*i)),
                    }
                    .map_err(io::Error::other)?;
                }
                w.write_record(None::<&[u8]>).map_err(io::Error::other)
            }
            Sink::Ndjson(out) => {
                out.write_all(b"{")?;
                for (i, (name, c)) in columns.iter().zip(cells).enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    // column names are plain ASCII words: quoted as they are
                    out.write_all(b"\"")?;
                    out.write_all(name.as_bytes())?;
                    out.write_all(b"\":")?;
                    match c {
                        Cell::Null => out.write_all(b"null")?,
                        Cell::Str(s) => serde_json::to_writer(&mut *out, s)?,
                        Cell::Owned(s) => serde_json::to_writer(&mut *out, s)?,
                        Cell::Int(n) => out.write_all(itoa::Buffer::new().format(*n).as_bytes())?,
                    }
                }
                out.write_all(b"}\n")
            }
        }
    }
}

/// Writes flat rows as the file's content comes (an [`Events`] receiver).
pub struct RowWriter<W: Write> {
    sink: Sink<W>,
    shape: Shape,
    ends: EndDates,
    start: TransmissionStart,
    assignment: Option<Assignment>,
    assignment_index: usize,
    assignment_date: Cell<'static>,
    transmission_date: Cell<'static>,
    /// Rows written.
    pub rows: u64,
    skipped: u64,
}

impl<W: Write> RowWriter<W> {
    /// A writer of `shape` rows in `format`; `ends` from a first reading of the file.
    pub fn new(out: W, shape: Shape, format: RowFormat, ends: EndDates) -> Self {
        let sink = match format {
            RowFormat::Csv => {
                let mut w =
                    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(out);
                // the header is written even for a file without rows
                let _ = w.write_record(shape.columns());
                Sink::Csv(Box::new(w))
            }
            RowFormat::Ndjson => Sink::Ndjson(out),
        };
        let transmission_date = date_cell(ends.transmission);
        RowWriter {
            sink,
            shape,
            ends,
            start: TransmissionStart {
                data_transmitter: String::new(),
                transmission_number: String::new(),
                data_recipient: String::new(),
            },
            assignment: None,
            assignment_index: 0,
            assignment_date: Cell::Null,
            transmission_date,
            rows: 0,
            skipped: 0,
        }
    }

    /// Items that have no row in this shape (AvtaleGiro items in OCR rows and the other way).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        match self.sink {
            Sink::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
            Sink::Ndjson(mut w) => {
                w.flush()?;
                Ok(w)
            }
        }
    }
}

/// A date cell computed once per file or assignment, lent to each row.
fn dates<'c>(c: &'c Cell<'static>) -> Cell<'c> {
    match c {
        Cell::Owned(s) => Cell::Str(s.as_str()),
        _ => Cell::Null,
    }
}

impl<W: Write> Events for RowWriter<W> {
    fn transmission_start(&mut self, start: &TransmissionStart) -> io::Result<()> {
        self.start = start.clone();
        Ok(())
    }
    fn assignment_start(&mut self, _line: u64, a: &Assignment) -> io::Result<()> {
        self.assignment_date = date_cell(self.ends.assignments.get(self.assignment_index).copied().flatten());
        self.assignment = Some(a.clone());
        self.assignment_index += 1;
        Ok(())
    }
    fn ocr(&mut self, line: u64, t: &OcrTransaction) -> io::Result<()> {
        if self.shape != Shape::OcrGiro {
            self.skipped += 1;
            return Ok(());
        }
        let Some(a) = &self.assignment else { return Err(io::Error::other("transaction outside an assignment")) };
        let signed = if t.negative { -(t.amount_ore as i64) } else { t.amount_ore as i64 };
        let cells = [
            Cell::Int(line as i64),
            Cell::Str(&self.start.data_transmitter),
            Cell::Str(&self.start.transmission_number),
            Cell::Str(&self.start.data_recipient),
            dates(&self.transmission_date),
            Cell::Int(9),
            Cell::Str(&a.assignment_number),
            Cell::Str(&a.agreement_id),
            Cell::Str(&a.assignment_account),
            dates(&self.assignment_date),
            Cell::Int(i64::from(t.transaction_type)),
            Cell::Int(i64::from(t.transaction_number.unwrap_or(0))),
            date_cell(t.nets_date),
            Cell::Owned(format_point(signed)),
            Cell::Int(signed),
            text_cell(&t.kid),
            Cell::Str(&t.centre_id),
            int_cell(&t.day_code),
            int_cell(&t.partial_settlement_number),
            Cell::Str(&t.partial_settlement_serial_number),
            Cell::Str(if t.negative { "-" } else { "0" }),
            Cell::Str(&t.card_issuer),
            Cell::Str(&t.form_number),
            Cell::Str(&t.reference),
            Cell::Str(&t.filler_35_41),
            date_cell(t.bank_date),
            Cell::Str(&t.debit_account),
            text_cell(&t.text),
        ];
        self.rows += 1;
        self.sink.write(OCR_COLUMNS, &cells)
    }
    fn claim(&mut self, line: u64, c: &Claim) -> io::Result<()> {
        if self.shape != Shape::AvtaleGiro {
            self.skipped += 1;
            return Ok(());
        }
        let Some(a) = &self.assignment else { return Err(io::Error::other("claim outside an assignment")) };
        let atype = if matches!(a.items, Items::Cancellations(_)) { 36 } else { 0 };
        let spec = specification_text(&c.specification);
        let cells = [
            Cell::Int(line as i64),
            Cell::Str(&self.start.data_transmitter),
            Cell::Str(&self.start.transmission_number),
            Cell::Str(&self.start.data_recipient),
            dates(&self.transmission_date),
            Cell::Int(atype),
            Cell::Str(&a.assignment_number),
            Cell::Str(&a.assignment_account),
            Cell::Int(i64::from(c.transaction_type)),
            Cell::Int(i64::from(c.transaction_number.unwrap_or(0))),
            date_cell(c.due_date),
            Cell::Owned(format_point(c.amount_ore as i64)),
            Cell::Int(c.amount_ore as i64),
            text_cell(&c.kid),
            text_cell(&c.short_name),
            text_cell(&c.external_reference),
            text_cell(&spec),
            Cell::Null,
            Cell::Null,
        ];
        self.rows += 1;
        self.sink.write(AG_COLUMNS, &cells)
    }
    fn mandate(&mut self, line: u64, m: &Mandate) -> io::Result<()> {
        if self.shape != Shape::AvtaleGiro {
            self.skipped += 1;
            return Ok(());
        }
        let Some(a) = &self.assignment else { return Err(io::Error::other("mandate outside an assignment")) };
        let cells = [
            Cell::Int(line as i64),
            Cell::Str(&self.start.data_transmitter),
            Cell::Str(&self.start.transmission_number),
            Cell::Str(&self.start.data_recipient),
            dates(&self.transmission_date),
            Cell::Int(24),
            Cell::Str(&a.assignment_number),
            Cell::Str(&a.assignment_account),
            Cell::Int(94),
            Cell::Int(i64::from(m.serial_number.unwrap_or(0))),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            text_cell(&m.kid),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Int(i64::from(m.registration_type)),
            Cell::Str(if m.written_notification { "J" } else { "N" }),
        ];
        self.rows += 1;
        self.sink.write(AG_COLUMNS, &cells)
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
            lines[usize::from(*l) - 1][usize::from(*c) - 1].clone_from(t);
        }
    }
    let printed: Vec<String> = lines
        .iter()
        .map(|[a, b]| if b.trim().is_empty() { a.trim_end().to_owned() } else { format!("{a:<40}{}", b.trim_end()) })
        .collect();
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
