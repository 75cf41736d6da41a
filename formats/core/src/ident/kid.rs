//! KID (customer identification) check digits: MOD10 (Luhn) and MOD11.
//!
//! Both weight the body from the right. MOD10 uses weights 2,1,2,1,… and adds the digits of each
//! product; MOD11 uses 2,3,4,5,6,7 repeating, and a remainder of 1 gives the check character `-`.

use std::fmt;

/// Shortest KID kidkit accepts, check digit included (policy D5).
pub const KID_MIN_LEN: usize = 2;
/// Longest KID: the width of the KID field in Nets files.
pub const KID_MAX_LEN: usize = 25;

/// Which check-digit rule a KID is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KidRule {
    /// Luhn: weights 2,1 from the right, digit sums.
    Mod10,
    /// Weights 2..7 from the right; remainder 1 gives `-`.
    Mod11,
}

impl fmt::Display for KidRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KidRule::Mod10 => "mod10",
            KidRule::Mod11 => "mod11",
        })
    }
}

/// Why a string is not shaped like a KID (before any check digit is looked at).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KidShapeError {
    /// Nothing there.
    #[error("KID is empty")]
    Empty,
    /// Length outside 2–25 (or 1–24 for a body).
    #[error("KID has {len} character{s}, expected {min}–{max}", s = if *len == 1 { "" } else { "s" })]
    Length {
        /// Characters found.
        len: usize,
        /// Fewest allowed.
        min: usize,
        /// Most allowed.
        max: usize,
    },
    /// A character that is not a digit (a `-` is allowed only as the last character).
    #[error("KID holds {found:?} at position {position}; a KID holds digits only{dash}",
        dash = if *dash_allowed { ", with an optional final '-' (MOD11)" } else { "" })]
    NotDigit {
        /// 1-based position of the offending character.
        position: usize,
        /// The character found.
        found: char,
        /// Whether a final `-` would have been accepted here.
        dash_allowed: bool,
    },
}

/// The result of checking a well-shaped KID against both rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KidVerdict {
    /// The check character found (last character), `b'0'..=b'9'` or `b'-'`.
    pub found: u8,
    /// The MOD10 check digit the body calls for.
    pub mod10_expected: u8,
    /// The MOD11 check character the body calls for (`b'-'` for remainder 1).
    pub mod11_expected: u8,
}

impl KidVerdict {
    /// The check digit satisfies MOD10.
    pub fn mod10(&self) -> bool {
        self.found == self.mod10_expected
    }
    /// The check character satisfies MOD11.
    pub fn mod11(&self) -> bool {
        self.found == self.mod11_expected
    }
    /// At least one rule holds.
    pub fn is_valid(&self) -> bool {
        self.mod10() || self.mod11()
    }
    /// What people read when neither rule holds for `kid`: `KID '…' fails both check-digit
    /// rules: check digit 1, MOD10 calls for 7, MOD11 for -`.
    pub fn problem(&self, kid: &str) -> String {
        format!(
            "KID '{kid}' fails both check-digit rules: check digit {}, MOD10 calls for {}, MOD11 for {}",
            self.found as char, self.mod10_expected as char, self.mod11_expected as char
        )
    }
    /// `mod10`, `mod11`, `both` or `none`: which rules hold.
    pub fn rules(&self) -> &'static str {
        match (self.mod10(), self.mod11()) {
            (true, true) => "both",
            (true, false) => "mod10",
            (false, true) => "mod11",
            (false, false) => "none",
        }
    }
}

/// MOD10 (Luhn) check digit for a body of ASCII digits, as an ASCII digit.
///
/// The caller guarantees `body` holds only `b'0'..=b'9'`.
#[inline]
pub fn mod10_check_digit(body: &[u8]) -> u8 {
    // digit sum of 2·d, for the doubled positions
    const DOUBLED: [u32; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    let mut sum = 0u32;
    // from the right, in pairs: doubled digit, then plain digit (no per-digit branch)
    let mut pairs = body.rchunks_exact(2);
    for p in &mut pairs {
        sum += DOUBLED[usize::from(p[1].wrapping_sub(b'0')).min(9)] + u32::from(p[0].wrapping_sub(b'0'));
    }
    if let [d] = pairs.remainder() {
        sum += DOUBLED[usize::from(d.wrapping_sub(b'0')).min(9)];
    }
    mod10_char(sum)
}

/// The MOD10 check digit for a weighted sum.
fn mod10_char(sum: u32) -> u8 {
    // sum % 10 < 10, so the narrowing is exact.
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// The MOD11 check character for a weighted sum: a remainder of 1 gives `-`.
fn mod11_char(sum: u32) -> u8 {
    // by remainder: 0 gives 0, 1 gives '-', r gives 11 - r (a table, with no branch)
    const BY_REMAINDER: &[u8; 11] = b"0-987654321";
    BY_REMAINDER[(sum % 11) as usize]
}

/// MOD11 check character for a body of ASCII digits: `b'0'..=b'9'`, or `b'-'` when the
/// remainder is 1.
#[inline]
pub fn mod11_check_char(body: &[u8]) -> u8 {
    const W: [u32; 6] = [2, 3, 4, 5, 6, 7];
    let mut sum = 0u32;
    // weights 2,3,4,5,6,7 repeating from the right
    for (&b, &w) in body.iter().rev().zip(W.iter().cycle()) {
        sum += u32::from(b.wrapping_sub(b'0')) * w;
    }
    mod11_char(sum)
}

/// Checks the shape of `kid`: 2–25 characters, digits, and (when `dash_allowed`) a final `-`.
pub fn check_kid_shape(kid: &str, dash_allowed: bool) -> Result<(), KidShapeError> {
    let bytes = kid.as_bytes();
    let Some((&last_byte, body)) = bytes.split_last() else { return Err(KidShapeError::Empty) };
    let last_ok = last_byte.is_ascii_digit() || (last_byte == b'-' && dash_allowed && !body.is_empty());
    if !(crate::encoding::is_all_digits(body) && last_ok) {
        // slow path, only for the message: the offending character and its position
        let last = bytes.len() - 1;
        let i = bytes
            .iter()
            .enumerate()
            .position(|(i, &b)| !(b.is_ascii_digit() || (b == b'-' && i == last && dash_allowed && last > 0)))
            .unwrap_or(last);
        let position = kid[..i].chars().count() + 1;
        let found = kid[i..].chars().next().unwrap_or('?');
        return Err(KidShapeError::NotDigit { position, found, dash_allowed });
    }
    let len = bytes.len();
    if !(KID_MIN_LEN..=KID_MAX_LEN).contains(&len) {
        return Err(KidShapeError::Length { len, min: KID_MIN_LEN, max: KID_MAX_LEN });
    }
    Ok(())
}

/// Checks a KID: its shape first (a final `-` allowed), then both check-digit rules.
///
/// ```
/// use kidkit_core::check_kid;
/// assert_eq!(check_kid("123456782").unwrap().rules(), "mod10");
/// assert_eq!(check_kid("123456785").unwrap().rules(), "mod11");
/// assert_eq!(check_kid("104-").unwrap().rules(), "mod11");
/// ```
pub fn check_kid(kid: &str) -> Result<KidVerdict, KidShapeError> {
    check_kid_shape(kid, true)?;
    Ok(kid_verdict(kid.as_bytes()))
}

/// The verdict for a KID whose shape is already known to be right (digits, optional final `-`,
/// 2–25 characters). Both rules are computed in one pass over the body.
pub fn kid_verdict(kid: &[u8]) -> KidVerdict {
    // digit sum of 2·d, for the Luhn positions
    const DOUBLED: [u32; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
    const W11: [u32; 6] = [2, 3, 4, 5, 6, 7];
    // an empty KID (which the shape check rejects first) holds neither rule
    let Some((&found, body)) = kid.split_last() else {
        return KidVerdict { found: b' ', mod10_expected: b'0', mod11_expected: b'0' };
    };
    let (mut s10, mut s11) = (0u32, 0u32);
    for (i, &b) in body.iter().rev().enumerate() {
        let d = u32::from(b.wrapping_sub(b'0')).min(9);
        s10 += if i % 2 == 0 { DOUBLED[d as usize] } else { d };
        s11 += d * W11[i % 6];
    }
    KidVerdict { found, mod10_expected: mod10_char(s10), mod11_expected: mod11_char(s11) }
}

/// Whether a well-shaped KID satisfies either rule; MOD10 is tried first, so the common case
/// costs one pass.
#[inline]
pub fn kid_holds(kid: &[u8]) -> bool {
    let Some((&found, body)) = kid.split_last() else { return false };
    mod10_check_digit(body) == found || mod11_check_char(body) == found
}

/// What the KID field of a Nets record holds: 25 bytes, right-aligned, blank-filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldKid {
    /// How many digits the KID has (0 when the field is blank).
    pub digits: usize,
    /// The digits satisfy MOD10 or MOD11 (never for a blank field).
    pub holds: bool,
}

/// Reads a KID field of a Nets record in one pass: `None` when it is not blanks followed by
/// digits, else how many digits it holds and whether they satisfy either check-digit rule.
///
/// Every record with a KID passes through here, and KIDs of every length come mixed in a file,
/// so it works on the 24 body bytes as three 64-bit words, with no loop and no branch that
/// depends on the KID's length: blanks count as zeros, which add nothing to either sum.
///
/// ```
/// use kidkit_core::{FieldKid, scan_field};
/// assert_eq!(scan_field(b"                123456782"), Some(FieldKid { digits: 9, holds: true }));
/// assert_eq!(scan_field(b"                123456783"), Some(FieldKid { digits: 9, holds: false }));
/// assert_eq!(scan_field(b"                1234 6782"), None);
/// assert_eq!(scan_field(b"                         "), Some(FieldKid { digits: 0, holds: false }));
/// ```
pub fn scan_field(field: &[u8; KID_MAX_LEN]) -> Option<FieldKid> {
    let (body, &[found]) = field.split_first_chunk::<24>()? else { return None };
    let mut words = [0u64; 3];
    for (w, bytes) in words.iter_mut().zip(body.chunks_exact(8)) {
        *w = u64::from_le_bytes(bytes.try_into().ok()?);
    }
    // the bytes that are not digits, one bit each: they must be a run from the left (a mask
    // 2^n - 1), and every one of them a blank
    let mut others = u32::from(!found.is_ascii_digit()) << 24;
    let mut non_blank = u64::from(!found.is_ascii_digit() && found != b' ');
    for (k, &w) in words.iter().enumerate() {
        let flags = swar::not_digits(w);
        others |= swar::byte_flags(flags) << (8 * k);
        non_blank |= (w ^ (swar::ONES * u64::from(b' '))) & swar::whole_bytes(flags);
    }
    if others & others.wrapping_add(1) != 0 || non_blank != 0 {
        return None;
    }
    let digits = KID_MAX_LEN - others.wrapping_add(1).trailing_zeros() as usize;
    // digit values, a blank counting as 0 (0x20 & 0x0F)
    let values = words.map(|w| w & (swar::ONES * 0x0F));
    let mod11 = || values.iter().zip(W11_KEYS).map(|(&v, keys)| swar::dot(v, keys)).sum::<u32>();
    let holds = digits > 0 && (found == mod10_char(swar::luhn_sum(values)) || found == mod11_char(mod11()));
    Some(FieldKid { digits, holds })
}

/// The MOD11 weights of the 24 body columns of a KID field (2, 3, 4, 5, 6, 7 repeating from the
/// right) as multipliers for [`swar::dot`], one pair per word of eight columns.
const W11_KEYS: [(u64, u64); 3] = {
    let mut keys = [(0u64, 0u64); 3];
    let mut k = 0;
    while k < 3 {
        keys[k] = swar::reversed(k * 8);
        k += 1;
    }
    keys
};

/// Eight bytes at a time in a `u64` (least significant byte first), without carries between
/// bytes.
mod swar {
    /// `0x01` in every byte.
    pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = ONES * 0x7F;
    const HIGH: u64 = ONES * 0x80;
    /// Bytes 1, 3, 5 and 7: the columns a Luhn sum doubles (an even count from the right end
    /// of the 24-column body).
    const ODD: u64 = 0xFF00_FF00_FF00_FF00;

    /// The high bit of each byte of `w` that is not an ASCII digit.
    pub(super) fn not_digits(w: u64) -> u64 {
        let y = w ^ (ONES * u64::from(b'0'));
        (((y & LOW7) + ONES * 0x76) | y) & HIGH
    }

    /// The high bits of `m` as eight bits, bit `j` for byte `j`.
    pub(super) fn byte_flags(m: u64) -> u32 {
        // each byte's bit lands at 56 + j, and no two partial products meet
        (((m >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32
    }

    /// Sum of the bytes (below 256 in all).
    fn byte_sum(v: u64) -> u32 {
        (v.wrapping_mul(ONES) >> 56) as u32
    }

    /// Every byte whose high bit is set in `m` as a whole byte of ones.
    pub(super) fn whole_bytes(m: u64) -> u64 {
        (m >> 7).wrapping_mul(0xFF)
    }

    /// The Luhn sum of the 24 digit values 0-9 of a KID body: the odd bytes doubled, with the
    /// digits of a product above 9 added (2·d - 9 for d ≥ 5). The three words are added
    /// bytewise first (at most 27 a byte, 216 a sum).
    pub(super) fn luhn_sum(values: [u64; 3]) -> u32 {
        let all = values[0] + values[1] + values[2];
        let fives = values.iter().map(|&v| ((v + ONES * 3) >> 3) & ONES).sum::<u64>() & ODD;
        byte_sum(all) + byte_sum(all & ODD) - 9 * byte_sum(fives)
    }

    /// The weights of columns `first`, `first + 2`, … `first + 6` of a 24-column body and of
    /// `first + 1` … `first + 7`, in reverse in 16-bit lanes: the multipliers of [`dot`].
    pub(super) const fn reversed(first: usize) -> (u64, u64) {
        let (mut even, mut odd) = (0u64, 0u64);
        let mut m = 0;
        while m < 4 {
            let col = first + 2 * (3 - m);
            even |= (2 + ((23 - col) % 6) as u64) << (16 * m);
            odd |= (2 + ((23 - (col + 1)) % 6) as u64) << (16 * m);
            m += 1;
        }
        (even, odd)
    }

    /// Σ v[j] · w[j] for eight digit values 0-9 and weights up to 7 (given by [`reversed`]):
    /// the even and the odd bytes spread into 16-bit lanes, each multiplied by its weights in
    /// reverse, so that the top lane collects the dot product (no lane exceeds 4 · 63).
    pub(super) fn dot(v: u64, (even_keys, odd_keys): (u64, u64)) -> u32 {
        const LANES: u64 = 0x00FF_00FF_00FF_00FF;
        let (even, odd) = (v & LANES, (v >> 8) & LANES);
        ((even.wrapping_mul(even_keys) >> 48) + (odd.wrapping_mul(odd_keys) >> 48)) as u32
    }
}

/// The check character to append to `body` (1–24 digits) under `rule`.
///
/// ```
/// use kidkit_core::{make_check_char, KidRule};
/// assert_eq!(make_check_char("12345678", KidRule::Mod10), Ok(b'2'));
/// assert_eq!(make_check_char("104", KidRule::Mod11), Ok(b'-'));
/// ```
pub fn make_check_char(body: &str, rule: KidRule) -> Result<u8, KidShapeError> {
    if body.is_empty() {
        return Err(KidShapeError::Empty);
    }
    if let Some((i, ch)) = body.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        let position = body[..i].chars().count() + 1;
        return Err(KidShapeError::NotDigit { position, found: ch, dash_allowed: false });
    }
    if body.len() > KID_MAX_LEN - 1 {
        return Err(KidShapeError::Length { len: body.len(), min: KID_MIN_LEN - 1, max: KID_MAX_LEN - 1 });
    }
    Ok(match rule {
        KidRule::Mod10 => mod10_check_digit(body.as_bytes()),
        KidRule::Mod11 => mod11_check_char(body.as_bytes()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_empty_kid_holds_no_rule_and_does_not_panic() {
        assert!(!kid_holds(b""));
        assert!(!kid_verdict(b"").is_valid());
    }

    #[test]
    fn the_problem_names_the_found_and_expected_check_characters() {
        assert_eq!(
            kid_verdict(b"0000501001").problem("0000501001"),
            "KID '0000501001' fails both check-digit rules: check digit 1, MOD10 calls for 7, MOD11 for -"
        );
    }

    #[test]
    fn spec_worked_examples() {
        assert_eq!(mod10_check_digit(b"12345678"), b'2');
        assert_eq!(mod11_check_char(b"12345678"), b'5');
        assert_eq!(mod11_check_char(b"104"), b'-');
        let v = check_kid("123456782").unwrap();
        assert!(v.mod10() && !v.mod11());
        assert_eq!(check_kid("123456785").unwrap().rules(), "mod11");
        assert_eq!(check_kid("104-").unwrap().rules(), "mod11");
    }

    #[test]
    fn holds_agrees_with_verdict() {
        for kid in ["123456782", "123456785", "104-", "123456789", "00", "18", "19"] {
            assert_eq!(kid_holds(kid.as_bytes()), kid_verdict(kid.as_bytes()).is_valid(), "{kid}");
        }
    }

    #[test]
    fn remainder_zero_gives_zero() {
        // 0 * anything = 0, so body "0" has remainder 0 under both rules.
        assert_eq!(mod11_check_char(b"0"), b'0');
        assert_eq!(mod10_check_digit(b"0"), b'0');
        assert_eq!(check_kid("00").unwrap().rules(), "both");
    }

    #[test]
    fn both_and_none() {
        // body 1: MOD10 -> 8 (2 -> 10-2); MOD11 -> 2*1=2, 11-2=9
        assert_eq!(check_kid("18").unwrap().rules(), "mod10");
        assert_eq!(check_kid("19").unwrap().rules(), "mod11");
        let none = check_kid("123456789").unwrap();
        assert_eq!(none.rules(), "none");
        assert_eq!(none.mod10_expected, b'2');
        assert_eq!(none.mod11_expected, b'5');
    }

    #[test]
    fn known_sample_kids() {
        // The MOD10 KID of the settlement spec's example.
        assert_eq!(check_kid("0000345009").unwrap().rules(), "mod10");
    }

    #[test]
    fn shape_errors() {
        assert_eq!(check_kid(""), Err(KidShapeError::Empty));
        assert_eq!(check_kid("1"), Err(KidShapeError::Length { len: 1, min: 2, max: 25 }));
        assert_eq!(check_kid(&"1".repeat(26)), Err(KidShapeError::Length { len: 26, min: 2, max: 25 }));
        assert_eq!(check_kid("12a4"), Err(KidShapeError::NotDigit { position: 3, found: 'a', dash_allowed: true }));
        assert_eq!(check_kid("1-4"), Err(KidShapeError::NotDigit { position: 2, found: '-', dash_allowed: true }));
        assert_eq!(check_kid("-"), Err(KidShapeError::NotDigit { position: 1, found: '-', dash_allowed: true }));
        assert_eq!(check_kid("ø12"), Err(KidShapeError::NotDigit { position: 1, found: 'ø', dash_allowed: true }));
        assert!(check_kid_shape("104-", false).is_err());
        assert_eq!(check_kid(&"9".repeat(10_000)), Err(KidShapeError::Length { len: 10_000, min: 2, max: 25 }));
    }

    #[test]
    fn make_rejects_bad_bodies() {
        assert_eq!(make_check_char("", KidRule::Mod10), Err(KidShapeError::Empty));
        assert!(matches!(
            make_check_char(&"1".repeat(25), KidRule::Mod11),
            Err(KidShapeError::Length { len: 25, min: 1, max: 24 })
        ));
        assert!(make_check_char("12-", KidRule::Mod11).is_err());
        // 24 ones: twelve products of 2 and twelve of 1 sum to 36, so the check digit is 4
        assert_eq!(make_check_char(&"1".repeat(24), KidRule::Mod10), Ok(b'4'));
    }

    #[test]
    fn long_bodies_keep_precision() {
        // A 24-digit body: an implementation that goes through a float would get this wrong.
        let body = "987654321098765432109876";
        let d = make_check_char(body, KidRule::Mod10).unwrap();
        let kid = format!("{body}{}", d as char);
        assert!(check_kid(&kid).unwrap().mod10());
    }

    proptest! {
        #[test]
        fn made_kid_always_checks(body in "[0-9]{1,24}", mod11 in any::<bool>()) {
            let rule = if mod11 { KidRule::Mod11 } else { KidRule::Mod10 };
            let c = make_check_char(&body, rule).unwrap();
            let kid = format!("{body}{}", c as char);
            let v = check_kid(&kid).unwrap();
            let holds = if mod11 { v.mod11() } else { v.mod10() };
            prop_assert!(holds);
        }

        #[test]
        fn single_digit_change_breaks_mod10(body in "[0-9]{1,24}", pos in any::<prop::sample::Index>(), delta in 1u8..10) {
            let c = mod10_check_digit(body.as_bytes());
            let mut kid = format!("{body}{}", c as char).into_bytes();
            let i = pos.index(kid.len());
            kid[i] = b'0' + (kid[i] - b'0' + delta) % 10;
            prop_assert!(!kid_verdict(&kid).mod10());
        }

        #[test]
        fn kid_fields_agree_with_the_kid(kid in "[0-9]{1,25}") {
            let field: [u8; KID_MAX_LEN] = format!("{kid:>25}").into_bytes().try_into().unwrap();
            let scan = scan_field(&field);
            let holds = kid_verdict(kid.as_bytes()).is_valid();
            prop_assert_eq!(scan, Some(FieldKid { digits: kid.len(), holds }));
        }

        #[test]
        fn misshapen_kid_fields_are_refused(kid in "[0-9 x]{25}") {
            let field: [u8; KID_MAX_LEN] = kid.clone().into_bytes().try_into().unwrap();
            let digits = kid.trim_start_matches(' ');
            let expected = digits.bytes().all(|b| b.is_ascii_digit()).then_some(digits.len());
            prop_assert_eq!(scan_field(&field).map(|k| k.digits), expected);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = check_kid(&s);
            let _ = make_check_char(&s, KidRule::Mod11);
        }
    }
}
