//! `kidkit`: the command line over kidkit's format crates. Arguments, input, output and exit
//! codes live here; what a file means lives in the library crates.

// Doc comments on clap types are the help text people read: no Markdown backticks there.
#![allow(clippy::doc_markdown)]

mod args;
mod commands;
mod formats;
mod input;
mod options;
mod outcome;
mod output;
mod progress;
mod report;
mod signals;
mod source;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, IdCommand, KidCommand};
use crate::outcome::{Failure, Outcome};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints help/version (exit 0) and usage errors (exit 2) itself
        Err(e) => e.exit(),
    };
    signals::watch();
    match run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(2),
        Err(failure) => {
            let _ = writeln!(io::stderr().lock(), "kidkit: {}", kidkit_core::printable(&failure.to_string()));
            ExitCode::from(2)
        }
    }
}

/// `--jobs` above this many threads per core is cut to it.
const MAX_JOBS_PER_CORE: usize = 4;

fn run(cli: &Cli) -> Result<Outcome, Failure> {
    let g = &cli.global;
    if let Some(asked) = g.jobs {
        // more threads than cores only cost memory and switching: at most 4 a core
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let most = cores.saturating_mul(MAX_JOBS_PER_CORE);
        let jobs = asked.min(most);
        if jobs < asked && !g.quiet {
            let _ = writeln!(
                io::stderr().lock(),
                "kidkit: warning: --jobs {asked} is more than {MAX_JOBS_PER_CORE} per core ({cores} cores here); using {jobs}"
            );
        }
        // the global pool can only be built once; a second build is harmless to ignore
        let _ = rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global();
    }
    match &cli.command {
        Command::Detect { files } => commands::validate::detect_files(files),
        Command::Validate(args) => commands::validate::run(args, g),
        Command::Convert { file, from, to, output, map, accounts } => {
            commands::convert::run(&commands::convert::Request {
                file: file.as_deref(),
                from: from.as_deref(),
                to,
                output: output.as_deref(),
                map: map.as_deref(),
                accounts: accounts.as_deref(),
                g,
            })
        }
        Command::Match { payments, open_items, format, output, open_items_out, skip_unknown, strict } => {
            commands::matching::run(&commands::matching::Request {
                payments,
                open_items,
                format: *format,
                output: output.as_deref(),
                open_items_out: open_items_out.as_deref(),
                skip_unknown: *skip_unknown,
                strict: *strict,
                g,
            })
        }
        Command::Inspect { file, line, from } => commands::inspect::run(file.as_deref(), *line, from.as_deref(), g),
        Command::Kid(KidCommand::Check { kids }) => commands::kid::check(kids),
        Command::Kid(KidCommand::Make { mod11, bodies, .. }) => commands::kid::make(bodies, *mod11),
        Command::Id(IdCommand::Check { values, kind }) => commands::id::check(values, *kind, g),
        Command::Completions { shell } => commands::completions::print(*shell),
        Command::Man { command } => commands::completions::man(command.as_deref()),
    }
}
