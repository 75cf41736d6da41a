//! `kidkit-csv`, the project's own bundle dialect: `;`-separated, UTF-8, LF, ISO dates, a header
//! row, one posting per row with the amount under `debit` or `credit` (decimal comma).
//!
//! Rows of one voucher sit together and repeat its number, date, type; the voucher text is the
//! first row's text (each posting keeps its own text too).

use std::io::{self, Read, Write};

use chrono::NaiveDate;
use kidkit_core::Diagnostic;
use kidkit_core::amount::{AmountSyntax, format_comma, parse_kroner};
use kidkit_core::date::parse_iso;

use crate::model::{AccountClass, Bundle, Line, Side, Voucher};

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

/// Writes `bundle` (header included).
pub fn write(bundle: &Bundle, out: impl Write) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(HEADER)?;
    for v in &bundle.vouchers {
        for l in &v.lines {
            let amount = format_comma(l.amount_ore);
            let (debit, credit) = if l.side == Side::Debit { (amount.as_str(), "") } else { ("", amount.as_str()) };
            let due = l.due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
            w.write_record([
                bundle.number.as_str(),
                &v.number.to_string(),
                &v.date.format("%Y-%m-%d").to_string(),
                &v.voucher_type.to_string(),
                l.class.name(),
                &l.account,
                &l.customer_no,
                &l.invoice_no,
                &l.kid,
                &due,
                &l.text,
                debit,
                credit,
                &l.vat_code,
            ])?;
        }
    }
    w.flush()
}

/// Reads a bundle. `Err` holds every finding: a wrong header, unreadable numbers, dates
/// (`LED003`), amounts (`LED002`), a posting with both or neither side filled, an unknown
/// account class. The bundle rules themselves are [`crate::check::check`]'s.
pub fn read(input: impl Read) -> Result<Bundle, Vec<Diagnostic>> {
    let (bundle, findings, _) = parse(input);
    if findings.is_empty() { Ok(bundle) } else { Err(findings) }
}

/// Reads and checks a bundle, reporting every finding in line order: the rows' own and the
/// bundle rules' for the rows that could be read. When rows could not be read, balances are
/// not judged (a voucher missing a row would not balance for that reason alone). The bundle is
/// returned only when there are no errors.
pub fn validate(input: impl Read, customer_range: Option<(u64, u64)>) -> (Option<Bundle>, Vec<Diagnostic>) {
    let (bundle, mut findings, header_ok) = parse(input);
    if !header_ok {
        return (None, findings);
    }
    let rows_lost = !findings.is_empty();
    findings.extend(
        crate::check::check(&bundle, customer_range).into_iter().filter(|d| !(rows_lost && d.code == "LED001")),
    );
    findings.sort_by_key(|d| d.line);
    if findings.is_empty() { (Some(bundle), findings) } else { (None, findings) }
}

/// The rows that could be read, every finding about the others, and whether the header was right.
fn parse(input: impl Read) -> (Bundle, Vec<Diagnostic>, bool) {
    let mut r = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(input);
    let mut findings = Vec::new();
    let mut bundle = Bundle { number: String::new(), vouchers: Vec::new() };
    let mut rec = csv::StringRecord::new();
    let mut first = true;
    let mut first_bundle_no: Option<String> = None;
    loop {
        let line = r.position().line();
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                findings
                    .push(Diagnostic::error("IO003", line, 1, format!("the row cannot be read: {e}")).field("record"));
                break;
            }
        }
        if std::mem::take(&mut first) {
            if rec.iter().ne(HEADER) {
                let found = rec.iter().collect::<Vec<_>>().join(";");
                findings.push(
                    Diagnostic::error(
                        "IO003",
                        line,
                        1,
                        format!("header must be '{}', found '{found}'", HEADER.join(";")),
                    )
                    .field("header"),
                );
                return (bundle, findings, false);
            }
            continue;
        }
        if rec.len() != HEADER.len() {
            findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    1,
                    format!("row must have {} fields, found {}", HEADER.len(), rec.len()),
                )
                .field("record"),
            );
            continue;
        }
        let bundle_no = rec.get(0).unwrap_or("");
        match &first_bundle_no {
            None => first_bundle_no = Some(bundle_no.to_owned()),
            Some(expected) if expected != bundle_no => {
                findings.push(
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
        if let Some((head, l)) = row(&rec, line, &mut findings) {
            match bundle.vouchers.last_mut() {
                Some(v) if (v.number, v.date, v.voucher_type) == head => v.lines.push(l),
                _ => bundle.vouchers.push(Voucher {
                    number: head.0,
                    date: head.1,
                    voucher_type: head.2,
                    text: l.text.clone(),
                    lines: vec![l],
                }),
            }
        }
    }
    if first {
        findings.push(Diagnostic::error("IO006", 1, 1, "the file is empty: expected a header row").field("header"));
        return (bundle, findings, false);
    }
    bundle.number = first_bundle_no.unwrap_or_default();
    (bundle, findings, true)
}

type Head = (u64, NaiveDate, u32);

fn row(rec: &csv::StringRecord, line: u64, findings: &mut Vec<Diagnostic>) -> Option<(Head, Line)> {
    let before = findings.len();
    let f = |i: usize| rec.get(i).unwrap_or("");
    let mut bad = |code, i: usize, what: &str| {
        findings.push(
            Diagnostic::error(code, line, 1, format!("{} must be {what}, found '{}'", HEADER[i], f(i)))
                .field(HEADER[i]),
        );
    };
    let number = f(1).parse::<u64>().map_err(|_| bad("IO003", 1, "a whole number")).ok();
    let date = parse_iso(f(2).as_bytes()).map_err(|_| bad("LED003", 2, "a date YYYY-MM-DD")).ok();
    let voucher_type = f(3).parse::<u32>().map_err(|_| bad("IO003", 3, "a whole number")).ok();
    let class = AccountClass::from_name(f(4));
    if class.is_none() {
        bad("IO003", 4, "gl, customer or supplier");
    }
    let due_date = if f(9).is_empty() {
        None
    } else {
        parse_iso(f(9).as_bytes()).map_err(|_| bad("LED003", 9, "a date YYYY-MM-DD")).ok()
    };
    let amount = |i: usize| (!f(i).is_empty()).then(|| parse_kroner(f(i), AmountSyntax::COMMA));
    let side = match (amount(11), amount(12)) {
        (Some(Ok(a)), None) => Some((Side::Debit, a)),
        (None, Some(Ok(a))) => Some((Side::Credit, a)),
        (Some(Err(_)), _) => {
            bad("LED002", 11, "an amount with a decimal comma and at most two decimals");
            None
        }
        (_, Some(Err(_))) => {
            bad("LED002", 12, "an amount with a decimal comma and at most two decimals");
            None
        }
        _ => {
            bad("LED002", 11, "filled when credit is empty, and empty when credit is filled");
            None
        }
    };
    if findings.len() > before {
        return None;
    }
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
        let b = read(SAMPLE.as_bytes()).unwrap();
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
        assert!(crate::check::check(&b, Some((10_000, 19_999))).is_empty());
        let mut out = Vec::new();
        write(&b, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), SAMPLE);
    }

    #[test]
    fn reports_every_bad_field() {
        let text = format!(
            "{}\nS1;x;2026-02-30;1;vendor;1920;;;;2026-13-01;t;1,5;2,00;\nS1;1;2026-11-02;1;gl;1920;;;;;t;;;\nS1;1\nS2;1;2026-11-02;1;gl;1920;;;;;t;1,00;;\n",
            HEADER.join(";")
        );
        let found: Vec<(&str, u64, String)> = read(text.as_bytes())
            .unwrap_err()
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
        assert_eq!(read("a;b\n".as_bytes()).unwrap_err()[0].field.as_deref(), Some("header"));
        assert_eq!(read("".as_bytes()).unwrap_err()[0].code, "IO006");
    }

    #[test]
    fn validate_reports_row_and_bundle_findings_together() {
        let text = format!(
            "{}\nS1;1;2026-11-02;1;gl;19A0;;;;;t;100,00;;\nS1;1;2026-11-02;1;gl;1920;;;;;t;;100,00;\nS1;2;2026-11-02;1;gl;1920;;;;;t;;;\nS1;3;2026-11-02;1;gl;1920;;;;;t;5,00;;\n",
            HEADER.join(";")
        );
        let (bundle, found) = validate(text.as_bytes(), None);
        assert!(bundle.is_none());
        let codes: Vec<(&str, u64)> = found.iter().map(|d| (d.code, d.line)).collect();
        // voucher 3 does not balance, but a row was lost, so balances are not judged
        assert_eq!(codes, [("LED004", 2), ("LED002", 4)]);
        let (bundle, found) = validate(SAMPLE.as_bytes(), None);
        assert!(found.is_empty() && bundle.unwrap().vouchers.len() == 2);
    }
}
