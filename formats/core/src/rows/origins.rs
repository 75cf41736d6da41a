//! Where each line of a file built from rows came from. A file built from CSV or NDJSON rows is
//! checked like any file before it is kept; a finding of that check is about a line of a file
//! the user never sees, so it is moved back to the row (and, where the row has a column of that
//! name, the column) the line was written from.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::rc::Rc;
use std::sync::Arc;

use crate::diagnostic::FileReport;

/// The row being written: set by a builder before it writes what a row holds.
#[derive(Debug, Clone, Default)]
pub struct RowMark(Rc<Cell<u64>>);

impl RowMark {
    /// What is written next comes from the row on `line` of the input.
    pub fn set(&self, line: u64) {
        self.0.set(line);
    }
}

/// The row of each line written, one `u64` per line in a temporary file, so that memory stays
/// flat whatever the size of the file built.
#[derive(Debug)]
pub struct Origins {
    source: String,
    columns: Vec<String>,
    spill: Option<BufWriter<File>>,
    lines: u64,
}

impl Origins {
    /// Origins of a file built from the rows of `source` (the input as named).
    pub fn new(source: &str) -> Self {
        Origins { source: source.to_owned(), columns: Vec::new(), spill: None, lines: 0 }
    }

    /// The rows' column names in order: a finding about a field of the same name is put on
    /// that column.
    pub fn columns<S: AsRef<str>>(&mut self, names: &[S]) {
        self.columns = names.iter().map(|n| n.as_ref().to_owned()).collect();
    }

    /// `out`, noting for each line written through it the row `mark` names at that moment.
    pub fn trace<W: Write>(&mut self, out: W, mark: RowMark) -> Traced<'_, W> {
        Traced { inner: out, origins: self, mark }
    }

    fn note(&mut self, row: u64) -> io::Result<()> {
        let spill = match &mut self.spill {
            Some(s) => s,
            None => self.spill.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        spill.write_all(&row.to_le_bytes())?;
        self.lines += 1;
        Ok(())
    }

    /// Moves each finding of `report` (the check of the file built) to the row its line came
    /// from: the input's name, the row's line, the column of the finding's field where the rows
    /// have one (else 1). The message keeps the built line's number. Without any line noted,
    /// the report is left as it is.
    pub fn relocate(&mut self, report: &mut FileReport) -> io::Result<()> {
        let Some(spill) = self.spill.take().filter(|_| self.lines > 0) else { return Ok(()) };
        let mut file = spill.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        // the findings come in line order: the origins are read forward, through a buffer
        let (mut origins, mut at_byte) = (BufReader::new(file), 0u64);
        let source: Arc<str> = Arc::from(self.source.as_str());
        for d in &mut report.findings {
            // a finding about the whole file sits after its last line: on the last row
            let want = (d.line.clamp(1, self.lines) - 1) * 8;
            let step = i64::try_from(want).unwrap_or(i64::MAX) - i64::try_from(at_byte).unwrap_or(i64::MAX);
            origins.seek_relative(step)?;
            let mut row = [0u8; 8];
            origins.read_exact(&mut row)?;
            at_byte = want + 8;
            let column = d.field.as_deref().and_then(|f| self.columns.iter().position(|c| c == f));
            d.message = format!("{} (line {} of the file these rows build)", d.message, d.line);
            d.line = u64::from_le_bytes(row);
            d.column = column.map_or(1, |i| u32::try_from(i + 1).unwrap_or(u32::MAX));
            d.width = 1;
            d.record = None;
            d.file = Arc::clone(&source);
        }
        report.file.clone_from(&self.source);
        report.findings.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
        Ok(())
    }
}

/// A writer that notes the row of each line written through it (see [`Origins::trace`]).
pub struct Traced<'o, W> {
    inner: W,
    origins: &'o mut Origins,
    mark: RowMark,
}

impl<W: Write> Write for Traced<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        for _ in memchr::memchr_iter(b'\n', &buf[..n]) {
            self.origins.note(self.mark.0.get())?;
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostic, Findings};

    #[test]
    fn findings_of_the_built_file_move_to_the_rows_they_came_from() {
        let mut origins = Origins::new("rows.csv");
        origins.columns(&["line", "kid", "amount"]);
        let mark = RowMark::default();
        {
            let mut out = origins.trace(Vec::new(), mark.clone());
            mark.set(2);
            out.write_all(b"first\nsecond\n").unwrap();
            mark.set(5);
            out.write_all(b"third").unwrap();
            out.write_all(b"\n").unwrap();
        }
        let mut f = Findings::new("rows.csv (converted)", None);
        f.push(Diagnostic::error("X", 3, 40, "bad amount").field("amount").width(17).record("third"));
        f.push(Diagnostic::error("Y", 2, 9, "bad number").field("transaction_number"));
        f.push(Diagnostic::error("Z", 4, 1, "ends early"));
        let mut report = FileReport::new("x", 3, f);
        origins.relocate(&mut report).unwrap();
        let moved: Vec<(u64, u32, &str, &str)> =
            report.findings.iter().map(|d| (d.line, d.column, d.code, &*d.file)).collect();
        assert_eq!(moved, [(2, 1, "Y", "rows.csv"), (5, 1, "Z", "rows.csv"), (5, 3, "X", "rows.csv")]);
        assert_eq!(report.findings[2].message, "bad amount (line 3 of the file these rows build)");
        assert_eq!((report.findings[2].width, report.findings[2].record.as_deref()), (1, None));
        assert_eq!(report.file, "rows.csv");
    }
}
