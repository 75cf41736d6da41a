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
        crate::Diagnostic::error("IO003", self.line, self.column, format!("cannot read the rows: {self}")).field("row")
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
    Csv(csv::Reader<Quoting<R>>),
    Ndjson(LineReader<R>),
}

/// Follows the quoting of the CSV as it is read, so that a quote that is not closed where it
/// should be is seen: the CSV reader would take everything up to the next quote, rows included,
/// into one value without a word. Values are quoted whole (`"a;b"`, a quote inside written
/// twice); a closing quote is followed by the separator or the end of the row.
///
/// It also notes where each row starts, for the row's line: the CSV reader's own positions are
/// those of the end of the row before, which are a line early after CRLF or a blank line.
struct Quoting<R> {
    inner: R,
    delimiter: u8,
    state: Lex,
    /// Line (1-based) being read.
    line: u64,
    /// At the first byte of a line.
    row_start: bool,
    /// Separators of the current line in earlier buffers, outside quotes: the value reached.
    values: usize,
    /// The byte of the current line before this buffer; `None` at the start of a line.
    before: Option<u8>,
    /// Where the open quoted value started: its line and value (0-based).
    opened: (u64, usize),
    /// The first quote that went wrong: its line, value and what happened.
    broken: Option<(u64, usize, String)>,
    /// Bytes scanned before the current buffer.
    offset: u64,
    /// Byte offset and line of each row start scanned and not yet asked for.
    starts: std::collections::VecDeque<(u64, u64)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Outside quotes.
    Row,
    /// In a quoted value.
    Quoted,
    /// Just after a quote inside a quoted value: it closes the value, or starts a doubled quote.
    QuoteSeen,
}

impl<R> Quoting<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Quoting {
            inner,
            delimiter,
            state: Lex::Row,
            line: 1,
            row_start: true,
            values: 0,
            before: None,
            opened: (1, 0),
            broken: None,
            offset: 0,
            starts: std::collections::VecDeque::new(),
        }
    }

    /// The line of the row the CSV reader says starts at byte `at` (it may point at the line
    /// break before it): the first row start at or after it. Rows are asked for in order.
    fn line_of(&mut self, at: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|&(o, _)| o < at) {
            self.starts.pop_front();
        }
        self.starts.front().map(|&(_, line)| line)
    }

    /// Follows `bytes`, the next buffer. Outside quotes only quotes and line breaks are looked
    /// at; the separators before a quote are counted when one opens, to name its value.
    fn scan(&mut self, bytes: &[u8]) {
        let d = self.delimiter;
        // the current line's part of this buffer starts at `seg`, after the byte `before`
        let (mut seg, mut before) = (0, self.before);
        let mut i = 0;
        while i < bytes.len() && self.broken.is_none() {
            match self.state {
                Lex::Row => {
                    if self.row_start {
                        match bytes[i] {
                            b'\r' => {
                                i += 1;
                                continue;
                            }
                            b'\n' => {}
                            _ => self.starts.push_back((self.offset + i as u64, self.line)),
                        }
                        self.row_start = false;
                    }
                    let Some(n) = memchr::memchr3(b'"', b'\n', b'\r', &bytes[i..]) else { break };
                    let p = i + n;
                    if bytes[p] == b'"' {
                        let prev = if p > seg { Some(bytes[p - 1]) } else { before };
                        // a quote that starts a value opens it; one inside a value is taken as it is
                        if prev.is_none_or(|b| b == d) {
                            let value = self.values + memchr::memchr_iter(d, &bytes[seg..p]).count();
                            (self.opened, self.state) = ((self.line, value), Lex::Quoted);
                        }
                    } else {
                        // a line break ends the row; so does a carriage return, as for the CSV reader
                        let lf = u64::from(bytes[p] == b'\n');
                        (self.line, self.row_start, self.values) = (self.line + lf, true, 0);
                        (seg, before) = (p + 1, None);
                    }
                    i = p + 1;
                }
                Lex::Quoted => {
                    let Some(n) = memchr::memchr2(b'"', b'\n', &bytes[i..]) else { return };
                    if bytes[i + n] == b'"' {
                        self.state = Lex::QuoteSeen;
                    } else {
                        self.line += 1;
                    }
                    i += n + 1;
                }
                Lex::QuoteSeen => {
                    match bytes[i] {
                        b'"' => self.state = Lex::Quoted,
                        b'\n' | b'\r' => {
                            let lf = u64::from(bytes[i] == b'\n');
                            (self.line, self.row_start, self.values, self.state) = (self.line + lf, true, 0, Lex::Row);
                            (seg, before) = (i + 1, None);
                        }
                        b if b == d => {
                            // the separator after the value is counted from here on
                            (self.values, self.state) = (self.opened.1, Lex::Row);
                            (seg, before) = (i, Some(b'"'));
                        }
                        _ => self.broken = Some(self.closed_early(&bytes[i..])),
                    }
                    i += 1;
                }
            }
        }
        if self.state == Lex::Row {
            self.values += memchr::memchr_iter(d, &bytes[seg..]).count();
            self.before = if seg < bytes.len() { bytes.last().copied() } else { before };
        }
    }

    /// A quoted value closed, then followed by `rest` instead of a separator or a line break.
    fn closed_early(&self, rest: &[u8]) -> (u64, usize, String) {
        let next = String::from_utf8_lossy(&rest[..rest.len().min(4)]).chars().next().unwrap_or('?');
        let message = if self.line == self.opened.0 {
            format!(
                "is closed, then followed by {next:?}, not by the separator or the end of the row (a quote inside a quoted value is written twice: \"\")"
            )
        } else {
            format!(
                "is not closed on its line: the quote that closes it, on line {}, is followed by {next:?}, not by the separator or the end of the row",
                self.line
            )
        };
        (self.opened.0, self.opened.1, message)
    }

    /// At the end of the input: a quoted value still open is broken.
    fn finish(&mut self) {
        if self.state == Lex::Quoted && self.broken.is_none() {
            let message = "is not closed: it runs to the end of the input".to_owned();
            self.broken = Some((self.opened.0, self.opened.1, message));
        }
    }
}

impl<R: Read> Read for Quoting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.finish();
        } else {
            self.scan(&buf[..n]);
            self.offset += n as u64;
        }
        Ok(n)
    }
}

/// Reads rows of either syntax.
pub struct RowReader<R: Read> {
    inner: Inner<R>,
    headers: Vec<String>,
    /// The first NDJSON row, read to learn the header.
    first: Option<Result<Row, RowError>>,
    /// A broken quote was reported: no rows follow it.
    done: bool,
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
                    .from_reader(Quoting::new(input, delimiter));
                let headers = if has_header {
                    rdr.headers().map_err(|e| csv_error(&e, 1))?.iter().map(str::to_owned).collect()
                } else {
                    Vec::new()
                };
                Ok(RowReader { inner: Inner::Csv(rdr), headers, first: None, done: false })
            }
            RowSyntax::Ndjson => {
                let mut r = RowReader {
                    inner: Inner::Ndjson(LineReader::new(input, MAX_NDJSON_LINE)),
                    headers: Vec::new(),
                    first: None,
                    done: false,
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
        if self.done {
            return None;
        }
        match &mut self.inner {
            Inner::Csv(rdr) => {
                let mut record = StringRecord::new();
                let read = rdr.read_record(&mut record);
                // the quoting is followed ahead of the rows: a broken quote is said when the row
                // it opens in comes up (or at the end), and rows before it are handed out first
                if let Some((line, index, _)) = &rdr.get_ref().broken {
                    let (line, index) = (*line, *index);
                    let at = record.position().map(csv::Position::byte);
                    let starts = at.and_then(|at| rdr.get_mut().line_of(at)).unwrap_or(u64::MAX);
                    if !matches!(read, Ok(true)) || starts >= line {
                        let (_, _, why) = rdr.get_mut().broken.take()?;
                        self.done = true;
                        return Some(Err(self.unquoted(line, index, &why)));
                    }
                }
                let mut line_of =
                    |at: Option<&csv::Position>| at.map_or(0, |p| rdr.get_mut().line_of(p.byte()).unwrap_or(p.line()));
                match read {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = line_of(record.position());
                        Some(Ok(Row { line, record }))
                    }
                    Err(e) => {
                        let line = line_of(e.position());
                        Some(Err(csv_error(&e, line)))
                    }
                }
            }
            Inner::Ndjson(_) => self.next_ndjson(false),
        }
    }

    /// The quote that opens value `index` (0-based) of the row on `line`, and what is wrong.
    fn unquoted(&self, line: u64, index: usize, why: &str) -> RowError {
        let name = self.headers.get(index).map_or_else(String::new, |h| format!(" ({h})"));
        let column = u32::try_from(index + 1).unwrap_or(u32::MAX);
        RowError { line, column, message: format!("the quote that opens value {column}{name} {why}") }
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

    /// Hands out one byte per read, as the worst split of the input into buffers.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&b, rest)) = self.0.split_first() else { return Ok(0) };
            buf[0] = b;
            self.0 = rest;
            Ok(1)
        }
    }

    proptest::proptest! {
        /// Whatever the values, rows written by a CSV writer read back as written, on the lines
        /// they start on; and a quote inserted anywhere is found alike in any split of the input.
        #[test]
        fn rows_read_back_whole_and_alike_in_any_split(
            rows in proptest::collection::vec(proptest::collection::vec("[a\";\n ]{0,4}", 2), 1..6),
            crlf: bool,
            cut in 0usize..200,
        ) {
            let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') }).from_writer(Vec::new());
            w.write_record(["a", "b"]).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let (_, read) = all(&text, RowSyntax::CSV);
            let mut line = 2;
            for (r, got) in rows.iter().zip(&read) {
                let (at, values) = got.as_ref().unwrap();
                proptest::prop_assert_eq!(*at, line);
                proptest::prop_assert_eq!(values, r);
                line += 1 + r.iter().map(|v| v.matches('\n').count() as u64).sum::<u64>();
            }
            proptest::prop_assert_eq!(read.len(), rows.len());
            // (not between CR and LF: a bare CR is a row end the CSV reader and the quote check
            // may place apart)
            let mut broken = text.into_bytes();
            let mut cut = cut.min(broken.len());
            if cut > 0 && broken[cut - 1] == b'\r' {
                cut -= 1;
            }
            broken.insert(cut, b'"');
            let whole = {
                let mut r = RowReader::new(broken.as_slice(), RowSyntax::CSV).unwrap();
                std::iter::from_fn(|| r.next_row()).collect::<Vec<_>>()
            };
            let trickled = {
                let mut r = RowReader::new(Trickle(&broken), RowSyntax::CSV).unwrap();
                std::iter::from_fn(|| r.next_row()).collect::<Vec<_>>()
            };
            // the same rows and the same error; with less read ahead, a row in which a quote turns
            // out broken only later may be handed out before the error
            let oks = |v: &[Result<Row, RowError>]| v.iter().filter(|r| r.is_ok()).count();
            let err = |v: &[Result<Row, RowError>]| v.iter().find_map(|r| r.clone().err());
            proptest::prop_assert_eq!(err(&whole), err(&trickled));
            let n = oks(&whole).min(oks(&trickled));
            proptest::prop_assert_eq!(&whole[..n], &trickled[..n]);
            proptest::prop_assert!(oks(&trickled) <= oks(&whole) + 1);
        }
    }

    #[test]
    fn a_row_is_on_the_line_it_starts_on_after_crlf_and_blank_lines() {
        let (_, rows) = all("a;b\r\n\r\n1;2\r\n\n\n3;4\n", RowSyntax::CSV);
        let lines: Vec<u64> = rows.iter().map(|r| r.as_ref().unwrap().0).collect();
        assert_eq!(lines, [3, 6]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_where_it_opens_not_a_swallowed_row() {
        let broken = |rows: &Read, line, column, says: &str| {
            assert!(
                matches!(rows.last(), Some(Err(e)) if (e.line, e.column) == (line, column) && e.message.contains(says)),
                "{rows:?}"
            );
        };
        // the quote in row 3 would take rows 4 and 5 into its value; row 2 comes first
        let (_, rows) = all("a;b\n1;x\n2;\"y\n3;z\n4;w\n", RowSyntax::CSV);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].is_ok());
        broken(&rows, 3, 2, "the quote that opens value 2 (b) is not closed: it runs to the end of the input");
        // on the last line too, and said once
        let (_, rows) = all("a;b\n1;x\n2;\"y", RowSyntax::CSV);
        assert_eq!(rows.len(), 2);
        broken(&rows, 3, 2, "runs to the end of the input");
        // closed by the quote that opens a value of a later row
        let (_, rows) = all("a;b\n\"1;x\n2;\"y\"\n", RowSyntax::CSV);
        assert_eq!(rows.len(), 1);
        broken(&rows, 2, 1, "the quote that closes it, on line 3, is followed by 'y'");
        let (_, rows) = all("a;b\n1;\"x\"y\n", RowSyntax::CSV);
        broken(&rows, 2, 2, "is closed, then followed by 'y'");
        // quotes that close, doubled quotes, line breaks in a quoted value, CRLF, a quote inside an
        // unquoted value: all fine
        let (_, rows) = all("a;b\r\n\"1\";\"x \"\"q\"\"\"\r\n\"l1\nl2\";5\"\n", RowSyntax::CSV);
        let want: Read =
            vec![Ok((2, vec!["1".into(), "x \"q\"".into()])), Ok((3, vec!["l1\nl2".into(), "5\"".into()]))];
        assert_eq!(rows, want);
    }

    #[test]
    fn headers_are_sniffed_in_either_syntax() {
        assert_eq!(sniff_header(b"a;b\r\n1;2"), Some((RowSyntax::CSV, vec!["a".into(), "b".into()])));
        assert_eq!(sniff_header(b"{\"a\":1,\"b\":null}\n"), Some((RowSyntax::Ndjson, vec!["a".into(), "b".into()])));
    }
}
