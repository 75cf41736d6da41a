//! Ledger bundles: validated in any dialect, converted between dialects and to JSON, CSV and
//! NDJSON; and the one place a bundle is written, whether it was read or posted from a
//! settlement.

use std::io::{self, Write};
use std::path::Path;

use kidkit_core::rows::{RowFormat, TextRows};
use kidkit_core::{Diagnostic, FileReport, Findings};
use kidkit_ledger::accounts::Accounts;
use kidkit_ledger::check::Located;
use kidkit_ledger::dialect::{self, Dialect, Options, Validated};
use kidkit_ledger::model::Bundle;

use super::convert::show;
use crate::args::{FormatArg, GlobalArgs};
use crate::options;
use crate::outcome::{Failure, Outcome, read_settings};
use crate::output::{Staged, TagWrites};
use crate::source::Source;

/// The accounts file, or the defaults.
pub fn accounts(path: Option<&Path>) -> Result<Accounts, Failure> {
    match path {
        None => Ok(Accounts::default()),
        Some(p) => read_settings(p, Accounts::from_json),
    }
}

/// Reads and checks a bundle in `dialect`: the result, and the report (keeping up to
/// `max_errors` errors) either way.
pub fn read(
    src: Source,
    dialect: Dialect,
    opts: &Options,
    max_errors: Option<u64>,
) -> Result<(Validated, FileReport), Failure> {
    let name = src.name.clone();
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut src.into_reader(), &mut bytes).map_err(|e| Failure::read(format!("'{name}'"), e))?;
    let v = dialect::validate(dialect, &bytes, opts);
    let mut f = Findings::new(&name, max_errors);
    f.extend(v.findings.iter().cloned());
    let report = FileReport::new(dialect.name(), v.records, f);
    Ok((v, report))
}

/// `kidkit convert` of a bundle in `dialect` (or, `dialect` `None`, kidkit JSON) to `to`.
pub fn convert(
    src: Source,
    dialect: Option<Dialect>,
    to: FormatArg,
    output: Option<&Path>,
    accounts_file: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    let opts = options::ledger(g, &accounts(accounts_file)?);
    let name = src.name.clone();
    let Some(dialect) = dialect else {
        let mut text = String::new();
        io::Read::read_to_string(&mut src.into_reader(), &mut text)
            .map_err(|e| Failure::read(format!("'{name}'"), e))?;
        return match kidkit_ledger::json::from_json(&text) {
            Ok(bundle) => emit(&bundle, Located::IN_MEMORY, &format!("{name} (as kidkit-csv)"), to, &opts, output, g),
            Err(message) => {
                let mut f = Findings::new(&name, None);
                f.push(Diagnostic::error("IO003", 1, 1, message).field("bundle"));
                show(&FileReport::new("json", 0, f), g)?;
                Ok(Outcome::Invalid)
            }
        };
    };
    let (v, report) = read(src, dialect, &opts, None)?;
    show(&report, g)?;
    let Some(bundle) = v.bundle else { return Ok(Outcome::Invalid) };
    emit(&bundle, Located { places: &v.places, names: dialect.field_names() }, &name, to, &opts, output, g)
}

/// Writes a valid `bundle` as `to`: first the target dialect's own rules (a value it cannot
/// hold is a finding on the input's line, named `about`, and nothing is written), then the
/// output, committed only when complete.
pub fn emit(
    bundle: &Bundle,
    at: Located<'_>,
    about: &str,
    to: FormatArg,
    opts: &Options,
    output: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    // CSV and NDJSON rows are kidkit-csv's
    let target = to.dialect().or(matches!(to, FormatArg::Csv | FormatArg::Ndjson).then_some(Dialect::KidkitCsv));
    if let Some(target) = target {
        let problems = dialect::fit(bundle, target, opts, at);
        if problems.iter().any(|d| d.severity == kidkit_core::Severity::Error) {
            let mut f = Findings::new(&format!("{about} (for {target})"), None);
            f.extend(problems);
            show(&FileReport::new("bundle", bundle.postings().count() as u64, f), g)?;
            return Ok(Outcome::Invalid);
        }
    }
    let mut staged = Staged::new(output)?;
    let written: io::Result<()> = (|| {
        let mut w = TagWrites(staged.writer());
        match to {
            FormatArg::Json => {
                serde_json::to_writer_pretty(&mut w, &kidkit_ledger::json::to_json(bundle))?;
                writeln!(w)?;
            }
            FormatArg::Csv => dialect::write(Dialect::KidkitCsv, bundle, opts, &mut w)?,
            FormatArg::Ndjson => {
                let mut rows = TextRows::new(&mut w, RowFormat::Ndjson, &kidkit_ledger::kidkit_csv::HEADER)?;
                for row in kidkit_ledger::kidkit_csv::rows(bundle) {
                    rows.write(&row)?;
                }
                rows.finish()?;
            }
            other => match other.dialect() {
                Some(d) => dialect::write(d, bundle, opts, &mut w)?,
                None => {
                    return Err(io::Error::other(format!(
                        "a ledger bundle converts to json, csv, ndjson, kidkit-csv, visma-global, visma-business, gbat10 or saft, not {other:?}"
                    )));
                }
            },
        }
        w.flush()
    })();
    written.map_err(|e| Failure::converting(about, e))?;
    staged.commit()?;
    Ok(Outcome::Ok)
}
