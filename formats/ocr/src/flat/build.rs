//! Building a Nets file from flat rows (CSV or NDJSON): each row read, checked and written as it
//! comes; every row problem reported on its line and column.

use std::io::{self, Read, Write};

use chrono::NaiveDate;
use kidkit_core::{
    Columns, Diagnostic, FileReport, Findings, GivenOnce, LineEnding, Origins, RowMark, RowReader, RowSyntax,
    TextEncoding, columns_of, parse_compact_or_iso,
};

use super::{Shape, split_specification};
use crate::assemble::Events;
use crate::model::{Assignment, Claim, Items, Mandate, OcrTransaction, TransmissionStart};
use crate::structure::TotalsConvention;
use crate::write::Writer;

/// Builds a Nets file from flat CSV rows (`shape` from the header). Every row problem is
/// reported; nothing is written when there is one. Returns the findings. `origins` learns the
/// row each line written came from.
pub fn build_from_rows(
    input: impl Read,
    syntax: RowSyntax,
    file: &str,
    out: impl Write,
    origins: &mut Origins,
    today_encoding: TextEncoding,
) -> io::Result<(FileReport, bool)> {
    let mut findings = Findings::new(file, None);
    let mut rdr = match RowReader::new(input, syntax) {
        Ok(r) => r,
        Err(e) => {
            findings.push(e.finding());
            return Ok((FileReport::new("csv", 0, findings), false));
        }
    };
    let header: Vec<String> = rdr.headers().to_vec();
    let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(shape) = Shape::from_header(&hdr) else {
        findings.push(
            Diagnostic::error("IO003", 1, 1, "the header row is not that of ocr-giro or avtalegiro rows")
                .field("header"),
        );
        return Ok((FileReport::new("csv", 0, findings), false));
    };
    let col = columns_of(&hdr);
    origins.columns(&hdr);
    let mark = RowMark::default();
    let out = origins.trace(out, mark.clone());
    let mut events: Vec<Ev> = Vec::new();
    let mut rows = 0u64;
    // the assignment rows are in: its key and the line of its first row; the end date its rows
    // give alike
    let mut current: Option<(String, u64)> = None;
    let mut asg_given = GivenOnce::default();
    // the transmission every row belongs to: the line of its first row; the columns every row
    // gives alike
    let mut first: Option<u64> = None;
    let mut transmission = GivenOnce::default();
    let mut trans_date: Option<NaiveDate> = None;
    let trans_columns = shape.transmission_columns();
    let mut asg_date: Option<NaiveDate> = None;
    // rows are written as they come, while none has a problem; what was written is thrown away
    // by the caller when one turns up
    let mut w = Some(Writer::new(out, LineEnding::Crlf, today_encoding, TotalsConvention::Net));
    while let Some(rec) = rdr.next_row() {
        emit(&mut w, &mut events, &mut findings, &col, &mark)?;
        rows += 1;
        let (line, rec) = match rec {
            Ok(r) => (r.line, r.record),
            Err(e) => {
                findings.push(e.finding());
                continue;
            }
        };
        if rec.len() != hdr.len() {
            findings.push(
                Diagnostic::error("OCR005", line, 1, format!("row has {} fields, the header {}", rec.len(), hdr.len()))
                    .field("row"),
            );
            continue;
        }
        let mut row = RowValues { rec: &rec, col: &col, line, findings: &mut findings };
        row.given(&mut transmission, &trans_columns, "every row of a file belongs to its one transmission");
        if first.is_none() {
            first = Some(line);
            events.push(Ev::Start(
                line,
                TransmissionStart {
                    data_transmitter: row.s("data_transmitter"),
                    transmission_number: row.s("transmission_number"),
                    data_recipient: row.s("data_recipient"),
                },
            ));
            trans_date = row.date(trans_columns[3]);
        }
        let (key, assignment) = match shape {
            Shape::OcrGiro => {
                // every OCR giro assignment is service 09
                if !matches!(row.get("service_code"), "" | "9" | "09") {
                    let found = row.s("service_code");
                    row.bad("service_code", &format!("OCR giro rows are service 9, found '{found}'"));
                }
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
                        row.bad(
                            "assignment_type",
                            &format!("must be 0 (claims), 24 (mandates) or 36 (cancellations), found '{other}'"),
                        );
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
        if current.as_ref().is_none_or(|(k, _)| *k != key) {
            if let Some((_, at)) = current.take() {
                events.push(Ev::End(at, asg_date.take()));
            }
            current = Some((key, line));
            asg_given.restart();
            asg_date = assignment.nets_date;
            events.push(Ev::Assignment(line, assignment.clone()));
        }
        if shape == Shape::OcrGiro {
            row.given(&mut asg_given, &["assignment_nets_date"], "every row of an assignment gives its end date alike");
        }
        let number = row.opt_u32("transaction_number");
        match (shape, &assignment.items) {
            (Shape::OcrGiro, _) => {
                let amount = row.amount();
                let negative = row.negative(amount);
                let t = OcrTransaction {
                    transaction_type: row.u8("transaction_type"),
                    transaction_number: number,
                    nets_date: row.date("nets_date"),
                    centre_id: row.s("centre_id"),
                    day_code: row.s("day_code"),
                    partial_settlement_number: row.s("partial_settlement_number"),
                    partial_settlement_serial_number: row.s("partial_settlement_serial_number"),
                    negative,
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
                if !matches!(row.s("transaction_type").as_str(), "" | "94") {
                    let found = row.s("transaction_type");
                    row.bad("transaction_type", &format!("a mandate is transaction type 94, found '{found}'"));
                }
                for name in ["due_date", "amount", "amount_ore", "short_name", "external_reference", "specification"] {
                    row.empty(name, "a mandate has no such field");
                }
                let m = Mandate {
                    serial_number: number,
                    registration_type: row.u8("registration_type"),
                    kid: row.s("kid"),
                    written_notification: row.s("notify") == "J",
                };
                events.push(Ev::Mandate(line, m));
            }
            (Shape::AvtaleGiro, items) => {
                for name in ["registration_type", "notify"] {
                    row.empty(name, "only a mandate (assignment type 24) has one");
                }
                let amount = row.amount();
                if amount < 0 {
                    row.bad("amount", "a claim amount cannot be negative");
                }
                let spec = match split_specification(&row.s("specification")) {
                    Ok(s) => s,
                    Err(e) => {
                        row.bad("specification", &e);
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
                    has_item_2: !matches!(items, Items::Cancellations(_))
                        || !row.s("short_name").is_empty()
                        || !row.s("external_reference").is_empty(),
                    specification: spec,
                };
                events.push(Ev::Claim(line, c));
            }
        }
    }
    if let Some((_, at)) = current.take() {
        events.push(Ev::End(at, asg_date.take()));
    }
    if let Some(at) = first {
        events.push(Ev::TransmissionEnd(at, trans_date));
    }
    if rows == 0 {
        findings.push(
            Diagnostic::error("OCR040", 2, 1, "CSV has a header but no rows; there is nothing to write").field("row"),
        );
    }
    emit(&mut w, &mut events, &mut findings, &col, &mark)?;
    let written = w.is_some() && findings.errors() == 0;
    Ok((FileReport::new("csv", rows, findings), written))
}

/// Writes the content of the rows read so far, unless a row had a problem; a value the writer
/// refuses (a field it cannot hold) is a finding on its row, and writing stops there.
fn emit<W: Write>(
    w: &mut Option<Writer<W>>,
    events: &mut Vec<Ev>,
    findings: &mut Findings,
    col: &Columns<'_>,
    mark: &RowMark,
) -> io::Result<()> {
    if findings.errors() > 0 {
        *w = None;
    }
    let Some(writer) = w.as_mut() else {
        events.clear();
        return Ok(());
    };
    for ev in events.drain(..) {
        mark.set(ev.line());
        let r = match &ev {
            Ev::Start(_, s) => writer.transmission_start(s),
            Ev::Assignment(_, a) => writer.assignment_start(0, a),
            Ev::Ocr(l, t) => writer.ocr(*l, t),
            Ev::Claim(l, c) => writer.claim(*l, c),
            Ev::Mandate(l, m) => writer.mandate(*l, m),
            Ev::End(_, date) => writer.assignment_end(*date),
            Ev::TransmissionEnd(_, date) => writer.transmission_end(*date),
        };
        if let Err(e) = r {
            // a value the writer refuses is a finding on the row that gave it: a transaction's
            // own row, or the first row of its assignment or of the file; anything else is the
            // output's
            let Some(refused) = writer.refusal() else { return Err(e) };
            let line = ev.line();
            // on the row's value that the writer refused, where the row has that column
            let column = col.get(refused.field).map_or(1, |&i| u32::try_from(i + 1).unwrap_or(u32::MAX));
            findings.push(
                Diagnostic::error(refused.code, line, column, format!("{}: {}", refused.field, refused.message))
                    .field(refused.field),
            );
            *w = None;
            return Ok(());
        }
    }
    Ok(())
}

/// What the rows read so far hold, in file order, each with the line of the row it came from.
enum Ev {
    Start(u64, TransmissionStart),
    Assignment(u64, Assignment),
    Ocr(u64, OcrTransaction),
    Claim(u64, Claim),
    Mandate(u64, Mandate),
    End(u64, Option<NaiveDate>),
    TransmissionEnd(u64, Option<NaiveDate>),
}

impl Ev {
    /// The line of the row it came from.
    fn line(&self) -> u64 {
        match self {
            Ev::Start(l, _)
            | Ev::Assignment(l, _)
            | Ev::Ocr(l, _)
            | Ev::Claim(l, _)
            | Ev::Mandate(l, _)
            | Ev::End(l, _)
            | Ev::TransmissionEnd(l, _) => *l,
        }
    }
}

struct RowValues<'a> {
    rec: &'a csv::StringRecord,
    col: &'a Columns<'a>,
    line: u64,
    findings: &'a mut Findings,
}

impl<'a> RowValues<'a> {
    fn s(&self, name: &str) -> String {
        self.get(name).to_owned()
    }
    fn get(&self, name: &str) -> &'a str {
        let (rec, col) = (self.rec, self.col);
        col.get(name).and_then(|&i| rec.get(i)).unwrap_or("")
    }
    fn column(&self, name: &str) -> u32 {
        self.col.get(name).map_or(1, |&i| i as u32 + 1)
    }
    /// Values every row of a group gives alike (`names`, checked against the group's first row).
    fn given(&mut self, once: &mut GivenOnce, names: &[&'static str], why: &str) {
        let values: Vec<&'a str> = names.iter().map(|n| self.get(n)).collect();
        once.check(self.line, values, |i, text| self.bad(names[i], &format!("{text}: {why}")));
    }
    /// A column the row's record has no field for must be empty: its value would be dropped.
    fn empty(&mut self, name: &'static str, why: &str) {
        if !self.get(name).is_empty() {
            let found = self.s(name);
            self.bad(name, &format!("must be empty, found '{found}': {why}"));
        }
    }
    fn bad(&mut self, name: &'static str, message: &str) {
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
                self.findings.push(
                    Diagnostic::error(
                        "OCR006",
                        self.line,
                        column,
                        format!("{name} must be a date YYYY-MM-DD, found '{v}' ({e})"),
                    )
                    .field(name),
                );
                None
            }
        }
    }
    fn u8(&mut self, name: &'static str) -> u8 {
        let v = self.s(name);
        v.parse().unwrap_or_else(|_| {
            self.bad(name, &format!("must be a number, found '{v}'"));
            0
        })
    }
    fn opt_u32(&mut self, name: &'static str) -> Option<u32> {
        let v = self.s(name);
        if v.is_empty() {
            return None;
        }
        if let Ok(n) = v.parse() {
            Some(n)
        } else {
            self.bad(name, &format!("must be a number, found '{v}'"));
            None
        }
    }
    /// The amount in øre, from `amount` (kroner) or `amount_ore`: either is enough; when both
    /// are given they must agree.
    fn amount(&mut self) -> i64 {
        let (kr, ore) = (self.s("amount"), self.s("amount_ore"));
        let from_ore = (!ore.is_empty()).then(|| {
            ore.parse::<i64>().map_err(|_| self.bad("amount_ore", &format!("must be whole øre, found '{ore}'"))).ok()
        });
        let from_kr = (!kr.is_empty()).then(|| {
            kidkit_core::parse_kroner(&kr, kidkit_core::AmountSyntax::EITHER)
                .map_err(|e| self.bad("amount", &format!("{e}, found '{kr}'")))
                .ok()
        });
        match (from_kr, from_ore) {
            (None, None) => {
                self.bad("amount", "give the amount in kroner (amount) or øre (amount_ore); both are empty");
                0
            }
            (Some(Some(k)), Some(Some(o))) if k != o => {
                let message =
                    format!("amount {kr} and amount_ore {ore} disagree ({k} øre against {o}); give one, or both alike");
                self.bad("amount", &message);
                0
            }
            (Some(a), _) | (None, Some(a)) => a.unwrap_or(0),
        }
    }

    /// Whether the transaction is negative: the `sign` column (`-`, `0`, or empty to follow the
    /// amount) and the amount's own sign must agree.
    fn negative(&mut self, amount: i64) -> bool {
        let sign = self.s("sign");
        match sign.as_str() {
            "" => amount < 0,
            "-" if amount > 0 => {
                self.bad("sign", &format!("is '-' but the amount is positive ({})", kidkit_core::format_point(amount)));
                true
            }
            "0" if amount < 0 => {
                self.bad("sign", &format!("is '0' but the amount is negative ({})", kidkit_core::format_point(amount)));
                false
            }
            "-" => true,
            "0" => false,
            other => {
                self.bad("sign", &format!("must be '-', '0' or empty, found '{other}'"));
                false
            }
        }
    }
}
