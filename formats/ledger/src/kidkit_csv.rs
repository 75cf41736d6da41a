//! `kidkit-csv`, the project's own bundle dialect: `;`-separated, UTF-8, LF, ISO dates, a header
//! row, one posting per row with the amount under `debit` or `credit` (decimal comma).
//!
//! Rows of one voucher sit together and repeat its number, date, type; the voucher text is the
//! first row's text (each posting keeps its own text too).

use chrono::NaiveDate;
use kidkit_core::{AmountSyntax, Diagnostic, format_comma, parse_iso};

use crate::check::{Field, Located, Place};
use crate::delimited::{Row, Token, quote_if_needed};
use crate::model::{AccountClass, Bundle, Line, Side};
use crate::reading::Parsed;

/// The header row, in column order.
pub const HEADER: [&str; 14] = [
    "bundle_no",
    "voucher_no",
    "voucher_date",
    "voucher_type",
    "account_class",
    "account",
    "customer_no",
    "invoice_no",
    "kid",
    "due_date",
    "text",
    "debit",
    "credit",
    "vat_code",
];

/// Findings about a bundle made in memory point at the lines of its kidkit-csv form.
pub const IN_MEMORY: Located<'static> = Located { places: &[], names: field_name };

/// What kidkit-csv calls a field (for the amount, on `side`).
pub fn field_name(field: Field, side: Side) -> &'static str {
    HEADER[column_of(field, side)]
}

fn column_of(field: Field, side: Side) -> usize {
    match field {
        Field::VoucherNo => 1,
        Field::VoucherDate => 2,
        Field::VoucherType => 3,
        Field::AccountClass => 4,
        Field::Account => 5,
        Field::CustomerNo => 6,
        Field::InvoiceNo => 7,
        Field::Kid => 8,
        Field::DueDate => 9,
        Field::Text => 10,
        Field::Amount if side == Side::Debit => 11,
        Field::Amount => 12,
        Field::VatCode => 13,
    }
}

/// The values of each posting's row, in [`HEADER`] order.
pub fn rows(bundle: &Bundle) -> impl Iterator<Item = [String; 14]> + '_ {
    bundle.postings().map(|(v, l)| {
        let amount = format_comma(l.amount_ore);
        let (debit, credit) = if l.side == Side::Debit { (amount, String::new()) } else { (String::new(), amount) };
        [
            bundle.number.clone(),
            v.number.to_string(),
            v.date.format("%Y-%m-%d").to_string(),
            v.voucher_type.to_string(),
            l.class.name().to_owned(),
            l.account.clone(),
            l.customer_no.clone(),
            l.invoice_no.clone(),
            l.kid.clone(),
            l.due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            l.text.clone(),
            debit,
            credit,
            l.vat_code.clone(),
        ]
    })
}

/// `bundle` as `kidkit-csv` text (header included).
pub fn to_string(bundle: &Bundle) -> String {
    let mut out = HEADER.join(";");
    out.push('\n');
    for row in rows(bundle) {
        let quoted: Vec<_> = row.iter().map(|f| quote_if_needed(f, ';')).collect();
        out.push_str(&quoted.join(";"));
        out.push('\n');
    }
    out
}

/// Reads `kidkit-csv` text: the postings that could be read, and a finding for every field that
/// could not: a wrong header, unreadable numbers, dates (`LED003`), amounts (`LED002`), a posting
/// with both or neither side filled, an unknown account class, a second bundle number.
pub fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut first_bundle_no: Option<String> = None;
    let mut lines = crate::delimited::lines_of(text);
    let Some((_, header)) = lines.next() else {
        p.findings.push(Diagnostic::error("LED010", 1, 1, "the file is empty: expected a header row").field("header"));
        p.unreadable = true;
        return p;
    };
    if header != HEADER.join(";") {
        p.findings.push(
            Diagnostic::error("IO003", 1, 1, format!("header must be '{}', found '{header}'", HEADER.join(";")))
                .field("header"),
        );
        p.unreadable = true;
        return p;
    }
    let mut early = Vec::new();
    for (line, fields) in crate::delimited::rows_of(lines, ';', true, &mut early, &mut p.records) {
        if fields.len() != HEADER.len() {
            p.findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    1,
                    format!("row must have {} fields, found {}", HEADER.len(), fields.len()),
                )
                .field("record"),
            );
            continue;
        }
        let bundle_no = fields[0].value.as_str();
        match &first_bundle_no {
            None => first_bundle_no = Some(bundle_no.to_owned()),
            Some(expected) if expected != bundle_no => {
                p.findings.push(
                    Diagnostic::error(
                        "IO003",
                        line,
                        1,
                        format!("bundle_no must be '{expected}' as on the first row (one bundle per file), found '{bundle_no}'"),
                    )
                    .field("bundle_no"),
                );
                continue;
            }
            Some(_) => {}
        }
        if let Some((head, l)) = row(&fields, line, &mut p.findings) {
            let place = Place::with_columns(line, |f| fields[column_of(f, l.side)].column);
            p.places.push(place);
            p.bundle.push_posting(head.0, head.1, head.2, l);
        }
    }
    p.findings.append(&mut early);
    p.findings.sort_by_key(|d| d.line);
    p.bundle.number = first_bundle_no.unwrap_or_default();
    p
}

type Head = (u64, NaiveDate, u32);

fn row(rec: &[Token], line: u64, findings: &mut Vec<Diagnostic>) -> Option<(Head, Line)> {
    let mut r = Row::new(rec, &HEADER, line);
    let number = r.number::<u64>(1);
    let date = r.date(2, parse_iso, "YYYY-MM-DD");
    let voucher_type = r.number::<u32>(3);
    let class = AccountClass::from_name(r.get(4));
    if class.is_none() {
        r.bad("IO003", 4, "gl, customer or supplier");
    }
    let due_date = r.optional_date(9, parse_iso, "YYYY-MM-DD");
    let what = "an amount with a decimal comma and at most two decimals";
    let side = match (r.get(11).is_empty(), r.get(12).is_empty()) {
        (false, true) => r.amount(11, AmountSyntax::COMMA, what).map(|a| (Side::Debit, a)),
        (true, false) => r.amount(12, AmountSyntax::COMMA, what).map(|a| (Side::Credit, a)),
        (false, false) => {
            // both filled: report an unreadable amount first, as the side of a bad one is unclear
            if r.amount(11, AmountSyntax::COMMA, what).is_some() && r.amount(12, AmountSyntax::COMMA, what).is_some() {
                r.bad("LED002", 11, "filled when credit is empty, and empty when credit is filled");
            }
            None
        }
        (true, true) => {
            r.bad("LED002", 11, "filled when credit is empty, and empty when credit is filled");
            None
        }
    };
    if !r.finish(findings) {
        return None;
    }
    let f = |i: usize| rec[i].value.as_str();
    let (side, amount_ore) = side?;
    let l = Line {
        class: class?,
        account: f(5).to_owned(),
        customer_no: f(6).to_owned(),
        invoice_no: f(7).to_owned(),
        kid: f(8).to_owned(),
        due_date,
        text: f(10).to_owned(),
        side,
        amount_ore,
        vat_code: f(13).to_owned(),
    };
    Some(((number?, date?, voucher_type?), l))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
bundle_no;voucher_no;voucher_date;voucher_type;account_class;account;customer_no;invoice_no;kid;due_date;text;debit;credit;vat_code
S1;1;2026-11-02;1;customer;11000;11000;;;;Sak 1 faktura 7;1150,00;;
S1;1;2026-11-02;1;customer;10001;10001;7;123456782;2026-10-01;Sak 1 faktura 7;;1000,00;
S1;1;2026-11-02;1;gl;8050;;;;;\"Sak 1; renter\";;150,00;
S1;2;2026-11-03;1;gl;7830;;;;;Tap;20,50;;
S1;2;2026-11-03;1;customer;10001;10001;7;123456782;;Tap;;20,50;
";

    #[test]
    fn reads_vouchers_and_writes_the_same_bytes() {
        let p = parse(SAMPLE);
        assert!(p.findings.is_empty());
        let b = p.bundle;
        assert_eq!(b.number, "S1");
        assert_eq!(b.vouchers.len(), 2);
        let v = &b.vouchers[0];
        assert_eq!((v.number, v.date, v.lines.len()), (1, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), 3));
        assert_eq!(
            (v.lines[1].side, v.lines[1].amount_ore, v.lines[1].kid.as_str()),
            (Side::Credit, 100_000, "123456782")
        );
        assert_eq!(v.lines[1].due_date, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(v.lines[2].text, "Sak 1; renter");
        assert_eq!(b.vouchers[1].lines[0].amount_ore, 2_050);
        assert_eq!(p.places[2].line, 4);
        assert_eq!(p.places[2].column(Field::Text), 31);
        assert_eq!(to_string(&b), SAMPLE);
    }

    #[test]
    fn reports_every_bad_field() {
        let text = format!(
            "{}\nS1;x;2026-02-30;1;vendor;1920;;;;2026-13-01;t;1,5;2,00;\nS1;1;2026-11-02;1;gl;1920;;;;;t;;;\nS1;1\nS2;1;2026-11-02;1;gl;1920;;;;;t;1,00;;\n",
            HEADER.join(";")
        );
        let found: Vec<(&str, u64, String)> = parse(&text)
            .findings
            .iter()
            .map(|d| (d.code, d.line, d.field.as_deref().unwrap_or("").to_owned()))
            .collect();
        let want = [
            ("IO003", 2, "voucher_no"),
            ("LED003", 2, "voucher_date"),
            ("IO003", 2, "account_class"),
            ("LED003", 2, "due_date"),
            ("LED002", 2, "debit"),
            ("LED002", 3, "debit"),
            ("IO003", 4, "record"),
            ("IO003", 5, "bundle_no"),
        ];
        assert_eq!(found, want.map(|(c, l, f)| (c, l, f.to_owned())));
        assert_eq!(parse("a;b\n").findings[0].field.as_deref(), Some("header"));
        assert_eq!(parse("").findings[0].code, "LED010");
        let d = &parse(&format!("{}\nS1;1;2026-11-02;1;gl;1920;;;;;t;;1,123;\n", HEADER.join(";"))).findings[0];
        assert_eq!((d.code, d.column), ("LED002", 34));
    }

    #[test]
    fn validate_reports_row_and_bundle_findings_together() {
        let text = format!(
            "{}\nS1;1;2026-11-02;1;gl;19A0;;;;;t;100,00;;\nS1;1;2026-11-02;1;gl;1920;;;;;t;;100,00;\nS1;2;2026-11-02;1;gl;1920;;;;;t;;;\nS1;3;2026-11-02;1;gl;1920;;;;;t;5,00;;\n",
            HEADER.join(";")
        );
        let opts = crate::dialect::Options::default();
        let v = crate::dialect::validate(crate::dialect::Dialect::KidkitCsv, text.as_bytes(), &opts);
        assert!(v.bundle.is_none());
        let codes: Vec<(&str, u64, u32)> = v.findings.iter().map(|d| (d.code, d.line, d.column)).collect();
        // voucher 3 does not balance, but a row was lost, so balances are not judged
        assert_eq!(codes, [("LED004", 2, 22), ("LED002", 4, 33)]);
        let v = crate::dialect::validate(crate::dialect::Dialect::KidkitCsv, SAMPLE.as_bytes(), &opts);
        assert!(v.findings.is_empty() && v.bundle.unwrap().vouchers.len() == 2);
    }
}
