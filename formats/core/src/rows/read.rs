//! Reading flat rows, from CSV or NDJSON alike: a header (the CSV's first row, or the keys of the
//! first NDJSON object) and then one record per row, each with the line it starts on. The
//! builders of every format read rows through this, so NDJSON is read wherever CSV is.

use std::io::Read;

use csv::StringRecord;
use serde_json::Value;

use crate::lines::LineReader;

/// How the rows are written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSyntax {
    /// Delimited text (`;` for kidkit's own rows), with or without a header row.
    Csv {
        /// The field separator.
        delimiter: u8,
        /// The first row names the columns.
        has_header: bool,
    },
    /// One JSON object per line; the keys of the first name the columns.
    Ndjson,
}

impl RowSyntax {
    /// kidkit's own CSV: `;`-separated with a header row.
    pub const CSV: RowSyntax = RowSyntax::Csv { delimiter: b';', has_header: true };
}

/// A row that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RowError {
    /// The line it starts on (1-based).
    pub line: u64,
    /// The column (1-based field number for CSV, character for NDJSON) where it goes wrong.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    /// The finding people see (`IO003` on the row's line and column).
    pub fn finding(&self) -> crate::Diagnostic {
        crate::Diagnostic::error("IO003", self.line, self.column, format!("row {} cannot be read: {self}", self.line))
            .field("row")
    }
}

/// One row: the line it starts on and its values in header order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the input.
    pub line: u64,
    /// The values.
    pub record: StringRecord,
}

enum Inner<R: Read> {
    Csv(csv::Reader<R>),
    Ndjson(LineReader<R>),
}

/// Reads rows of either syntax.
pub struct RowReader<R: Read> {
    inner: Inner<R>,
    headers: Vec<String>,
    /// The first NDJSON row, read to learn the header.
    first: Option<Result<Row, RowError>>,
}

/// Longest NDJSON line read.
const MAX_NDJSON_LINE: usize = 16 << 20;

impl<R: Read> RowReader<R> {
    /// Starts reading: the header is read at once.
    pub fn new(input: R, syntax: RowSyntax) -> Result<Self, RowError> {
        match syntax {
            RowSyntax::Csv { delimiter, has_header } => {
                let mut rdr = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .has_headers(has_header)
                    .flexible(true)
                    .from_reader(input);
                let headers = if has_header {
                    rdr.headers().map_err(|e| csv_error(&e, 1))?.iter().map(str::to_owned).collect()
                } else {
                    Vec::new()
                };
                Ok(RowReader { inner: Inner::Csv(rdr), headers, first: None })
            }
            RowSyntax::Ndjson => {
                let mut r = RowReader {
                    inner: Inner::Ndjson(LineReader::new(input, MAX_NDJSON_LINE)),
                    headers: Vec::new(),
                    first: None,
                };
                r.first = r.next_ndjson(true);
                Ok(r)
            }
        }
    }

    /// The column names (empty for CSV without a header row).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next row, `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<Row, RowError>> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        match &mut self.inner {
            Inner::Csv(rdr) => {
                let mut record = StringRecord::new();
                match rdr.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record.position().map_or(0, csv::Position::line);
                        Some(Ok(Row { line, record }))
                    }
                    Err(e) => {
                        let line = e.position().map_or(0, csv::Position::line);
                        Some(Err(csv_error(&e, line)))
                    }
                }
            }
            Inner::Ndjson(_) => self.next_ndjson(false),
        }
    }

    /// The next NDJSON object (blank lines skipped); `first` takes its keys as the header.
    fn next_ndjson(&mut self, first: bool) -> Option<Result<Row, RowError>> {
        let Inner::Ndjson(lines) = &mut self.inner else { return None };
        loop {
            let line = match lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => return Some(Err(RowError { line: 0, column: 1, message: format!("cannot read: {e}") })),
            };
            let number = line.number;
            if line.is_cut() {
                let message = format!("the row is {} bytes long, more than {MAX_NDJSON_LINE}", line.len);
                return Some(Err(RowError { line: number, column: 1, message }));
            }
            if line.bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let object: serde_json::Map<String, Value> = match serde_json::from_slice(line.bytes) {
                Ok(o) => o,
                Err(e) => {
                    let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
                    return Some(Err(RowError { line: number, column, message: format!("not a JSON object: {e}") }));
                }
            };
            if first {
                self.headers = object.keys().cloned().collect();
            }
            let mut record = vec![String::new(); self.headers.len()];
            for (key, value) in object {
                let Some(at) = self.headers.iter().position(|h| *h == key) else {
                    let message = format!("key '{key}' is not a column of the first row ({})", self.headers.join(", "));
                    return Some(Err(RowError { line: number, column: 1, message }));
                };
                record[at] = match value {
                    Value::Null => String::new(),
                    Value::String(s) => s,
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    other => {
                        let message = format!("'{key}' holds {other}, not a text, number or null");
                        return Some(Err(RowError { line: number, column: 1, message }));
                    }
                };
            }
            return Some(Ok(Row { line: number, record: StringRecord::from(record) }));
        }
    }
}

fn csv_error(e: &csv::Error, line: u64) -> RowError {
    RowError { line: line.max(1), column: 1, message: e.to_string() }
}

/// The column names a head of rows starts with, and their syntax: the keys of an NDJSON object
/// on the first line, or the `;`-separated names of a CSV header. For format detection.
pub fn sniff_header(head: &[u8]) -> Option<(RowSyntax, Vec<String>)> {
    let first = head.split(|&b| b == b'\n').next()?;
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if first.trim_ascii_start().starts_with(b"{") {
        let object: serde_json::Map<String, Value> = serde_json::from_slice(first).ok()?;
        return Some((RowSyntax::Ndjson, object.keys().cloned().collect()));
    }
    let text = std::str::from_utf8(first).ok()?;
    Some((RowSyntax::CSV, text.split(';').map(str::to_owned).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = Vec<Result<(u64, Vec<String>), RowError>>;

    fn all(input: &str, syntax: RowSyntax) -> (Vec<String>, Read) {
        let mut r = RowReader::new(input.as_bytes(), syntax).unwrap();
        let mut rows = Vec::new();
        while let Some(row) = r.next_row() {
            rows.push(row.map(|row| (row.line, row.record.iter().map(str::to_owned).collect())));
        }
        (r.headers().to_vec(), rows)
    }

    #[test]
    fn csv_and_ndjson_give_the_same_rows() {
        let (h, csv) = all("a;b\n1;\"x;y\"\n2;\n", RowSyntax::CSV);
        assert_eq!(h, ["a", "b"]);
        assert_eq!(csv, [Ok((2, vec!["1".into(), "x;y".into()])), Ok((3, vec!["2".into(), String::new()]))]);
        let (h, nd) = all("{\"a\":\"1\",\"b\":\"x;y\"}\n\n{\"b\":null,\"a\":2}\n", RowSyntax::Ndjson);
        assert_eq!(h, ["a", "b"]);
        assert_eq!(nd, [Ok((1, vec!["1".into(), "x;y".into()])), Ok((3, vec!["2".into(), String::new()]))]);
    }

    #[test]
    fn a_row_that_is_not_an_object_or_has_an_unknown_key_is_an_error_on_its_line() {
        let (_, rows) = all("{\"a\":1}\n{\"a\":2,\"c\":3}\n[1]\n", RowSyntax::Ndjson);
        assert!(matches!(&rows[1], Err(e) if e.line == 2 && e.message.contains("key 'c'")));
        assert!(matches!(&rows[2], Err(e) if e.line == 3 && e.message.contains("not a JSON object")));
    }

    #[test]
    fn headers_are_sniffed_in_either_syntax() {
        assert_eq!(sniff_header(b"a;b\r\n1;2"), Some((RowSyntax::CSV, vec!["a".into(), "b".into()])));
        assert_eq!(sniff_header(b"{\"a\":1,\"b\":null}\n"), Some((RowSyntax::Ndjson, vec!["a".into(), "b".into()])));
    }
}
