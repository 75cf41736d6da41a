//! Writing upload files record by record from field values; the trailer is computed.

use std::io::{self, Write};

use kidkit_core::{Fail, LineEnding, Refusals, TextEncoding, encode};

use crate::layout::{Kind, RECORD_LEN, RecordType};

/// A value that cannot be written, naming the output line and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: output line {line} ({record}), field {field}: {message}")]
pub struct WriteError {
    /// `UPL050` (character outside ISO-8859-1) or `UPL016` (value does not fit).
    pub code: &'static str,
    /// Output line.
    pub line: u64,
    /// Record name.
    pub record: &'static str,
    /// Field name.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl From<WriteError> for Fail<WriteError> {
    fn from(e: WriteError) -> Self {
        Fail::Refused(e)
    }
}

/// Writes records and, at the end, the trailer with its counts and total.
pub struct Writer<W: Write> {
    out: W,
    ending: LineEnding,
    encoding: TextEncoding,
    line: u64,
    cases: u64,
    claims: u64,
    total: i128,
    refused: Refusals<WriteError>,
}

impl<W: Write> Writer<W> {
    /// A writer; new files are ISO-8859-1 with CRLF.
    pub fn new(out: W, ending: LineEnding, encoding: TextEncoding) -> Self {
        let ending = if ending == LineEnding::None { LineEnding::Crlf } else { ending };
        Writer { out, ending, encoding, line: 0, cases: 0, claims: 0, total: 0, refused: Refusals::default() }
    }

    /// Writes one record from `(field, value)` pairs; fields not given are blank. Values are
    /// laid out by the field's kind: text left-aligned, numbers and amounts right-aligned and
    /// zero-padded, KIDs right-aligned and blank-filled.
    /// A value that does not fit is kept for [`Writer::refusal`]; the error only says so.
    pub fn record(&mut self, kind: RecordType, values: &[(&str, &str)]) -> io::Result<()> {
        let r = self.put(kind, values);
        self.refused.settle(r)
    }

    /// The value that stopped the last write, if a value did (rather than the output): taken.
    pub fn refusal(&mut self) -> Option<WriteError> {
        self.refused.take()
    }

    fn put(&mut self, kind: RecordType, values: &[(&str, &str)]) -> Result<(), Fail<WriteError>> {
        self.line += 1;
        let mut line = String::with_capacity(RECORD_LEN);
        for f in kind.fields() {
            let v = values.iter().find(|(n, _)| *n == f.name).map_or("", |(_, v)| *v);
            let width = usize::from(f.len);
            let n = v.chars().count();
            let fail = |message: String| WriteError {
                code: "UPL016",
                line: self.line,
                record: kind.name(),
                field: f.name,
                message,
            };
            if n > width {
                return Err(fail(format!("'{v}' has {n} characters, at most {width} fit")).into());
            }
            if !v.chars().all(kidkit_core::is_record_char) {
                return Err(fail("holds a control character".to_owned()).into());
            }
            match f.kind {
                Kind::Type => line.push_str(kind.code()),
                Kind::Digits | Kind::Amount if !v.is_empty() => {
                    if !v.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(fail(format!("must be digits, got '{v}'")).into());
                    }
                    line.extend(std::iter::repeat_n('0', width - n));
                    line.push_str(v);
                }
                Kind::Kid => {
                    line.extend(std::iter::repeat_n(' ', width - n));
                    line.push_str(v);
                }
                _ => {
                    line.push_str(v);
                    line.extend(std::iter::repeat_n(' ', width - n));
                }
            }
        }
        let bytes = encode(&line, self.encoding).map_err(|e| {
            let column = e.position as u16;
            let field =
                kind.fields().iter().find(|f| f.start <= column && column <= f.end()).map_or("record", |f| f.name);
            WriteError {
                code: "UPL050",
                line: self.line,
                record: kind.name(),
                field,
                message: format!(
                    "character {:?} (U+{:04X}) is not in ISO-8859-1; it is refused, not replaced",
                    e.ch,
                    u32::from(e.ch)
                ),
            }
        })?;
        self.out.write_all(&bytes)?;
        self.out.write_all(self.ending.as_bytes())?;
        match kind {
            RecordType::Case => self.cases += 1,
            RecordType::Claim => {
                self.claims += 1;
                let get = |n: &str| values.iter().find(|(k, _)| *k == n).map_or("", |(_, v)| *v);
                let amount = i128::from(get("remaining_principal").parse::<u64>().unwrap_or(0));
                self.total += if get("sign") == "-" { -amount } else { amount };
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes the trailer and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.close()?;
        Ok(self.out)
    }

    /// Writes the trailer and flushes; the writer stays, so that a refusal can be asked for.
    pub fn close(&mut self) -> io::Result<()> {
        let cases = self.cases.to_string();
        let claims = self.claims.to_string();
        let total = self.total.unsigned_abs().to_string();
        let records = (self.line + 1).to_string();
        let sign = if self.total < 0 { "-" } else { "+" };
        self.record(
            RecordType::Trailer,
            &[("cases", &cases), ("claims", &claims), ("total_sign", sign), ("total", &total), ("records", &records)],
        )?;
        self.out.flush()
    }
}
