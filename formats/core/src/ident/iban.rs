//! Norwegian IBANs: `NO` + two check digits (ISO 13616 mod 97) + an 11-digit account number.

use super::account::{Account, AccountError, check_account};

/// Why a value is not a valid Norwegian IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    /// Does not start with `NO`.
    #[error("IBAN does not start with the country code NO")]
    NotNorwegian,
    /// Not 15 characters (spaces removed).
    #[error("IBAN has {len} characters without spaces, expected 15 (NO, 2 check digits, 11-digit account)")]
    Length {
        /// Characters found.
        len: usize,
    },
    /// A character other than a digit after `NO`.
    #[error("IBAN holds {found:?} at position {position}; expected a digit")]
    NotDigit {
        /// 1-based position, spaces not counted.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The mod-97 check failed.
    #[error("IBAN check digits are {found}, expected {expected:02}")]
    CheckDigits {
        /// What the account calls for.
        expected: u32,
        /// The two characters found.
        found: u32,
    },
    /// The account inside is not valid.
    #[error("IBAN holds an invalid account: {0}")]
    Account(AccountError),
}

/// Checks a Norwegian IBAN; spaces are ignored and letters may be lower case.
///
/// ```
/// use kidkit_core::check_iban;
/// assert_eq!(check_iban("NO93 8601 1117 947").unwrap().as_str(), "86011117947");
/// ```
pub fn check_iban(value: &str) -> Result<Account, IbanError> {
    let mut compact = [0u8; 15];
    let mut len = 0usize;
    for (i, ch) in value.chars().filter(|c| *c != ' ').enumerate() {
        let up = ch.to_ascii_uppercase();
        let ok = if i < 2 { up.is_ascii_uppercase() } else { up.is_ascii_digit() };
        if !ok {
            if i < 2 {
                return Err(IbanError::NotNorwegian);
            }
            return Err(IbanError::NotDigit { position: i + 1, found: ch });
        }
        if len < compact.len() {
            compact[len] = up as u8;
        }
        len += 1;
    }
    if len < 2 || &compact[..2] != b"NO" {
        return Err(IbanError::NotNorwegian);
    }
    if len != 15 {
        return Err(IbanError::Length { len });
    }
    // Rearranged: account + "NO" (N=23, O=24) + "00", remainder mod 97.
    let mut rem = 0u32;
    let mut feed = |d: u32| rem = (rem * 10 + d) % 97;
    for &b in &compact[4..] {
        feed(u32::from(b - b'0'));
    }
    for d in [2, 3, 2, 4, 0, 0] {
        feed(d);
    }
    let expected = 98 - rem;
    let found = u32::from(compact[2] - b'0') * 10 + u32::from(compact[3] - b'0');
    if expected != found {
        return Err(IbanError::CheckDigits { expected, found });
    }
    let account = std::str::from_utf8(&compact[4..]).unwrap_or_default();
    check_account(account).map_err(IbanError::Account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        assert_eq!(check_iban("NO9386011117947").unwrap().formatted(), "8601.11.17947");
        assert!(check_iban("no93 8601 1117 947").is_ok());
    }

    #[test]
    fn invalid() {
        assert_eq!(check_iban("NO9486011117947"), Err(IbanError::CheckDigits { expected: 93, found: 94 }));
        assert_eq!(check_iban("SE9386011117947"), Err(IbanError::NotNorwegian));
        assert_eq!(check_iban("NO938601111794"), Err(IbanError::Length { len: 14 }));
        assert_eq!(check_iban("NO93860111179X7"), Err(IbanError::NotDigit { position: 14, found: 'X' }));
        assert_eq!(check_iban(""), Err(IbanError::NotNorwegian));
        assert_eq!(check_iban(&"NO1".repeat(3000)), Err(IbanError::NotDigit { position: 4, found: 'N' }));
    }
}
