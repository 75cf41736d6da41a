//! kidkit's full-fidelity JSON for uploads: every field of every record, `raw` and `value`, plus
//! the file's encoding, line ending, final newline and BOM; it converts back to the same bytes.

use std::io::{self, Read, Write};

use kidkit_core::{FileForm, JsonDoc, Refusal, parse_yyyymmdd, raw_and_value_agree, rebuild_from_json};
use serde_json::{Map, Value, json};

use crate::check::{Record, UploadSink};
use crate::layout::{Kind, RecordType};

fn value(kind: Kind, raw: &str) -> Value {
    let t = raw.trim();
    if t.is_empty() {
        return Value::Null;
    }
    match kind {
        Kind::Amount | Kind::Digits => t.parse::<u64>().map_or_else(
            |_| json!(t),
            |v| if kind == Kind::Amount { json!(format!("{}.{:02}", v / 100, v % 100)) } else { json!(t) },
        ),
        Kind::Date => parse_yyyymmdd(t.as_bytes()).map_or_else(|_| json!(t), |d| json!(d.to_string())),
        _ => json!(raw.trim_end()),
    }
}

/// Writes the JSON document record by record.
pub struct JsonWriter<W: Write>(JsonDoc<W>);

impl<W: Write> JsonWriter<W> {
    /// Starts the document with what the first reading found of the file's form.
    pub fn new(out: W, form: FileForm) -> io::Result<Self> {
        JsonDoc::new(out, "upload", form).map(JsonWriter)
    }
    /// Ends the document.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> UploadSink for JsonWriter<W> {
    fn record(&mut self, line: u64, rec: &Record<'_>) -> io::Result<()> {
        let fields: Map<String, Value> = rec
            .kind
            .fields()
            .iter()
            .map(|f| (f.name.to_owned(), json!({"raw": rec.get(f), "value": value(f.kind, rec.get(f))})))
            .collect();
        self.0.record(json!({"line": line, "type": rec.kind.name(), "fields": fields}), rec.form())
    }
}

pub use kidkit_core::JsonError;

const KINDS: [RecordType; 6] = [
    RecordType::Header,
    RecordType::Case,
    RecordType::Contact,
    RecordType::Claim,
    RecordType::Action,
    RecordType::Trailer,
];

/// Writes the upload a JSON document describes, record by record; fields use `raw` where given,
/// else `value`; where both are given they must agree.
pub fn write_from_json(input: impl Read, out: &mut impl Write) -> Result<(), JsonError> {
    rebuild_from_json(input, &["upload"], out, |_, r| {
        let kind = KINDS
            .into_iter()
            .find(|t| t.name() == r.kind)
            .ok_or_else(|| Refusal::new("type", format!("unknown record type '{}'", r.kind)))?;
        let mut line = String::with_capacity(200);
        for f in kind.fields() {
            let width = usize::from(f.len);
            let raw = match r.fields.get(f.name) {
                Some(Value::Object(o)) => match o.get("raw").and_then(Value::as_str) {
                    Some(raw) => {
                        let (decode, encode) =
                            (|raw: &str| value(f.kind, raw), |v: &Value| Some(from_value(f.kind, v, width)));
                        raw_and_value_agree(f.name, raw, o.get("value"), decode, encode)?;
                        Some(raw.to_owned())
                    }
                    None => o.get("value").map(|v| from_value(f.kind, v, width)),
                },
                Some(v) => Some(from_value(f.kind, v, usize::from(f.len))),
                None if f.kind == Kind::Type => Some(kind.code().to_owned()),
                None => Some(" ".repeat(usize::from(f.len))),
            }
            .unwrap_or_default();
            if raw.chars().count() != usize::from(f.len) {
                return Err(Refusal::new(f.name, format!("{} must be {} characters, found {raw:?}", f.name, f.len)));
            }
            line.push_str(&raw);
        }
        Ok(line)
    })
}

fn from_value(kind: Kind, v: &Value, width: usize) -> String {
    let s = match v {
        Value::Null => return " ".repeat(width),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match kind {
        Kind::Amount => {
            let ore = kidkit_core::parse_kroner(&s, kidkit_core::AmountSyntax::POINT).unwrap_or(-1);
            if ore < 0 { s } else { format!("{ore:0width$}") }
        }
        Kind::Digits => format!("{s:0>width$}"),
        Kind::Date => s.replace('-', ""),
        Kind::Kid => format!("{s:>width$}"),
        _ => format!("{s:<width$}"),
    }
}
