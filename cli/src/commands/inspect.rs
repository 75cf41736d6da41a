//! `kidkit inspect FILE --line N`: every field of one record, for every format that has
//! records.

use std::io::{self, Write};

use kidkit_core::{Form, visible};

use crate::args::GlobalArgs;
use crate::formats::{known, resolve};
use crate::options;
use crate::outcome::{Failure, Outcome};
use crate::source::Source;

/// Prints the fields of line `n`.
pub fn run(file: Option<&str>, n: u64, from: Option<&str>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    if n == 0 {
        writeln!(io::stderr().lock(), "kidkit: error: --line counts from 1")?;
        return Err(Failure::Reported);
    }
    let src = Source::open(file)?;
    // the name as typed, made safe to print (a file name can hold control characters)
    let name = kidkit_core::visible(&src.name);
    let Some(found) = resolve(&src.head, from, None, false).filter(|f| f.form == Form::Native) else {
        writeln!(
            io::stderr().lock(),
            "kidkit: error[IO006]: '{name}': inspect reads a format's own files; give --from with one of: {}",
            known()
        )?;
        return Err(Failure::Reported);
    };
    let mut input = src.into_input(false)?;
    let Some(shown) = found.format.inspect(&mut input, n, &options::options(g, None))? else {
        writeln!(io::stderr().lock(), "kidkit: error: '{name}' has fewer than {n} lines")?;
        return Err(Failure::Reported);
    };
    let mut out = io::stdout().lock();
    match (&shown.kind, &shown.problem) {
        (None, Some(problem)) => {
            writeln!(out, "{name}:{n}: {}", kidkit_core::printable(problem))?;
            return Ok(Outcome::Invalid);
        }
        (kind, problem) => {
            writeln!(out, "{name}:{n}: {}", kind.as_deref().unwrap_or("record"))?;
            if let Some(problem) = problem {
                writeln!(out, "{}", kidkit_core::printable(problem))?;
                return Ok(Outcome::Invalid);
            }
        }
    }
    writeln!(out, "{:<34} {:<8} {:<27} value", "field", "columns", "raw")?;
    for f in &shown.fields {
        let cols = if f.start == f.end { f.start.to_string() } else { format!("{}-{}", f.start, f.end) };
        writeln!(out, "{:<34} {cols:<8} {:<27} {}", f.name, format!("'{}'", visible(&f.raw)), visible(&f.value))?;
    }
    Ok(Outcome::Ok)
}
