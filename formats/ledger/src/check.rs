//! The bundle rules every dialect shares (`LED001`, `LED002`, `LED004`–`LED007`).
//!
//! Dates (`LED003`) are checked where they are read, since the model only holds valid ones.
//! Findings point at the line the posting has in the bundle's `kidkit-csv` form: the header is
//! line 1, the first posting line 2, and so on in voucher order. Voucher-wide findings (balance,
//! duplicate number) sit on the voucher's first posting.

use std::collections::HashMap;

use kidkit_core::Diagnostic;
use kidkit_core::amount::format_comma;
use kidkit_core::ident::kid::check_kid;

use crate::model::{AccountClass, Bundle};

/// Checks `bundle`; `customer_range` (inclusive) is the range customer numbers must lie in, for
/// dialects that tell customers from accounts by number (`visma-global`). Returns every finding.
pub fn check(bundle: &Bundle, customer_range: Option<(u64, u64)>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut line_no: u64 = 2;
    for v in &bundle.vouchers {
        let first = line_no;
        if let Some(earlier) = seen.insert(v.number, first) {
            out.push(
                Diagnostic::error(
                    "LED007",
                    first,
                    1,
                    format!("voucher_no {} is used twice in the bundle: expected a new number, found the one first used on line {earlier}", v.number),
                )
                .field("voucher_no"),
            );
        }
        let balance = v.balance();
        if balance != 0 {
            out.push(
                Diagnostic::error(
                    "LED001",
                    first,
                    1,
                    format!(
                        "voucher {} does not balance: expected debits = credits, found debits − credits = {}",
                        v.number,
                        i64::try_from(balance).map_or_else(|_| format!("{balance} øre"), format_comma)
                    ),
                )
                .field("debit"),
            );
        }
        if v.lines.is_empty() {
            out.push(
                Diagnostic::error(
                    "LED001",
                    first,
                    1,
                    format!("voucher {} has no postings: expected at least two", v.number),
                )
                .field("voucher_no"),
            );
        }
        for l in &v.lines {
            check_line(l, v.number, line_no, customer_range, &mut out);
            line_no += 1;
        }
    }
    out
}

fn check_line(
    l: &crate::model::Line,
    voucher: u64,
    line: u64,
    customer_range: Option<(u64, u64)>,
    out: &mut Vec<Diagnostic>,
) {
    if l.amount_ore <= 0 {
        out.push(
            Diagnostic::error(
                "LED002",
                line,
                1,
                format!(
                    "voucher {voucher}: amount must be greater than 0 on its side, found {}",
                    format_comma(l.amount_ore)
                ),
            )
            .field(if l.side == crate::model::Side::Debit { "debit" } else { "credit" }),
        );
    }
    if l.account.is_empty() || !l.account.bytes().all(|b| b.is_ascii_digit()) {
        out.push(
            Diagnostic::error(
                "LED004",
                line,
                1,
                format!("voucher {voucher}: account must be digits only, found '{}'", l.account),
            )
            .field("account"),
        );
    }
    if l.class == AccountClass::Customer {
        let digits = (1..=9).contains(&l.customer_no.len()) && l.customer_no.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            out.push(
                Diagnostic::error(
                    "LED005",
                    line,
                    1,
                    format!("voucher {voucher}: customer_no must be 1-9 digits, found '{}'", l.customer_no),
                )
                .field("customer_no"),
            );
        } else if let Some((lo, hi)) = customer_range {
            let n: u64 = l.customer_no.parse().unwrap_or(0);
            if !(lo..=hi).contains(&n) {
                out.push(
                    Diagnostic::error(
                        "LED005",
                        line,
                        1,
                        format!("voucher {voucher}: customer_no must lie in customer_range {lo}-{hi}, found {n}"),
                    )
                    .field("customer_no"),
                );
            }
        }
    }
    if !l.kid.is_empty() {
        let problem = match check_kid(&l.kid) {
            Err(e) => Some(e.to_string()),
            Ok(v) if !v.is_valid() => Some("its check digit fails both MOD10 and MOD11".to_owned()),
            Ok(_) => None,
        };
        if let Some(p) = problem {
            out.push(
                Diagnostic::error("LED006", line, 1, format!("voucher {voucher}: KID '{}' is not valid: {p}", l.kid))
                    .field("kid"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Line, Side, Voucher};
    use chrono::NaiveDate;

    fn line(class: AccountClass, account: &str, side: Side, amount_ore: i64, kid: &str) -> Line {
        Line {
            class,
            account: account.to_owned(),
            customer_no: if class == AccountClass::Customer { account.to_owned() } else { String::new() },
            invoice_no: String::new(),
            kid: kid.to_owned(),
            due_date: None,
            text: String::new(),
            side,
            amount_ore,
            vat_code: String::new(),
        }
    }

    fn voucher(number: u64, lines: Vec<Line>) -> Voucher {
        Voucher {
            number,
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            voucher_type: 1,
            text: String::new(),
            lines,
        }
    }

    #[test]
    fn a_balanced_bundle_has_no_findings() {
        let b = Bundle {
            number: "1".into(),
            vouchers: vec![voucher(
                1,
                vec![
                    line(AccountClass::Gl, "1920", Side::Debit, 10_000, ""),
                    line(AccountClass::Customer, "11000", Side::Credit, 10_000, "123456782"),
                ],
            )],
        };
        assert!(check(&b, Some((10_000, 19_999))).is_empty());
    }

    #[test]
    fn every_rule_is_reported_with_its_line() {
        let b = Bundle {
            number: "1".into(),
            vouchers: vec![
                voucher(
                    7,
                    vec![
                        line(AccountClass::Gl, "19A0", Side::Debit, 10_000, ""),
                        line(AccountClass::Customer, "11000", Side::Credit, 9_000, "123456789"),
                    ],
                ),
                voucher(
                    7,
                    vec![
                        line(AccountClass::Gl, "1920", Side::Debit, 0, ""),
                        line(AccountClass::Customer, "9000", Side::Credit, 0, ""),
                    ],
                ),
            ],
        };
        let codes: Vec<(&str, u64)> = check(&b, Some((10_000, 19_999))).iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("LED001", 2),
                ("LED004", 2),
                ("LED006", 3),
                ("LED007", 4),
                ("LED002", 4),
                ("LED002", 5),
                ("LED005", 5),
            ]
        );
        let d = check(&b, None);
        assert!(d.iter().all(|d| !d.message.contains("customer_range")), "no range, no range finding");
        assert!(d[0].message.contains("found debits − credits = 10,00"), "{}", d[0].message);
    }
}
