//! The matching rules, applied in parallel and deterministically.
//!
//! A batch of payments is first routed (KID checked and looked up) in parallel. Chains are split
//! into shards of consecutive chains, each owning its items; a shard applies the payments routed
//! to it in input order. A chain's payments are therefore always applied in input order, by one
//! thread, and the results do not depend on the number of threads or shards.

use kidkit_core::{check_kid_shape, kid_holds};
use rayon::prelude::*;

use crate::index::{Found, Index, Slot};
use crate::model::{Applied, Match, Note, Payment, Status};

/// How payments are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Check KID check digits (MOD10 or MOD11): a payment whose KID fails both is `invalid_kid`.
    /// `--kid-check off` turns this off.
    pub check_digits: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { check_digits: true }
    }
}

const NONE: u32 = u32::MAX;

/// A payment applied to a chain, kept so that a later reversal can re-open what it paid.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The payment's line.
    line: u64,
    /// The amount in øre; 0 once reversed (payments are never zero).
    amount: i64,
    /// The previous entry of the same chain.
    prev: u32,
    /// Where its applications start in the shard's application lists.
    apps: u32,
}

/// Consecutive chains and their items, with the history of payments applied to them.
#[derive(Debug)]
struct Shard {
    chains: std::ops::Range<u32>,
    /// First item of the shard (items of a shard are consecutive).
    first_item: usize,
    /// Latest entry per chain (`NONE`: never paid in this run).
    heads: Vec<u32>,
    /// Per chain, offset of the first item that may be open (all before it are paid).
    cursor: Vec<u32>,
    entries: Vec<Entry>,
    app_items: Vec<u32>,
    app_amounts: Vec<i64>,
}

/// Matches payments against an index of open items, batch after batch.
#[derive(Debug)]
pub struct Matcher {
    index: Index,
    opts: Options,
    shards: Vec<Shard>,
}

impl Matcher {
    /// A matcher over `index`.
    pub fn new(index: Index, opts: Options) -> Self {
        let chains = index.chains() as u32;
        let count = (rayon::current_num_threads() as u32 * 8).clamp(1, chains.max(1));
        let mut shards = Vec::with_capacity(count as usize);
        for k in 0..count {
            let range = (u64::from(chains) * u64::from(k) / u64::from(count)) as u32
                ..(u64::from(chains) * u64::from(k + 1) / u64::from(count)) as u32;
            let n = range.len();
            let first_item = if range.is_empty() { index.len() } else { index.chain(range.start).start };
            shards.push(Shard {
                chains: range,
                first_item,
                heads: vec![NONE; n],
                cursor: vec![0; n],
                entries: Vec::new(),
                app_items: Vec::new(),
                app_amounts: Vec::new(),
            });
        }
        Matcher { index, opts, shards }
    }

    /// The open items, as matching has left them.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Where a payment goes: a chain, or straight to its result. A payment routed to a chain
    /// starts with the result it would have without one; its shard replaces it.
    fn route(&self, p: &Payment) -> (Option<u32>, Match) {
        let done = |status, note| (None, Match::unapplied(status, p.amount, note));
        if p.kid.is_empty() {
            return done(Status::NoKid, Note::None);
        }
        if self.opts.check_digits && !(check_kid_shape(&p.kid, true).is_ok() && kid_holds(p.kid.as_bytes())) {
            return done(Status::InvalidKid, Note::None);
        }
        match self.index.find(&p.kid) {
            Found::Chain(c) => (Some(c), Match::unapplied(Status::UnknownKid, p.amount, Note::None)),
            Found::LeadingZeros(c) => {
                done(Status::UnknownKid, Note::LeadingZeros { item: self.index.chain(c).start as u32 })
            }
            Found::Unknown => done(Status::UnknownKid, Note::None),
        }
    }

    /// Matches a batch of payments (the next ones of the input, in input order) and returns one
    /// result per payment, in the same order.
    pub fn match_batch(&mut self, payments: &[Payment]) -> Vec<Match> {
        let mut routed: Vec<(Option<u32>, Match)> = payments.par_iter().map(|p| self.route(p)).collect();
        // per shard, its payments in input order, each with its chain and the result to fill in
        let mut buckets: Vec<Vec<(u32, &Payment, &mut Match)>> = (0..self.shards.len()).map(|_| Vec::new()).collect();
        for ((chain, result), p) in routed.iter_mut().zip(payments) {
            if let Some(c) = *chain {
                let s = self.shards.partition_point(|s| s.chains.end <= c);
                buckets[s].push((c, p, result));
            }
        }
        let (slots, starts) = self.index.parts_mut();
        let mut work = Vec::with_capacity(self.shards.len());
        let mut rest: &mut [Slot] = slots;
        let mut offset = 0;
        for (shard, bucket) in self.shards.iter_mut().zip(buckets) {
            let end = if shard.chains.is_empty() { offset } else { starts[shard.chains.end as usize] as usize };
            let (mine, tail) = std::mem::take(&mut rest).split_at_mut(end - offset);
            rest = tail;
            offset = end;
            if !bucket.is_empty() {
                work.push((shard, mine, bucket));
            }
        }
        work.into_par_iter().for_each(|(shard, mine, bucket)| {
            for (c, p, result) in bucket {
                *result = shard.apply(mine, starts, c, p);
            }
        });
        routed.into_iter().map(|(_, m)| m).collect()
    }
}

impl Shard {
    /// Applies one payment to chain `c`; `slots` are the shard's own items.
    fn apply(&mut self, slots: &mut [Slot], starts: &[u32], c: u32, p: &Payment) -> Match {
        let local = (c - self.chains.start) as usize;
        let from = starts[c as usize] as usize - self.first_item;
        let to = starts[c as usize + 1] as usize - self.first_item;
        let chain = &mut slots[from..to];
        if p.amount < 0 {
            return self.reverse(chain, from, local, p);
        }
        let mut k = self.cursor[local] as usize;
        while k < chain.len() && chain[k].remaining == 0 {
            k += 1;
        }
        let mut left = p.amount;
        let mut applied = Vec::new();
        while left > 0 && k < chain.len() {
            let s = &mut chain[k];
            let used = left.min(s.remaining);
            s.remaining -= used;
            left -= used;
            if used > 0 {
                let item = (self.first_item + from + k) as u32;
                applied.push(Applied { item, applied: used, remaining: s.remaining });
            }
            if s.remaining == 0 {
                k += 1;
            }
        }
        self.cursor[local] = k as u32;
        let head = self.heads[local];
        let (status, note) = match applied.last() {
            None if head != NONE => (Status::Duplicate, Note::PaidBy { line: self.entries[head as usize].line }),
            None => (Status::Overpaid, Note::NothingOpen),
            Some(_) if left > 0 => (Status::Overpaid, Note::None),
            Some(a) if a.remaining > 0 => (Status::Partial, Note::None),
            Some(_) => (Status::Matched, Note::None),
        };
        self.entries.push(Entry { line: p.line, amount: p.amount, prev: head, apps: self.app_items.len() as u32 });
        self.heads[local] = (self.entries.len() - 1) as u32;
        for a in &applied {
            self.app_items.push(a.item);
            self.app_amounts.push(a.applied);
        }
        Match { status, applied, surplus: left, note }
    }

    /// Re-opens what the latest earlier payment of the same amount paid to this chain.
    fn reverse(&mut self, chain: &mut [Slot], from: usize, local: usize, p: &Payment) -> Match {
        let amount = p.amount.unsigned_abs() as i64;
        let mut e = self.heads[local];
        while e != NONE && self.entries[e as usize].amount != amount {
            e = self.entries[e as usize].prev;
        }
        if e == NONE {
            return Match::unapplied(Status::ReversalUnmatched, p.amount, Note::None);
        }
        let entry = &mut self.entries[e as usize];
        entry.amount = 0;
        let line = entry.line;
        let start = entry.apps as usize;
        let end = self.entries.get(e as usize + 1).map_or(self.app_items.len(), |n| n.apps as usize);
        let mut applied = Vec::with_capacity(end - start);
        let mut reopened = 0;
        for (&item, &paid) in self.app_items[start..end].iter().zip(&self.app_amounts[start..end]) {
            let k = item as usize - self.first_item - from;
            chain[k].remaining += paid;
            reopened += paid;
            self.cursor[local] = self.cursor[local].min(k as u32);
            applied.push(Applied { item, applied: -paid, remaining: chain[k].remaining });
        }
        Match { status: Status::Reversal, applied, surplus: -(amount - reopened), note: Note::Reverses { line } }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use kidkit_core::Findings;
    use proptest::prelude::*;

    use super::*;
    use crate::index::{ItemsBuilder, NewItem};

    const K1: &str = "123456782"; // MOD10
    const K2: &str = "123456785"; // MOD11
    const K3: &str = "0012344"; // MOD10, with leading zeros

    /// (invoice, kid, øre, day of November)
    fn index(items: &[(&str, &str, i64, u32)]) -> Index {
        let mut b = ItemsBuilder::default();
        for (n, &(inv, kid, amount, day)) in items.iter().enumerate() {
            let due = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
            let it =
                NewItem { line: n as u64 + 2, customer_no: "10", invoice_no: inv, invoice_column: 4, kid, amount, due };
            b.push(&it).unwrap();
        }
        b.build(&mut Findings::new("items", None)).unwrap()
    }

    fn pay(line: u64, kid: &str, amount: i64) -> Payment {
        Payment { line, kid: kid.into(), amount }
    }

    /// (status, [(invoice, applied, remaining)], surplus)
    type Row = (Status, Vec<(String, i64, i64)>, i64);

    fn run(m: &mut Matcher, payments: &[Payment]) -> Vec<Row> {
        let out = m.match_batch(payments);
        out.into_iter()
            .map(|r| {
                let items = r
                    .applied
                    .iter()
                    .map(|a| (m.index().item(a.item).invoice_no.to_owned(), a.applied, a.remaining))
                    .collect();
                (r.status, items, r.surplus)
            })
            .collect()
    }

    fn s(v: &str) -> String {
        v.to_owned()
    }

    #[test]
    fn chains_are_paid_oldest_first_until_the_money_is_used() {
        let ix = index(&[("12", K1, 300, 5), ("11", K1, 200, 5), ("10", K1, 100, 9)]);
        let mut m = Matcher::new(ix, Options::default());
        let got = run(&mut m, &[pay(2, K1, 250), pay(3, K1, 250), pay(4, K1, 150), pay(5, K1, 40)]);
        assert_eq!(
            got,
            [
                (Status::Partial, vec![(s("11"), 200, 0), (s("12"), 50, 250)], 0),
                (Status::Matched, vec![(s("12"), 250, 0)], 0),
                (Status::Overpaid, vec![(s("10"), 100, 0)], 50),
                (Status::Duplicate, vec![], 40),
            ]
        );
    }

    #[test]
    fn kid_problems_and_leading_zero_hints() {
        let ix = index(&[("1", K3, 100, 1), ("2", K1, 100, 1)]);
        let mut m = Matcher::new(ix, Options::default());
        let out = m.match_batch(&[pay(2, "", 100), pay(3, "123456789", 100), pay(4, "12344", 100), pay(5, K2, 7)]);
        let statuses: Vec<Status> = out.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [Status::NoKid, Status::InvalidKid, Status::UnknownKid, Status::UnknownKid]);
        let Note::LeadingZeros { item } = out[2].note else { panic!("{:?}", out[2].note) };
        assert_eq!(m.index().item(item).invoice_no, "1");
        assert_eq!(out[3].note, Note::None);
        assert!(out.iter().all(|r| r.applied.is_empty()));
        assert_eq!(out[1].surplus, 100);

        let ix = index(&[("1", "123456789", 100, 1)]);
        let mut m = Matcher::new(ix, Options { check_digits: false });
        let got = run(&mut m, &[pay(2, "123456789", 100)]);
        assert_eq!(got, [(Status::Matched, vec![(s("1"), 100, 0)], 0)]);
    }

    #[test]
    fn reversals_reopen_what_the_latest_payment_of_that_amount_paid() {
        let ix = index(&[("1", K1, 100, 1), ("2", K1, 100, 2)]);
        let mut m = Matcher::new(ix, Options::default());
        let got = run(
            &mut m,
            &[pay(2, K1, 150), pay(3, K1, 50), pay(4, K1, -150), pay(5, K1, -150), pay(6, K1, -60), pay(7, K1, 100)],
        );
        assert_eq!(
            got,
            [
                (Status::Partial, vec![(s("1"), 100, 0), (s("2"), 50, 50)], 0),
                (Status::Matched, vec![(s("2"), 50, 0)], 0),
                (Status::Reversal, vec![(s("1"), -100, 100), (s("2"), -50, 50)], 0),
                (Status::ReversalUnmatched, vec![], -150),
                (Status::ReversalUnmatched, vec![], -60),
                (Status::Matched, vec![(s("1"), 100, 0)], 0),
            ]
        );
        let out = m.match_batch(&[pay(8, K1, 80), pay(9, K1, -80)]);
        assert_eq!(out[1].note, Note::Reverses { line: 8 });
        assert_eq!(out[0].surplus, 30);
        assert_eq!(out[1].surplus, -30, "the surplus is reversed too");
    }

    #[test]
    fn a_chain_paid_in_full_takes_no_more() {
        let ix = index(&[("1", K1, 100, 1)]);
        let mut m = Matcher::new(ix, Options::default());
        let out = m.match_batch(&[pay(2, K1, 100), pay(3, K1, 100)]);
        assert_eq!(out[1].status, Status::Duplicate);
        assert_eq!(out[1].note, Note::PaidBy { line: 2 });
    }

    fn kid_of(k: u8) -> String {
        let body = format!("{:05}", u32::from(k) * 7 + 1);
        let c = kidkit_core::make_check_char(&body, kidkit_core::KidRule::Mod10).unwrap();
        format!("{body}{}", c as char)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Applied plus surplus is what was paid; no item is ever paid beyond its amount; and the
        /// result does not depend on how payments are cut into batches or how many threads run.
        #[test]
        fn money_is_conserved_and_never_overapplied(
            items in proptest::collection::vec((0u8..6, 1i64..500, 1u32..28), 1..30),
            payments in proptest::collection::vec((0u8..8, -400i64..600), 1..80),
            cut in 0usize..80,
        ) {
            let kids: Vec<String> = (0..8).map(kid_of).collect();
            let invoices: Vec<String> = (0..items.len()).map(|i| i.to_string()).collect();
            let list: Vec<(&str, &str, i64, u32)> = items
                .iter()
                .zip(&invoices)
                .map(|(&(k, a, d), inv)| (inv.as_str(), kids[k as usize].as_str(), a, d))
                .collect();
            let pays: Vec<Payment> = payments
                .iter()
                .enumerate()
                .filter(|(_, p)| p.1 != 0)
                .map(|(n, &(k, a))| pay(n as u64 + 2, &kids[k as usize], a))
                .collect();
            let mut whole = Matcher::new(index(&list), Options::default());
            let all = whole.match_batch(&pays);
            let paid: i64 = pays.iter().map(|p| p.amount).sum();
            let applied: i64 = all.iter().flat_map(|r| &r.applied).map(|a| a.applied).sum();
            let surplus: i64 = all.iter().map(|r| r.surplus).sum();
            prop_assert_eq!(applied + surplus, paid);
            for r in &all {
                for a in &r.applied {
                    let due = list[(whole.index().item(a.item).line - 2) as usize].2;
                    prop_assert!(a.remaining >= 0 && a.remaining <= due, "{:?}", a);
                }
            }
            let mut cut_up = Matcher::new(index(&list), Options::default());
            let at = cut.min(pays.len());
            let mut parts = cut_up.match_batch(&pays[..at]);
            parts.extend(cut_up.match_batch(&pays[at..]));
            prop_assert_eq!(&parts, &all);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
            let one = pool.install(|| Matcher::new(index(&list), Options::default()).match_batch(&pays));
            prop_assert_eq!(&one, &all);
        }
    }
}
