//! `visma-global`: Visma Global's transaction import, the Rubicon "standard format"
//! (`ImportBatchCSV`). Comma-separated, no header row, Windows-1252, CRLF; 30 columns: `TransType`
//! and then the `BatchLine` columns. Each row posts one side (`DebitAccountNo` or
//! `CreditAccountNo`) with a positive `Amount` (decimal point); dates are `DDMMYY`. A customer
//! is posted to by its number, so an account in `customer_range` is a customer line.
//!
//! kidkit keeps: `VoucherNo`, `VoucherDate` (`EntryDate` is written the same), `VoucherTypeNo`,
//! `VoucherText` (the posting's text), the account, `VATCode`, `Amount`, `ContraEntryNo` (the
//! invoice number a customer posting closes), `DueDate` and `KID`. `TransType` is written `1`
//! and any value is accepted. The bundle number is not held: read back, it is empty.

use chrono::NaiveDate;
use kidkit_core::{AmountSyntax, Diagnostic, format_ddmmyy, format_point, parse_ddmmyy};

use crate::check::{Field, Place};
use crate::delimited::{Row, Token, quote_if_needed};
use crate::model::{AccountClass, Bundle, Line, Side};
use crate::reading::{self, Dialect, Options, Parsed};

/// The 30 columns, in order.
pub const COLUMNS: [&str; 30] = [
    "TransType",
    "EntryDate",
    "VoucherNo",
    "VoucherDate",
    "VoucherTypeNo",
    "VoucherText",
    "DepNo",
    "ProjectNo",
    "DebitAccountNo",
    "CreditAccountNo",
    "VATCode",
    "CurrencyNo",
    "ExchangeRate",
    "ExchangeAmount",
    "Amount",
    "ContraEntryNo",
    "DueDate",
    "ContraEntryChainNo",
    "Quantity",
    "KID",
    "TaxClassNo",
    "SLAccount",
    "SuppliersInvoiceNo",
    "RemittanceProfileNo",
    "ProductNo",
    "EmployeeNo",
    "ExtraCostUnitINo",
    "ExtraCostUnitIINo",
    "ExtraCostUnitIIINo",
    "ExtraCostUnitIVNo",
];

const ENTRY_DATE: usize = 1;
const VOUCHER_NO: usize = 2;
const VOUCHER_DATE: usize = 3;
const VOUCHER_TYPE: usize = 4;
const TEXT: usize = 5;
const DEBIT: usize = 8;
const CREDIT: usize = 9;
const VAT: usize = 10;
const AMOUNT: usize = 14;
const INVOICE: usize = 15;
const DUE: usize = 16;
const KID: usize = 19;
/// Columns kidkit reads; the others must be empty or are warned as not kept.
const KEPT: [usize; 13] =
    [0, ENTRY_DATE, VOUCHER_NO, VOUCHER_DATE, VOUCHER_TYPE, TEXT, DEBIT, CREDIT, VAT, AMOUNT, INVOICE, DUE, KID];

fn column_of(field: Field, side: Side) -> usize {
    match field {
        Field::VoucherNo => VOUCHER_NO,
        Field::VoucherDate => VOUCHER_DATE,
        Field::VoucherType => VOUCHER_TYPE,
        Field::AccountClass | Field::Account | Field::CustomerNo => {
            if side == Side::Debit {
                DEBIT
            } else {
                CREDIT
            }
        }
        Field::InvoiceNo => INVOICE,
        Field::Kid => KID,
        Field::DueDate => DUE,
        Field::Text => TEXT,
        Field::Amount => AMOUNT,
        Field::VatCode => VAT,
    }
}

/// What `visma-global` calls a field.
pub fn field_name(field: Field, side: Side) -> &'static str {
    COLUMNS[column_of(field, side)]
}

/// `bundle` as `visma-global` text.
pub fn to_string(bundle: &Bundle) -> String {
    let mut out = String::new();
    for (v, l) in bundle.postings() {
        let mut row: [String; 30] = Default::default();
        row[0] = "1".into();
        row[ENTRY_DATE] = format_ddmmyy(v.date);
        row[VOUCHER_NO] = v.number.to_string();
        row[VOUCHER_DATE] = format_ddmmyy(v.date);
        row[VOUCHER_TYPE] = v.voucher_type.to_string();
        row[TEXT].clone_from(&l.text);
        row[if l.side == Side::Debit { DEBIT } else { CREDIT }].clone_from(&l.account);
        row[VAT].clone_from(&l.vat_code);
        row[AMOUNT] = format_point(l.amount_ore);
        row[INVOICE].clone_from(&l.invoice_no);
        row[DUE] = l.due_date.map(format_ddmmyy).unwrap_or_default();
        row[KID].clone_from(&l.kid);
        let quoted: Vec<_> = row.iter().map(|f| quote_if_needed(f, ',')).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Reads `visma-global` text.
pub fn parse(text: &str, opts: &Options) -> Parsed {
    let mut p = Parsed::default();
    if text.is_empty() {
        p.findings.push(Diagnostic::error("LED010", 1, 1, "the file is empty: expected postings").field("record"));
        p.unreadable = true;
        return p;
    }
    let mut early = Vec::new();
    for (line, fields) in crate::delimited::rows(text, ',', true, &mut early, &mut p.records) {
        if fields.len() != COLUMNS.len() {
            p.findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    1,
                    format!(
                        "a row must have {} comma-separated columns (TransType to ExtraCostUnitIVNo), found {}",
                        COLUMNS.len(),
                        fields.len()
                    ),
                )
                .field("record"),
            );
            continue;
        }
        for (i, t) in fields.iter().enumerate() {
            if !KEPT.contains(&i) && !t.value.is_empty() {
                p.findings.push(reading::not_kept(line, t.column, COLUMNS[i], &t.value, Dialect::VismaGlobal));
            }
        }
        if let Some((number, date, voucher_type, l)) = row(&fields, line, opts, &mut p.findings) {
            let place = Place::with_columns(line, |f| fields[column_of(f, l.side)].column);
            p.places.push(place);
            p.bundle.push_posting(number, date, voucher_type, l);
        }
    }
    p.findings.append(&mut early);
    p.findings.sort_by_key(|d| d.line);
    p
}

fn row(f: &[Token], line: u64, opts: &Options, findings: &mut Vec<Diagnostic>) -> Option<(u64, NaiveDate, u32, Line)> {
    let mut r = Row::new(f, &COLUMNS, line);
    let number = r.number::<u64>(VOUCHER_NO);
    let date = r.date(VOUCHER_DATE, parse_ddmmyy, "DDMMYY");
    let entry = r.date(ENTRY_DATE, parse_ddmmyy, "DDMMYY");
    if let (Some(e), Some(d)) = (entry, date)
        && e != d
    {
        let voucher_date = r.get(VOUCHER_DATE);
        r.bad("IO003", ENTRY_DATE, &format!("the voucher date {voucher_date} (kidkit keeps one date per voucher)"));
    }
    let voucher_type = r.number::<u32>(VOUCHER_TYPE);
    let due_date = r.optional_date(DUE, parse_ddmmyy, "DDMMYY");
    let amount = r.amount(AMOUNT, AmountSyntax::POINT, "an amount with a decimal point and at most two decimals");
    let side = match (r.get(DEBIT).is_empty(), r.get(CREDIT).is_empty()) {
        (false, true) => Some(Side::Debit),
        (true, false) => Some(Side::Credit),
        _ => {
            r.bad("LED004", DEBIT, "filled when CreditAccountNo is empty, and empty when it is filled");
            None
        }
    };
    if !r.finish(findings) {
        return None;
    }
    let v = |i: usize| f[i].value.as_str();
    let side = side?;
    let account = v(if side == Side::Debit { DEBIT } else { CREDIT });
    let (lo, hi) = opts.customer_range;
    let customer =
        account.bytes().all(|b| b.is_ascii_digit()) && account.parse::<u64>().is_ok_and(|n| (lo..=hi).contains(&n));
    let l = Line {
        invoice_no: v(INVOICE).to_owned(),
        kid: v(KID).to_owned(),
        due_date,
        text: v(TEXT).to_owned(),
        vat_code: v(VAT).to_owned(),
        ..Line::new(if customer { AccountClass::Customer } else { AccountClass::Gl }, account, side, amount?)
    };
    Some((number?, date?, voucher_type?, l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Dialect, validate};

    const SAMPLE: &str = "1,021126,1,021126,1,Sak 1 faktura 7,,,11000,,,,,,1150.00,,,,,,,,,,,,,,,\r\n\
1,021126,1,021126,1,Sak 1 faktura 7,,,,10001,,,,,1000.00,7,011026,,,123456782,,,,,,,,,,\r\n\
1,021126,1,021126,1,\"Sak 1, renter\",,,,8050,,,,,150.00,,,,,,,,,,,,,,,\r\n";

    #[test]
    fn reads_customers_by_number_and_writes_the_same_bytes() {
        let v = validate(Dialect::VismaGlobal, SAMPLE.as_bytes(), &Options::default());
        assert!(v.findings.is_empty(), "{:?}", v.findings);
        let b = v.bundle.unwrap();
        let ls = &b.vouchers[0].lines;
        assert_eq!(ls.len(), 3);
        assert_eq!((ls[0].class, ls[0].side, ls[0].amount_ore), (AccountClass::Customer, Side::Debit, 115_000));
        assert_eq!(
            (ls[1].class, ls[1].customer_no.as_str(), ls[1].invoice_no.as_str()),
            (AccountClass::Customer, "10001", "7")
        );
        assert_eq!(ls[1].due_date, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!((ls[2].class, ls[2].text.as_str()), (AccountClass::Gl, "Sak 1, renter"));
        assert_eq!(to_string(&b), SAMPLE);
    }

    #[test]
    fn every_bad_field_is_found_with_its_column() {
        let text = "1,021126,x,311126,1,t,5,,1920,1930,,,,,1.5x,,,,,,,,,,,,,,,\r\n1,2\r\n\r\n";
        let v = validate(Dialect::VismaGlobal, text.as_bytes(), &Options::default());
        let found: Vec<(&str, u64, u32)> = v.findings.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(
            found,
            [
                ("IO003", 1, 10),
                ("LED003", 1, 12),
                ("IO001", 1, 23),
                ("LED004", 1, 26),
                ("LED002", 1, 40),
                ("IO003", 2, 1),
                ("IO003", 3, 1)
            ]
        );
    }
}
