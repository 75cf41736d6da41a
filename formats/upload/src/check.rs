//! Validating an upload: every field by the Kreditorweb form's rules, each case (claims, notice,
//! the legal deadlines), duplicates across the file, and the trailer. Reads as a stream: one
//! case is held at a time, plus an 8-byte hash per case reference and invoice number for the
//! duplicate checks.

use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use kidkit_core::date::parse_yyyymmdd;
use kidkit_core::encoding::{EncodingSniffer, TextEncoding, decode, forbidden_byte_finding, mixed_encoding_finding};
use kidkit_core::ident::country::is_country;
use kidkit_core::ident::kid;
use kidkit_core::ident::orgnr::check_orgnr;
use kidkit_core::ident::person::{PersonRules, check_person_number, mask};
use kidkit_core::lines::{LineReader, LineStats};
use kidkit_core::{Diagnostic, FileReport, Findings, Severity};

use crate::dups::{Filter, KeyKind, Probe, key_hash, resolve};
use crate::layout::{Field, Kind, RECORD_LEN, RecordType, case_group, unpad, unpad_end};

/// Options for checking an upload.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Severity of a KID failing both check-digit rules (`None`: not checked). Uploads are typed
    /// by people, so the default is an error.
    pub kid_check: Option<Severity>,
    /// Rules for personal numbers (today, 2032 rule).
    pub person: PersonRules,
    /// Show personal numbers unmasked in messages and records.
    pub show_personal_data: bool,
    /// `--max-errors`.
    pub max_errors: Option<u64>,
}

/// One record: its text padded to 200 characters, sliced by character.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The record type.
    pub kind: RecordType,
    text: Cow<'a, str>,
    /// Byte range of each field, from the nom parser.
    spans: Vec<std::ops::Range<usize>>,
}

impl<'a> Record<'a> {
    fn new(kind: RecordType, text: Cow<'a, str>) -> Self {
        let spans = crate::parse::split(kind, &text).unwrap_or_default();
        Record { kind, text, spans }
    }
    /// The characters of a field.
    pub fn get(&self, field: &Field) -> &str {
        // fields are identified by their first column, unique within a record type
        let at = self.kind.fields().iter().position(|f| f.start == field.start);
        self.span(at)
    }

    fn span(&self, at: Option<usize>) -> &str {
        at.and_then(|i| self.spans.get(i)).and_then(|r| self.text.get(r.clone())).unwrap_or("")
    }
    /// A field by name, without its padding blanks.
    pub fn value(&self, name: &str) -> &str {
        let fields = self.kind.fields();
        let at = fields.iter().position(|f| f.name == name);
        let raw = self.span(at);
        match at.map(|i| fields[i].kind) {
            Some(Kind::Kid) => unpad(raw),
            _ => unpad_end(raw),
        }
    }
    /// The whole record (200 characters).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Receives every record of a file that is still valid, in order (for conversions).
pub trait UploadSink {
    /// One record.
    fn record(&mut self, line: u64, rec: &Record<'_>) -> io::Result<()>;
}

/// What checking a file found.
#[derive(Debug)]
pub struct Outcome {
    /// Findings and counts.
    pub report: FileReport,
    /// The encoding it was read in.
    pub encoding: TextEncoding,
    /// Line endings, BOM, final newline.
    pub lines: LineStats,
    /// Keys that may be duplicates: when present, [`crate::dups::resolve`] on a second reading
    /// decides (see [`check_rereadable`]).
    pub probe: Option<Probe>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Header,
    CaseOrTrailer,
    ContactOrClaim,
    ClaimOrAction,
    AfterAction,
    Nothing,
}

impl Expect {
    fn describe(self) -> &'static str {
        match self {
            Expect::Header => "the file header (00)",
            Expect::CaseOrTrailer => "a case (10) or the trailer (99)",
            Expect::ContactOrClaim => "the debtor's contact record (11) or a claim (20)",
            Expect::ClaimOrAction => "another claim (20) or the case's action (30)",
            Expect::AfterAction => "the next case (10) or the trailer (99)",
            Expect::Nothing => "nothing after the trailer (99)",
        }
    }
    fn allows(self, t: RecordType) -> bool {
        use RecordType as R;
        matches!(
            (self, t),
            (Expect::Header, R::Header)
                | (Expect::CaseOrTrailer | Expect::AfterAction, R::Case | R::Trailer)
                | (Expect::ContactOrClaim, R::Contact | R::Claim)
                | (Expect::ClaimOrAction, R::Claim | R::Action)
        )
    }
}

#[derive(Debug, Default)]
struct Case {
    line: u64,
    reference: String,
    /// What the case's findings are grouped under.
    group: Arc<str>,
    person: bool,
    contact: bool,
    claims: u32,
    sum: i128,
    known: bool,
    latest_due: Option<NaiveDate>,
    actions: u32,
    notice: Option<(NaiveDate, u64)>,
}

struct Checker<'o> {
    opts: &'o CheckOptions,
    out: Vec<Diagnostic>,
    line: u64,
    /// The current record's text and type, for showing under findings.
    text: String,
    kind: RecordType,
    expect: Expect,
    creation: Option<NaiveDate>,
    case: Option<Case>,
    invoice: Option<String>,
    dups: Filter,
    cases: u64,
    claims: u64,
    records: u64,
    total: i128,
    total_known: bool,
    trailer: bool,
}

/// The day the reminder-fee cap changed from 70 to 35 kroner.
fn cap_change() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 10, 1).unwrap_or_default()
}

impl Checker<'_> {
    /// The current record as shown under a finding: a person's national id masked.
    fn shown(&self) -> String {
        shown_record(self.kind, &self.text, self.opts.show_personal_data)
    }

    fn prefix(&self) -> String {
        match (&self.case, &self.invoice) {
            (Some(c), Some(i)) => format!("case '{}', claim '{i}': ", c.reference),
            (Some(c), None) if !c.reference.is_empty() => format!("case '{}': ", c.reference),
            _ => String::new(),
        }
    }

    fn push(&mut self, severity: Severity, code: &'static str, f: &Field, message: impl AsRef<str>) {
        let d = Diagnostic::new(
            code,
            severity,
            self.line,
            u32::from(f.start),
            format!("{}{}", self.prefix(), message.as_ref()),
        )
        .width(u32::from(f.len.max(1)))
        .field(f.name)
        .record(self.shown());
        self.out.push(d);
    }
    fn err(&mut self, code: &'static str, f: &Field, message: impl AsRef<str>) {
        self.push(Severity::Error, code, f, message);
    }
    fn warn(&mut self, code: &'static str, f: &Field, message: impl AsRef<str>) {
        self.push(Severity::Warning, code, f, message);
    }

    /// A MUST field: `UPL010` when blank. Returns the value when filled.
    fn must<'r>(&mut self, rec: &'r Record<'_>, name: &str) -> Option<&'r str> {
        let f = rec.kind.field(name);
        let v = rec.value(name);
        if unpad(v).is_empty() {
            self.err("UPL010", &f, format!("{} must be filled in", f.describe()));
            return None;
        }
        Some(v)
    }
    /// A SHOULD field: warning `UPL011` when blank.
    fn should<'r>(&mut self, rec: &'r Record<'_>, name: &str) -> Option<&'r str> {
        let f = rec.kind.field(name);
        let v = rec.value(name);
        if unpad(v).is_empty() {
            self.warn("UPL011", &f, format!("{} should be filled in", f.describe()));
            return None;
        }
        Some(v)
    }
    fn date(&mut self, rec: &Record<'_>, name: &str, v: &str) -> Option<NaiveDate> {
        let f = rec.kind.field(name);
        match parse_yyyymmdd(v.as_bytes()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err("UPL015", &f, format!("{} must be a date YYYYMMDD, found '{v}' ({e})", f.describe()));
                None
            }
        }
    }
    fn optional_date(&mut self, rec: &Record<'_>, name: &str) -> Option<NaiveDate> {
        let v = rec.value(name);
        if v.is_empty() { None } else { self.date(rec, name, v) }
    }
    fn number(&mut self, rec: &Record<'_>, name: &str, v: &str) -> Option<u64> {
        let f = rec.kind.field(name);
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            return v.parse().ok();
        }
        let what = if f.kind == Kind::Amount { "an amount in øre, digits only" } else { "digits only" };
        self.err("UPL016", &f, format!("{} must be {what}, found '{v}'", f.describe()));
        None
    }
    fn optional_number(&mut self, rec: &Record<'_>, name: &str) -> Option<u64> {
        let v = rec.value(name);
        // zero-padded digits: leading blanks are not a number of this layout
        if unpad(v).is_empty() { None } else { self.number(rec, name, v) }
    }
    fn flag(&mut self, rec: &Record<'_>, name: &str) -> Option<u8> {
        let f = rec.kind.field(name);
        match rec.get(&f) {
            " " => Some(b'N'),
            "J" => Some(b'J'),
            "N" => Some(b'N'),
            other => {
                self.err("UPL006", &f, format!("{} must be 'J', 'N' or blank, found '{other}'", f.describe()));
                None
            }
        }
    }
    fn rest(&mut self, rec: &Record<'_>) {
        let f = rec.kind.field("rest");
        let v = rec.get(&f);
        if v.bytes().all(|b| b == b' ') {
            return;
        }
        if let Some(i) = v.chars().position(|c| c != ' ') {
            let column = u32::from(f.start) + i as u32;
            let d = Diagnostic::error(
                "UPL005",
                self.line,
                column,
                format!(
                    "{}the record's fields end at column {}; column {column} must be blank",
                    self.prefix(),
                    f.start - 1
                ),
            )
            .width(u32::from(f.end()) + 1 - column)
            .field("rest")
            .record(self.shown());
            self.out.push(d);
        }
    }

    /// Duplicates are decided after the file: see [`crate::dups`].
    fn duplicate(&mut self, kind: KeyKind, value: &str) {
        self.dups.add(key_hash(kind, value));
    }

    fn header(&mut self, rec: &Record<'_>) {
        let format = rec.kind.field("format");
        if rec.get(&format) != "KUP1" {
            self.err("UPL004", &format, format!("format (columns 3-6) must be 'KUP1', found '{}'", rec.get(&format)));
        }
        if let Some(v) = self.must(rec, "creditor_orgno") {
            if let Err(e) = check_orgnr(v) {
                self.err(
                    "UPL013",
                    &rec.kind.field("creditor_orgno"),
                    format!("'Kreditor org.nr.' (creditor organisation number, columns 7-15): {e}"),
                );
            }
        }
        if let Some(v) = self.must(rec, "client_no") {
            self.number(rec, "client_no", v);
        }
        if let Some(v) = self.must(rec, "creation_date") {
            self.creation = self.date(rec, "creation_date", v);
        }
        if let Some(v) = self.must(rec, "file_sequence") {
            self.number(rec, "file_sequence", v);
        }
        self.currency(rec);
        self.must(rec, "creditor_name");
        self.rest(rec);
    }

    fn currency(&mut self, rec: &Record<'_>) {
        let f = rec.kind.field("currency");
        let v = rec.get(&f);
        if v != "NOK" {
            self.err(
                "UPL018",
                &f,
                format!(
                    "{} must be 'NOK' (cases are collected in Norwegian kroner only), found '{}'",
                    f.describe(),
                    v.trim_end()
                ),
            );
        }
    }

    fn case(&mut self, rec: &Record<'_>) {
        self.cases += 1;
        let reference = unpad(rec.value("case_ref")).to_owned();
        let group = case_group(&reference, self.line);
        self.case = Some(Case { line: self.line, reference: reference.clone(), group, known: true, ..Case::default() });
        if reference.is_empty() {
            self.must(rec, "case_ref");
        } else {
            self.duplicate(KeyKind::CaseRef, &reference);
        }
        let typ = rec.kind.field("debtor_type");
        let kind = match rec.get(&typ) {
            " " => {
                self.must(rec, "debtor_type");
                None
            }
            t @ ("P" | "F" | "O") => Some(t.as_bytes()[0]),
            other => {
                self.err(
                    "UPL006",
                    &typ,
                    format!(
                        "{} must be 'P' (person), 'F' (company) or 'O' (public body), found '{other}'",
                        typ.describe()
                    ),
                );
                None
            }
        };
        let person = kind == Some(b'P');
        if let Some(c) = &mut self.case {
            c.person = person;
        }
        let id_field = rec.kind.field("national_id");
        if let (Some(id), Some(k)) = (self.must(rec, "national_id"), kind) {
            if k == b'P' {
                if let Err(e) = check_person_number(id, self.opts.person) {
                    let shown = if self.opts.show_personal_data { id.to_owned() } else { mask(id) };
                    self.err(
                        "UPL012",
                        &id_field,
                        format!("{} '{shown}' is not a valid fødselsnummer, D- or H-number: {e}", id_field.describe()),
                    );
                }
            } else if let Err(e) = check_orgnr(unpad(id)) {
                self.err(
                    "UPL013",
                    &id_field,
                    format!(
                        "{} '{}' is not a valid organisation number (9 digits, left-aligned): {e}",
                        id_field.describe(),
                        unpad(id)
                    ),
                );
            }
        }
        self.must(rec, "first_name");
        let last = rec.kind.field("last_name");
        if person {
            self.must(rec, "last_name");
        } else if kind.is_some() && !rec.value("last_name").is_empty() {
            self.err(
                "UPL028",
                &last,
                format!(
                    "{} must be empty for a company or public body (the name goes in 'Fornavn/foretak')",
                    last.describe()
                ),
            );
        }
        self.should(rec, "street");
        let country_f = rec.kind.field("country");
        let country = match rec.get(&country_f) {
            "  " => "NO",
            c if is_country(c) => c,
            c => {
                self.err(
                    "UPL006",
                    &country_f,
                    format!(
                        "{} must be an ISO 3166 country code such as NO or SE (blank means NO), found '{c}'",
                        country_f.describe()
                    ),
                );
                ""
            }
        };
        if let Some(pc) = self.must(rec, "postcode") {
            if country == "NO" && !(pc.len() == 4 && pc.bytes().all(|b| b.is_ascii_digit())) {
                let f = rec.kind.field("postcode");
                self.err(
                    "UPL014",
                    &f,
                    format!("{} must be 4 digits for a Norwegian address, found '{pc}'", f.describe()),
                );
            }
        }
        self.must(rec, "place");
        self.should(rec, "customer_no");
        if self.flag(rec, "minor") == Some(b'J') && kind.is_some() && !person {
            let f = rec.kind.field("minor");
            self.err("UPL028", &f, format!("{} can be 'J' only for a person (debtor type P)", f.describe()));
        }
        self.flag(rec, "secret_address");
        self.rest(rec);
    }

    fn contact(&mut self, rec: &Record<'_>) {
        if let Some(c) = &mut self.case {
            c.contact = true;
        }
        if let Some(m) = self.should(rec, "mobile") {
            let digits = m.strip_prefix('+').unwrap_or(m);
            if digits.len() < 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                let f = rec.kind.field("mobile");
                self.warn(
                    "UPL019",
                    &f,
                    format!("{} should be digits with an optional leading '+', at least 8, found '{m}'", f.describe()),
                );
            }
        }
        if let Some(e) = self.should(rec, "email") {
            let ok = e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }) && !e.contains(' ');
            if !ok {
                let f = rec.kind.field("email");
                self.warn("UPL019", &f, format!("{} does not look like an e-mail address: '{e}'", f.describe()));
            }
        }
        let lang = rec.kind.field("language");
        if !matches!(rec.get(&lang), "  " | "NO" | "EN") {
            self.err(
                "UPL006",
                &lang,
                format!("{} must be 'NO', 'EN' or blank (NO), found '{}'", lang.describe(), rec.get(&lang)),
            );
        }
        self.rest(rec);
    }

    fn claim(&mut self, rec: &Record<'_>) {
        self.claims += 1;
        let invoice = unpad(rec.value("invoice_no")).to_owned();
        self.invoice = (!invoice.is_empty()).then(|| invoice.clone());
        if invoice.is_empty() {
            self.must(rec, "invoice_no");
        } else {
            self.duplicate(KeyKind::InvoiceNo, &invoice);
        }
        let invoice_date = match self.should(rec, "invoice_date") {
            Some(v) => self.date(rec, "invoice_date", v),
            None => None,
        };
        let due = match self.must(rec, "due_date") {
            Some(v) => self.date(rec, "due_date", v),
            None => None,
        };
        if let (Some(i), Some(d)) = (invoice_date, due) {
            if i > d {
                let f = rec.kind.field("invoice_date");
                self.err("UPL027", &f, format!("invoice date {i} is after the due date {d}"));
            }
        }
        let sign_f = rec.kind.field("sign");
        let credit = match rec.get(&sign_f) {
            " " | "+" => Some(false),
            "-" => Some(true),
            other => {
                self.err(
                    "UPL020",
                    &sign_f,
                    format!(
                        "{} must be ' ' or '+' for an invoice, '-' for a credit note, found '{other}'",
                        sign_f.describe()
                    ),
                );
                None
            }
        };
        let original = self.optional_number(rec, "original_principal");
        let remaining = match self.must(rec, "remaining_principal") {
            Some(v) => self.number(rec, "remaining_principal", v),
            None => None,
        };
        if remaining == Some(0) {
            let f = rec.kind.field("remaining_principal");
            self.err("UPL016", &f, format!("{} must be more than 0, found 0", f.describe()));
        }
        if let (Some(o), Some(r)) = (original, remaining) {
            if o < r {
                let f = rec.kind.field("original_principal");
                self.err(
                    "UPL021",
                    &f,
                    format!("original principal {} is less than the remaining principal {}", kr(o), kr(r)),
                );
            }
        }
        self.kid(rec);
        self.currency(rec);
        self.optional_date(rec, "interest_from");
        let fee = self.optional_number(rec, "reminder_fee");
        let reminder = self.optional_date(rec, "reminder_date");
        if let (Some(fee), Some(due)) = (fee.filter(|&f| f > 0), due) {
            let cap = if due >= cap_change() { 3_500 } else { 7_000 };
            let fee_f = rec.kind.field("reminder_fee");
            if fee > cap {
                self.err(
                    "UPL022",
                    &fee_f,
                    format!("reminder fee {} is over the legal cap of {} for a claim due {due}", kr(fee), kr(cap)),
                );
            }
            let earliest = due.checked_add_days(Days::new(14)).unwrap_or(due);
            match reminder {
                None if rec.value("reminder_date").is_empty() => {
                    let f = rec.kind.field("reminder_date");
                    self.err("UPL026", &f, format!("a reminder fee of {} is charged, but 'Purredato' (reminder date) is empty; it must show the reminder was sent at least 14 days after the due date", kr(fee)));
                }
                Some(r) if r < earliest => {
                    let f = rec.kind.field("reminder_date");
                    self.err("UPL026", &f, format!("a reminder fee is charged for a reminder sent {r}, less than 14 days after the due date {due} (earliest {earliest})"));
                }
                _ => {}
            }
        }
        self.should(rec, "claim_text");
        self.rest(rec);
        let signed = match (credit, remaining) {
            (Some(c), Some(r)) => Some(if c { -i128::from(r) } else { i128::from(r) }),
            _ => None,
        };
        if let Some(c) = &mut self.case {
            c.claims += 1;
            match signed {
                Some(v) => c.sum += v,
                None => c.known = false,
            }
            if let Some(d) = due {
                c.latest_due = Some(c.latest_due.map_or(d, |l| l.max(d)));
            }
        }
        match signed {
            Some(v) => self.total += v,
            None => self.total_known = false,
        }
    }

    fn kid(&mut self, rec: &Record<'_>) {
        let f = rec.kind.field("kid");
        let raw = rec.get(&f);
        let v = raw.trim_start();
        if v.is_empty() {
            return;
        }
        if let Err(e) = kid::check_shape(v, false) {
            self.err("UPL017", &f, format!("{} must be a KID of 2-25 digits, right-aligned: {e}", f.describe()));
            return;
        }
        let Some(sev) = self.opts.kid_check else { return };
        let verdict = kid::verdict(v.as_bytes());
        if !verdict.is_valid() {
            self.push(sev, "UPL017", &f, verdict.problem(v));
        }
    }

    fn action(&mut self, rec: &Record<'_>) {
        self.invoice = None;
        let group = rec.kind.field("action_group");
        let duplicate = self.case.as_ref().is_some_and(|c| c.actions > 0);
        if duplicate {
            let first = self.case.as_ref().and_then(|c| c.notice.map(|(_, l)| l)).unwrap_or(0);
            self.err(
                "UPL030",
                &group,
                format!(
                    "the case has a second action record; exactly one IKVAR is allowed (the first is on line {first})"
                ),
            );
        }
        if let Some(g) = self.must(rec, "action_group") {
            if g != "IKVAR" {
                self.err(
                    "UPL006",
                    &group,
                    format!("{} must be 'IKVAR' (collection notice sent), found '{g}'", group.describe()),
                );
            }
        }
        let notice = match self.must(rec, "notice_date") {
            Some(v) => self.date(rec, "notice_date", v),
            None => None,
        };
        self.rest(rec);
        let line = self.line;
        if let Some(c) = &mut self.case {
            c.actions += 1;
            if c.notice.is_none() {
                c.notice = notice.map(|d| (d, line));
            }
        }
    }

    /// Checks that need the whole case.
    fn close_case(&mut self) {
        self.invoice = None;
        let Some(c) = self.case.take() else { return };
        let at = c.line;
        let field = RecordType::Case.field("case_ref");
        let finding = |s: &mut Self, sev: Severity, code: &'static str, line: u64, f: &Field, msg: String| {
            let d = Diagnostic::new(code, sev, line, u32::from(f.start), format!("case '{}': {msg}", c.reference))
                .width(u32::from(f.len))
                .field(f.name)
                .group(Arc::clone(&c.group));
            s.out.push(d);
        };
        if !c.contact {
            finding(
                self,
                Severity::Warning,
                "UPL011",
                at,
                &field,
                "has no contact record (11): 'Mobiltelefon' and 'E-post' should be given so the debtor can be reached"
                    .to_owned(),
            );
        }
        if c.claims > 0 && c.known && c.sum <= 0 {
            finding(
                self,
                Severity::Error,
                "UPL025",
                at,
                &field,
                format!(
                    "its claims add up to {} (credit notes subtracted); a case must have something to collect",
                    kr_signed(c.sum)
                ),
            );
        }
        let action_f = RecordType::Action.field("notice_date");
        match c.notice {
            None if c.actions == 0 => {
                finding(self, Severity::Error, "UPL030", at, &field, "has no action record (30) with 'Handlingsgruppe' IKVAR and the date the collection notice was sent".to_owned());
            }
            Some((notice, line)) => {
                if let Some(due) = c.latest_due.filter(|d| notice < *d) {
                    finding(
                        self,
                        Severity::Error,
                        "UPL031",
                        line,
                        &action_f,
                        format!("collection notice date {notice} is before the latest due date of its claims ({due})"),
                    );
                }
                if let Some(created) = self.creation {
                    let over = notice.checked_add_days(Days::new(15)).unwrap_or(notice);
                    if created < over {
                        finding(
                            self,
                            Severity::Error,
                            "UPL032",
                            line,
                            &action_f,
                            format!(
                                "the notice of {notice} gives the debtor 14 days, which are not over before the file's creation date {created}; send the case on or after {over}"
                            ),
                        );
                    }
                }
            }
            None => {}
        }
    }

    fn trailer(&mut self, rec: &Record<'_>) {
        self.close_case();
        self.trailer = true;
        let cases_f = rec.kind.field("cases");
        if let Some(n) = self.number(rec, "cases", rec.value("cases")) {
            if n != self.cases {
                self.err(
                    "UPL040",
                    &cases_f,
                    format!("trailer number of cases is {n}, but the file holds {}", self.cases),
                );
            }
        }
        let claims_f = rec.kind.field("claims");
        if let Some(n) = self.number(rec, "claims", rec.value("claims")) {
            if n != self.claims {
                self.err(
                    "UPL040",
                    &claims_f,
                    format!("trailer number of claims is {n}, but the file holds {}", self.claims),
                );
            }
        }
        let sign_f = rec.kind.field("total_sign");
        let negative = match rec.get(&sign_f) {
            "+" => Some(false),
            "-" => Some(true),
            other => {
                self.err("UPL020", &sign_f, format!("{} must be '+' or '-', found '{other}'", sign_f.describe()));
                None
            }
        };
        let total_f = rec.kind.field("total");
        if let (Some(neg), Some(t)) = (negative, self.number(rec, "total", rec.value("total"))) {
            let stated = if neg { -i128::from(t) } else { i128::from(t) };
            if self.total_known && stated != self.total {
                self.err(
                    "UPL041",
                    &total_f,
                    format!(
                        "trailer total of remaining principal is {}, but the claims add up to {}",
                        kr_signed(stated),
                        kr_signed(self.total)
                    ),
                );
            }
        }
        let records_f = rec.kind.field("records");
        if let Some(n) = self.number(rec, "records", rec.value("records")) {
            if n != self.records {
                self.err(
                    "UPL042",
                    &records_f,
                    format!(
                        "trailer number of records is {n}, but the file holds {} (header and trailer included)",
                        self.records
                    ),
                );
            }
        }
        self.rest(rec);
    }
}

fn kr(ore: u64) -> String {
    format!("{},{:02}", ore / 100, ore % 100)
}

fn kr_signed(ore: i128) -> String {
    let s = kr(ore.unsigned_abs() as u64);
    if ore < 0 { format!("-{s}") } else { s }
}

fn shown_record(kind: RecordType, text: &str, show_personal: bool) -> String {
    if show_personal || kind != RecordType::Case {
        return text.to_owned();
    }
    // mask the national id (columns 24-34) of a person
    text.chars()
        .enumerate()
        .map(|(i, c)| if (29..34).contains(&i) && text.get(22..23) == Some("P") { '*' } else { c })
        .collect()
}

/// Checks an upload from any reader; `sink` receives every record while the file is valid.
pub fn check(
    input: impl Read,
    file: &str,
    opts: &CheckOptions,
    mut sink: Option<&mut dyn UploadSink>,
) -> io::Result<Outcome> {
    let mut reader = LineReader::new(input, RECORD_LEN * 4 + 8);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
    let mut stats = LineStats::default();
    let mut findings = Findings::new(file, opts.max_errors);
    let mut c = Checker {
        opts,
        out: Vec::new(),
        line: 0,
        text: String::new(),
        kind: RecordType::Header,
        expect: Expect::Header,
        creation: None,
        case: None,
        invoice: None,
        dups: Filter::default(),
        cases: 0,
        claims: 0,
        records: 0,
        total: 0,
        total_known: true,
        trailer: false,
    };
    let mut last_line = 0;
    while let Some(line) = reader.next_line()? {
        stats.observe(&line);
        last_line = line.number;
        c.line = line.number;
        let observed = sniffer.observe(line.bytes);
        c.out.extend(forbidden_byte_finding(line.bytes, observed.encoding, line.number));
        if observed.mixed {
            c.out.push(mixed_encoding_finding(line.number));
        }
        let text = decode(line.bytes, observed.encoding);
        let chars = if line.is_cut() {
            usize::MAX
        } else if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        let Ok((_, kind)) = crate::parse::record_type(&text) else {
            let found: String = text.chars().take(2).collect();
            let msg = if text.trim().is_empty() {
                "line is blank; expected a record".to_owned()
            } else {
                format!("record type (columns 1-2) '{found}' is not one of 00, 10, 11, 20, 30, 99")
            };
            c.out.push(Diagnostic::error("UPL002", line.number, 1, msg).width(2).field("record_type"));
            c.records += 1;
            flush(&mut c, &mut findings);
            continue;
        };
        c.records += 1;
        let mut text = text;
        if chars > RECORD_LEN {
            let len = if line.is_cut() { line.len.to_string() + " bytes" } else { chars.to_string() + " characters" };
            c.out.push(
                Diagnostic::error(
                    "UPL001",
                    line.number,
                    RECORD_LEN as u32 + 1,
                    format!("record is {len} long, at most 200 characters fit"),
                )
                .field("record"),
            );
            structure(&mut c, kind, line.number);
            flush(&mut c, &mut findings);
            continue;
        }
        if chars < RECORD_LEN {
            c.out.push(Diagnostic::warning("UPL001", line.number, chars as u32 + 1, format!("record has {chars} characters, 200 expected; read as if padded with blanks (editors strip trailing blanks)")).field("record"));
            let mut padded = text.into_owned();
            padded.extend(std::iter::repeat_n(' ', RECORD_LEN - chars));
            text = Cow::Owned(padded);
        }
        let rec = Record::new(kind, text);
        c.text.clear();
        c.text.push_str(rec.as_str());
        c.kind = kind;
        structure(&mut c, kind, line.number);
        match kind {
            RecordType::Header => c.header(&rec),
            RecordType::Case => c.case(&rec),
            RecordType::Contact => c.contact(&rec),
            RecordType::Claim => c.claim(&rec),
            RecordType::Action => c.action(&rec),
            RecordType::Trailer => c.trailer(&rec),
        }
        let valid_so_far = findings.errors() == 0 && !c.out.iter().any(|d| d.severity == Severity::Error);
        if let (Some(s), true) = (sink.as_deref_mut(), valid_so_far) {
            s.record(line.number, &rec)?;
        }
        flush(&mut c, &mut findings);
    }
    c.close_case();
    let after = last_line + 1;
    if c.records == 0 {
        c.out.push(
            Diagnostic::error("UPL003", after, 1, "file is empty; expected the file header (00)").field("record_type"),
        );
    } else if !c.trailer {
        c.out.push(Diagnostic::error("UPL003", after, 1, "file ends without the trailer (99)").field("record_type"));
    }
    flush(&mut c, &mut findings);
    stats.bom = reader.had_bom();
    findings.extend(stats.findings());
    let probe = std::mem::take(&mut c.dups).into_probe();
    Ok(Outcome {
        report: FileReport::new("upload", c.records, findings),
        encoding: sniffer.current(),
        lines: stats,
        probe,
    })
}

/// Hands the current record's findings to the collector, those from the current case's lines
/// grouped under it.
fn flush(c: &mut Checker<'_>, findings: &mut Findings) {
    if let Some(case) = &c.case {
        for d in c.out.iter_mut().filter(|d| d.group.is_none() && d.line >= case.line) {
            d.group = Some(Arc::clone(&case.group));
        }
    }
    c.out.sort_by_key(|d| (d.line, d.column));
    findings.extend(c.out.drain(..));
}

/// Record order: `00`, then per case `10` [`11`] `20`+ `30`, then `99`.
fn structure(c: &mut Checker<'_>, kind: RecordType, line: u64) {
    use RecordType as R;
    if !c.expect.allows(kind) {
        let missing_action = c.expect == Expect::ClaimOrAction && matches!(kind, R::Case | R::Trailer);
        if !missing_action {
            let msg = format!(
                "{}a {} record (type {}) here is out of order; expected {}",
                c.prefix(),
                kind.name(),
                kind.code(),
                c.expect.describe()
            );
            c.out.push(Diagnostic::error("UPL003", line, 1, msg).width(2).field("record_type"));
        }
    }
    if kind == R::Case {
        c.close_case();
    }
    c.expect = match kind {
        R::Header => Expect::CaseOrTrailer,
        R::Case => Expect::ContactOrClaim,
        R::Contact | R::Claim => Expect::ClaimOrAction,
        R::Action => Expect::AfterAction,
        R::Trailer => Expect::Nothing,
    };
}

/// Checks a file that can be read twice: the check, then, when the first reading turned up
/// possible duplicates, a second reading that decides them (merged into the report).
pub fn check_rereadable<R: Read + Seek>(mut input: R, file: &str, opts: &CheckOptions) -> io::Result<Outcome> {
    let mut out = check(&mut input, file, opts, None)?;
    settle_duplicates(&mut out, || {
        input.seek(SeekFrom::Start(0))?;
        Ok(&mut input)
    })?;
    Ok(out)
}

/// Decides the possible duplicates of `out` with a second reading from `reopen`.
pub fn settle_duplicates<R: Read>(out: &mut Outcome, reopen: impl FnOnce() -> io::Result<R>) -> io::Result<()> {
    if let Some(probe) = out.probe.take() {
        let found = resolve(reopen()?, &probe)?;
        out.report.merge(found);
    }
    Ok(())
}
