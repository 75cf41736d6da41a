//! The one error type of the format libraries: what stopped a run before it could report
//! findings, typed so that the command line maps each kind to its exit code in one place.

use std::io;

/// Why a format could not finish reading, writing or building a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read (`IO003`).
    #[error("cannot read {what}: {source}")]
    Read {
        /// What was being read: `'bank.ocr'`, `a temporary file for stdin`.
        what: String,
        /// The cause.
        source: io::Error,
    },
    /// The output could not be written (`IO004`); a closed pipe is one of these.
    #[error("cannot write {what}: {source}")]
    Write {
        /// What was being written: `the output`, `a temporary file`.
        what: String,
        /// The cause.
        source: io::Error,
    },
    /// A settings file (`--map`, `--accounts`) could be read but not understood (`IO007`).
    #[error("'{path}': {message}")]
    Settings {
        /// The file as given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The asked conversion does not exist (a usage error).
    #[error("{0}")]
    Unsupported(String),
}

impl Error {
    /// A failure reading `what`.
    pub fn read(what: impl Into<String>, source: io::Error) -> Self {
        Error::Read { what: what.into(), source }
    }

    /// A failure writing `what`.
    pub fn write(what: impl Into<String>, source: io::Error) -> Self {
        Error::Write { what: what.into(), source }
    }

    /// A request to build `to` from a form it is not built from.
    pub fn not_built(to: &str, from: super::Form) -> Self {
        Error::Unsupported(format!("{to} is not built from {}", from.name().unwrap_or("itself")))
    }

    /// The reader of the output went away (`kidkit … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// The result of a format operation.
pub type Result<T> = std::result::Result<T, Error>;
