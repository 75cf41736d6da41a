//! The structure of a transmission, walked record by record in file order: order and nesting,
//! transaction numbering and the items of one transaction, specification records, and every
//! count, sum and date in the end records (with the net/gross policy D3).

use chrono::NaiveDate;
use kidkit_core::amount::format_point;
use kidkit_core::{Diagnostic, Severity};

use crate::groups::Groups;
use crate::kind::{AgAssignment, RecordKind};
use crate::layout::{Field, at};
use crate::record::{Day, Rec};

/// Which convention a file's end-record totals follow when a `-` sign is used (policy D3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsConvention {
    /// Amounts with sign `-` are subtracted.
    Net,
    /// Every amount is added.
    Gross,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AsgKind {
    Ocr,
    Ag(AgAssignment),
    Other(u8),
}

impl AsgKind {
    fn of_start(kind: RecordKind) -> Option<Self> {
        match kind {
            RecordKind::OcrAssignmentStart => Some(AsgKind::Ocr),
            RecordKind::AgAssignmentStart(a) => Some(AsgKind::Ag(a)),
            RecordKind::Other { service, record_type: 20 } => Some(AsgKind::Other(service)),
            _ => None,
        }
    }
    fn of_end(kind: RecordKind) -> Option<Self> {
        match kind {
            RecordKind::OcrAssignmentEnd => Some(AsgKind::Ocr),
            RecordKind::AgAssignmentEnd(a) => Some(AsgKind::Ag(a)),
            RecordKind::Other { service, record_type: 88 } => Some(AsgKind::Other(service)),
            _ => None,
        }
    }
    fn describe(self) -> &'static str {
        match self {
            AsgKind::Ocr => "an OCR giro assignment (NY090020 … NY090088)",
            AsgKind::Ag(AgAssignment::Claims) => "an AvtaleGiro claims assignment (NY210020 … NY210088)",
            AsgKind::Ag(AgAssignment::Mandates) => "an AvtaleGiro mandates assignment (NY212420 … NY212488)",
            AsgKind::Ag(AgAssignment::Cancellations) => "an AvtaleGiro cancellations assignment (NY213620 … NY213688)",
            AsgKind::Other(_) => "an assignment of the same service",
        }
    }
}

#[derive(Debug, Clone)]
struct Txn {
    line: u64,
    kind: RecordKind,
    tt: u8,
    number: u32,
    items: u8,
    specs: u128,
}

impl Txn {
    /// Whether amount item 2 and amount item 3 are still missing.
    #[allow(clippy::inline_always, reason = "a few compares, on every amount item 1")]
    #[inline(always)]
    fn missing(&self) -> (bool, bool) {
        let needs_item2 = !matches!(self.kind, RecordKind::AgItem1(93));
        let needs_item3 = matches!(self.kind, RecordKind::OcrItem1(20 | 21));
        (needs_item2 && self.items & 0b010 == 0, needs_item3 && self.items & 0b100 == 0)
    }

    /// Every amount item the transaction needs is there.
    #[allow(clippy::inline_always, reason = "a few compares, on every amount item 1")]
    #[inline(always)]
    fn is_complete(&self) -> bool {
        self.missing() == (false, false)
    }
}

#[derive(Debug, Clone)]
struct Asg {
    kind: AsgKind,
    line: u64,
    records: u64,
    txns: u64,
    net: i128,
    gross: i128,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    known: bool,
    last_number: Option<u32>,
    txn: Option<Txn>,
}

/// Totals over a whole transmission.
#[derive(Debug, Clone, Default)]
struct Totals {
    records: u64,
    txns: u64,
    net: i128,
    gross: i128,
    known: bool,
    earliest_due: Option<NaiveDate>,
    has_claims: bool,
    assignments: u64,
    mandate_assignments: u64,
    service_21_assignments: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeStart,
    InTransmission,
    Ended,
}

/// Walks records in file order and reports structural findings.
#[derive(Debug)]
pub struct Structure {
    state: State,
    start_line: u64,
    totals: Totals,
    asg: Option<Asg>,
    convention: Option<(TotalsConvention, u64)>,
    end_line: u64,
    after_end: u64,
    last_line: u64,
    records: u64,
    out: Vec<Diagnostic>,
    end_dates: EndDates,
    groups: Groups,
}

/// The dates of the end records, which flat rows repeat on every transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndDates {
    /// Per assignment in file order: the Nets date of an OCR giro assignment end.
    pub assignments: Vec<Option<NaiveDate>>,
    /// The transmission end's date field.
    pub transmission: Option<NaiveDate>,
}

impl Default for Structure {
    fn default() -> Self {
        Self::new()
    }
}

fn kr(v: i128) -> String {
    i64::try_from(v).map_or_else(|_| v.to_string(), format_point)
}

impl Structure {
    /// A walker at the start of a file.
    pub fn new() -> Self {
        Structure {
            state: State::BeforeStart,
            start_line: 0,
            totals: Totals { known: true, ..Totals::default() },
            asg: None,
            convention: None,
            end_line: 0,
            after_end: 0,
            last_line: 0,
            records: 0,
            out: Vec::new(),
            end_dates: EndDates::default(),
            groups: Groups::default(),
        }
    }

    /// The end records' dates seen so far.
    pub fn end_dates(&self) -> &EndDates {
        &self.end_dates
    }

    /// The totals convention found, if a `-` sign made the two differ.
    pub fn convention(&self) -> Option<TotalsConvention> {
        self.convention.map(|(c, _)| c)
    }

    /// Every assignment seen is AvtaleGiro (service 21): the file is an `avtalegiro` file.
    pub fn is_avtalegiro(&self) -> bool {
        self.totals.assignments > 0 && self.totals.service_21_assignments == self.totals.assignments
    }

    /// Records (non-blank lines) seen.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Takes the findings made so far.
    pub fn take_findings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.out)
    }

    /// Groups findings (in file order, from the records fed so far) per assignment.
    pub fn group(&mut self, findings: &mut [Diagnostic]) {
        self.groups.place(findings);
    }

    /// An error about `field` of the record on `line`.
    fn err(&mut self, code: &'static str, line: u64, field: Field, message: String) {
        self.out.push(Diagnostic::error(code, line, u32::from(field.start), message).field(field.name));
    }

    /// An error about the record on `line` as a whole (where it stands, or that it is missing).
    fn err_record(&mut self, code: &'static str, line: u64, message: String) {
        self.out.push(Diagnostic::error(code, line, 1, message).field("record_type"));
    }

    /// Feeds the next record.
    #[allow(clippy::inline_always, reason = "a few compares on every record, inlined into the walk's loop")]
    #[inline(always)]
    pub fn push(&mut self, rec: &Rec) {
        if !self.push_in_order(rec) {
            self.push_any(rec);
        }
    }

    /// The common case in a few compares: an amount item that continues its transaction or
    /// assignment as it should, and so has no finding. It changes the walk exactly as
    /// [`Structure::push_any`] would, and returns false, changing nothing, for anything else.
    #[allow(clippy::inline_always, reason = "inlined into push")]
    #[inline(always)]
    fn push_in_order(&mut self, rec: &Rec) -> bool {
        use RecordKind as K;
        if self.state != State::InTransmission || rec.blank || !rec.numbers_ok {
            return false;
        }
        let (Some(kind), Some(a)) = (rec.kind, self.asg.as_mut()) else { return false };
        let home = match kind {
            K::OcrItem1(_) | K::OcrItem2(_) | K::OcrItem3(_) => AsgKind::Ocr,
            K::AgItem1(93) | K::AgItem2(93) => AsgKind::Ag(AgAssignment::Cancellations),
            K::AgItem1(_) | K::AgItem2(_) => AsgKind::Ag(AgAssignment::Claims),
            _ => return false,
        };
        if a.kind != home {
            return false;
        }
        // an amount item 1 opens a transaction; any other item continues the open one
        if let K::OcrItem1(tt) | K::AgItem1(tt) = kind {
            let ascends = a.last_number.map_or(rec.number > 0, |p| rec.number > p);
            if !ascends || a.txn.as_ref().is_some_and(|t| !t.is_complete()) || rec.dates[0] == Day::Bad {
                return false;
            }
            a.last_number = Some(rec.number);
            a.txns += 1;
            let amt = i128::from(rec.amount);
            a.gross += amt;
            a.net += if rec.negative { -amt } else { amt };
            if let Day::On(d) = rec.dates[0] {
                a.first = Some(a.first.map_or(d, |f| f.min(d)));
                a.last = Some(a.last.map_or(d, |l| l.max(d)));
            }
            a.txn = Some(Txn { line: rec.line, kind, tt, number: rec.number, items: 0b001, specs: 0 });
        } else {
            let (K::OcrItem2(tt) | K::AgItem2(tt) | K::OcrItem3(tt)) = kind else { return false };
            let bit = if matches!(kind, K::OcrItem3(_)) { 0b100 } else { 0b010 };
            let Some(t) = a.txn.as_mut() else { return false };
            let in_place = t.items & bit == 0 && t.items & (bit >> 1) != 0 && t.specs == 0;
            let third_ok = bit != 0b100 || matches!(t.kind, K::OcrItem1(20 | 21));
            if !in_place || !third_ok || tt != t.tt || rec.number != t.number {
                return false;
            }
            t.items |= bit;
        }
        a.records += 1;
        self.totals.records += 1;
        self.records += 1;
        self.last_line = rec.line;
        true
    }

    /// Feeds any record, with every check. Kept out of line, so that the shortcut in `push`
    /// does not pay for this one's stack frame.
    #[inline(never)]
    fn push_any(&mut self, rec: &Rec) {
        self.last_line = rec.line;
        if rec.blank {
            return;
        }
        self.records += 1;
        if self.state == State::Ended {
            self.after_end += 1;
            return;
        }
        let Some(kind) = rec.kind else {
            // unidentifiable: already reported; count it where it stands
            self.count_record();
            return;
        };
        if self.state == State::BeforeStart && kind != RecordKind::TransmissionStart {
            self.err_record(
                "OCR004",
                rec.line,
                format!("expected the transmission start (NY000010) first, found {kind}"),
            );
            self.state = State::InTransmission;
            self.start_line = rec.line;
            self.totals.records = 0;
        }
        match kind {
            RecordKind::TransmissionStart => self.transmission_start(rec),
            RecordKind::TransmissionEnd => self.transmission_end(rec),
            k if AsgKind::of_start(k).is_some() => {
                self.assignment_start(rec, AsgKind::of_start(k).unwrap_or(AsgKind::Ocr));
            }
            k if AsgKind::of_end(k).is_some() => self.assignment_end(rec, AsgKind::of_end(k).unwrap_or(AsgKind::Ocr)),
            _ => self.content(rec, kind),
        }
    }

    fn count_record(&mut self) {
        self.totals.records += 1;
        if let Some(a) = &mut self.asg {
            a.records += 1;
        }
    }

    fn transmission_start(&mut self, rec: &Rec) {
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

    fn assignment_start(&mut self, rec: &Rec, kind: AsgKind) {
        if let Some(open) = self.asg.take() {
            self.err_record(
                "OCR004",
                rec.line,
                format!("assignment started at line {} has no end record before this assignment start", open.line),
            );
            self.fold_into_totals(&open, None);
        }
        if let AsgKind::Other(service) = kind {
            self.out.push(
                Diagnostic::warning(
                    "OCR008",
                    rec.line,
                    3,
                    format!("assignment of service {service:02} is not decoded by kidkit; its records are kept verbatim and counted in the totals"),
                )
                .width(2)
                .field("service_code"),
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

    fn content(&mut self, rec: &Rec, kind: RecordKind) {
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

    fn close_txn(&mut self) {
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

    fn number_order(&mut self, rec: &Rec, what: &str) {
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

    fn item1(&mut self, rec: &Rec, kind: RecordKind, tt: u8) {
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
        a.txn = Some(Txn { line: rec.line, kind, tt, number: rec.number, items: 0b001, specs: 0 });
    }

    fn follow_item(&mut self, rec: &Rec, kind: RecordKind, tt: u8, item: u8) {
        let bit = 1u8 << (item - 1);
        let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) else {
            self.err_record("OCR012", rec.line, format!("{kind} without an amount item 1 before it"));
            return;
        };
        let (t_tt, t_number, t_items, t_line, t_kind) = (t.tt, t.number, t.items, t.line, t.kind);
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
        if rec.numbers_ok && rec.number != t_number {
            self.err(
                "OCR011",
                rec.line, at::TRANSACTION_NUMBER,
                format!("amount item {item} has transaction number {}, but its amount item 1 (line {t_line}) has {t_number}", rec.number),
            );
        }
    }

    fn specification(&mut self, rec: &Rec) {
        let cancellations = matches!(self.asg.as_ref().map(|a| a.kind), Some(AsgKind::Ag(AgAssignment::Cancellations)));
        let Some(t) = self.asg.as_mut().and_then(|a| a.txn.as_mut()) else {
            self.err_record("OCR013", rec.line, "specification record without a claim before it".to_owned());
            return;
        };
        let (t_tt, t_number, t_items, t_line) = (t.tt, t.number, t.items, t.line);
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
        if rec.numbers_ok && rec.number != t_number {
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
            self.out.push(
                Diagnostic::warning(
                    "OCR014",
                    rec.line,
                    21,
                    "specification text is blank; empty specification records must not be sent",
                )
                .width(40)
                .field("text"),
            );
        }
    }

    fn mandate(&mut self, rec: &Rec) {
        self.number_order(rec, "FBO serial number");
        if let Some(a) = &mut self.asg {
            a.txns += 1;
        }
    }

    fn check_total(&mut self, rec: &Rec, net: i128, gross: i128, code: &'static str, what: &str) {
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
                    self.out.push(
                        Diagnostic::warning(
                            "OCR041",
                            rec.line,
                            25,
                            format!(
                                "{what} total amount {} is the gross sum (amounts with sign '-' added); the net sum is {}. The gross convention now holds for the whole file",
                                kr(stated),
                                kr(net)
                            ),
                        )
                        .width(17)
                        .field("total_amount"),
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
    fn check_counts(
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

    fn check_date(&mut self, rec: &Rec, slot: usize, want: Option<NaiveDate>, field: Field, what: &str) {
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

    fn assignment_end(&mut self, rec: &Rec, kind: AsgKind) {
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

    fn fold_into_totals(&mut self, a: &Asg, end: Option<&Rec>) {
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

    fn transmission_end(&mut self, rec: &Rec) {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn kinds() -> Vec<Option<RecordKind>> {
        use RecordKind as K;
        let mut k = vec![
            None,
            Some(K::TransmissionStart),
            Some(K::TransmissionEnd),
            Some(K::OcrAssignmentStart),
            Some(K::OcrAssignmentEnd),
            Some(K::Specification),
            Some(K::Mandate),
            Some(K::Other { service: 42, record_type: 30 }),
        ];
        for a in [AgAssignment::Claims, AgAssignment::Mandates, AgAssignment::Cancellations] {
            k.extend([Some(K::AgAssignmentStart(a)), Some(K::AgAssignmentEnd(a))]);
        }
        for tt in [10, 12, 20, 21] {
            k.extend([Some(K::OcrItem1(tt)), Some(K::OcrItem2(tt)), Some(K::OcrItem3(tt))]);
        }
        for tt in [2, 21, 93] {
            k.extend([Some(K::AgItem1(tt)), Some(K::AgItem2(tt))]);
        }
        k
    }

    fn rec() -> impl Strategy<Value = (usize, u32, bool, u8, u64, bool, bool)> {
        // kind, number, numbers_ok, date, amount, negative, blank
        (
            0..kinds().len(),
            0u32..5,
            prop::bool::weighted(0.9),
            0u8..4,
            0u64..1000,
            any::<bool>(),
            prop::bool::weighted(0.02),
        )
    }

    /// Feeds records to a walk, through `push` or through `push_any` alone, and says what it found.
    fn walk(recs: &[Rec], any_only: bool) -> (Vec<Diagnostic>, u64, EndDates, Option<TotalsConvention>, bool) {
        let mut s = Structure::new();
        for r in recs {
            if any_only { s.push_any(r) } else { s.push(r) }
        }
        s.finish();
        (s.take_findings(), s.records(), s.end_dates().clone(), s.convention(), s.is_avtalegiro())
    }

    proptest! {
        /// The in-order shortcut changes nothing: any sequence of records, well-formed or not,
        /// gives the same findings, counts and dates with it as without it.
        #[test]
        fn the_in_order_shortcut_agrees_with_the_full_walk(
            head in prop::collection::vec(rec(), 0..60),
            items in prop::collection::vec((0u32..3, 0u32..6), 0..40),
        ) {
            let kinds = kinds();
            let day = |d: u8| match d {
                0 => Day::Zero,
                1 => Day::Bad,
                2 => Day::On(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
                _ => Day::On(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
            };
            let mut recs: Vec<Rec> = Vec::new();
            // a record of `kind` and `number` at the next line, numbers read well
            let next = |recs: &mut Vec<Rec>, kind: Option<RecordKind>, number: u32| {
                let mut r = Rec::new(recs.len() as u64 + 1);
                (r.kind, r.number) = (kind, number);
                recs.push(r);
                recs.len() - 1
            };
            // a well-formed opening, so that the shortcut has runs to take
            next(&mut recs, Some(RecordKind::TransmissionStart), 0);
            next(&mut recs, Some(RecordKind::OcrAssignmentStart), 0);
            for (n, (step, tt)) in items.iter().enumerate() {
                let tt = [10, 12, 20, 21, 15, 19][*tt as usize];
                let number = n as u32 + 1 + step / 2;
                let first = next(&mut recs, Some(RecordKind::OcrItem1(tt)), number);
                let r = &mut recs[first];
                (r.dates[0], r.amount, r.negative) = (day((n % 4) as u8), 100, n % 3 == 0);
                next(&mut recs, Some(RecordKind::OcrItem2(tt)), number);
                if *step == 1 || tt >= 20 {
                    next(&mut recs, Some(RecordKind::OcrItem3(tt)), number);
                }
            }
            for (k, number, ok, d, amount, negative, blank) in head {
                let i = next(&mut recs, kinds[k], number);
                let r = &mut recs[i];
                (r.numbers_ok, r.dates[0], r.amount, r.negative, r.blank) = (ok, day(d), amount, negative, blank);
            }
            prop_assert_eq!(walk(&recs, false), walk(&recs, true));
        }
    }
}
