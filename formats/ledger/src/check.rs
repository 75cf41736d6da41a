//! The bundle rules every dialect shares (`LED001`, `LED002`, `LED004`–`LED009`, and `IO005`
//! for text the target encoding cannot hold).
//!
//! Dates (`LED003`) are checked where they are read, since the model only holds valid ones.
//! Findings point at where each posting stands in the file it was read from (its [`Place`]); a
//! bundle made in memory (posted from a settlement) is placed as its `kidkit-csv` form would be:
//! the header is line 1, the first posting line 2, and so on in voucher order. Voucher-wide
//! findings (balance, duplicate number) sit on the voucher's first posting.

use std::collections::HashMap;

use kidkit_core::{Diagnostic, Severity, TextEncoding, check_kid, find_unrepresentable, format_comma};

use crate::model::{AccountClass, Bundle, Line, Side, Voucher};

/// A field of a posting a finding can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Voucher number.
    VoucherNo,
    /// Voucher date.
    VoucherDate,
    /// Voucher type.
    VoucherType,
    /// Account class (where the dialect has one).
    AccountClass,
    /// Account.
    Account,
    /// Customer number.
    CustomerNo,
    /// Invoice number.
    InvoiceNo,
    /// KID.
    Kid,
    /// Due date.
    DueDate,
    /// Text.
    Text,
    /// The amount (on its side).
    Amount,
    /// VAT code.
    VatCode,
}

impl Field {
    /// How many fields there are.
    pub const COUNT: usize = 12;
    /// Every field.
    pub const ALL: [Field; Field::COUNT] = [
        Field::VoucherNo,
        Field::VoucherDate,
        Field::VoucherType,
        Field::AccountClass,
        Field::Account,
        Field::CustomerNo,
        Field::InvoiceNo,
        Field::Kid,
        Field::DueDate,
        Field::Text,
        Field::Amount,
        Field::VatCode,
    ];
}

/// Where one posting stands in the file it was read from: its line, and the 1-based character
/// column each field starts at (0 when the dialect does not hold the field: the finding then
/// points at column 1). In XML a field may stand on a line of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    /// 1-based line of the posting.
    pub line: u64,
    /// Column of each [`Field`], by its index.
    pub columns: [u32; Field::COUNT],
    /// Line of each [`Field`] when not the posting's (0: the posting's line).
    pub lines: [u64; Field::COUNT],
}

impl Place {
    /// A place on `line` with no columns known.
    pub fn line(line: u64) -> Self {
        Place { line, columns: [0; Field::COUNT], lines: [0; Field::COUNT] }
    }
    /// A place on `line` whose fields start at the columns `column` gives.
    pub fn with_columns(line: u64, column: impl Fn(Field) -> u32) -> Self {
        Place { line, columns: Field::ALL.map(column), lines: [0; Field::COUNT] }
    }
    /// The column of `field` (1 when unknown).
    pub fn column(&self, field: Field) -> u32 {
        self.columns[field as usize].max(1)
    }
    /// The line of `field`.
    pub fn line_of(&self, field: Field) -> u64 {
        match self.lines[field as usize] {
            0 => self.line,
            n => n,
        }
    }
    /// Sets where `field` stands.
    pub fn set(&mut self, field: Field, line: u64, column: u32) {
        self.lines[field as usize] = if line == self.line { 0 } else { line };
        self.columns[field as usize] = column;
    }
}

/// Where a bundle's postings stand, and what each dialect calls its fields.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// One place per posting, in voucher order; when shorter (a bundle made in memory), the
    /// postings beyond are placed as in `kidkit-csv`.
    pub places: &'a [Place],
    /// The name a finding gives a field (and, for the amount, its side).
    pub names: fn(Field, Side) -> &'static str,
}

impl Located<'_> {
    /// Where posting `index` stands: its place, or its `kidkit-csv` line.
    fn place(&self, index: usize) -> Place {
        self.places.get(index).copied().unwrap_or_else(|| Place::line(index as u64 + 2))
    }
}

/// The rules of the dialect a bundle is read from or written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Customer numbers must lie in this range (inclusive): `visma-global` tells customers from
    /// accounts by number, so a general-ledger account may not lie in it either.
    pub customer_range: Option<(u64, u64)>,
    /// The largest voucher type the dialect holds (`LED008`; 0 is never a voucher type).
    pub max_voucher_type: u32,
    /// Texts and identifiers must fit SAF-T's lengths (`LED009`).
    pub saft_lengths: bool,
    /// The dialect holds supplier lines.
    pub suppliers: bool,
    /// The dialect holds a VAT code without its amount.
    pub vat_codes: bool,
    /// The encoding texts must be representable in (`IO005`).
    pub encoding: TextEncoding,
    /// Texts may hold line breaks (only in XML; elsewhere a line break would split the posting).
    pub line_breaks: bool,
    /// Dates are written with two-digit years, which hold 1980–2079 (`LED003`).
    pub two_digit_years: bool,
    /// Severity of a KID whose check digit fails both MOD10 and MOD11 (`None`: not checked).
    pub kid_check_digit: Option<Severity>,
}

impl Default for Rules {
    /// `kidkit-csv`'s rules: any voucher type from 1, UTF-8, suppliers held, KID check digits
    /// errors.
    fn default() -> Self {
        Rules {
            customer_range: None,
            max_voucher_type: u32::MAX,
            saft_lengths: false,
            suppliers: true,
            vat_codes: true,
            encoding: TextEncoding::Utf8,
            line_breaks: false,
            two_digit_years: false,
            kid_check_digit: Some(Severity::Error),
        }
    }
}

/// SAF-T amounts (`SAFmonetaryType`) hold at most 18 digits, two of them decimals: in øre,
/// below 10^18.
const SAFT_MONETARY_LIMIT: u128 = 1_000_000_000_000_000_000;

/// Checks `bundle` by `rules`, pointing findings at `at`. Returns every finding.
pub fn check(bundle: &Bundle, rules: &Rules, at: Located<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut index = 0usize;
    let first_place = at.place(0);
    check_about(bundle, rules, &mut out);
    if rules.saft_lengths {
        check_length(&bundle.number, "bundle number", "JournalID", 18, (first_place.line, 1), &mut out);
        for (side, field) in [(Side::Debit, "TotalDebit"), (Side::Credit, "TotalCredit")] {
            let total: i128 =
                bundle.postings().filter(|(_, l)| l.side == side).map(|(_, l)| i128::from(l.amount_ore)).sum();
            if total.unsigned_abs() >= SAFT_MONETARY_LIMIT {
                out.push(
                    Diagnostic::error(
                        "LED009",
                        1,
                        1,
                        format!("the bundle's {field} has more than the 18 digits SAF-T holds: {total} øre"),
                    )
                    .field(field),
                );
            }
        }
    }
    for v in &bundle.vouchers {
        let first = at.place(index);
        let name = |f| (at.names)(f, Side::Debit);
        if let Some(earlier) = seen.insert(v.number, first.line) {
            out.push(
                Diagnostic::error(
                    "LED007",
                    first.line,
                    first.column(Field::VoucherNo),
                    format!("voucher number {} is used twice in the bundle: expected a new number, found the one first used on line {earlier}", v.number),
                )
                .field(name(Field::VoucherNo)),
            );
        }
        check_voucher(v, rules, &first, name, &mut out);
        for l in &v.lines {
            let place = at.place(index);
            check_line(l, v.number, rules, &place, |f| (at.names)(f, l.side), &mut out);
            index += 1;
        }
    }
    out
}

fn check_voucher(
    v: &Voucher,
    rules: &Rules,
    first: &Place,
    name: impl Fn(Field) -> &'static str,
    out: &mut Vec<Diagnostic>,
) {
    let balance = v.balance();
    if balance != 0 {
        out.push(
            Diagnostic::error(
                "LED001",
                first.line_of(Field::Amount),
                first.column(Field::Amount),
                format!(
                    "voucher {} does not balance: expected debits = credits, found debits − credits = {}",
                    v.number,
                    i64::try_from(balance).map_or_else(|_| format!("{balance} øre"), format_comma)
                ),
            )
            .field(name(Field::Amount)),
        );
    }
    if v.lines.is_empty() {
        out.push(
            Diagnostic::error(
                "LED001",
                first.line_of(Field::VoucherNo),
                first.column(Field::VoucherNo),
                format!("voucher {} has no postings: expected at least two", v.number),
            )
            .field(name(Field::VoucherNo)),
        );
    }
    if v.voucher_type == 0 || v.voucher_type > rules.max_voucher_type {
        let expected = if rules.max_voucher_type == u32::MAX {
            "a voucher type of 1 or more (0 means none is set)".to_owned()
        } else {
            format!("a voucher type from 1 to {}", rules.max_voucher_type)
        };
        out.push(
            Diagnostic::error(
                "LED008",
                first.line_of(Field::VoucherType),
                first.column(Field::VoucherType),
                format!("voucher {}: expected {expected}, found {}", v.number, v.voucher_type),
            )
            .field(name(Field::VoucherType)),
        );
    }
    if rules.two_digit_years && !kidkit_core::fits_ddmmyy(v.date) {
        out.push(
            Diagnostic::error(
                "LED003",
                first.line_of(Field::VoucherDate),
                first.column(Field::VoucherDate),
                format!(
                    "voucher {}: date {} cannot be written with a two-digit year: expected 1980-2079",
                    v.number, v.date
                ),
            )
            .field(name(Field::VoucherDate)),
        );
    }
    if rules.saft_lengths {
        let at = (first.line_of(Field::VoucherNo), first.column(Field::VoucherNo));
        check_length(&v.number.to_string(), "voucher number", name(Field::VoucherNo), 70, at, out);
        check_length(&v.text, "voucher text", name(Field::Text), 256, (first.line, 1), out);
    }
}

/// The company and the customers' names: what the encoding and SAF-T hold. They have no place
/// of their own in most dialects, so findings sit on line 1.
fn check_about(bundle: &Bundle, rules: &Rules, out: &mut Vec<Diagnostic>) {
    let a = &bundle.about;
    let mut values = vec![
        ("company organisation number", "RegistrationNumber", a.company_orgno.as_str(), 35),
        ("company name", "Name", &a.company_name, 256),
        ("contact first name", "FirstName", &a.contact_first_name, 35),
        ("contact last name", "LastName", &a.contact_last_name, 70),
    ];
    values.extend(a.customers.iter().map(|(_, name)| ("customer name", "Name", name.as_str(), 256)));
    for (what, field, value, max) in values {
        text_rules(value, what, field, rules, (1, 1), out);
        if rules.saft_lengths {
            check_length(value, what, field, max, (1, 1), out);
        }
    }
}

/// Line breaks and characters the encoding cannot hold (`IO005`).
fn text_rules(
    value: &str,
    what: &str,
    field: &'static str,
    rules: &Rules,
    (line, column): (u64, u32),
    out: &mut Vec<Diagnostic>,
) {
    if !rules.line_breaks && value.contains(['\n', '\r']) {
        out.push(
            Diagnostic::error(
                "IO005",
                line,
                column,
                format!("{what} holds a line break, which would split the record in this dialect"),
            )
            .field(field),
        );
    }
    if let Some(u) = find_unrepresentable(value, rules.encoding) {
        out.push(Diagnostic::error("IO005", line, column, format!("{what} '{value}': {u}")).field(field));
    }
}

fn check_length(
    value: &str,
    what: &str,
    field: &'static str,
    max: usize,
    (line, column): (u64, u32),
    out: &mut Vec<Diagnostic>,
) {
    let n = value.chars().count();
    if n > max {
        out.push(
            Diagnostic::error(
                "LED009",
                line,
                column,
                format!("{what} is {n} characters: SAF-T holds at most {max}, and kidkit does not cut it"),
            )
            .field(field),
        );
    }
}

fn check_line(
    l: &Line,
    voucher: u64,
    rules: &Rules,
    place: &Place,
    name: impl Fn(Field) -> &'static str,
    out: &mut Vec<Diagnostic>,
) {
    let mut push = |code, field: Field, message: String| {
        out.push(Diagnostic::error(code, place.line_of(field), place.column(field), message).field(name(field)));
    };
    if l.amount_ore <= 0 {
        push(
            "LED002",
            Field::Amount,
            format!(
                "voucher {voucher}: amount must be greater than 0 on its side, found {}",
                format_comma(l.amount_ore)
            ),
        );
    }
    if rules.saft_lengths && u128::from(l.amount_ore.unsigned_abs()) >= SAFT_MONETARY_LIMIT {
        push(
            "LED009",
            Field::Amount,
            format!("voucher {voucher}: amount {} has more than the 18 digits SAF-T holds", format_comma(l.amount_ore)),
        );
    }
    if l.account.is_empty() || !l.account.bytes().all(|b| b.is_ascii_digit()) {
        push(
            "LED004",
            Field::Account,
            format!("voucher {voucher}: account must be digits only, found '{}'", l.account),
        );
    }
    if l.class == AccountClass::Supplier && !rules.suppliers {
        push(
            "IO005",
            Field::AccountClass,
            format!(
                "voucher {voucher}: this dialect cannot hold a supplier line: expected gl or customer, found supplier"
            ),
        );
    }
    if !l.vat_code.is_empty() && !rules.vat_codes {
        push(
            "IO005",
            Field::VatCode,
            format!(
                "voucher {voucher}: VAT code '{}' cannot be written in this dialect, which needs the VAT amount with it: expected none",
                l.vat_code
            ),
        );
    }
    match (l.class, rules.customer_range) {
        (AccountClass::Customer, range) => check_customer(l, voucher, range, &mut push),
        (AccountClass::Gl, Some((lo, hi))) if l.account.parse::<u64>().is_ok_and(|n| (lo..=hi).contains(&n)) => {
            push(
                "LED005",
                Field::Account,
                format!(
                    "voucher {voucher}: general-ledger account {} lies in customer_range {lo}-{hi}, where it would be read as a customer: expected an account outside it",
                    l.account
                ),
            );
        }
        _ => {}
    }
    if rules.two_digit_years && l.due_date.is_some_and(|d| !kidkit_core::fits_ddmmyy(d)) {
        push(
            "LED003",
            Field::DueDate,
            format!("voucher {voucher}: due date cannot be written with a two-digit year: expected 1980-2079"),
        );
    }
    if !l.kid.is_empty() {
        check_line_kid(l, voucher, rules, place, name(Field::Kid), out);
    }
    let mut texts = vec![("text", Field::Text, &l.text, 256), ("invoice_no", Field::InvoiceNo, &l.invoice_no, 35)];
    texts.extend([("customer_no", Field::CustomerNo, &l.customer_no, 35), ("kid", Field::Kid, &l.kid, 35)]);
    texts.extend([("account", Field::Account, &l.account, 70), ("vat_code", Field::VatCode, &l.vat_code, 70)]);
    for (what, field, value, max) in texts {
        let at = (place.line_of(field), place.column(field));
        text_rules(value, &format!("voucher {voucher}: {what}"), name(field), rules, at, out);
        if rules.saft_lengths {
            check_length(value, what, name(field), max, at, out);
        }
    }
}

fn check_customer(
    l: &Line,
    voucher: u64,
    range: Option<(u64, u64)>,
    push: &mut impl FnMut(&'static str, Field, String),
) {
    let digits = (1..=9).contains(&l.customer_no.len()) && l.customer_no.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        push(
            "LED005",
            Field::CustomerNo,
            format!("voucher {voucher}: customer number must be 1-9 digits, found '{}'", l.customer_no),
        );
    } else if let Some((lo, hi)) = range {
        let n: u64 = l.customer_no.parse().unwrap_or(0);
        if !(lo..=hi).contains(&n) {
            push(
                "LED005",
                Field::CustomerNo,
                format!("voucher {voucher}: customer number must lie in customer_range {lo}-{hi}, found {n}"),
            );
        }
    }
}

fn check_line_kid(l: &Line, voucher: u64, rules: &Rules, place: &Place, name: &'static str, out: &mut Vec<Diagnostic>) {
    let (problem, severity) = match check_kid(&l.kid) {
        Err(e) => (e.to_string(), Some(Severity::Error)),
        Ok(v) if !v.is_valid() => ("its check digit fails both MOD10 and MOD11".to_owned(), rules.kid_check_digit),
        Ok(_) => return,
    };
    if let Some(severity) = severity {
        out.push(
            Diagnostic::new(
                "LED006",
                severity,
                place.line_of(Field::Kid),
                place.column(Field::Kid),
                format!("voucher {voucher}: KID '{}' is not valid: {problem}", l.kid),
            )
            .field(name),
        );
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

    fn range(lo: u64, hi: u64) -> Rules {
        Rules { customer_range: Some((lo, hi)), ..Rules::default() }
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
            ..Bundle::default()
        };
        assert!(check(&b, &range(10_000, 19_999), crate::kidkit_csv::IN_MEMORY).is_empty());
    }

    #[test]
    fn every_rule_is_reported_with_its_line() {
        let mut b = Bundle {
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
            ..Bundle::default()
        };
        b.vouchers[1].voucher_type = 0;
        let codes: Vec<(&str, u64)> =
            check(&b, &range(10_000, 19_999), crate::kidkit_csv::IN_MEMORY).iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("LED001", 2),
                ("LED004", 2),
                ("LED006", 3),
                ("LED007", 4),
                ("LED008", 4),
                ("LED002", 4),
                ("LED002", 5),
                ("LED005", 5),
            ]
        );
        let d = check(&b, &Rules::default(), crate::kidkit_csv::IN_MEMORY);
        assert!(d.iter().all(|d| !d.message.contains("customer_range")), "no range, no range finding");
        assert!(d[0].message.contains("found debits − credits = 10,00"), "{}", d[0].message);
        let off = Rules { kid_check_digit: None, ..Rules::default() };
        assert!(check(&b, &off, crate::kidkit_csv::IN_MEMORY).iter().all(|d| d.code != "LED006"), "--kid-check off");
    }

    #[test]
    fn dialect_rules_and_places() {
        let mut l = line(AccountClass::Supplier, "20001", Side::Debit, 100, "");
        l.text = "x".repeat(257);
        let mut c = line(AccountClass::Customer, "10001", Side::Credit, 100, "");
        c.invoice_no = "Ω".into();
        let b = Bundle { number: "B".repeat(19), vouchers: vec![voucher(1, vec![l, c])], ..Bundle::default() };
        let rules = Rules {
            max_voucher_type: 999,
            saft_lengths: true,
            suppliers: false,
            encoding: TextEncoding::Latin1,
            ..Rules::default()
        };
        let mut place = Place::line(9);
        place.columns[Field::Text as usize] = 40;
        let places = [place, Place::line(10)];
        let found: Vec<(&str, u64, u32)> =
            check(&b, &rules, Located { places: &places, names: crate::kidkit_csv::field_name })
                .iter()
                .map(|d| (d.code, d.line, d.column))
                .collect();
        assert_eq!(found, [("LED009", 9, 1), ("IO005", 9, 1), ("LED009", 9, 40), ("IO005", 10, 1)]);
        // amounts beyond SAF-T's 18 digits: the posting and the bundle totals
        let big = 1_000_000_000_000_000_000;
        let b = Bundle {
            vouchers: vec![voucher(
                1,
                vec![
                    line(AccountClass::Gl, "1920", Side::Debit, big, ""),
                    line(AccountClass::Gl, "3000", Side::Credit, big - 1, ""),
                    line(AccountClass::Gl, "3000", Side::Credit, 1, ""),
                ],
            )],
            ..Bundle::default()
        };
        let saft = Rules { saft_lengths: true, ..Rules::default() };
        let found: Vec<(&str, u64, String)> = check(&b, &saft, crate::kidkit_csv::IN_MEMORY)
            .iter()
            .map(|d| (d.code, d.line, d.field.as_deref().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(
            found,
            [
                ("LED009", 1, "TotalDebit".to_owned()),
                ("LED009", 1, "TotalCredit".to_owned()),
                ("LED009", 2, "debit".to_owned())
            ]
        );
    }
}
