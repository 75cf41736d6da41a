//! Reading a kidkit JSON document record by record: the frame first, then each record turned
//! into its line and written as soon as it is parsed, so that memory holds one record whatever
//! the document's size.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read, Write};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::FileForm;
use crate::encoding::{BOM, TextEncoding, encode};
use crate::lines::LineEnding;

/// A problem with a JSON document or one of its records, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// Line of the JSON document (1-based).
    pub line: u64,
    /// Column of the JSON document (1-based; 1 when only the line is known).
    pub column: u64,
    /// Index of the record in `records` (1-based), 0 for the document itself.
    pub record: u64,
    /// The field concerned (`document` for the document itself).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The report of building `file` from JSON: empty, or the one problem that stopped it.
pub fn json_built(file: &str, result: Result<(), JsonError>) -> crate::FileReport {
    let mut f = crate::Findings::new(file, None);
    if let Err(e) = result {
        f.push(e.finding());
    }
    crate::FileReport::new("json", 0, f)
}

impl JsonError {
    /// The finding people see (`IO003` at the document's line and column, naming the record).
    pub fn finding(&self) -> crate::Diagnostic {
        let message =
            if self.record == 0 { self.message.clone() } else { format!("record {}: {}", self.record, self.message) };
        let column = u32::try_from(self.column).unwrap_or(u32::MAX);
        crate::Diagnostic::error("IO003", self.line, column, message).field(self.field.clone())
    }
}

/// Why a record cannot become a line: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The field concerned.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Refusal {
    /// A refusal of `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Refusal { field: field.into(), message: message.into() }
    }
}

/// A field given twice in a JSON record, as `raw` and as `value`, must say the same: `value` is
/// what `raw` decodes to (`decode`), or what is written as `raw` (`encode`). An edited `value` is
/// never silently overruled by the `raw` beside it.
pub fn raw_and_value_agree(
    field: &str,
    raw: &str,
    value: Option<&serde_json::Value>,
    decode: impl Fn(&str) -> serde_json::Value,
    encode: impl Fn(&serde_json::Value) -> Option<String>,
) -> Result<(), Refusal> {
    let Some(value) = value else { return Ok(()) };
    let decoded = decode(raw);
    if decoded == *value || encode(value).is_some_and(|w| w == raw) {
        return Ok(());
    }
    Err(Refusal::new(
        field,
        format!("{field}: raw {raw:?} reads as {decoded}, but value is {value}; give one, or both alike"),
    ))
}

/// One record of a kidkit JSON document: its `type`, its `fields` (each `{raw, value}` or a bare
/// value), and its own line ending and encoding where they differ from the frame's. Other keys
/// (`line`) are not read back.
#[derive(Debug, Default, serde::Deserialize)]
pub struct JsonRecord {
    /// The record type, as the format names it.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The fields by name.
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    line_ending: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    length: Option<usize>,
}

impl JsonRecord {
    /// How this record's line is written: its own ending and encoding, else the frame's.
    fn form(&self, frame: FileForm) -> Result<(LineEnding, TextEncoding), Refusal> {
        let ending = match self.line_ending.as_deref() {
            None => frame.line_ending,
            Some(e) => line_ending(e)?,
        };
        let encoding = match &self.encoding {
            None => frame.encoding,
            Some(e) => encoding(e)?,
        };
        Ok((ending, encoding))
    }

    /// `text` cut to the record's `length`, where it gives one: what is cut must be blanks.
    fn cut<'t>(&self, text: &'t str) -> Result<&'t str, Refusal> {
        let Some(n) = self.length else { return Ok(text) };
        let at = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
        let (kept, cut) = text.split_at(at);
        if cut.bytes().any(|b| b != b' ') {
            let message = format!("length {n} would cut {cut:?}; only trailing blanks are left out of a line");
            return Err(Refusal::new("length", message));
        }
        Ok(kept)
    }
}

fn line_ending(name: &str) -> Result<LineEnding, Refusal> {
    match name {
        "crlf" => Ok(LineEnding::Crlf),
        "lf" => Ok(LineEnding::Lf),
        other => Err(Refusal::new("line_ending", format!("line_ending must be 'crlf' or 'lf', found '{other}'"))),
    }
}

fn encoding(label: &str) -> Result<TextEncoding, Refusal> {
    TextEncoding::from_label(label).ok_or_else(|| Refusal::new("encoding", format!("unknown encoding '{label}'")))
}

/// Rebuilds the native file a kidkit JSON document describes, streaming. The frame (version,
/// format, encoding, line ending, final newline, BOM) must come before `records`; each record is
/// turned into one line by `line_of` (given its 1-based index) and written at once in the file's
/// form, or its own. `formats` are the `format` values accepted.
pub fn rebuild_from_json<W, F>(input: impl Read, formats: &[&str], out: &mut W, mut line_of: F) -> Result<(), JsonError>
where
    W: Write,
    F: FnMut(u64, &JsonRecord) -> Result<String, Refusal>,
{
    let line = Rc::new(Cell::new(1u64));
    let reader = Counted { inner: BufReader::with_capacity(1 << 16, input), line: Rc::clone(&line) };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut run = Run { formats, out, form: None, pending: None, failed: None, line: &line, line_of: &mut line_of };
    let parsed = DocSeed { run: &mut run }.deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = run.failed.take() {
        return Err(e);
    }
    if let Err(e) = parsed {
        return Err(JsonError {
            line: e.line() as u64,
            column: e.column() as u64,
            record: 0,
            field: "document".to_owned(),
            message: format!("not kidkit JSON: {e}"),
        });
    }
    run.finish().map_err(|e| run.fail(0, Refusal::new("document", format!("cannot write the output: {e}"))))
}

/// A reader that counts the lines it has handed on.
struct Counted<R> {
    inner: R,
    line: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let newlines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        self.line.set(self.line.get() + newlines);
        Ok(n)
    }
}

/// One rebuild under way.
struct Run<'a, W, F> {
    formats: &'a [&'a str],
    out: &'a mut W,
    /// Known once the frame is read.
    form: Option<FileForm>,
    /// The ending of the line last written, written once another line follows (or at the end,
    /// when the file ends with a newline).
    pending: Option<LineEnding>,
    failed: Option<JsonError>,
    line: &'a Cell<u64>,
    line_of: &'a mut F,
}

impl<W: Write, F> Run<'_, W, F> {
    fn fail(&self, record: u64, r: Refusal) -> JsonError {
        JsonError { line: self.line.get(), column: 1, record, field: r.field, message: r.message }
    }

    fn start(&mut self, frame: &Frame) -> Result<(), Refusal> {
        for (key, given) in [("kidkit", frame.kidkit.is_some()), ("format", frame.format.is_some())] {
            if !given {
                return Err(Refusal::new(key, format!("\"{key}\" must come before \"records\"")));
            }
        }
        if frame.kidkit != Some(1) {
            let found = frame.kidkit.map_or_else(|| "none".to_owned(), |v| v.to_string());
            return Err(Refusal::new("kidkit", format!("version {found} is not supported (expected 1)")));
        }
        let format = frame.format.as_deref().unwrap_or_default();
        if !self.formats.contains(&format) {
            return Err(Refusal::new(
                "format",
                format!("expected kidkit JSON of format {}, found '{format}'", self.formats.join(" or ")),
            ));
        }
        let form = frame.form()?;
        self.form = Some(form);
        if form.bom {
            self.out.write_all(BOM).map_err(|e| Refusal::new("document", format!("cannot write the output: {e}")))?;
        }
        Ok(())
    }

    fn line(&mut self, text: &str, record: &JsonRecord) -> Result<(), Refusal> {
        let form = self.form.ok_or_else(|| Refusal::new("records", "records come before the frame"))?;
        let (ending, encoding) = record.form(form)?;
        let bytes = encode(record.cut(text)?, encoding).map_err(|e| Refusal::new("record", e.to_string()))?;
        let io = |e: io::Error| Refusal::new("document", format!("cannot write the output: {e}"));
        if let Some(before) = self.pending.replace(ending) {
            self.out.write_all(before.as_bytes()).map_err(io)?;
        }
        self.out.write_all(&bytes).map_err(io)
    }

    fn finish(&mut self) -> io::Result<()> {
        if let (Some(form), Some(ending)) = (self.form, self.pending)
            && form.final_newline
        {
            self.out.write_all(ending.as_bytes())?;
        }
        self.out.flush()
    }
}

/// The keys of the document before `records`.
#[derive(Default)]
struct Frame {
    kidkit: Option<u64>,
    format: Option<String>,
    encoding: Option<String>,
    line_ending: Option<String>,
    final_newline: Option<bool>,
    bom: Option<bool>,
}

impl Frame {
    fn form(&self) -> Result<FileForm, Refusal> {
        let encoding = self.encoding.as_deref().map_or(Ok(TextEncoding::Latin1), encoding)?;
        let line_ending = self.line_ending.as_deref().map_or(Ok(LineEnding::Crlf), line_ending)?;
        Ok(FileForm {
            encoding,
            line_ending,
            final_newline: self.final_newline != Some(false),
            bom: self.bom == Some(true),
        })
    }
}

struct DocSeed<'r, 'a, W, F> {
    run: &'r mut Run<'a, W, F>,
}

impl<'de, W, F> DeserializeSeed<'de> for DocSeed<'_, '_, W, F>
where
    W: Write,
    F: FnMut(u64, &JsonRecord) -> Result<String, Refusal>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, W, F> Visitor<'de> for DocSeed<'_, '_, W, F>
where
    W: Write,
    F: FnMut(u64, &JsonRecord) -> Result<String, Refusal>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a kidkit JSON document (an object with \"kidkit\", \"format\" and \"records\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut frame = Frame::default();
        let mut records = false;
        while let Some(key) = map.next_key::<String>()? {
            let frame_key =
                matches!(key.as_str(), "kidkit" | "format" | "encoding" | "line_ending" | "final_newline" | "bom");
            if records && frame_key {
                let message = format!("\"{key}\" must come before \"records\"");
                self.run.failed = Some(self.run.fail(0, Refusal::new(key, message)));
                return Err(de::Error::custom("refused"));
            }
            match key.as_str() {
                "kidkit" => frame.kidkit = map.next_value()?,
                "format" => frame.format = map.next_value()?,
                "encoding" => frame.encoding = map.next_value()?,
                "line_ending" => frame.line_ending = map.next_value()?,
                "final_newline" => frame.final_newline = map.next_value()?,
                "bom" => frame.bom = map.next_value()?,
                "records" => {
                    records = true;
                    if let Err(r) = self.run.start(&frame) {
                        self.run.failed = Some(self.run.fail(0, r));
                        return Err(de::Error::custom("refused"));
                    }
                    map.next_value_seed(RecordsSeed { run: &mut *self.run })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !records {
            self.run.failed = Some(self.run.fail(0, Refusal::new("records", "the document has no \"records\"")));
            return Err(de::Error::custom("refused"));
        }
        Ok(())
    }
}

struct RecordsSeed<'r, 'a, W, F> {
    run: &'r mut Run<'a, W, F>,
}

impl<'de, W, F> DeserializeSeed<'de> for RecordsSeed<'_, '_, W, F>
where
    W: Write,
    F: FnMut(u64, &JsonRecord) -> Result<String, Refusal>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, W, F> Visitor<'de> for RecordsSeed<'_, '_, W, F>
where
    W: Write,
    F: FnMut(u64, &JsonRecord) -> Result<String, Refusal>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u64;
        while let Some(record) = seq.next_element::<JsonRecord>()? {
            index += 1;
            let done = (self.run.line_of)(index, &record).and_then(|text| self.run.line(&text, &record));
            if let Err(r) = done {
                self.run.failed = Some(self.run.fail(index, r));
                return Err(de::Error::custom("refused"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild_str(doc: &str) -> Result<Vec<u8>, JsonError> {
        let mut out = Vec::new();
        rebuild_from_json(doc.as_bytes(), &["x"], &mut out, |_, r| {
            let text = r.fields.get("text").and_then(serde_json::Value::as_str).unwrap_or_default();
            if text == "bad" { Err(Refusal::new("text", "is bad")) } else { Ok(text.to_owned()) }
        })?;
        Ok(out)
    }

    #[test]
    fn lines_are_written_in_the_documents_form() {
        let doc = r#"{"kidkit": 1, "format": "x", "encoding": "utf-8", "line_ending": "lf", "final_newline": false, "bom": true,
 "records": [{"fields": {"text": "a"}}, {"fields": {"text": "ø"}}]}"#;
        assert_eq!(rebuild_str(doc).unwrap(), b"\xEF\xBB\xBFa\n\xC3\xB8");
        let crlf = r#"{"kidkit": 1, "format": "x", "encoding": "iso-8859-1", "records": [{"fields": {"text": "ø"}}]}"#;
        assert_eq!(rebuild_str(crlf).unwrap(), b"\xF8\r\n");
    }

    #[test]
    fn a_record_with_its_own_line_ending_or_encoding_is_written_in_it() {
        let doc = r#"{"kidkit": 1, "format": "x", "encoding": "utf-8", "line_ending": "lf", "final_newline": true,
 "records": [{"fields": {"text": "a"}}, {"fields": {"text": "ø"}, "line_ending": "crlf", "encoding": "iso-8859-1"},
 {"fields": {"text": "ø  "}, "line_ending": "crlf", "length": 1}]}"#;
        assert_eq!(rebuild_str(doc).unwrap(), b"a\n\xF8\r\n\xC3\xB8\r\n");
        let cuts = r#"{"kidkit": 1, "format": "x", "records": [{"fields": {"text": "ab"}, "length": 1}]}"#;
        assert_eq!(rebuild_str(cuts).unwrap_err().field, "length");
        let odd = r#"{"kidkit": 1, "format": "x", "records": [{"fields": {"text": "a"}, "line_ending": "cr"}]}"#;
        let e = rebuild_str(odd).unwrap_err();
        assert_eq!((e.record, e.field.as_str()), (1, "line_ending"), "{}", e.message);
    }

    #[test]
    fn a_refused_record_names_its_index_field_and_line() {
        let doc = "{\"kidkit\": 1, \"format\": \"x\",\n \"records\": [\n{\"fields\": {\"text\": \"a\"}},\n{\"fields\": {\"text\": \"bad\"}}\n]}";
        let e = rebuild_str(doc).unwrap_err();
        assert_eq!((e.record, e.field.as_str(), e.message.as_str(), e.line), (2, "text", "is bad", 4));
    }

    #[test]
    fn the_frame_must_come_before_the_records_and_name_a_known_format() {
        let late = r#"{"kidkit": 1, "records": [], "format": "x"}"#;
        assert_eq!(rebuild_str(late).unwrap_err().field, "format");
        let other = r#"{"kidkit": 1, "format": "y", "records": []}"#;
        assert!(rebuild_str(other).unwrap_err().message.contains("found 'y'"));
        let version = r#"{"kidkit": 2, "format": "x", "records": []}"#;
        assert!(rebuild_str(version).unwrap_err().message.contains("version 2"));
        let none = r#"{"kidkit": 1, "format": "x"}"#;
        assert_eq!(rebuild_str(none).unwrap_err().field, "records");
    }

    #[test]
    fn broken_json_says_where() {
        let e = rebuild_str("{\"kidkit\": 1, \"format\": \"x\",\n \"records\": [{\"fields\": 3}]}").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "document"));
        assert!(e.message.starts_with("not kidkit JSON"), "{}", e.message);
    }
}
