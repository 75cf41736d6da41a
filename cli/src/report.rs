//! Printing findings: human text on stderr, JSON and NDJSON on stdout.

use std::io::{self, Write};

use kidkit_core::render::{Style, summary_line_styled, write_human_styled, write_json_reports, write_ndjson_reports};
use kidkit_core::{FileReport, Severity};

use crate::args::ReportFormat;
use crate::outcome::Failure;

/// Prints `reports` in `format`; `quiet` keeps only errors (human format), in `style`.
pub fn print(reports: &[FileReport], format: ReportFormat, quiet: bool, style: Style) -> Result<(), Failure> {
    match format {
        ReportFormat::Human => {
            let stderr = io::stderr();
            let mut err = stderr.lock();
            for r in reports {
                for d in &r.findings {
                    if !quiet || d.severity == Severity::Error {
                        write_human_styled(&mut err, d, style)?;
                    }
                }
                if !quiet {
                    writeln!(err, "{}", summary_line_styled(r, style))?;
                }
            }
        }
        ReportFormat::Json => write_json_reports(&mut io::stdout().lock(), reports)?,
        ReportFormat::Ndjson => write_ndjson_reports(&mut io::stdout().lock(), reports)?,
    }
    Ok(())
}
