//! Values given as arguments, or one per line on stdin.

use std::io;

use kidkit_core::{EncodingSniffer, LineReader, TextEncoding, decode, visible};

use crate::outcome::Failure;

/// Longest stdin line read whole; longer ones are reported by length.
const MAX_VALUE_LINE: usize = 4096;

/// One value to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// The text (stdin lines decoded as UTF-8, or Windows-1252 when not valid UTF-8, and trimmed).
    Text(String),
    /// A stdin line too long to be any identifier: its length in bytes.
    TooLong(u64),
}

/// The arguments, or when there are none, the lines of stdin.
pub fn values(args: &[String]) -> Result<Vec<Value>, Failure> {
    if !args.is_empty() {
        return Ok(args.iter().map(|a| Value::Text(a.clone())).collect());
    }
    let stdin = io::stdin().lock();
    let mut reader = LineReader::new(stdin, MAX_VALUE_LINE);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Utf8);
    let mut out = Vec::new();
    while let Some(line) = reader.next_line().map_err(|e| Failure::read("standard input", e))? {
        if line.is_cut() {
            out.push(Value::TooLong(line.len));
            continue;
        }
        let enc = sniffer.observe(line.bytes).encoding;
        out.push(Value::Text(decode(line.bytes, enc).trim().to_owned()));
    }
    Ok(out)
}

/// A value as shown in output: control characters made visible, at most 40 characters.
pub fn shown(value: &str) -> String {
    let v = visible(value);
    if v.chars().count() > 40 {
        let head: String = v.chars().take(30).collect();
        format!("{head}… ({} characters)", v.chars().count())
    } else {
        v
    }
}
