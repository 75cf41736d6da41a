//! `saft`: SAF-T Financial 1.30 (`urn:StandardAuditFile-Taxation-Financial:NO`), written and read
//! with quick-xml.
//!
//! A bundle is one `Journal` (`JournalID` = the bundle number, `Type` `GL`); each voucher a
//! `Transaction` (`TransactionID` = voucher number, `VoucherType`, `Description` = voucher text,
//! `Period`/`PeriodYear` its month and year, `TransactionDate`, `SystemEntryDate` and
//! `GLPostingDate` its date); each posting a `Line` (`RecordID` 1, 2, … within the transaction,
//! `AccountID`, `CustomerID` on customer lines with the control account as `AccountID`,
//! `Description`, `DebitAmount`/`CreditAmount`, `ReferenceNumber` = invoice number, `CID` = KID,
//! `DueDate`). The header names kidkit as the software and the bundle's company; its dates come
//! from the bundle, never the clock, so the output is deterministic. `MasterFiles/Customers` lists
//! every customer the bundle names and every customer posted to. VAT codes are not written: SAF-T wants the VAT amount
//! with the code, which a bundle does not hold.

mod read;
mod write;

pub use read::read;
pub use write::to_string;

use crate::check::Field;
use crate::model::Side;

/// The SAF-T Financial namespace.
pub const NAMESPACE: &str = "urn:StandardAuditFile-Taxation-Financial:NO";

/// Whether `head` (a file's first bytes) is an XML document whose root is `AuditFile`.
pub fn is_audit_file(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let mut rest = text.trim_start();
    // skip the declaration, comments and processing instructions before the root
    while let Some(r) = rest.strip_prefix("<?").or_else(|| rest.strip_prefix("<!--")) {
        let end = if rest.starts_with("<?") { "?>" } else { "-->" };
        let Some(i) = r.find(end) else { return false };
        rest = r[i + end.len()..].trim_start();
    }
    let Some(tag) = rest.strip_prefix('<') else { return false };
    let name = tag.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("");
    name.rsplit(':').next() == Some("AuditFile")
}

/// What `saft` calls a field.
pub fn field_name(field: Field, side: Side) -> &'static str {
    match field {
        Field::VoucherNo => "TransactionID",
        Field::VoucherDate => "TransactionDate",
        Field::VoucherType => "VoucherType",
        Field::AccountClass | Field::CustomerNo => "CustomerID",
        Field::Account => "AccountID",
        Field::InvoiceNo => "ReferenceNumber",
        Field::Kid => "CID",
        Field::DueDate => "DueDate",
        Field::Text => "Description",
        Field::Amount if side == Side::Debit => "DebitAmount",
        Field::Amount => "CreditAmount",
        Field::VatCode => "TaxCode",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Dialect, validate};
    use crate::model::{AccountClass, Bundle};
    use crate::reading::Options;

    fn bundle() -> Bundle {
        let text = "\
bundle_no;voucher_no;voucher_date;voucher_type;account_class;account;customer_no;invoice_no;kid;due_date;text;debit;credit;vat_code
968622;1;2026-11-23;1;customer;11000;11000;;;;Sak 1832370 faktura 34500;1150,00;;
968622;1;2026-11-23;1;customer;10001;10001;34500;0000345009;2026-10-01;Sak 1832370 faktura 34500;;1000,00;
968622;1;2026-11-23;1;gl;8050;;;;;Sak <1> & \"2\";;150,00;
";
        let mut b = crate::kidkit_csv::parse(text).bundle;
        b.about.date = chrono::NaiveDate::from_ymd_opt(2026, 11, 24);
        b.about.company_orgno = "825602232".into();
        b.about.company_name = "Testkreditor AS".into();
        b.about.customers = vec![("11000".into(), "Eksempel Inkasso AS".into()), ("10001".into(), "Kunde 1 AS".into())];
        b.about.tax_accounting_basis = "A".into();
        b
    }

    #[test]
    fn writes_and_reads_back_every_value() {
        let b = bundle();
        let xml = to_string(&b, &Options::default()).unwrap();
        assert!(xml.contains("<AuditFileDateCreated>2026-11-24</AuditFileDateCreated>"));
        assert!(xml.contains("<AccountID>1500</AccountID>\n          <CustomerID>10001</CustomerID>"), "{xml}");
        assert!(xml.contains("Sak &lt;1&gt; &amp; &quot;2&quot;"));
        let v = validate(Dialect::Saft, xml.as_bytes(), &Options::default());
        assert!(v.findings.is_empty(), "{:?}", v.findings);
        let back = v.bundle.unwrap();
        assert_eq!(back, b);
        assert_eq!(to_string(&back, &Options::default()).unwrap(), xml);
        assert!(is_audit_file(xml.as_bytes()));
        // the CID element of the second posting, on its own line
        let cid = v.places[1];
        assert_eq!(
            (cid.line_of(Field::Kid), cid.column(Field::Kid)),
            (xml.lines().position(|l| l.contains("<CID>")).unwrap() as u64 + 1, 11)
        );
    }

    /// Runs `xmllint --schema` (libxml2-utils; `.ci/run` installs it) on `xml`. Without xmllint
    /// the check is skipped with a note, unless `KIDKIT_REQUIRE_TOOLS` is set (as in CI).
    #[allow(clippy::print_stderr, reason = "a skipped check says so in the test output")]
    pub(crate) fn assert_schema_valid(xml: &str) {
        let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd");
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), xml).unwrap();
        let out =
            match std::process::Command::new("xmllint").args(["--noout", "--schema", schema]).arg(file.path()).output()
            {
                Ok(out) => out,
                Err(e) => {
                    assert!(
                        std::env::var_os("KIDKIT_REQUIRE_TOOLS").is_none(),
                        "KIDKIT_REQUIRE_TOOLS is set but xmllint does not run ({e}; apt-get install libxml2-utils)"
                    );
                    eprintln!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
                    return;
                }
            };
        assert!(out.status.success(), "{}\n{xml}", String::from_utf8_lossy(&out.stderr));
    }

    #[test]
    fn output_validates_against_the_official_schema() {
        assert_schema_valid(&to_string(&bundle(), &Options::default()).unwrap());
        // no customers, no company: still valid
        let mut b = bundle();
        b.about = crate::model::About::default();
        b.vouchers[0].lines.retain(|l| l.class == AccountClass::Gl);
        assert_schema_valid(&to_string(&b, &Options::default()).unwrap());
    }

    #[test]
    fn fuzz_regression_customers_listed_but_not_posted_to_survive() {
        let mut b = bundle();
        b.about.customers.insert(1, ("05500".into(), "Listed only".into()));
        let xml = to_string(&b, &Options::default()).unwrap();
        let back = validate(Dialect::Saft, xml.as_bytes(), &Options::default()).bundle.unwrap();
        assert_eq!(back.about.customers, b.about.customers);
        assert_eq!(to_string(&back, &Options::default()).unwrap(), xml);
    }

    #[test]
    fn fuzz_regression_a_customer_posted_to_but_not_listed_is_warned_and_listed() {
        let xml = to_string(&bundle(), &Options::default()).unwrap();
        let unlisted = xml.replacen("      <Customer>\n        <Name>Eksempel Inkasso AS</Name>\n        <CustomerID>11000</CustomerID>\n      </Customer>\n", "", 1);
        assert_ne!(unlisted, xml);
        let v = validate(Dialect::Saft, unlisted.as_bytes(), &Options::default());
        assert_eq!(
            v.findings.iter().map(|d| (d.code, d.field.as_deref())).collect::<Vec<_>>(),
            [("IO001", Some("CustomerID"))]
        );
        let b = v.bundle.unwrap();
        assert_eq!(b.about.customers.last(), Some(&("11000".to_owned(), String::new())));
        let again = to_string(&b, &Options::default()).unwrap();
        assert_eq!(validate(Dialect::Saft, again.as_bytes(), &Options::default()).bundle.unwrap(), b);
    }

    #[test]
    fn broken_and_foreign_documents_are_findings() {
        let found = |text: &str| -> Vec<(&'static str, u64)> {
            validate(Dialect::Saft, text.as_bytes(), &Options::default())
                .findings
                .iter()
                .map(|d| (d.code, d.line))
                .collect()
        };
        assert_eq!(found("<AuditFile>\n<Header>\n</AuditFile>"), [("IO003", 3)]);
        assert_eq!(found("<Other/>"), [("IO003", 1)]);
        assert_eq!(found(""), [("LED010", 1)]);
        // fuzz regression: a header-less file would be rewritten with a made-up date
        assert_eq!(found("<AuditFile/>"), [("IO003", 1), ("IO003", 1)]);
        let xml = to_string(&bundle(), &Options::default()).unwrap();
        let bad = xml.replacen("<Period>11</Period>", "<Period>12</Period>", 1).replacen(
            "<Amount>150.00</Amount>",
            "<Amount>1,5</Amount>",
            1,
        );
        let codes: Vec<&str> = found(&bad).iter().map(|c| c.0).collect();
        assert_eq!(codes, ["LED003", "LED002"]);
    }
}
