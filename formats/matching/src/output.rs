//! The result rows: one per payment, in input order, as CSV (`;`, header row), NDJSON (then a
//! last `{"summary": …}` line) or JSON (`{"payments": [...], "summary": {...}}`, streamed).

use std::io::{self, Write};

use kidkit_core::amount::format_point;
use serde_json::{Value, json};

use crate::index::Index;
use crate::model::{Match, Note, Payment};

/// The columns of a CSV result row.
pub const COLUMNS: [&str; 10] =
    ["line", "kid", "amount", "status", "customer_no", "invoice_no", "applied", "remaining", "surplus", "note"];

/// How result rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `;`-separated with a header row.
    Csv,
    /// One object per line, then the summary.
    Ndjson,
    /// One document.
    Json,
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Lines(W),
}

/// Writes result rows.
pub struct RowWriter<W: Write> {
    sink: Sink<W>,
    format: Format,
    rows: u64,
}

/// The note of a row, as text.
pub fn note_text(index: &Index, note: Note) -> Option<String> {
    match note {
        Note::None => None,
        Note::LeadingZeros { item } => {
            let it = index.item(item);
            Some(format!("leading_zeros: invoice {} has KID {}", it.invoice_no, it.kid))
        }
        Note::Reverses { line } => Some(format!("reverses line {line}")),
        Note::PaidBy { line } => Some(format!("already paid; latest payment to this KID on line {line}")),
        Note::NothingOpen => Some("nothing was open under this KID".to_owned()),
    }
}

impl<W: Write> RowWriter<W> {
    /// A writer of `format` rows into `out`; CSV gets its header, JSON its opening.
    pub fn new(mut out: W, format: Format) -> io::Result<Self> {
        let sink = match format {
            Format::Csv => {
                let mut w =
                    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(out);
                w.write_record(COLUMNS)?;
                Sink::Csv(Box::new(w))
            }
            Format::Json => {
                out.write_all(b"{\"payments\": [")?;
                Sink::Lines(out)
            }
            Format::Ndjson => Sink::Lines(out),
        };
        Ok(RowWriter { sink, format, rows: 0 })
    }

    /// One payment's row.
    pub fn write(&mut self, index: &Index, p: &Payment, m: &Match) -> io::Result<()> {
        let note = note_text(index, m.note);
        match &mut self.sink {
            Sink::Csv(w) => {
                let join = |f: &dyn Fn(&crate::model::Applied) -> String| {
                    m.applied.iter().map(f).collect::<Vec<_>>().join("|")
                };
                w.write_record([
                    p.line.to_string().as_str(),
                    &p.kid,
                    &format_point(p.amount),
                    m.status.name(),
                    &join(&|a| index.item(a.item).customer_no.to_owned()),
                    &join(&|a| index.item(a.item).invoice_no.to_owned()),
                    &join(&|a| format_point(a.applied)),
                    &join(&|a| format_point(a.remaining)),
                    &format_point(m.surplus),
                    note.as_deref().unwrap_or(""),
                ])?;
            }
            Sink::Lines(out) => {
                let items: Vec<Value> = m
                    .applied
                    .iter()
                    .map(|a| {
                        let it = index.item(a.item);
                        json!({"customer_no": it.customer_no, "invoice_no": it.invoice_no,
                               "applied": format_point(a.applied), "remaining": format_point(a.remaining)})
                    })
                    .collect();
                let row = json!({
                    "line": p.line, "kid": p.kid, "amount": format_point(p.amount), "status": m.status.name(),
                    "items": items, "surplus": format_point(m.surplus), "note": note,
                });
                if self.format == Format::Json {
                    out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
                    serde_json::to_writer(&mut *out, &row)?;
                } else {
                    serde_json::to_writer(&mut *out, &row)?;
                    out.write_all(b"\n")?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the output: NDJSON and JSON get the summary.
    pub fn finish(self, summary: &Value) -> io::Result<W> {
        match self.sink {
            Sink::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
            Sink::Lines(mut out) => {
                if self.format == Format::Json {
                    out.write_all(if self.rows == 0 { b"],\n \"summary\": " } else { b"\n ],\n \"summary\": " })?;
                    serde_json::to_writer(&mut out, summary)?;
                    out.write_all(b"}\n")?;
                } else {
                    serde_json::to_writer(&mut out, &json!({ "summary": summary }))?;
                    out.write_all(b"\n")?;
                }
                out.flush()?;
                Ok(out)
            }
        }
    }
}
