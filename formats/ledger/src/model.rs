//! The bundle model every dialect reads into and writes from.

use chrono::NaiveDate;

/// What a line posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountClass {
    /// A general-ledger account.
    Gl,
    /// A customer (sub-ledger, reskontro).
    Customer,
    /// A supplier.
    Supplier,
}

impl AccountClass {
    /// `gl`, `customer` or `supplier`.
    pub fn name(self) -> &'static str {
        match self {
            AccountClass::Gl => "gl",
            AccountClass::Customer => "customer",
            AccountClass::Supplier => "supplier",
        }
    }
    /// From its name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "gl" => Some(AccountClass::Gl),
            "customer" => Some(AccountClass::Customer),
            "supplier" => Some(AccountClass::Supplier),
            _ => None,
        }
    }
}

/// Debit or credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Debit.
    Debit,
    /// Credit.
    Credit,
}

impl Side {
    /// The other side.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Side::Debit => Side::Credit,
            Side::Credit => Side::Debit,
        }
    }
}

/// One posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// What it posts to.
    pub class: AccountClass,
    /// The account: a general-ledger account, or the customer number for a customer line.
    pub account: String,
    /// Customer number (customer lines).
    pub customer_no: String,
    /// Invoice number (customer lines).
    pub invoice_no: String,
    /// KID (customer lines).
    pub kid: String,
    /// Due date (customer lines).
    pub due_date: Option<NaiveDate>,
    /// Line text.
    pub text: String,
    /// Debit or credit.
    pub side: Side,
    /// Amount in øre, > 0.
    pub amount_ore: i64,
    /// VAT code.
    pub vat_code: String,
}

/// One voucher (bilag): balanced lines on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voucher {
    /// Voucher number.
    pub number: u64,
    /// Voucher date.
    pub date: NaiveDate,
    /// Voucher type (bilagsart).
    pub voucher_type: u32,
    /// Voucher text.
    pub text: String,
    /// The postings.
    pub lines: Vec<Line>,
}

impl Voucher {
    /// Debits minus credits, in øre (0 when balanced); in i128, so no bundle can overflow it.
    pub fn balance(&self) -> i128 {
        self.lines.iter().map(|l| i128::from(l.amount_ore) * if l.side == Side::Debit { 1 } else { -1 }).sum()
    }
}

/// A batch of vouchers (bunt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Bundle number.
    pub number: String,
    /// The vouchers.
    pub vouchers: Vec<Voucher>,
}
