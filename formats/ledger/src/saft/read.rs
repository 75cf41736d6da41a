//! A SAF-T document read into a bundle, with every finding at its element's line and column.

use chrono::Datelike;
use kidkit_core::{AmountSyntax, Diagnostic, parse_iso, parse_kroner};
use quick_xml::events::Event;

use crate::check::{Field, Place};
use crate::model::{AccountClass, Line, Side, Voucher};
use crate::reading::{Options, Parsed};

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
        p.findings.push(
            Diagnostic::error("LED010", 1, 1, "the file is empty: expected a SAF-T AuditFile").field("AuditFile"),
        );
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
