//! The structure of a transmission, walked record by record in file order: order and nesting,
//! transaction numbering and the items of one transaction, specification records, and every
//! count, sum and date in the end records (with the net/gross policy D3).

use chrono::NaiveDate;
use kidkit_core::{Diagnostic, format_point};

use crate::groups::Groups;
use crate::kind::{AgAssignment, RecordKind};
use crate::layout::Field;
use crate::record::{Day, Rec};

mod ends;
mod items;

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
    /// The number was read (its amount item 1 was decoded).
    number_known: bool,
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

    /// A warning about `field` of the record on `line`, underlining the whole field.
    fn warn(&mut self, code: &'static str, line: u64, field: Field, message: impl Into<String>) {
        let d = Diagnostic::warning(code, line, u32::from(field.start), message);
        self.out.push(d.width(u32::from(field.len)).field(field.name));
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
            let number_known = rec.numbers_ok;
            a.txn = Some(Txn { line: rec.line, kind, tt, number: rec.number, number_known, items: 0b001, specs: 0 });
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
