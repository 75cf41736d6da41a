//! Turning the records of a valid file into typed transactions, claims and mandates, as they
//! come: a [`RecordSink`] that hands each finished item to an [`Events`] receiver (the tree
//! builder, the flat-row writer).

use std::io;

use chrono::NaiveDate;
use kidkit_core::parse_ddmmyy;

use crate::kind::{AgAssignment, RecordKind};
use crate::layout::{field, layout};
use crate::model::{Assignment, Claim, Items, Mandate, OcrTransaction, Transmission, TransmissionStart};
use crate::pipeline::RecordSink;
use crate::record::{Rec, RecordText};
use crate::structure::TotalsConvention;

/// Receives the content of a file in order.
pub trait Events {
    /// The transmission start.
    fn transmission_start(&mut self, start: &TransmissionStart) -> io::Result<()>;
    /// An assignment start (its `items` empty, of the right variant).
    fn assignment_start(&mut self, line: u64, assignment: &Assignment) -> io::Result<()>;
    /// A complete OCR transaction whose amount item 1 is on `line`.
    fn ocr(&mut self, line: u64, t: &OcrTransaction) -> io::Result<()>;
    /// A complete claim or cancellation.
    fn claim(&mut self, line: u64, c: &Claim) -> io::Result<()>;
    /// A mandate.
    fn mandate(&mut self, line: u64, m: &Mandate) -> io::Result<()>;
    /// A record of a service kidkit does not decode.
    fn verbatim(&mut self, line: u64, record: &str) -> io::Result<()>;
    /// The assignment end; `nets_date` from an OCR giro end record.
    fn assignment_end(&mut self, nets_date: Option<NaiveDate>) -> io::Result<()>;
    /// The transmission end with its date field.
    fn transmission_end(&mut self, date: Option<NaiveDate>) -> io::Result<()>;
}

enum Pending {
    None,
    Ocr(u64, OcrTransaction),
    Claim(u64, Claim),
}

/// Assembles records into items for an [`Events`] receiver.
pub struct Assembler<E> {
    events: E,
    pending: Pending,
    scratch: OcrTransaction,
}

fn get<'t>(text: &'t RecordText<'_>, kind: RecordKind, name: &str) -> &'t str {
    field(layout(kind), name).map_or("", |f| text.field(&f))
}

fn set(dst: &mut String, src: &str) {
    dst.clear();
    dst.push_str(src);
}

fn date(text: &RecordText<'_>, kind: RecordKind, name: &str) -> Option<NaiveDate> {
    parse_ddmmyy(get(text, kind, name).as_bytes()).ok()
}

fn num(text: &RecordText<'_>, kind: RecordKind, name: &str) -> u64 {
    get(text, kind, name).parse().unwrap_or(0)
}

impl<E: Events> Assembler<E> {
    /// An assembler feeding `events`.
    pub fn new(events: E) -> Self {
        Assembler { events, pending: Pending::None, scratch: OcrTransaction::default() }
    }

    /// The receiver, after the file.
    pub fn into_inner(self) -> E {
        self.events
    }

    fn flush(&mut self) -> io::Result<()> {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => Ok(()),
            Pending::Ocr(line, t) => {
                let r = self.events.ocr(line, &t);
                self.scratch = t;
                r
            }
            Pending::Claim(line, c) => self.events.claim(line, &c),
        }
    }
}

impl<E: Events> RecordSink for Assembler<E> {
    fn record(&mut self, rec: &Rec, text: &RecordText<'_>) -> io::Result<()> {
        let Some(kind) = rec.kind else { return Ok(()) };
        if rec.blank {
            return Ok(());
        }
        let g = |name: &str| get(text, kind, name).to_owned();
        match kind {
            RecordKind::TransmissionStart => self.events.transmission_start(&TransmissionStart {
                data_transmitter: g("data_transmitter"),
                transmission_number: g("transmission_number"),
                data_recipient: g("data_recipient"),
            }),
            RecordKind::OcrAssignmentStart | RecordKind::AgAssignmentStart(_) => {
                let items = match kind {
                    RecordKind::AgAssignmentStart(AgAssignment::Claims) => Items::Claims(Vec::new()),
                    RecordKind::AgAssignmentStart(AgAssignment::Cancellations) => Items::Cancellations(Vec::new()),
                    RecordKind::AgAssignmentStart(AgAssignment::Mandates) => Items::Mandates(Vec::new()),
                    _ => Items::Ocr(Vec::new()),
                };
                let a = Assignment {
                    agreement_id: if kind == RecordKind::OcrAssignmentStart {
                        g("agreement_id")
                    } else {
                        g("filler_9_17")
                    },
                    assignment_number: g("assignment_number"),
                    assignment_account: g("assignment_account"),
                    nets_date: None,
                    items,
                };
                self.events.assignment_start(rec.line, &a)
            }
            RecordKind::OcrItem1(tt) => {
                self.flush()?;
                // the transaction's buffers are reused from one transaction to the next
                let mut t = std::mem::take(&mut self.scratch);
                t.transaction_type = tt;
                t.transaction_number = Some(rec.number);
                t.negative = rec.negative;
                t.amount_ore = rec.amount;
                t.text.clear();
                for f in layout(kind).fields {
                    let v = text.field(f);
                    match f.name {
                        "nets_date" => t.nets_date = parse_ddmmyy(v.as_bytes()).ok(),
                        "centre_id" => set(&mut t.centre_id, v),
                        "day_code" => set(&mut t.day_code, v),
                        "partial_settlement_number" => set(&mut t.partial_settlement_number, v),
                        "partial_settlement_serial_number" => set(&mut t.partial_settlement_serial_number, v),
                        "kid" => set(&mut t.kid, v.trim_start()),
                        "card_issuer" => set(&mut t.card_issuer, v),
                        _ => {}
                    }
                }
                self.pending = Pending::Ocr(rec.line, t);
                Ok(())
            }
            RecordKind::OcrItem2(_) => {
                if let Pending::Ocr(_, t) = &mut self.pending {
                    for f in layout(kind).fields {
                        let v = text.field(f);
                        match f.name {
                            "form_number" => set(&mut t.form_number, v),
                            "reference" => set(&mut t.reference, v),
                            "filler_35_41" => set(&mut t.filler_35_41, v),
                            "bank_date" => t.bank_date = parse_ddmmyy(v.as_bytes()).ok(),
                            "debit_account" => set(&mut t.debit_account, v),
                            _ => {}
                        }
                    }
                }
                Ok(())
            }
            RecordKind::OcrItem3(_) => {
                if let Pending::Ocr(_, t) = &mut self.pending {
                    set(&mut t.text, get(text, kind, "text"));
                }
                Ok(())
            }
            RecordKind::AgItem1(tt) => {
                self.flush()?;
                self.pending = Pending::Claim(
                    rec.line,
                    Claim {
                        transaction_type: tt,
                        transaction_number: Some(rec.number),
                        due_date: date(text, kind, "due_date"),
                        filler_22_32: g("filler_22_32"),
                        amount_ore: rec.amount,
                        kid: g("kid").trim_start().to_owned(),
                        ..Claim::default()
                    },
                );
                Ok(())
            }
            RecordKind::AgItem2(_) => {
                if let Pending::Claim(_, c) = &mut self.pending {
                    c.short_name = g("short_name");
                    c.external_reference = g("external_reference");
                    c.has_item_2 = true;
                }
                Ok(())
            }
            RecordKind::Specification => {
                if let Pending::Claim(_, c) = &mut self.pending {
                    c.specification.push((rec.spec.0 as u8, rec.spec.1, g("text")));
                }
                Ok(())
            }
            RecordKind::Mandate => {
                self.flush()?;
                let m = Mandate {
                    serial_number: Some(rec.number),
                    registration_type: num(text, kind, "registration_type") as u8,
                    kid: g("kid").trim_start().to_owned(),
                    written_notification: g("written_notification") == "J",
                };
                self.events.mandate(rec.line, &m)
            }
            RecordKind::Other { .. } => {
                self.flush()?;
                self.events.verbatim(rec.line, text.as_str())
            }
            RecordKind::OcrAssignmentEnd | RecordKind::AgAssignmentEnd(_) => {
                self.flush()?;
                let nets = if kind == RecordKind::OcrAssignmentEnd { date(text, kind, "nets_date") } else { None };
                self.events.assignment_end(nets)
            }
            RecordKind::TransmissionEnd => {
                self.flush()?;
                self.events.transmission_end(date(text, kind, "date"))
            }
        }
    }
}

/// Builds the whole [`Transmission`] in memory (for the API and small files).
#[derive(Debug, Default)]
pub struct TreeBuilder {
    start: Option<TransmissionStart>,
    assignments: Vec<Assignment>,
    end_date: Option<NaiveDate>,
}

impl TreeBuilder {
    /// The transmission, once the file was read; `convention` from the read.
    pub fn finish(self, convention: Option<TotalsConvention>) -> Option<Transmission> {
        Some(Transmission {
            start: self.start?,
            assignments: self.assignments,
            nets_date: self.end_date,
            convention: convention.unwrap_or(TotalsConvention::Net),
        })
    }
}

impl Events for TreeBuilder {
    fn transmission_start(&mut self, start: &TransmissionStart) -> io::Result<()> {
        self.start = Some(start.clone());
        Ok(())
    }
    fn assignment_start(&mut self, _line: u64, assignment: &Assignment) -> io::Result<()> {
        self.assignments.push(assignment.clone());
        Ok(())
    }
    fn ocr(&mut self, _line: u64, t: &OcrTransaction) -> io::Result<()> {
        if let Some(Assignment { items: Items::Ocr(v), .. }) = self.assignments.last_mut() {
            v.push(t.clone());
        }
        Ok(())
    }
    fn claim(&mut self, _line: u64, c: &Claim) -> io::Result<()> {
        if let Some(Assignment { items: Items::Claims(v) | Items::Cancellations(v), .. }) = self.assignments.last_mut()
        {
            v.push(c.clone());
        }
        Ok(())
    }
    fn mandate(&mut self, _line: u64, m: &Mandate) -> io::Result<()> {
        if let Some(Assignment { items: Items::Mandates(v), .. }) = self.assignments.last_mut() {
            v.push(m.clone());
        }
        Ok(())
    }
    fn verbatim(&mut self, _line: u64, record: &str) -> io::Result<()> {
        match self.assignments.last_mut() {
            Some(Assignment { items: Items::Verbatim(v), .. })
                if v.last().is_none_or(|r| r.get(6..8) != Some("88")) =>
            {
                v.push(record.to_owned());
            }
            _ => self.assignments.push(Assignment {
                agreement_id: String::new(),
                assignment_number: String::new(),
                assignment_account: String::new(),
                nets_date: None,
                items: Items::Verbatim(vec![record.to_owned()]),
            }),
        }
        Ok(())
    }
    fn assignment_end(&mut self, nets_date: Option<NaiveDate>) -> io::Result<()> {
        if let Some(a) = self.assignments.last_mut() {
            a.nets_date = nets_date;
        }
        Ok(())
    }
    fn transmission_end(&mut self, date: Option<NaiveDate>) -> io::Result<()> {
        self.end_date = date;
        Ok(())
    }
}
