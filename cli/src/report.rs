//! Printing findings: human text on stderr, JSON and NDJSON on stdout, the HTML page to a file.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use kidkit_core::{FileReport, Human, Style, write_json_reports, write_ndjson_reports, write_report};

use crate::args::ReportFormat;
use crate::outcome::Failure;
use crate::output::Staged;

/// Prints `reports` in `format`; `quiet` keeps only errors (human format), in `style`. `times`
/// holds how long each report took, when the summary lines should say so.
pub fn print(
    reports: &[FileReport],
    times: &[Duration],
    format: ReportFormat,
    quiet: bool,
    style: Style,
) -> Result<(), Failure> {
    match format {
        ReportFormat::Human => {
            let stderr = io::stderr();
            let mut err = stderr.lock();
            for (i, r) in reports.iter().enumerate() {
                write_report(&mut err, r, &Human { style, quiet, elapsed: times.get(i).copied() })?;
            }
            err.flush()?;
        }
        ReportFormat::Json => write_json_reports(&mut io::stdout().lock(), reports)?,
        ReportFormat::Ndjson => write_ndjson_reports(&mut io::stdout().lock(), reports)?,
    }
    Ok(())
}

/// Writes the HTML page of `reports` to `path`, whole or not at all.
pub fn write_html(path: &Path, reports: &[FileReport]) -> Result<(), Failure> {
    let mut staged = Staged::new(Some(path))?;
    let page = kidkit_core::HtmlPage { generator: concat!("kidkit ", env!("CARGO_PKG_VERSION")) };
    let mut w = staged.writer();
    let written = kidkit_core::write_html_report(&mut w, reports, &page).and_then(|()| w.flush());
    drop(w);
    written.map_err(|e| Failure::Io { code: "IO004", what: format!("'{}'", path.display()), source: e })?;
    staged.commit()
}
