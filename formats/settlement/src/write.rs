//! Writing settlements: records from field values, amounts as `1234,50`, the trailer computed.
//! A `;` in a text field (`SET017`) or a character Windows-1252 cannot hold (`IO005`) is refused.

use std::io::{self, Write};

use kidkit_core::{Fail, LineEnding, Refusals, TextEncoding, encode, format_comma};

/// A value that cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: output line {line}, field {field}: {message}")]
pub struct WriteError {
    /// `SET017`, `IO005`, or `SET031` for a trailer sum beyond 64 bits.
    pub code: &'static str,
    /// Output line.
    pub line: u64,
    /// Field name.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl From<WriteError> for Fail<WriteError> {
    fn from(e: WriteError) -> Self {
        Fail::Refused(e)
    }
}

/// Writes records; `finish` adds the trailer.
pub struct Writer<W: Write> {
    out: W,
    ending: LineEnding,
    encoding: TextEncoding,
    line: u64,
    lines: u64,
    sums: [i128; 8],
    refused: Refusals<WriteError>,
}

impl<W: Write> Writer<W> {
    /// A writer; new settlements are Windows-1252 with CRLF.
    pub fn new(out: W, ending: LineEnding, encoding: TextEncoding) -> Self {
        let ending = if ending == LineEnding::None { LineEnding::Crlf } else { ending };
        Writer { out, ending, encoding, line: 0, lines: 0, sums: [0; 8], refused: Refusals::default() }
    }

    /// The value that stopped the last write, if a value did (rather than the output): taken.
    pub fn refusal(&mut self) -> Option<WriteError> {
        self.refused.take()
    }

    /// Writes one record; a value that does not fit is kept for [`Writer::refusal`].
    fn write(&mut self, fields: &[(&str, String)]) -> io::Result<()> {
        let r = self.put(fields);
        self.refused.settle(r)
    }

    fn put(&mut self, fields: &[(&str, String)]) -> Result<(), Fail<WriteError>> {
        self.line += 1;
        for (name, v) in fields {
            if v.contains(';') {
                return Err(WriteError {
                    code: "SET017",
                    line: self.line,
                    field: (*name).to_owned(),
                    message: format!("'{v}' holds ';', which separates fields"),
                }
                .into());
            }
        }
        let text = fields.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(";");
        let bytes = encode(&text, self.encoding).map_err(|e| WriteError {
            code: "IO005",
            line: self.line,
            field: field_at(fields, e.position),
            message: format!("character {:?} (U+{:04X}) cannot be written in {}", e.ch, u32::from(e.ch), self.encoding),
        })?;
        self.out.write_all(&bytes)?;
        Ok(self.out.write_all(self.ending.as_bytes())?)
    }

    /// The header: fields after `H;KKA1`.
    pub fn header(&mut self, fields: &[(&str, String)]) -> io::Result<()> {
        let mut all = vec![("record_type", "H".to_owned()), ("version", "KKA1".to_owned())];
        all.extend(fields.iter().cloned());
        self.write(&all)
    }

    /// A line: text fields as given, amounts in øre (written `1234,50`).
    pub fn line(&mut self, texts: &[(&str, String)], amounts: [i64; 8], text: &str) -> io::Result<()> {
        self.lines += 1;
        for (s, a) in self.sums.iter_mut().zip(amounts) {
            *s += i128::from(a);
        }
        let mut all = vec![("record_type", "L".to_owned())];
        all.extend(texts.iter().cloned());
        for (name, a) in crate::layout::AMOUNTS.iter().zip(amounts) {
            all.push((name, format_comma(a)));
        }
        all.push(("text", text.to_owned()));
        self.write(&all)
    }

    /// The trailer with the line count and column sums; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.close()?;
        Ok(self.out)
    }

    /// Writes the trailer and flushes; the writer stays, so that a refusal can be asked for.
    pub fn close(&mut self) -> io::Result<()> {
        let mut all = vec![("record_type", "T".to_owned()), ("line_count", self.lines.to_string())];
        for (name, s) in crate::layout::AMOUNTS.iter().zip(self.sums) {
            let Ok(s) = i64::try_from(s) else {
                let refused = WriteError {
                    code: "SET031",
                    line: self.line + 1,
                    field: (*name).to_owned(),
                    message: format!("the trailer's {name} would be {s} øre, more than a settlement amount can hold"),
                };
                return self.refused.settle(Err(Fail::Refused(refused)));
            };
            all.push((name, format_comma(s)));
        }
        self.write(&all)?;
        self.out.flush()
    }
}

fn field_at(fields: &[(&str, String)], position: usize) -> String {
    let mut at = 0;
    for (name, v) in fields {
        at += v.chars().count() + 1;
        if position <= at {
            return (*name).to_owned();
        }
    }
    "record".to_owned()
}
