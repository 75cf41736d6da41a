//! Norwegian bank account numbers ("kontonummer"): 11 digits, MOD11 check digit with weights
//! 5,4,3,2,7,6,5,4,3,2 on digits 1–10.

use std::fmt;

use super::{Digits, collect_digits, mod11_weighted};

const WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// A valid 11-digit Norwegian bank account number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Account(pub(crate) [u8; 11]);

impl Account {
    /// The 11 digits as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
    /// The 4-digit bank registration number.
    pub fn bank_code(&self) -> &str {
        &self.as_str()[..4]
    }
    /// The printed form `8601.11.17947`.
    pub fn formatted(&self) -> String {
        let s = self.as_str();
        format!("{}.{}.{}", &s[..4], &s[4..6], &s[6..])
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a value is not a valid bank account number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Nothing there.
    #[error("account number is empty")]
    Empty,
    /// A character other than digits and the separators `.`, ` `, `-`.
    #[error("account number holds {found:?} at position {position}; expected digits")]
    NotDigit {
        /// 1-based position in the input.
        position: usize,
        /// The character found.
        found: char,
    },
    /// Seven digits, or eleven starting `0000`: an old Postgiro number (policy D9).
    #[error(
        "account number is an old 7-digit Postgiro number (written alone or after 0000), which is no longer valid; expected an 11-digit bank account"
    )]
    Postgiro,
    /// Wrong number of digits.
    #[error("account number has {len} digits, expected 11")]
    Length {
        /// Digits found.
        len: usize,
    },
    /// The first ten digits give remainder 1, for which no check digit exists.
    #[error("account number cannot be valid: its first ten digits give no MOD11 check digit")]
    NoCheckDigit,
    /// The check digit is wrong.
    #[error("account number check digit is {found}, expected {expected}")]
    CheckDigit {
        /// The check digit the first ten digits call for.
        expected: char,
        /// The 11th digit found.
        found: char,
    },
}

/// The MOD11 check digit for the first ten digits, or `None` when none exists (remainder 1).
pub fn account_check_digit(first_ten: &[u8; 10]) -> Option<u8> {
    mod11_weighted(first_ten, &WEIGHTS)
}

/// Checks an account number. `.`, spaces and `-` between digits are ignored.
///
/// ```
/// use kidkit_core::check_account;
/// assert_eq!(check_account("8601.11.17947").unwrap().as_str(), "86011117947");
/// assert!(check_account("86011117948").is_err());
/// ```
pub fn check_account(value: &str) -> Result<Account, AccountError> {
    let digits: Digits<11> = match collect_digits(value, &['.', ' ', '-']) {
        Ok(d) => d,
        Err(super::CollectError::Empty) => return Err(AccountError::Empty),
        Err(super::CollectError::NotDigit { position, found }) => {
            return Err(AccountError::NotDigit { position, found });
        }
    };
    match digits.len {
        11 if digits.buf.starts_with(b"0000") => return Err(AccountError::Postgiro),
        11 => {}
        7 => return Err(AccountError::Postgiro),
        len => return Err(AccountError::Length { len }),
    }
    let d = digits.buf;
    let mut first = [0u8; 10];
    first.copy_from_slice(&d[..10]);
    match account_check_digit(&first) {
        None => Err(AccountError::NoCheckDigit),
        Some(c) if c == d[10] => Ok(Account(d)),
        Some(c) => Err(AccountError::CheckDigit { expected: c as char, found: d[10] as char }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_numbers() {
        let a = check_account("86011117947").unwrap();
        assert_eq!(a.bank_code(), "8601");
        assert_eq!(a.formatted(), "8601.11.17947");
        assert!(check_account("8601 11 17947").is_ok());
        assert!(check_account("8601-11-17947").is_ok());
        // the payout account of the settlement spec's example
        assert!(check_account("64010573988").is_ok());
    }

    #[test]
    fn invalid_numbers() {
        assert_eq!(check_account("86011117948"), Err(AccountError::CheckDigit { expected: '7', found: '8' }));
        assert_eq!(check_account(""), Err(AccountError::Empty));
        assert_eq!(check_account(" . "), Err(AccountError::Empty));
        assert_eq!(check_account("1234567"), Err(AccountError::Postgiro));
        // MOD11-valid, but 0000 + 7 digits is a padded Postgiro number
        assert_eq!(check_account("00007275552"), Err(AccountError::Postgiro));
        assert_eq!(check_account("123456789012"), Err(AccountError::Length { len: 12 }));
        assert_eq!(check_account("8601x117947"), Err(AccountError::NotDigit { position: 5, found: 'x' }));
        assert_eq!(check_account(&"1".repeat(10_000)), Err(AccountError::Length { len: 10_000 }));
    }

    #[test]
    fn remainder_one_has_no_check_digit() {
        // find a ten-digit prefix with remainder 1 and make sure every 11th digit fails
        let prefix = (0u64..1000)
            .map(|n| format!("{:010}", 1_000_000_000 + n))
            .find(|p| account_check_digit(p.as_bytes().try_into().unwrap()).is_none())
            .unwrap();
        for last in 0..10 {
            let v = format!("{prefix}{last}");
            assert_eq!(check_account(&v), Err(AccountError::NoCheckDigit), "{v}");
        }
    }

    proptest! {
        #[test]
        fn made_account_checks(prefix in "[0-9]{10}") {
            let first: [u8; 10] = prefix.as_bytes().try_into().unwrap();
            if let Some(c) = account_check_digit(&first) {
                let v = format!("{prefix}{}", c as char);
                if prefix.starts_with("0000") {
                    // an old Postgiro number in 11-digit dress (policy D9)
                    prop_assert_eq!(check_account(&v), Err(AccountError::Postgiro));
                } else {
                    prop_assert!(check_account(&v).is_ok());
                }
            }
        }
    }
}
