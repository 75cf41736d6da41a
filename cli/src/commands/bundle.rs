//! Ledger bundles in `kidkit-csv`: validated, and rewritten.

use std::io::Write;
use std::path::Path;

use kidkit_core::{FileReport, Findings};
use kidkit_ledger::model::Bundle;

use super::convert::show;
use crate::args::GlobalArgs;
use crate::outcome::{Failure, Outcome};
use crate::output::{Staged, TagWrites};
use crate::source::Source;

/// Reads and checks a bundle: the bundle when it is valid, and the report either way.
pub fn read(src: Source) -> Result<(Option<Bundle>, FileReport), Failure> {
    let name = src.name.clone();
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut src.into_reader(), &mut text).map_err(|e| Failure::read(format!("'{name}'"), e))?;
    let (bundle, problems) = kidkit_ledger::kidkit_csv::validate(text.as_slice(), None);
    let records = memchr::memchr_iter(b'\n', &text).count().saturating_sub(1) as u64;
    let mut f = Findings::new(&name, None);
    f.extend(problems);
    Ok((bundle, FileReport::new("kidkit-csv", records, f, None)))
}

/// A valid bundle written again in `kidkit-csv` (byte-identical for files kidkit wrote).
pub fn rewrite(src: Source, output: Option<&Path>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let name = src.name.clone();
    let (bundle, report) = read(src)?;
    show(&report, g)?;
    let Some(bundle) = bundle else { return Ok(Outcome::Invalid) };
    let mut staged = Staged::new(output)?;
    {
        let mut w = TagWrites(staged.writer());
        kidkit_ledger::kidkit_csv::write(&bundle, &mut w)
            .and_then(|()| w.flush())
            .map_err(|e| Failure::converting(&name, e))?;
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}
