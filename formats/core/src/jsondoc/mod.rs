//! The frame of kidkit's full-fidelity JSON, shared by every format: `{"kidkit": 1, "format",
//! "encoding", "line_ending", "final_newline", "bom", "records": [...]}`, written record by
//! record and read back with what is needed to reproduce the file's bytes.

use std::io::{self, Write};

mod read;

pub use read::{JsonError, Refusal, json_built, raw_and_value_agree, rebuild_from_json};

use crate::encoding::TextEncoding;
use crate::lines::LineEnding;

/// What the JSON records about a file's form, so that it converts back byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileForm {
    /// Encoding of the file.
    pub encoding: TextEncoding,
    /// Line ending (CRLF or LF).
    pub line_ending: LineEnding,
    /// The last line ends with a newline.
    pub final_newline: bool,
    /// The file starts with a UTF-8 BOM.
    pub bom: bool,
}

impl FileForm {
    /// The form a reading found: its encoding and what the line reader saw (CRLF when no line
    /// ended at all).
    pub fn found(encoding: TextEncoding, lines: &crate::lines::LineStats) -> Self {
        FileForm {
            encoding,
            line_ending: lines.ending_to_keep(LineEnding::Crlf),
            final_newline: !lines.no_final_newline,
            bom: lines.bom,
        }
    }
}

/// Writes the document: the frame, then one record at a time.
pub struct JsonDoc<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonDoc<W> {
    /// Starts the document for `format`.
    pub fn new(mut out: W, format: &str, form: FileForm) -> io::Result<Self> {
        let ending = if form.line_ending == LineEnding::Lf { "lf" } else { "crlf" };
        write!(
            out,
            "{{\"kidkit\": 1, \"format\": {}, \"encoding\": \"{}\", \"line_ending\": \"{ending}\", \"final_newline\": {}, \"bom\": {},\n \"records\": [",
            serde_json::Value::from(format),
            form.encoding.label(),
            form.final_newline,
            form.bom
        )?;
        Ok(JsonDoc { out, first: true })
    }

    /// Adds one record.
    pub fn record(&mut self, record: &serde_json::Value) -> io::Result<()> {
        self.out.write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, record)?;
        Ok(())
    }

    /// Ends the document.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "\n]}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The `format` a kidkit JSON document names, when `head` (its first bytes) starts one: `{`,
/// then `"kidkit":`, with the `format` key among the first keys.
pub fn sniff_json_format(head: &[u8]) -> Option<String> {
    let inside = head.trim_ascii_start().strip_prefix(b"{")?.trim_ascii_start();
    if !inside.starts_with(b"\"kidkit\":") {
        return None;
    }
    let key = memchr::memmem::find(inside, b"\"format\"")?;
    let rest = inside[key + 8..].trim_ascii_start().strip_prefix(b":")?.trim_ascii_start().strip_prefix(b"\"")?;
    let end = memchr::memchr(b'"', rest)?;
    std::str::from_utf8(&rest[..end]).ok().map(str::to_owned)
}
