//! Fødselsnummer, D-number and H-number: `DDMMYY` + individual number + two MOD11 check digits.
//!
//! D-numbers add 40 to the day, H-numbers 40 to the month. FH-numbers (first digit 8 or 9) and
//! synthetic test numbers (month + 60 or + 80) are rejected with their own messages. From 2032 the
//! first check digit may take any value with `(Σ + K1) mod 11 ∈ {0,1,2,3}`; that rule is accepted
//! only when asked for.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::{CollectError, Digits, collect_digits};

const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Which kind of personal identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonKind {
    /// Fødselsnummer.
    Fnr,
    /// D-number (day + 40): people without a fødselsnummer.
    Dnr,
    /// H-number (month + 40): assistance number in health care.
    Hnr,
}

impl fmt::Display for PersonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PersonKind::Fnr => "fnr",
            PersonKind::Dnr => "dnr",
            PersonKind::Hnr => "hnr",
        })
    }
}

/// Rules that vary by call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonRules {
    /// Birth dates after this day are rejected.
    pub today: NaiveDate,
    /// Accept the 2032 K1 rule.
    pub allow_2032: bool,
}

/// A valid personal identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonNumber {
    digits: [u8; 11],
    /// Fødselsnummer, D- or H-number.
    pub kind: PersonKind,
    /// The birth date it encodes.
    pub birth_date: NaiveDate,
    /// Valid only under the 2032 K1 rule.
    pub rule_2032: bool,
}

impl PersonNumber {
    /// The eleven digits (personal data: show [`PersonNumber::masked`] to people).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits).unwrap_or_default()
    }
    /// The masked form `010190*****`.
    pub fn masked(&self) -> String {
        mask_person_number(self.as_str())
    }
}

/// Masks the last five characters of an 11-character personal number: `010190*****`.
/// Anything else is masked after its sixth character, so that no more than a birth date shows.
pub fn mask_person_number(value: &str) -> String {
    value.chars().enumerate().map(|(i, c)| if i < 6 { c } else { '*' }).collect()
}

/// `text` with every personal number in it masked (`010190*****`): every 11 digits, alone or in
/// a run of at most 14, whose check digits are right (the 2032 rule for the first included) and whose first
/// four digits can be a day and month of a fødselsnummer, D-, H- or synthetic number. Masking
/// more than strictly needed is the safe side: what a person reads never shows one whole.
pub fn mask_person_numbers_in(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // a personal number alone, or with a digit or three more around it (a value typed one
        // digit too long); longer runs are amounts and zero-filled fields
        if (11..=14).contains(&(i - start)) {
            for at in start..=i - 11 {
                if could_be_person_number(&bytes[at..at + 11]) {
                    // ASCII digits: these are char boundaries
                    out.get_or_insert_with(|| text.to_owned()).replace_range(at + 6..at + 11, "*****");
                }
            }
        }
    }
    out.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// Eleven digits whose check digits are right and whose day and month are those of some kind of
/// personal number.
fn could_be_person_number(d: &[u8]) -> bool {
    let n = |i: usize| u32::from(d[i] - b'0');
    let (day, month) = (n(0) * 10 + n(1), n(2) * 10 + n(3));
    let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
    let month_ok = [1..=12, 41..=52, 61..=72, 81..=92].iter().any(|r| r.contains(&month));
    let k1 = (weighted_sum(&d[..9], &K1_WEIGHTS) + n(9)) % 11;
    let k2 = check_char(weighted_sum(&d[..10], &K2_WEIGHTS)) == d[10] as char;
    day_ok && month_ok && k1 <= 3 && k2
}

/// Why a value is not a valid personal identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNumberError {
    /// Nothing there.
    #[error("personal number is empty")]
    Empty,
    /// A character that is not a digit.
    #[error("personal number holds {found:?} at position {position}; expected digits")]
    NotDigit {
        /// 1-based position in the input.
        position: usize,
        /// The character found.
        found: char,
    },
    /// Not eleven digits.
    #[error("personal number has {len} digits, expected 11")]
    Length {
        /// Digits found.
        len: usize,
    },
    /// First digit 8 or 9.
    #[error("personal number is an FH-number (first digit 8 or 9): it holds no birth date and is not accepted")]
    FhNumber,
    /// Month + 60 or + 80.
    #[error("personal number is a synthetic test number (month {month}): not accepted")]
    Synthetic {
        /// Month digits as found.
        month: u8,
    },
    /// First check digit wrong.
    #[error("personal number first check digit (position 10) is {found}, expected {expected}")]
    K1 {
        /// What the rule calls for (`-` when no digit can satisfy it).
        expected: char,
        /// Found.
        found: char,
    },
    /// Second check digit wrong.
    #[error("personal number second check digit (position 11) is {found}, expected {expected}")]
    K2 {
        /// What the rule calls for (`-` when no digit can satisfy it).
        expected: char,
        /// Found.
        found: char,
    },
    /// The date part is not a real date.
    #[error("personal number holds no real birth date (day {day}, month {month}, year {year})")]
    BadDate {
        /// Day after removing the D-number offset.
        day: u32,
        /// Month after removing the H-number offset.
        month: u32,
        /// Year the century table gave.
        year: i32,
    },
    /// Individual number and year fit no century.
    #[error("personal number individual number {individual:03} does not fit year {yy:02} in any century")]
    Century {
        /// Digits 7–9.
        individual: u16,
        /// Digits 5–6.
        yy: u8,
    },
    /// Birth date after today.
    #[error("personal number gives birth date {date}, which is in the future")]
    Future {
        /// The birth date.
        date: NaiveDate,
    },
}

fn weighted_sum(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&b, &w)| u32::from(b - b'0') * w).sum()
}

fn check_char(sum: u32) -> char {
    match (11 - sum % 11) % 11 {
        10 => '-',
        // < 10, exact
        r => char::from(b'0' + r as u8),
    }
}

/// Checks a personal identity number (11 digits, spaces ignored).
///
/// ```
/// use chrono::NaiveDate;
/// use kidkit_core::{check_person_number, PersonKind, PersonRules};
/// let rules = PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false };
/// let p = check_person_number("01010012356", rules).unwrap();
/// assert_eq!(p.kind, PersonKind::Fnr);
/// assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
/// ```
pub fn check_person_number(value: &str, rules: PersonRules) -> Result<PersonNumber, PersonNumberError> {
    let digits: Digits<11> = match collect_digits(value, &[' ']) {
        Ok(d) => d,
        Err(CollectError::Empty) => return Err(PersonNumberError::Empty),
        Err(CollectError::NotDigit { position, found }) => {
            return Err(PersonNumberError::NotDigit { position, found });
        }
    };
    if digits.len != 11 {
        return Err(PersonNumberError::Length { len: digits.len });
    }
    let d = digits.buf;
    let n = |i: usize| u32::from(d[i] - b'0');
    if d[0] >= b'8' {
        return Err(PersonNumberError::FhNumber);
    }
    let raw_month = n(2) * 10 + n(3);
    if (61..=72).contains(&raw_month) || (81..=92).contains(&raw_month) {
        // at most 99, exact
        return Err(PersonNumberError::Synthetic { month: raw_month as u8 });
    }

    let s1 = weighted_sum(&d[..9], &K1_WEIGHTS);
    let k1 = n(9);
    let mut rule_2032 = false;
    if (s1 + k1) % 11 != 0 {
        if rules.allow_2032 && (s1 + k1) % 11 <= 3 {
            rule_2032 = true;
        } else {
            return Err(PersonNumberError::K1 { expected: check_char(s1), found: d[9] as char });
        }
    }
    let s2 = weighted_sum(&d[..10], &K2_WEIGHTS);
    let expected2 = check_char(s2);
    if expected2 != d[10] as char {
        return Err(PersonNumberError::K2 { expected: expected2, found: d[10] as char });
    }

    let (mut day, mut month) = (n(0) * 10 + n(1), raw_month);
    let mut kind = PersonKind::Fnr;
    if day > 40 {
        day -= 40;
        kind = PersonKind::Dnr;
    }
    if month > 40 {
        month -= 40;
        kind = PersonKind::Hnr;
    }
    // two digits, exact
    let yy = (n(4) * 10 + n(5)) as u8;
    let individual = (n(6) * 100 + n(7) * 10 + n(8)) as u16;
    let year = i32::from(yy)
        + match (individual, yy) {
            (0..=499, _) => 1900,
            (500..=749, 54..) => 1800,
            (500..=999, ..40) => 2000,
            (900..=999, 40..) => 1900,
            _ => return Err(PersonNumberError::Century { individual, yy }),
        };
    let birth_date =
        NaiveDate::from_ymd_opt(year, month, day).ok_or(PersonNumberError::BadDate { day, month, year })?;
    if birth_date > rules.today {
        return Err(PersonNumberError::Future { date: birth_date });
    }
    debug_assert!(birth_date.year() >= 1854);
    Ok(PersonNumber { digits: d, kind, birth_date, rule_2032 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn personal_numbers_are_masked_in_any_text() {
        let text =
            "national_id 01010012356, debtor P01010012356Ola, account 86011117947, 010100123560, 0000000150000001500";
        assert_eq!(
            mask_person_numbers_in(text),
            "national_id 010100*****, debtor P010100*****Ola, account 86011117947, 010100*****0, 0000000150000001500"
        );
        assert!(matches!(mask_person_numbers_in("nothing here"), std::borrow::Cow::Borrowed(_)));
    }

    proptest! {
        #[test]
        fn every_valid_personal_number_is_masked(day in 1u32..=28, month in 1u32..=12, yy in 0u32..=99, ind in 0u32..=499) {
            let body = format!("{day:02}{month:02}{yy:02}{ind:03}");
            let d: Vec<u8> = body.bytes().collect();
            let s1 = weighted_sum(&d, &K1_WEIGHTS);
            let k1 = check_char(s1);
            prop_assume!(k1 != '-');
            let ten = format!("{body}{k1}");
            let k2 = check_char(weighted_sum(ten.as_bytes(), &K2_WEIGHTS));
            prop_assume!(k2 != '-');
            let number = format!("{ten}{k2}");
            let masked = mask_person_numbers_in(&format!("x{number}y")).into_owned();
            prop_assert_eq!(masked, format!("x{}*****y", &number[..6]));
        }
    }

    fn rules() -> PersonRules {
        PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false }
    }

    /// Builds a number with correct check digits from nine digits, or None when K1 or K2 is 10.
    fn make(nine: &str) -> Option<String> {
        let s1 = weighted_sum(nine.as_bytes(), &K1_WEIGHTS);
        let k1 = check_char(s1);
        if k1 == '-' {
            return None;
        }
        let ten = format!("{nine}{k1}");
        let k2 = check_char(weighted_sum(ten.as_bytes(), &K2_WEIGHTS));
        (k2 != '-').then(|| format!("{ten}{k2}"))
    }

    #[test]
    fn known_valid_numbers() {
        // Published test-style examples whose check digits hold.
        let p = check_person_number("01010012356", rules()).unwrap();
        assert_eq!((p.kind, p.birth_date.to_string()), (PersonKind::Fnr, "1900-01-01".into()));
        assert_eq!(p.masked(), "010100*****");
        let fnr = make("150185123").unwrap();
        let p = check_person_number(&fnr, rules()).unwrap();
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1985, 1, 15).unwrap());
    }

    #[test]
    fn d_and_h_numbers() {
        let d = make("550185123").unwrap(); // day 15 + 40
        let p = check_person_number(&d, rules()).unwrap();
        assert_eq!((p.kind, p.birth_date.day()), (PersonKind::Dnr, 15));
        let h = make("154185123").unwrap(); // month 1 + 40
        let p = check_person_number(&h, rules()).unwrap();
        assert_eq!((p.kind, p.birth_date.month()), (PersonKind::Hnr, 1));
    }

    #[test]
    fn century_table() {
        let cases = [
            ("010150499", Some(1950)),
            ("010160600", Some(1860)),
            ("010110600", Some(2010)),
            ("010150950", Some(1950)),
            ("010145600", None), // 500–749 with 40 <= yy < 54
        ];
        for (nine, want) in cases {
            let Some(v) = make(nine) else { continue };
            let got = check_person_number(&v, rules()).map(|p| p.birth_date.year());
            match want {
                Some(y) => assert_eq!(got, Ok(y), "{v}"),
                None => assert!(matches!(got, Err(PersonNumberError::Century { .. })), "{v}"),
            }
        }
    }

    #[test]
    fn rejections() {
        let r = rules();
        assert!(matches!(
            check_person_number("01010012357", r),
            Err(PersonNumberError::K2 { expected: '6', found: '7' })
        ));
        assert!(matches!(check_person_number("01010012346", r), Err(PersonNumberError::K1 { .. })));
        assert_eq!(check_person_number("81010012356", r), Err(PersonNumberError::FhNumber));
        assert_eq!(check_person_number("01650012356", r), Err(PersonNumberError::Synthetic { month: 65 }));
        assert_eq!(check_person_number("01850012356", r), Err(PersonNumberError::Synthetic { month: 85 }));
        assert_eq!(check_person_number("0101001235", r), Err(PersonNumberError::Length { len: 10 }));
        let feb31 = (100..500).find_map(|i| make(&format!("310295{i}"))).unwrap();
        assert_eq!(check_person_number(&feb31, r), Err(PersonNumberError::BadDate { day: 31, month: 2, year: 1995 }));
        // born 2030 (individual 5xx with yy 30 -> 2030): in the future
        if let Some(v) = make("010130500") {
            assert!(matches!(check_person_number(&v, r), Err(PersonNumberError::Future { .. })));
        }
    }

    #[test]
    fn rule_2032_behind_flag() {
        // Take a valid number, then move K1 to a value the 2032 rule allows and recompute K2.
        let v = (100..500)
            .find_map(|i| {
                let nine = format!("150185{i}");
                let s1 = weighted_sum(nine.as_bytes(), &K1_WEIGHTS);
                let k1 = (0..10u32).find(|k| (s1 + k) % 11 == 2)?;
                let ten = format!("{nine}{k1}");
                let k2 = check_char(weighted_sum(ten.as_bytes(), &K2_WEIGHTS));
                (k2 != '-').then(|| format!("{ten}{k2}"))
            })
            .unwrap();
        assert!(matches!(check_person_number(&v, rules()), Err(PersonNumberError::K1 { .. })));
        let p = check_person_number(&v, PersonRules { allow_2032: true, ..rules() }).unwrap();
        assert!(p.rule_2032);
    }

    proptest! {
        #[test]
        fn made_numbers_check(day in 1u32..=28, month in 1u32..=12, yy in 0u32..100, ind in 0u32..500) {
            if let Some(v) = make(&format!("{day:02}{month:02}{yy:02}{ind:03}")) {
                let p = check_person_number(&v, rules()).unwrap();
                prop_assert_eq!(p.birth_date.day(), day);
                prop_assert_eq!(p.kind, PersonKind::Fnr);
            }
        }
        #[test]
        fn never_panics(s in "[0-9 ]{0,14}") {
            let _ = check_person_number(&s, PersonRules { allow_2032: true, ..rules() });
        }
    }
}
