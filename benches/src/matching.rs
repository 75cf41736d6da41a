//! Matching inputs of any size with a known answer: an open-items CSV, a payments CSV with a
//! chosen share of exact, partial, over, duplicate, reversed, unknown, invalid and KID-less
//! payments, and what `kidkit match` must say about them.
//!
//! The answer comes from a model much simpler than kidkit's engine (one item per KID, a
//! reversal only ever of the latest payment to its KID), so the two check each other.

use std::io::{self, Write};

use kidkit_core::{KidRule, kid_holds, make_check_char};

use crate::Rng;

/// Shares of the kinds of payment, in per mille (they should add up to 1000; the rest are
/// exact payments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mix {
    /// Pays less than what is left.
    pub partial: u32,
    /// Pays more than what is left.
    pub over: u32,
    /// Pays an item already paid in full.
    pub duplicate: u32,
    /// Reverses the latest payment to an item.
    pub reversal: u32,
    /// A valid KID no item has.
    pub unknown: u32,
    /// A KID failing both check-digit rules.
    pub invalid: u32,
    /// No KID.
    pub no_kid: u32,
}

impl Default for Mix {
    /// 70 % exact, 8 % partial, 5 % over, 4 % duplicate, 3 % reversal, 5 % unknown, 3 % invalid,
    /// 2 % without KID.
    fn default() -> Self {
        Mix { partial: 80, over: 50, duplicate: 40, reversal: 30, unknown: 50, invalid: 30, no_kid: 20 }
    }
}

/// What matching the generated files must give.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    /// Payments per status, by status name, in kidkit's order: matched, partial, overpaid,
    /// duplicate, `unknown_kid`, `invalid_kid`, `no_kid`, reversal, `reversal_unmatched`.
    pub counts: [u64; 9],
    /// Sum of all payments in øre (reversals negative).
    pub paid: i128,
    /// Øre applied to items.
    pub applied: i128,
    /// Øre not applied.
    pub surplus: i128,
    /// Items left open and what they have left.
    pub open_left: (u64, i128),
}

/// The status names in the order of [`Expected::counts`].
pub const STATUSES: [&str; 9] = [
    "matched",
    "partial",
    "overpaid",
    "duplicate",
    "unknown_kid",
    "invalid_kid",
    "no_kid",
    "reversal",
    "reversal_unmatched",
];

fn kid(body: u64) -> String {
    let body = body.to_string();
    let c = make_check_char(&body, KidRule::Mod10).unwrap_or(b'0');
    format!("{body}{}", c as char)
}

fn kroner(ore: i64, rng: &mut Rng) -> String {
    let mark = if rng.below(2) == 0 { ',' } else { '.' };
    let sign = if ore < 0 { "-" } else { "" };
    format!("{sign}{}{mark}{:02}", ore.unsigned_abs() / 100, ore.unsigned_abs() % 100)
}

const MATCHED: usize = 0;
const PARTIAL: usize = 1;
const OVERPAID: usize = 2;
const DUPLICATE: usize = 3;
const UNKNOWN: usize = 4;
const INVALID: usize = 5;
const NO_KID: usize = 6;
const REVERSAL: usize = 7;
const REVERSAL_UNMATCHED: usize = 8;

/// The status of a payment of `amount` that used `used` and left `left` on its item.
fn paid(amount: i64, used: i64, left: i64) -> usize {
    if amount > used {
        OVERPAID
    } else if left > 0 {
        PARTIAL
    } else {
        MATCHED
    }
}

const ITEM_BODY: u64 = 1_000_000_000;
const UNKNOWN_BODY: u64 = 5_000_000_000;

/// Writes `items` open items and `payments` payments from `seed`, and returns the answer.
pub fn write_matching(
    mut items_out: impl Write,
    mut payments_out: impl Write,
    items: u64,
    payments: u64,
    mix: Mix,
    seed: u64,
) -> io::Result<Expected> {
    let mut rng = Rng::new(seed);
    let count = usize::try_from(items.max(1)).map_err(io::Error::other)?;
    writeln!(items_out, "customer_no;invoice_no;kid;amount_due;due_date")?;
    let mut remaining = Vec::with_capacity(count);
    for i in 0..items.max(1) {
        let amount = 100 + rng.below(500_000) as i64;
        remaining.push(amount);
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let amount_text = kroner(amount, &mut rng);
        writeln!(
            items_out,
            "{};{};{};{amount_text};2026{month:02}{day:02}",
            10_000 + i / 3,
            100_000 + i,
            kid(ITEM_BODY + i)
        )?;
    }
    items_out.flush()?;

    let mut expected = Expected::default();
    // the latest payment to each item: (amount, applied), for reversals
    let mut last: Vec<Option<(i64, i64)>> = vec![None; count];
    let (mut paid_full, mut reversible): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    let mut next = 0usize;
    writeln!(payments_out, "kid;amount;date;payer_account;reference")?;
    for _ in 0..payments {
        let roll = rng.below(1000) as u32;
        let mut bound = 0;
        let mut pick = |share: u32| {
            bound += share;
            roll < bound
        };
        let (kid_text, amount, status, applied) = if pick(mix.unknown) {
            let a = 100 + rng.below(100_000) as i64;
            (kid(UNKNOWN_BODY + rng.below(1_000_000_000)), a, UNKNOWN, 0)
        } else if pick(mix.invalid) {
            let mut k = kid(ITEM_BODY + rng.below(items.max(1))).into_bytes();
            while kid_holds(&k) {
                let last = k.len() - 1;
                k[last] = b'0' + (k[last] - b'0' + 1) % 10;
            }
            (String::from_utf8(k).unwrap_or_default(), 100 + rng.below(100_000) as i64, INVALID, 0)
        } else if pick(mix.no_kid) {
            (String::new(), 100 + rng.below(100_000) as i64, NO_KID, 0)
        } else if let (true, Some(i)) = (pick(mix.reversal), reversible.pop()) {
            let i = i as usize;
            match last[i].take() {
                Some((a, used)) => {
                    remaining[i] += used;
                    (kid(ITEM_BODY + i as u64), -a, REVERSAL, -used)
                }
                None => (kid(ITEM_BODY + i as u64), -1, REVERSAL_UNMATCHED, 0),
            }
        } else if let (true, Some(i)) = (pick(mix.duplicate), paid_full.pop()) {
            let i = i as usize;
            let a = 100 + rng.below(100_000) as i64;
            if remaining[i] == 0 {
                last[i] = Some((a, 0));
                (kid(ITEM_BODY + i as u64), a, DUPLICATE, 0)
            } else {
                // re-opened by a reversal since: an ordinary payment
                let used = a.min(remaining[i]);
                remaining[i] -= used;
                last[i] = Some((a, used));
                let status = paid(a, used, remaining[i]);
                (kid(ITEM_BODY + i as u64), a, status, used)
            }
        } else {
            let i = next;
            next = (next + 1) % count;
            let r = remaining[i];
            // rolls past the other kinds split into partial, over and exact; fallbacks are exact
            let base = mix.unknown + mix.invalid + mix.no_kid + mix.reversal + mix.duplicate;
            let a = if r == 0 {
                100 + rng.below(1000) as i64
            } else if (base..base + mix.partial).contains(&roll) && r >= 4 {
                // never below 2 øre left: no payment is ever 1 øre, the unmatched reversals' amount
                r / 2
            } else if (base + mix.partial..base + mix.partial + mix.over).contains(&roll) {
                r + 1 + rng.below(5000) as i64
            } else {
                r
            };
            let used = a.min(r);
            remaining[i] -= used;
            let status = if r == 0 { DUPLICATE } else { paid(a, used, remaining[i]) };
            last[i] = Some((a, used));
            if remaining[i] == 0 {
                paid_full.push(i as u32);
            }
            reversible.push(i as u32);
            (kid(ITEM_BODY + i as u64), a, status, used)
        };
        expected.counts[status] += 1;
        expected.paid += i128::from(amount);
        expected.applied += i128::from(applied);
        expected.surplus += i128::from(amount - applied);
        let day = 1 + rng.below(28);
        let amount_text = kroner(amount, &mut rng);
        writeln!(payments_out, "{kid_text};{amount_text};202611{day:02};;")?;
    }
    payments_out.flush()?;
    for r in remaining.into_iter().filter(|&r| r > 0) {
        expected.open_left.0 += 1;
        expected.open_left.1 += i128::from(r);
    }
    Ok(expected)
}
