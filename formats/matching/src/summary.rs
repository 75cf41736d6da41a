//! Counts and sums per status, and what is left of the open items.

use std::io::{self, Write};

use kidkit_core::format_point;
use serde_json::{Map, Value, json};

use crate::index::Index;
use crate::model::{Match, Payment, Status};
use crate::open_items::NotMatchable;

/// A count and a sum in øre.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// Their sum in øre.
    pub amount: i128,
}

impl Tally {
    fn add(&mut self, amount: i64) {
        self.count += 1;
        self.amount += i128::from(amount);
    }

    fn json(self) -> Value {
        json!({"count": self.count, "amount": kroner(self.amount)})
    }
}

/// Kroner with a decimal point, for sums that may exceed 64 bits.
pub fn kroner(ore: i128) -> String {
    let abs = ore.unsigned_abs();
    format!("{}{}.{:02}", if ore < 0 { "-" } else { "" }, abs / 100, abs % 100)
}

/// What a run did with the payments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// All payments (reversals count negative).
    pub payments: Tally,
    /// Per status, in the order of [`Status::ALL`].
    pub statuses: [Tally; 9],
    /// Øre applied to open items (reversals subtract).
    pub applied: i128,
    /// Øre not applied.
    pub surplus: i128,
    /// `unknown_kid` rows left out by `--skip-unknown`.
    pub skipped_unknown: u64,
    /// Records of the payments file that are not payments (AvtaleGiro claims and mandates).
    pub not_payments: u64,
}

impl Summary {
    /// Counts one payment and its result.
    pub fn add(&mut self, p: &Payment, m: &Match) {
        self.payments.add(p.amount);
        self.statuses[m.status.ordinal()].add(p.amount);
        self.applied += m.applied.iter().map(|a| i128::from(a.applied)).sum::<i128>();
        self.surplus += i128::from(m.surplus);
    }

    /// The tally of one status.
    pub fn of(&self, s: Status) -> Tally {
        self.statuses[s.ordinal()]
    }

    /// Payments that `--strict` fails on: neither `matched` nor `reversal` (skipped unknown KIDs
    /// excepted).
    pub fn unsettled(&self) -> u64 {
        Status::ALL
            .iter()
            .filter(|s| !(s.is_settled() || (**s == Status::UnknownKid && self.skipped_unknown > 0)))
            .map(|s| self.of(*s).count)
            .sum()
    }
}

/// The open items before and after a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsSummary {
    /// Items and the amount due when the run began.
    pub before: Tally,
    /// Items still open afterwards and what they have left.
    pub left: Tally,
    /// Items and credit notes that cannot be matched.
    pub not_matchable: Vec<NotMatchable>,
}

impl ItemsSummary {
    /// Counts what `index` has left.
    pub fn of(index: &Index, not_matchable: Vec<NotMatchable>) -> Self {
        let (count, amount) = index.still_open();
        let left = Tally { count, amount };
        let before = Tally { count: index.len() as u64, amount: index.total_due() };
        ItemsSummary { before, left, not_matchable }
    }
}

/// The summary as JSON (the `summary` object of JSON and NDJSON output).
pub fn summary_json(s: &Summary, items: &ItemsSummary) -> Value {
    let statuses: Map<String, Value> = Status::ALL.iter().map(|st| (st.name().to_owned(), s.of(*st).json())).collect();
    let not_matchable: Vec<Value> = items
        .not_matchable
        .iter()
        .map(|n| {
            json!({"line": n.line, "customer_no": n.customer_no, "invoice_no": n.invoice_no,
                   "amount": format_point(n.amount), "reason": n.reason})
        })
        .collect();
    json!({
        "payments": s.payments.json(),
        "statuses": statuses,
        "applied": kroner(s.applied),
        "surplus": kroner(s.surplus),
        "skipped_unknown": s.skipped_unknown,
        "not_payments": s.not_payments,
        "open_items": {"before": items.before.json(), "left": items.left.json()},
        "not_matchable": not_matchable,
    })
}

/// The summary as text for people (stderr in CSV mode).
pub fn write_summary(out: &mut dyn Write, s: &Summary, items: &ItemsSummary) -> io::Result<()> {
    writeln!(
        out,
        "{} payments, {} kr: {} kr applied, {} kr not applied",
        s.payments.count,
        kroner(s.payments.amount),
        kroner(s.applied),
        kroner(s.surplus)
    )?;
    for st in Status::ALL {
        let t = s.of(st);
        if t.count > 0 {
            writeln!(out, "  {:<19}{:>9}  {:>16} kr", st.name(), t.count, kroner(t.amount))?;
        }
    }
    if s.skipped_unknown > 0 {
        writeln!(out, "  ({} unknown_kid rows left out by --skip-unknown)", s.skipped_unknown)?;
    }
    if s.not_payments > 0 {
        writeln!(out, "  ({} AvtaleGiro records in the payments file are not payments)", s.not_payments)?;
    }
    writeln!(
        out,
        "open items: {} of {} still open, {} kr of {} kr",
        items.left.count,
        items.before.count,
        kroner(items.left.amount),
        kroner(items.before.amount)
    )?;
    if !items.not_matchable.is_empty() {
        writeln!(out, "not matchable: {}", items.not_matchable.len())?;
        for n in &items.not_matchable {
            writeln!(
                out,
                "  line {}: customer {} invoice {}: {} kr, {}",
                n.line,
                n.customer_no,
                n.invoice_no,
                format_point(n.amount),
                n.reason
            )?;
        }
    }
    Ok(())
}
