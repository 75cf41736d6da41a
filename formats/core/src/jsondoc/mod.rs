//! The frame of kidkit's full-fidelity JSON, shared by every format: `{"kidkit": 1, "format",
//! "encoding", "line_ending", "final_newline", "bom", "records": [...]}`, written record by
//! record and read back with what is needed to reproduce the file's bytes. A record whose line
//! ends or is encoded otherwise than the frame says carries its own `line_ending` or `encoding`.

use std::io::{self, Write};

mod read;

pub use read::{JsonError, JsonRecord, Refusal, json_built, raw_and_value_agree, rebuild_from_json};

use crate::encoding::{Observed, TextEncoding};
use crate::lines::{Line, LineEnding};

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

/// How one line of a file was written: its ending, the encoding it was read in when that
/// differs from the file's (a line of another encoding in a file of mixed encodings), and its
/// length when it is shorter than its record (trailing blanks an editor stripped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineForm {
    /// How the line ended ([`LineEnding::None`] for a last line without one).
    pub ending: LineEnding,
    /// The line's own encoding, when it is not the file's.
    pub encoding: Option<TextEncoding>,
    /// The line's length in characters, when its record was read as if padded with blanks.
    pub length: Option<usize>,
}

impl LineForm {
    /// A line ending in `ending`, in the file's encoding.
    pub fn ended(ending: LineEnding) -> Self {
        LineForm { ending, encoding: None, length: None }
    }
    /// The form of `line`, read in the encoding `observed` gives.
    pub fn of(line: &Line<'_>, observed: Observed) -> Self {
        LineForm { ending: line.ending, encoding: observed.mixed.then_some(observed.encoding), length: None }
    }
}

/// Writes the document: the frame, then one record at a time.
pub struct JsonDoc<W: Write> {
    out: W,
    first: bool,
    form: FileForm,
}

impl<W: Write> JsonDoc<W> {
    /// Starts the document for `format`.
    pub fn new(mut out: W, format: &str, form: FileForm) -> io::Result<Self> {
        let ending = ending_name(form.line_ending);
        write!(
            out,
            "{{\"kidkit\": 1, \"format\": {}, \"encoding\": \"{}\", \"line_ending\": \"{ending}\", \"final_newline\": {}, \"bom\": {},\n \"records\": [",
            serde_json::Value::from(format),
            form.encoding.label(),
            form.final_newline,
            form.bom
        )?;
        Ok(JsonDoc { out, first: true, form })
    }

    /// Adds one record, read from a line of form `line`: the record says how its line ended
    /// or was encoded where that is not what the frame says.
    pub fn record(&mut self, mut record: serde_json::Value, line: LineForm) -> io::Result<()> {
        self.out.write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        if let serde_json::Value::Object(fields) = &mut record {
            if line.ending != self.form.line_ending && line.ending != LineEnding::None {
                fields.insert("line_ending".to_owned(), ending_name(line.ending).into());
            }
            if let Some(e) = line.encoding.filter(|e| *e != self.form.encoding) {
                fields.insert("encoding".to_owned(), e.label().into());
            }
            if let Some(n) = line.length {
                fields.insert("length".to_owned(), n.into());
            }
        }
        serde_json::to_writer(&mut self.out, &record)?;
        Ok(())
    }

    /// Ends the document.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "\n]}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The name the JSON gives a line ending.
fn ending_name(ending: LineEnding) -> &'static str {
    if ending == LineEnding::Lf { "lf" } else { "crlf" }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_names_its_own_line_form_only_where_it_differs_from_the_frame() {
        let form =
            FileForm { encoding: TextEncoding::Utf8, line_ending: LineEnding::Lf, final_newline: false, bom: false };
        let mut doc = JsonDoc::new(Vec::new(), "x", form).unwrap();
        doc.record(serde_json::json!({"line": 1}), LineForm::ended(LineEnding::Lf)).unwrap();
        doc.record(
            serde_json::json!({"line": 2}),
            LineForm { ending: LineEnding::Crlf, encoding: Some(TextEncoding::Windows1252), length: Some(7) },
        )
        .unwrap();
        doc.record(serde_json::json!({"line": 3}), LineForm::ended(LineEnding::None)).unwrap();
        let text = String::from_utf8(doc.finish().unwrap()).unwrap();
        let records: Vec<&str> = text.lines().skip(2).take(3).map(|l| l.trim().trim_end_matches(',')).collect();
        assert_eq!(
            records,
            [
                r#"{"line":1}"#,
                r#"{"line":2,"line_ending":"crlf","encoding":"windows-1252","length":7}"#,
                r#"{"line":3}"#
            ]
        );
    }
}
