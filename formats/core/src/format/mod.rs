//! The contract every file format implements, and the registry the command line drives them
//! through.
//!
//! A format says what it is called, recognises its files from their first bytes, checks a file
//! into a [`FileReport`], and — once a file is valid — writes it again natively, as full-fidelity
//! JSON or as flat rows ([`Rewriter`]). It also builds its native files from JSON and rows, and
//! shows one record field by field. Every method takes the input as a [`Input`] and the output as
//! a plain writer, so the command line is written once for every format; inside, each format
//! runs its own monomorphic pipeline (the dynamic call happens once per file, not per record).
//!
//! A conversion from one family to another (a settlement posted to a ledger bundle) is a
//! [`Bridge`], owned by the crate that knows both sides.

mod error;
mod input;
mod inspect;
mod refusal;
mod registry;

use std::io::Write;

pub use error::{Error, Result};
pub use input::{Blame, Bytes, Input, Watched, write_again};
pub use inspect::{delimited_record, nth_line};
pub use refusal::{Fail, Refusals};
pub use registry::{Found, Registry};

/// Reads a settings file (`--map`, `--accounts`) with `parse`: a file that cannot be read is a
/// read error, one `parse` rejects is [`Error::Settings`] with its message.
pub fn read_settings<T, E: std::fmt::Display>(
    path: &std::path::Path,
    parse: impl FnOnce(&str) -> std::result::Result<T, E>,
) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(format!("'{}'", path.display()), e))?;
    parse(&text).map_err(|e| Error::Settings { path: path.display().to_string(), message: e.to_string() })
}

use crate::diagnostic::FileReport;
use crate::policy::{KidCheck, Options};
use crate::rows::Origins;

/// How a format's data is written down: its own native file, or one of kidkit's forms of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// The format's own file.
    Native,
    /// kidkit's full-fidelity JSON (`{"kidkit": 1, "format": …, "records": […]}`).
    Json,
    /// Flat rows as `;`-separated CSV with a header row.
    Csv,
    /// Flat rows as one JSON object per line.
    Ndjson,
}

impl Form {
    /// The name users type for it (`--from json`), `None` for the native file.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Form::Native => None,
            Form::Json => Some("json"),
            Form::Csv => Some("csv"),
            Form::Ndjson => Some("ndjson"),
        }
    }

    /// The form a name stands for (`json`, `csv`, `ndjson`).
    pub fn from_name(name: &str) -> Option<Form> {
        [Form::Json, Form::Csv, Form::Ndjson].into_iter().find(|f| f.name() == Some(name))
    }
}

/// What a conversion writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The file's data in one of kidkit's forms ([`Form::Json`], [`Form::Csv`], [`Form::Ndjson`]).
    Form(Form),
    /// A native file of the named format: the input's own (a rewrite) or another one the format
    /// converts to (between ledger dialects).
    Format(&'static str),
}

impl Target {
    /// The name users type (`csv`, `ocr-giro`).
    pub fn name(self) -> &'static str {
        match self {
            Target::Form(f) => f.name().unwrap_or("native"),
            Target::Format(name) => name,
        }
    }
}

/// What a format is: names, the forms it reads and writes, and its defaults.
#[derive(Debug)]
pub struct Info {
    /// The name users type (`ocr-giro`).
    pub name: &'static str,
    /// Other names accepted for it (`ocr`).
    pub aliases: &'static [&'static str],
    /// One line for `--help` and the docs.
    pub summary: &'static str,
    /// The `format` its full-fidelity JSON names, when it has one.
    pub json: Option<&'static str>,
    /// The forms it builds native files from (JSON, CSV, NDJSON rows).
    pub builds_from: &'static [Form],
    /// The native formats its JSON and rows build (usually just itself).
    pub builds: &'static [&'static str],
    /// What a valid file converts to.
    pub targets: &'static [Target],
    /// Severity of a KID whose check digit fails, unless `--kid-check` says otherwise.
    pub kid_check: KidCheck,
    /// Checking may read the input a second time (to decide possible duplicates), so a pipe is
    /// kept in a temporary file as it is read.
    pub rereads: bool,
}

/// One file format.
pub trait Format: Sync {
    /// What it is.
    fn info(&self) -> &'static Info;

    /// Whether `head` (the first bytes, after any BOM) starts a file of this format, and in
    /// which form: [`Form::Native`], or flat rows ([`Form::Csv`]) it recognises by their header.
    /// kidkit JSON is recognised by the registry from [`Info::json`].
    fn sniff(&self, head: &[u8]) -> Option<Form>;

    /// Checks a native file, reporting every finding. A valid file comes with the means to write
    /// it again.
    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>>;

    /// Builds the native file `to` (one of [`Info::builds`]) from JSON or rows. Problems with the
    /// rows are findings of the returned report; when it has errors the output is to be thrown
    /// away. What was built is then checked like any file before it is kept; a build from rows
    /// notes in `origins` the row each line came from, so that the check's findings name rows.
    fn build(
        &self,
        from: Form,
        to: &'static str,
        input: &mut dyn Input,
        out: &mut dyn Write,
        origins: &mut Origins,
        opts: &Options,
    ) -> Result<FileReport> {
        let _ = (input, out, origins, opts);
        Err(Error::not_built(to, from))
    }

    /// Every field of the record on line `line` (1-based); `None` when the file has fewer lines.
    fn inspect(&self, input: &mut dyn Input, line: u64, opts: &Options) -> Result<Option<Inspected>> {
        let _ = (input, line, opts);
        Err(Error::Unsupported(format!("inspect does not read {} files", self.info().name)))
    }
}

/// What one reading of a line-based file found: its findings, and the form it was written in
/// (what a rewrite keeps). Formats whose checks need a second reading say so in `probe`.
#[derive(Debug)]
pub struct Reading {
    /// Findings and counts.
    pub report: FileReport,
    /// The encoding it was read in.
    pub encoding: crate::encoding::TextEncoding,
    /// Line endings, BOM, final newline.
    pub lines: crate::lines::LineStats,
    /// Keys that may occur twice: when present, a second reading decides.
    pub probe: Option<crate::BloomProbe>,
}

/// What checking a file found, and for a valid file, how to write it again.
pub struct Checked<'s> {
    /// Findings and counts.
    pub report: FileReport,
    /// Present when the file is valid.
    pub rewriter: Option<Box<dyn Rewriter + 's>>,
}

/// Writes a file that was found valid, read again from its start, as a target.
pub trait Rewriter {
    /// Writes `input` as `to` (one of [`Info::targets`]).
    fn write(&self, input: &mut dyn Input, to: Target, out: &mut dyn Write, opts: &Options) -> Result<Written>;
}

/// How writing a valid file ended.
#[derive(Debug)]
pub enum Written {
    /// Written whole; the notes are for the person running it (what the target left out on
    /// purpose, and where to find it).
    Done(Vec<String>),
    /// The target cannot hold what the file holds: the report's findings say what and where,
    /// and the output is to be thrown away.
    Refused(FileReport),
}

/// A conversion from one format's valid files to other formats, owned by a crate that knows
/// both sides.
pub trait Bridge: Sync {
    /// The format it reads.
    fn from(&self) -> &'static str;
    /// The formats it writes.
    fn to(&self) -> &'static [&'static str];
    /// Writes the (valid) `input` as `to`.
    fn write(&self, input: &mut dyn Input, to: &'static str, out: &mut dyn Write, opts: &Options) -> Result<Written>;
}

/// One record, field by field (`kidkit inspect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    /// The record's type as people name it, when it could be told.
    pub kind: Option<String>,
    /// Every field, in column order.
    pub fields: Vec<FieldView>,
    /// Why the fields cannot be shown (a record of the wrong length, an unknown type).
    pub problem: Option<String>,
}

/// One field of an inspected record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldView {
    /// The field's name.
    pub name: String,
    /// First column (1-based character position in the line).
    pub start: u32,
    /// Last column.
    pub end: u32,
    /// The characters as written.
    pub raw: String,
    /// What they mean (`(none)` for an empty value).
    pub value: String,
}
