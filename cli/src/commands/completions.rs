//! `kidkit completions SHELL`

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::args::Cli;
use crate::outcome::{Failure, Outcome};

/// Prints the completion script for `shell`.
pub fn print(shell: Shell) -> Result<Outcome, Failure> {
    let mut cmd = Cli::command();
    // generate into memory: clap_complete panics when its writer fails (a closed pipe)
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "kidkit", &mut script);
    io::stdout().lock().write_all(&script)?;
    Ok(Outcome::Ok)
}
