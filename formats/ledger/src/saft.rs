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

use chrono::Datelike;
use kidkit_core::{AmountSyntax, Diagnostic, format_point, parse_iso, parse_kroner};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::check::{Field, Place};
use crate::model::{AccountClass, Bundle, Line, Side, Voucher};
use crate::reading::{Options, Parsed};

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

/// An element of the document: its local name, text, where it starts, and its children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    at: u64,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
    fn path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, p| n.child(p))
    }
}

/// Byte offsets to 1-based lines and character columns.
struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Positions { text, line_starts }
    }
    fn at(&self, offset: u64) -> (u64, u32) {
        let offset = (offset as usize).min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line as u64, column as u32)
    }
}

fn tree(text: &str) -> Result<Node, (u64, String)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| (reader.error_position(), e.to_string()))?;
        let top = stack.last_mut().ok_or((at, "unbalanced elements".to_owned()))?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                stack.push(Node { name, at, ..Node::default() });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                top.children.push(Node { name, at, ..Node::default() });
            }
            Event::End(_) => {
                let node = stack.pop().ok_or((at, "unbalanced elements".to_owned()))?;
                stack.last_mut().ok_or((at, "an end tag without its start".to_owned()))?.children.push(node);
            }
            Event::Text(t) => top.text.push_str(&t.xml_content().map_err(|e| (at, e.to_string()))?),
            Event::CData(t) => top.text.push_str(&t.decode().map_err(|e| (at, e.to_string()))?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| (at, e.to_string()))?;
                match r.resolve_char_ref() {
                    Ok(Some(c)) => top.text.push(c),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => top.text.push_str(s),
                        None => return Err((at, format!("unknown entity &{name};"))),
                    },
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut doc = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or((text.len() as u64, "the document ends inside an element".to_owned()))?;
    doc.children.pop().ok_or((0, "no root element".to_owned()))
}

/// Reads a SAF-T document.
pub fn read(bytes: &[u8], opts: &Options) -> Parsed {
    let mut p = Parsed::default();
    let bytes = bytes.strip_prefix(kidkit_core::BOM).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        p.findings
            .push(Diagnostic::error("IO006", 1, 1, "the file is empty: expected a SAF-T AuditFile").field("AuditFile"));
        p.unreadable = true;
        return p;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
        let line = bytes[..at].split(|&b| b == b'\n').count() as u64;
        p.findings
            .push(Diagnostic::error("IO003", line, 1, "SAF-T is UTF-8: this byte sequence is not").field("encoding"));
        p.unreadable = true;
        return p;
    };
    let pos = Positions::new(text);
    let root = match tree(text) {
        Ok(r) if r.name == "AuditFile" => r,
        Ok(r) => {
            let (line, col) = pos.at(r.at);
            p.findings.push(
                Diagnostic::error("IO003", line, col, format!("the root element must be AuditFile, found {}", r.name))
                    .field("AuditFile"),
            );
            p.unreadable = true;
            return p;
        }
        Err((at, message)) => {
            let (line, col) = pos.at(at);
            p.findings.push(
                Diagnostic::error("IO003", line, col, format!("the XML cannot be read: {message}")).field("AuditFile"),
            );
            p.unreadable = true;
            return p;
        }
    };
    read_header(&root, &pos, &mut p);
    let mut journals = root.child("GeneralLedgerEntries").into_iter().flat_map(|g| g.all("Journal"));
    if let Some(j) = journals.next() {
        j.text_of("JournalID").unwrap_or_default().clone_into(&mut p.bundle.number);
        read_journal(j, &pos, opts, &mut p);
    }
    for j in journals {
        let (line, col) = pos.at(j.at);
        p.findings.push(
            Diagnostic::error(
                "IO003",
                line,
                col,
                format!("a second Journal ('{}'): a bundle is one journal", j.text_of("JournalID").unwrap_or("")),
            )
            .field("Journal"),
        );
    }
    list_posted_customers(&mut p);
    p
}

/// A customer posted to but not listed under `MasterFiles/Customers` is warned and listed
/// (without a name), as a rewrite lists it.
fn list_posted_customers(p: &mut Parsed) {
    let mut listed: std::collections::HashSet<String> =
        p.bundle.about.customers.iter().map(|(n, _)| n.clone()).collect();
    let mut missing = Vec::new();
    for ((_, l), place) in p.bundle.postings().zip(&p.places) {
        if l.class == AccountClass::Customer && listed.insert(l.customer_no.clone()) {
            missing.push((l.customer_no.clone(), place.line_of(Field::CustomerNo), place.column(Field::CustomerNo)));
        }
    }
    for (no, line, column) in missing {
        p.findings.push(
            Diagnostic::warning(
                "IO001",
                line,
                column,
                format!("customer {no} is posted to but not listed under MasterFiles/Customers; a rewrite lists it, without a name"),
            )
            .field("CustomerID"),
        );
        p.bundle.about.customers.push((no, String::new()));
    }
}

fn read_header(root: &Node, pos: &Positions<'_>, p: &mut Parsed) {
    let h = root.child("Header");
    // what the schema requires and a rewrite would otherwise fill in
    let required: [&[&str]; 2] = [&["AuditFileDateCreated"], &["TaxAccountingBasis"]];
    for path in required {
        if h.and_then(|h| h.path(path)).is_none() {
            let (line, col) = pos.at(h.map_or(root.at, |h| h.at));
            let what = if h.is_some() { path[0] } else { "Header" };
            p.findings.push(
                Diagnostic::error("IO003", line, col, format!("the SAF-T Header must hold {}, found none", path[0]))
                    .field(what),
            );
        }
    }
    let a = &mut p.bundle.about;
    let get = |path: &[&str]| h.and_then(|h| h.path(path)).map(|n| n.text.clone()).unwrap_or_default();
    a.company_orgno = get(&["Company", "RegistrationNumber"]);
    a.company_name = get(&["Company", "Name"]);
    a.contact_first_name = get(&["Company", "Contact", "ContactPerson", "FirstName"]);
    a.contact_last_name = get(&["Company", "Contact", "ContactPerson", "LastName"]);
    a.tax_accounting_basis = get(&["TaxAccountingBasis"]);
    if let Some(n) = h.and_then(|h| h.child("AuditFileDateCreated")) {
        if let Ok(d) = parse_iso(n.text.trim().as_bytes()) {
            a.date = Some(d);
        } else {
            let (line, col) = pos.at(n.at);
            p.findings.push(
                Diagnostic::error(
                    "LED003",
                    line,
                    col,
                    format!("AuditFileDateCreated must be a date YYYY-MM-DD, found '{}'", n.text.trim()),
                )
                .field("AuditFileDateCreated"),
            );
        }
    }
    let customers = root.path(&["MasterFiles", "Customers"]).into_iter().flat_map(|c| c.all("Customer"));
    let mut listed = std::collections::HashSet::new();
    for c in customers {
        let id = c.text_of("CustomerID").unwrap_or_default().to_owned();
        if listed.insert(id.clone()) {
            p.bundle.about.customers.push((id, c.text_of("Name").unwrap_or_default().to_owned()));
        } else {
            let (line, col) = pos.at(c.at);
            p.findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    col,
                    format!("customer {id} is listed twice under MasterFiles/Customers: expected once"),
                )
                .field("CustomerID"),
            );
        }
    }
}

fn read_journal(j: &Node, pos: &Positions<'_>, opts: &Options, p: &mut Parsed) {
    for t in j.all("Transaction") {
        let before = p.findings.len();
        let mut bad = |n: &Node, code, name: &'static str, what: &str| {
            let (line, col) = pos.at(n.at);
            let found = n.child(name).map_or("nothing".to_owned(), |c| format!("'{}'", c.text.trim()));
            p.findings
                .push(Diagnostic::error(code, line, col, format!("{name} must be {what}, found {found}")).field(name));
        };
        let node = |name| t.child(name).unwrap_or(t);
        let number = t.text_of("TransactionID").and_then(|s| s.parse::<u64>().ok());
        if number.is_none() {
            bad(node("TransactionID"), "IO003", "TransactionID", "a whole number (the voucher number)");
        }
        let date = t.text_of("TransactionDate").and_then(|s| parse_iso(s.as_bytes()).ok());
        if date.is_none() {
            bad(node("TransactionDate"), "LED003", "TransactionDate", "a date YYYY-MM-DD");
        }
        if let Some(d) = date {
            if t.text_of("Period") != Some(&d.month().to_string()) {
                bad(node("Period"), "LED003", "Period", &format!("the transaction date's month {}", d.month()));
            }
            if t.text_of("PeriodYear") != Some(&d.year().to_string()) {
                bad(node("PeriodYear"), "LED003", "PeriodYear", &format!("the transaction date's year {}", d.year()));
            }
        }
        let voucher_type = match t.text_of("VoucherType") {
            None => Some(0),
            Some(s) => s.parse::<u32>().ok(),
        };
        if voucher_type.is_none() {
            bad(node("VoucherType"), "IO003", "VoucherType", "a whole number");
        }
        let mut lines = Vec::new();
        for l in t.all("Line") {
            if let Some(line) = read_line(l, pos, opts, &mut p.findings) {
                lines.push(line);
            }
        }
        if p.findings.len() > before {
            continue;
        }
        let (Some(number), Some(date), Some(voucher_type)) = (number, date, voucher_type) else { continue };
        let text = t.text_of("Description").unwrap_or_default().to_owned();
        let mut v = Voucher { number, date, voucher_type, text, lines: Vec::new() };
        for (i, (mut place, line)) in lines.into_iter().enumerate() {
            if i == 0 {
                let fields = [
                    (Field::VoucherNo, "TransactionID"),
                    (Field::VoucherDate, "TransactionDate"),
                    (Field::VoucherType, "VoucherType"),
                ];
                place_fields(&mut place, t, pos, &fields);
            }
            p.places.push(place);
            v.lines.push(line);
        }
        p.records += v.lines.len() as u64;
        p.bundle.vouchers.push(v);
    }
}

fn read_line(l: &Node, pos: &Positions<'_>, opts: &Options, findings: &mut Vec<Diagnostic>) -> Option<(Place, Line)> {
    let before = findings.len();
    let (line, col) = pos.at(l.at);
    let mut bad = |code, name: &'static str, what: String| {
        let (line, col) = l.child(name).map_or((line, col), |n| pos.at(n.at));
        findings.push(Diagnostic::error(code, line, col, what).field(name));
    };
    let amount = |name: &str| l.path(&[name, "Amount"]).map(|n| parse_kroner(n.text.trim(), AmountSyntax::POINT));
    let side = match (amount("DebitAmount"), amount("CreditAmount")) {
        (Some(Ok(a)), None) => Some((Side::Debit, a)),
        (None, Some(Ok(a))) => Some((Side::Credit, a)),
        (Some(Err(_)), _) => {
            bad(
                "LED002",
                "DebitAmount",
                "DebitAmount/Amount must be an amount with a decimal point and at most two decimals".into(),
            );
            None
        }
        (_, Some(Err(_))) => {
            bad(
                "LED002",
                "CreditAmount",
                "CreditAmount/Amount must be an amount with a decimal point and at most two decimals".into(),
            );
            None
        }
        _ => {
            bad(
                "LED002",
                "DebitAmount",
                "a Line must have one DebitAmount/Amount or one CreditAmount/Amount, found neither or both".into(),
            );
            None
        }
    };
    let account = l.text_of("AccountID").unwrap_or_default();
    let class = match (l.text_of("CustomerID"), l.text_of("SupplierID")) {
        (Some(_), Some(_)) => {
            bad(
                "IO003",
                "SupplierID",
                "a Line posts to one sub-ledger: expected CustomerID or SupplierID, found both".into(),
            );
            None
        }
        (Some(c), None) => Some((AccountClass::Customer, c)),
        (None, Some(s)) => Some((AccountClass::Supplier, s)),
        (None, None) => Some((AccountClass::Gl, account)),
    };
    if class.is_some_and(|(c, _)| c == AccountClass::Customer) && account != opts.customer_control_account {
        bad(
            "LED004",
            "AccountID",
            format!(
                "AccountID must be the customer control account {} on a customer line, found '{account}'",
                opts.customer_control_account
            ),
        );
    }
    let due_date = match l.text_of("DueDate") {
        None => None,
        Some(s) => parse_iso(s.as_bytes())
            .map_err(|_| bad("LED003", "DueDate", format!("DueDate must be a date YYYY-MM-DD, found '{s}'")))
            .ok(),
    };
    for c in &l.children {
        let kept = [
            "RecordID",
            "AccountID",
            "CustomerID",
            "SupplierID",
            "Description",
            "DebitAmount",
            "CreditAmount",
            "ReferenceNumber",
            "CID",
            "DueDate",
        ];
        if !kept.contains(&c.name.as_str()) {
            let (line, col) = pos.at(c.at);
            findings.push(
                Diagnostic::error(
                    "IO003",
                    line,
                    col,
                    format!("kidkit does not keep {} on a Line (VAT needs its amount, which a bundle does not hold): expected it absent", c.name),
                )
                .field(c.name.clone()),
            );
        }
    }
    if findings.len() > before {
        return None;
    }
    let (side, amount) = side?;
    let (class, number) = class?;
    let out = Line {
        invoice_no: l.text_of("ReferenceNumber").unwrap_or_default().to_owned(),
        kid: l.text_of("CID").unwrap_or_default().to_owned(),
        due_date,
        text: l.text_of("Description").unwrap_or_default().to_owned(),
        ..Line::new(class, if class == AccountClass::Gl { account } else { number }, side, amount)
    };
    let mut place = Place::line(line);
    place_fields(
        &mut place,
        l,
        pos,
        &[
            (Field::Account, "AccountID"),
            (Field::CustomerNo, "CustomerID"),
            (Field::AccountClass, "CustomerID"),
            (Field::InvoiceNo, "ReferenceNumber"),
            (Field::Kid, "CID"),
            (Field::DueDate, "DueDate"),
            (Field::Text, "Description"),
            (Field::Amount, if side == Side::Debit { "DebitAmount" } else { "CreditAmount" }),
        ],
    );
    Some((place, out))
}

/// Records where the elements of `node` named by `fields` stand.
fn place_fields(place: &mut Place, node: &Node, pos: &Positions<'_>, fields: &[(Field, &str)]) {
    for (f, name) in fields {
        if let Some(n) = node.child(name) {
            let (line, column) = pos.at(n.at);
            place.set(*f, line, column);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Dialect, validate};

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
        assert_eq!(found(""), [("IO006", 1)]);
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
