//! A bundle written as a SAF-T document: the header, the customers and one journal.

use chrono::Datelike;
use kidkit_core::format_point;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::NAMESPACE;
use crate::model::{AccountClass, Bundle, Side, Voucher};
use crate::reading::Options;

struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn open(&mut self, name: &str) -> std::io::Result<()> {
        self.0.write_event(Event::Start(BytesStart::new(name)))
    }
    fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }
    fn leaf(&mut self, name: &str, text: &str) -> std::io::Result<()> {
        self.0.create_element(name).write_text_content(BytesText::new(text)).map(|_| ())
    }
}

/// `bundle` as a SAF-T document. Check it with the `saft` rules first: lengths beyond the
/// schema's are written as they are.
pub fn to_string(bundle: &Bundle, opts: &Options) -> std::io::Result<String> {
    let mut x = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    x.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.0.write_event(Event::Start(BytesStart::new("AuditFile").with_attributes([("xmlns", NAMESPACE)])))?;
    header(&mut x, bundle)?;
    customers(&mut x, bundle)?;
    x.open("GeneralLedgerEntries")?;
    x.leaf("NumberOfEntries", &bundle.vouchers.len().to_string())?;
    let total = |side| -> i128 {
        bundle.postings().filter(|(_, l)| l.side == side).map(|(_, l)| i128::from(l.amount_ore)).sum()
    };
    x.leaf("TotalDebit", &format_i128(total(Side::Debit)))?;
    x.leaf("TotalCredit", &format_i128(total(Side::Credit)))?;
    x.open("Journal")?;
    x.leaf("JournalID", &bundle.number)?;
    x.leaf("Description", &format!("Bunt {}", bundle.number))?;
    x.leaf("Type", "GL")?;
    for v in &bundle.vouchers {
        transaction(&mut x, v, opts)?;
    }
    x.close("Journal")?;
    x.close("GeneralLedgerEntries")?;
    x.close("AuditFile")?;
    let mut bytes = x.0.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

fn format_i128(ore: i128) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let a = ore.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn header(x: &mut Xml, bundle: &Bundle) -> std::io::Result<()> {
    let a = &bundle.about;
    let dates = || bundle.vouchers.iter().map(|v| v.date);
    let created = a.date.or_else(|| dates().max()).unwrap_or_default();
    x.open("Header")?;
    x.leaf("AuditFileVersion", "1.30")?;
    x.leaf("AuditFileCountry", "NO")?;
    x.leaf("AuditFileDateCreated", &created.to_string())?;
    x.leaf("SoftwareCompanyName", "kidkit")?;
    x.leaf("SoftwareID", "kidkit")?;
    x.leaf("SoftwareVersion", env!("CARGO_PKG_VERSION"))?;
    x.open("Company")?;
    x.leaf("RegistrationNumber", &a.company_orgno)?;
    x.leaf("Name", &a.company_name)?;
    x.open("Contact")?;
    x.open("ContactPerson")?;
    x.leaf("FirstName", &a.contact_first_name)?;
    x.leaf("LastName", &a.contact_last_name)?;
    x.close("ContactPerson")?;
    x.close("Contact")?;
    x.close("Company")?;
    x.leaf("DefaultCurrencyCode", "NOK")?;
    x.open("SelectionCriteria")?;
    let first = dates().min().unwrap_or(created);
    let last = dates().max().unwrap_or(created);
    x.leaf("PeriodStart", &first.month().to_string())?;
    x.leaf("PeriodStartYear", &first.year().to_string())?;
    x.leaf("PeriodEnd", &last.month().to_string())?;
    x.leaf("PeriodEndYear", &last.year().to_string())?;
    x.close("SelectionCriteria")?;
    x.leaf("TaxAccountingBasis", if a.tax_accounting_basis.is_empty() { "A" } else { &a.tax_accounting_basis })?;
    x.close("Header")
}

fn customers(x: &mut Xml, bundle: &Bundle) -> std::io::Result<()> {
    // the named customers (a SAF-T file read may list customers it does not post to), then any
    // posted to without a name
    let names = bundle.about.customer_names();
    let mut listed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut seen: Vec<&str> = Vec::new();
    let posted =
        bundle.postings().filter(|(_, l)| l.class == AccountClass::Customer).map(|(_, l)| l.customer_no.as_str());
    for no in bundle.about.customers.iter().map(|(n, _)| n.as_str()).chain(posted) {
        if listed.insert(no) {
            seen.push(no);
        }
    }
    if seen.is_empty() {
        return Ok(());
    }
    x.open("MasterFiles")?;
    x.open("Customers")?;
    for no in seen {
        x.open("Customer")?;
        x.leaf("Name", names.get(no).copied().unwrap_or_default())?;
        x.leaf("CustomerID", no)?;
        x.close("Customer")?;
    }
    x.close("Customers")?;
    x.close("MasterFiles")
}

fn transaction(x: &mut Xml, v: &Voucher, opts: &Options) -> std::io::Result<()> {
    x.open("Transaction")?;
    x.leaf("TransactionID", &v.number.to_string())?;
    x.leaf("Period", &v.date.month().to_string())?;
    x.leaf("PeriodYear", &v.date.year().to_string())?;
    x.leaf("TransactionDate", &v.date.to_string())?;
    x.leaf("VoucherType", &v.voucher_type.to_string())?;
    x.leaf("Description", &v.text)?;
    x.leaf("SystemEntryDate", &v.date.to_string())?;
    x.leaf("GLPostingDate", &v.date.to_string())?;
    for (i, l) in v.lines.iter().enumerate() {
        x.open("Line")?;
        x.leaf("RecordID", &(i + 1).to_string())?;
        let customer = l.class == AccountClass::Customer;
        x.leaf("AccountID", if customer { &opts.customer_control_account } else { &l.account })?;
        if customer {
            x.leaf("CustomerID", &l.customer_no)?;
        }
        x.leaf("Description", &l.text)?;
        let side = if l.side == Side::Debit { "DebitAmount" } else { "CreditAmount" };
        x.open(side)?;
        x.leaf("Amount", &format_point(l.amount_ore))?;
        x.close(side)?;
        if !l.invoice_no.is_empty() {
            x.leaf("ReferenceNumber", &l.invoice_no)?;
        }
        if !l.kid.is_empty() {
            x.leaf("CID", &l.kid)?;
        }
        if let Some(d) = l.due_date {
            x.leaf("DueDate", &d.to_string())?;
        }
        x.close("Line")?;
    }
    x.close("Transaction")
}
