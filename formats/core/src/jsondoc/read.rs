//! Reading a kidkit JSON document record by record: the frame first, then each record turned
//! into its line and written as soon as it is parsed, so that memory holds one record whatever
//! the document's size.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read, Write};
use std::marker::PhantomData;
use std::rc::Rc;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

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

/// Rebuilds the native file a kidkit JSON document describes, streaming. The frame (version,
/// format, encoding, line ending, final newline, BOM) must come before `records`; each record is
/// turned into one line by `line_of` (given its 1-based index) and written at once in the file's
/// form. `formats` are the `format` values accepted.
pub fn rebuild_from_json<R, W, F>(
    input: impl Read,
    formats: &[&str],
    out: &mut W,
    mut line_of: F,
) -> Result<(), JsonError>
where
    R: DeserializeOwned,
    W: Write,
    F: FnMut(u64, &R) -> Result<String, Refusal>,
{
    let line = Rc::new(Cell::new(1u64));
    let reader = Counted { inner: BufReader::with_capacity(1 << 16, input), line: Rc::clone(&line) };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut run = Run { formats, out, form: None, written: 0, failed: None, line: &line, line_of: &mut line_of };
    let parsed =
        DocSeed::<R, W, F> { run: &mut run, _record: PhantomData }.deserialize(&mut de).and_then(|()| de.end());
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
    written: u64,
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

    fn line(&mut self, text: &str) -> Result<(), Refusal> {
        let form = self.form.ok_or_else(|| Refusal::new("records", "records come before the frame"))?;
        let bytes = encode(text, form.encoding).map_err(|e| Refusal::new("record", e.to_string()))?;
        let io = |e: io::Error| Refusal::new("document", format!("cannot write the output: {e}"));
        if self.written > 0 {
            self.out.write_all(form.line_ending.as_bytes()).map_err(io)?;
        }
        self.written += 1;
        self.out.write_all(&bytes).map_err(io)
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(form) = self.form
            && self.written > 0
            && form.final_newline
        {
            self.out.write_all(form.line_ending.as_bytes())?;
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
        let encoding = match &self.encoding {
            None => TextEncoding::Latin1,
            Some(e) => TextEncoding::from_label(e)
                .ok_or_else(|| Refusal::new("encoding", format!("unknown encoding '{e}'")))?,
        };
        let line_ending = match self.line_ending.as_deref() {
            None | Some("crlf") => LineEnding::Crlf,
            Some("lf") => LineEnding::Lf,
            Some(other) => {
                return Err(Refusal::new(
                    "line_ending",
                    format!("line_ending must be 'crlf' or 'lf', found '{other}'"),
                ));
            }
        };
        Ok(FileForm {
            encoding,
            line_ending,
            final_newline: self.final_newline != Some(false),
            bom: self.bom == Some(true),
        })
    }
}

struct DocSeed<'r, 'a, R, W, F> {
    run: &'r mut Run<'a, W, F>,
    _record: PhantomData<R>,
}

impl<'de, R, W, F> DeserializeSeed<'de> for DocSeed<'_, '_, R, W, F>
where
    R: DeserializeOwned,
    W: Write,
    F: FnMut(u64, &R) -> Result<String, Refusal>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, R, W, F> Visitor<'de> for DocSeed<'_, '_, R, W, F>
where
    R: DeserializeOwned,
    W: Write,
    F: FnMut(u64, &R) -> Result<String, Refusal>,
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
                    map.next_value_seed(RecordsSeed::<R, W, F> { run: &mut *self.run, _record: PhantomData })?;
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

struct RecordsSeed<'r, 'a, R, W, F> {
    run: &'r mut Run<'a, W, F>,
    _record: PhantomData<R>,
}

impl<'de, R, W, F> DeserializeSeed<'de> for RecordsSeed<'_, '_, R, W, F>
where
    R: DeserializeOwned,
    W: Write,
    F: FnMut(u64, &R) -> Result<String, Refusal>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, R, W, F> Visitor<'de> for RecordsSeed<'_, '_, R, W, F>
where
    R: DeserializeOwned,
    W: Write,
    F: FnMut(u64, &R) -> Result<String, Refusal>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u64;
        while let Some(record) = seq.next_element::<R>()? {
            index += 1;
            let done = (self.run.line_of)(index, &record).and_then(|text| self.run.line(&text));
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

    #[derive(serde::Deserialize)]
    struct Rec {
        text: String,
    }

    fn rebuild_str(doc: &str) -> Result<Vec<u8>, JsonError> {
        let mut out = Vec::new();
        rebuild_from_json(doc.as_bytes(), &["x"], &mut out, |_, r: &Rec| {
            if r.text == "bad" { Err(Refusal::new("text", "is bad")) } else { Ok(r.text.clone()) }
        })?;
        Ok(out)
    }

    #[test]
    fn lines_are_written_in_the_documents_form() {
        let doc = r#"{"kidkit": 1, "format": "x", "encoding": "utf-8", "line_ending": "lf", "final_newline": false, "bom": true,
 "records": [{"text": "a"}, {"text": "ø"}]}"#;
        assert_eq!(rebuild_str(doc).unwrap(), b"\xEF\xBB\xBFa\n\xC3\xB8");
        let crlf = r#"{"kidkit": 1, "format": "x", "encoding": "iso-8859-1", "records": [{"text": "ø"}]}"#;
        assert_eq!(rebuild_str(crlf).unwrap(), b"\xF8\r\n");
    }

    #[test]
    fn a_refused_record_names_its_index_field_and_line() {
        let doc = "{\"kidkit\": 1, \"format\": \"x\",\n \"records\": [\n{\"text\": \"a\"},\n{\"text\": \"bad\"}\n]}";
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
        let e = rebuild_str("{\"kidkit\": 1, \"format\": \"x\",\n \"records\": [{\"text\": 3}]}").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "document"));
        assert!(e.message.starts_with("not kidkit JSON"), "{}", e.message);
    }
}
