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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bundle {
    /// Bundle number (the settlement number when posted from one; empty when the dialect read
    /// cannot hold it).
    pub number: String,
    /// What SAF-T and GBAT10 say about the company and the customers beyond the postings.
    pub about: About,
    /// The vouchers.
    pub vouchers: Vec<Voucher>,
}

/// What a bundle says beyond its postings: the company whose books these are, the customers'
/// names, and the SAF-T header values. Posting a settlement fills it; SAF-T holds all of it,
/// GBAT10 the customers' names, the other dialects none (read back, it is empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct About {
    /// The date the bundle was made (the settlement date); SAF-T's `AuditFileDateCreated`. When
    /// absent, SAF-T writes the latest voucher date.
    pub date: Option<NaiveDate>,
    /// The company's organisation number.
    pub company_orgno: String,
    /// The company's name.
    pub company_name: String,
    /// SAF-T contact person, first name.
    pub contact_first_name: String,
    /// SAF-T contact person, last name.
    pub contact_last_name: String,
    /// SAF-T `TaxAccountingBasis` (`A` when empty).
    pub tax_accounting_basis: String,
    /// Customer names by customer number, in the order the customers are first posted to.
    pub customers: Vec<(String, String)>,
}

impl About {
    /// The name of customer `number`, if known (a linear search: for one look-up; many use
    /// [`About::customer_names`]).
    pub fn customer_name(&self, number: &str) -> Option<&str> {
        self.customers.iter().find(|(n, _)| n == number).map(|(_, name)| name.as_str())
    }

    /// Every customer's name by number (the first, should a number appear twice).
    pub fn customer_names(&self) -> std::collections::HashMap<&str, &str> {
        let mut names = std::collections::HashMap::with_capacity(self.customers.len());
        for (n, name) in &self.customers {
            names.entry(n.as_str()).or_insert(name.as_str());
        }
        names
    }
}

impl Bundle {
    /// Adds a posting read from a file: to the last voucher when it has the same number, date
    /// and type (the rows of one voucher sit together), else to a new voucher whose text is this
    /// posting's.
    pub fn push_posting(&mut self, number: u64, date: NaiveDate, voucher_type: u32, line: Line) {
        match self.vouchers.last_mut() {
            Some(v) if (v.number, v.date, v.voucher_type) == (number, date, voucher_type) => v.lines.push(line),
            _ => {
                let text = line.text.clone();
                self.vouchers.push(Voucher { number, date, voucher_type, text, lines: vec![line] });
            }
        }
    }

    /// Every posting with its voucher, in order.
    pub fn postings(&self) -> impl Iterator<Item = (&Voucher, &Line)> {
        self.vouchers.iter().flat_map(|v| v.lines.iter().map(move |l| (v, l)))
    }
}

impl Line {
    /// A posting with only class, account, side and amount set.
    pub fn new(class: AccountClass, account: &str, side: Side, amount_ore: i64) -> Self {
        Line {
            class,
            account: account.to_owned(),
            customer_no: if class == AccountClass::Gl { String::new() } else { account.to_owned() },
            invoice_no: String::new(),
            kid: String::new(),
            due_date: None,
            text: String::new(),
            side,
            amount_ore,
            vat_code: String::new(),
        }
    }
    /// The amount signed: debit positive, credit negative.
    pub fn signed(&self) -> i64 {
        if self.side == Side::Debit { self.amount_ore } else { -self.amount_ore }
    }
}
