//! Creditor upload files (layout KUP1): the new collection cases a creditor sends to the agency.
//!
//! - [`UPLOAD`] is the format of kidkit's format contract;
//! - [`RecordType`] and [`Field`]: every field of every record, with its Kreditorweb form name;
//! - [`check`]: the validator, streaming, every rule of the spec, messages that name the case
//!   and the claim; duplicates are found in constant memory with a second reading;
//! - [`Writer`]: the writer, which computes the trailer and refuses what ISO-8859-1 cannot hold;
//! - [`RowWriter`] and [`build_from_rows`]: one CSV or NDJSON row per claim, both ways, with
//!   column maps ([`ColumnMap`]) for creditors' spreadsheets; [`JsonWriter`] and
//!   [`write_from_json`] for full-fidelity JSON;
//! - [`Upload`]: a whole file as a typed model, read and written.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

mod check;
mod dups;
mod flat;
mod format;
mod json;
mod layout;
mod model;
mod parse;
mod write;

pub use check::{CheckOptions, Record, UploadSink, check, check_rereadable, settle_duplicates};
pub use flat::{COLUMNS, ColumnMap, MapError, RowFormat, RowWriter, build_from_rows};
pub use format::{UPLOAD, UploadFormat, check_options};
pub use json::{JsonError, JsonWriter, write_from_json};
pub use layout::{Field, Kind, RECORD_LEN, RecordType};
pub use model::{Case, Claim, Contact, Debtor, DebtorType, Header, Notice, Sign, Upload, read_upload, write_upload};
pub use write::{WriteError, Writer};
