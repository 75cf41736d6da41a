//! Printing findings: human text on stderr, JSON and NDJSON on stdout.

use std::io::{self, Write};
use std::time::Duration;

use kidkit_core::FileReport;
use kidkit_core::render::{Human, Style, write_json_reports, write_ndjson_reports, write_report};

use crate::args::ReportFormat;
use crate::outcome::Failure;

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
