//! Checking one record on its own: length, identification, every field by its layout, KIDs.
//!
//! What the structure check needs later (kind, numbers, amounts, dates) is kept in a small
//! [`Rec`], so records can be checked in parallel and the structure walked in order afterwards.

use std::borrow::Cow;

use chrono::{Months, NaiveDate};
use kidkit_core::{
    DateError, Diagnostic, KID_MAX_LEN, KID_MIN_LEN, LineEnding, LineForm, Severity, is_all_digits, kid_holds,
    kid_verdict, parse_ddmmyy, parse_ore_digits, scan_field,
};

use crate::kind::{RecordKind, identify, kind_of};
use crate::layout::{Field, FieldKind, Layout, MAX_SPECIALS, Role, layout};

/// Every Nets record holds exactly this many characters.
pub const RECORD_LEN: usize = 80;

/// A date field as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Day {
    /// `000000` (or not looked at).
    #[default]
    Zero,
    /// Not a date; already reported.
    Bad,
    /// A real date.
    On(NaiveDate),
}

impl Day {
    /// The date, if there is a good one.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Day::On(d) => Some(d),
            _ => None,
        }
    }
}

/// What the structure check needs of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    /// 1-based line.
    pub line: u64,
    /// The record kind, when it could be identified.
    pub kind: Option<RecordKind>,
    /// Every numeric field the structure check reads held digits.
    pub numbers_ok: bool,
    /// Transaction number (items, specifications), FBO serial number (mandates), or the number
    /// of transactions (end records).
    pub number: u32,
    /// Number of records (end records).
    pub records: u32,
    /// Amount of amount item 1, or the total of an end record, in øre.
    pub amount: u64,
    /// Sign `-` on an OCR amount item 1.
    pub negative: bool,
    /// Item 1: the Nets date / due date. End records: their first, second and third date fields.
    pub dates: [Day; 3],
    /// Specification record: line and column.
    pub spec: (u16, u8),
    /// Specification text is blank.
    pub blank_text: bool,
    /// The line was blank (skipped under `--lenient`).
    pub blank: bool,
}

impl Rec {
    /// Stores the value of a field by what the structure check reads from it.
    fn set(&mut self, role: Role, v: u64) {
        match role {
            Role::Number => self.number = v as u32,
            Role::Records => self.records = v as u32,
            Role::Amount => self.amount = v,
            Role::SpecLine => self.spec.0 = v as u16,
            Role::SpecColumn => self.spec.1 = v as u8,
            Role::None => {}
        }
    }

    /// An empty record at `line` (nothing identified yet).
    pub fn new(line: u64) -> Self {
        Rec {
            line,
            kind: None,
            numbers_ok: true,
            number: 0,
            records: 0,
            amount: 0,
            negative: false,
            dates: [Day::Zero; 3],
            spec: (0, 0),
            blank_text: false,
            blank: false,
        }
    }
}

/// What record checks are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordOptions {
    /// Severity of a KID check digit that fails both rules (`None`: not checked).
    pub kid_check: Option<Severity>,
    /// Claims may be due at most 12 months after this day.
    pub today: NaiveDate,
    /// Skip blank lines with a warning.
    pub lenient: bool,
}

/// A record's text with column access: ASCII records are sliced by byte, others by character.
#[derive(Debug, Clone)]
pub struct RecordText<'a> {
    text: Cow<'a, str>,
    ascii: bool,
    form: LineForm,
}

impl<'a> RecordText<'a> {
    /// Wraps decoded record text.
    pub fn new(text: Cow<'a, str>) -> Self {
        let ascii = text.is_ascii();
        RecordText { text, ascii, form: LineForm::ended(LineEnding::None) }
    }

    /// Wraps text the caller already knows to be ASCII.
    pub fn ascii(text: &'a str) -> Self {
        debug_assert!(text.is_ascii());
        RecordText { text: Cow::Borrowed(text), ascii: true, form: LineForm::ended(LineEnding::None) }
    }

    /// The text, read from a line of form `form`.
    #[must_use]
    pub fn read_as(mut self, form: LineForm) -> Self {
        self.form = form;
        self
    }
    /// How the record's line ended and was encoded (no ending when not known).
    pub fn form(&self) -> LineForm {
        self.form
    }
    /// The whole record.
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// Length in characters.
    pub fn chars(&self) -> usize {
        if self.ascii { self.text.len() } else { self.text.chars().count() }
    }
    /// The bytes of `field` (the record must hold 80 characters).
    pub fn field_bytes(&self, field: &Field) -> &[u8] {
        if self.ascii {
            return self.text.as_bytes().get(field.range()).unwrap_or(b"");
        }
        self.field(field).as_bytes()
    }

    /// The characters of `field` (the record must hold 80 characters).
    pub fn field(&self, field: &Field) -> &str {
        if self.ascii {
            return self.text.get(field.range()).unwrap_or("");
        }
        let mut idx = self.text.char_indices().map(|(i, _)| i).chain(std::iter::once(self.text.len()));
        let start = idx.nth(field.range().start).unwrap_or(self.text.len());
        let end = idx.nth(field.range().len() - 1).unwrap_or(self.text.len());
        &self.text[start..end]
    }
}

fn human(name: &str) -> String {
    name.replace('_', " ")
}

struct Ctx<'a, 'b> {
    line: u64,
    text: &'b RecordText<'a>,
    out: &'b mut Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    fn push(&mut self, sev: Severity, code: &'static str, f: &Field, message: String) {
        let d = Diagnostic::new(code, sev, self.line, u32::from(f.start), message)
            .width(u32::from(f.len))
            .field(f.name)
            .record(self.text.as_str());
        self.out.push(d);
    }
    fn error(&mut self, code: &'static str, f: &Field, message: String) {
        self.push(Severity::Error, code, f, message);
    }
}

/// The value of a field already known to hold only digits (at most 19). Eight digits at a time
/// (SWAR): the byte loop was the largest cost of the fast path.
#[allow(clippy::inline_always, reason = "a few instructions for a field of known width")]
#[inline(always)]
fn parse_digits(bytes: &[u8]) -> u64 {
    let head = bytes.len() % 8;
    // the first `head` digits, right-aligned behind zeros
    let mut first = [b'0'; 8];
    first[8 - head..].copy_from_slice(&bytes[..head]);
    let mut v = parse_eight(first);
    for chunk in bytes[head..].chunks_exact(8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        v = v.wrapping_mul(100_000_000).wrapping_add(parse_eight(eight));
    }
    v
}

/// Eight ASCII digits (most significant first) as a number, with three multiply-and-shift steps.
fn parse_eight(digits: [u8; 8]) -> u64 {
    let mut v = u64::from_le_bytes(digits).wrapping_sub(0x3030_3030_3030_3030);
    v = (v.wrapping_mul(10) + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    (v.wrapping_mul(10_000) + (v >> 32)) & 0x0000_0000_FFFF_FFFF
}

fn date_problem(raw: &str, e: DateError) -> String {
    match e {
        DateError::Impossible { year, month, day } => {
            format!("found '{raw}', but {year:04}-{month:02}-{day:02} does not exist")
        }
        _ => format!("found '{raw}'"),
    }
}

/// Checks one line as a record and returns what the structure check needs. Findings go to
/// `out`.
pub fn check_record(line: u64, text: &RecordText<'_>, opts: RecordOptions, out: &mut Vec<Diagnostic>) -> Rec {
    let mut rec = Rec::new(line);
    let len = text.chars();
    if len == 0 {
        rec.blank = true;
        if opts.lenient {
            out.push(
                Diagnostic::warning(
                    "OCR009",
                    line,
                    1,
                    "blank line skipped (--lenient); a Nets file has no blank lines",
                )
                .field("record"),
            );
        } else {
            out.push(
                Diagnostic::error(
                    "OCR001",
                    line,
                    1,
                    "line is blank; every record must be 80 characters (use --lenient to skip blank lines)",
                )
                .field("record"),
            );
        }
        return rec;
    }
    let bytes = text.as_str().as_bytes();
    match identify(bytes) {
        Ok(k) => rec.kind = Some(k),
        Err(e) => {
            out.push(
                Diagnostic::error(e.code, line, e.column, e.message)
                    .width(e.width)
                    .field("record_type")
                    .record(text.as_str()),
            );
        }
    }
    if len != RECORD_LEN {
        let column = if len > RECORD_LEN { RECORD_LEN as u32 + 1 } else { len as u32 + 1 };
        let mut d = Diagnostic::error(
            "OCR001",
            line,
            column,
            format!("record has {len} characters, expected 80 (every Nets record is exactly 80 characters)"),
        )
        .field("record");
        if len <= 200 {
            d = d.record(text.as_str());
        }
        out.push(d);
        // nothing of it was decoded: no finding may follow from its fields (a date read as
        // 000000, a number as 0); `Bad` dates are ones already reported
        rec.numbers_ok = false;
        rec.dates = [Day::Bad; 3];
        return rec;
    }
    let Some(kind) = rec.kind else {
        rec.numbers_ok = false;
        return rec;
    };
    if let RecordKind::Other { record_type: 88, .. } = kind {
        // A service kidkit does not decode: read the counts its end record shares with the
        // others (9-16 transactions, 17-24 records, 25-41 total) for the transmission totals.
        let b = text.as_str().as_bytes();
        match (parse_ore_digits(&b[8..16]), parse_ore_digits(&b[16..24]), parse_ore_digits(&b[24..41])) {
            (Ok(n), Ok(r), Ok(a)) => (rec.number, rec.records, rec.amount) = (n as u32, r as u32, a),
            _ => rec.numbers_ok = false,
        }
    }
    let mut ctx = Ctx { line, text, out };
    check_fields(kind, &mut ctx, &mut rec, opts);
    rec
}

/// The fast check of records of 80 printable ASCII bytes: without building their text, reading
/// only the fields that carry values. It keeps the last date it read between records, because
/// neighbouring records mostly share their dates and building a `NaiveDate` is the costly part.
#[derive(Debug, Clone)]
pub struct FastCheck {
    opts: RecordOptions,
    last_date: Option<([u8; 6], NaiveDate)>,
}

/// A record as the fast check sees it.
#[derive(Debug, Clone, Copy)]
struct Seen<'a> {
    kind: RecordKind,
    bytes: &'a [u8; RECORD_LEN],
    /// The file is in an 8-bit encoding: text columns may hold bytes 0xA0-0xFF.
    eight_bit: bool,
}

// `FastCheck::fields` lists the fields 0..MAX_SPECIALS one by one
const _: () = assert!(MAX_SPECIALS == 8);

impl FastCheck {
    /// A fast check under `opts`.
    pub fn new(opts: RecordOptions) -> Self {
        FastCheck { opts, last_date: None }
    }

    /// Checks one record into `rec` (a fresh `Rec::new(line)`). `None` when anything needs a
    /// closer look: the caller then runs [`check_record`], which finds and names it. `Some` means
    /// the record has no finding at all.
    #[allow(clippy::inline_always, reason = "called once per record, from the loop over a chunk")]
    #[inline(always)]
    pub fn check(&mut self, bytes: &[u8], eight_bit: bool, rec: &mut Rec) -> Option<()> {
        use RecordKind as K;
        let bytes: &[u8; RECORD_LEN] = bytes.try_into().ok()?;
        let kind = kind_of(bytes)?;
        // Every arm runs the same check, but each with its kind's layout known at compile time,
        // so the compiler makes one copy per kind with the columns folded in: the fields written
        // out one by one, fixed-width numbers, constant masks.
        let seen = Seen { kind, bytes, eight_bit };
        match kind {
            K::OcrItem1(_) => self.fields(layout(kind), seen, rec),
            K::OcrItem2(_) => self.fields(layout(kind), seen, rec),
            K::OcrItem3(_) => self.fields(layout(kind), seen, rec),
            K::AgItem1(_) => self.fields(layout(kind), seen, rec),
            K::AgItem2(_) => self.fields(layout(kind), seen, rec),
            K::Specification => self.fields(layout(kind), seen, rec),
            K::Mandate => self.fields(layout(kind), seen, rec),
            K::Other { .. } => None,
            // start and end records: a few per assignment, one shared copy
            _ => self.shared_fields(layout(kind), seen, rec),
        }
    }

    #[inline(never)]
    fn shared_fields(&mut self, l: &'static Layout, seen: Seen<'_>, rec: &mut Rec) -> Option<()> {
        self.fields(l, seen, rec)
    }

    #[allow(clippy::inline_always, reason = "inlined into each arm of check, with a constant layout")]
    #[inline(always)]
    fn fields(&mut self, l: &'static Layout, seen: Seen<'_>, rec: &mut Rec) -> Option<()> {
        let Seen { kind, bytes, eight_bit } = seen;
        if !l.masks.accept(bytes, eight_bit) {
            return None;
        }
        rec.kind = Some(kind);
        let mut slot = 0;
        macro_rules! each_special {
            ($($i:literal)*) => {$(
                if let Some(f) = l.specials.get($i) {
                    self.field(f, kind, &bytes[f.range()], rec, &mut slot)?;
                }
            )*};
        }
        each_special!(0 1 2 3 4 5 6 7);
        match kind {
            RecordKind::Specification => {
                rec.blank_text = bytes[20..60].iter().all(|&c| c == b' ');
            }
            RecordKind::AgItem1(tt) if tt != 93 => {
                let limit = self.opts.today.checked_add_months(Months::new(12)).unwrap_or(self.opts.today);
                if rec.dates[0].date().is_some_and(|due| due > limit) {
                    return None;
                }
            }
            _ => {}
        }
        Some(())
    }

    #[allow(clippy::inline_always, reason = "inlined with a constant field, so that its match folds away")]
    #[inline(always)]
    fn field(&mut self, f: &Field, kind: RecordKind, b: &[u8], rec: &mut Rec, slot: &mut usize) -> Option<()> {
        match f.kind {
            FieldKind::Num | FieldKind::Amount => rec.set(f.role, parse_digits(b)),
            FieldKind::Date | FieldKind::DateOrZero => {
                let day =
                    if f.kind == FieldKind::DateOrZero && b == b"000000" { Day::Zero } else { Day::On(self.date(b)?) };
                if let Some(d) = rec.dates.get_mut(*slot) {
                    *d = day;
                }
                *slot += 1;
            }
            FieldKind::Kid => self.kid(kind, b)?,
            FieldKind::Sign => match b {
                b"0" => {}
                b"-" => rec.negative = true,
                _ => return None,
            },
            FieldKind::Code(allowed) if !allowed.contains(&b[0]) => return None,
            _ => {}
        }
        Some(())
    }

    /// A real date `DDMMYY`.
    #[inline]
    fn date(&mut self, b: &[u8]) -> Option<NaiveDate> {
        let key: [u8; 6] = b.try_into().ok()?;
        match self.last_date {
            Some((k, d)) if k == key => Some(d),
            _ => self.new_date(key),
        }
    }

    /// A date that is not the one read last.
    #[inline(never)]
    fn new_date(&mut self, key: [u8; 6]) -> Option<NaiveDate> {
        let d = parse_ddmmyy(&key).ok()?;
        self.last_date = Some((key, d));
        Some(d)
    }

    /// A KID field with no finding: blank where the kind allows it, or digits of a length kidkit
    /// accepts that (when checked) satisfy a check-digit rule.
    fn kid(&self, kind: RecordKind, field: &[u8]) -> Option<()> {
        let field: &[u8; KID_MAX_LEN] = field.try_into().ok()?;
        let found = scan_field(field)?;
        let ok = match found.digits {
            0 => matches!(kind, RecordKind::OcrItem1(20 | 21)),
            n => n >= KID_MIN_LEN && (self.opts.kid_check.is_none() || found.holds),
        };
        ok.then_some(())
    }
}

fn check_fields(kind: RecordKind, ctx: &mut Ctx<'_, '_>, rec: &mut Rec, opts: RecordOptions) {
    let l = layout(kind);
    let mut date_slot = 0usize;
    for f in l.fields {
        let bytes = ctx.text.field_bytes(f);
        match f.kind {
            FieldKind::Id | FieldKind::Text | FieldKind::Verbatim => {}
            FieldKind::Num | FieldKind::Amount => {
                if !is_all_digits(bytes) {
                    rec.numbers_ok = false;
                    let raw = ctx.text.field(f);
                    ctx.error(
                        "OCR005",
                        f,
                        format!("{} ({}) must be digits, found '{raw}'", human(f.name), f.columns()),
                    );
                    continue;
                }
                rec.set(f.role, parse_digits(bytes));
            }
            FieldKind::Date | FieldKind::DateOrZero => {
                let day = if f.kind == FieldKind::DateOrZero && bytes == b"000000" {
                    Day::Zero
                } else {
                    match parse_ddmmyy(bytes) {
                        Ok(d) => Day::On(d),
                        Err(e) => {
                            let raw = ctx.text.field(f);
                            ctx.error(
                                "OCR006",
                                f,
                                format!(
                                    "{} ({}) must be a date DDMMYY{}, {}",
                                    human(f.name),
                                    f.columns(),
                                    if f.kind == FieldKind::DateOrZero { " or 000000" } else { "" },
                                    date_problem(raw, e)
                                ),
                            );
                            Day::Bad
                        }
                    }
                };
                if date_slot < 3 {
                    rec.dates[date_slot] = day;
                }
                date_slot += 1;
            }
            FieldKind::Kid => {
                let raw = ctx.text.field(f);
                check_kid(kind, f, raw, ctx, opts);
            }
            FieldKind::Zeros => {
                if !bytes.iter().fold(true, |ok, &b| ok & (b == b'0')) {
                    let raw = ctx.text.field(f);
                    ctx.error("OCR007", f, format!("{} ({}) must be zeros, found '{raw}'", human(f.name), f.columns()));
                }
            }
            FieldKind::Blanks => {
                if !bytes.iter().fold(true, |ok, &b| ok & (b == b' ')) {
                    let raw = ctx.text.field(f);
                    ctx.error(
                        "OCR007",
                        f,
                        format!("{} ({}) must be blanks, found '{raw}'", human(f.name), f.columns()),
                    );
                }
            }
            FieldKind::Sign => match bytes {
                b"0" => {}
                b"-" => rec.negative = true,
                _ => {
                    let raw = ctx.text.field(f);
                    ctx.error("OCR005", f, format!("sign ({}) must be '0' or '-', found '{raw}'", f.columns()));
                }
            },
            FieldKind::Code(allowed) => {
                if bytes.len() != 1 || !allowed.contains(&bytes[0]) {
                    let raw = ctx.text.field(f);
                    let list: Vec<String> = allowed.iter().map(|c| format!("'{}'", *c as char)).collect();
                    ctx.error(
                        "OCR005",
                        f,
                        format!("{} ({}) must be {}, found '{raw}'", human(f.name), f.columns(), list.join(" or ")),
                    );
                }
            }
        }
    }
    match kind {
        RecordKind::Specification => {
            let text_field = crate::layout::field(l, "text");
            rec.blank_text = text_field.is_some_and(|t| ctx.text.field(&t).trim().is_empty());
        }
        RecordKind::AgItem1(tt) if tt != 93 => {
            if let Day::On(due) = rec.dates[0] {
                let limit = opts.today.checked_add_months(Months::new(12)).unwrap_or(opts.today);
                if due > limit {
                    let f = crate::layout::at::DUE_DATE;
                    ctx.error(
                        "OCR006",
                        &f,
                        format!(
                            "due date {due} is more than 12 months after today ({}); Nets rejects such claims",
                            opts.today
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_kid(kind: RecordKind, f: &Field, raw: &str, ctx: &mut Ctx<'_, '_>, opts: RecordOptions) {
    let digits = raw.trim_start_matches(' ');
    if digits.is_empty() {
        let blank_ok = matches!(kind, RecordKind::OcrItem1(20 | 21));
        if !blank_ok {
            let why = match kind {
                RecordKind::OcrItem1(_) => "transaction types 10-19 always carry a KID",
                RecordKind::Mandate => "a mandate always carries the payer's KID",
                _ => "an AvtaleGiro claim always carries a KID",
            };
            ctx.error("KID002", f, format!("KID ({}) is blank; {why}", f.columns()));
        }
        return;
    }
    if let Some(pos) = digits.bytes().position(|b| !b.is_ascii_digit()) {
        let found = digits[pos..].chars().next().unwrap_or(' ');
        let column = f.start as usize + (raw.len() - digits.len()) + pos;
        let d = Diagnostic::error(
            "KID002",
            ctx.line,
            column as u32,
            format!(
                "KID ({}) must be digits, right-aligned and blank-filled, found {found:?} at column {column} in '{raw}'",
                f.columns()
            ),
        )
        .width(1)
        .field(f.name)
        .record(ctx.text.as_str());
        ctx.out.push(d);
        return;
    }
    if digits.len() < KID_MIN_LEN {
        ctx.error("KID002", f, format!("KID '{digits}' has {} digit, expected 2-25", digits.len()));
        return;
    }
    let Some(sev) = opts.kid_check else { return };
    if kid_holds(digits.as_bytes()) {
        return;
    }
    ctx.push(sev, "KID001", f, kid_verdict(digits.as_bytes()).problem(digits));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> RecordOptions {
        RecordOptions {
            kid_check: Some(Severity::Warning),
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            lenient: false,
        }
    }

    fn check(line: &str) -> (Rec, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let t = RecordText::new(Cow::Borrowed(line));
        let r = check_record(7, &t, opts(), &mut out);
        (r, out)
    }

    const A1: &str = "NY09103000000012001921320100000000000000000102000                000567891000000";

    #[test]
    fn digit_parsing() {
        for s in
            ["0", "7", "12345678", "00000000000102000", "99999999999999999", "1234567", "0000001", "123456789012345678"]
        {
            assert_eq!(parse_digits(s.as_bytes()), s.parse::<u64>().unwrap(), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn digit_parsing_agrees_with_std(n in 0u64..10_000_000_000_000_000_000, width in 1usize..20) {
            let s = format!("{n:0width$}");
            let s = &s[s.len().saturating_sub(19)..];
            proptest::prop_assert_eq!(parse_digits(s.as_bytes()), s.parse::<u64>().unwrap());
        }
    }

    #[test]
    fn good_amount_item_1() {
        assert_eq!(A1.len(), 80);
        let (r, d) = check(A1);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.kind, Some(RecordKind::OcrItem1(10)));
        assert_eq!(r.number, 1);
        assert_eq!(r.amount, 102_000);
        assert_eq!(r.dates[0], Day::On(NaiveDate::from_ymd_opt(1992, 1, 20).unwrap()));
        assert!(!r.negative);
    }

    #[test]
    fn field_errors_name_field_and_columns() {
        let mut bad = A1.to_string();
        bad.replace_range(40..41, "x");
        let (r, d) = check(&bad);
        assert!(!r.numbers_ok);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].column, d[0].width), ("OCR005", 33, 17));
        assert_eq!(d[0].message, "amount (columns 33-49) must be digits, found '00000000x00102000'");
    }

    #[test]
    fn short_line_is_ocr001() {
        let (_, d) = check(&A1[..79]);
        assert_eq!(d[0].code, "OCR001");
        assert_eq!(d[0].message, "record has 79 characters, expected 80 (every Nets record is exactly 80 characters)");
    }

    #[test]
    fn kid_rules() {
        // 000567891 is MOD10, 000567892 MOD11; 000567893 fails both rules
        let mut bad = A1.to_string();
        bad.replace_range(73..74, "3");
        let (_, d) = check(&bad);
        assert!(d.iter().any(|d| d.code == "KID001" && d.severity == Severity::Warning), "{d:?}");
        let mut inner_blank = A1.to_string();
        inner_blank.replace_range(69..70, " ");
        let (_, d) = check(&inner_blank);
        assert_eq!(d[0].code, "KID002");
        assert_eq!(d[0].column, 70);
    }

    #[test]
    fn non_ascii_text_is_sliced_by_character() {
        let t = RecordText::new(Cow::Owned(format!("NY0921320000001{:<40}{}", "Betaling for å og ø", "0".repeat(25))));
        assert_eq!(t.chars(), 80);
        let f = crate::layout::field(layout(RecordKind::OcrItem3(21)), "text").unwrap();
        assert_eq!(t.field(&f).trim_end(), "Betaling for å og ø");
    }
}

#[cfg(test)]
mod fast_path {
    use super::*;
    use kidkit_core::{TextEncoding, decode};
    use proptest::prelude::*;

    const GOLDEN: &[&[u8]] = &[
        include_bytes!("../../../golden/ocr/ocr-giro-all-types.ocr"),
        include_bytes!("../../../golden/ocr/avtalegiro-claims.ocr"),
        include_bytes!("../../../golden/ocr/avtalegiro-cancellation.ocr"),
        include_bytes!("../../../golden/ocr/avtalegiro-mandates.ocr"),
    ];

    fn records() -> Vec<Vec<u8>> {
        GOLDEN
            .iter()
            .flat_map(|f| f.split(|&b| b == b'\n'))
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn opts() -> RecordOptions {
        RecordOptions {
            kid_check: Some(Severity::Warning),
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            lenient: false,
        }
    }

    #[test]
    fn every_golden_record_takes_the_fast_path() {
        for r in records() {
            let mut rec = Rec::new(1);
            assert!(FastCheck::new(opts()).check(&r, true, &mut rec).is_some(), "{}", String::from_utf8_lossy(&r));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever the fast path accepts, the full check accepts too, with the same result.
        #[test]
        fn fast_path_never_accepts_what_the_full_check_rejects(
            pick in any::<prop::sample::Index>(),
            edits in proptest::collection::vec((0usize..80, prop_oneof![Just(b' '), Just(b'0'), Just(b'9'), Just(b'-'), Just(b'x'), Just(0xF8u8), Just(b'J'), any::<u8>()]), 1..4),
            eight_bit in any::<bool>(),
        ) {
            let all = records();
            let mut r = all[pick.index(all.len())].clone();
            for (pos, byte) in edits {
                r[pos] = byte;
            }
            let mut fast = Rec::new(3);
            if FastCheck::new(opts()).check(&r, eight_bit, &mut fast).is_some() {
                let enc = if eight_bit { TextEncoding::Latin1 } else { TextEncoding::Utf8 };
                let text = RecordText::new(decode(&r, enc));
                let mut out = Vec::new();
                let slow = check_record(3, &text, opts(), &mut out);
                prop_assert!(out.is_empty(), "fast path accepted {:?} but the full check says {:?}", String::from_utf8_lossy(&r), out);
                prop_assert_eq!(slow, fast);
            }
        }
    }
}
