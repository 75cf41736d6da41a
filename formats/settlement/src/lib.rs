//! Settlement files ("klientkonto avregning", layout KKA1): what a collection agency collected
//! per case and pays out to the creditor.
//!
//! - [`layout`]: the `H`, `L` and `T` records and their fields;
//! - [`check`]: the reader (lines split at `;`, no quoting) and validator with every `SET` rule;
//! - [`write`]: the writer, which computes the trailer;
//! - [`convert`]: flat rows and full-fidelity JSON, both ways.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod check;
pub mod convert;
mod format;
pub mod layout;
pub mod write;

pub use format::{SETTLEMENT, Settlement, check_options};
