//! Writing Nets files. [`Writer`] takes the content in order (it implements [`Events`]) and
//! computes transaction numbers, every count, sum and date of the end records itself, so a
//! file built from CSV, JSON or the Rust API is always consistent.

use std::io::{self, Write};

use chrono::NaiveDate;
use kidkit_core::{Fail, LineEnding, Refusals, TextEncoding, encode, fits_ddmmyy, format_ddmmyy};

use crate::assemble::Events;
use crate::kind::{AgAssignment, RecordKind};
use crate::layout::layout;
use crate::model::{Assignment, Claim, Items, Mandate, OcrTransaction, Transmission, TransmissionStart};
use crate::structure::TotalsConvention;

/// A value that does not fit its field. The writer keeps it ([`Writer::refusal`]) and answers
/// the write with an `io::Error` of kind `InvalidData` that says only that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: output line {line} ({record}), field {field}: {message}")]
pub struct FieldError {
    /// `OCR005` (bad value) or `IO005` (character the encoding cannot hold).
    pub code: &'static str,
    /// Line in the output.
    pub line: u64,
    /// Record name.
    pub record: &'static str,
    /// Field name.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl From<FieldError> for Fail<FieldError> {
    fn from(e: FieldError) -> Self {
        Fail::Refused(e)
    }
}

/// Builds one 80-character record field by field.
struct Line {
    kind: RecordKind,
    buf: String,
    /// Line number in the output.
    at: u64,
    /// The table's next field to look at.
    cursor: usize,
}

impl Line {
    fn new(kind: RecordKind, line: u64) -> Self {
        let mut buf = String::with_capacity(96);
        buf.push_str(&kind.id());
        Line { kind, buf, at: line, cursor: 0 }
    }
    fn fail(&self, field: &'static str, message: String) -> FieldError {
        FieldError { code: "OCR005", line: self.at, record: layout(self.kind).name, field, message }
    }
    /// The next field, `name`, from the record's table: its width. Fields are written in column
    /// order, so the one named is at or after the cursor; a name the table lacks there is a
    /// mistake in kidkit (the writer tests write every record), refused like a value.
    fn next(&mut self, name: &'static str) -> Result<usize, FieldError> {
        let l = layout(self.kind);
        let Some(i) = l.fields[self.cursor..].iter().position(|f| f.name == name) else {
            return Err(self.fail(
                name,
                format!("is not a field of the {} record after column {}", l.name, self.buf.chars().count()),
            ));
        };
        let f = l.fields[self.cursor + i];
        self.cursor += i + 1;
        debug_assert_eq!(self.buf.chars().count() + 1, usize::from(f.start), "{} of {} out of order", name, l.name);
        Ok(usize::from(f.len))
    }
    fn digits(&mut self, field: &'static str, value: &str) -> Result<&mut Self, FieldError> {
        let width = self.next(field)?;
        if !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > width {
            return Err(self.fail(field, format!("must be at most {width} digits, got '{value}'")));
        }
        for _ in value.len()..width {
            self.buf.push('0');
        }
        self.buf.push_str(value);
        Ok(self)
    }
    fn num(&mut self, field: &'static str, value: u64) -> Result<&mut Self, FieldError> {
        self.digits(field, &value.to_string())
    }
    fn text(&mut self, field: &'static str, value: &str) -> Result<&mut Self, FieldError> {
        let width = self.next(field)?;
        let n = value.chars().count();
        if n > width {
            return Err(self.fail(field, format!("holds {n} characters, at most {width} fit")));
        }
        if !value.chars().all(kidkit_core::is_record_char) {
            return Err(self.fail(field, "holds a control character".to_owned()));
        }
        self.buf.push_str(value);
        for _ in n..width {
            self.buf.push(' ');
        }
        Ok(self)
    }
    fn kid(&mut self, field: &'static str, kid: &str) -> Result<&mut Self, FieldError> {
        let width = self.next(field)?;
        if !kid.bytes().all(|b| b.is_ascii_digit()) || kid.len() > width {
            return Err(self.fail(field, format!("a KID in a Nets file is at most {width} digits, got '{kid}'")));
        }
        for _ in kid.len()..width {
            self.buf.push(' ');
        }
        self.buf.push_str(kid);
        Ok(self)
    }
    fn date(&mut self, field: &'static str, d: Option<NaiveDate>) -> Result<&mut Self, FieldError> {
        self.next(field)?;
        match d {
            None => self.buf.push_str("000000"),
            Some(d) if fits_ddmmyy(d) => self.buf.push_str(&format_ddmmyy(d)),
            Some(d) => return Err(self.fail(field, format!("{d} cannot be written as DDMMYY (years 1980-2079)"))),
        }
        Ok(self)
    }
    fn zeros(&mut self, to_column: usize) -> &mut Self {
        let have = if self.buf.is_ascii() { self.buf.len() } else { self.buf.chars().count() };
        for _ in have..to_column {
            self.buf.push('0');
        }
        self
    }
    /// A one-character code (a sign, a flag) written as given.
    fn code(&mut self, field: &'static str, s: &str) -> Result<&mut Self, FieldError> {
        self.next(field)?;
        self.buf.push_str(s);
        Ok(self)
    }
}

#[derive(Debug, Default, Clone)]
struct Acc {
    txns: u64,
    records: u64,
    net: i128,
    gross: i128,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    last_number: u32,
}

impl Acc {
    fn date(&mut self, d: Option<NaiveDate>) {
        if let Some(d) = d {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
    }
    fn amount(&mut self, ore: u64, negative: bool) {
        let a = i128::from(ore);
        self.gross += a;
        self.net += if negative { -a } else { a };
    }
}

/// Writes a Nets file record by record.
pub struct Writer<W: Write> {
    out: W,
    ending: LineEnding,
    encoding: TextEncoding,
    convention: TotalsConvention,
    line: u64,
    kind: Option<RecordKind>,
    asg: Acc,
    total: Acc,
    claims: bool,
    assignments: u64,
    mandate_assignments: u64,
    refused: Refusals<FieldError>,
}

impl<W: Write> Writer<W> {
    /// A writer with the given line ending (CRLF for new files), encoding (ISO-8859-1 for new
    /// files) and totals convention (net for new files).
    pub fn new(out: W, ending: LineEnding, encoding: TextEncoding, convention: TotalsConvention) -> Self {
        Writer {
            out,
            ending: if ending == LineEnding::None { LineEnding::Crlf } else { ending },
            encoding,
            convention,
            line: 0,
            kind: None,
            asg: Acc::default(),
            total: Acc::default(),
            claims: false,
            assignments: 0,
            mandate_assignments: 0,
            refused: Refusals::default(),
        }
    }

    /// The value that stopped the last write, if a value did (rather than the output): taken,
    /// so that it is reported once.
    pub fn refusal(&mut self) -> Option<FieldError> {
        self.refused.take()
    }

    /// A write's outcome as `Events` gives it: a refused value is kept for [`Writer::refusal`].
    fn settle(&mut self, r: Result<(), Fail<FieldError>>) -> io::Result<()> {
        self.refused.settle(r)
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn line(&mut self, kind: RecordKind) -> Line {
        self.line += 1;
        Line::new(kind, self.line)
    }

    fn emit(&mut self, l: &mut Line) -> Result<(), Fail<FieldError>> {
        l.zeros(0);
        if l.buf.chars().count() != 80 {
            return Err(l.fail("record", format!("would be {} characters, not 80", l.buf.chars().count())).into());
        }
        let bytes = encode(&l.buf, self.encoding).map_err(|e| {
            let column = e.position as u16;
            let field = layout(l.kind)
                .fields
                .iter()
                .find(|f| f.start <= column && column <= f.end())
                .map_or("record", |f| f.name);
            Fail::Refused(FieldError {
                code: "IO005",
                line: l.at,
                record: layout(l.kind).name,
                field,
                message: format!(
                    "character {:?} (U+{:04X}) cannot be written in {}",
                    e.ch,
                    u32::from(e.ch),
                    self.encoding
                ),
            })
        })?;
        self.out.write_all(&bytes)?;
        self.out.write_all(self.ending.as_bytes())?;
        self.asg.records += 1;
        self.total.records += 1;
        Ok(())
    }

    fn total_for(&self, acc: &Acc) -> Result<u64, FieldError> {
        let v = if self.convention == TotalsConvention::Net { acc.net } else { acc.gross };
        u64::try_from(v).map_err(|_| FieldError {
            code: "OCR005",
            line: self.line + 1,
            record: "end record",
            field: "total_amount",
            message: format!("the net total is negative ({v} øre) and cannot be written"),
        })
    }

    fn next_number(acc: &mut Acc, given: Option<u32>) -> u32 {
        let n = given.unwrap_or(acc.last_number + 1);
        acc.last_number = n;
        n
    }
}

/// The records of each event, before a refusal is set aside (see [`Events for Writer`]).
impl<W: Write> Writer<W> {
    fn write_transmission_start(&mut self, s: &TransmissionStart) -> Result<(), Fail<FieldError>> {
        let mut l = self.line(RecordKind::TransmissionStart);
        l.digits("data_transmitter", &s.data_transmitter)?
            .digits("transmission_number", &s.transmission_number)?
            .digits("data_recipient", &s.data_recipient)?
            .zeros(80);
        self.total = Acc::default();
        self.emit(&mut l)
    }

    fn write_assignment_start(&mut self, _line: u64, a: &Assignment) -> Result<(), Fail<FieldError>> {
        let kind = match &a.items {
            Items::Ocr(_) => RecordKind::OcrAssignmentStart,
            Items::Claims(_) => RecordKind::AgAssignmentStart(AgAssignment::Claims),
            Items::Cancellations(_) => RecordKind::AgAssignmentStart(AgAssignment::Cancellations),
            Items::Mandates(_) => RecordKind::AgAssignmentStart(AgAssignment::Mandates),
            Items::Verbatim(_) => return Ok(()),
        };
        self.asg = Acc::default();
        self.kind = Some(kind);
        self.assignments += 1;
        self.claims |= matches!(a.items, Items::Claims(_) | Items::Cancellations(_));
        self.mandate_assignments += u64::from(matches!(a.items, Items::Mandates(_)));
        let mut l = self.line(kind);
        let first = if kind == RecordKind::OcrAssignmentStart { "agreement_id" } else { "filler_9_17" };
        l.digits(first, &a.agreement_id)?
            .digits("assignment_number", &a.assignment_number)?
            .digits("assignment_account", &a.assignment_account)?
            .zeros(80);
        self.emit(&mut l)
    }

    fn write_ocr(&mut self, _line: u64, t: &OcrTransaction) -> Result<(), Fail<FieldError>> {
        let tt = t.transaction_type;
        if !(10..=21).contains(&tt) {
            return Err(Line::new(RecordKind::OcrItem1(10), self.line + 1)
                .fail("transaction_type", format!("{tt} is not 10-21"))
                .into());
        }
        if !t.text.is_empty() && !matches!(tt, 20 | 21) {
            // only types 20 and 21 have an amount item 3 to hold a text
            return Err(Line::new(RecordKind::OcrItem1(tt), self.line + 1)
                .fail("text", format!("transaction type {tt} has no amount item 3 to hold a text (only 20 and 21 do)"))
                .into());
        }
        let n = Self::next_number(&mut self.asg, t.transaction_number);
        self.asg.txns += 1;
        self.total.txns += 1;
        self.asg.amount(t.amount_ore, t.negative);
        self.total.amount(t.amount_ore, t.negative);
        self.asg.date(t.nets_date);
        self.total.date(t.nets_date);
        let n = u64::from(n);
        let mut l = self.line(RecordKind::OcrItem1(tt));
        l.num("transaction_number", n)?
            .date("nets_date", t.nets_date)?
            .digits("centre_id", &t.centre_id)?
            .digits("day_code", &t.day_code)?
            .digits("partial_settlement_number", &t.partial_settlement_number)?
            .digits("partial_settlement_serial_number", &t.partial_settlement_serial_number)?
            .code("sign", if t.negative { "-" } else { "0" })?
            .num("amount", t.amount_ore)?
            .kid("kid", &t.kid)?
            .digits("card_issuer", &t.card_issuer)?
            .zeros(80);
        self.emit(&mut l)?;
        let mut l = self.line(RecordKind::OcrItem2(tt));
        l.num("transaction_number", n)?
            .digits("form_number", &t.form_number)?
            .digits("reference", &t.reference)?
            .digits("filler_35_41", &t.filler_35_41)?
            .date("bank_date", t.bank_date)?
            .digits("debit_account", &t.debit_account)?
            .zeros(80);
        self.emit(&mut l)?;
        if matches!(tt, 20 | 21) {
            let mut l = self.line(RecordKind::OcrItem3(tt));
            l.num("transaction_number", n)?.text("text", &t.text)?.zeros(80);
            self.emit(&mut l)?;
        }
        Ok(())
    }

    fn write_claim(&mut self, _line: u64, c: &Claim) -> Result<(), Fail<FieldError>> {
        let tt = c.transaction_type;
        let n = u64::from(Self::next_number(&mut self.asg, c.transaction_number));
        self.asg.txns += 1;
        self.total.txns += 1;
        self.asg.amount(c.amount_ore, false);
        self.total.amount(c.amount_ore, false);
        self.asg.date(c.due_date);
        self.total.date(c.due_date);
        let mut l = self.line(RecordKind::AgItem1(tt));
        l.num("transaction_number", n)?
            .date("due_date", c.due_date)?
            .text("filler_22_32", &c.filler_22_32)?
            .num("amount", c.amount_ore)?
            .kid("kid", &c.kid)?
            .zeros(80);
        self.emit(&mut l)?;
        if c.has_item_2 || tt != 93 {
            let mut l = self.line(RecordKind::AgItem2(tt));
            l.num("transaction_number", n)?
                .text("short_name", &c.short_name)?
                .text("filler_26_50", "")?
                .text("external_reference", &c.external_reference)?
                .zeros(80);
            self.emit(&mut l)?;
        }
        for (line_no, col, text) in &c.specification {
            let mut l = self.line(RecordKind::Specification);
            l.num("transaction_number", n)?
                .code("payment_notification", "4")?
                .num("line_number", u64::from(*line_no))?
                .num("column_number", u64::from(*col))?
                .text("text", text)?
                .zeros(80);
            self.emit(&mut l)?;
        }
        Ok(())
    }

    fn write_mandate(&mut self, _line: u64, m: &Mandate) -> Result<(), Fail<FieldError>> {
        let n = u64::from(Self::next_number(&mut self.asg, m.serial_number));
        self.asg.txns += 1;
        self.total.txns += 1;
        let mut l = self.line(RecordKind::Mandate);
        l.num("fbo_serial_number", n)?
            .num("registration_type", u64::from(m.registration_type))?
            .kid("kid", &m.kid)?
            .code("written_notification", if m.written_notification { "J" } else { "N" })?
            .zeros(80);
        self.emit(&mut l)
    }

    fn write_verbatim(&mut self, _line: u64, record: &str) -> Result<(), Fail<FieldError>> {
        let kind = crate::kind::identify(record.as_bytes()).unwrap_or(RecordKind::Other { service: 0, record_type: 0 });
        if record.chars().count() != 80 {
            return Err(Line::new(kind, self.line + 1)
                .fail("record", "a verbatim record must be 80 characters".to_owned())
                .into());
        }
        let mut l = self.line(kind);
        l.buf.clear();
        l.buf.push_str(record);
        if let RecordKind::Other { record_type: 20, .. } = kind {
            self.assignments += 1;
        }
        if let RecordKind::Other { record_type: 88, .. } = kind {
            let b = record.as_bytes();
            let p = |r: std::ops::Range<usize>| {
                std::str::from_utf8(&b[r]).ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
            };
            self.total.txns += p(8..16);
            self.total.amount(p(24..41), false);
        }
        self.emit(&mut l)
    }

    fn write_assignment_end(&mut self, nets_date: Option<NaiveDate>) -> Result<(), Fail<FieldError>> {
        let Some(kind) = self.kind.take() else { return Ok(()) };
        let end = match kind {
            RecordKind::AgAssignmentStart(a) => RecordKind::AgAssignmentEnd(a),
            _ => RecordKind::OcrAssignmentEnd,
        };
        let acc = self.asg.clone();
        let mut l = self.line(end);
        l.num("number_of_transactions", acc.txns)?.num("number_of_records", acc.records + 1)?;
        match end {
            RecordKind::AgAssignmentEnd(AgAssignment::Mandates) => {}
            RecordKind::AgAssignmentEnd(_) => {
                l.num("total_amount", self.total_for(&acc)?)?
                    .date("first_due_date", acc.first)?
                    .date("last_due_date", acc.last)?;
            }
            _ => {
                let nets = nets_date.or(acc.last);
                l.num("total_amount", self.total_for(&acc)?)?
                    .date("nets_date", nets)?
                    .date("earliest_date", acc.first)?
                    .date("latest_date", acc.last)?;
            }
        }
        l.zeros(80);
        self.emit(&mut l)
    }

    fn write_transmission_end(&mut self, date: Option<NaiveDate>) -> Result<(), Fail<FieldError>> {
        let acc = self.total.clone();
        let date = if self.claims {
            // a claim transmission's end holds its first due date; a different one given is refused
            if let Some(given) = date.filter(|d| Some(*d) != acc.first) {
                let first = acc.first.map_or_else(|| "none".to_owned(), |d| d.to_string());
                let message =
                    format!("is {given}, but a transmission of claims ends with its first due date ({first})");
                return Err(self.line(RecordKind::TransmissionEnd).fail("transmission_date", message).into());
            }
            acc.first
        } else if date.is_none() && self.mandate_assignments < self.assignments {
            acc.last.or(date)
        } else {
            date
        };
        let mut l = self.line(RecordKind::TransmissionEnd);
        l.num("number_of_transactions", acc.txns)?
            .num("number_of_records", acc.records + 1)?
            .num("total_amount", self.total_for(&acc)?)?
            .date("date", date)?
            .zeros(80);
        self.emit(&mut l)?;
        Ok(self.out.flush()?)
    }
}

impl<W: Write> Events for Writer<W> {
    fn transmission_start(&mut self, s: &TransmissionStart) -> io::Result<()> {
        let r = self.write_transmission_start(s);
        self.settle(r)
    }
    fn assignment_start(&mut self, line: u64, a: &Assignment) -> io::Result<()> {
        let r = self.write_assignment_start(line, a);
        self.settle(r)
    }
    fn ocr(&mut self, line: u64, t: &OcrTransaction) -> io::Result<()> {
        let r = self.write_ocr(line, t);
        self.settle(r)
    }
    fn claim(&mut self, line: u64, c: &Claim) -> io::Result<()> {
        let r = self.write_claim(line, c);
        self.settle(r)
    }
    fn mandate(&mut self, line: u64, m: &Mandate) -> io::Result<()> {
        let r = self.write_mandate(line, m);
        self.settle(r)
    }
    fn verbatim(&mut self, line: u64, record: &str) -> io::Result<()> {
        let r = self.write_verbatim(line, record);
        self.settle(r)
    }
    fn assignment_end(&mut self, nets_date: Option<NaiveDate>) -> io::Result<()> {
        let r = self.write_assignment_end(nets_date);
        self.settle(r)
    }
    fn transmission_end(&mut self, date: Option<NaiveDate>) -> io::Result<()> {
        let r = self.write_transmission_end(date);
        self.settle(r)
    }
}

/// Writes a whole transmission.
pub fn write_transmission<W: Write>(t: &Transmission, writer: &mut Writer<W>) -> io::Result<()> {
    writer.transmission_start(&t.start)?;
    for a in &t.assignments {
        if let Items::Verbatim(records) = &a.items {
            for r in records {
                writer.verbatim(0, r)?;
            }
            continue;
        }
        writer.assignment_start(0, a)?;
        match &a.items {
            Items::Ocr(v) => v.iter().try_for_each(|t| writer.ocr(0, t))?,
            Items::Claims(v) | Items::Cancellations(v) => v.iter().try_for_each(|c| writer.claim(0, c))?,
            Items::Mandates(v) => v.iter().try_for_each(|m| writer.mandate(0, m))?,
            Items::Verbatim(_) => {}
        }
        writer.assignment_end(a.nets_date)?;
    }
    writer.transmission_end(t.nets_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_does_not_fit_is_kept_for_the_caller_not_hidden_in_the_io_error() {
        let mut w = Writer::new(Vec::new(), LineEnding::Crlf, TextEncoding::Latin1, TotalsConvention::Net);
        let start = TransmissionStart {
            data_transmitter: "123456789".to_owned(),
            transmission_number: "1".to_owned(),
            data_recipient: "8080".to_owned(),
        };
        let e = w.transmission_start(&start).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(e.get_ref().is_none_or(|inner| inner.downcast_ref::<FieldError>().is_none()), "nothing smuggled");
        let refused = w.refusal().expect("the writer keeps what it refused");
        assert_eq!((refused.code, refused.field, refused.line), ("OCR005", "data_transmitter", 1));
        assert!(refused.message.contains("at most 8 digits"), "{}", refused.message);
        assert!(w.refusal().is_none(), "taken once");
    }
}
