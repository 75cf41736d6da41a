//! The result rows: one per payment, in input order, as CSV (`;`, header row), NDJSON (then a
//! last `{"summary": …}` line) or JSON (`{"payments": [...], "summary": {...}}`, streamed).

use std::io::{self, Write};

use kidkit_core::{Kroner, format_point};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::index::Index;
use crate::model::{Match, Note, Payment};

/// The columns of a CSV result row.
pub const RESULT_COLUMNS: [&str; 10] =
    ["line", "kid", "amount", "status", "customer_no", "invoice_no", "applied", "remaining", "surplus", "note"];

/// How result rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// `;`-separated with a header row.
    Csv,
    /// One object per line, then the summary.
    Ndjson,
    /// One document.
    Json,
}

/// Writes result rows.
pub struct RowWriter<W: Write> {
    out: W,
    format: ResultFormat,
    /// A row has been written (JSON puts commas between rows).
    any: bool,
}

/// Rows formatted by one worker.
const ROWS_PER_TASK: usize = 4096;

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

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new())
}

/// Formats rows into a buffer; JSON rows each start with `,\n  `.
fn format_rows(
    format: ResultFormat,
    index: &Index,
    payments: &[Payment],
    matches: &[Match],
    keep: &(dyn Fn(&Match) -> bool + Sync),
) -> io::Result<Vec<u8>> {
    use std::fmt::Write as _;
    let mut out = Vec::with_capacity(payments.len() * 64);
    let mut csv = csv_writer();
    let mut text = String::new();
    for (p, m) in payments.iter().zip(matches).filter(|(_, m)| keep(m)) {
        let note = note_text(index, m.note);
        if format == ResultFormat::Csv {
            let mut field = |f: &dyn Fn(&mut String)| -> io::Result<()> {
                text.clear();
                f(&mut text);
                csv.write_field(&text).map_err(io::Error::other)
            };
            let list = |t: &mut String, each: &dyn Fn(&mut String, &crate::model::Applied)| {
                for (i, a) in m.applied.iter().enumerate() {
                    if i > 0 {
                        t.push('|');
                    }
                    each(t, a);
                }
            };
            field(&|t| {
                let _ = write!(t, "{}", p.line);
            })?;
            field(&|t| t.push_str(&p.kid))?;
            field(&|t| {
                let _ = write!(t, "{}", Kroner(p.amount, '.'));
            })?;
            field(&|t| t.push_str(m.status.name()))?;
            field(&|t| list(t, &|t, a| t.push_str(index.names(a.item).0)))?;
            field(&|t| list(t, &|t, a| t.push_str(index.names(a.item).1)))?;
            field(&|t| {
                list(t, &|t, a| {
                    let _ = write!(t, "{}", Kroner(a.applied, '.'));
                });
            })?;
            field(&|t| {
                list(t, &|t, a| {
                    let _ = write!(t, "{}", Kroner(a.remaining, '.'));
                });
            })?;
            field(&|t| {
                let _ = write!(t, "{}", Kroner(m.surplus, '.'));
            })?;
            field(&|t| t.push_str(note.as_deref().unwrap_or("")))?;
            csv.write_record(None::<&[u8]>).map_err(io::Error::other)?;
        } else {
            let items: Vec<Value> = m
                .applied
                .iter()
                .map(|a| {
                    let (customer_no, invoice_no) = index.names(a.item);
                    json!({"customer_no": customer_no, "invoice_no": invoice_no,
                           "applied": format_point(a.applied), "remaining": format_point(a.remaining)})
                })
                .collect();
            let row = json!({
                "line": p.line, "kid": p.kid, "amount": format_point(p.amount), "status": m.status.name(),
                "items": items, "surplus": format_point(m.surplus), "note": note,
            });
            if format == ResultFormat::Json {
                out.extend_from_slice(b",\n  ");
                serde_json::to_writer(&mut out, &row)?;
            } else {
                serde_json::to_writer(&mut out, &row)?;
                out.push(b'\n');
            }
        }
    }
    if format == ResultFormat::Csv {
        csv.flush()?;
        out = csv.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
    }
    Ok(out)
}

impl<W: Write> RowWriter<W> {
    /// A writer of `format` rows into `out`; CSV gets its header, JSON its opening.
    pub fn new(mut out: W, format: ResultFormat) -> io::Result<Self> {
        match format {
            ResultFormat::Csv => {
                let mut w = csv_writer();
                w.write_record(RESULT_COLUMNS)?;
                out.write_all(&w.into_inner().map_err(|e| io::Error::other(e.to_string()))?)?;
            }
            ResultFormat::Json => out.write_all(b"{\"payments\": [")?,
            ResultFormat::Ndjson => {}
        }
        Ok(RowWriter { out, format, any: false })
    }

    /// The rows of a batch of payments and their results, in order, leaving out those `keep`
    /// refuses. Rows are formatted in parallel and written in order.
    pub fn write_batch(
        &mut self,
        index: &Index,
        payments: &[Payment],
        matches: &[Match],
        keep: &(dyn Fn(&Match) -> bool + Sync),
    ) -> io::Result<()> {
        let format = self.format;
        let parts: Vec<io::Result<Vec<u8>>> = payments
            .par_chunks(ROWS_PER_TASK)
            .zip(matches.par_chunks(ROWS_PER_TASK))
            .map(|(p, m)| format_rows(format, index, p, m, keep))
            .collect();
        for part in parts {
            let part = part?;
            let mut bytes = part.as_slice();
            if format == ResultFormat::Json && !self.any && !bytes.is_empty() {
                // the first row of the document has no comma before it
                bytes = &bytes[1..];
            }
            self.any |= !bytes.is_empty();
            self.out.write_all(bytes)?;
        }
        Ok(())
    }

    /// Ends the output: NDJSON and JSON get the summary.
    pub fn finish(mut self, summary: &Value) -> io::Result<W> {
        match self.format {
            ResultFormat::Csv => {}
            ResultFormat::Json => {
                self.out.write_all(if self.any { b"\n ],\n \"summary\": " } else { b"],\n \"summary\": " })?;
                serde_json::to_writer(&mut self.out, summary)?;
                self.out.write_all(b"}\n")?;
            }
            ResultFormat::Ndjson => {
                serde_json::to_writer(&mut self.out, &json!({ "summary": summary }))?;
                self.out.write_all(b"\n")?;
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
