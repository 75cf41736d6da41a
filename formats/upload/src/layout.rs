//! The KUP1 layout: every field of every record type with its columns, what it may hold, and
//! its name on the Kreditorweb "Ny sak" form (the name support staff and creditors know).

/// A value without its padding: ASCII blanks only. Other whitespace (a tab, a non-breaking
/// space) is content and stays, so that nothing written back is altered.
pub fn unpad(s: &str) -> &str {
    s.trim_matches(' ')
}

/// A left-aligned value without its trailing padding blanks.
pub fn unpad_end(s: &str) -> &str {
    s.trim_end_matches(' ')
}

/// Every record holds exactly this many characters.
pub const RECORD_LEN: usize = 200;

/// What a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The record type (`00`, `10`, …).
    Type,
    /// Left-aligned text, blank-padded.
    Text,
    /// Digits, right-aligned, zero-padded (blank when absent and optional).
    Digits,
    /// Øre, digits, zero-padded (blank when absent and optional).
    Amount,
    /// `YYYYMMDD` (blank when absent and optional).
    Date,
    /// KID: digits, right-aligned, blank-filled.
    Kid,
    /// Columns after the record's last field: blanks.
    Rest,
}

/// One field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name in JSON and CSV.
    pub name: &'static str,
    /// Name on the Kreditorweb form.
    pub label: &'static str,
    /// First column (1-based).
    pub start: u16,
    /// Width.
    pub len: u16,
    /// What it may hold.
    pub kind: Kind,
}

impl Field {
    /// The 0-based range in a record of one byte per character.
    pub fn range(&self) -> std::ops::Range<usize> {
        usize::from(self.start - 1)..usize::from(self.start - 1 + self.len)
    }
    /// Last column.
    pub fn end(&self) -> u16 {
        self.start + self.len - 1
    }
    /// `'Gjenstående hovedstol' (remaining principal, columns 53-65)`.
    pub fn describe(&self) -> String {
        let cols = if self.len == 1 {
            format!("column {}", self.start)
        } else {
            format!("columns {}-{}", self.start, self.end())
        };
        format!("'{}' ({}, {cols})", self.label, self.name.replace('_', " "))
    }
}

const fn f(name: &'static str, label: &'static str, start: u16, len: u16, kind: Kind) -> Field {
    Field { name, label, start, len, kind }
}

/// The record types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// `00` file header.
    Header,
    /// `10` case and debtor.
    Case,
    /// `11` debtor contact.
    Contact,
    /// `20` claim.
    Claim,
    /// `30` action (collection notice).
    Action,
    /// `99` trailer.
    Trailer,
}

impl RecordType {
    /// The two characters.
    pub fn code(self) -> &'static str {
        match self {
            RecordType::Header => "00",
            RecordType::Case => "10",
            RecordType::Contact => "11",
            RecordType::Claim => "20",
            RecordType::Action => "30",
            RecordType::Trailer => "99",
        }
    }
    /// Name in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            RecordType::Header => "header",
            RecordType::Case => "case",
            RecordType::Contact => "contact",
            RecordType::Claim => "claim",
            RecordType::Action => "action",
            RecordType::Trailer => "trailer",
        }
    }
    /// The fields, covering all 200 columns.
    pub fn fields(self) -> &'static [Field] {
        match self {
            RecordType::Header => &HEADER,
            RecordType::Case => &CASE,
            RecordType::Contact => &CONTACT,
            RecordType::Claim => &CLAIM,
            RecordType::Action => &ACTION,
            RecordType::Trailer => &TRAILER,
        }
    }
    /// A field by name. The names are the checks' own literals, each held to its record type by
    /// a test (`every_field_the_checks_name_is_a_field_of_its_record`), and any other a
    /// test run trips over; a name a record does not have is a mistake in kidkit, never in the
    /// input. Should one slip through, its finding covers the whole record instead of ending
    /// the run.
    pub fn field(self, name: &str) -> Field {
        let found = self.fields().iter().copied().find(|f| f.name == name);
        debug_assert!(found.is_some(), "the {} record has no field '{name}'", self.name());
        found.unwrap_or(WHOLE_RECORD)
    }
}

const TYPE: Field = f("record_type", "Posttype", 1, 2, Kind::Type);
#[allow(clippy::cast_possible_truncation, reason = "200 fits")]
const WHOLE_RECORD: Field = f("record", "Post", 1, RECORD_LEN as u16, Kind::Rest);

static HEADER: [Field; 9] = [
    TYPE,
    f("format", "Format", 3, 4, Kind::Text),
    f("creditor_orgno", "Kreditor org.nr.", 7, 9, Kind::Digits),
    f("client_no", "Klient", 16, 10, Kind::Digits),
    f("creation_date", "Opprettet", 26, 8, Kind::Date),
    f("file_sequence", "Filnummer", 34, 6, Kind::Digits),
    f("currency", "Valuta", 40, 3, Kind::Text),
    f("creditor_name", "Kreditor", 43, 40, Kind::Text),
    f("rest", "", 83, 118, Kind::Rest),
];

static CASE: [Field; 14] = [
    TYPE,
    f("case_ref", "Referanse", 3, 20, Kind::Text),
    f("debtor_type", "Juridisk type", 23, 1, Kind::Text),
    f("national_id", "Person-/org.nr.", 24, 11, Kind::Text),
    f("first_name", "Fornavn/foretak", 35, 30, Kind::Text),
    f("last_name", "Etternavn", 65, 30, Kind::Text),
    f("street", "Gateadresse", 95, 35, Kind::Text),
    f("postcode", "Postnummer", 130, 10, Kind::Text),
    f("place", "Sted", 140, 30, Kind::Text),
    f("country", "Land", 170, 2, Kind::Text),
    f("customer_no", "Kundenummer", 172, 15, Kind::Text),
    f("minor", "Mindreårig", 187, 1, Kind::Text),
    f("secret_address", "Hemmelig adresse", 188, 1, Kind::Text),
    f("rest", "", 189, 12, Kind::Rest),
];

static CONTACT: [Field; 6] = [
    TYPE,
    f("mobile", "Mobiltelefon", 3, 15, Kind::Text),
    f("email", "E-post", 18, 60, Kind::Text),
    f("language", "Språk", 78, 2, Kind::Text),
    f("co_address", "C/o-adresse", 80, 36, Kind::Text),
    f("rest", "", 116, 85, Kind::Rest),
];

static CLAIM: [Field; 14] = [
    TYPE,
    f("invoice_no", "Faktura/ref.nummer", 3, 20, Kind::Text),
    f("invoice_date", "Faktureringsdato", 23, 8, Kind::Date),
    f("due_date", "Forfallsdato", 31, 8, Kind::Date),
    f("sign", "Fortegn", 39, 1, Kind::Text),
    f("original_principal", "Opprinnelig hovedstol", 40, 13, Kind::Amount),
    f("remaining_principal", "Gjenstående hovedstol", 53, 13, Kind::Amount),
    f("kid", "Betalingsreferanse", 66, 25, Kind::Kid),
    f("currency", "Valuta", 91, 3, Kind::Text),
    f("interest_from", "Rente fra", 94, 8, Kind::Date),
    f("reminder_fee", "Purregebyr", 102, 9, Kind::Amount),
    f("reminder_date", "Purredato", 111, 8, Kind::Date),
    f("claim_text", "Fordringen gjelder", 119, 50, Kind::Text),
    f("rest", "", 169, 32, Kind::Rest),
];

static ACTION: [Field; 5] = [
    TYPE,
    f("action_group", "Handlingsgruppe", 3, 5, Kind::Text),
    f("notice_date", "Dato utført (inkassovarseldato)", 8, 8, Kind::Date),
    f("notice_info", "Extra information", 16, 60, Kind::Text),
    f("rest", "", 76, 125, Kind::Rest),
];

static TRAILER: [Field; 7] = [
    TYPE,
    f("cases", "Antall saker", 3, 8, Kind::Digits),
    f("claims", "Antall krav", 11, 8, Kind::Digits),
    f("total_sign", "Fortegn sum", 19, 1, Kind::Text),
    f("total", "Sum gjenstående hovedstol", 20, 15, Kind::Amount),
    f("records", "Antall poster", 35, 8, Kind::Digits),
    f("rest", "", 43, 158, Kind::Rest),
];

/// The group a case's findings are shown under: `case 'A-1001'`, or `case on line 12` when the
/// case has no reference.
pub fn case_group(reference: &str, line: u64) -> std::sync::Arc<str> {
    if reference.is_empty() { format!("case on line {line}").into() } else { format!("case '{reference}'").into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string literals `text` looks fields up by, each with the record type it names, if it
    /// names one: `rec.kind.field("x")`, `RecordType::Case.field("x")`, `value("x")`,
    /// `(rec, "x")`. A diagnostic's `.field("x")` label is not a lookup.
    fn named(text: &str) -> Vec<(Option<RecordType>, &str)> {
        use RecordType as R;
        let all = [R::Header, R::Case, R::Contact, R::Claim, R::Action, R::Trailer];
        let mut out = Vec::new();
        for pat in ["field(\"", "value(\"", "(rec, \""] {
            for (at, _) in text.match_indices(pat) {
                let before = &text[..at];
                let named = all.into_iter().find(|k| before.ends_with(&format!("RecordType::{k:?}.")));
                let lookup = pat != "field(\"" || before.ends_with("kind.") || named.is_some();
                if lookup {
                    out.push((named, text[at + pat.len()..].split('"').next().unwrap_or_default()));
                }
            }
        }
        out
    }

    #[test]
    fn every_field_the_checks_name_is_a_field_of_its_record() {
        use RecordType as R;
        let all = [R::Header, R::Case, R::Contact, R::Claim, R::Action, R::Trailer];
        // the checker's functions, by the records they read; the helpers read whatever they are given
        let of = |function: &str| -> Vec<RecordType> {
            match function {
                "header" => vec![R::Header],
                "case" => vec![R::Case],
                "contact" => vec![R::Contact],
                "claim" | "kid" => vec![R::Claim],
                "action" => vec![R::Action],
                "trailer" => vec![R::Trailer],
                "currency" => vec![R::Header, R::Claim],
                _ => all.to_vec(),
            }
        };
        let source = [include_str!("check/mod.rs"), include_str!("check/records.rs")];
        let code: String = source.iter().map(|s| s.split("#[cfg(test)]").next().unwrap_or_default()).collect();
        let mut function = "";
        let mut checked = 0;
        for line in code.lines() {
            if let Some(rest) = line.strip_prefix("    fn ").or_else(|| line.strip_prefix("fn ")) {
                function = rest.split(['(', '<']).next().unwrap_or_default();
            }
            if line.starts_with("pub fn ") {
                function = "";
            }
            for (named_kind, name) in named(line) {
                checked += 1;
                let kinds = named_kind.map_or_else(|| of(function), |k| vec![k]);
                for kind in kinds {
                    let helper = !["header", "case", "contact", "claim", "action", "trailer", "currency", "kid"]
                        .contains(&function);
                    let has = kind.fields().iter().any(|f| f.name == name);
                    assert!(
                        has || helper && all.iter().any(|k| k.fields().iter().any(|f| f.name == name)),
                        "fn {function} names '{name}', which the {} record does not have",
                        kind.name()
                    );
                }
            }
        }
        assert!(checked > 60, "the scan found only {checked} names");
    }

    #[test]
    fn every_layout_covers_200_columns() {
        for t in [
            RecordType::Header,
            RecordType::Case,
            RecordType::Contact,
            RecordType::Claim,
            RecordType::Action,
            RecordType::Trailer,
        ] {
            let mut next = 1;
            for fl in t.fields() {
                assert_eq!(fl.start, next, "{} {}", t.name(), fl.name);
                next = fl.end() + 1;
            }
            assert_eq!(next, 201, "{}", t.name());
        }
    }
}
