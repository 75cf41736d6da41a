//! Duplicate case references and invoice numbers in constant memory ([`kidkit_core::dups`]): the
//! second pass collects the real occurrences of the candidate keys, and only true duplicates are
//! reported, each with the line of its first use.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{self, Read};

pub use kidkit_core::{BloomFilter, BloomProbe};
use kidkit_core::{Diagnostic, EncodingSniffer, LineReader, TextEncoding, decode};

/// Which kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A case reference ('Referanse', record 10).
    CaseRef,
    /// An invoice number ('Faktura/ref.nummer', record 20).
    InvoiceNo,
}

/// The 64-bit hash of a key of a kind.
pub fn key_hash(kind: KeyKind, value: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    kind.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// Reads the input again and reports every use of a candidate key after its first.
pub fn resolve(input: impl Read, probe: &BloomProbe) -> io::Result<Vec<Diagnostic>> {
    let mut reader = LineReader::new(input, crate::layout::RECORD_LEN * 4 + 8);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut out = Vec::new();
    let mut case_ref = String::new();
    let mut case_line = 0;
    while let Some(line) = reader.next_line()? {
        let enc = sniffer.observe(line.bytes).encoding;
        let text = decode(line.bytes, enc);
        let kind = match text.get(..2) {
            Some("10") => KeyKind::CaseRef,
            Some("20") => KeyKind::InvoiceNo,
            _ => continue,
        };
        let value: String = crate::layout::unpad(&text.chars().skip(2).take(20).collect::<String>()).to_owned();
        if kind == KeyKind::CaseRef {
            case_ref.clone_from(&value);
            case_line = line.number;
        }
        if value.is_empty() {
            continue;
        }
        let hash = key_hash(kind, &value);
        if !probe.contains(hash) {
            continue;
        }
        match seen.get(&hash) {
            None => {
                seen.insert(hash, line.number);
            }
            Some(&first) => {
                let (code, field, message) = match kind {
                    KeyKind::CaseRef => (
                        "UPL023",
                        "case_ref",
                        format!(
                            "case '{value}': case reference ('Referanse') '{value}' is used twice: first on line {first}"
                        ),
                    ),
                    KeyKind::InvoiceNo => (
                        "UPL024",
                        "invoice_no",
                        format!(
                            "case '{case_ref}', claim '{value}': invoice number ('Faktura/ref.nummer') '{value}' is used twice: first on line {first}"
                        ),
                    ),
                };
                out.push(
                    Diagnostic::error(code, line.number, 3, message)
                        .width(20)
                        .field(field)
                        .group(crate::layout::case_group(&case_ref, case_line)),
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(refs: &[&str]) -> String {
        refs.iter().flat_map(|r| [format!("10{r:<20}\r\n"), format!("20INV-{r:<16}\r\n")]).collect()
    }

    #[test]
    fn false_positives_are_never_reported() {
        let refs: Vec<String> = (0..300).map(|i| format!("R{i}")).collect();
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        // a tiny filter: most keys look seen already
        let mut f = BloomFilter::with_bits(256);
        for r in &refs {
            f.add(key_hash(KeyKind::CaseRef, r));
            f.add(key_hash(KeyKind::InvoiceNo, &format!("INV-{r}")));
        }
        let probe = f.into_probe().expect("a 256-bit filter turns up candidates");
        assert!(probe.len() > 100, "{}", probe.len());
        let found = resolve(upload(&refs).as_bytes(), &probe).unwrap();
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn true_duplicates_are_reported_with_the_first_line() {
        let mut f = BloomFilter::with_bits(1 << 20);
        for r in ["A", "B", "A"] {
            f.add(key_hash(KeyKind::CaseRef, r));
        }
        let probe = f.into_probe().unwrap();
        let found = resolve(upload(&["A", "B", "A"]).as_bytes(), &probe).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].line), ("UPL023", 5));
        assert!(found[0].message.contains("first on line 1"), "{}", found[0].message);
    }
}
