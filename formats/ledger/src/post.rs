//! Posting a settlement: each line becomes one voucher by the table in `ledger-bundles.md`.
//!
//! | part | debit | credit |
//! |---|---|---|
//! | principal | | customer (`customer_no`, `invoice_no`, `kid`) |
//! | interest + fees | | interest and fees |
//! | commission | commission | |
//! | vat | input VAT (or commission when not VAT-registered) | |
//! | net > 0 | clearing | |
//! | net < 0 | | clearing |
//! | loss | loss | customer |
//!
//! A REVERSAL is posted as the negation of the payment it takes back, with debit and credit
//! swapped, so its clearing lines are the payment's mirrored (the spec's "absolute values"
//! would put a reversal whose commission exceeded what was collected on the wrong side).
//! `agency_costs` is never posted.

use std::io;

use kidkit_core::{AmountSyntax, Diagnostic, format_comma, parse_kroner};
use kidkit_settlement::{AMOUNTS, Record, SettlementSink, date};

use crate::accounts::Accounts;
use crate::model::{About, AccountClass, Bundle, Line, Side, Voucher};

/// One settlement line, as posting needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementLine {
    /// Line in the settlement file.
    pub file_line: u64,
    /// `line_no`.
    pub line_no: u64,
    /// Agency case number.
    pub case_no: String,
    /// Creditor's customer number.
    pub customer_no: String,
    /// Invoice number.
    pub invoice_no: String,
    /// KID.
    pub kid: String,
    /// Debtor's name.
    pub debtor_name: String,
    /// Event date (`YYYYMMDD`).
    pub event_date: String,
    /// `PAYMENT`, `REVERSAL` or `WRITE_OFF`.
    pub kind: String,
    /// principal, interest, fees, `agency_costs`, commission, vat, loss, net (øre).
    pub amounts: [i64; 8],
}

/// A valid settlement collected for posting (a [`SettlementSink`]).
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// The settlement number (the bundle number).
    pub settlement_no: String,
    /// Settlement date (`YYYYMMDD`).
    pub settlement_date: String,
    /// Creditor's organisation number.
    pub creditor_orgno: String,
    /// Creditor's name.
    pub creditor_name: String,
    /// The agency's name.
    pub agency_name: String,
    /// The lines.
    pub lines: Vec<SettlementLine>,
}

impl SettlementSink for Collected {
    fn record(&mut self, rec: &Record) -> io::Result<()> {
        match rec.kind {
            'H' => {
                rec.get("settlement_no").clone_into(&mut self.settlement_no);
                rec.get("settlement_date").clone_into(&mut self.settlement_date);
                rec.get("creditor_orgno").clone_into(&mut self.creditor_orgno);
                rec.get("creditor_name").clone_into(&mut self.creditor_name);
                rec.get("agency_name").clone_into(&mut self.agency_name);
            }
            'L' => {
                let mut amounts = [0i64; 8];
                for (a, name) in amounts.iter_mut().zip(AMOUNTS) {
                    *a = parse_kroner(rec.get(name), AmountSyntax::EITHER).unwrap_or(0);
                }
                self.lines.push(SettlementLine {
                    file_line: rec.line,
                    line_no: rec.get("line_no").parse().unwrap_or(0),
                    case_no: rec.get("case_no").to_owned(),
                    customer_no: rec.get("customer_no").to_owned(),
                    invoice_no: rec.get("invoice_no").to_owned(),
                    kid: rec.get("kid").to_owned(),
                    debtor_name: rec.get("debtor_name").to_owned(),
                    event_date: rec.get("event_date").to_owned(),
                    kind: rec.get("kind").to_owned(),
                    amounts,
                });
            }
            _ => {}
        }
        Ok(())
    }
}

/// Posts a settlement; `Err` lists the lines that cannot be posted (`LED005`: a customer line
/// needs a customer number of 1–9 digits).
pub fn post(s: &Collected, accounts: &Accounts) -> Result<Bundle, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut vouchers = Vec::new();
    let mut about = about(s, accounts);
    let mut named = std::collections::HashSet::new();
    for l in &s.lines {
        match post_line(l, accounts) {
            Ok(Some(v)) => {
                name_customers(&mut about, &mut named, &v, l, &s.agency_name);
                vouchers.push(v);
            }
            Ok(None) => {}
            Err(d) => problems.push(*d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Bundle { number: s.settlement_no.clone(), about, vouchers })
}

/// The creditor as the company, the SAF-T contact from the accounts file; the customers' names
/// are added by [`name_customers`].
fn about(s: &Collected, accounts: &Accounts) -> About {
    About {
        date: date(&s.settlement_date),
        company_orgno: s.creditor_orgno.clone(),
        company_name: s.creditor_name.clone(),
        contact_first_name: accounts.saft.contact_first_name.clone(),
        contact_last_name: accounts.saft.contact_last_name.clone(),
        tax_accounting_basis: accounts.saft.tax_accounting_basis.clone(),
        customers: Vec::new(),
    }
}

/// Names the customers `v` posts to that have no name yet: the debtor's from its settlement
/// line, the clearing customer's the agency's.
fn name_customers(
    about: &mut About,
    named: &mut std::collections::HashSet<String>,
    v: &Voucher,
    l: &SettlementLine,
    agency_name: &str,
) {
    for line in v.lines.iter().filter(|x| x.class == AccountClass::Customer) {
        if named.insert(line.customer_no.clone()) {
            let name = if line.customer_no == l.customer_no { &l.debtor_name } else { agency_name };
            about.customers.push((line.customer_no.clone(), name.to_owned()));
        }
    }
}

/// The largest amount posted, in øre: a quarter of `i64::MAX`, so that adding two parts or
/// negating one can never overflow (about 23 000 billion kroner).
pub const MAX_POSTABLE: i64 = i64::MAX / 4;

fn post_line(l: &SettlementLine, a: &Accounts) -> Result<Option<Voucher>, Box<Diagnostic>> {
    if let Some((i, &v)) = l.amounts.iter().enumerate().find(|(_, v)| v.unsigned_abs() > MAX_POSTABLE.unsigned_abs()) {
        let name = AMOUNTS[i];
        return Err(Box::new(
            Diagnostic::error(
                "LED002",
                l.file_line,
                1,
                format!(
                    "line {} (case {}): {name} is {}, more than a ledger posting can hold (at most {})",
                    l.line_no,
                    l.case_no,
                    format_comma(v),
                    format_comma(MAX_POSTABLE)
                ),
            )
            .field(name),
        ));
    }
    let reversal = l.kind == "REVERSAL";
    // a reversal is the negated payment, mirrored
    let sign = if reversal { -1 } else { 1 };
    let [principal, interest, fees, _agency_costs, commission, vat, loss, net] = l.amounts.map(|v| v * sign);
    let text = format!("Sak {} faktura {}", l.case_no, l.invoice_no);
    let customer = |side: Side, amount: i64| Line {
        class: AccountClass::Customer,
        account: l.customer_no.clone(),
        customer_no: l.customer_no.clone(),
        invoice_no: l.invoice_no.clone(),
        kid: l.kid.clone(),
        due_date: None,
        text: text.clone(),
        side,
        amount_ore: amount,
        vat_code: String::new(),
    };
    let gl = |account: &str, side: Side, amount: i64| Line {
        class: AccountClass::Gl,
        account: account.to_owned(),
        customer_no: String::new(),
        invoice_no: String::new(),
        kid: String::new(),
        due_date: None,
        text: text.clone(),
        side,
        amount_ore: amount,
        vat_code: String::new(),
    };
    let clearing = |side: Side, amount: i64| {
        let mut line = gl(&a.clearing.account, side, amount);
        if a.clearing_class() == Some(AccountClass::Customer) {
            line.class = AccountClass::Customer;
            line.customer_no.clone_from(&a.clearing.account);
        }
        line
    };
    let mut lines = Vec::new();
    let mut add = |line: Line| {
        if line.amount_ore != 0 {
            lines.push(line);
        }
    };
    add(customer(Side::Credit, principal));
    add(gl(&a.interest_and_fees, Side::Credit, interest + fees));
    if a.vat_registered {
        add(gl(&a.commission, Side::Debit, commission));
        add(gl(&a.input_vat, Side::Debit, vat));
    } else {
        add(gl(&a.commission, Side::Debit, commission + vat));
    }
    if net > 0 {
        add(clearing(Side::Debit, net));
    } else if net < 0 {
        add(clearing(Side::Credit, -net));
    }
    if loss > 0 {
        add(gl(&a.loss, Side::Debit, loss));
        add(customer(Side::Credit, loss));
    }
    // a negative part (which the kinds' sign rules exclude) would still balance: post it on the
    // other side
    for line in &mut lines {
        if line.amount_ore < 0 {
            line.amount_ore = -line.amount_ore;
            line.side = line.side.other();
        }
        if reversal {
            line.side = line.side.other();
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let needs_customer = lines.iter().any(|x| x.class == AccountClass::Customer && x.customer_no == l.customer_no);
    let digits =
        !l.customer_no.is_empty() && l.customer_no.len() <= 9 && l.customer_no.bytes().all(|b| b.is_ascii_digit());
    if needs_customer && !digits {
        return Err(Box::new(Diagnostic::error(
            "LED005",
            l.file_line,
            1,
            format!(
                "line {} (case {}): customer_no '{}' cannot be posted to the customer ledger: it must be 1-9 digits",
                l.line_no, l.case_no, l.customer_no
            ),
        )
        .field("customer_no")));
    }
    let voucher_type = if l.kind == "WRITE_OFF" { a.loss_voucher_type } else { a.voucher_type };
    let Some(number) = a.first_voucher_no.checked_add(l.line_no.saturating_sub(1)) else {
        return Err(Box::new(
            Diagnostic::error(
                "LED007",
                l.file_line,
                1,
                format!(
                    "line {}: voucher number first_voucher_no {} + {} is beyond the largest voucher number {}",
                    l.line_no,
                    a.first_voucher_no,
                    l.line_no.saturating_sub(1),
                    u64::MAX
                ),
            )
            .field("line_no"),
        ));
    };
    Ok(Some(Voucher { number, date: date(&l.event_date).unwrap_or_default(), voucher_type, text, lines }))
}

/// The sum of the clearing postings, debit positive: equals the settlement's payout.
pub fn clearing_sum(bundle: &Bundle, accounts: &Accounts) -> i128 {
    bundle
        .vouchers
        .iter()
        .flat_map(|v| &v.lines)
        .filter(|l| {
            l.account == accounts.clearing.account && l.class == accounts.clearing_class().unwrap_or(AccountClass::Gl)
        })
        .map(|l| i128::from(l.amount_ore) * if l.side == Side::Debit { 1 } else { -1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(kind: &str, amounts: [i64; 8]) -> SettlementLine {
        SettlementLine {
            file_line: 2,
            line_no: 1,
            case_no: "1832370".into(),
            customer_no: "11001".into(),
            invoice_no: "34500".into(),
            kid: String::new(),
            debtor_name: "Kunde 1 AS".into(),
            event_date: "20261123".into(),
            kind: kind.into(),
            amounts,
        }
    }

    fn settle(lines: Vec<SettlementLine>) -> Collected {
        Collected { settlement_no: "968622".into(), settlement_date: "20261124".into(), lines, ..Collected::default() }
    }

    #[test]
    fn the_spec_example_posts_as_the_table_says() {
        let s = settle(vec![line("PAYMENT", [300_000, 4_510, 3_500, 105_000, 30_000, 7_500, 0, 270_510])]);
        let b = post(&s, &Accounts::default()).unwrap();
        let v = &b.vouchers[0];
        let got: Vec<(&str, Side, i64)> = v.lines.iter().map(|l| (l.account.as_str(), l.side, l.amount_ore)).collect();
        assert_eq!(
            got,
            [
                ("11001", Side::Credit, 300_000),
                ("8050", Side::Credit, 8_010),
                ("7200", Side::Debit, 30_000),
                ("2710", Side::Debit, 7_500),
                ("11000", Side::Debit, 270_510),
            ]
        );
        assert_eq!((v.number, v.balance(), v.text.as_str()), (1, 0, "Sak 1832370 faktura 34500"));
    }

    #[test]
    fn write_off_reversal_and_negative_net() {
        let s = settle(vec![
            line("WRITE_OFF", [0, 0, 0, 0, 0, 0, 20_000, 0]),
            line("REVERSAL", [-1_000, 0, 0, 0, -1_500, 0, 0, 500]),
            line("PAYMENT", [1_000, 0, 0, 0, 1_500, 0, 0, -500]),
        ]);
        let b = post(&s, &Accounts::default()).unwrap();
        assert!(b.vouchers.iter().all(|v| v.balance() == 0));
        let w: Vec<(&str, Side)> = b.vouchers[0].lines.iter().map(|l| (l.account.as_str(), l.side)).collect();
        assert_eq!(w, [("7830", Side::Debit), ("11001", Side::Credit)]);
        // the reversal mirrors the payment: principal back on the customer, clearing debited
        let r: Vec<(&str, Side, i64)> =
            b.vouchers[1].lines.iter().map(|l| (l.account.as_str(), l.side, l.amount_ore)).collect();
        assert_eq!(r, [("11001", Side::Debit, 1_000), ("7200", Side::Credit, 1_500), ("11000", Side::Debit, 500)]);
        assert_eq!(clearing_sum(&b, &Accounts::default()), 500 - 500);
    }

    #[test]
    fn amounts_too_large_to_post_are_refused_not_wrapped() {
        let big = MAX_POSTABLE + 1;
        let s = settle(vec![line("PAYMENT", [big, 0, 0, 0, 0, 0, 0, big])]);
        let d = post(&s, &Accounts::default()).unwrap_err();
        assert_eq!((d[0].code, d[0].field.as_deref()), ("LED002", Some("principal")));
        // the largest amounts post, with both signs, and balance
        let m = MAX_POSTABLE;
        let s = settle(vec![line("REVERSAL", [-m, -m, -m, 0, -m, -m, 0, -m])]);
        let b = post(&s, &Accounts { vat_registered: false, ..Accounts::default() }).unwrap();
        assert_eq!(b.vouchers[0].balance(), 0);
        // voucher numbers past u64 are refused, not wrapped
        let mut s = settle(vec![line("PAYMENT", [100, 0, 0, 0, 0, 0, 0, 100])]);
        s.lines[0].line_no = 2;
        let d = post(&s, &Accounts { first_voucher_no: u64::MAX, ..Accounts::default() }).unwrap_err();
        assert_eq!(d[0].code, "LED007");
    }

    #[test]
    fn customer_numbers_that_cannot_be_posted() {
        let mut l = line("PAYMENT", [1_000, 0, 0, 0, 0, 0, 0, 1_000]);
        l.customer_no = "K-11001".into();
        let e = post(&settle(vec![l]), &Accounts::default()).unwrap_err();
        assert_eq!(e[0].code, "LED005");
    }

    proptest! {
        /// Any valid settlement posts to balanced vouchers whose clearing sum equals the payout.
        #[test]
        fn balanced_and_clearing_is_payout(
            parts in proptest::collection::vec((0u8..3, 0i64..1_000_000, 0i64..50_000, 0i64..10_000, 0i64..300_000, 0i64..100_000, 1i64..500_000), 1..30),
            vat_registered in any::<bool>(),
            bank in any::<bool>(),
        ) {
            let lines: Vec<SettlementLine> = parts
                .iter()
                .enumerate()
                .map(|(i, &(k, p, interest, f, c, v, loss))| {
                    let net = p + interest + f - c - v;
                    let mut l = match k {
                        0 => line("PAYMENT", [p, interest, f, 0, c, v, 0, net]),
                        1 => line("REVERSAL", [-p, -interest, -f, 0, -c, -v, 0, -net]),
                        _ => line("WRITE_OFF", [0, 0, 0, 0, 0, 0, loss, 0]),
                    };
                    l.line_no = i as u64 + 1;
                    l
                })
                .collect();
            let payout: i128 = lines.iter().map(|l| i128::from(l.amounts[7])).sum();
            let mut accounts = Accounts { vat_registered, ..Accounts::default() };
            if bank {
                accounts.clearing = crate::accounts::Clearing { class: "gl".into(), account: "1920".into() };
            }
            let b = post(&settle(lines), &accounts).unwrap();
            prop_assert!(b.vouchers.iter().all(|v| v.balance() == 0));
            prop_assert!(b.vouchers.iter().flat_map(|v| &v.lines).all(|l| l.amount_ore > 0));
            prop_assert_eq!(clearing_sum(&b, &accounts), payout);
        }
    }
}
