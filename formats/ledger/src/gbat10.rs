//! `gbat10`: the generic voucher CSV Mamut defined, which Tripletex and Xledger also import.
//! `;`-separated, no header row, no quoting, ISO-8859-1, CRLF, 29 columns (1-based):
//!
//! | # | field | # | field |
//! |---|---|---|---|
//! | 1 | `GBAT10` | 16 | invoice no. |
//! | 2 | voucher no. | 17 | KID |
//! | 3 | voucher date `YYYYMMDD` | 18 | due date `YYYYMMDD` |
//! | 4 | voucher type (at most 3 digits) | 19 | unused, blank |
//! | 5 | period (the voucher month, 2 digits) | 20 | bank account |
//! | 6 | accounting year | 21 | voucher text (the posting's text) |
//! | 7 | account (the control account on customer lines) | 22 | sub-ledger text |
//! | 8 | VAT code | 23 | interest invoicing |
//! | 9 | amount, debit positive, credit negative | 24 | project |
//! | 10 | customer no. | 25 | department |
//! | 11 | supplier no. | 26 | payment terms |
//! | 12 | contact name (the customer's name) | 27 | gross flag (blank: column 9 is used) |
//! | 13–15 | address, postcode, place | 28 | gross amount |
//! | | | 29 | IBAN (blank) |
//!
//! Mamut's own list has a 30th column (SWIFT/BIC); kidkit writes 29, as the spec gives, and reads
//! 29 or 30. Amounts are written with a decimal point and read with a point or a comma. kidkit
//! does not write supplier lines here (it has no supplier control account); the columns it does
//! not keep (13–15, 19, 20, 22–26, 28–30) must be blank or are warned.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kidkit_core::{AmountSyntax, Diagnostic, format_point, format_yyyymmdd, parse_yyyymmdd};

use crate::check::{Field, Place};
use crate::delimited::{Row, Token};
use crate::model::{AccountClass, Bundle, Line, Side};
use crate::reading::{self, Dialect, Options, Parsed};

/// Names of the 30 columns, 0-based (column 1 is `NAMES[0]`).
pub const NAMES: [&str; 30] = [
    "identification",
    "voucher no.",
    "voucher date",
    "voucher type",
    "period",
    "accounting year",
    "account",
    "VAT code",
    "amount",
    "customer no.",
    "supplier no.",
    "contact name",
    "address",
    "postcode",
    "place",
    "invoice no.",
    "KID",
    "due date",
    "unused",
    "bank account",
    "voucher text",
    "sub-ledger text",
    "interest invoicing",
    "project",
    "department",
    "payment terms",
    "gross flag",
    "gross amount",
    "IBAN",
    "SWIFT/BIC",
];

const VOUCHER_NO: usize = 1;
const DATE: usize = 2;
const TYPE: usize = 3;
const PERIOD: usize = 4;
const YEAR: usize = 5;
const ACCOUNT: usize = 6;
const VAT: usize = 7;
const AMOUNT: usize = 8;
const CUSTOMER: usize = 9;
const SUPPLIER: usize = 10;
const CONTACT: usize = 11;
const INVOICE: usize = 15;
const KID: usize = 16;
const DUE: usize = 17;
const TEXT: usize = 20;
const GROSS_FLAG: usize = 26;
const KEPT: [usize; 17] = [
    0, VOUCHER_NO, DATE, TYPE, PERIOD, YEAR, ACCOUNT, VAT, AMOUNT, CUSTOMER, SUPPLIER, CONTACT, INVOICE, KID, DUE,
    TEXT, GROSS_FLAG,
];

fn column_of(field: Field) -> usize {
    match field {
        Field::VoucherNo => VOUCHER_NO,
        Field::VoucherDate => DATE,
        Field::VoucherType => TYPE,
        Field::AccountClass | Field::CustomerNo => CUSTOMER,
        Field::Account => ACCOUNT,
        Field::InvoiceNo => INVOICE,
        Field::Kid => KID,
        Field::DueDate => DUE,
        Field::Text => TEXT,
        Field::Amount => AMOUNT,
        Field::VatCode => VAT,
    }
}

/// What `gbat10` calls a field.
pub fn field_name(field: Field, _side: Side) -> &'static str {
    NAMES[column_of(field)]
}

/// `bundle` as `gbat10` text; customer lines post to `opts.customer_control_account`.
pub fn to_string(bundle: &Bundle, opts: &Options) -> String {
    let mut out = String::new();
    let names = bundle.about.customer_names();
    for (v, l) in bundle.postings() {
        let mut row: [String; 29] = Default::default();
        row[0] = "GBAT10".into();
        row[VOUCHER_NO] = v.number.to_string();
        row[DATE] = format_yyyymmdd(v.date);
        row[TYPE] = v.voucher_type.to_string();
        row[PERIOD] = format!("{:02}", v.date.month());
        row[YEAR] = v.date.year().to_string();
        let customer = l.class == AccountClass::Customer;
        row[ACCOUNT] = if customer { opts.customer_control_account.clone() } else { l.account.clone() };
        row[VAT].clone_from(&l.vat_code);
        row[AMOUNT] = format_point(l.signed());
        if customer {
            row[CUSTOMER].clone_from(&l.customer_no);
            names.get(l.customer_no.as_str()).copied().unwrap_or_default().clone_into(&mut row[CONTACT]);
        }
        row[INVOICE].clone_from(&l.invoice_no);
        row[KID].clone_from(&l.kid);
        row[DUE] = l.due_date.map(format_yyyymmdd).unwrap_or_default();
        row[TEXT].clone_from(&l.text);
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// Reads `gbat10` text.
pub fn parse(text: &str, opts: &Options) -> Parsed {
    let mut p = Parsed::default();
    // each customer's place in `about.customers`
    let mut named: HashMap<String, usize> = HashMap::new();
    if text.is_empty() {
        p.findings.push(Diagnostic::error("LED010", 1, 1, "the file is empty: expected GBAT10 rows").field("record"));
        p.unreadable = true;
        return p;
    }
    let mut early = Vec::new();
    for (line, fields) in crate::delimited::rows(text, ';', false, &mut early, &mut p.records) {
        if !(29..=30).contains(&fields.len()) || fields[0].value != "GBAT10" {
            p.findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    1,
                    format!(
                        "a row must be 'GBAT10' and 28 more ';'-separated columns (29 or 30 in all), found '{}' and {} columns",
                        fields[0].value,
                        fields.len()
                    ),
                )
                .field("record"),
            );
            continue;
        }
        for (i, t) in fields.iter().enumerate() {
            if !KEPT.contains(&i) && !t.value.is_empty() {
                p.findings.push(reading::not_kept(line, t.column, NAMES[i], &t.value, Dialect::Gbat10));
            }
        }
        if let Some((number, date, voucher_type, l)) = row(&fields, line, opts, &mut p.findings) {
            if l.class == AccountClass::Customer {
                let contact = &fields[CONTACT];
                let customers = &mut p.bundle.about.customers;
                match named.get(&l.customer_no).map(|&i| customers[i].1.as_str()) {
                    None => {
                        named.insert(l.customer_no.clone(), customers.len());
                        customers.push((l.customer_no.clone(), contact.value.clone()));
                    }
                    Some(name) if name != contact.value => p.findings.push(
                        Diagnostic::warning(
                            "IO001",
                            line,
                            contact.column,
                            format!(
                                "contact name of customer {} is '{}', earlier '{name}': kidkit keeps one name per customer, the first",
                                l.customer_no, contact.value
                            ),
                        )
                        .field(NAMES[CONTACT]),
                    ),
                    Some(_) => {}
                }
            }
            let place = Place::with_columns(line, |f| fields[column_of(f)].column);
            p.places.push(place);
            p.bundle.push_posting(number, date, voucher_type, l);
        }
    }
    p.findings.append(&mut early);
    p.findings.sort_by_key(|d| d.line);
    p
}

fn row(f: &[Token], line: u64, opts: &Options, findings: &mut Vec<Diagnostic>) -> Option<(u64, NaiveDate, u32, Line)> {
    let mut r = Row::new(f, &NAMES, line);
    let number = r.number::<u64>(VOUCHER_NO);
    let date = r.date(DATE, parse_yyyymmdd, "YYYYMMDD");
    if let Some(d) = date {
        if r.get(PERIOD) != format!("{:02}", d.month()) {
            r.bad("LED003", PERIOD, &format!("the voucher date's month {:02}", d.month()));
        }
        if r.get(YEAR) != d.year().to_string() {
            r.bad("LED003", YEAR, &format!("the voucher date's year {}", d.year()));
        }
    }
    let voucher_type = r.number::<u32>(TYPE);
    let due_date = r.optional_date(DUE, parse_yyyymmdd, "YYYYMMDD");
    let amount = r.amount(AMOUNT, AmountSyntax::EITHER, "a signed amount with at most two decimals");
    if !matches!(r.get(GROSS_FLAG), "" | "F") {
        r.bad("IO003", GROSS_FLAG, "blank or F (kidkit reads the net amount in column 9)");
    }
    let class = match (r.get(CUSTOMER).is_empty(), r.get(SUPPLIER).is_empty()) {
        (true, true) => Some(AccountClass::Gl),
        (false, true) => Some(AccountClass::Customer),
        (true, false) => Some(AccountClass::Supplier),
        (false, false) => {
            r.bad("IO003", SUPPLIER, "empty when a customer no. is given (one sub-ledger per posting)");
            None
        }
    };
    if class == Some(AccountClass::Customer) && r.get(ACCOUNT) != opts.customer_control_account {
        let control = &opts.customer_control_account;
        r.bad("LED004", ACCOUNT, &format!("the customer control account {control} on a customer posting"));
    }
    if !r.finish(findings) {
        return None;
    }
    let v = |i: usize| f[i].value.as_str();
    let amount = amount?;
    let side = if amount < 0 { Side::Credit } else { Side::Debit };
    let class = class?;
    let account = match class {
        AccountClass::Gl => v(ACCOUNT),
        AccountClass::Customer => v(CUSTOMER),
        AccountClass::Supplier => v(SUPPLIER),
    };
    let l = Line {
        invoice_no: v(INVOICE).to_owned(),
        kid: v(KID).to_owned(),
        due_date,
        text: v(TEXT).to_owned(),
        vat_code: v(VAT).to_owned(),
        ..Line::new(class, account, side, amount.abs())
    };
    Some((number?, date?, voucher_type?, l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::validate;

    const SAMPLE: &str = "\
GBAT10;1;20261123;1;11;2026;1500;;1150.00;11000;;Eksempel Inkasso AS;;;;;;;;;Sak 1 faktura 7;;;;;;;;\r\n\
GBAT10;1;20261123;1;11;2026;1500;;-1000.00;10001;;Kunde 1 AS;;;;7;123456782;20261001;;;Sak 1 faktura 7;;;;;;;;\r\n\
GBAT10;1;20261123;1;11;2026;8050;;-150.00;;;;;;;;;;;;Sak 1 faktura 7;;;;;;;;\r\n";

    #[test]
    fn reads_signed_amounts_and_customers_and_writes_the_same_bytes() {
        let v = validate(Dialect::Gbat10, SAMPLE.as_bytes(), &Options::default());
        assert!(v.findings.is_empty(), "{:?}", v.findings);
        let b = v.bundle.unwrap();
        let ls = &b.vouchers[0].lines;
        assert_eq!((ls[0].class, ls[0].account.as_str(), ls[0].side), (AccountClass::Customer, "11000", Side::Debit));
        assert_eq!((ls[1].side, ls[1].amount_ore, ls[1].kid.as_str()), (Side::Credit, 100_000, "123456782"));
        assert_eq!((ls[2].class, ls[2].account.as_str()), (AccountClass::Gl, "8050"));
        assert_eq!(b.about.customer_name("10001"), Some("Kunde 1 AS"));
        assert_eq!(to_string(&b, &Options::default()), SAMPLE);
        let comma = SAMPLE.replace("1150.00", "1150,00");
        assert!(validate(Dialect::Gbat10, comma.as_bytes(), &Options::default()).findings.is_empty());
    }

    #[test]
    fn periods_years_control_accounts_and_gross_flags_are_checked() {
        let text = "GBAT10;1;20261123;1;10;2025;1510;;-5.00;10001;;;;;;;;;;;t;;;;;;T;;\r\nGBAT10;2\r\n";
        let v = validate(Dialect::Gbat10, text.as_bytes(), &Options::default());
        let found: Vec<(&str, u64, u32)> = v.findings.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(found, [("LED003", 1, 21), ("LED003", 1, 24), ("LED004", 1, 29), ("IO003", 1, 64), ("IO003", 2, 1)]);
    }
}
