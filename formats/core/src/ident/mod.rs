//! Norwegian identifiers and check digits, as pure functions that do not allocate.
//!
//! Every format crate checks KIDs, accounts, organisation and personal numbers through this
//! module, so each rule lives in one place.

pub mod account;
pub mod country;
pub mod iban;
pub mod kid;
pub mod orgnr;
pub mod person;

use std::fmt;

/// The identifier types `kidkit id check` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    /// Organisation number (also in its `NO … MVA` form).
    Orgnr,
    /// Bank account number.
    Account,
    /// Norwegian IBAN.
    Iban,
    /// Fødselsnummer, D- or H-number.
    Fnr,
}

impl IdType {
    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            IdType::Orgnr => "orgnr",
            IdType::Account => "account",
            IdType::Iban => "iban",
            IdType::Fnr => "fnr",
        }
    }
}

impl fmt::Display for IdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The types a value could be, judged by its shape alone (digit count, `NO` prefix, `MVA`
/// suffix). Empty when the shape fits none.
pub fn candidate_types(value: &str) -> &'static [IdType] {
    let t = value.trim();
    let upper_start = t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("NO"));
    let mva = t.len() >= 3 && t.get(t.len() - 3..).is_some_and(|s| s.eq_ignore_ascii_case("MVA"));
    if mva {
        return &[IdType::Orgnr];
    }
    if upper_start {
        return &[IdType::Iban];
    }
    if !t.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-')) {
        return &[];
    }
    match t.chars().filter(char::is_ascii_digit).count() {
        9 => &[IdType::Orgnr],
        11 => &[IdType::Account, IdType::Fnr],
        7 => &[IdType::Account],
        _ => &[],
    }
}

/// Digits gathered from a value with separators removed; `len` may exceed `N` (then `buf`
/// holds only the first `N`).
pub(crate) struct Digits<const N: usize> {
    pub(crate) buf: [u8; N],
    pub(crate) len: usize,
}

pub(crate) enum CollectError {
    Empty,
    NotDigit { position: usize, found: char },
}

/// Collects ASCII digits from `value`, skipping `separators`; any other character is an error.
pub(crate) fn collect_digits<const N: usize>(value: &str, separators: &[char]) -> Result<Digits<N>, CollectError> {
    let mut out = Digits { buf: [0u8; N], len: 0 };
    for (i, ch) in value.chars().enumerate() {
        if separators.contains(&ch) {
            continue;
        }
        if !ch.is_ascii_digit() {
            return Err(CollectError::NotDigit { position: i + 1, found: ch });
        }
        if out.len < N {
            out.buf[out.len] = ch as u8;
        }
        out.len += 1;
    }
    if out.len == 0 {
        return Err(CollectError::Empty);
    }
    Ok(out)
}

/// Standard MOD11 check digit (11 − sum mod 11; 11 → 0) over ASCII digits with the given
/// weights, or `None` when the remainder is 1 (no valid check digit).
pub(crate) fn mod11_weighted(digits: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = digits.iter().zip(weights).map(|(&d, &w)| u32::from(d - b'0') * w).sum();
    match sum % 11 {
        0 => Some(b'0'),
        1 => None,
        // 2..=10 -> 9..=1, exact
        r => Some(b'0' + (11 - r) as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(candidate_types("988077917"), &[IdType::Orgnr]);
        assert_eq!(candidate_types("NO 995 525 828 MVA"), &[IdType::Orgnr]);
        assert_eq!(candidate_types("995525828mva"), &[IdType::Orgnr]);
        assert_eq!(candidate_types("8601.11.17947"), &[IdType::Account, IdType::Fnr]);
        assert_eq!(candidate_types("NO93 8601 1117 947"), &[IdType::Iban]);
        assert_eq!(candidate_types("1234567"), &[IdType::Account]);
        assert!(candidate_types("12345").is_empty());
        assert!(candidate_types("hello").is_empty());
        assert!(candidate_types("").is_empty());
    }
}
