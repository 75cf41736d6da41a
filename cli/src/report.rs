//! Printing findings: human text on stderr, JSON and NDJSON on stdout, the HTML page to a file.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use kidkit_core::{FileReport, Human, Style, write_json_reports, write_ndjson_reports, write_report};

use crate::args::ReportFormat;
use crate::outcome::Failure;
use crate::output::Staged;

/// The reports as people read them: personal numbers masked unless `--show-personal-data`.
fn for_people(reports: &[FileReport], show_personal_data: bool) -> Cow<'_, [FileReport]> {
    // copied only when there is something to mask: a report may hold millions of findings
    if show_personal_data || !reports.iter().any(FileReport::shows_person_numbers) {
        return Cow::Borrowed(reports);
    }
    let mut masked = reports.to_vec();
    masked.iter_mut().for_each(FileReport::mask_person_numbers);
    Cow::Owned(masked)
}

/// Prints `reports` in `format`; `quiet` keeps only errors (human format), in `style`. `times`
/// holds how long each report took, when the summary lines should say so. Personal numbers are
/// masked unless `show_personal_data`.
pub fn print(
    reports: &[FileReport],
    times: &[Duration],
    format: ReportFormat,
    (quiet, style): (bool, Style),
    show_personal_data: bool,
) -> Result<(), Failure> {
    let reports = &*for_people(reports, show_personal_data);
    match format {
        ReportFormat::Human => {
            // stderr is unbuffered: a million findings would be millions of writes
            let mut err = io::BufWriter::with_capacity(1 << 16, io::stderr().lock());
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

/// Writes the HTML page of `reports` to `path`, whole or not at all; personal numbers masked
/// unless `show_personal_data`.
pub fn write_html(path: &Path, reports: &[FileReport], show_personal_data: bool) -> Result<(), Failure> {
    let reports = &*for_people(reports, show_personal_data);
    let mut staged = Staged::new(Some(path))?;
    let page = kidkit_core::HtmlPage { generator: concat!("kidkit ", env!("CARGO_PKG_VERSION")) };
    let mut w = staged.writer();
    let written = kidkit_core::write_html_report(&mut w, reports, &page).and_then(|()| w.flush());
    drop(w);
    written.map_err(|e| Failure::Io { code: "IO004", what: format!("'{}'", path.display()), source: e })?;
    staged.commit()
}
