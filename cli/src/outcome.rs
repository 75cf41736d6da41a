//! How a run ends: exit 0 (ok), 1 (invalid input), 2 (usage error or I/O failure).

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

/// A run that got to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything valid: exit 0.
    Ok,
    /// Something invalid was found and reported: exit 1.
    Invalid,
}

impl Outcome {
    /// `Invalid` when `invalid`, else `Ok`.
    pub fn from_invalid(invalid: bool) -> Self {
        if invalid { Outcome::Invalid } else { Outcome::Ok }
    }

    /// The process exit code.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::Invalid => ExitCode::from(1),
        }
    }
}

/// A run that could not get to the end: exit 2 (or a quiet exit on a closed pipe).
#[derive(Debug)]
pub enum Failure {
    /// The reader of our output went away (`kidkit … | head`): stop quietly.
    BrokenPipe,
    /// A failure already reported on stderr: exit 2 without another message.
    Reported,
    /// Input could not be read or output written (`IO008` / `IO004`).
    Io {
        /// `IO008` or `IO004`.
        code: &'static str,
        /// What was being read or written.
        what: String,
        /// The error.
        source: io::Error,
    },
}

impl Failure {
    /// A failure reading `what`.
    pub fn read(what: impl Into<String>, source: io::Error) -> Self {
        Failure::Io { code: "IO008", what: what.into(), source }
    }
    /// A temporary file (`for_what`) could not be made or written: `IO004`, naming the folder.
    pub fn temp(for_what: &str, source: io::Error) -> Self {
        let what = format!("a temporary file {for_what} in '{}' (TMPDIR)", std::env::temp_dir().display());
        Failure::Io { code: "IO004", what, source }
    }
}

impl From<kidkit_core::Error> for Failure {
    /// The one place a library error becomes an exit: a closed pipe ends quietly, I/O is
    /// `IO008`/`IO004`, a bad settings file `IO007`, an impossible request a usage error (all
    /// exit 2).
    fn from(e: kidkit_core::Error) -> Self {
        use kidkit_core::Error;
        if e.is_broken_pipe() {
            return Failure::BrokenPipe;
        }
        let said = |text: String| {
            let _ = writeln!(io::stderr().lock(), "kidkit: {}", kidkit_core::printable(&text));
            Failure::Reported
        };
        match e {
            Error::Read { what, source } => Failure::Io { code: "IO008", what, source },
            Error::Write { what, source } => Failure::Io { code: "IO004", what, source },
            e @ Error::Settings { .. } => said(format!("error[IO007]: {e}")),
            e => said(format!("error: {e}")),
        }
    }
}

impl From<io::Error> for Failure {
    /// Errors writing results to stdout.
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io { code: "IO004", what: "standard output".into(), source: e }
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::BrokenPipe => f.write_str("output closed"),
            Failure::Reported => f.write_str("failed"),
            Failure::Io { code: code @ "IO008", what, source } => {
                write!(f, "error[{code}]: cannot read {what}: {source}")
            }
            Failure::Io { code, what, source } => write!(f, "error[{code}]: cannot write {what}: {source}"),
        }
    }
}
