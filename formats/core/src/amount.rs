//! Money as integer øre: parsing decimal kroner (`1234,50`, `1234.50`, `-12`) and zero-padded øre
//! fields, and formatting øre back to kroner. No floats anywhere.

use std::fmt::{self, Write as _};

/// Which character separates kroner from øre in a text amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1234,50`
    Comma,
    /// `1234.50`
    Point,
    /// Either `,` or `.` (but only one of them, once).
    Either,
}

impl DecimalMark {
    fn accepts(self, c: char) -> bool {
        match self {
            DecimalMark::Comma => c == ',',
            DecimalMark::Point => c == '.',
            DecimalMark::Either => c == ',' || c == '.',
        }
    }
}

/// How a text amount is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountSyntax {
    /// The decimal mark.
    pub decimal: DecimalMark,
    /// A thousands separator to skip (between digits of the kroner part only).
    pub thousands: Option<char>,
}

impl AmountSyntax {
    /// Decimal comma or point, no thousands separator.
    pub const EITHER: AmountSyntax = AmountSyntax { decimal: DecimalMark::Either, thousands: None };
    /// Decimal point only.
    pub const POINT: AmountSyntax = AmountSyntax { decimal: DecimalMark::Point, thousands: None };
    /// Decimal comma only.
    pub const COMMA: AmountSyntax = AmountSyntax { decimal: DecimalMark::Comma, thousands: None };
}

/// Why a text is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing there.
    #[error("amount is empty")]
    Empty,
    /// A character that does not belong in an amount.
    #[error("amount holds {found:?} at position {position}")]
    BadChar {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
    /// More than two decimals.
    #[error("amount has {decimals} decimals, at most 2 allowed")]
    TooManyDecimals {
        /// Decimals found.
        decimals: usize,
    },
    /// A decimal mark with no digit before or after it.
    #[error("amount has a decimal mark without digits on both sides")]
    LoneMark,
    /// Too large to hold.
    #[error("amount is too large")]
    Overflow,
}

/// Parses decimal kroner into øre: optional leading `-` (or `+`), digits, optionally a decimal
/// mark and one or two decimals.
///
/// ```
/// use kidkit_core::{parse_kroner, AmountSyntax};
/// assert_eq!(parse_kroner("1234,50", AmountSyntax::EITHER), Ok(123_450));
/// assert_eq!(parse_kroner("-0.5", AmountSyntax::EITHER), Ok(-50));
/// assert_eq!(parse_kroner("12", AmountSyntax::EITHER), Ok(1_200));
/// ```
pub fn parse_kroner(text: &str, syntax: AmountSyntax) -> Result<i64, AmountError> {
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let mut chars = text.chars().enumerate().peekable();
    let negative = match chars.peek() {
        Some((_, '-')) => {
            chars.next();
            true
        }
        Some((_, '+')) => {
            chars.next();
            false
        }
        _ => false,
    };
    let mut kroner: i64 = 0;
    let mut int_digits = 0usize;
    let mut frac: i64 = 0;
    let mut frac_digits = 0usize;
    let mut seen_mark = false;
    let mut last_was_sep = false;
    for (i, c) in chars {
        if let Some(d) = c.to_digit(10) {
            if seen_mark {
                frac_digits += 1;
                if frac_digits > 2 {
                    // keep counting to report how many decimals there are
                    continue;
                }
                frac = frac * 10 + i64::from(d);
            } else {
                kroner =
                    kroner.checked_mul(10).and_then(|k| k.checked_add(i64::from(d))).ok_or(AmountError::Overflow)?;
                int_digits += 1;
            }
            last_was_sep = false;
        } else if !seen_mark && syntax.decimal.accepts(c) {
            if int_digits == 0 || last_was_sep {
                return Err(AmountError::LoneMark);
            }
            seen_mark = true;
        } else if !seen_mark && Some(c) == syntax.thousands && int_digits > 0 && !last_was_sep {
            last_was_sep = true;
        } else {
            return Err(AmountError::BadChar { position: i + 1, found: c });
        }
    }
    if frac_digits > 2 {
        return Err(AmountError::TooManyDecimals { decimals: frac_digits });
    }
    if int_digits == 0 || last_was_sep || (seen_mark && frac_digits == 0) {
        return Err(if int_digits == 0 && !seen_mark { AmountError::Empty } else { AmountError::LoneMark });
    }
    if frac_digits == 1 {
        frac *= 10;
    }
    let ore = kroner.checked_mul(100).and_then(|k| k.checked_add(frac)).ok_or(AmountError::Overflow)?;
    Ok(if negative { -ore } else { ore })
}

/// Parses a zero-padded øre field of ASCII digits (as in fixed-width records).
///
/// Returns the 1-based position of the first non-digit on failure.
pub fn parse_ore_digits(field: &[u8]) -> Result<u64, usize> {
    let mut v: u64 = 0;
    for (i, &b) in field.iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(i + 1);
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
    }
    // 19 digits always fit; wider fields are not used for money.
    Ok(v)
}

/// Displays øre as kroner with two decimals: `Kroner(-123450, '.')` shows `-1234.50`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kroner(pub i64, pub char);

impl fmt::Display for Kroner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Kroner(ore, mark) = *self;
        let abs = ore.unsigned_abs();
        if ore < 0 {
            f.write_char('-')?;
        }
        write!(f, "{}{}{:02}", abs / 100, mark, abs % 100)
    }
}

/// `1234.50` for 123 450 øre.
pub fn format_point(ore: i64) -> String {
    Kroner(ore, '.').to_string()
}

/// `1234,50` for 123 450 øre.
pub fn format_comma(ore: i64) -> String {
    Kroner(ore, ',').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_usual_forms() {
        let e = AmountSyntax::EITHER;
        assert_eq!(parse_kroner("1234,50", e), Ok(123_450));
        assert_eq!(parse_kroner("1234.50", e), Ok(123_450));
        assert_eq!(parse_kroner("1234,5", e), Ok(123_450));
        assert_eq!(parse_kroner("0,01", e), Ok(1));
        assert_eq!(parse_kroner("-2705,10", e), Ok(-270_510));
        assert_eq!(parse_kroner("+7", e), Ok(700));
        assert_eq!(parse_kroner("000", e), Ok(0));
        let nb = AmountSyntax { decimal: DecimalMark::Comma, thousands: Some(' ') };
        assert_eq!(parse_kroner("1 234 567,89", nb), Ok(123_456_789));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        let e = AmountSyntax::EITHER;
        assert_eq!(parse_kroner("", e), Err(AmountError::Empty));
        assert_eq!(parse_kroner("-", e), Err(AmountError::Empty));
        assert_eq!(parse_kroner("1,234", e), Err(AmountError::TooManyDecimals { decimals: 3 }));
        assert_eq!(parse_kroner("1.2.3", e), Err(AmountError::BadChar { position: 4, found: '.' }));
        assert_eq!(parse_kroner("12a", e), Err(AmountError::BadChar { position: 3, found: 'a' }));
        assert_eq!(parse_kroner(",5", e), Err(AmountError::LoneMark));
        assert_eq!(parse_kroner("5,", e), Err(AmountError::LoneMark));
        assert_eq!(parse_kroner("1.50", AmountSyntax::COMMA), Err(AmountError::BadChar { position: 2, found: '.' }));
        assert_eq!(parse_kroner("1 234", e), Err(AmountError::BadChar { position: 2, found: ' ' }));
        assert_eq!(parse_kroner(&"9".repeat(30), e), Err(AmountError::Overflow));
        assert_eq!(parse_kroner("1,0000000000000000000000", e), Err(AmountError::TooManyDecimals { decimals: 22 }));
    }

    #[test]
    fn ore_fields() {
        assert_eq!(parse_ore_digits(b"00000000005144900"), Ok(5_144_900));
        assert_eq!(parse_ore_digits(b"000 1"), Err(4));
        assert_eq!(parse_ore_digits(b""), Ok(0));
    }

    #[test]
    fn formats() {
        assert_eq!(format_point(123_450), "1234.50");
        assert_eq!(format_comma(-5), "-0,05");
        assert_eq!(format_point(0), "0.00");
        assert_eq!(format_point(i64::MIN), "-92233720368547758.08");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(ore in -1_000_000_000_000i64..1_000_000_000_000) {
            prop_assert_eq!(parse_kroner(&format_comma(ore), AmountSyntax::COMMA), Ok(ore));
            prop_assert_eq!(parse_kroner(&format_point(ore), AmountSyntax::POINT), Ok(ore));
        }
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_kroner(&s, AmountSyntax { decimal: DecimalMark::Either, thousands: Some(' ') });
        }
    }
}
