//! Columns of rows by name. Every value of a row is looked up by its column's name, a few dozen
//! times a row; the standard map's hasher (`SipHash`) costs more than the lookup is worth for
//! short names that come from a header, not from an adversary choosing collisions.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Column name → its index in the row.
pub type Columns<'a> = HashMap<&'a str, usize, BuildHasherDefault<NameHasher>>;

/// FNV-1a over the name's bytes: a few instructions a byte.
#[derive(Debug, Clone, Copy)]
pub struct NameHasher(u64);

impl Default for NameHasher {
    fn default() -> Self {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The columns of a header row, by name.
pub fn columns_of<'a>(header: &[&'a str]) -> Columns<'a> {
    header.iter().enumerate().map(|(i, c)| (*c, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_column_by_name() {
        let header = ["line", "kid", "amount", "amount_ore"];
        let cols = columns_of(&header);
        for (i, name) in header.iter().enumerate() {
            assert_eq!(cols.get(name), Some(&i));
        }
        assert_eq!(cols.get("text"), None);
    }
}
