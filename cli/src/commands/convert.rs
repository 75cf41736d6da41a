//! `kidkit convert`: any format to any target it offers, one path for all. Nothing is written
//! unless the input is valid, and a file built from JSON or rows is checked like any other
//! before it is kept.

use std::io::{self, Write};
use std::path::Path;

use kidkit_core::{FileReport, Form, Format, Options, Origins, Target, Written};

use crate::args::{GlobalArgs, ReportFormat};
use crate::formats::{REGISTRY, known, listed, resolve};
use crate::outcome::{Failure, Outcome};
use crate::output::Staged;
use crate::source::{Readback, Source};
use crate::{options, report};

/// Prints findings (all of them when the run fails, warnings too unless `--quiet`).
pub(crate) fn show(report: &FileReport, g: &GlobalArgs) -> Result<(), Failure> {
    if report.errors > 0 || (report.warnings > 0 && !g.quiet) {
        report::print(
            std::slice::from_ref(report),
            &[],
            ReportFormat::Human,
            (g.quiet && report.errors == 0, options::style(g)),
            g.show_personal_data,
        )?;
    }
    Ok(())
}

/// What `kidkit convert` was asked.
pub struct Request<'a> {
    /// The input (`None` or `-`: stdin).
    pub file: Option<&'a str>,
    /// `--from`.
    pub from: Option<&'a str>,
    /// `--to`.
    pub to: &'a str,
    /// `--output`.
    pub output: Option<&'a Path>,
    /// `--map`.
    pub map: Option<&'a Path>,
    /// `--accounts`.
    pub accounts: Option<&'a Path>,
    /// Global flags.
    pub g: &'a GlobalArgs,
}

fn refuse(message: &str) -> Result<Outcome, Failure> {
    writeln!(io::stderr().lock(), "kidkit: error: {}", kidkit_core::printable(message))?;
    Err(Failure::Reported)
}

/// `kidkit convert FILE --to T`
pub fn run(req: &Request<'_>) -> Result<Outcome, Failure> {
    let src = Source::open(req.file)?;
    let mut opts = options::options(req.g, None);
    opts.map = req.map.map(Path::to_path_buf);
    opts.accounts = req.accounts.map(Path::to_path_buf);
    let Some(found) = resolve(&src.head, req.from, Some(req.to), req.map.is_some()) else {
        writeln!(
            io::stderr().lock(),
            "kidkit: error[IO006]: '{}': its first bytes match no format kidkit converts; give --from with one of: {}",
            src.name,
            known()
        )?;
        return Err(Failure::Reported);
    };
    match found.form {
        Form::Native => from_native(src, found.format, req, &opts),
        form => build(src, found.format, form, req, &opts),
    }
}

/// A native file to one of its targets: checked, then (when valid) read again and written.
fn from_native(
    src: Source,
    format: &'static dyn Format,
    req: &Request<'_>,
    opts: &Options,
) -> Result<Outcome, Failure> {
    let this = format.info().name;
    let Some(target) = REGISTRY.target(format, req.to) else {
        let targets = REGISTRY.targets(format);
        return refuse(&format!(
            "cannot convert '{}' to {}: {this} converts to {}",
            src.name,
            req.to,
            listed(targets.iter().map(|t| t.name()))
        ));
    };
    let bridge = match target {
        Target::Format(to) if to != this => REGISTRY.bridge(this, to).map(|b| (b, to)),
        _ => None,
    };
    let mut input = src.into_input(true)?;
    let checked = format.check(&mut input, opts)?;
    show(&checked.report, req.g)?;
    let Some(rewriter) = checked.rewriter else { return Ok(Outcome::Invalid) };
    // rows and JSON of a file already found valid cannot fail half-way but for I/O: they go to
    // stdout as they are made, and stop at once when its reader goes away
    if req.output.is_none() && input.is_file() && bridge.is_none() && matches!(target, Target::Form(_)) {
        let mut out = io::stdout().lock();
        let written = rewriter.write(&mut input, target, &mut out, opts)?;
        return finish(written, req.g, || Ok(()));
    }
    let mut staged = Staged::new(req.output)?;
    let written = {
        let mut w = staged.writer();
        let written = match bridge {
            Some((bridge, to)) => bridge.write(&mut input, to, &mut w, opts)?,
            None => rewriter.write(&mut input, target, &mut w, opts)?,
        };
        w.flush().map_err(|e| kidkit_core::Error::write("the output", e))?;
        written
    };
    finish(written, req.g, || staged.commit())
}

/// Shows what writing said, and keeps the output (`commit`) when it was written whole.
fn finish(written: Written, g: &GlobalArgs, commit: impl FnOnce() -> Result<(), Failure>) -> Result<Outcome, Failure> {
    match written {
        Written::Refused(report) => {
            show(&report, g)?;
            Ok(Outcome::Invalid)
        }
        Written::Done(notes) => {
            if !g.quiet {
                for note in notes {
                    writeln!(io::stderr().lock(), "kidkit: note: {}", kidkit_core::printable(&note))?;
                }
            }
            commit()?;
            Ok(Outcome::Ok)
        }
    }
}

/// A native file built from JSON or rows, checked, then committed.
fn build(
    src: Source,
    format: &'static dyn Format,
    form: Form,
    req: &Request<'_>,
    opts: &Options,
) -> Result<Outcome, Failure> {
    let builds = format.info().builds;
    let to = REGISTRY.find(req.to).map_or(req.to, |f| f.info().name);
    let (Some(&to), Some(target)) = (builds.iter().find(|&&b| b == to), REGISTRY.find(to)) else {
        let what = if form == Form::Json { "kidkit JSON" } else { "rows" };
        return refuse(&format!(
            "cannot convert '{}' to {}: {what} of {} build {}, nothing else",
            src.name,
            req.to,
            format.info().name,
            listed(builds.iter().copied())
        ));
    };
    let name = src.name.clone();
    let mut input = src.into_input(false)?;
    let mut staged = Staged::new(req.output)?;
    let mut origins = Origins::new(&name);
    let report = {
        let mut w = staged.writer();
        let report = format.build(form, to, &mut input, &mut w, &mut origins, opts)?;
        w.flush().map_err(|e| kidkit_core::Error::write("the output", e))?;
        report
    };
    if report.is_invalid() {
        show(&report, req.g)?;
        return Ok(Outcome::Invalid);
    }
    let mut back = Readback { name: format!("{name} (converted)"), file: staged.reader()? };
    let mut checked = target.check(&mut back, opts)?;
    if checked.report.is_invalid() {
        // findings about the file built from rows name the rows they came from
        origins.relocate(&mut checked.report).map_err(|e| kidkit_core::Error::read("the converted file", e))?;
        show(&checked.report, req.g)?;
        return Ok(Outcome::Invalid);
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}
