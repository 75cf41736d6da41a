//! `kidkit match`: reads the open items (every problem reported before matching starts), then
//! streams the payments through the matcher, writing one row per payment.

use std::io::{self, Seek, Write};
use std::path::Path;

use kidkit_core::{FileReport, Watched};
use kidkit_matching::{
    ItemsSummary, Matcher, OpenItems, Options, Payment, ResultFormat, RowWriter, Status, Summary, read_ocr_payments,
    read_payments, read_upload_items, summary_json, write_open, write_summary,
};

use super::convert::show;
use crate::args::{GlobalArgs, KidCheckArg, MatchFormat};
use crate::formats::REGISTRY;
use crate::options;
use crate::outcome::{Failure, Outcome};
use crate::output::Staged;
use crate::source::Source;

/// What `kidkit match` was asked.
pub struct Request<'a> {
    /// `--payments`.
    pub payments: &'a str,
    /// `--open-items`.
    pub open_items: &'a str,
    /// `--format`.
    pub format: MatchFormat,
    /// `--output`.
    pub output: Option<&'a Path>,
    /// `--open-items-out`.
    pub open_items_out: Option<&'a Path>,
    /// `--skip-unknown`.
    pub skip_unknown: bool,
    /// `--strict`.
    pub strict: bool,
    /// Global flags.
    pub g: &'a GlobalArgs,
}

/// The name of the format `head` starts, if any.
fn sniffed(head: &[u8]) -> Option<&'static str> {
    REGISTRY.sniff(head).filter(|f| f.form == kidkit_core::Form::Native).map(|f| f.format.info().name)
}

/// Reads the open items: a creditor upload when the file says so, else an open-items CSV.
fn open_items_of(src: Source, g: &GlobalArgs) -> Result<OpenItems, Failure> {
    let name = src.name.clone();
    if sniffed(&src.head) == Some("upload") {
        // an upload may be read twice (to decide possible duplicates): spool it once
        let what = |e| Failure::read(format!("'{name}'"), e);
        let mut spool = tempfile::tempfile().map_err(|e| Failure::read("a temporary file", e))?;
        io::copy(&mut src.into_reader(), &mut spool).map_err(what)?;
        spool.rewind().map_err(what)?;
        let again = spool.try_clone().map_err(what)?;
        let reopen = move || {
            let mut f = again;
            f.rewind()?;
            Ok(f)
        };
        return read_upload_items(&mut spool, reopen, &name, &kidkit_upload::check_options(&options::options(g, None)))
            .map_err(what);
    }
    kidkit_matching::read_open_items(src.into_reader(), &name, None).map_err(|e| Failure::read(format!("'{name}'"), e))
}

/// `kidkit match`
pub fn run(req: &Request<'_>) -> Result<Outcome, Failure> {
    let g = req.g;
    if req.payments == "-" && req.open_items == "-" {
        writeln!(io::stderr().lock(), "kidkit: error: only one of --payments and --open-items can be stdin ('-')")?;
        return Err(Failure::Reported);
    }
    let mut items = open_items_of(Source::open(Some(req.open_items))?, g)?;
    show(&items.report, g)?;
    let Some(index) = items.index.take() else { return Ok(Outcome::Invalid) };
    let mut warnings = items.report.warnings;
    let opts = Options { check_digits: g.kid_check != Some(KidCheckArg::Off) };
    let mut matcher = Matcher::new(index, opts);
    let format = match req.format {
        MatchFormat::Csv => ResultFormat::Csv,
        MatchFormat::Json => ResultFormat::Json,
        MatchFormat::Ndjson => ResultFormat::Ndjson,
    };

    if req.open_items_out.is_some_and(|p| crate::output::is_stdout(Some(p))) && crate::output::is_stdout(req.output) {
        writeln!(
            io::stderr().lock(),
            "kidkit: error: --open-items-out - and the results (--output) cannot both go to standard output"
        )?;
        return Err(Failure::Reported);
    }
    let src = Source::open(Some(req.payments))?;
    let name = src.name.clone();
    let mut staged = Staged::new(req.output)?;
    let mut summary = Summary::default();
    let (report, items_summary) = {
        let watched = Watched::new(staged.writer());
        let blame = watched.blamer();
        let failed = |e| Failure::from(blame.blame(e, &name, "the output"));
        let mut rows = RowWriter::new(watched, format).map_err(failed)?;
        let skip_unknown = req.skip_unknown;
        let left_out = move |m: &kidkit_matching::Match| skip_unknown && m.status == Status::UnknownKid;
        let mut on_batch = |batch: &[Payment]| -> io::Result<()> {
            let results = matcher.match_batch(batch);
            for (p, m) in batch.iter().zip(&results) {
                summary.add(p, m);
                summary.skipped_unknown += u64::from(left_out(m));
            }
            rows.write_batch(matcher.index(), batch, &results, &|m| !left_out(m))
        };
        let report: FileReport = if matches!(sniffed(&src.head), Some("ocr-giro" | "avtalegiro")) {
            let (report, nets) = read_ocr_payments(
                src.into_reader(),
                &name,
                &kidkit_ocr::read_options(&options::options(g, None)),
                &mut on_batch,
            )
            .map_err(failed)?;
            summary.not_payments = nets.not_payments;
            report
        } else {
            read_payments(src.into_reader(), &name, None, &mut on_batch).map_err(failed)?
        };
        if report.is_invalid() {
            (report, None)
        } else {
            let items_summary = ItemsSummary::of(matcher.index(), std::mem::take(&mut items.not_matchable));
            let json = summary_json(&summary, &items_summary);
            let mut w = rows.finish(&json).map_err(failed)?;
            w.flush().map_err(failed)?;
            (report, Some(items_summary))
        }
    };
    show(&report, g)?;
    let Some(items_summary) = items_summary else { return Ok(Outcome::Invalid) };
    warnings += report.warnings;

    let open_out = match req.open_items_out {
        Some(path) => {
            let mut s = Staged::new(Some(path))?;
            {
                let what = |e| Failure::from(kidkit_core::Error::write(format!("'{}'", path.display()), e));
                let mut w = s.writer();
                write_open(matcher.index(), &mut w).map_err(what)?;
                w.flush().map_err(what)?;
            }
            Some(s)
        }
        None => None,
    };
    staged.commit()?;
    if let Some(s) = open_out {
        s.commit()?;
    }
    if format == ResultFormat::Csv && !g.quiet {
        write_summary(&mut io::stderr().lock(), &summary, &items_summary)?;
    }
    Ok(Outcome::from_invalid(req.strict && (summary.unsettled() > 0 || warnings > 0)))
}
