//! Flat rows of text written as `;`-separated CSV (header row, LF) or NDJSON (one object per
//! line, keys in column order, an empty value as `null`): the shared form of every format's
//! `--to csv|ndjson`.

use std::io::{self, Write};

mod columns;
mod once;
mod origins;
mod read;

pub use columns::{Columns, NameHasher, columns_of};
pub use once::GivenOnce;
pub use origins::{Origins, RowMark, Traced};
pub use read::{Row, RowError, RowReader, RowSyntax, sniff_header};

/// CSV or NDJSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// `;`-separated, header row, LF.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Ndjson(W),
}

/// Writes rows of text under fixed column names.
pub struct TextRows<W: Write> {
    sink: Sink<W>,
    columns: &'static [&'static str],
}

impl<W: Write> TextRows<W> {
    /// A row writer for `columns`; CSV gets its header row at once.
    pub fn new(out: W, format: RowFormat, columns: &'static [&'static str]) -> io::Result<Self> {
        let sink = match format {
            RowFormat::Csv => {
                let mut w =
                    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::Any(b'\n')).from_writer(out);
                w.write_record(columns).map_err(io::Error::other)?;
                Sink::Csv(Box::new(w))
            }
            RowFormat::Ndjson => Sink::Ndjson(out),
        };
        Ok(TextRows { sink, columns })
    }

    /// One row, a value per column in column order.
    pub fn write(&mut self, values: &[String]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.write_record(values).map_err(io::Error::other),
            Sink::Ndjson(out) => {
                let obj: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(values)
                    .map(|(c, v)| {
                        let v =
                            if v.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v.clone()) };
                        ((*c).to_owned(), v)
                    })
                    .collect();
                serde_json::to_writer(&mut *out, &obj)?;
                writeln!(out)
            }
        }
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> io::Result<W> {
        match self.sink {
            Sink::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
            Sink::Ndjson(mut w) => {
                w.flush()?;
                Ok(w)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_ndjson_rows() {
        const COLS: &[&str] = &["a", "b"];
        let mut csv = TextRows::new(Vec::new(), RowFormat::Csv, COLS).unwrap();
        csv.write(&["1;2".into(), String::new()]).unwrap();
        assert_eq!(String::from_utf8(csv.finish().unwrap()).unwrap(), "a;b\n\"1;2\";\n");
        let mut nd = TextRows::new(Vec::new(), RowFormat::Ndjson, COLS).unwrap();
        nd.write(&["x\"".into(), String::new()]).unwrap();
        assert_eq!(String::from_utf8(nd.finish().unwrap()).unwrap(), "{\"a\":\"x\\\"\",\"b\":null}\n");
    }
}
