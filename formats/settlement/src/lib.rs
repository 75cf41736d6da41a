//! Settlement files ("klientkonto avregning", layout KKA1): what a collection agency collected
//! per case and pays out to the creditor.
//!
//! - [`SETTLEMENT`] is the format of kidkit's format contract;
//! - [`HEADER`], [`LINE`] and [`TRAILER`]: the `H`, `L` and `T` records and their fields;
//! - [`check`]: the reader (lines split at `;`, no quoting) and validator with every `SET`
//!   rule, repeated lines found in constant memory with a second reading;
//! - [`Writer`]: the writer, which computes the trailer;
//! - [`RowWriter`], [`build_from_rows`], [`JsonWriter`] and [`write_from_json`]: flat rows and
//!   full-fidelity JSON, both ways.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

mod check;
mod convert;
mod format;
mod layout;
mod write;

pub use check::{CheckOptions, Record, SettlementSink, check, date, settle_duplicates};
pub use convert::{COLUMNS, JsonWriter, Rewrite, RowFormat, RowWriter, build_from_rows, write_from_json};
pub use format::{SETTLEMENT, Settlement, check_options};
pub use layout::{AMOUNTS, Field, HEADER, Kind, LINE, TRAILER};
pub use write::{WriteError, Writer};
