//! Creditor upload files (layout KUP1): the new collection cases a creditor sends to the agency.
//!
//! - [`layout`]: every field of every record, with its Kreditorweb form name;
//! - [`check`]: the validator, streaming, every rule of the spec, messages that name the case
//!   and the claim;
//! - [`write`]: the writer, which computes the trailer and refuses what ISO-8859-1 cannot hold;
//! - [`flat`]: one CSV row per claim, both ways, with column maps for creditors' spreadsheets.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod check;
pub mod dups;
pub mod flat;
mod format;
pub mod json;
pub mod layout;
pub mod model;
pub mod parse;
pub mod write;

pub use format::{UPLOAD, Upload, check_options};
