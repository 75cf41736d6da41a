//! The open items, held compactly and indexed by KID.
//!
//! Items live in one vector of 32-byte slots; their customer number, invoice number and KID in
//! one text arena. Items sharing a KID (a chain) sit next to each other, oldest first (due date,
//! then invoice number), and a hash table maps a KID to its chain. The table is keyed on the KID
//! with leading zeros removed, so the same probe that finds a KID also finds the candidates a
//! spreadsheet's lost zeros would have hidden.

use std::cmp::Ordering;
use std::hash::BuildHasher;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use kidkit_core::{Diagnostic, Findings};
use rayon::prelude::*;

/// A fixed seed: the order of chains, and so every result, is the same on every run.
const SEED: u64 = 0x006b_6964_6b69_7421;

/// One open item, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewItem<'a> {
    /// Line in the open-items file.
    pub line: u64,
    /// Customer number.
    pub customer_no: &'a str,
    /// Invoice number.
    pub invoice_no: &'a str,
    /// Column the invoice number starts at (for `MAT005`).
    pub invoice_column: u32,
    /// KID; empty when the item has none (it cannot be matched).
    pub kid: &'a str,
    /// Amount due in øre.
    pub amount: i64,
    /// Due date.
    pub due: NaiveDate,
}

/// One open item, as the index holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    /// Line in the open-items file.
    pub line: u64,
    /// Customer number.
    pub customer_no: &'a str,
    /// Invoice number.
    pub invoice_no: &'a str,
    /// KID (empty: none).
    pub kid: &'a str,
    /// What is left to pay, in øre.
    pub remaining: i64,
    /// Due date.
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) remaining: i64,
    /// The high half of the KID's hash: the first sort key of chains.
    hash: u32,
    text: u32,
    line: u32,
    due: i32,
    kid_len: u16,
    cust_len: u16,
    inv_len: u16,
    inv_col: u16,
}

/// Why an item cannot be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(pub &'static str);

/// Collects open items before they are indexed.
#[derive(Debug, Default)]
pub struct ItemsBuilder {
    text: String,
    slots: Vec<Slot>,
}

fn len16(s: &str) -> Result<u16, Limit> {
    u16::try_from(s.len()).map_err(|_| Limit("a field longer than 65 535 bytes"))
}

fn strip_zeros(kid: &[u8]) -> &[u8] {
    let n = kid.iter().take_while(|&&b| b == b'0').count();
    &kid[n..]
}

fn kid_hash(kid: &[u8]) -> u64 {
    FixedState::with_seed(SEED).hash_one(strip_zeros(kid))
}

/// Invoice numbers in chain order: numerically when both are all digits, else bytewise.
pub fn invoice_order(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        let (x, y) = (strip_zeros(a.as_bytes()), strip_zeros(b.as_bytes()));
        x.len().cmp(&y.len()).then_with(|| x.cmp(y)).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

impl ItemsBuilder {
    /// Items collected so far.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// No items yet.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Adds an item.
    pub fn push(&mut self, it: &NewItem<'_>) -> Result<(), Limit> {
        let text = u32::try_from(self.text.len()).map_err(|_| Limit("more than 4 GiB of open-item text"))?;
        let line = u32::try_from(it.line).map_err(|_| Limit("an open-items file of more than 4 294 967 295 lines"))?;
        let slot = Slot {
            hash: (kid_hash(it.kid.as_bytes()) >> 32) as u32,
            remaining: it.amount,
            text,
            line,
            due: it.due.num_days_from_ce(),
            kid_len: len16(it.kid)?,
            cust_len: len16(it.customer_no)?,
            inv_len: len16(it.invoice_no)?,
            inv_col: u16::try_from(it.invoice_column).unwrap_or(u16::MAX),
        };
        self.text.push_str(it.kid);
        self.text.push_str(it.customer_no);
        self.text.push_str(it.invoice_no);
        self.slots.push(slot);
        Ok(())
    }

    /// Appends the items of `later` (collected from a later part of the same file).
    pub fn append(&mut self, later: ItemsBuilder) -> Result<(), Limit> {
        let base = u32::try_from(self.text.len()).map_err(|_| Limit("more than 4 GiB of open-item text"))?;
        if u32::try_from(self.text.len() + later.text.len()).is_err() {
            return Err(Limit("more than 4 GiB of open-item text"));
        }
        self.text.push_str(&later.text);
        self.slots.extend(later.slots.into_iter().map(|mut s| {
            s.text += base;
            s
        }));
        Ok(())
    }

    /// Indexes the items: chains sorted oldest first, and `MAT005` for every invoice number that
    /// appears twice for one customer (into `findings`).
    pub fn build(self, findings: &mut Findings) -> Result<Index, Limit> {
        if u32::try_from(self.slots.len()).is_err() {
            return Err(Limit("more than 4 294 967 295 open items"));
        }
        let ItemsBuilder { text, mut slots } = self;
        duplicates(&text, &slots, findings);
        let total = slots.iter().map(|s| i128::from(s.remaining)).sum();
        slots.par_sort_unstable_by(|a, b| {
            a.hash
                .cmp(&b.hash)
                .then_with(|| kid(&text, a).cmp(kid(&text, b)))
                .then_with(|| a.due.cmp(&b.due))
                .then_with(|| invoice_order(invoice(&text, a), invoice(&text, b)))
                .then_with(|| a.line.cmp(&b.line))
        });
        let mut starts = Vec::new();
        for (i, s) in slots.iter().enumerate() {
            let new_chain = i == 0 || {
                let p = &slots[i - 1];
                p.hash != s.hash || kid(&text, p) != kid(&text, s)
            };
            if new_chain {
                starts.push(i as u32);
            }
        }
        starts.push(slots.len() as u32);
        let chains = starts.len() - 1;
        let mut table = HashTable::with_capacity(chains);
        for g in 0..chains {
            let first = &slots[starts[g] as usize];
            if first.kid_len > 0 {
                let hash_of = |c: u32| kid_hash(kid(&text, &slots[starts[c as usize] as usize]).as_bytes());
                table.insert_unique(hash_of(g as u32), g as u32, |&c: &u32| hash_of(c));
            }
        }
        Ok(Index { text, slots, starts, table, total })
    }
}

fn kid<'t>(text: &'t str, s: &Slot) -> &'t str {
    let at = s.text as usize;
    &text[at..at + s.kid_len as usize]
}

fn customer<'t>(text: &'t str, s: &Slot) -> &'t str {
    let at = s.text as usize + s.kid_len as usize;
    &text[at..at + s.cust_len as usize]
}

fn invoice<'t>(text: &'t str, s: &Slot) -> &'t str {
    let at = s.text as usize + s.kid_len as usize + s.cust_len as usize;
    &text[at..at + s.inv_len as usize]
}

/// `MAT005`: the same invoice number twice for one customer. Items are sorted by 32 bits of a
/// hash of the pair with their index in the low 32 bits (8 bytes an item); only items of equal
/// hash are compared as text.
fn duplicates(text: &str, slots: &[Slot], findings: &mut Findings) {
    const HIGH: u64 = 0xFFFF_FFFF_0000_0000;
    let state = FixedState::with_seed(SEED);
    let mut keys: Vec<u64> = slots
        .par_iter()
        .enumerate()
        .map(|(i, s)| (state.hash_one((customer(text, s), invoice(text, s))) & HIGH) | i as u64)
        .collect();
    keys.par_sort_unstable();
    let mut found = Vec::new();
    for run in keys.chunk_by(|a, b| a & HIGH == b & HIGH).filter(|r| r.len() > 1) {
        let mut members: Vec<&Slot> = run.iter().map(|&k| &slots[(k & !HIGH) as usize]).collect();
        members.sort_by(|a, b| {
            (customer(text, a), invoice(text, a), a.line).cmp(&(customer(text, b), invoice(text, b), b.line))
        });
        for same in
            members.chunk_by(|a, b| customer(text, a) == customer(text, b) && invoice(text, a) == invoice(text, b))
        {
            let first = same[0];
            for d in &same[1..] {
                found.push(
                    Diagnostic::error(
                        "MAT005",
                        u64::from(d.line),
                        u32::from(d.inv_col),
                        format!(
                            "invoice_no must be unique for one customer; found '{}' for customer '{}' again (first on line {})",
                            invoice(text, d),
                            customer(text, d),
                            first.line
                        ),
                    )
                    .field("invoice_no")
                    .width(u32::from(d.inv_len).max(1)),
                );
            }
        }
    }
    found.sort_by_key(|d| d.line);
    findings.extend(found);
}

/// Where a KID leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The chain of open items with exactly this KID.
    Chain(u32),
    /// No chain has this KID, but this one does with leading zeros removed on both sides.
    LeadingZeros(u32),
    /// No chain.
    Unknown,
}

/// The open items, indexed by KID.
#[derive(Debug)]
pub struct Index {
    text: String,
    pub(crate) slots: Vec<Slot>,
    starts: Vec<u32>,
    table: HashTable<u32>,
    total: i128,
}

impl Index {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// No items.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Number of chains (distinct KIDs, items without KID counting as one).
    pub fn chains(&self) -> usize {
        self.starts.len() - 1
    }

    /// The items of chain `c`, as indices, oldest first.
    pub fn chain(&self, c: u32) -> Range<usize> {
        self.starts[c as usize] as usize..self.starts[c as usize + 1] as usize
    }

    /// The slots to change and the chain starts, borrowed together (for the matching shards).
    pub(crate) fn parts_mut(&mut self) -> (&mut [Slot], &[u32]) {
        (&mut self.slots, &self.starts)
    }

    /// Item `i`.
    pub fn item(&self, i: u32) -> Item<'_> {
        let s = &self.slots[i as usize];
        Item {
            line: u64::from(s.line),
            customer_no: customer(&self.text, s),
            invoice_no: invoice(&self.text, s),
            kid: kid(&self.text, s),
            remaining: s.remaining,
            due: NaiveDate::from_num_days_from_ce_opt(s.due).unwrap_or_default(),
        }
    }

    /// The customer and invoice number of item `i` (cheaper than [`Index::item`]).
    pub fn names(&self, i: u32) -> (&str, &str) {
        let s = &self.slots[i as usize];
        (customer(&self.text, s), invoice(&self.text, s))
    }

    /// What item `i` has left to pay.
    pub fn remaining(&self, i: u32) -> i64 {
        self.slots[i as usize].remaining
    }

    /// Items with something left to pay, and the sum left.
    pub fn still_open(&self) -> (u64, i128) {
        self.slots
            .par_iter()
            .filter(|s| s.remaining > 0)
            .map(|s| (1u64, i128::from(s.remaining)))
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    }

    /// Sum of the amounts due when the index was built, less credit notes.
    pub fn total_due(&self) -> i128 {
        self.total
    }

    /// Where `kid` leads.
    pub fn find(&self, kid_text: &str) -> Found {
        if kid_text.is_empty() {
            return Found::Unknown;
        }
        let stripped = strip_zeros(kid_text.as_bytes());
        let mut hint: Option<u32> = None;
        for &c in self.table.iter_hash(kid_hash(kid_text.as_bytes())) {
            let k = kid(&self.text, &self.slots[self.starts[c as usize] as usize]);
            if k == kid_text {
                return Found::Chain(c);
            }
            if strip_zeros(k.as_bytes()) == stripped {
                hint = Some(hint.map_or(c, |h| h.min(c)));
            }
        }
        hint.map_or(Found::Unknown, Found::LeadingZeros)
    }

    /// Items left with something to pay, in file order (by line).
    pub fn open_in_file_order(&self) -> Vec<u32> {
        let mut open: Vec<u32> =
            (0..self.slots.len() as u32).into_par_iter().filter(|&i| self.slots[i as usize].remaining > 0).collect();
        open.par_sort_unstable_by_key(|&i| self.slots[i as usize].line);
        open
    }

    /// Items without a KID (never matched), in file order.
    pub fn without_kid(&self) -> Vec<u32> {
        let mut v: Vec<u32> = (0..self.slots.len() as u32).filter(|&i| self.slots[i as usize].kid_len == 0).collect();
        v.sort_by_key(|&i| self.slots[i as usize].line);
        v
    }

    /// Reduces the chain of `kid` by a credit note of `amount` øre, oldest item first; returns
    /// what could not be used (all of it when no chain has the KID).
    pub fn credit(&mut self, kid_text: &str, amount: i64) -> i64 {
        let Found::Chain(c) = self.find(kid_text) else { return amount };
        let mut left = amount;
        for i in self.chain(c) {
            let s = &mut self.slots[i];
            let used = left.min(s.remaining);
            s.remaining -= used;
            left -= used;
            if left == 0 {
                break;
            }
        }
        self.total -= i128::from(amount - left);
        left
    }

    /// Bytes the index holds beyond the input strings: slots, chain starts and the table.
    pub fn overhead_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.starts.capacity() * 4
            + self.table.capacity() * (4 + 1)
    }

    /// Bytes of the input strings (customer numbers, invoice numbers, KIDs).
    pub fn text_bytes(&self) -> usize {
        self.text.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item<'a>(line: u64, cust: &'a str, inv: &'a str, kid: &'a str, amount: i64, due: &str) -> NewItem<'a> {
        NewItem { line, customer_no: cust, invoice_no: inv, invoice_column: 3, kid, amount, due: date(due) }
    }

    #[test]
    fn chains_are_oldest_first_and_invoices_numeric() {
        let mut b = ItemsBuilder::default();
        b.push(&item(2, "1", "10", "123456782", 100, "2026-02-01")).unwrap();
        b.push(&item(3, "1", "9", "123456782", 200, "2026-02-01")).unwrap();
        b.push(&item(4, "1", "8", "123456782", 300, "2026-03-01")).unwrap();
        b.push(&item(5, "2", "1", "0000123", 50, "2026-01-01")).unwrap();
        let mut f = Findings::new("x", None);
        let ix = b.build(&mut f).unwrap();
        assert!(f.items().is_empty());
        let Found::Chain(c) = ix.find("123456782") else { panic!() };
        let invoices: Vec<&str> = ix.chain(c).map(|i| ix.item(i as u32).invoice_no).collect();
        assert_eq!(invoices, ["9", "10", "8"]);
        assert_eq!(ix.total_due(), 650);
        assert!(matches!(ix.find("123"), Found::LeadingZeros(_)));
        assert!(matches!(ix.find("00123"), Found::LeadingZeros(_)));
        assert_eq!(ix.find("0000123"), Found::Chain(1 - c));
        assert_eq!(ix.find("99"), Found::Unknown);
        assert_eq!(ix.find(""), Found::Unknown);
    }

    #[test]
    fn invoice_order_is_numeric_only_between_numbers() {
        assert_eq!(invoice_order("9", "10"), Ordering::Less);
        assert_eq!(invoice_order("009", "10"), Ordering::Less);
        assert_eq!(invoice_order("A9", "A10"), Ordering::Greater);
        assert_eq!(invoice_order("10", "A"), Ordering::Less);
    }

    #[test]
    fn same_invoice_twice_for_one_customer_is_mat005() {
        let mut b = ItemsBuilder::default();
        b.push(&item(2, "C1", "F1", "123456782", 100, "2026-02-01")).unwrap();
        b.push(&item(3, "C2", "F1", "123456782", 100, "2026-02-01")).unwrap();
        b.push(&item(4, "C1", "F1", "", 100, "2026-02-01")).unwrap();
        let mut f = Findings::new("x", None);
        b.build(&mut f).unwrap();
        let found: Vec<(u64, &str)> = f.items().iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(found, [(4, "MAT005")]);
        assert!(f.items()[0].message.contains("first on line 2"), "{}", f.items()[0].message);
    }

    #[test]
    fn credit_notes_reduce_the_oldest_items() {
        let mut b = ItemsBuilder::default();
        b.push(&item(2, "1", "1", "123456782", 100, "2026-01-01")).unwrap();
        b.push(&item(3, "1", "2", "123456782", 100, "2026-02-01")).unwrap();
        let mut ix = b.build(&mut Findings::new("x", None)).unwrap();
        assert_eq!(ix.credit("123456782", 150), 0);
        assert_eq!(ix.credit("123456782", 80), 30);
        assert_eq!(ix.credit("55", 10), 10);
        assert!(ix.open_in_file_order().is_empty());
    }

    #[test]
    fn a_slot_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }
}
