//! Deterministic data for kidkit's benchmarks and scale tests: the same seed always gives the
//! same bytes, so figures and known answers can be reproduced.

#![forbid(unsafe_code)]

use kidkit_core::ident::kid::{KidRule, make_check_char};

/// A small, fast, deterministic pseudo-random generator (`SplitMix64`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// `count` KIDs of `len` characters made with `rule` (MOD11 bodies whose check character would
/// be `-` are skipped), from `seed`.
pub fn kids(count: usize, len: usize, rule: KidRule, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let body: String = (0..len - 1).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
        if let Ok(c) = make_check_char(&body, rule) {
            if c != b'-' {
                out.push(format!("{body}{}", c as char));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kidkit_core::ident::kid::check_kid;

    #[test]
    fn deterministic_and_valid() {
        let a = kids(100, 12, KidRule::Mod11, 42);
        assert_eq!(a, kids(100, 12, KidRule::Mod11, 42));
        assert_ne!(a, kids(100, 12, KidRule::Mod11, 43));
        assert!(a.iter().all(|k| k.len() == 12 && check_kid(k).unwrap().mod11()));
    }
}
