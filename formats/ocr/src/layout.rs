//! Record layouts: every field of every record type, with its columns and what it may hold.
//!
//! One table per record type drives field validation, `inspect`, the full-fidelity JSON and the
//! writer, so a column is written down once. Columns are 1-based and inclusive, as in the Nets
//! specifications.

use crate::kind::RecordKind;

/// What a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Part of the record identification (`NY`, service, type, record type).
    Id,
    /// Digits, zero-padded.
    Num,
    /// Øre, 17 digits.
    Amount,
    /// `DDMMYY`, a real date.
    Date,
    /// `DDMMYY`, or `000000` where the file may have no date.
    DateOrZero,
    /// KID: digits, right-aligned, blank-filled.
    Kid,
    /// Free text (ISO-8859-1), left-aligned, blank-padded.
    Text,
    /// Filler that must be zeros.
    Zeros,
    /// Filler that must be blanks.
    Blanks,
    /// Sign: `0` or `-`.
    Sign,
    /// One of the listed characters.
    Code(&'static [u8]),
    /// The whole record, kept verbatim (services kidkit does not decode).
    Verbatim,
}

/// What the structure check reads from a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Nothing.
    None,
    /// Transaction / FBO serial number, or number of transactions in an end record.
    Number,
    /// Number of records in an end record.
    Records,
    /// Amount or total amount.
    Amount,
    /// Specification line.
    SpecLine,
    /// Specification column.
    SpecColumn,
}

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name in JSON, CSV and messages.
    pub name: &'static str,
    /// First column (1-based).
    pub start: u16,
    /// Width in characters.
    pub len: u16,
    /// What it may hold.
    pub kind: FieldKind,
    /// What the structure check reads from it.
    pub role: Role,
}

impl Field {
    /// Last column (inclusive).
    pub fn end(&self) -> u16 {
        self.start + self.len - 1
    }
    /// The 0-based byte range in an ASCII record.
    pub fn range(&self) -> std::ops::Range<usize> {
        usize::from(self.start - 1)..usize::from(self.start - 1 + self.len)
    }
    /// `columns 33-49` or `column 32`.
    pub fn columns(&self) -> String {
        if self.len == 1 { format!("column {}", self.start) } else { format!("columns {}-{}", self.start, self.end()) }
    }
}

/// A record type's name (as in JSON) and fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// `transmission_start`, `amount_item_1`, …
    pub name: &'static str,
    /// The fields, in column order, covering all 80 columns.
    pub fields: &'static [Field],
    /// Per column: what the fast check requires.
    pub masks: &'static Masks,
    /// The fields the fast path reads (values, dates, KID, sign, codes), in column order.
    pub specials: &'static [Field],
}

/// Per-column requirements of a layout, for one branch-free pass over a record: each column
/// must hold a byte in `lo[c] ..= lo[c] + span[c]` (a digit, a zero, a blank, or any printable
/// ASCII character). Text columns of an 8-bit file may also hold bytes 0xA0-0xFF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masks {
    /// Lowest byte each column may hold.
    pub lo: [u8; 80],
    /// How far above `lo` each column's bytes may go.
    pub span: [u8; 80],
    /// 1 where the column is free text: in an 8-bit file it may hold a byte 0xA0-0xFF too.
    pub text: [u8; 80],
}

const fn is_special(f: &Field) -> bool {
    !matches!(f.role, Role::None)
        || matches!(
            f.kind,
            FieldKind::Date | FieldKind::DateOrZero | FieldKind::Kid | FieldKind::Sign | FieldKind::Code(_)
        )
}

/// The most fields of one layout that the fast path reads.
pub const MAX_SPECIALS: usize = 8;

const fn count_specials(fields: &[Field]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < fields.len() {
        if is_special(&fields[i]) {
            n += 1;
        }
        i += 1;
    }
    assert!(n <= MAX_SPECIALS, "the fast path reads at most MAX_SPECIALS fields");
    n
}

const fn specials<const N: usize>(fields: &[Field]) -> [Field; N] {
    let mut out = [f("", 1, 1, FieldKind::Id); N];
    let (mut i, mut n) = (0, 0);
    while i < fields.len() {
        if is_special(&fields[i]) {
            out[n] = fields[i];
            n += 1;
        }
        i += 1;
    }
    out
}

impl Masks {
    /// Whether an 80-byte record meets every column requirement; `eight_bit` also lets text
    /// columns hold bytes 0xA0-0xFF (ISO-8859-1 letters, one byte per character).
    #[inline]
    pub fn accept(&self, record: &[u8], eight_bit: bool) -> bool {
        let Some(r) = record.first_chunk::<80>() else { return false };
        // one subtraction and comparison per column, over fixed-size arrays so that it vectorises
        let mut bad = 0u8;
        for ((&c, &lo), &span) in r.iter().zip(&self.lo).zip(&self.span) {
            bad |= u8::from(c.wrapping_sub(lo) > span);
        }
        bad == 0 || (eight_bit && self.accept_latin1(r))
    }

    /// The slower second look for 8-bit records with letters beyond ASCII in their text.
    fn accept_latin1(&self, r: &[u8; 80]) -> bool {
        let mut bad = 0u8;
        for (((&c, &lo), &span), &text) in r.iter().zip(&self.lo).zip(&self.span).zip(&self.text) {
            bad |= u8::from(c.wrapping_sub(lo) > span) & (text & u8::from(c >= 0xA0) ^ 1);
        }
        bad == 0
    }
}

/// Printable ASCII: 0x20 ..= 0x7E.
const PRINTABLE: (u8, u8) = (0x20, 0x7E - 0x20);

const fn masks(fields: &[Field]) -> Masks {
    let mut m = Masks { lo: [PRINTABLE.0; 80], span: [PRINTABLE.1; 80], text: [0; 80] };
    let mut i = 0;
    while i < fields.len() {
        let f = fields[i];
        let mut c = (f.start - 1) as usize;
        while c < (f.start - 1 + f.len) as usize {
            let (lo, span) = match f.kind {
                FieldKind::Num | FieldKind::Amount | FieldKind::Date | FieldKind::DateOrZero => (b'0', 9),
                FieldKind::Zeros => (b'0', 0),
                FieldKind::Blanks => (b' ', 0),
                _ => PRINTABLE,
            };
            m.lo[c] = lo;
            m.span[c] = span;
            if matches!(f.kind, FieldKind::Text) {
                m.text[c] = 1;
            }
            c += 1;
        }
        i += 1;
    }
    m
}

const fn f(name: &'static str, start: u16, len: u16, kind: FieldKind) -> Field {
    Field { name, start, len, kind, role: Role::None }
}

/// A field the structure check reads.
const fn r(name: &'static str, start: u16, len: u16, kind: FieldKind, role: Role) -> Field {
    Field { name, start, len, kind, role }
}

/// The field `name` of a record table, found while compiling: a name the table lacks stops the
/// build, so no check or writer names a field that does not exist.
pub(crate) const fn named(fields: &[Field], name: &str) -> Field {
    let mut i = 0;
    while i < fields.len() && !eq(fields[i].name, name) {
        i += 1;
    }
    // evaluated while compiling (every use is a `const`): a missing name is a build error
    assert!(i < fields.len(), "no field of that name in the table");
    fields[i]
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

use FieldKind::{Amount, Blanks, Code, Date, DateOrZero, Id, Kid, Num, Sign, Text, Verbatim, Zeros};

macro_rules! ids {
    ($third:literal) => {
        [f("format_code", 1, 2, Id), f("service_code", 3, 2, Id), f($third, 5, 2, Id), f("record_type", 7, 2, Id)]
    };
}

const fn join<const A: usize, const B: usize, const N: usize>(a: [Field; A], b: [Field; B]) -> [Field; N] {
    let mut out = [f("", 1, 1, Id); N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < B {
        out[A + j] = b[j];
        j += 1;
    }
    out
}

const TRANSMISSION_START: [Field; 8] = join(
    ids!("transmission_type"),
    [
        f("data_transmitter", 9, 8, Num),
        f("transmission_number", 17, 7, Num),
        f("data_recipient", 24, 8, Num),
        f("filler", 32, 49, Zeros),
    ],
);

const TRANSMISSION_END: [Field; 9] = join(
    ids!("transmission_type"),
    [
        r("number_of_transactions", 9, 8, Num, Role::Number),
        r("number_of_records", 17, 8, Num, Role::Records),
        r("total_amount", 25, 17, Amount, Role::Amount),
        f("date", 42, 6, DateOrZero),
        f("filler", 48, 33, Zeros),
    ],
);

const OCR_ASSIGNMENT_START: [Field; 8] = join(
    ids!("assignment_type"),
    [
        f("agreement_id", 9, 9, Num),
        r("assignment_number", 18, 7, Num, Role::Number),
        f("assignment_account", 25, 11, Num),
        f("filler", 36, 45, Zeros),
    ],
);

const AG_ASSIGNMENT_START: [Field; 8] = join(
    ids!("assignment_type"),
    [
        f("filler_9_17", 9, 9, Zeros),
        r("assignment_number", 18, 7, Num, Role::Number),
        f("assignment_account", 25, 11, Num),
        f("filler", 36, 45, Zeros),
    ],
);

const OCR_ASSIGNMENT_END: [Field; 11] = join(
    ids!("assignment_type"),
    [
        r("number_of_transactions", 9, 8, Num, Role::Number),
        r("number_of_records", 17, 8, Num, Role::Records),
        r("total_amount", 25, 17, Amount, Role::Amount),
        f("nets_date", 42, 6, DateOrZero),
        f("earliest_date", 48, 6, DateOrZero),
        f("latest_date", 54, 6, DateOrZero),
        f("filler", 60, 21, Zeros),
    ],
);

const AG_ASSIGNMENT_END: [Field; 10] = join(
    ids!("assignment_type"),
    [
        r("number_of_transactions", 9, 8, Num, Role::Number),
        r("number_of_records", 17, 8, Num, Role::Records),
        r("total_amount", 25, 17, Amount, Role::Amount),
        f("first_due_date", 42, 6, DateOrZero),
        f("last_due_date", 48, 6, DateOrZero),
        f("filler", 54, 27, Zeros),
    ],
);

const MANDATE_ASSIGNMENT_END: [Field; 7] = join(
    ids!("assignment_type"),
    [
        r("number_of_transactions", 9, 8, Num, Role::Number),
        r("number_of_records", 17, 8, Num, Role::Records),
        f("filler", 25, 56, Zeros),
    ],
);

const OCR_ITEM_1: [Field; 15] = join(
    ids!("transaction_type"),
    [
        r("transaction_number", 9, 7, Num, Role::Number),
        f("nets_date", 16, 6, Date),
        f("centre_id", 22, 2, Num),
        f("day_code", 24, 2, Num),
        f("partial_settlement_number", 26, 1, Num),
        f("partial_settlement_serial_number", 27, 5, Num),
        f("sign", 32, 1, Sign),
        r("amount", 33, 17, Amount, Role::Amount),
        f("kid", 50, 25, Kid),
        f("card_issuer", 75, 2, Num),
        f("filler", 77, 4, Zeros),
    ],
);

const OCR_ITEM_2: [Field; 11] = join(
    ids!("transaction_type"),
    [
        r("transaction_number", 9, 7, Num, Role::Number),
        f("form_number", 16, 10, Num),
        f("reference", 26, 9, Num),
        f("filler_35_41", 35, 7, Num),
        f("bank_date", 42, 6, DateOrZero),
        f("debit_account", 48, 11, Num),
        f("filler", 59, 22, Zeros),
    ],
);

const OCR_ITEM_3: [Field; 7] = join(
    ids!("transaction_type"),
    [r("transaction_number", 9, 7, Num, Role::Number), f("text", 16, 40, Text), f("filler", 56, 25, Zeros)],
);

const AG_ITEM_1: [Field; 10] = join(
    ids!("transaction_type"),
    [
        r("transaction_number", 9, 7, Num, Role::Number),
        f("due_date", 16, 6, Date),
        f("filler_22_32", 22, 11, Text),
        r("amount", 33, 17, Amount, Role::Amount),
        f("kid", 50, 25, Kid),
        f("filler", 75, 6, Zeros),
    ],
);

const AG_ITEM_2: [Field; 9] = join(
    ids!("transaction_type"),
    [
        r("transaction_number", 9, 7, Num, Role::Number),
        f("short_name", 16, 10, Text),
        f("filler_26_50", 26, 25, Blanks),
        f("external_reference", 51, 25, Text),
        f("filler", 76, 5, Zeros),
    ],
);

const SPECIFICATION: [Field; 10] = join(
    ids!("transaction_type"),
    [
        r("transaction_number", 9, 7, Num, Role::Number),
        f("payment_notification", 16, 1, Code(b"4")),
        r("line_number", 17, 3, Num, Role::SpecLine),
        r("column_number", 20, 1, Num, Role::SpecColumn),
        f("text", 21, 40, Text),
        f("filler", 61, 20, Zeros),
    ],
);

const MANDATE: [Field; 9] = join(
    ids!("transaction_type"),
    [
        r("fbo_serial_number", 9, 7, Num, Role::Number),
        f("registration_type", 16, 1, Code(b"012")),
        f("kid", 17, 25, Kid),
        f("written_notification", 42, 1, Code(b"JN")),
        f("filler", 43, 38, Zeros),
    ],
);

const VERBATIM: [Field; 1] = [f("record", 1, 80, Verbatim)];

/// The fields the structure walk names in its findings, taken from the tables (a test holds
/// each at the same column in every record that has it).
pub(crate) mod at {
    use super::{
        AG_ASSIGNMENT_END, AG_ITEM_1, Field, OCR_ASSIGNMENT_END, OCR_ITEM_1, SPECIFICATION, TRANSMISSION_END, named,
    };
    /// `transaction_type`, column 5 of every record.
    pub const TRANSACTION_TYPE: Field = named(&OCR_ITEM_1, "transaction_type");
    /// `transaction_number` of every amount item and specification record.
    pub const TRANSACTION_NUMBER: Field = named(&OCR_ITEM_1, "transaction_number");
    /// `line_number` of a specification record.
    pub const LINE_NUMBER: Field = named(&SPECIFICATION, "line_number");
    /// `column_number` of a specification record.
    pub const COLUMN_NUMBER: Field = named(&SPECIFICATION, "column_number");
    /// `number_of_transactions` of every end record.
    pub const NUMBER_OF_TRANSACTIONS: Field = named(&OCR_ASSIGNMENT_END, "number_of_transactions");
    /// `number_of_records` of every end record.
    pub const NUMBER_OF_RECORDS: Field = named(&OCR_ASSIGNMENT_END, "number_of_records");
    /// `total_amount` of every end record with an amount.
    pub const TOTAL_AMOUNT: Field = named(&OCR_ASSIGNMENT_END, "total_amount");
    /// `nets_date` of an OCR giro assignment end.
    pub const NETS_DATE: Field = named(&OCR_ASSIGNMENT_END, "nets_date");
    /// `earliest_date` of an OCR giro assignment end.
    pub const EARLIEST_DATE: Field = named(&OCR_ASSIGNMENT_END, "earliest_date");
    /// `latest_date` of an OCR giro assignment end.
    pub const LATEST_DATE: Field = named(&OCR_ASSIGNMENT_END, "latest_date");
    /// `first_due_date` of an AvtaleGiro assignment end.
    pub const FIRST_DUE_DATE: Field = named(&AG_ASSIGNMENT_END, "first_due_date");
    /// `last_due_date` of an AvtaleGiro assignment end.
    pub const LAST_DUE_DATE: Field = named(&AG_ASSIGNMENT_END, "last_due_date");
    /// `date` of the transmission end.
    pub const TRANSMISSION_DATE: Field = named(&TRANSMISSION_END, "date");
    /// `due_date` of an AvtaleGiro amount item 1.
    pub const DUE_DATE: Field = named(&AG_ITEM_1, "due_date");
    /// `service_code`, columns 3-4 of every record.
    pub const SERVICE_CODE: Field = named(&OCR_ITEM_1, "service_code");
    /// `text` of a specification record.
    pub const SPECIFICATION_TEXT: Field = named(&SPECIFICATION, "text");

    /// Every field above.
    #[cfg(test)]
    pub const ALL: [Field; 16] = [
        TRANSACTION_TYPE,
        TRANSACTION_NUMBER,
        LINE_NUMBER,
        COLUMN_NUMBER,
        NUMBER_OF_TRANSACTIONS,
        NUMBER_OF_RECORDS,
        TOTAL_AMOUNT,
        NETS_DATE,
        EARLIEST_DATE,
        LATEST_DATE,
        FIRST_DUE_DATE,
        LAST_DUE_DATE,
        TRANSMISSION_DATE,
        DUE_DATE,
        SERVICE_CODE,
        SPECIFICATION_TEXT,
    ];
}

macro_rules! layouts {
    ($($id:ident: $name:literal = $fields:ident;)*) => {
        $(static $id: Layout = Layout {
            name: $name,
            fields: &$fields,
            masks: &masks(&$fields),
            specials: &specials::<{ count_specials(&$fields) }>(&$fields),
        };)*
    };
}

layouts! {
    L_TRANSMISSION_START: "transmission_start" = TRANSMISSION_START;
    L_TRANSMISSION_END: "transmission_end" = TRANSMISSION_END;
    L_OCR_ASSIGNMENT_START: "assignment_start" = OCR_ASSIGNMENT_START;
    L_AG_ASSIGNMENT_START: "assignment_start" = AG_ASSIGNMENT_START;
    L_OCR_ASSIGNMENT_END: "assignment_end" = OCR_ASSIGNMENT_END;
    L_MANDATE_ASSIGNMENT_END: "assignment_end" = MANDATE_ASSIGNMENT_END;
    L_AG_ASSIGNMENT_END: "assignment_end" = AG_ASSIGNMENT_END;
    L_OCR_ITEM_1: "amount_item_1" = OCR_ITEM_1;
    L_OCR_ITEM_2: "amount_item_2" = OCR_ITEM_2;
    L_OCR_ITEM_3: "amount_item_3" = OCR_ITEM_3;
    L_AG_ITEM_1: "amount_item_1" = AG_ITEM_1;
    L_AG_ITEM_2: "amount_item_2" = AG_ITEM_2;
    L_SPECIFICATION: "specification" = SPECIFICATION;
    L_MANDATE: "mandate" = MANDATE;
    L_VERBATIM: "verbatim" = VERBATIM;
}

/// The layout of a record kind.
#[inline]
pub fn layout(kind: RecordKind) -> &'static Layout {
    use RecordKind as K;
    match kind {
        K::TransmissionStart => &L_TRANSMISSION_START,
        K::TransmissionEnd => &L_TRANSMISSION_END,
        K::OcrAssignmentStart => &L_OCR_ASSIGNMENT_START,
        K::AgAssignmentStart(_) => &L_AG_ASSIGNMENT_START,
        K::OcrAssignmentEnd => &L_OCR_ASSIGNMENT_END,
        K::AgAssignmentEnd(crate::kind::AgAssignment::Mandates) => &L_MANDATE_ASSIGNMENT_END,
        K::AgAssignmentEnd(_) => &L_AG_ASSIGNMENT_END,
        K::OcrItem1(_) => &L_OCR_ITEM_1,
        K::OcrItem2(_) => &L_OCR_ITEM_2,
        K::OcrItem3(_) => &L_OCR_ITEM_3,
        K::AgItem1(_) => &L_AG_ITEM_1,
        K::AgItem2(_) => &L_AG_ITEM_2,
        K::Specification => &L_SPECIFICATION,
        K::Mandate => &L_MANDATE,
        K::Other { .. } => &L_VERBATIM,
    }
}

/// Finds a field of `layout` by name.
pub fn field(layout: &Layout, name: &str) -> Option<Field> {
    layout.fields.iter().copied().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::{AgAssignment, all_kinds};

    #[test]
    fn a_field_the_walk_names_has_one_column_in_every_record_that_has_it() {
        // the walk's findings name these fields for whatever record of their kind is at hand
        let items = |k: &RecordKind| {
            matches!(
                k,
                RecordKind::OcrItem1(_)
                    | RecordKind::OcrItem2(_)
                    | RecordKind::OcrItem3(_)
                    | RecordKind::AgItem1(_)
                    | RecordKind::AgItem2(_)
                    | RecordKind::Specification
            )
        };
        for kind in all_kinds().into_iter().filter(items) {
            let l = layout(kind);
            assert_eq!(field(l, "transaction_number"), Some(at::TRANSACTION_NUMBER), "{kind:?}");
            assert_eq!(field(l, "transaction_type"), Some(at::TRANSACTION_TYPE), "{kind:?}");
        }
        for kind in all_kinds().into_iter().filter(|k| layout(*k).name.ends_with("_end")) {
            let l = layout(kind);
            assert_eq!(field(l, "number_of_transactions"), Some(at::NUMBER_OF_TRANSACTIONS), "{}", l.name);
            assert_eq!(field(l, "number_of_records"), Some(at::NUMBER_OF_RECORDS), "{}", l.name);
            if let Some(t) = field(l, "total_amount") {
                assert_eq!(t, at::TOTAL_AMOUNT, "{}", l.name);
            }
        }
        assert!(at::ALL.iter().all(|f| !f.name.is_empty()));
    }

    #[test]
    fn every_layout_covers_80_columns_without_gaps() {
        for kind in all_kinds() {
            let l = layout(kind);
            let mut next = 1;
            for fl in l.fields {
                assert_eq!(fl.start, next, "{} {}", l.name, fl.name);
                next = fl.end() + 1;
            }
            assert_eq!(next, 81, "{}", l.name);
        }
        assert_eq!(layout(RecordKind::AgAssignmentEnd(AgAssignment::Claims)).fields.len(), 10);
    }
}
