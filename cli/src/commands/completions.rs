//! `kidkit completions SHELL` and `kidkit man [COMMAND]`: what shells and `man` need.

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

/// Prints the man page of kidkit, or of one of its commands (`kidkit-match(1)`).
pub fn man(command: Option<&str>) -> Result<Outcome, Failure> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name) else {
                let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
                writeln!(io::stderr().lock(), "kidkit: error: no command '{name}'; commands: {}", names.join(", "))?;
                return Err(Failure::Reported);
            };
            sub.clone().display_name(format!("kidkit-{name}"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    io::stdout().lock().write_all(&roff)?;
    Ok(Outcome::Ok)
}
