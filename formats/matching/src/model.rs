//! What goes into matching and what comes out: payments, statuses, and what each payment did.

/// One payment to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The payment's line in its input file (amount item 1 in a Nets file).
    pub line: u64,
    /// The KID as given, without padding; empty when there is none.
    pub kid: String,
    /// Amount in øre. Negative for a reversal (OCR transaction type 18 or 20, a `-` sign, or a
    /// negative amount in a payments CSV); never zero.
    pub amount: i64,
}

impl Payment {
    /// A reversal takes money back.
    pub fn is_reversal(&self) -> bool {
        self.amount < 0
    }
}

/// What became of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Used exactly on the open items of its KID.
    Matched,
    /// Used up; the last item it touched stays open with a balance.
    Partial,
    /// Every item of the KID paid, with money left over (the surplus).
    Overpaid,
    /// Every item of the KID was already paid earlier in the run: the whole amount is surplus.
    Duplicate,
    /// No open item has this KID.
    UnknownKid,
    /// The KID fails both MOD10 and MOD11 (or is not a KID at all).
    InvalidKid,
    /// The payment carries no KID.
    NoKid,
    /// A reversal that re-opened what an earlier payment of the run paid.
    Reversal,
    /// A reversal with no earlier payment of the same KID and amount to reverse.
    ReversalUnmatched,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 9] = [
        Status::Matched,
        Status::Partial,
        Status::Overpaid,
        Status::Duplicate,
        Status::UnknownKid,
        Status::InvalidKid,
        Status::NoKid,
        Status::Reversal,
        Status::ReversalUnmatched,
    ];

    /// The name in output rows.
    pub fn name(self) -> &'static str {
        match self {
            Status::Matched => "matched",
            Status::Partial => "partial",
            Status::Overpaid => "overpaid",
            Status::Duplicate => "duplicate",
            Status::UnknownKid => "unknown_kid",
            Status::InvalidKid => "invalid_kid",
            Status::NoKid => "no_kid",
            Status::Reversal => "reversal",
            Status::ReversalUnmatched => "reversal_unmatched",
        }
    }

    /// Position in [`Status::ALL`].
    pub fn ordinal(self) -> usize {
        self as usize
    }

    /// Whether `--strict` accepts it: only `matched` and `reversal` rows do.
    pub fn is_settled(self) -> bool {
        matches!(self, Status::Matched | Status::Reversal)
    }
}

/// What a payment did to one open item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The item (an index into [`crate::Index`]).
    pub item: u32,
    /// Øre applied; negative when a reversal re-opened the item.
    pub applied: i64,
    /// What the item has left to pay afterwards.
    pub remaining: i64,
}

/// Why a row says more than its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// Nothing to add.
    None,
    /// Unknown KID that would match item `item` with leading zeros removed on both sides.
    LeadingZeros {
        /// The candidate item (first of its chain).
        item: u32,
    },
    /// A reversal of the payment on this line.
    Reverses {
        /// The reversed payment's line.
        line: u64,
    },
    /// A duplicate: the payment on this line paid the last of the KID's items.
    PaidBy {
        /// The line of the latest earlier payment to the KID.
        line: u64,
    },
    /// Overpaid, but nothing was open under the KID to begin with (items of amount zero).
    NothingOpen,
}

/// The result for one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The status.
    pub status: Status,
    /// The items touched, in the order they were paid (or re-opened).
    pub applied: Vec<Applied>,
    /// Øre not applied to any item: the overpayment, a duplicate's or an unmatched payment's
    /// whole amount (negative for a reversal). Applied plus surplus is always the amount.
    pub surplus: i64,
    /// More about the row.
    pub note: Note,
}

impl Match {
    /// A payment applied to nothing: its whole amount is surplus.
    pub fn unapplied(status: Status, amount: i64, note: Note) -> Self {
        Match { status, applied: Vec::new(), surplus: amount, note }
    }
}
