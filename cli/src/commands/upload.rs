//! `kidkit convert` for creditor uploads: to JSON, CSV and NDJSON rows (one per claim), and back
//! from JSON or CSV (with a column map), validated before anything is committed.

use std::io::{self, Write};
use std::path::Path;

use kidkit_core::jsondoc::FileForm;
use kidkit_core::lines::LineEnding;
use kidkit_core::{Diagnostic, FileReport, Findings};
use kidkit_upload::check::{Outcome as CheckOutcome, UploadSink, check, check_rereadable, settle_duplicates};
use kidkit_upload::flat::{ColumnMap, RowFormat, RowWriter, build_from_rows};
use kidkit_upload::json::{JsonWriter, write_from_json};
use kidkit_upload::write::Writer;

use super::convert::show;
use crate::args::{FormatArg, GlobalArgs};
use crate::options;
use crate::outcome::{Failure, Outcome, read_settings};
use crate::output::{Staged, TagWrites};
use crate::source::{Rereadable, Source};

/// Reads a `--map` file; a bad one is `IO007` and exit 2.
pub fn read_map(path: &Path) -> Result<ColumnMap, Failure> {
    read_settings(path, ColumnMap::from_json)
}

/// Rewrites an upload record by record from its fields (byte-identical for canonical files).
struct Rewrite<W: Write>(Option<Writer<W>>);

impl<W: Write> UploadSink for Rewrite<W> {
    fn record(&mut self, _line: u64, rec: &kidkit_upload::check::Record<'_>) -> io::Result<()> {
        let Some(w) = self.0.as_mut() else { return Ok(()) };
        if rec.kind == kidkit_upload::layout::RecordType::Trailer {
            return Ok(());
        }
        let values: Vec<(&str, &str)> = rec.kind.fields().iter().map(|f| (f.name, rec.value(f.name))).collect();
        w.record(rec.kind, &values)
    }
}

/// Checks an upload, reading it a second time only when possible duplicate keys need deciding.
pub fn check_twice(input: &mut Rereadable, opts: &kidkit_upload::check::CheckOptions) -> Result<CheckOutcome, Failure> {
    let name = input.name.clone();
    let mut out = check(input.first()?, &name, opts, None).map_err(|e| Failure::converting(&name, e))?;
    if out.probe.is_some() {
        let again = input.second()?;
        settle_duplicates(&mut out, || Ok(again)).map_err(|e| Failure::converting(&name, e))?;
    }
    Ok(out)
}

/// An upload to JSON, CSV, NDJSON, or rewritten.
pub fn from_upload(src: Source, to: FormatArg, output: Option<&Path>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let opts = options::upload(g, None);
    let mut input = src.rereadable()?;
    let name = input.name.clone();
    let first = check_twice(&mut input, &opts)?;
    show(&first.report, g)?;
    if first.report.is_invalid() {
        return Ok(Outcome::Invalid);
    }
    let mut staged = Staged::new(output)?;
    let written: io::Result<()> = (|| {
        let mut w = TagWrites(staged.writer());
        let second = input.second().map_err(|_| io::Error::other("cannot reread the input"))?;
        match to {
            FormatArg::Json => {
                let form = FileForm::found(first.encoding, &first.lines);
                let mut jw = JsonWriter::new(&mut w, form)?;
                check(second, &name, &opts, Some(&mut jw))?;
                jw.finish()?;
            }
            FormatArg::Csv | FormatArg::Ndjson => {
                let fmt = if to == FormatArg::Csv { RowFormat::Csv } else { RowFormat::Ndjson };
                let mut rows = RowWriter::new(&mut w, fmt)?;
                check(second, &name, &opts, Some(&mut rows))?;
                rows.finish()?;
            }
            FormatArg::Upload => {
                let ending = first.lines.ending_to_keep(LineEnding::Crlf);
                let mut re = Rewrite(Some(Writer::new(&mut w, ending, first.encoding)));
                check(second, &name, &opts, Some(&mut re))?;
                if let Some(wr) = re.0.take() {
                    wr.finish()?;
                }
            }
            _ => {
                return Err(io::Error::other(format!("an upload converts to json, csv, ndjson or upload, not {to:?}")));
            }
        }
        w.flush()
    })();
    if let Err(e) = written {
        return Err(Failure::converting(&name, e));
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}

/// What an upload is built from.
pub enum BuildFrom<'m> {
    /// kidkit's full-fidelity JSON.
    Json,
    /// CSV rows, with a creditor's column map or kidkit's own header.
    Rows(Option<&'m ColumnMap>),
}

/// An upload built from JSON or CSV rows, validated, then committed.
pub fn build(src: Source, from: &BuildFrom<'_>, output: Option<&Path>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let name = src.name.clone();
    let mut staged = Staged::new(output)?;
    {
        let mut w = staged.writer();
        match from {
            BuildFrom::Rows(map) => {
                let (rep, ok) = build_from_rows(src.into_reader(), &name, *map, &mut w)
                    .map_err(|e| Failure::converting(&name, e))?;
                if !ok {
                    show(&rep, g)?;
                    return Ok(Outcome::Invalid);
                }
            }
            BuildFrom::Json => {
                if let Err(e) = write_from_json(src.into_reader(), &mut w) {
                    let mut f = Findings::new(&name, None);
                    f.push(Diagnostic::error("IO003", e.record, 1, e.to_string()).field("record"));
                    show(&FileReport::new("json", 0, f), g)?;
                    return Ok(Outcome::Invalid);
                }
            }
        }
        w.flush().map_err(|e| Failure::converting(&name, e))?;
    }
    let check_name = format!("{name} (converted)");
    let outcome = check_rereadable(staged.reader()?, &check_name, &options::upload(g, None))
        .map_err(|e| Failure::converting(&name, e))?;
    if outcome.report.is_invalid() {
        show(&outcome.report, g)?;
        return Ok(Outcome::Invalid);
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}
