//! A bundle as kidkit's JSON (`--to json`) and back: every value of the model, amounts as a
//! string with two decimals (point) and as integer øre.
//!
//! ```json
//! {"kidkit": 1, "format": "bundle", "bundle": {"number": "968622", "about": {…},
//!  "vouchers": [{"number": 1, "date": "2026-11-23", "voucher_type": 1, "text": "…",
//!    "lines": [{"class": "customer", "account": "10001", …, "side": "credit",
//!               "amount": "1000.00", "amount_ore": 100000, "vat_code": ""}]}]}}
//! ```

use chrono::NaiveDate;
use kidkit_core::{AmountSyntax, format_point, parse_kroner};
use serde_json::{Value, json};

use crate::model::{About, AccountClass, Bundle, Line, Side, Voucher};

/// `bundle` as kidkit JSON.
pub fn to_json(bundle: &Bundle) -> Value {
    let a = &bundle.about;
    let customers: Vec<Value> = a.customers.iter().map(|(n, name)| json!({"number": n, "name": name})).collect();
    let vouchers: Vec<Value> = bundle
        .vouchers
        .iter()
        .map(|v| {
            let lines: Vec<Value> = v
                .lines
                .iter()
                .map(|l| {
                    json!({
                        "class": l.class.name(),
                        "account": l.account,
                        "customer_no": l.customer_no,
                        "invoice_no": l.invoice_no,
                        "kid": l.kid,
                        "due_date": l.due_date.map(|d| d.to_string()),
                        "text": l.text,
                        "side": if l.side == Side::Debit { "debit" } else { "credit" },
                        "amount": format_point(l.amount_ore),
                        "amount_ore": l.amount_ore,
                        "vat_code": l.vat_code,
                    })
                })
                .collect();
            json!({"number": v.number, "date": v.date.to_string(), "voucher_type": v.voucher_type, "text": v.text, "lines": lines})
        })
        .collect();
    json!({
        "kidkit": 1,
        "format": "bundle",
        "bundle": {
            "number": bundle.number,
            "about": {
                "date": a.date.map(|d| d.to_string()),
                "company_orgno": a.company_orgno,
                "company_name": a.company_name,
                "contact_first_name": a.contact_first_name,
                "contact_last_name": a.contact_last_name,
                "tax_accounting_basis": a.tax_accounting_basis,
                "customers": customers,
            },
            "vouchers": vouchers,
        }
    })
}

/// A bundle from kidkit JSON; `Err` names the value that is missing or wrong (its JSON path).
pub fn from_json(text: &str) -> Result<Bundle, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if doc.get("format").and_then(Value::as_str) != Some("bundle") {
        return Err("format: expected \"bundle\"".into());
    }
    let b = obj(&doc, "bundle", "")?;
    let a = obj(b, "about", "bundle")?;
    let mut about = About {
        date: opt_date(a, "date", "bundle.about")?,
        company_orgno: string(a, "company_orgno", "bundle.about")?,
        company_name: string(a, "company_name", "bundle.about")?,
        contact_first_name: string(a, "contact_first_name", "bundle.about")?,
        contact_last_name: string(a, "contact_last_name", "bundle.about")?,
        tax_accounting_basis: string(a, "tax_accounting_basis", "bundle.about")?,
        customers: Vec::new(),
    };
    for (i, c) in array(a, "customers", "bundle.about")?.iter().enumerate() {
        let at = format!("bundle.about.customers[{i}]");
        about.customers.push((string(c, "number", &at)?, string(c, "name", &at)?));
    }
    let mut vouchers = Vec::new();
    for (i, v) in array(b, "vouchers", "bundle")?.iter().enumerate() {
        let at = format!("bundle.vouchers[{i}]");
        let mut lines = Vec::new();
        for (k, l) in array(v, "lines", &at)?.iter().enumerate() {
            lines.push(line(l, &format!("{at}.lines[{k}]"))?);
        }
        vouchers.push(Voucher {
            number: uint(v, "number", &at)?,
            date: opt_date(v, "date", &at)?.ok_or(format!("{at}.date: expected a date"))?,
            voucher_type: u32::try_from(uint(v, "voucher_type", &at)?)
                .map_err(|_| format!("{at}.voucher_type: too large"))?,
            text: string(v, "text", &at)?,
            lines,
        });
    }
    Ok(Bundle { number: string(b, "number", "bundle")?, about, vouchers })
}

/// A line's amount in øre, from `amount_ore` or `amount` (kroner): either is enough; when both
/// are given they must agree.
fn amount(l: &Value, at: &str) -> Result<i64, String> {
    let ore = match l.get("amount_ore") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or(format!("{at}.amount_ore: expected whole øre, found {v}"))?),
    };
    let kroner = match l.get("amount") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(
            parse_kroner(text, AmountSyntax::POINT)
                .map_err(|e| format!("{at}.amount: '{text}' is not an amount ({e})"))?,
        ),
        Some(v) => return Err(format!("{at}.amount: expected kroner as text (\"1000.00\"), found {v}")),
    };
    match (ore, kroner) {
        (Some(o), Some(k)) if o != k => Err(format!(
            "{at}.amount: '{}' and amount_ore {o} disagree; give one, or both alike",
            l["amount"].as_str().unwrap_or_default()
        )),
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(format!("{at}: give amount_ore (whole øre) or amount (kroner)")),
    }
}

fn line(l: &Value, at: &str) -> Result<Line, String> {
    let class = AccountClass::from_name(&string(l, "class", at)?)
        .ok_or(format!("{at}.class: expected gl, customer or supplier"))?;
    let side = match string(l, "side", at)?.as_str() {
        "debit" => Side::Debit,
        "credit" => Side::Credit,
        _ => return Err(format!("{at}.side: expected debit or credit")),
    };
    let amount_ore = amount(l, at)?;
    Ok(Line {
        class,
        account: string(l, "account", at)?,
        customer_no: string(l, "customer_no", at)?,
        invoice_no: string(l, "invoice_no", at)?,
        kid: string(l, "kid", at)?,
        due_date: opt_date(l, "due_date", at)?,
        text: string(l, "text", at)?,
        side,
        amount_ore,
        vat_code: string(l, "vat_code", at)?,
    })
}

fn obj<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Value, String> {
    v.get(key).filter(|x| x.is_object()).ok_or(format!("{at}.{key}: expected an object"))
}

fn array<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Vec<Value>, String> {
    v.get(key).and_then(Value::as_array).ok_or(format!("{at}.{key}: expected an array"))
}

fn string(v: &Value, key: &str, at: &str) -> Result<String, String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned).ok_or(format!("{at}.{key}: expected a string"))
}

fn uint(v: &Value, key: &str, at: &str) -> Result<u64, String> {
    v.get(key).and_then(Value::as_u64).ok_or(format!("{at}.{key}: expected a whole number"))
}

fn opt_date(v: &Value, key: &str, at: &str) -> Result<Option<NaiveDate>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => kidkit_core::parse_iso(s.as_bytes())
            .map(Some)
            .map_err(|_| format!("{at}.{key}: expected a date YYYY-MM-DD, found '{s}'")),
        Some(_) => Err(format!("{at}.{key}: expected a date or null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_survives_json() {
        let text = "\
bundle_no;voucher_no;voucher_date;voucher_type;account_class;account;customer_no;invoice_no;kid;due_date;text;debit;credit;vat_code
S1;1;2026-11-02;1;customer;11000;11000;;;;Sak 1 faktura 7;1150,00;;
S1;1;2026-11-02;1;customer;10001;10001;7;123456782;2026-10-01;Sak 1 faktura 7;;1000,00;
S1;1;2026-11-02;1;gl;8050;;;;;renter;;150,00;3
";
        let mut b = crate::kidkit_csv::parse(text).bundle;
        b.about.customers.push(("10001".into(), "Kunde".into()));
        b.about.date = NaiveDate::from_ymd_opt(2026, 11, 3);
        let j = to_json(&b);
        assert_eq!(j["bundle"]["vouchers"][0]["lines"][1]["amount"], "1000.00");
        assert_eq!(from_json(&j.to_string()).unwrap(), b);
        let broken = j.to_string().replace("\"1000.00\"", "\"1000.50\"");
        assert_eq!(
            from_json(&broken).unwrap_err(),
            "bundle.vouchers[0].lines[1].amount: '1000.50' and amount_ore 100000 disagree; give one, or both alike"
        );
        // either alone is enough; junk in either is an error
        let line = |j: &mut Value| j["bundle"]["vouchers"][0]["lines"][1].as_object_mut().unwrap().clone();
        for key in ["amount", "amount_ore"] {
            let mut j = j.clone();
            let mut l = line(&mut j);
            l.remove(key);
            j["bundle"]["vouchers"][0]["lines"][1] = Value::Object(l);
            assert_eq!(from_json(&j.to_string()).unwrap(), b, "without {key}");
        }
        let junk = j.to_string().replace("\"1000.00\"", "\"10x0.00\"");
        assert!(
            from_json(&junk).unwrap_err().starts_with("bundle.vouchers[0].lines[1].amount: '10x0.00' is not an amount")
        );
    }
}
