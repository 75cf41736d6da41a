//! Starts and ends: the transmission and assignment start records, and every count, sum and
//! date of the end records against what the walk counted (with the net/gross policy D3).

use chrono::NaiveDate;
use kidkit_core::Severity;

use crate::kind::AgAssignment;
use crate::layout::{Field, at};
use crate::record::{Day, Rec};

use super::{Asg, AsgKind, State, Structure, Totals, TotalsConvention, kr};

impl Structure {
    pub(super) fn transmission_start(&mut self, rec: &Rec) {
        if self.state == State::InTransmission && self.start_line != rec.line {
            self.err_record(
                "OCR004",
                rec.line,
                format!(
                    "a transmission start (NY000010) inside the transmission started at line {}; expected an assignment start or the transmission end",
                    self.start_line
                ),
            );
            self.count_record();
            return;
        }
        self.state = State::InTransmission;
        self.start_line = rec.line;
        self.totals = Totals { known: true, records: 1, ..Totals::default() };
    }

    pub(super) fn assignment_start(&mut self, rec: &Rec, kind: AsgKind) {
        if let Some(open) = self.asg.take() {
            self.err_record(
                "OCR004",
                rec.line,
                format!("assignment started at line {} has no end record before this assignment start", open.line),
            );
            self.fold_into_totals(&open, None);
        }
        if let AsgKind::Other(service) = kind {
            self.warn(
                "OCR008",
                rec.line,
                at::SERVICE_CODE,
                format!("assignment of service {service:02} is not decoded by kidkit; its records are kept verbatim and counted in the totals"),
            );
        }
        self.totals.records += 1;
        self.groups.open(rec.line, rec.numbers_ok.then_some(rec.number));
        self.asg = Some(Asg {
            kind,
            line: rec.line,
            records: 1,
            txns: 0,
            net: 0,
            gross: 0,
            first: None,
            last: None,
            known: true,
            last_number: None,
            txn: None,
        });
    }

    pub(super) fn check_total(&mut self, rec: &Rec, net: i128, gross: i128, code: &'static str, what: &str) {
        let stated = i128::from(rec.amount);
        if net == gross {
            if stated != net {
                self.err(
                    code,
                    rec.line,
                    at::TOTAL_AMOUNT,
                    format!(
                        "{what} total amount is {} (øre {stated}), but the transactions add up to {}",
                        kr(stated),
                        kr(net)
                    ),
                );
            }
            return;
        }
        match self.convention {
            None => {
                if stated == net {
                    self.convention = Some((TotalsConvention::Net, rec.line));
                } else if stated == gross {
                    self.convention = Some((TotalsConvention::Gross, rec.line));
                    self.warn(
                        "OCR041",
                        rec.line,
                        at::TOTAL_AMOUNT,
                        format!(
                            "{what} total amount {} is the gross sum (amounts with sign '-' added); the net sum is {}. The gross convention now holds for the whole file",
                            kr(stated),
                            kr(net)
                        ),
                    );
                } else {
                    self.err(
                        code,
                        rec.line, at::TOTAL_AMOUNT,
                        format!("{what} total amount is {}, but the transactions add up to {} net (sign '-' subtracted) or {} gross", kr(stated), kr(net), kr(gross)),
                    );
                }
            }
            Some((conv, at)) => {
                let (want, name) = if conv == TotalsConvention::Net { (net, "net") } else { (gross, "gross") };
                if stated != want {
                    self.err(
                        code,
                        rec.line, at::TOTAL_AMOUNT,
                        format!("{what} total amount is {}, but the transactions add up to {} {name}; line {at} fixed the {name} convention for this file", kr(stated), kr(want)),
                    );
                }
            }
        }
    }

    /// Checks an end record's number of transactions (columns 9-16) and of records (17-24).
    pub(super) fn check_counts(
        &mut self,
        rec: &Rec,
        txns: u64,
        records: u64,
        codes: (&'static str, &'static str),
        scope: &str,
        counted: &str,
    ) {
        if !rec.numbers_ok {
            return;
        }
        if u64::from(rec.number) != txns {
            let m = format!("{scope} number of transactions is {}, but there are {txns}", rec.number);
            self.err(codes.0, rec.line, at::NUMBER_OF_TRANSACTIONS, m);
        }
        if u64::from(rec.records) != records {
            let m = format!("{scope} number of records ({counted}) is {}, but there are {records}", rec.records);
            self.err(codes.1, rec.line, at::NUMBER_OF_RECORDS, m);
        }
    }

    pub(super) fn check_date(&mut self, rec: &Rec, slot: usize, want: Option<NaiveDate>, field: Field, what: &str) {
        let found = rec.dates[slot];
        let ok = match (found, want) {
            (Day::Bad, _) => true,
            (Day::Zero, None) => true,
            (Day::On(d), Some(w)) => d == w,
            _ => false,
        };
        if !ok {
            let show = |d: Option<NaiveDate>| d.map_or_else(|| "000000 (no date)".to_owned(), |d| d.to_string());
            let found = match found {
                Day::On(d) => Some(d),
                _ => None,
            };
            self.err("OCR023", rec.line, field, format!("{what} is {}, expected {}", show(found), show(want)));
        }
    }

    pub(super) fn assignment_end(&mut self, rec: &Rec, kind: AsgKind) {
        self.close_txn();
        self.groups.close(rec.line);
        self.end_dates.assignments.push(if kind == AsgKind::Ocr { rec.dates[0].date() } else { None });
        let Some(a) = self.asg.take() else {
            self.err_record("OCR004", rec.line, "assignment end without an assignment start".to_owned());
            self.totals.records += 1;
            return;
        };
        if a.kind != kind {
            self.err_record(
                "OCR004",
                rec.line,
                format!(
                    "this assignment end does not match the assignment started at line {}, which is {}",
                    a.line,
                    a.kind.describe()
                ),
            );
        }
        let records = a.records + 1;
        if let AsgKind::Other(_) = a.kind {
            let mut a = a;
            a.records = records;
            a.txns = u64::from(rec.number);
            a.known = rec.numbers_ok;
            a.net = i128::from(rec.amount);
            a.gross = a.net;
            self.fold_into_totals(&a, Some(rec));
            return;
        }
        self.check_counts(rec, a.txns, records, ("OCR020", "OCR021"), "assignment", "start and end included");
        match a.kind {
            AsgKind::Ag(AgAssignment::Mandates) => {}
            AsgKind::Ocr => {
                if a.known && rec.numbers_ok {
                    self.check_total(rec, a.net, a.gross, "OCR022", "assignment");
                }
                if a.known {
                    if a.txns > 0 && rec.dates[0] == Day::Zero {
                        self.err(
                            "OCR023",
                            rec.line,
                            at::NETS_DATE,
                            "assignment Nets date is 000000, but the assignment holds transactions".to_owned(),
                        );
                    }
                    self.check_date(rec, 1, a.first, at::EARLIEST_DATE, "earliest Nets date");
                    self.check_date(rec, 2, a.last, at::LATEST_DATE, "latest Nets date");
                }
            }
            AsgKind::Ag(_) => {
                if a.known && rec.numbers_ok {
                    self.check_total(rec, a.net, a.gross, "OCR022", "assignment");
                }
                if a.known {
                    self.check_date(rec, 0, a.first, at::FIRST_DUE_DATE, "first due date");
                    self.check_date(rec, 1, a.last, at::LAST_DUE_DATE, "last due date");
                }
            }
            AsgKind::Other(_) => {}
        }
        let mut a = a;
        a.records = records;
        self.fold_into_totals(&a, Some(rec));
    }

    pub(super) fn fold_into_totals(&mut self, a: &Asg, end: Option<&Rec>) {
        let t = &mut self.totals;
        t.assignments += 1;
        t.service_21_assignments += u64::from(matches!(a.kind, AsgKind::Ag(_)));
        if end.is_some() {
            t.records += 1;
        }
        t.txns += a.txns;
        t.net += a.net;
        t.gross += a.gross;
        t.known &= a.known;
        match a.kind {
            AsgKind::Ag(AgAssignment::Claims | AgAssignment::Cancellations) => {
                t.has_claims = true;
                if let Some(f) = a.first {
                    t.earliest_due = Some(t.earliest_due.map_or(f, |e| e.min(f)));
                }
            }
            AsgKind::Ag(AgAssignment::Mandates) => t.mandate_assignments += 1,
            _ => {}
        }
    }

    pub(super) fn transmission_end(&mut self, rec: &Rec) {
        self.close_txn();
        self.groups.close(rec.line.saturating_sub(1));
        self.end_dates.transmission = rec.dates[0].date();
        if let Some(open) = self.asg.take() {
            self.err_record(
                "OCR004",
                rec.line,
                format!("assignment started at line {} has no end record before the transmission end", open.line),
            );
            self.fold_into_totals(&open, None);
        }
        self.totals.records += 1;
        let t = self.totals.clone();
        self.check_counts(rec, t.txns, t.records, ("OCR030", "OCR031"), "transmission", "every record included");
        if t.known && rec.numbers_ok {
            self.check_total(rec, t.net, t.gross, "OCR032", "transmission");
        }
        if t.has_claims {
            if t.known {
                self.check_date(rec, 0, t.earliest_due, at::TRANSMISSION_DATE, "transmission first due date");
            }
        } else if rec.dates[0] == Day::Zero && t.mandate_assignments < t.assignments {
            self.err(
                "OCR006",
                rec.line,
                at::TRANSMISSION_DATE,
                "transmission date is 000000; only a transmission of mandates alone may leave it without a date"
                    .to_owned(),
            );
        }
        self.state = State::Ended;
        self.end_line = rec.line;
    }

    /// Ends the walk: reports a missing end and anything after it.
    pub fn finish(&mut self) {
        let after = self.last_line + 1;
        match self.state {
            State::BeforeStart => {
                self.err_record(
                    "OCR040",
                    after,
                    "file holds no records; expected a transmission start (NY000010)".to_owned(),
                );
            }
            State::InTransmission => {
                self.close_txn();
                if let Some(open) = self.asg.take() {
                    self.err_record(
                        "OCR040",
                        after,
                        format!("assignment started at line {} has no end record", open.line),
                    );
                }
                self.err_record("OCR040", after, "file ends without a transmission end (NY000089)".to_owned());
            }
            State::Ended if self.after_end > 0 => {
                let line = self.end_line + 1;
                self.err_record(
                    "OCR040",
                    line,
                    format!(
                        "{} record(s) follow the transmission end at line {}; nothing may follow it",
                        self.after_end, self.end_line
                    ),
                );
            }
            State::Ended => {}
        }
        self.out.sort_by_key(|d| (d.line, d.column));
        // keep severities as made: structure findings are errors except OCR008/OCR014/OCR041
        debug_assert!(
            self.out.iter().all(|d| d.severity == Severity::Error || matches!(d.code, "OCR008" | "OCR014" | "OCR041"))
        );
    }
}
