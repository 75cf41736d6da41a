//! `kidkit validate` and `kidkit detect`.

use std::io::{self, Write};
use std::time::Instant;

use kidkit_core::{Diagnostic, FileReport, Findings};

use crate::args::{FormatArg, GlobalArgs, ReportFormat, ValidateArgs};
use crate::detect::{Detected, KNOWN, detect};
use crate::outcome::{Failure, Outcome, read_settings};
use crate::source::Source;
use crate::{options, progress, report};
use kidkit_ledger::accounts::Accounts;

/// Reads `src` as the format `from` names or its first bytes show; `Ok(None)` when the format
/// is not recognised (`IO006`, reported on stderr).
pub fn validate_source(
    src: Source,
    from: Option<FormatArg>,
    g: &GlobalArgs,
    max_errors: Option<u64>,
    accounts: &Accounts,
) -> Result<Option<FileReport>, Failure> {
    let detected = match from {
        Some(FormatArg::OcrGiro | FormatArg::Avtalegiro) => Some(Detected::Nets),
        Some(FormatArg::Upload) => Some(Detected::Upload),
        Some(FormatArg::Settlement) => Some(Detected::Settlement),
        Some(f) if f.dialect().is_some() => f.dialect().map(Detected::Bundle),
        Some(other) => {
            unrecognised(
                &src.name,
                &format!(
                    "validate checks Nets files, uploads, settlements and ledger bundles; --from {other:?} is read by convert"
                ),
            )?;
            return Ok(None);
        }
        None => detect(&src.head),
    };
    match detected {
        Some(Detected::Nets) => {
            let name = src.name.clone();
            let outcome = kidkit_ocr::pipeline::read(src.into_reader(), &name, &options::nets(g, max_errors), None)
                .map_err(|e| Failure::read(format!("'{name}'"), e))?;
            Ok(Some(outcome.report))
        }
        Some(Detected::Upload) => {
            let mut input = src.rereadable()?;
            Ok(Some(super::upload::check_twice(&mut input, &options::upload(g, max_errors))?.report))
        }
        Some(Detected::Settlement) => {
            let name = src.name.clone();
            let outcome =
                kidkit_settlement::check::check(src.into_reader(), &name, &options::settlement(g, max_errors), None)
                    .map_err(|e| Failure::read(format!("'{name}'"), e))?;
            Ok(Some(outcome.report))
        }
        Some(Detected::Bundle(d)) => {
            Ok(Some(super::bundle::read(src, d, &options::ledger(g, accounts), max_errors)?.1))
        }
        Some(Detected::PaymentsCsv) => {
            let name = src.name.clone();
            let report = kidkit_matching::payments::read_csv(src.into_reader(), &name, max_errors, |_| Ok(()))
                .map_err(|e| Failure::read(format!("'{name}'"), e))?;
            Ok(Some(report))
        }
        Some(Detected::OpenItemsCsv) => {
            let name = src.name.clone();
            let open = kidkit_matching::open_items::read_csv(src.into_reader(), &name, max_errors)
                .map_err(|e| Failure::read(format!("'{name}'"), e))?;
            Ok(Some(open.report))
        }
        Some(Detected::Json | Detected::NetsCsv(_) | Detected::UploadCsv | Detected::SettlementCsv) => {
            writeln!(
                io::stderr().lock(),
                "kidkit: error[IO006]: '{}' is kidkit JSON or CSV rows; validate checks the file they convert to: kidkit convert FILE --to ocr-giro|avtalegiro|upload|settlement",
                src.name
            )?;
            Ok(None)
        }
        None if src.head.iter().all(u8::is_ascii_whitespace) => {
            let mut f = Findings::new(&src.name, None);
            f.push(Diagnostic::error("IO006", 1, 1, "file is empty: there is nothing to validate").field("file"));
            Ok(Some(FileReport::new("unknown", 0, f)))
        }
        _ => {
            unrecognised(&src.name, "its first bytes match no format kidkit reads")?;
            Ok(None)
        }
    }
}

fn unrecognised(name: &str, why: &str) -> Result<(), Failure> {
    writeln!(io::stderr().lock(), "kidkit: error[IO006]: '{name}': {why}; give --from with one of: {KNOWN}")?;
    Ok(())
}

/// `kidkit validate FILE…`
pub fn run(args: &ValidateArgs, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let ValidateArgs { files, from, format, max_errors, strict, accounts, report } = args;
    let (from, format, max_errors) = (*from, *format, *max_errors);
    let accounts = match accounts {
        None => Accounts::default(),
        Some(p) => read_settings(p, Accounts::from_json)?,
    };
    let names: Vec<Option<&str>> =
        if files.is_empty() { vec![None] } else { files.iter().map(|f| Some(f.as_str())).collect() };
    let mut reports = Vec::new();
    let mut times = Vec::new();
    let mut failed = false;
    for name in names {
        let audience = progress::Audience {
            forced: g.progress,
            quiet: g.quiet,
            human: format == ReportFormat::Human,
            terminal: progress::stderr_is_terminal(),
        };
        let watched = |src: Source| {
            let size = src.size();
            if audience.wants_bar(size) { src.watch(progress::bar(size)) } else { src }
        };
        let started = Instant::now();
        match Source::open(name).and_then(|src| validate_source(watched(src), from, g, max_errors, &accounts)) {
            Ok(Some(r)) => {
                reports.push(r);
                times.push(started.elapsed());
            }
            Ok(None) => failed = true,
            Err(Failure::BrokenPipe) => return Err(Failure::BrokenPipe),
            Err(e) => {
                writeln!(io::stderr().lock(), "kidkit: {e}")?;
                failed = true;
            }
        }
    }
    report::print(&reports, &times, format, g.quiet, options::style(g))?;
    if let Some(path) = report {
        report::write_html(path, &reports)?;
    }
    if failed {
        return Err(Failure::Reported);
    }
    let invalid = reports.iter().any(|r| r.errors > 0 || (*strict && r.warnings > 0));
    Ok(Outcome::from_invalid(invalid))
}

/// `kidkit detect FILE…`
pub fn detect_files(files: &[String]) -> Result<Outcome, Failure> {
    let mut out = io::stdout().lock();
    let mut failed = false;
    for name in files {
        let src = match Source::open(Some(name)) {
            Ok(s) => s,
            Err(e) => {
                writeln!(io::stderr().lock(), "kidkit: {e}")?;
                failed = true;
                continue;
            }
        };
        let format = match detect(&src.head) {
            Some(Detected::Nets) => {
                kidkit_ocr::sniff_service(src.into_reader()).map_err(|e| Failure::read(format!("'{name}'"), e))?
            }
            Some(Detected::Json) => "json",
            Some(Detected::NetsCsv(kidkit_ocr::flat::Shape::OcrGiro)) => "csv (ocr-giro rows)",
            Some(Detected::NetsCsv(kidkit_ocr::flat::Shape::AvtaleGiro)) => "csv (avtalegiro rows)",
            Some(Detected::Upload) => "upload",
            Some(Detected::UploadCsv) => "csv (upload rows)",
            Some(Detected::Settlement) => "settlement",
            Some(Detected::SettlementCsv) => "csv (settlement rows)",
            Some(Detected::Bundle(d)) => d.name(),
            Some(Detected::PaymentsCsv) => "payments-csv",
            Some(Detected::OpenItemsCsv) => "open-items-csv",
            None => {
                unrecognised(name, "its first bytes match no format kidkit reads")?;
                failed = true;
                continue;
            }
        };
        writeln!(out, "{name}: {format}")?;
    }
    if failed { Err(Failure::Reported) } else { Ok(Outcome::Ok) }
}
