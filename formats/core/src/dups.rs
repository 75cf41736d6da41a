//! Finding keys that occur twice in constant memory: a first pass puts every key's hash into a
//! fixed-size Bloom filter (8 MiB). A key the filter may already hold becomes a candidate: a
//! true duplicate, or (rarely) a false positive. When there are candidates, a second pass over
//! the input looks at just those keys and reports only true duplicates.

use std::collections::HashSet;

const BITS: u64 = 1 << 26;
const PROBES: u64 = 4;

/// The first pass: a Bloom filter and the candidates it turned up.
pub struct BloomFilter {
    bits: Vec<u64>,
    size: u64,
    candidates: HashSet<u64>,
}

impl Default for BloomFilter {
    fn default() -> Self {
        BloomFilter::with_bits(BITS)
    }
}

impl BloomFilter {
    /// A filter of `bits` bits (a multiple of 64); the default is 2^26 (8 MiB).
    pub fn with_bits(bits: u64) -> Self {
        let bits = bits.max(64) / 64 * 64;
        BloomFilter { bits: vec![0; (bits / 64) as usize], size: bits, candidates: HashSet::new() }
    }

    /// Adds a key; remembers it as a candidate when the filter may have held it already. The
    /// filter is blocked: all probes of a key fall in one 512-bit block (one cache line).
    pub fn add(&mut self, hash: u64) {
        let blocks = (self.size / 512).max(1);
        let block = ((hash >> 32) % blocks) as usize * 8;
        let mut all = true;
        for i in 0..PROBES {
            let bit = (hash >> (i * 9)) & 511;
            let (word, mask) = (block + (bit / 64) as usize, 1u64 << (bit % 64));
            let word = word.min(self.bits.len() - 1);
            all &= self.bits[word] & mask != 0;
            self.bits[word] |= mask;
        }
        if all {
            self.candidates.insert(hash);
        }
    }

    /// The candidates, when a second pass is needed.
    pub fn into_probe(self) -> Option<BloomProbe> {
        (!self.candidates.is_empty()).then_some(BloomProbe { candidates: self.candidates })
    }
}

/// Keys that may occur twice; a second pass decides.
#[derive(Debug, Clone)]
pub struct BloomProbe {
    candidates: HashSet<u64>,
}

impl BloomProbe {
    /// How many candidate keys.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }
    /// No candidates.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
    /// `hash` may occur twice.
    pub fn contains(&self, hash: u64) -> bool {
        self.candidates.contains(&hash)
    }
}
