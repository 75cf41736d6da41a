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
    /// A field by name.
    pub fn field(self, name: &str) -> Field {
        self.fields().iter().copied().find(|f| f.name == name).unwrap_or(TYPE)
    }
}

const TYPE: Field = f("record_type", "Posttype", 1, 2, Kind::Type);

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
