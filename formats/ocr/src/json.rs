//! kidkit's full-fidelity JSON: every field of every record with its raw characters and decoded
//! value, plus the encoding, line ending, final newline and BOM, so that it converts back to
//! the identical file.

use std::io::{self, Read, Write};

use kidkit_core::{JsonDoc, JsonRecord, Refusal, format_point, parse_ddmmyy, raw_and_value_agree, rebuild_from_json};
use serde_json::{Map, Value, json};

use crate::kind::{RecordKind, identify};
use crate::layout::{Field, FieldKind, layout};
use crate::pipeline::RecordSink;
use crate::record::{Rec, RecordText};

pub use kidkit_core::FileForm;

/// The decoded value of one field, as JSON.
pub fn field_value(f: &Field, raw: &str) -> Value {
    match f.kind {
        FieldKind::Num => raw.parse::<u64>().map_or(Value::Null, |v| json!(v)),
        FieldKind::Amount => raw.parse::<i64>().map_or(Value::Null, |v| json!(format_point(v))),
        FieldKind::Date | FieldKind::DateOrZero => {
            parse_ddmmyy(raw.as_bytes()).map_or(Value::Null, |d| json!(d.to_string()))
        }
        FieldKind::Kid | FieldKind::Text => {
            let t = raw.trim();
            if t.is_empty() { Value::Null } else { json!(t) }
        }
        FieldKind::Id
        | FieldKind::Zeros
        | FieldKind::Blanks
        | FieldKind::Sign
        | FieldKind::Code(_)
        | FieldKind::Verbatim => json!(raw),
    }
}

/// Every field of a record: name → `{raw, value}`.
pub fn record_fields(kind: RecordKind, text: &RecordText<'_>) -> Map<String, Value> {
    layout(kind)
        .fields
        .iter()
        .map(|f| {
            let raw = text.field(f);
            (f.name.to_owned(), json!({ "raw": raw, "value": field_value(f, raw) }))
        })
        .collect()
}

/// Writes the JSON document record by record (a [`RecordSink`]).
pub struct JsonWriter<W: Write>(JsonDoc<W>);

impl<W: Write> JsonWriter<W> {
    /// Starts the document.
    pub fn new(out: W, format: &str, form: FileForm) -> io::Result<Self> {
        JsonDoc::new(out, format, form).map(JsonWriter)
    }

    /// Ends the document.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write> RecordSink for JsonWriter<W> {
    fn record(&mut self, rec: &Rec, text: &RecordText<'_>) -> io::Result<()> {
        if rec.blank {
            // a blank line (read under --lenient) is kept as it was
            let record = json!({ "line": rec.line, "type": "blank", "fields": { "record": { "raw": text.as_str() } } });
            return self.0.record(record, text.form());
        }
        let Some(kind) = rec.kind else { return Ok(()) };
        let record = json!({ "line": rec.line, "type": layout(kind).name, "fields": record_fields(kind, text) });
        self.0.record(record, text.form())
    }
}

pub use kidkit_core::JsonError;

fn raw_of(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::Object(o) => o.get("raw").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn value_of<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    match fields.get(name)? {
        Value::Object(o) => o.get("value"),
        v => Some(v),
    }
}

fn from_value(f: &Field, v: &Value) -> Result<String, String> {
    let width = usize::from(f.len);
    let s = match (f.kind, v) {
        (_, Value::Null) => match f.kind {
            FieldKind::Kid | FieldKind::Text | FieldKind::Blanks => String::new(),
            FieldKind::DateOrZero | FieldKind::Zeros | FieldKind::Num => "0".repeat(width),
            _ => return Err("is null and has no raw value".to_owned()),
        },
        (FieldKind::Num, Value::Number(n)) => format!("{:0width$}", n.as_u64().ok_or("must be a whole number")?),
        (FieldKind::Num | FieldKind::Zeros, Value::String(s)) => format!("{s:0>width$}"),
        (FieldKind::Amount, Value::String(s)) => {
            let ore = kidkit_core::parse_kroner(s, kidkit_core::AmountSyntax::POINT).map_err(|e| e.to_string())?;
            if ore < 0 {
                return Err("amount must not be negative (the sign is its own field)".to_owned());
            }
            format!("{ore:0width$}")
        }
        (FieldKind::Date | FieldKind::DateOrZero, Value::String(s)) => {
            let d = kidkit_core::parse_iso(s.as_bytes()).map_err(|e| e.to_string())?;
            kidkit_core::format_ddmmyy(d)
        }
        (FieldKind::Kid, Value::String(s)) => format!("{s:>width$}"),
        (_, Value::String(s)) => format!("{s:<width$}"),
        _ => return Err(format!("has a value of the wrong type: {v}")),
    };
    Ok(s)
}

/// Writes the file a JSON document describes, record by record. Fields use `raw` where given,
/// else `value`; where both are given they must agree.
pub fn write_from_json(input: impl Read, out: &mut impl Write) -> Result<(), JsonError> {
    rebuild_from_json(input, &["ocr-giro", "avtalegiro"], out, |_, r: &JsonRecord| record_line(r))
}

/// One record of the document as its 80 characters.
fn record_line(r: &JsonRecord) -> Result<String, Refusal> {
    let id: String =
        ["format_code", "service_code", "transmission_type", "assignment_type", "transaction_type", "record_type"]
            .iter()
            .filter_map(|name| {
                raw_of(&r.fields, name).or_else(|| value_of(&r.fields, name).and_then(Value::as_str).map(str::to_owned))
            })
            .collect();
    if let Some(raw) = raw_of(&r.fields, "record") {
        return Ok(raw);
    }
    let kind = identify(id.as_bytes()).map_err(|e| Refusal::new("record_type", e.message))?;
    let mut line = String::with_capacity(80);
    for f in layout(kind).fields {
        let part = match raw_of(&r.fields, f.name) {
            Some(raw) => {
                let (decode, encode) = (|raw: &str| field_value(f, raw), |v: &Value| from_value(f, v).ok());
                raw_and_value_agree(f.name, &raw, value_of(&r.fields, f.name), decode, encode)?;
                raw
            }
            None if f.kind == FieldKind::Id => String::new(),
            None => {
                let v = value_of(&r.fields, f.name).unwrap_or(&Value::Null);
                from_value(f, v).map_err(|m| Refusal::new(f.name, format!("{} {m}", f.name)))?
            }
        };
        if f.kind != FieldKind::Id && part.chars().count() != usize::from(f.len) {
            return Err(Refusal::new(f.name, format!("{} must be {} characters, found {:?}", f.name, f.len, part)));
        }
        line.push_str(&part);
    }
    if !line.starts_with("NY") {
        line.insert_str(0, &kind.id());
    }
    Ok(line)
}

/// One field as `inspect` shows it: the field, its raw characters and decoded value.
pub type FieldView = (Field, String, Value);

/// Every field of one record for `inspect`.
pub fn describe_record(text: &RecordText<'_>) -> Result<(RecordKind, Vec<FieldView>), crate::kind::KindError> {
    let kind = identify(text.as_str().as_bytes())?;
    let fields = if text.chars() == crate::record::RECORD_LEN {
        layout(kind).fields.iter().map(|f| (*f, text.field(f).to_owned(), field_value(f, text.field(f)))).collect()
    } else {
        Vec::new()
    };
    Ok((kind, fields))
}
