//! Dates in the forms the formats use: `DDMMYY` (Nets; century pivot 00–79 → 20xx, 80–99 →
//! 19xx), `YYYYMMDD`, and ISO `YYYY-MM-DD`. Digits are parsed by hand (no format strings on the
//! hot path) and impossible dates are rejected.

use chrono::{Datelike, NaiveDate};

/// Why a field is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Wrong number of characters.
    #[error("date has {len} characters, expected {expected}")]
    Length {
        /// Characters found.
        len: usize,
        /// Characters expected.
        expected: usize,
    },
    /// A character that is not a digit (or not the `-` of an ISO date).
    #[error("date holds a non-digit at position {position}")]
    NotDigit {
        /// 1-based position.
        position: usize,
    },
    /// The digits name no real day.
    #[error("date {year:04}-{month:02}-{day:02} does not exist")]
    Impossible {
        /// Year (after the century pivot).
        year: i32,
        /// Month as written.
        month: u32,
        /// Day as written.
        day: u32,
    },
}

fn digits<const N: usize>(field: &[u8], expected: usize) -> Result<[u32; N], DateError> {
    if field.len() != expected {
        return Err(DateError::Length { len: field.len(), expected });
    }
    let mut out = [0u32; N];
    let mut k = 0;
    for (i, &b) in field.iter().enumerate() {
        if b.is_ascii_digit() {
            if k < N {
                out[k] = u32::from(b - b'0');
            }
            k += 1;
        } else if !(b == b'-' && expected == 10 && (i == 4 || i == 7)) {
            return Err(DateError::NotDigit { position: i + 1 });
        }
    }
    if k != N {
        return Err(DateError::NotDigit { position: 5 });
    }
    Ok(out)
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Impossible { year, month, day })
}

/// The four-digit year for a two-digit `YY`: 00–79 → 20xx, 80–99 → 19xx.
pub fn century_pivot(yy: u32) -> i32 {
    // yy < 100, exact
    let yy = yy as i32;
    if yy < 80 { 2000 + yy } else { 1900 + yy }
}

/// Parses `DDMMYY`.
///
/// ```
/// use kidkit_core::parse_ddmmyy;
/// assert_eq!(parse_ddmmyy(b"200192").unwrap().to_string(), "1992-01-20");
/// assert!(parse_ddmmyy(b"310299").is_err());
/// ```
pub fn parse_ddmmyy(field: &[u8]) -> Result<NaiveDate, DateError> {
    let [d1, d2, m1, m2, y1, y2] = digits::<6>(field, 6)?;
    ymd(century_pivot(y1 * 10 + y2), m1 * 10 + m2, d1 * 10 + d2)
}

/// Parses `YYYYMMDD`.
pub fn parse_yyyymmdd(field: &[u8]) -> Result<NaiveDate, DateError> {
    let [y1, y2, y3, y4, m1, m2, d1, d2] = digits::<8>(field, 8)?;
    // at most 9999, exact
    ymd((y1 * 1000 + y2 * 100 + y3 * 10 + y4) as i32, m1 * 10 + m2, d1 * 10 + d2)
}

/// Parses ISO `YYYY-MM-DD`.
pub fn parse_iso(field: &[u8]) -> Result<NaiveDate, DateError> {
    let [y1, y2, y3, y4, m1, m2, d1, d2] = digits::<8>(field, 10)?;
    if field[4] != b'-' || field[7] != b'-' {
        return Err(DateError::NotDigit { position: if field[4] == b'-' { 8 } else { 5 } });
    }
    ymd((y1 * 1000 + y2 * 100 + y3 * 10 + y4) as i32, m1 * 10 + m2, d1 * 10 + d2)
}

/// Parses `YYYYMMDD` or `YYYY-MM-DD`, whichever the length says.
pub fn parse_compact_or_iso(field: &[u8]) -> Result<NaiveDate, DateError> {
    if field.len() == 10 { parse_iso(field) } else { parse_yyyymmdd(field) }
}

/// Writes `DDMMYY`. Years outside 1980–2079 cannot be written; the caller checks
/// [`fits_ddmmyy`] first.
pub fn format_ddmmyy(date: NaiveDate) -> String {
    format!("{:02}{:02}{:02}", date.day(), date.month(), date.year().rem_euclid(100))
}

/// Whether a date survives a `DDMMYY` round trip under the century pivot.
pub fn fits_ddmmyy(date: NaiveDate) -> bool {
    (1980..=2079).contains(&date.year())
}

/// Writes `YYYYMMDD`.
pub fn format_yyyymmdd(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ddmmyy_with_pivot() {
        assert_eq!(parse_ddmmyy(b"200192"), Ok(d(1992, 1, 20)));
        assert_eq!(parse_ddmmyy(b"010100"), Ok(d(2000, 1, 1)));
        assert_eq!(parse_ddmmyy(b"311279"), Ok(d(2079, 12, 31)));
        assert_eq!(parse_ddmmyy(b"010180"), Ok(d(1980, 1, 1)));
        assert_eq!(parse_ddmmyy(b"290224"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_ddmmyy(b"290223"), Err(DateError::Impossible { year: 2023, month: 2, day: 29 }));
        assert_eq!(parse_ddmmyy(b"310299"), Err(DateError::Impossible { year: 1999, month: 2, day: 31 }));
        assert_eq!(parse_ddmmyy(b"000000"), Err(DateError::Impossible { year: 2000, month: 0, day: 0 }));
        assert_eq!(parse_ddmmyy(b"01 192"), Err(DateError::NotDigit { position: 3 }));
        assert_eq!(parse_ddmmyy(b"0101"), Err(DateError::Length { len: 4, expected: 6 }));
    }

    #[test]
    fn yyyymmdd_and_iso() {
        assert_eq!(parse_yyyymmdd(b"20261124"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_yyyymmdd(b"20261324"), Err(DateError::Impossible { year: 2026, month: 13, day: 24 }));
        assert_eq!(parse_iso(b"2026-11-24"), Ok(d(2026, 11, 24)));
        assert_eq!(parse_iso(b"2026/11/24"), Err(DateError::NotDigit { position: 5 }));
        assert_eq!(parse_iso(b"2026-11/24"), Err(DateError::NotDigit { position: 8 }));
        assert_eq!(parse_compact_or_iso(b"2026-02-28"), Ok(d(2026, 2, 28)));
        assert_eq!(parse_compact_or_iso(b"20260228"), Ok(d(2026, 2, 28)));
        assert!(parse_iso(b"2026-1-124").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(format_ddmmyy(d(1992, 1, 20)), "200192");
        assert_eq!(format_yyyymmdd(d(2026, 11, 5)), "20261105");
        assert!(fits_ddmmyy(d(2079, 12, 31)) && !fits_ddmmyy(d(2080, 1, 1)));
    }

    proptest! {
        #[test]
        fn ddmmyy_round_trip(days in 0i64..36_500) {
            let date = d(1980, 1, 1) + chrono::Duration::days(days);
            prop_assert_eq!(parse_ddmmyy(format_ddmmyy(date).as_bytes()), Ok(date));
            prop_assert_eq!(parse_yyyymmdd(format_yyyymmdd(date).as_bytes()), Ok(date));
        }
        #[test]
        fn never_panics(b in proptest::collection::vec(any::<u8>(), 0..12)) {
            let _ = parse_ddmmyy(&b);
            let _ = parse_yyyymmdd(&b);
            let _ = parse_compact_or_iso(&b);
        }
    }
}
