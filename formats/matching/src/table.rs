//! Reading kidkit's `;`-separated input tables (payments CSV, open-items CSV): a header row
//! naming the columns in any order, then rows read in parallel chunks of whole lines and handed
//! on in file order.

use std::borrow::Cow;
use std::io::{self, Read};

use kidkit_core::{
    Cell, Chunk, ChunkReader, Diagnostic, Findings, Line, TextEncoding, decode, forbidden_byte_finding, split_into,
};
use rayon::prelude::*;

/// Bytes per chunk handed to one worker.
const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// Longest line read whole.
pub(crate) const MAX_LINE: usize = 4096;

/// The columns of a table: which of the known names each position holds.
#[derive(Debug, Clone)]
pub struct Columns {
    /// For each known column name, its position in the file's rows (`None`: absent).
    pub at: Vec<Option<usize>>,
    /// Fields per row.
    pub width: usize,
}

impl Columns {
    /// Reads a header row: every name must be one of `known`, once; the first `required` of
    /// `known` must all be there (`MAT001` otherwise).
    pub fn from_header(line: &str, known: &[&str], required: usize) -> Result<Columns, Vec<Diagnostic>> {
        let mut fields = Vec::new();
        let mut found = Vec::new();
        if let Err(col) = split_into(line, ';', true, &mut fields) {
            return Err(vec![
                Diagnostic::error("MAT001", 1, col, "header row has a quote that is not closed").field("header"),
            ]);
        }
        let mut at = vec![None; known.len()];
        let expected = known.join(";");
        for (pos, f) in fields.iter().enumerate() {
            let name = f.value.trim();
            match known.iter().position(|k| *k == name) {
                Some(k) if at[k].is_none() => at[k] = Some(pos),
                Some(_) => found.push(
                    Diagnostic::error("MAT001", 1, f.column, format!("header column '{name}' appears twice"))
                        .field("header"),
                ),
                None => found.push(
                    Diagnostic::error(
                        "MAT001",
                        1,
                        f.column,
                        format!("header column must be one of {}; found '{name}'", known.join(", ")),
                    )
                    .field("header")
                    .width(name.chars().count().max(1) as u32),
                ),
            }
        }
        for (k, name) in known.iter().enumerate().take(required) {
            if at[k].is_none() {
                let end = line.chars().count() as u32 + 1;
                found.push(
                    Diagnostic::error(
                        "MAT001",
                        1,
                        end,
                        format!("header row must have the column '{name}'; expected {expected}; found '{line}'"),
                    )
                    .field("header"),
                );
            }
        }
        if found.is_empty() { Ok(Columns { at, width: fields.len() }) } else { Err(found) }
    }
}

/// One row of a table, split, with its line number.
pub struct Row<'a> {
    /// 1-based line.
    pub line: u64,
    fields: &'a [Cell<'a>],
    columns: &'a Columns,
    text: &'a str,
}

impl Row<'_> {
    /// The value of known column `k`, trimmed of blanks; empty when the column is absent.
    pub fn get(&self, k: usize) -> &str {
        self.columns.at[k].map_or("", |p| self.fields[p].value.trim())
    }

    /// Where known column `k` starts (1 when absent).
    pub fn column(&self, k: usize) -> u32 {
        self.columns.at[k].map_or(1, |p| self.fields[p].column)
    }

    /// An error on known column `k`, which is named `name`.
    pub fn error(&self, code: &'static str, k: usize, name: &'static str, message: String) -> Diagnostic {
        Diagnostic::error(code, self.line, self.column(k), message)
            .field(name)
            .width(self.get(k).chars().count().max(1) as u32)
            .record(self.text.to_owned())
    }
}

/// Splits the lines of `chunk` (the header line skipped) and hands each row to `row`; lines that
/// cannot be rows are findings.
pub fn chunk_rows(
    chunk: &Chunk,
    columns: &Columns,
    out: &mut Vec<Diagnostic>,
    mut row: impl FnMut(&Row<'_>, &mut Vec<Diagnostic>),
) {
    let mut spare: Vec<Cell<'static>> = Vec::new();
    for line in chunk.lines() {
        if line.number == 1 {
            continue;
        }
        if let Some(d) = whole_line_problem(&line) {
            out.push(d);
            continue;
        }
        let text = line_text(&line);
        let mut fields = reuse(std::mem::take(&mut spare));
        match split_into(&text, ';', true, &mut fields) {
            Err(col) => {
                out.push(Diagnostic::error("MAT002", line.number, col, "a quoted field is not closed").field("record"));
            }
            Ok(()) if fields.len() != columns.width => {
                let col = fields.get(columns.width).map_or(text.chars().count() as u32 + 1, |f| f.column);
                out.push(
                    Diagnostic::error(
                        "MAT002",
                        line.number,
                        col,
                        format!(
                            "row must have {} fields like the header; found {}",
                            columns.width,
                            if text.is_empty() { "a blank line".to_owned() } else { fields.len().to_string() }
                        ),
                    )
                    .field("record")
                    .record(text.clone().into_owned()),
                );
            }
            Ok(()) => row(&Row { line: line.number, fields: &fields, columns, text: &text }, out),
        }
        spare = reuse(fields);
    }
}

/// An empty vector on the same allocation, for fields borrowing from another line.
fn reuse<'b>(mut v: Vec<Cell<'_>>) -> Vec<Cell<'b>> {
    v.clear();
    // collecting from an emptied vector's own iterator reuses its allocation
    v.into_iter().map(|_| Cell { column: 0, value: Cow::Borrowed(""), quoted: false }).collect()
}

fn whole_line_problem(line: &Line<'_>) -> Option<Diagnostic> {
    if line.is_cut() {
        return Some(
            Diagnostic::error(
                "MAT002",
                line.number,
                MAX_LINE as u32 + 1,
                format!("line is {} bytes long; rows are at most {MAX_LINE} bytes", line.len),
            )
            .field("record"),
        );
    }
    // a control character (a NUL or ESC in a KID) is not text, as in every other format
    let encoding = if std::str::from_utf8(line.bytes).is_ok() { TextEncoding::Utf8 } else { TextEncoding::Windows1252 };
    forbidden_byte_finding(line.bytes, encoding, line.number)
}

/// UTF-8, or Windows-1252 when the bytes are not UTF-8 (spreadsheet exports).
fn line_text<'a>(line: &Line<'a>) -> Cow<'a, str> {
    match std::str::from_utf8(line.bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => decode(line.bytes, TextEncoding::Windows1252),
    }
}

/// Reads a table from `input`: the header into [`Columns`] (its findings go to `findings` and
/// stop the reading), then chunks of rows through `parse` in parallel, each result handed to
/// `take` in file order. Returns the number of lines read.
pub fn read<T: Send>(
    input: impl Read,
    known: &[&str],
    required: usize,
    findings: &mut Findings,
    parse: impl Fn(&Chunk, &Columns) -> (T, Vec<Diagnostic>) + Sync,
    mut take: impl FnMut(T, &Findings) -> io::Result<()>,
) -> io::Result<u64> {
    let mut reader = ChunkReader::new(input, CHUNK_BYTES, MAX_LINE);
    let Some(first) = reader.next_chunk()? else {
        findings.push(
            Diagnostic::error("MAT001", 1, 1, format!("file is empty; expected a header row {}", known.join(";")))
                .field("header"),
        );
        return Ok(0);
    };
    let header = first.lines().next().map(|l| line_text(&l).into_owned()).unwrap_or_default();
    let columns = match Columns::from_header(&header, known, required) {
        Ok(c) => c,
        Err(found) => {
            findings.extend(found);
            return Ok(1);
        }
    };
    let threads = rayon::current_num_threads().max(1);
    let mut lines = 0;
    let mut pending = Some(first);
    loop {
        let mut batch: Vec<Chunk> = pending.take().into_iter().collect();
        while batch.len() < threads * 2 {
            match reader.next_chunk()? {
                Some(c) => batch.push(c),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        lines += batch.iter().map(Chunk::line_count).sum::<u64>();
        let results: Vec<(T, Vec<Diagnostic>)> = batch.par_iter().map(|c| parse(c, &columns)).collect();
        for (value, found) in results {
            findings.extend(found);
            take(value, findings)?;
        }
        for c in batch {
            reader.recycle(c);
        }
    }
    Ok(lines)
}
