//! The dialects a bundle is read from and written in, and what reading them shares: decoding,
//! lines, and the rules each dialect adds to the bundle rules.

use std::io::{self, Write};

use kidkit_core::{Diagnostic, Severity, TextEncoding, decode, encode, forbidden_byte_finding};

use crate::check::{Field, Located, Place, Rules, check};
use crate::model::{Bundle, Side};
pub use crate::reading::{Dialect, Options, Parsed};

impl Dialect {
    /// The dialect a file is, from its first bytes; `visma-global` has no header and is never
    /// detected.
    pub fn detect(head: &[u8]) -> Option<Dialect> {
        let head = head.strip_prefix(kidkit_core::BOM).unwrap_or(head);
        let first = head.split(|&b| b == b'\n').next().unwrap_or(b"");
        let first = first.strip_suffix(b"\r").unwrap_or(first);
        if first.starts_with(b"@IMPORT_METHOD") || first.starts_with(b"@FIRM_BEGIN") {
            return Some(Dialect::VismaBusiness);
        }
        if first == b"GBAT10" || first.starts_with(b"GBAT10;") {
            return Some(Dialect::Gbat10);
        }
        if first == crate::kidkit_csv::HEADER.join(";").as_bytes() {
            return Some(Dialect::KidkitCsv);
        }
        crate::saft::is_audit_file(head).then_some(Dialect::Saft)
    }

    /// The rules the dialect adds to the bundle rules.
    pub fn rules(self, opts: &Options) -> Rules {
        Rules {
            customer_range: (self == Dialect::VismaGlobal).then_some(opts.customer_range),
            // Mamut: "Bilagsart", numeric, at most 3 characters
            max_voucher_type: if self == Dialect::Gbat10 { 999 } else { u32::MAX },
            saft_lengths: self == Dialect::Saft,
            suppliers: matches!(self, Dialect::KidkitCsv | Dialect::VismaBusiness),
            vat_codes: self != Dialect::Saft,
            encoding: self.encoding(),
            line_breaks: self == Dialect::Saft,
            two_digit_years: self == Dialect::VismaGlobal,
            kid_check_digit: opts.kid_check_digit,
        }
    }

    /// What the dialect calls a field (for the amount, on `side`).
    pub fn field_names(self) -> fn(Field, Side) -> &'static str {
        match self {
            Dialect::KidkitCsv => crate::kidkit_csv::field_name,
            Dialect::VismaGlobal => crate::visma_global::field_name,
            Dialect::VismaBusiness => crate::visma_business::field_name,
            Dialect::Gbat10 => crate::gbat10::field_name,
            Dialect::Saft => crate::saft::field_name,
        }
    }
}

/// A checked bundle.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The bundle, when there are no errors.
    pub bundle: Option<Bundle>,
    /// Where each posting stands.
    pub places: Vec<Place>,
    /// Every finding, in line order.
    pub findings: Vec<Diagnostic>,
    /// Records read.
    pub records: u64,
}

/// Reads `bytes` as `dialect`, without the bundle rules.
pub fn parse(dialect: Dialect, bytes: &[u8], opts: &Options) -> Parsed {
    if dialect == Dialect::Saft {
        return crate::saft::read(bytes, opts);
    }
    let (text, mut findings) = decode_text(dialect, bytes);
    let mut parsed = match dialect {
        Dialect::KidkitCsv => crate::kidkit_csv::parse(&text),
        Dialect::VismaGlobal => crate::visma_global::parse(&text, opts),
        Dialect::VismaBusiness => crate::visma_business::parse(&text),
        _ => crate::gbat10::parse(&text, opts),
    };
    findings.append(&mut parsed.findings);
    parsed.findings = findings;
    parsed
}

/// Reads and checks `bytes` as `dialect`: the reader's findings and the bundle rules' (with the
/// dialect's own) for the postings that could be read, in line order. When a posting could not
/// be read, balances are not judged (a voucher missing a row would not balance for that reason
/// alone). The bundle is returned only when there are no errors.
pub fn validate(dialect: Dialect, bytes: &[u8], opts: &Options) -> Validated {
    let Parsed { bundle, places, mut findings, records, unreadable } = parse(dialect, bytes, opts);
    if !unreadable {
        let rows_lost = findings.iter().any(|d| d.severity == Severity::Error);
        let at = Located { places: &places, names: dialect.field_names() };
        let rules = dialect.rules(opts);
        findings.extend(check(&bundle, &rules, at).into_iter().filter(|d| !(rows_lost && d.code == "LED001")));
    }
    findings.sort_by_key(|d| (d.line, d.column));
    let ok = !unreadable && findings.iter().all(|d| d.severity != Severity::Error);
    Validated { bundle: ok.then_some(bundle), places, findings, records }
}

/// Findings that stop `bundle` (read from a file placed by `at`, or made in memory) from being
/// written as `dialect`: the bundle rules with the target dialect's own.
pub fn fit(bundle: &Bundle, dialect: Dialect, opts: &Options, at: Located<'_>) -> Vec<Diagnostic> {
    check(bundle, &dialect.rules(opts), at)
}

/// Writes `bundle` as `dialect`. Check it with [`fit`] first: a value the dialect cannot hold
/// is an `InvalidData` error here.
pub fn write(dialect: Dialect, bundle: &Bundle, opts: &Options, mut out: impl Write) -> io::Result<()> {
    let text = match dialect {
        Dialect::KidkitCsv => crate::kidkit_csv::to_string(bundle),
        Dialect::VismaGlobal => crate::visma_global::to_string(bundle),
        Dialect::VismaBusiness => crate::visma_business::to_string(bundle),
        Dialect::Gbat10 => crate::gbat10::to_string(bundle, opts),
        Dialect::Saft => crate::saft::to_string(bundle, opts)?,
    };
    let bytes = encode(&text, dialect.encoding()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    out.write_all(&bytes)
}

/// Decodes a line-based dialect: UTF-8 when the bytes are valid UTF-8, else Windows-1252.
/// Findings: bytes no text should hold (`IO002`), and (warnings, `IO001`) an encoding or line
/// ending other than the dialect's, which a rewrite changes.
fn decode_text(dialect: Dialect, bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(kidkit_core::BOM).unwrap_or(bytes);
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let encoding = if utf8 { TextEncoding::Utf8 } else { TextEncoding::Windows1252 };
    let mut findings = Vec::new();
    let mut ending_noted = false;
    let line_count = bytes.split(|&b| b == b'\n').count();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i as u64 + 1;
        let (line, cr) = line.strip_suffix(b"\r").map_or((line, false), |l| (l, true));
        if let Some(d) = forbidden_byte_finding(line, encoding, n) {
            findings.push(d);
        }
        let last = i + 1 == line_count;
        if !last && !ending_noted && cr != dialect.crlf() {
            ending_noted = true;
            let (want, found) = if dialect.crlf() { ("CRLF", "LF") } else { ("LF", "CRLF") };
            findings.push(
                Diagnostic::warning(
                    "IO001",
                    n,
                    1,
                    format!("line ending: {dialect} lines end in {want}, found {found}; a rewrite uses {want}"),
                )
                .field("line ending"),
            );
        }
    }
    if !bytes.is_ascii() && (utf8 != (dialect.encoding() == TextEncoding::Utf8)) {
        let found = if utf8 { "UTF-8" } else { "an 8-bit encoding (read as Windows-1252)" };
        findings.push(
            Diagnostic::warning(
                "IO001",
                1,
                1,
                format!(
                    "encoding: {dialect} is {}, found {found}; a rewrite uses {}",
                    dialect.encoding(),
                    dialect.encoding()
                ),
            )
            .field("encoding"),
        );
    }
    (decode(bytes, encoding).into_owned(), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_dialects_by_their_first_line() {
        assert_eq!(Dialect::detect(b"@IMPORT_METHOD(3)\r\n"), Some(Dialect::VismaBusiness));
        assert_eq!(Dialect::detect(b"GBAT10;1;20261102"), Some(Dialect::Gbat10));
        assert_eq!(Dialect::detect(crate::kidkit_csv::HEADER.join(";").as_bytes()), Some(Dialect::KidkitCsv));
        assert_eq!(Dialect::detect(b"<?xml version=\"1.0\"?>\n<AuditFile xmlns=\"x\">"), Some(Dialect::Saft));
        assert_eq!(Dialect::detect(b"1,021126,1,021126"), None);
    }

    #[test]
    fn lines_are_numbered_without_endings() {
        let v: Vec<(u64, &str)> = crate::delimited::lines_of("a\r\nb\n\nc").collect();
        assert_eq!(v, [(1, "a"), (2, "b"), (3, ""), (4, "c")]);
        assert_eq!(crate::delimited::lines_of("a\n").count(), 1);
        assert_eq!(crate::delimited::lines_of("").count(), 0);
    }

    #[test]
    fn foreign_line_endings_and_encodings_are_warned() {
        let (text, found) = decode_text(Dialect::Gbat10, "GBAT10;ø\nGBAT10\n".as_bytes());
        assert_eq!(text, "GBAT10;ø\nGBAT10\n");
        let codes: Vec<(&str, &str)> = found.iter().map(|d| (d.code, d.field.as_deref().unwrap_or(""))).collect();
        assert_eq!(codes, [("IO001", "line ending"), ("IO001", "encoding")]);
        let (text, found) = decode_text(Dialect::Gbat10, b"GBAT10;\xF8\r\n");
        assert_eq!((text.as_str(), found.len()), ("GBAT10;ø\r\n", 0));
    }
}
