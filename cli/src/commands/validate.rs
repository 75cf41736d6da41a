//! `kidkit validate` and `kidkit detect`: every format through the same path.

use std::io::{self, Write};
use std::time::Instant;

use kidkit_core::{FileReport, Form};

use crate::args::{GlobalArgs, ReportFormat, ValidateArgs};
use crate::formats::{REGISTRY, describe, known, resolve};
use crate::outcome::{Failure, Outcome};
use crate::source::Source;
use crate::{options, progress, report};

/// Checks `src` as the format `from` names or its first bytes show; `Ok(None)` when the format
/// is not recognised or cannot be validated (`IO006`, reported on stderr).
pub fn validate_source(
    src: Source,
    from: Option<&str>,
    opts: &kidkit_core::Options,
) -> Result<Option<FileReport>, Failure> {
    let Some(found) = resolve(&src.head, from, None, false) else {
        let why = match from {
            Some(form) => format!("--from {form} names no format validate checks"),
            // with nothing to recognise, only --from can say what it should have been
            None if src.head.iter().all(u8::is_ascii_whitespace) => {
                "it is empty, so no format can be recognised".to_owned()
            }
            None => "its first bytes match no format kidkit reads".to_owned(),
        };
        unrecognised(&src.name, &why)?;
        return Ok(None);
    };
    if found.form != Form::Native {
        writeln!(
            io::stderr().lock(),
            "kidkit: error[IO006]: '{}' is kidkit JSON or CSV rows; validate checks the file they convert to: kidkit convert FILE --to {}",
            src.name,
            found.format.info().builds.join("|")
        )?;
        return Ok(None);
    }
    let mut input = src.into_input(found.format.info().rereads)?;
    let checked = found.format.check(&mut input, opts)?;
    Ok(Some(checked.report))
}

fn unrecognised(name: &str, why: &str) -> Result<(), Failure> {
    let name = kidkit_core::visible(name);
    writeln!(io::stderr().lock(), "kidkit: error[IO006]: '{name}': {why}; give --from with one of: {}", known())?;
    Ok(())
}

/// `kidkit validate FILE…`
pub fn run(args: &ValidateArgs, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let ValidateArgs { files, from, format, max_errors, strict, accounts, report } = args;
    let (format, max_errors) = (*format, *max_errors);
    if format != ReportFormat::Human && report.as_deref().is_some_and(|p| crate::output::is_stdout(Some(p))) {
        writeln!(
            io::stderr().lock(),
            "kidkit: error: --report - and --format {} cannot both go to standard output",
            if format == ReportFormat::Json { "json" } else { "ndjson" }
        )?;
        return Err(Failure::Reported);
    }
    let mut opts = options::options(g, max_errors);
    opts.accounts.clone_from(accounts);
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
        match Source::open(name).and_then(|src| validate_source(watched(src), from.as_deref(), &opts)) {
            Ok(Some(r)) => {
                reports.push(r);
                times.push(started.elapsed());
            }
            Ok(None) => failed = true,
            Err(Failure::BrokenPipe) => return Err(Failure::BrokenPipe),
            Err(Failure::Reported) => failed = true,
            Err(e) => {
                writeln!(io::stderr().lock(), "kidkit: {}", kidkit_core::printable(&e.to_string()))?;
                failed = true;
            }
        }
    }
    report::print(&reports, &times, format, (g.quiet, options::style(g)), g.show_personal_data)?;
    if let Some(path) = report {
        report::write_html(path, &reports, g.show_personal_data)?;
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
                writeln!(io::stderr().lock(), "kidkit: {}", kidkit_core::printable(&e.to_string()))?;
                failed = true;
                continue;
            }
        };
        if let Some(found) = REGISTRY.sniff(&src.head) {
            writeln!(out, "{}: {}", kidkit_core::visible(name), describe(found))?;
        } else {
            unrecognised(name, "its first bytes match no format kidkit reads")?;
            failed = true;
        }
    }
    if failed { Err(Failure::Reported) } else { Ok(Outcome::Ok) }
}
