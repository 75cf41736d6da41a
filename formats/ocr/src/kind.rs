//! Which record a line is: the first eight characters, `NY` + service + type + record type,
//! parsed with nom.

use std::fmt;

use nom::bytes::complete::{tag, take};
use nom::combinator::verify;
use nom::{IResult, Parser};

/// The three kinds of AvtaleGiro assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgAssignment {
    /// Assignment type 00: payment claims (payee → Nets).
    Claims,
    /// Assignment type 24: mandates ("faste betalingsoppdrag", Nets → payee).
    Mandates,
    /// Assignment type 36: cancellation requests (payee → Nets).
    Cancellations,
}

impl AgAssignment {
    /// The assignment type digits.
    pub fn code(self) -> u8 {
        match self {
            AgAssignment::Claims => 0,
            AgAssignment::Mandates => 24,
            AgAssignment::Cancellations => 36,
        }
    }
    fn from_code(c: u8) -> Option<Self> {
        match c {
            0 => Some(AgAssignment::Claims),
            24 => Some(AgAssignment::Mandates),
            36 => Some(AgAssignment::Cancellations),
            _ => None,
        }
    }
}

/// A record kind, from its first eight characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// `NY000010`
    TransmissionStart,
    /// `NY000089`
    TransmissionEnd,
    /// `NY090020`
    OcrAssignmentStart,
    /// `NY090088`
    OcrAssignmentEnd,
    /// `NY210020`, `NY212420`, `NY213620`
    AgAssignmentStart(AgAssignment),
    /// `NY210088`, `NY212488`, `NY213688`
    AgAssignmentEnd(AgAssignment),
    /// `NY09tt30`, transaction type 10–21
    OcrItem1(u8),
    /// `NY09tt31`
    OcrItem2(u8),
    /// `NY09tt32` (valid only for 20 and 21)
    OcrItem3(u8),
    /// `NY21tt30`, tt 02, 21 or 93 (cancellation)
    AgItem1(u8),
    /// `NY21tt31`
    AgItem2(u8),
    /// `NY212149`
    Specification,
    /// `NY219470`
    Mandate,
    /// A record of a service kidkit does not decode (e.g. 42 eFaktura): kept verbatim.
    Other {
        /// Service code.
        service: u8,
        /// Record type (`20` start, `88` end, other: content).
        record_type: u8,
    },
}

impl RecordKind {
    /// The service code the record belongs to (0 for transmission records).
    pub fn service(self) -> u8 {
        use RecordKind as K;
        match self {
            K::TransmissionStart | K::TransmissionEnd => 0,
            K::OcrAssignmentStart | K::OcrAssignmentEnd | K::OcrItem1(_) | K::OcrItem2(_) | K::OcrItem3(_) => 9,
            K::Other { service, .. } => service,
            _ => 21,
        }
    }

    /// The first eight characters that identify this kind.
    pub fn id(self) -> String {
        use RecordKind as K;
        let (s, t, r) = match self {
            K::TransmissionStart => (0, 0, 10),
            K::TransmissionEnd => (0, 0, 89),
            K::OcrAssignmentStart => (9, 0, 20),
            K::OcrAssignmentEnd => (9, 0, 88),
            K::AgAssignmentStart(a) => (21, a.code(), 20),
            K::AgAssignmentEnd(a) => (21, a.code(), 88),
            K::OcrItem1(tt) => (9, tt, 30),
            K::OcrItem2(tt) => (9, tt, 31),
            K::OcrItem3(tt) => (9, tt, 32),
            K::AgItem1(tt) => (21, tt, 30),
            K::AgItem2(tt) => (21, tt, 31),
            K::Specification => (21, 21, 49),
            K::Mandate => (21, 94, 70),
            K::Other { service, record_type } => (service, 0, record_type),
        };
        format!("NY{s:02}{t:02}{r:02}")
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RecordKind as K;
        let text = match self {
            K::TransmissionStart => "transmission start (NY000010)".to_owned(),
            K::TransmissionEnd => "transmission end (NY000089)".to_owned(),
            K::OcrAssignmentStart => "assignment start (NY090020)".to_owned(),
            K::OcrAssignmentEnd => "assignment end (NY090088)".to_owned(),
            K::AgAssignmentStart(_) | K::AgAssignmentEnd(_) => {
                let what = if matches!(self, K::AgAssignmentStart(_)) { "start" } else { "end" };
                format!("assignment {what} ({})", self.id())
            }
            K::OcrItem1(tt) | K::AgItem1(tt) => format!("amount item 1 of transaction type {tt:02} ({})", self.id()),
            K::OcrItem2(tt) | K::AgItem2(tt) => format!("amount item 2 of transaction type {tt:02} ({})", self.id()),
            K::OcrItem3(tt) => format!("amount item 3 of transaction type {tt:02} ({})", self.id()),
            K::Specification => "specification record (NY212149)".to_owned(),
            K::Mandate => "mandate record (NY219470)".to_owned(),
            K::Other { service, .. } => format!("record of service {service:02}"),
        };
        f.write_str(&text)
    }
}

/// Why the first eight characters name no record kidkit knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindError {
    /// `OCR002`, `OCR003` or `OCR010`.
    pub code: &'static str,
    /// 1-based column of the problem.
    pub column: u32,
    /// Columns it covers.
    pub width: u32,
    /// What is wrong.
    pub message: String,
}

/// `NY` and six digits: service, type, record type.
fn header(i: &[u8]) -> IResult<&[u8], (u8, u8, u8)> {
    let (i, _) = tag(&b"NY"[..]).parse(i)?;
    let (i, d) = verify(take(6usize), |d: &[u8]| kidkit_core::is_all_digits(d)).parse(i)?;
    let n = |k: usize| (d[k] - b'0') * 10 + (d[k + 1] - b'0');
    Ok((i, (n(0), n(2), n(4))))
}

/// What [`header`] reads, without its parser: every record of a file passes through here, and
/// nom's general machinery cost a tenth of the time of validation. A test holds the two to the
/// same answers.
#[inline]
fn header_digits(record: &[u8]) -> Option<(u8, u8, u8)> {
    // the eight bytes as one word, least significant first: `N`, `Y`, then six digits
    const ONES: u64 = 0x0101_0101_0101_0000;
    let h = u64::from_le_bytes(*record.first_chunk::<8>()?);
    let digits = (h ^ (ONES * u64::from(b'0'))) & (ONES * 0xFF);
    // a byte is a digit when, xor '0', it is below 10: adding 0x76 to its low seven bits then
    // leaves the high bit clear (no carry reaches the next byte)
    let not_digits = (((digits & (ONES * 0x7F)) + ONES * 0x76) | digits) & (ONES * 0x80);
    if h & 0xFFFF != u64::from(u16::from_le_bytes(*b"NY")) || not_digits != 0 {
        return None;
    }
    // each even byte becomes ten times itself plus the next: the three pairs, each below 100
    let pairs = digits.wrapping_mul(10) + (digits >> 8);
    Some(((pairs >> 16) as u8, (pairs >> 32) as u8, (pairs >> 48) as u8))
}

/// The kind of a record whose first eight characters name one kidkit knows; `None` otherwise
/// ([`identify`] says why). Small and allocation-free, for the hot path: the amount items,
/// which make up most of a file, are told apart by a few compares of the first eight bytes as
/// one word.
#[inline]
pub fn kind_of(record: &[u8]) -> Option<RecordKind> {
    use RecordKind as K;
    const fn word(id: [u8; 8]) -> u64 {
        u64::from_le_bytes(id)
    }
    // the transaction type (columns 5-6) masked out
    const TYPE: u64 = 0x0000_FFFF_0000_0000;
    let h = record.first_chunk::<8>()?;
    let (a, b) = (h[4].wrapping_sub(b'0'), h[5].wrapping_sub(b'0'));
    let tt = if a < 10 && b < 10 { a * 10 + b } else { 0xFF };
    let item = match word(*h) & !TYPE {
        w if w == word(*b"NY09\x00\x0030") => (10..=21).contains(&tt).then_some(K::OcrItem1(tt)),
        w if w == word(*b"NY09\x00\x0031") => (10..=21).contains(&tt).then_some(K::OcrItem2(tt)),
        w if w == word(*b"NY09\x00\x0032") => (10..=21).contains(&tt).then_some(K::OcrItem3(tt)),
        w if w == word(*b"NY21\x00\x0030") => matches!(tt, 2 | 21 | 93).then_some(K::AgItem1(tt)),
        w if w == word(*b"NY21\x00\x0031") => matches!(tt, 2 | 21 | 93).then_some(K::AgItem2(tt)),
        _ => None,
    };
    item.or_else(|| kind_of_any(h))
}

/// [`kind_of`] for any record, by its service, type and record type.
fn kind_of_any(record: &[u8]) -> Option<RecordKind> {
    use RecordKind as K;
    let (s, t, r) = header_digits(record)?;
    Some(match (s, t, r) {
        (0, 0, 10) => K::TransmissionStart,
        (0, 0, 89) => K::TransmissionEnd,
        (9, 0, 20) => K::OcrAssignmentStart,
        (9, 0, 88) => K::OcrAssignmentEnd,
        (9, 10..=21, 30) => K::OcrItem1(t),
        (9, 10..=21, 31) => K::OcrItem2(t),
        (9, 10..=21, 32) => K::OcrItem3(t),
        (21, 2 | 21 | 93, 30) => K::AgItem1(t),
        (21, 2 | 21 | 93, 31) => K::AgItem2(t),
        (21, 21, 49) => K::Specification,
        (21, 94, 70) => K::Mandate,
        (21, a, 20) => K::AgAssignmentStart(AgAssignment::from_code(a)?),
        (21, a, 88) => K::AgAssignmentEnd(AgAssignment::from_code(a)?),
        (0 | 9 | 21, _, _) => return None,
        (service, _, record_type) => K::Other { service, record_type },
    })
}

/// Identifies a record from its first eight characters, saying why when it cannot.
pub fn identify(record: &[u8]) -> Result<RecordKind, KindError> {
    if let Some(k) = kind_of(record) {
        return Ok(k);
    }
    // the first characters as text: a record reaches here decoded, so a letter beyond ASCII
    // is two bytes or more, and cutting at a byte count would split it
    let first = |n: usize| String::from_utf8_lossy(record).chars().take(n).collect::<String>();
    let shown = || first(8);
    if !record.starts_with(b"NY") {
        return Err(KindError {
            code: "OCR002",
            column: 1,
            width: 2,
            message: format!("format code (columns 1-2) must be 'NY', found '{}'", first(2)),
        });
    }
    let Ok((_, (s, t, r))) = header(record) else {
        return Err(KindError {
            code: "OCR003",
            column: 3,
            width: 6,
            message: format!("record identification (columns 3-8) must be six digits, found '{}'", shown()),
        });
    };
    let unknown = || KindError {
        code: "OCR003",
        column: 3,
        width: 6,
        message: format!(
            "'{}' is not a record of OCR giro or AvtaleGiro (unknown service, type and record type combination)",
            shown()
        ),
    };
    let bad_tt = |service: &str, allowed: &str| KindError {
        code: "OCR010",
        column: 5,
        width: 2,
        message: format!(
            "transaction type (columns 5-6) {t:02} is not a {service} transaction type; expected {allowed}"
        ),
    };
    Err(match (s, t, r) {
        (9, _, 30..=32) => bad_tt("OCR giro", "10-21"),
        (21, _, 30 | 31) => bad_tt("AvtaleGiro", "02, 21 or 93"),
        _ => unknown(),
    })
}

/// Every kind with representative type codes (for tests that walk all layouts).
#[cfg(test)]
pub fn all_kinds() -> Vec<RecordKind> {
    use RecordKind as K;
    let mut v = vec![K::TransmissionStart, K::TransmissionEnd, K::OcrAssignmentStart, K::OcrAssignmentEnd];
    for a in [AgAssignment::Claims, AgAssignment::Mandates, AgAssignment::Cancellations] {
        v.push(K::AgAssignmentStart(a));
        v.push(K::AgAssignmentEnd(a));
    }
    v.extend([K::OcrItem1(10), K::OcrItem2(10), K::OcrItem3(21), K::AgItem1(21), K::AgItem2(21)]);
    v.extend([K::Specification, K::Mandate, K::Other { service: 42, record_type: 30 }]);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_every_kind_and_back() {
        for k in all_kinds() {
            if matches!(k, RecordKind::Other { .. }) {
                continue;
            }
            let id = k.id();
            assert_eq!(identify(id.as_bytes()), Ok(k), "{id}");
        }
        assert_eq!(identify(b"NY420030"), Ok(RecordKind::Other { service: 42, record_type: 30 }));
    }

    /// Every header of the three services (and one other), with every transaction type and
    /// record type, and with a non-digit in each place: the shortcut answers as the full
    /// identification does.
    #[test]
    fn the_amount_item_shortcut_agrees_everywhere() {
        for service in ["00", "09", "21", "42"] {
            for tt in 0..100 {
                for rt in 0..100 {
                    let id = format!("NY{service}{tt:02}{rt:02}").into_bytes();
                    assert_eq!(kind_of(&id), kind_of_any(&id), "{}", String::from_utf8_lossy(&id));
                    for at in 0..8 {
                        let mut bad = id.clone();
                        bad[at] = [b'/', b':', b' ', b'x'][(tt + rt) % 4];
                        assert_eq!(kind_of(&bad), kind_of_any(&bad));
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn header_digits_reads_what_the_parser_reads(
            head in proptest::prop_oneof![
                4 => proptest::strategy::Just(b"NY".to_vec()),
                1 => proptest::collection::vec(proptest::prop_oneof![
                    proptest::strategy::Just(b'N'), proptest::strategy::Just(b'Y'), proptest::arbitrary::any::<u8>()
                ], 0..3),
            ],
            tail in proptest::collection::vec(proptest::prop_oneof![
                8 => b'0'..=b'9', 1 => proptest::arbitrary::any::<u8>()
            ], 0..9)
        ) {
            let id = [head, tail].concat();
            proptest::prop_assert_eq!(header_digits(&id), header(&id).ok().map(|(_, ids)| ids));
            // the shortcut for amount items answers as the full identification does
            proptest::prop_assert_eq!(kind_of(&id), kind_of_any(&id));
        }
    }

    #[test]
    fn messages_show_characters_beyond_ascii_whole() {
        let e = identify("Nø000010".as_bytes()).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("OCR002", "format code (columns 1-2) must be 'NY', found 'Nø'"));
        let e = identify("NY0ø0010".as_bytes()).unwrap_err();
        assert!(e.message.ends_with("found 'NY0ø0010'"), "{}", e.message);
    }

    #[test]
    fn rejects_with_codes() {
        assert_eq!(identify(b"XY000010").unwrap_err().code, "OCR002");
        assert_eq!(identify(b"ny000010").unwrap_err().code, "OCR002");
        assert_eq!(identify(b"NY0A0010").unwrap_err().code, "OCR003");
        assert_eq!(identify(b"NY000011").unwrap_err().code, "OCR003");
        assert_eq!(identify(b"NY090930").unwrap_err().code, "OCR010");
        assert_eq!(identify(b"NY210530").unwrap_err().code, "OCR010");
        assert_eq!(identify(b"NY21").unwrap_err().code, "OCR003");
        assert_eq!(identify(b"").unwrap_err().code, "OCR002");
    }
}
