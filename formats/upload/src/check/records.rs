//! The rules of each record type: the header, a case and its debtor, the contact, claims, the
//! action (collection notice and its deadlines), and the trailer's counts and sums.

use std::sync::Arc;

use chrono::Days;
use kidkit_core::{
    Diagnostic, Severity, check_kid_shape, check_orgnr, check_person_number, is_country, kid_verdict,
    mask_person_number,
};

use super::{Case, Checker, Record, cap_change};
use crate::dups::KeyKind;
use crate::layout::{Field, RecordType, case_group, unpad};

impl Checker<'_> {
    pub(super) fn header(&mut self, rec: &Record<'_>) {
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

    pub(super) fn currency(&mut self, rec: &Record<'_>) {
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

    pub(super) fn case(&mut self, rec: &Record<'_>) {
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
                    let shown = if self.opts.show_personal_data { id.to_owned() } else { mask_person_number(id) };
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

    pub(super) fn contact(&mut self, rec: &Record<'_>) {
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

    pub(super) fn claim(&mut self, rec: &Record<'_>) {
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

    pub(super) fn kid(&mut self, rec: &Record<'_>) {
        let f = rec.kind.field("kid");
        let raw = rec.get(&f);
        let v = raw.trim_start();
        if v.is_empty() {
            return;
        }
        if let Err(e) = check_kid_shape(v, false) {
            self.err("UPL017", &f, format!("{} must be a KID of 2-25 digits, right-aligned: {e}", f.describe()));
            return;
        }
        let Some(sev) = self.opts.kid_check else { return };
        let verdict = kid_verdict(v.as_bytes());
        if !verdict.is_valid() {
            self.push(sev, "UPL017", &f, verdict.problem(v));
        }
    }

    pub(super) fn action(&mut self, rec: &Record<'_>) {
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
    pub(super) fn close_case(&mut self) {
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

    pub(super) fn trailer(&mut self, rec: &Record<'_>) {
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
