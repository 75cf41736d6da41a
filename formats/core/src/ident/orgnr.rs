//! Organisation numbers ("organisasjonsnummer"): 9 digits, MOD11 with weights 3,2,7,6,5,4,3,2;
//! and the VAT form `NO 995 525 828 MVA`.

use std::fmt;

use super::{CollectError, Digits, collect_digits, mod11_weighted};

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// A valid organisation number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgNumber {
    digits: [u8; 9],
    /// Written in the VAT form (`NO … MVA` or `…MVA`).
    pub mva: bool,
}

impl OrgNumber {
    /// The nine digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits).unwrap_or_default()
    }
    /// The VAT-register form `NO 995 525 828 MVA`.
    pub fn mva_form(&self) -> String {
        let s = self.as_str();
        format!("NO {} {} {} MVA", &s[..3], &s[3..6], &s[6..])
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a value is not a valid organisation number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    /// Nothing there.
    #[error("organisation number is empty")]
    Empty,
    /// A character that is not a digit.
    #[error("organisation number holds {found:?} at position {position}; expected digits")]
    NotDigit {
        /// 1-based position in the input.
        position: usize,
        /// The character found.
        found: char,
    },
    /// Not nine digits.
    #[error("organisation number has {len} digits, expected 9")]
    Length {
        /// Digits found.
        len: usize,
    },
    /// The first eight digits give remainder 1: no check digit exists.
    #[error("organisation number cannot be valid: its first eight digits give no MOD11 check digit")]
    NoCheckDigit,
    /// Wrong check digit.
    #[error("organisation number check digit is {found}, expected {expected}")]
    CheckDigit {
        /// The check digit the first eight digits call for.
        expected: char,
        /// The ninth digit found.
        found: char,
    },
}

/// Checks a bare nine-digit organisation number (no spaces, no `MVA`), as found in file fields.
pub fn check_orgnr(value: &str) -> Result<OrgNumber, OrgNumberError> {
    check_digits(value, false, &[])
}

/// Checks an organisation number as a person types it: spaces allowed, and the VAT form with an
/// optional `NO` prefix and `MVA` suffix (case-insensitive).
///
/// ```
/// use kidkit_core::check_orgnr_loose;
/// let o = check_orgnr_loose("NO 995 525 828 MVA").unwrap();
/// assert!(o.mva);
/// assert_eq!(o.as_str(), "995525828");
/// ```
pub fn check_orgnr_loose(value: &str) -> Result<OrgNumber, OrgNumberError> {
    let trimmed = value.trim();
    let (rest, prefix) = strip_prefix_ci(trimmed, "NO");
    let (body, suffix) = strip_suffix_ci(rest, "MVA");
    // "NO…" without "MVA" is not a form anyone writes: the prefix only comes with the suffix.
    if prefix && !suffix {
        return check_digits(trimmed, false, &[' ']);
    }
    check_digits(body, suffix, &[' '])
}

fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> (&'a str, bool) {
    match s.get(..p.len()) {
        Some(head) if head.eq_ignore_ascii_case(p) => (&s[p.len()..], true),
        _ => (s, false),
    }
}

fn strip_suffix_ci<'a>(s: &'a str, p: &str) -> (&'a str, bool) {
    match s.len().checked_sub(p.len()).and_then(|at| s.get(at..).map(|t| (at, t))) {
        Some((at, tail)) if tail.eq_ignore_ascii_case(p) => (&s[..at], true),
        _ => (s, false),
    }
}

fn check_digits(value: &str, mva: bool, separators: &[char]) -> Result<OrgNumber, OrgNumberError> {
    let digits: Digits<9> = match collect_digits(value, separators) {
        Ok(d) => d,
        Err(CollectError::Empty) => return Err(OrgNumberError::Empty),
        Err(CollectError::NotDigit { position, found }) => {
            return Err(OrgNumberError::NotDigit { position, found });
        }
    };
    if digits.len != 9 {
        return Err(OrgNumberError::Length { len: digits.len });
    }
    let d = digits.buf;
    let mut first = [0u8; 8];
    first.copy_from_slice(&d[..8]);
    match mod11_weighted(&first, &WEIGHTS) {
        None => Err(OrgNumberError::NoCheckDigit),
        Some(c) if c == d[8] => Ok(OrgNumber { digits: d, mva }),
        Some(c) => Err(OrgNumberError::CheckDigit { expected: c as char, found: d[8] as char }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_examples() {
        assert_eq!(check_orgnr("988077917").unwrap().as_str(), "988077917");
        assert_eq!(check_orgnr("988077918"), Err(OrgNumberError::CheckDigit { expected: '7', found: '8' }));
        let m = check_orgnr_loose("NO 995 525 828 MVA").unwrap();
        assert_eq!(m.mva_form(), "NO 995 525 828 MVA");
        assert!(check_orgnr_loose("995525828MVA").unwrap().mva);
        assert!(check_orgnr_loose("no995525828mva").unwrap().mva);
        assert!(!check_orgnr_loose("995 525 828").unwrap().mva);
        // settlement spec example numbers
        assert!(check_orgnr("987654325").is_ok());
        assert!(check_orgnr("825602232").is_ok());
    }

    #[test]
    fn errors() {
        assert_eq!(check_orgnr(""), Err(OrgNumberError::Empty));
        assert_eq!(check_orgnr("98807791"), Err(OrgNumberError::Length { len: 8 }));
        assert_eq!(check_orgnr("988 077 917"), Err(OrgNumberError::NotDigit { position: 4, found: ' ' }));
        assert!(matches!(check_orgnr_loose("NO 995525828"), Err(OrgNumberError::NotDigit { .. })));
        assert_eq!(check_orgnr_loose("MVA"), Err(OrgNumberError::Empty));
    }

    proptest! {
        #[test]
        fn made_orgnr_checks(prefix in "[0-9]{8}") {
            let first: [u8; 8] = prefix.as_bytes().try_into().unwrap();
            if let Some(c) = mod11_weighted(&first, &WEIGHTS) {
                let v = format!("{prefix}{}", c as char);
                prop_assert!(check_orgnr(&v).is_ok());
            }
        }
        #[test]
        fn loose_never_panics(s in "\\PC{0,30}") {
            let _ = check_orgnr_loose(&s);
        }
    }
}
