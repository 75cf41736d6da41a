//! Inside an assignment: each record in its place, transaction numbering, the amount items of
//! one transaction, specification records and mandates.

use kidkit_core::Diagnostic;

use crate::kind::{AgAssignment, RecordKind};
use crate::layout::at;
use crate::record::{Day, Rec};

use super::{AsgKind, Structure, Txn};

impl Structure {
    pub(super) fn content(&mut self, rec: &Rec, kind: RecordKind) {
        self.count_record();
        let Some(asg) = self.asg.as_ref() else {
            self.err_record(
                "OCR004",
                rec.line,
                format!("{kind} outside any assignment; expected an assignment start or the transmission end"),
            );
            return;
        };
        let expected = match kind {
            RecordKind::OcrItem1(_) | RecordKind::OcrItem2(_) | RecordKind::OcrItem3(_) => AsgKind::Ocr,
            RecordKind::AgItem1(93) | RecordKind::AgItem2(93) => AsgKind::Ag(AgAssignment::Cancellations),
            RecordKind::AgItem1(_) | RecordKind::AgItem2(_) => AsgKind::Ag(AgAssignment::Claims),
            RecordKind::Specification => match asg.kind {
                AsgKind::Ag(AgAssignment::Cancellations) => AsgKind::Ag(AgAssignment::Cancellations),
                _ => AsgKind::Ag(AgAssignment::Claims),
            },
            RecordKind::Mandate => AsgKind::Ag(AgAssignment::Mandates),
            RecordKind::Other { service, .. } => AsgKind::Other(service),
            _ => asg.kind,
        };
        if expected != asg.kind {
            let (line, what) = (asg.line, expected.describe());
            self.err_record(
                "OCR004",
                rec.line,
                format!("{kind} belongs in {what}, but the assignment started at line {line} is not one"),
            );
            return;
        }
        match kind {
            RecordKind::OcrItem1(tt) | RecordKind::AgItem1(tt) => self.item1(rec, kind, tt),
            RecordKind::OcrItem2(tt) | RecordKind::AgItem2(tt) => self.follow_item(rec, kind, tt, 2),
            RecordKind::OcrItem3(tt) => self.follow_item(rec, kind, tt, 3),
            RecordKind::Specification => self.specification(rec),
            RecordKind::Mandate => self.mandate(rec),
            _ => {
                if let Some(a) = &mut self.asg {
                    a.known = false;
                }
            }
        }
    }

    pub(super) fn close_txn(&mut self) {
        let Some(a) = &mut self.asg else { return };
        let Some(t) = a.txn.take() else { return };
        let (no_item2, no_item3) = t.missing();
        let missing: Vec<&str> =
            [(no_item2, "amount item 2"), (no_item3, "amount item 3")].iter().filter(|m| m.0).map(|m| m.1).collect();
        if !missing.is_empty() {
            self.err_record(
                "OCR012",
                t.line,
                format!(
                    "transaction {} (type {:02}) starting at line {} has no {}",
                    t.number,
                    t.tt,
                    t.line,
                    missing.join(" and ")
                ),
            );
        }
    }

    pub(super) fn number_order(&mut self, rec: &Rec, what: &str) {
        let Some(a) = &mut self.asg else { return };
        if !rec.numbers_ok {
            a.last_number = None;
            return;
        }
        let prev = a.last_number.replace(rec.number);
        let bad = match prev {
            Some(p) if rec.number <= p => Some(format!(
                "{what} {} is not above the previous one ({p}); numbers must ascend within an assignment",
                rec.number
            )),
            None if rec.number == 0 => Some(format!("{what} is 0; numbering starts at 1")),
            _ => None,
        };
        if let Some(m) = bad {
            self.err("OCR011", rec.line, at::TRANSACTION_NUMBER, m);
        }
    }

    pub(super) fn item1(&mut self, rec: &Rec, kind: RecordKind, tt: u8) {
        self.close_txn();
        self.number_order(rec, "transaction number");
        let Some(a) = &mut self.asg else { return };
        a.txns += 1;
        if rec.numbers_ok {
            let amt = i128::from(rec.amount);
            a.gross += amt;
            a.net += if rec.negative { -amt } else { amt };
        } else {
            a.known = false;
        }
        match rec.dates[0] {
            Day::On(d) => {
                a.first = Some(a.first.map_or(d, |f| f.min(d)));
                a.last = Some(a.last.map_or(d, |l| l.max(d)));
            }
            Day::Bad => a.known = false,
            Day::Zero => {}
        }
        a.txn = Some(Txn {
            line: rec.line,
            kind,
            tt,
            number: rec.number,
            number_known: rec.numbers_ok,
            items: 0b001,
            specs: 0,
        });
    }

    pub(super) fn follow_item(&mut self, rec: &Rec, kind: RecordKind, tt: u8, item: u8) {
        let bit = 1u8 << (item - 1);
        let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) else {
            self.err_record("OCR012", rec.line, format!("{kind} without an amount item 1 before it"));
            return;
        };
        let (t_tt, t_number, t_items, t_line, t_kind) = (t.tt, t.number, t.items, t.line, t.kind);
        let t_known = t.number_known;
        let wanted_before = bit >> 1;
        if t_items & bit != 0 || t_items & wanted_before == 0 || t.specs != 0 {
            self.err_record(
                "OCR012",
                rec.line,
                format!(
                    "{kind} out of place in transaction {t_number} (line {t_line}): items come in the order 1, 2{}",
                    if item == 3 { ", 3" } else { "" }
                ),
            );
            return;
        }
        if item == 3 && !matches!(t_kind, RecordKind::OcrItem1(20 | 21)) {
            self.err_record(
                "OCR012",
                rec.line,
                format!("amount item 3 is only for transaction types 20 and 21, but transaction {t_number} is type {t_tt:02}"),
            );
            return;
        }
        if let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) {
            t.items |= bit;
        }
        if tt != t_tt {
            self.err(
                "OCR011",
                rec.line, at::TRANSACTION_TYPE,
                format!("amount item {item} has transaction type {tt:02}, but its amount item 1 (line {t_line}) has {t_tt:02}"),
            );
        }
        if rec.numbers_ok && t_known && rec.number != t_number {
            self.err(
                "OCR011",
                rec.line, at::TRANSACTION_NUMBER,
                format!("amount item {item} has transaction number {}, but its amount item 1 (line {t_line}) has {t_number}", rec.number),
            );
        }
    }

    pub(super) fn specification(&mut self, rec: &Rec) {
        let cancellations = matches!(self.asg.as_ref().map(|a| a.kind), Some(AsgKind::Ag(AgAssignment::Cancellations)));
        let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) else {
            self.err_record("OCR013", rec.line, "specification record without a claim before it".to_owned());
            return;
        };
        let (t_tt, t_number, t_items, t_line) = (t.tt, t.number, t.items, t.line);
        let t_known = t.number_known;
        if t_items & 0b010 == 0 {
            self.err_record(
                "OCR013",
                rec.line,
                format!(
                    "specification record before amount item 2 of transaction {t_number}; it must follow amount item 2"
                ),
            );
            return;
        }
        let (line_no, col) = rec.spec;
        let mut bad_range = false;
        if rec.numbers_ok && !(1..=42).contains(&line_no) {
            bad_range = true;
            self.err(
                "OCR013",
                rec.line,
                at::LINE_NUMBER,
                format!("specification line {line_no} is outside 001-042; Nets rejects the whole claim"),
            );
        }
        if rec.numbers_ok && !(1..=2).contains(&col) {
            bad_range = true;
            self.err(
                "OCR013",
                rec.line,
                at::COLUMN_NUMBER,
                format!("specification column {col} must be 1 or 2; Nets rejects the whole claim"),
            );
        }
        if rec.numbers_ok && t_known && rec.number != t_number {
            self.err(
                "OCR011",
                rec.line,
                at::TRANSACTION_NUMBER,
                format!(
                    "specification record has transaction number {}, but its claim (line {t_line}) has {t_number}",
                    rec.number
                ),
            );
        }
        if rec.numbers_ok && !bad_range {
            let bit = 1u128 << ((u32::from(line_no) - 1) * 2 + u32::from(col) - 1);
            let dup = self.asg.as_mut().and_then(|a| a.txn.as_mut()).is_some_and(|t| {
                let dup = t.specs & bit != 0;
                t.specs |= bit;
                dup
            });
            if dup {
                self.err(
                    "OCR013",
                    rec.line,
                    at::LINE_NUMBER,
                    format!("specification line {line_no} column {col} appears twice in transaction {t_number}"),
                );
            }
        } else if let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) {
            t.specs |= 1 << 127;
        }
        let ignored = if cancellations {
            Some("in a cancellation assignment")
        } else if t_tt == 2 {
            Some("after a type 02 claim (no notification from the bank)")
        } else {
            None
        };
        if let Some(why) = ignored {
            self.out.push(
                Diagnostic::warning("OCR014", rec.line, 1, format!("specification record {why}: Nets ignores it"))
                    .field("record_type"),
            );
        } else if rec.blank_text {
            self.warn(
                "OCR014",
                rec.line,
                at::SPECIFICATION_TEXT,
                "specification text is blank; empty specification records must not be sent",
            );
        }
    }

    pub(super) fn mandate(&mut self, rec: &Rec) {
        self.number_order(rec, "FBO serial number");
        if let Some(a) = &mut self.asg {
            a.txns += 1;
        }
    }
}
