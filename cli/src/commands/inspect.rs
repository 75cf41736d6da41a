//! `kidkit inspect FILE --line N`: every field of one record.

use std::io::{self, Write};

use kidkit_core::encoding::{EncodingSniffer, TextEncoding, decode};
use kidkit_core::lines::LineReader;
use kidkit_core::render::visible;
use kidkit_ocr::record::RecordText;

use crate::args::FormatArg;
use crate::detect::{Detected, detect};
use crate::outcome::{Failure, Outcome};
use crate::source::Source;

/// Prints the fields of line `n`.
pub fn run(file: Option<&str>, n: u64, from: Option<FormatArg>) -> Result<Outcome, Failure> {
    let src = Source::open(file)?;
    let nets = matches!(from, Some(FormatArg::OcrGiro | FormatArg::Avtalegiro))
        || (from.is_none() && detect(&src.head) == Some(Detected::Nets));
    let name = src.name.clone();
    if !nets {
        writeln!(
            io::stderr().lock(),
            "kidkit: error[IO006]: '{name}': inspect reads Nets files (ocr-giro, avtalegiro)"
        )?;
        return Err(Failure::Reported);
    }
    let mut lines = LineReader::new(src.into_reader(), 400);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
    let mut out = io::stdout().lock();
    while let Some(line) = lines.next_line().map_err(|e| Failure::read(format!("'{name}'"), e))? {
        let enc = sniffer.observe(line.bytes).encoding;
        if line.number < n {
            continue;
        }
        let text = RecordText::new(decode(line.bytes, enc));
        match kidkit_ocr::json::describe_record(&text) {
            Err(e) => {
                writeln!(out, "{name}:{n}: {} ({})", e.message, e.code)?;
                return Ok(Outcome::Invalid);
            }
            Ok((kind, fields)) => {
                writeln!(out, "{name}:{n}: {kind}")?;
                if fields.is_empty() {
                    writeln!(out, "the record has {} characters, not 80: its fields cannot be shown", text.chars())?;
                    return Ok(Outcome::Invalid);
                }
                writeln!(out, "{:<34} {:<8} {:<27} value", "field", "columns", "raw")?;
                for (f, raw, value) in fields {
                    let cols = if f.len == 1 { f.start.to_string() } else { format!("{}-{}", f.start, f.end()) };
                    let value = match value {
                        serde_json::Value::Null => "(none)".to_owned(),
                        serde_json::Value::String(s) => s,
                        v => v.to_string(),
                    };
                    writeln!(out, "{:<34} {cols:<8} {:<27} {value}", f.name, format!("'{}'", visible(&raw)))?;
                }
                return Ok(Outcome::Ok);
            }
        }
    }
    writeln!(io::stderr().lock(), "kidkit: error: '{name}' has fewer than {n} lines")?;
    Err(Failure::Reported)
}
