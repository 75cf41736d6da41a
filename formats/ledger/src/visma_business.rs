//! `visma-business`: Visma Business batch import. ISO-8859-1, CRLF:
//!
//! ```text
//! @IMPORT_METHOD(3)
//! @WaBnd (ValDt)
//! "20261124"
//! @WaVo (VoNo, VoDt, ValDt, VoTp, Txt, DbAcCl, DbAcNo, …, Am, InvoNo, …, DueDt, …, CID)
//! "1" "20261123" "20261123" "1" "Sak 1 faktura 7" "" "" "" "" "1" "10001" "" "" "1000.00" "7" …
//! ```
//!
//! Each value is double-quoted, separated by one space; dates `YYYYMMDD`, decimal point. One row
//! per posting: the used side's class (1 customer, 2 supplier, 3 general ledger), account and tax
//! code, the other side's four fields `""`, `Am` positive, `CID` the KID. The bundle's `ValDt` is
//! the settlement date (or, for a bundle made elsewhere, its first voucher date); the bundle
//! number is not held. On reading, the `@WaVo` field list may name the fields in any order.

use chrono::NaiveDate;
use kidkit_core::{AmountSyntax, Diagnostic, format_point, format_yyyymmdd, parse_kroner, parse_yyyymmdd};

use crate::check::{Field, Place};
use crate::delimited::{Token, split};
use crate::model::{AccountClass, Bundle, Line, Side};
use crate::reading::{self, Dialect, Parsed};

/// The `@WaVo` fields kidkit writes, in order.
pub const FIELDS: [&str; 27] = [
    "VoNo", "VoDt", "ValDt", "VoTp", "Txt", "DbAcCl", "DbAcNo", "DbTrnCl", "DbTxCd", "CrAcCl", "CrAcNo", "CrTrnCl",
    "CrTxCd", "Am", "InvoNo", "AgRef", "PmtTrm", "DueDt", "CurAm", "ExRt", "R1", "R2", "R6", "Cur", "VatAm", "TransSt",
    "CID",
];

/// Fields kidkit reads; the others must be empty or are warned as not kept.
const KEPT: [&str; 17] = [
    "VoNo", "VoDt", "ValDt", "VoTp", "Txt", "DbAcCl", "DbAcNo", "DbTrnCl", "DbTxCd", "CrAcCl", "CrAcNo", "CrTrnCl",
    "CrTxCd", "Am", "InvoNo", "DueDt", "CID",
];

/// What `visma-business` calls a field.
pub fn field_name(field: Field, side: Side) -> &'static str {
    let debit = side == Side::Debit;
    match field {
        Field::VoucherNo => "VoNo",
        Field::VoucherDate => "VoDt",
        Field::VoucherType => "VoTp",
        Field::AccountClass if debit => "DbAcCl",
        Field::AccountClass => "CrAcCl",
        Field::Account | Field::CustomerNo if debit => "DbAcNo",
        Field::Account | Field::CustomerNo => "CrAcNo",
        Field::InvoiceNo => "InvoNo",
        Field::Kid => "CID",
        Field::DueDate => "DueDt",
        Field::Text => "Txt",
        Field::Amount => "Am",
        Field::VatCode if debit => "DbTxCd",
        Field::VatCode => "CrTxCd",
    }
}

fn class_code(class: AccountClass) -> &'static str {
    match class {
        AccountClass::Customer => "1",
        AccountClass::Supplier => "2",
        AccountClass::Gl => "3",
    }
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// `bundle` as `visma-business` text.
pub fn to_string(bundle: &Bundle) -> String {
    let mut out = String::from("@IMPORT_METHOD(3)\r\n@WaBnd (ValDt)\r\n");
    let val_dt = bundle.about.date.or_else(|| bundle.vouchers.first().map(|v| v.date));
    out.push_str(&quoted(&val_dt.map(format_yyyymmdd).unwrap_or_default()));
    out.push_str("\r\n@WaVo (");
    out.push_str(&FIELDS.join(", "));
    out.push_str(")\r\n");
    for (v, l) in bundle.postings() {
        let date = format_yyyymmdd(v.date);
        let side = [class_code(l.class), l.account.as_str(), "", l.vat_code.as_str()];
        let none = [""; 4];
        let (db, cr) = if l.side == Side::Debit { (side, none) } else { (none, side) };
        let due = l.due_date.map(format_yyyymmdd).unwrap_or_default();
        let number = v.number.to_string();
        let voucher_type = v.voucher_type.to_string();
        let amount = format_point(l.amount_ore);
        let mut row: Vec<&str> = vec![&number, &date, &date, &voucher_type, &l.text];
        row.extend(db);
        row.extend(cr);
        row.extend([amount.as_str(), &l.invoice_no, "", "", &due, "", "", "", "", "", "", "", "", &l.kid]);
        let row: Vec<String> = row.into_iter().map(quoted).collect();
        out.push_str(&row.join(" "));
        out.push_str("\r\n");
    }
    out
}

/// Reads `visma-business` text.
pub fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut lines = crate::delimited::lines_of(text);
    let mut header_line = |p: &mut Parsed, want: &str, what: &str| -> Option<(u64, String)> {
        match lines.next() {
            Some((n, l)) if exact(l, want) => Some((n, l.to_owned())),
            Some((n, l)) => {
                p.findings.push(
                    Diagnostic::error("IO003", n, 1, format!("{what} must be '{want}', found '{l}'"))
                        .field(what.to_owned()),
                );
                p.unreadable = true;
                None
            }
            None => {
                let code = if text.is_empty() { "LED010" } else { "IO003" };
                p.findings.push(
                    Diagnostic::error(
                        code,
                        text.lines().count() as u64 + 1,
                        1,
                        format!("the file ends before the {what}: expected '{want}'"),
                    )
                    .field(what.to_owned()),
                );
                p.unreadable = true;
                None
            }
        }
    };
    if header_line(&mut p, "@IMPORT_METHOD(3)", "import method").is_none()
        || header_line(&mut p, "@WaBnd (ValDt)", "bundle header").is_none()
    {
        return p;
    }
    let Some((n, val_dt)) = header_line(&mut p, "", "bundle row") else { return p };
    match split(&val_dt, ' ', true).ok().and_then(|t| t.first().map(|t| parse_yyyymmdd(t.value.as_bytes()))) {
        Some(Ok(d)) => p.bundle.about.date = Some(d),
        _ => {
            p.findings.push(
                Diagnostic::error("LED003", n, 1, format!("ValDt must be a date \"YYYYMMDD\", found '{val_dt}'"))
                    .field("ValDt"),
            );
        }
    }
    let Some((n, wavo)) = header_line(&mut p, "@WaVo", "voucher header") else { return p };
    let names: Vec<String> = wavo
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .map(|list| list.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_default();
    let index = |name: &str| names.iter().position(|n| n == name);
    let missing: Vec<&str> = ["VoNo", "VoDt", "VoTp", "DbAcCl", "DbAcNo", "CrAcCl", "CrAcNo", "Am"]
        .into_iter()
        .filter(|f| index(f).is_none())
        .collect();
    if !missing.is_empty() {
        p.findings.push(
            Diagnostic::error(
                "IO003",
                n,
                1,
                format!("the @WaVo field list must name {}, found '{wavo}'", missing.join(", ")),
            )
            .field("@WaVo"),
        );
        p.unreadable = true;
        return p;
    }
    let mut early = Vec::new();
    for (line, fields) in crate::delimited::rows_of(lines, ' ', true, &mut early, &mut p.records) {
        if fields.len() != names.len() {
            p.findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    1,
                    format!("a row must have {} values as @WaVo lists, found {}", names.len(), fields.len()),
                )
                .field("record"),
            );
            continue;
        }
        for (name, t) in names.iter().zip(&fields) {
            if !KEPT.contains(&name.as_str()) && !t.value.is_empty() {
                p.findings.push(reading::not_kept(line, t.column, name, &t.value, Dialect::VismaBusiness));
            }
        }
        let get = |name: &str| index(name).map(|i| &fields[i]);
        if let Some((head, l)) = row(&get, line, &mut p.findings) {
            let place = Place::with_columns(line, |f| get(field_name(f, l.side)).map_or(0, |t| t.column));
            p.places.push(place);
            p.bundle.push_posting(head.0, head.1, head.2, l);
        }
    }
    p.findings.append(&mut early);
    p.findings.sort_by_key(|d| d.line);
    p
}

type Head = (u64, NaiveDate, u32);

/// Whether `line` is `want` (blanks aside); an empty `want` takes any line, `@WaVo` any field list.
fn exact(line: &str, want: &str) -> bool {
    let line: String = line.chars().filter(|c| *c != ' ').collect();
    let want: String = want.chars().filter(|c| *c != ' ').collect();
    want.is_empty() || line == want || (want == "@WaVo" && line.starts_with("@WaVo("))
}

fn row<'a>(
    get: &impl Fn(&str) -> Option<&'a Token>,
    line: u64,
    findings: &mut Vec<Diagnostic>,
) -> Option<(Head, Line)> {
    let before = findings.len();
    let v = |name: &str| get(name).map_or("", |t| t.value.as_str());
    let mut bad = |code, name: &'static str, what: &str| {
        let column = get(name).map_or(1, |t| t.column);
        findings.push(
            Diagnostic::error(code, line, column, format!("{name} must be {what}, found '{}'", v(name))).field(name),
        );
    };
    let number = v("VoNo").parse::<u64>().map_err(|_| bad("IO003", "VoNo", "a whole number")).ok();
    let date = parse_yyyymmdd(v("VoDt").as_bytes()).map_err(|_| bad("LED003", "VoDt", "a date YYYYMMDD")).ok();
    if !v("ValDt").is_empty() && v("ValDt") != v("VoDt") {
        bad("IO003", "ValDt", &format!("the voucher date {} (kidkit keeps one date per voucher)", v("VoDt")));
    }
    let voucher_type = v("VoTp").parse::<u32>().map_err(|_| bad("IO003", "VoTp", "a whole number")).ok();
    let due_date = match v("DueDt") {
        "" | "0" => None,
        d => parse_yyyymmdd(d.as_bytes()).map_err(|_| bad("LED003", "DueDt", "a date YYYYMMDD")).ok(),
    };
    let amount = parse_kroner(v("Am"), AmountSyntax::POINT)
        .map_err(|_| bad("LED002", "Am", "an amount with a decimal point and at most two decimals"))
        .ok();
    let filled = |class: &str, acc: &str| !v(class).is_empty() || !v(acc).is_empty();
    let side = match (filled("DbAcCl", "DbAcNo"), filled("CrAcCl", "CrAcNo")) {
        (true, false) => Some(Side::Debit),
        (false, true) => Some(Side::Credit),
        _ => {
            bad("LED004", "DbAcNo", "filled when CrAcNo is empty, and empty when it is filled");
            None
        }
    };
    let (class_field, account_field, tax_field, trn_field) = match side {
        Some(Side::Credit) => ("CrAcCl", "CrAcNo", "CrTxCd", "CrTrnCl"),
        _ => ("DbAcCl", "DbAcNo", "DbTxCd", "DbTrnCl"),
    };
    let class = match v(class_field) {
        "1" => Some(AccountClass::Customer),
        "2" => Some(AccountClass::Supplier),
        "3" => Some(AccountClass::Gl),
        _ => {
            bad(
                "IO003",
                if class_field == "CrAcCl" { "CrAcCl" } else { "DbAcCl" },
                "1 (customer), 2 (supplier) or 3 (general ledger)",
            );
            None
        }
    };
    if !v(trn_field).is_empty() {
        bad(
            "IO003",
            if trn_field == "CrTrnCl" { "CrTrnCl" } else { "DbTrnCl" },
            "empty (kidkit does not keep transaction classes)",
        );
    }
    if findings.len() > before {
        return None;
    }
    let l = Line {
        invoice_no: v("InvoNo").to_owned(),
        kid: v("CID").to_owned(),
        due_date,
        text: v("Txt").to_owned(),
        vat_code: v(tax_field).to_owned(),
        ..Line::new(class?, v(account_field), side?, amount?)
    };
    Some(((number?, date?, voucher_type?), l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Options, validate};

    fn sample() -> String {
        let head = format!("@IMPORT_METHOD(3)\r\n@WaBnd (ValDt)\r\n\"20261124\"\r\n@WaVo ({})\r\n", FIELDS.join(", "));
        let tail = |am: &str, inv: &str, due: &str, kid: &str| {
            format!("\"{am}\" \"{inv}\" \"\" \"\" \"{due}\" \"\" \"\" \"\" \"\" \"\" \"\" \"\" \"\" \"{kid}\"")
        };
        format!(
            "{head}\"1\" \"20261123\" \"20261123\" \"1\" \"Sak 1 faktura 7\" \"1\" \"11000\" \"\" \"\" \"\" \"\" \"\" \"\" {}\r\n\
\"1\" \"20261123\" \"20261123\" \"1\" \"Sak 1 faktura 7\" \"\" \"\" \"\" \"\" \"1\" \"10001\" \"\" \"\" {}\r\n",
            tail("1000.00", "", "", ""),
            tail("1000.00", "7", "20261001", "123456782")
        )
    }

    #[test]
    fn reads_both_sides_and_writes_the_same_bytes() {
        let text = sample();
        let v = validate(Dialect::VismaBusiness, text.as_bytes(), &Options::default());
        assert!(v.findings.is_empty(), "{:?}", v.findings);
        let b = v.bundle.unwrap();
        assert_eq!(b.about.date, NaiveDate::from_ymd_opt(2026, 11, 24));
        let ls = &b.vouchers[0].lines;
        assert_eq!((ls[0].class, ls[0].side, ls[0].account.as_str()), (AccountClass::Customer, Side::Debit, "11000"));
        assert_eq!((ls[1].side, ls[1].kid.as_str(), ls[1].invoice_no.as_str()), (Side::Credit, "123456782", "7"));
        assert_eq!(ls[1].due_date, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(to_string(&b), text);
    }

    #[test]
    fn fuzz_regression_a_windows_1252_character_latin1_cannot_hold_is_a_finding_not_a_failed_write() {
        // found by fuzzing: '•' (0x95) in a VAT code read back, then refused by the writer
        let text = sample().replacen("\"\" \"1\" \"10001\" \"\" \"\"", "\"\" \"1\" \"10001\" \"\" \"\u{2022}\"", 1);
        let bytes: Vec<u8> = text.chars().map(|c| if c == '\u{2022}' { 0x95 } else { c as u8 }).collect();
        let v = validate(Dialect::VismaBusiness, &bytes, &Options::default());
        assert!(v.bundle.is_none());
        assert!(
            v.findings.iter().any(|d| d.code == "IO005" && d.field.as_deref() == Some("CrTxCd")),
            "{:?}",
            v.findings
        );
    }

    #[test]
    fn a_wrong_header_stops_reading_and_bad_rows_are_each_reported() {
        let v = validate(Dialect::VismaBusiness, b"@IMPORT_METHOD(3)\r\n@WaVo (VoNo)\r\n", &Options::default());
        assert_eq!(v.findings.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(), [("IO003", 2)]);
        let text = sample()
            .replace("\"20261123\" \"1\" \"Sak", "\"20261131\" \"x\" \"Sak")
            .replace("\"1000.00\" \"7\"", "\"10,00\" \"7\"");
        let v = validate(Dialect::VismaBusiness, text.as_bytes(), &Options::default());
        let found: Vec<(&str, u64)> = v.findings.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, [("IO003", 5), ("IO003", 5), ("IO003", 6), ("IO003", 6), ("LED002", 6)]);
    }
}
