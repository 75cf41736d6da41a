//! The KKA1 layout: `;`-separated records `H` (header), `L` (one line per case event) and `T`
//! (trailer), with the fields of each.

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The record type (`H`, `L`, `T`) or the version (`KKA1`).
    Fixed,
    /// Free text, at most this many characters; `;` never allowed.
    Text(usize),
    /// 1 to this many digits.
    Digits(usize),
    /// Decimal kroner: `-?[0-9]+([,.][0-9]{1,2})?`, canonical `1234,50`.
    Amount,
    /// `YYYYMMDD`.
    Date,
    /// Organisation number.
    OrgNo,
    /// Bank account.
    Account,
    /// KID, optional.
    Kid,
    /// `PAYMENT`, `REVERSAL` or `WRITE_OFF`.
    EventKind,
    /// `NOK`.
    Currency,
}

/// One field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name in JSON, CSV and messages.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Must be filled in.
    pub required: bool,
}

const fn f(name: &'static str, kind: Kind, required: bool) -> Field {
    Field { name, kind, required }
}

use Kind::{Account, Amount, Date, Digits, EventKind, Fixed, Kid, OrgNo, Text};

/// `H;KKA1;…`
pub static HEADER: [Field; 12] = [
    f("record_type", Fixed, true),
    f("version", Fixed, true),
    f("agency_orgno", OrgNo, true),
    f("agency_name", Text(60), true),
    f("client_no", Digits(10), true),
    f("creditor_orgno", OrgNo, true),
    f("creditor_name", Text(60), true),
    f("settlement_no", Digits(10), true),
    f("settlement_date", Date, true),
    f("payout_date", Date, true),
    f("payout_account", Account, true),
    f("currency", Kind::Currency, true),
];

/// `L;…`
pub static LINE: [Field; 18] = [
    f("record_type", Fixed, true),
    f("line_no", Digits(9), true),
    f("case_no", Digits(12), true),
    f("customer_no", Text(20), false),
    f("invoice_no", Text(20), true),
    f("kid", Kid, false),
    f("debtor_name", Text(60), false),
    f("event_date", Date, true),
    f("kind", EventKind, true),
    f("principal", Amount, true),
    f("interest", Amount, true),
    f("fees", Amount, true),
    f("agency_costs", Amount, true),
    f("commission", Amount, true),
    f("vat", Amount, true),
    f("loss", Amount, true),
    f("net", Amount, true),
    f("text", Text(100), false),
];

/// `T;…`
pub static TRAILER: [Field; 10] = [
    f("record_type", Fixed, true),
    f("line_count", Digits(9), true),
    f("principal", Amount, true),
    f("interest", Amount, true),
    f("fees", Amount, true),
    f("agency_costs", Amount, true),
    f("commission", Amount, true),
    f("vat", Amount, true),
    f("loss", Amount, true),
    f("net", Amount, true),
];

/// The amount columns of a line, in order (and of the trailer after its count).
pub const AMOUNTS: [&str; 8] = ["principal", "interest", "fees", "agency_costs", "commission", "vat", "loss", "net"];
