//! Text encodings of bank and agency files: reading UTF-8, ISO-8859-1 and Windows-1252, and
//! writing each format's own encoding without ever substituting a character.
//!
//! Valid UTF-8 is read as UTF-8; anything else as Windows-1252 (which agrees with ISO-8859-1 on
//! every printable character). `encoding_rs` treats the label "iso-8859-1" as Windows-1252, so true
//! Latin-1 output is written here: characters above U+00FF and the C1 range U+0080–U+009F are
//! refused.

use std::borrow::Cow;
use std::fmt;

use encoding_rs::WINDOWS_1252;

/// An encoding kidkit reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TextEncoding {
    /// UTF-8.
    #[serde(rename = "utf-8")]
    Utf8,
    /// ISO-8859-1 (Latin-1).
    #[serde(rename = "iso-8859-1")]
    Latin1,
    /// Windows-1252.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    /// The encoding once a byte 0x80-0x9F was seen in an 8-bit file: those bytes are
    /// control characters in ISO-8859-1, so the file is Windows-1252.
    #[must_use]
    pub fn with_c1(self) -> Self {
        if self == TextEncoding::Latin1 { TextEncoding::Windows1252 } else { self }
    }

    /// The label used in JSON and messages.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Latin1 => "iso-8859-1",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Parses a label (case-insensitive; `latin1` and `cp1252` accepted).
    pub fn from_label(label: &str) -> Option<Self> {
        match label.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "iso-8859-1" | "latin1" | "latin-1" => Some(TextEncoding::Latin1),
            "windows-1252" | "cp1252" => Some(TextEncoding::Windows1252),
            _ => None,
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decides a file's encoding from its lines as they come.
///
/// The first line holding a non-ASCII byte decides between UTF-8 (valid UTF-8) and an 8-bit
/// encoding; an 8-bit file is labelled Windows-1252 once any byte 0x80–0x9F appears, else
/// ISO-8859-1. A file with only ASCII keeps `default`.
#[derive(Debug, Clone, Copy)]
pub struct EncodingSniffer {
    decided: Option<TextEncoding>,
    default: TextEncoding,
}

impl EncodingSniffer {
    /// A sniffer that reports `default` until a non-ASCII byte is seen.
    pub fn new(default: TextEncoding) -> Self {
        EncodingSniffer { decided: None, default }
    }

    /// Looks at one line (or any run of whole lines) and returns the encoding to decode it with.
    /// A later line that is not valid UTF-8 in a file decided as UTF-8 is decoded as
    /// Windows-1252, and `mixed` is set in the result.
    pub fn observe(&mut self, bytes: &[u8]) -> Observed {
        if bytes.is_ascii() {
            return Observed { encoding: self.current(), mixed: false };
        }
        let utf8 = std::str::from_utf8(bytes).is_ok();
        let c1 = bytes.iter().any(|b| (0x80..=0x9F).contains(b));
        match self.decided {
            None => {
                let e = if utf8 {
                    TextEncoding::Utf8
                } else if c1 {
                    TextEncoding::Windows1252
                } else {
                    TextEncoding::Latin1
                };
                self.decided = Some(e);
                Observed { encoding: e, mixed: false }
            }
            Some(TextEncoding::Utf8) if utf8 => Observed { encoding: TextEncoding::Utf8, mixed: false },
            Some(TextEncoding::Utf8) => Observed { encoding: TextEncoding::Windows1252, mixed: true },
            Some(_) => {
                if c1 {
                    self.decided = Some(TextEncoding::Windows1252);
                }
                Observed { encoding: self.current(), mixed: false }
            }
        }
    }

    /// The encoding decided so far (the default while everything was ASCII).
    pub fn current(&self) -> TextEncoding {
        self.decided.unwrap_or(self.default)
    }

    /// Whether a non-ASCII byte has been seen.
    pub fn is_decided(&self) -> bool {
        self.decided.is_some()
    }
}

/// What [`EncodingSniffer::observe`] found for one piece of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    /// Decode the piece with this.
    pub encoding: TextEncoding,
    /// The piece disagrees with the file's encoding (UTF-8 file, non-UTF-8 line).
    pub mixed: bool,
}

/// Decodes bytes in `encoding`. ASCII and UTF-8 input is borrowed; 8-bit input is decoded as
/// Windows-1252. Invalid UTF-8 (which `EncodingSniffer` never hands out as UTF-8) is decoded
/// lossily rather than panicking.
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is valid UTF-8.
        return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default());
    }
    match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(bytes),
        TextEncoding::Latin1 | TextEncoding::Windows1252 => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Whether `c` may stand in a record: every character but the control characters (C0 with tab
/// and CR, DEL, and C1). The one rule the validators (through [`find_forbidden_byte`]) and the
/// writers apply.
pub fn is_record_char(c: char) -> bool {
    !c.is_control()
}

/// The first byte of a line (without its ending) that decodes to a character
/// [`is_record_char`] refuses: a C0 control (tab and CR included), DEL, a C1 control written
/// in UTF-8, or a byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D). Returns the
/// 0-based index and the byte.
pub fn find_forbidden_byte(bytes: &[u8], encoding: TextEncoding) -> Option<(usize, u8)> {
    if is_printable_ascii(bytes) {
        return None;
    }
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let bad = match b {
            0x00..=0x1F | 0x7F => true,
            // a C1 control in UTF-8 is 0xC2 then 0x80-0x9F; reported at its first byte
            0xC2 => encoding == TextEncoding::Utf8 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
            0x81 | 0x8D | 0x8F | 0x90 | 0x9D => encoding != TextEncoding::Utf8,
            _ => false,
        };
        bad.then_some((i, b))
    })
}

/// Every byte is printable ASCII (0x20–0x7E). Written without an early exit so that it
/// vectorises: the common case for Nets records.
#[inline]
pub fn is_printable_ascii(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5F))
}

/// Every byte is an ASCII digit (no early exit, so that it vectorises).
#[inline]
pub fn is_all_digits(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| ok & (b.wrapping_sub(b'0') < 10))
}

/// The `IO002` finding for a line holding a byte no text should hold, if it does.
pub fn forbidden_byte_finding(bytes: &[u8], encoding: TextEncoding, line: u64) -> Option<crate::Diagnostic> {
    let (i, b) = find_forbidden_byte(bytes, encoding)?;
    let column = i + 1;
    Some(
        crate::Diagnostic::error(
            "IO002",
            line,
            column as u32,
            format!(
                "byte 0x{b:02X} at column {column} is not text (a control character or a byte no encoding defines)"
            ),
        )
        .field("record"),
    )
}

/// The `IO001` warning for a line read in another encoding than the file's (a UTF-8 file with a
/// line that is not valid UTF-8, read as Windows-1252): the file is not canonical.
pub fn mixed_encoding_finding(line: u64) -> crate::Diagnostic {
    crate::Diagnostic::warning(
        "IO001",
        line,
        1,
        "line is not valid UTF-8 although earlier lines were; read as Windows-1252 (mixed encodings)",
    )
    .field("encoding")
}

/// A character the target encoding cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("character {ch:?} (U+{code:04X}) at position {position} cannot be written in {encoding}", code = u32::from(*ch))]
pub struct Unrepresentable {
    /// The character.
    pub ch: char,
    /// 1-based character position in the text.
    pub position: usize,
    /// The target encoding.
    pub encoding: TextEncoding,
}

/// Finds the first character of `text` that `encoding` cannot hold.
pub fn find_unrepresentable(text: &str, encoding: TextEncoding) -> Option<Unrepresentable> {
    if text.is_ascii() || encoding == TextEncoding::Utf8 {
        return None;
    }
    text.chars().enumerate().find_map(|(i, ch)| {
        let ok = match encoding {
            TextEncoding::Utf8 => true,
            TextEncoding::Latin1 => (ch as u32) < 0x80 || (0xA0..=0xFF).contains(&(ch as u32)),
            TextEncoding::Windows1252 => {
                let mut buf = [0u8; 4];
                let s = ch.encode_utf8(&mut buf);
                let (_, _, had_errors) = WINDOWS_1252.encode(s);
                !had_errors && !matches!(ch as u32, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
            }
        };
        (!ok).then_some(Unrepresentable { ch, position: i + 1, encoding })
    })
}

/// Encodes `text`; refuses (never replaces) a character the encoding cannot hold.
///
/// ```
/// use kidkit_core::{encode, TextEncoding};
/// assert_eq!(&*encode("Søknad", TextEncoding::Latin1).unwrap(), b"S\xF8knad");
/// assert!(encode("€", TextEncoding::Latin1).is_err());
/// assert_eq!(&*encode("€", TextEncoding::Windows1252).unwrap(), b"\x80");
/// ```
pub fn encode(text: &str, encoding: TextEncoding) -> Result<Cow<'_, [u8]>, Unrepresentable> {
    if text.is_ascii() || encoding == TextEncoding::Utf8 {
        return Ok(Cow::Borrowed(text.as_bytes()));
    }
    if let Some(e) = find_unrepresentable(text, encoding) {
        return Err(e);
    }
    Ok(match encoding {
        // every char is < U+0100 here, so the narrowing is exact
        TextEncoding::Latin1 => Cow::Owned(text.chars().map(|c| c as u32 as u8).collect()),
        _ => Cow::Owned(WINDOWS_1252.encode(text).0.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_byte_check_refuses_exactly_what_the_writers_refuse(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
            picked in 0..3usize,
        ) {
            let encoding = [TextEncoding::Utf8, TextEncoding::Latin1, TextEncoding::Windows1252][picked];
            let bytes: Vec<u8> = bytes.into_iter().filter(|&b| b != b'\n').collect();
            // the sniffer never reads bytes that are not UTF-8 as UTF-8
            proptest::prop_assume!(encoding != TextEncoding::Utf8 || std::str::from_utf8(&bytes).is_ok());
            let refused = decode(&bytes, encoding).chars().any(|c| !is_record_char(c));
            proptest::prop_assert_eq!(find_forbidden_byte(&bytes, encoding).is_some(), refused);
        }
    }

    #[test]
    fn control_characters_are_refused_in_every_encoding() {
        for (bytes, encoding) in [
            (&b"a\tb"[..], TextEncoding::Latin1),
            (b"a\rb", TextEncoding::Utf8),
            ("a\u{85}b".as_bytes(), TextEncoding::Utf8),
            (b"a\x9Db", TextEncoding::Windows1252),
        ] {
            assert_eq!(find_forbidden_byte(bytes, encoding).map(|(i, _)| i), Some(1), "{bytes:?}");
        }
        assert_eq!(find_forbidden_byte("a€b".as_bytes(), TextEncoding::Utf8), None);
        assert_eq!(find_forbidden_byte(b"a\x80b", TextEncoding::Windows1252), None, "0x80 is the euro sign");
    }

    #[test]
    fn sniffs_utf8_latin1_and_cp1252() {
        let mut s = EncodingSniffer::new(TextEncoding::Latin1);
        assert_eq!(s.observe(b"plain").encoding, TextEncoding::Latin1);
        assert!(!s.is_decided());
        assert_eq!(s.observe("Søren".as_bytes()).encoding, TextEncoding::Utf8);
        let o = s.observe(b"S\xF8ren");
        assert_eq!((o.encoding, o.mixed), (TextEncoding::Windows1252, true));

        let mut s = EncodingSniffer::new(TextEncoding::Utf8);
        assert_eq!(s.observe(b"S\xF8ren").encoding, TextEncoding::Latin1);
        assert_eq!(s.observe(b"\x80 euro").encoding, TextEncoding::Windows1252);
        assert_eq!(s.current(), TextEncoding::Windows1252);
    }

    #[test]
    fn decodes() {
        assert_eq!(decode(b"S\xF8ren", TextEncoding::Latin1), "Søren");
        assert_eq!(decode(b"\x80", TextEncoding::Windows1252), "€");
        assert_eq!(decode("Å".as_bytes(), TextEncoding::Utf8), "Å");
        assert!(matches!(decode(b"abc", TextEncoding::Latin1), Cow::Borrowed(_)));
    }

    #[test]
    fn printable_and_digits() {
        assert!(is_printable_ascii(b"NY000010 ~"));
        assert!(!is_printable_ascii(b"a\tb"));
        assert!(!is_printable_ascii("ø".as_bytes()));
        assert!(is_all_digits(b"0123456789"));
        assert!(!is_all_digits(b"01 3"));
        assert!(is_all_digits(b""));
    }

    #[test]
    fn forbidden_bytes() {
        assert_eq!(find_forbidden_byte(b"ab\0c", TextEncoding::Latin1), Some((2, 0)));
        assert_eq!(find_forbidden_byte(b"a\tb\r", TextEncoding::Latin1), Some((1, b'\t')));
        assert_eq!(find_forbidden_byte(b"a\x81", TextEncoding::Windows1252), Some((1, 0x81)));
        assert_eq!(find_forbidden_byte(b"a\x7f", TextEncoding::Utf8), Some((1, 0x7f)));
    }

    #[test]
    fn refuses_instead_of_replacing() {
        let e = encode("ab€", TextEncoding::Latin1).unwrap_err();
        assert_eq!((e.ch, e.position), ('€', 3));
        assert_eq!(e.to_string(), "character '€' (U+20AC) at position 3 cannot be written in iso-8859-1");
        assert!(encode("\u{85}", TextEncoding::Latin1).is_err());
        assert!(encode("漢", TextEncoding::Windows1252).is_err());
        assert_eq!(&*encode("æøå", TextEncoding::Windows1252).unwrap(), b"\xE6\xF8\xE5");
        assert_eq!(&*encode("漢", TextEncoding::Utf8).unwrap(), "漢".as_bytes());
    }

    #[test]
    fn labels() {
        for e in [TextEncoding::Utf8, TextEncoding::Latin1, TextEncoding::Windows1252] {
            assert_eq!(TextEncoding::from_label(e.label()), Some(e));
        }
        assert_eq!(TextEncoding::from_label("LATIN1"), Some(TextEncoding::Latin1));
        assert_eq!(TextEncoding::from_label("ebcdic"), None);
    }
}
