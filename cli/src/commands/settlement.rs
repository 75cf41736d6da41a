//! `kidkit convert` for settlements: to JSON, CSV and NDJSON rows and rewritten; back from JSON
//! or rows, validated before anything is committed.

use std::io::{self, Write};
use std::path::Path;

use kidkit_core::jsondoc::FileForm;
use kidkit_core::lines::LineEnding;
use kidkit_core::{Diagnostic, FileReport, Findings};
use kidkit_ledger::check::Located;
use kidkit_ledger::post::{Collected, post};
use kidkit_settlement::check::check;
use kidkit_settlement::convert::{JsonWriter, Rewrite, RowFormat, RowWriter, build_from_rows, write_from_json};
use kidkit_settlement::write::Writer;

use super::convert::show;
use crate::args::{FormatArg, GlobalArgs};
use crate::options;
use crate::outcome::{Failure, Outcome};
use crate::output::{Staged, TagWrites};
use crate::source::Source;

/// A settlement to JSON, CSV, NDJSON, or rewritten.
pub fn from_settlement(
    src: Source,
    to: FormatArg,
    output: Option<&Path>,
    accounts: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    let opts = options::settlement(g, None);
    let mut input = src.rereadable()?;
    let name = input.name.clone();
    let first = check(input.first()?, &name, &opts, None).map_err(|e| Failure::converting(&name, e))?;
    show(&first.report, g)?;
    if first.report.is_invalid() {
        return Ok(Outcome::Invalid);
    }
    if to.dialect().is_some() {
        let second = input.second()?;
        return to_bundle(second, &name, to, accounts, output, g);
    }
    let mut staged = Staged::new(output)?;
    let written: io::Result<()> = (|| {
        let mut w = TagWrites(staged.writer());
        let second = input.second().map_err(|_| io::Error::other("cannot reread the input"))?;
        match to {
            FormatArg::Json => {
                let mut jw = JsonWriter::new(&mut w, FileForm::found(first.encoding, &first.lines))?;
                check(second, &name, &opts, Some(&mut jw))?;
                jw.finish()?;
            }
            FormatArg::Csv | FormatArg::Ndjson => {
                let fmt = if to == FormatArg::Csv { RowFormat::Csv } else { RowFormat::Ndjson };
                let mut rows = RowWriter::new(&mut w, fmt)?;
                check(second, &name, &opts, Some(&mut rows))?;
                rows.finish()?;
            }
            FormatArg::Settlement => {
                let ending = first.lines.ending_to_keep(LineEnding::Crlf);
                let mut re = Rewrite(Some(Writer::new(&mut w, ending, first.encoding)));
                check(second, &name, &opts, Some(&mut re))?;
                if let Some(wr) = re.0.take() {
                    wr.finish()?;
                }
            }
            _ => {
                return Err(io::Error::other(format!(
                    "a settlement converts to json, csv, ndjson, settlement or a ledger dialect, not {to:?}"
                )));
            }
        }
        w.flush()
    })();
    written.map_err(|e| Failure::converting(&name, e))?;
    staged.commit()?;
    Ok(Outcome::Ok)
}

/// A settlement built from JSON or (`from_rows`) CSV rows, validated, then committed.
pub fn build(src: Source, from_rows: bool, output: Option<&Path>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let name = src.name.clone();
    let mut staged = Staged::new(output)?;
    {
        let mut w = staged.writer();
        if from_rows {
            let (rep, ok) =
                build_from_rows(src.into_reader(), &name, &mut w).map_err(|e| Failure::converting(&name, e))?;
            if !ok {
                show(&rep, g)?;
                return Ok(Outcome::Invalid);
            }
        } else if let Err((record, message)) = write_from_json(src.into_reader(), &mut w) {
            let mut f = Findings::new(&name, None);
            f.push(Diagnostic::error("IO003", record, 1, format!("record {record}: {message}")).field("record"));
            show(&FileReport::new("json", 0, f), g)?;
            return Ok(Outcome::Invalid);
        }
        w.flush().map_err(|e| Failure::converting(&name, e))?;
    }
    let check_name = format!("{name} (converted)");
    let outcome = check(staged.reader()?, &check_name, &options::settlement(g, None), None)
        .map_err(|e| Failure::converting(&name, e))?;
    if outcome.report.is_invalid() {
        show(&outcome.report, g)?;
        return Ok(Outcome::Invalid);
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}

/// A valid settlement posted to a ledger bundle in dialect `to`: every line that cannot be
/// posted and every bundle finding is shown, and nothing is written unless there are none.
fn to_bundle(
    input: impl io::Read,
    name: &str,
    to: FormatArg,
    accounts: Option<&Path>,
    output: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    let accounts = super::bundle::accounts(accounts)?;
    let mut collected = Collected::default();
    check(input, name, &options::settlement(g, None), Some(&mut collected))
        .map_err(|e| Failure::converting(name, e))?;
    match post(&collected, &accounts) {
        // bundle findings point at the bundle's kidkit-csv lines
        Ok(bundle) => super::bundle::emit(
            &bundle,
            Located::IN_MEMORY,
            &format!("{name} (posted, as kidkit-csv)"),
            to,
            &options::ledger(g, &accounts),
            output,
            g,
        ),
        // posting findings point at the settlement
        Err(problems) => {
            let mut f = Findings::new(name, None);
            f.extend(problems);
            show(&FileReport::new("settlement", collected.lines.len() as u64, f), g)?;
            Ok(Outcome::Invalid)
        }
    }
}
