//! The accounts file (`--accounts accounts.json`): accounts, voucher types and numbering for
//! posting settlements. Without one, the defaults of `ledger-bundles.md` apply.

use serde::Deserialize;

use crate::model::AccountClass;

/// Where the net payout is posted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clearing {
    /// `customer` (the agency as a customer, e.g. 11000) or `gl` (e.g. the bank account 1920).
    pub class: String,
    /// The account.
    pub account: String,
}

/// SAF-T details.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Saft {
    /// Contact person's first name.
    #[serde(default)]
    pub contact_first_name: String,
    /// Contact person's last name.
    #[serde(default)]
    pub contact_last_name: String,
    /// Tax accounting basis (`A`).
    #[serde(default)]
    pub tax_accounting_basis: String,
}

/// Accounts, voucher types and numbering.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    /// Where the net payout goes.
    pub clearing: Clearing,
    /// The control account customer lines post to in dialects that need one.
    pub customer_control_account: String,
    /// Account numbers that are customers (Visma Global).
    pub customer_range: [u64; 2],
    /// Interest and fee income.
    pub interest_and_fees: String,
    /// Collection costs (the agency's commission).
    pub commission: String,
    /// Input VAT.
    pub input_vat: String,
    /// Loss on receivables.
    pub loss: String,
    /// The creditor deducts input VAT.
    pub vat_registered: bool,
    /// Voucher type of settlement vouchers.
    pub voucher_type: u32,
    /// Voucher type of write-offs.
    pub loss_voucher_type: u32,
    /// Number of the first voucher.
    pub first_voucher_no: u64,
    /// SAF-T details.
    #[serde(default)]
    pub saft: Saft,
}

impl Default for Accounts {
    /// The defaults of `ledger-bundles.md` (Visma Global AutoCollect guide; 7830 and 2710 from
    /// the Norwegian standard chart of accounts).
    fn default() -> Self {
        Accounts {
            clearing: Clearing { class: "customer".into(), account: "11000".into() },
            customer_control_account: "1500".into(),
            customer_range: [10_000, 19_999],
            interest_and_fees: "8050".into(),
            commission: "7200".into(),
            input_vat: "2710".into(),
            loss: "7830".into(),
            vat_registered: true,
            voucher_type: 1,
            loss_voucher_type: 1,
            first_voucher_no: 1,
            saft: Saft {
                contact_first_name: String::new(),
                contact_last_name: String::new(),
                tax_accounting_basis: "A".into(),
            },
        }
    }
}

/// A problem with the accounts file, naming the key (`IO007`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("accounts file: {key}: {message}")]
pub struct AccountsError {
    /// The key concerned.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl Accounts {
    /// Reads an accounts file: every key the defaults have may be given; unknown keys, accounts
    /// that are not digits and a clearing class other than `customer`/`gl` are errors.
    pub fn from_json(text: &str) -> Result<Self, AccountsError> {
        let mut merged = serde_json::to_value(DefaultsJson::from(&Accounts::default()))
            .map_err(|e| err("document", &e.to_string()))?;
        let given: serde_json::Value = serde_json::from_str(text).map_err(|e| err("document", &e.to_string()))?;
        let serde_json::Value::Object(given) = given else { return Err(err("document", "must be a JSON object")) };
        for (k, v) in given {
            merged[k] = v;
        }
        let a: Accounts = serde_json::from_value(merged).map_err(|e| {
            let m = e.to_string();
            let key = m.split('`').nth(1).unwrap_or("document").to_owned();
            err(&key, &m)
        })?;
        for (key, value) in [
            ("clearing.account", &a.clearing.account),
            ("customer_control_account", &a.customer_control_account),
            ("interest_and_fees", &a.interest_and_fees),
            ("commission", &a.commission),
            ("input_vat", &a.input_vat),
            ("loss", &a.loss),
        ] {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(key, &format!("an account is digits only, found '{value}'")));
            }
        }
        if a.clearing_class().is_none() {
            return Err(err("clearing.class", &format!("must be 'customer' or 'gl', found '{}'", a.clearing.class)));
        }
        Ok(a)
    }

    /// The clearing account's class.
    pub fn clearing_class(&self) -> Option<AccountClass> {
        match self.clearing.class.as_str() {
            "customer" => Some(AccountClass::Customer),
            "gl" => Some(AccountClass::Gl),
            _ => None,
        }
    }
}

fn err(key: &str, message: &str) -> AccountsError {
    AccountsError { key: key.to_owned(), message: message.to_owned() }
}

/// The defaults as JSON, so that a file may give only some keys.
#[derive(serde::Serialize)]
struct DefaultsJson {
    clearing: serde_json::Value,
    customer_control_account: String,
    customer_range: [u64; 2],
    interest_and_fees: String,
    commission: String,
    input_vat: String,
    loss: String,
    vat_registered: bool,
    voucher_type: u32,
    loss_voucher_type: u32,
    first_voucher_no: u64,
    saft: serde_json::Value,
}

impl From<&Accounts> for DefaultsJson {
    fn from(a: &Accounts) -> Self {
        DefaultsJson {
            clearing: serde_json::json!({"class": a.clearing.class, "account": a.clearing.account}),
            customer_control_account: a.customer_control_account.clone(),
            customer_range: a.customer_range,
            interest_and_fees: a.interest_and_fees.clone(),
            commission: a.commission.clone(),
            input_vat: a.input_vat.clone(),
            loss: a.loss.clone(),
            vat_registered: a.vat_registered,
            voucher_type: a.voucher_type,
            loss_voucher_type: a.loss_voucher_type,
            first_voucher_no: a.first_voucher_no,
            saft: serde_json::json!({
                "contact_first_name": a.saft.contact_first_name,
                "contact_last_name": a.saft.contact_last_name,
                "tax_accounting_basis": a.saft.tax_accounting_basis,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_partial_files() {
        assert_eq!(Accounts::from_json("{}").unwrap(), Accounts::default());
        let a = Accounts::from_json(r#"{"clearing": {"class": "gl", "account": "1920"}, "vat_registered": false}"#)
            .unwrap();
        assert_eq!(
            (a.clearing_class(), a.vat_registered, a.commission.as_str()),
            (Some(AccountClass::Gl), false, "7200")
        );
    }

    #[test]
    fn errors_name_the_key() {
        let e = |t: &str| Accounts::from_json(t).unwrap_err().key;
        assert_eq!(e(r#"{"comission": "7200"}"#), "comission");
        assert_eq!(e(r#"{"commission": "72A0"}"#), "commission");
        assert_eq!(e(r#"{"clearing": {"class": "bank", "account": "1920"}}"#), "clearing.class");
        assert_eq!(e(r#"{"clearing": {"class": "gl", "account": "19 20"}}"#), "clearing.account");
    }
}
