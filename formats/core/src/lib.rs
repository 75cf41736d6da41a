//! What every kidkit file format shares: diagnostics and their rendering, text encodings,
//! streaming line input, amounts in øre, dates, and Norwegian identifiers with check digits.
//!
//! Format crates (`kidkit-ocr`, `kidkit-upload`, …) build on these; none of them re-implements a
//! check digit, a date parser or an encoding rule.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod amount;
pub mod date;
pub mod delimited;
pub mod diagnostic;
pub mod dups;
pub mod encoding;
pub mod format;
pub mod html;
pub mod ident;
pub mod jsondoc;
pub mod lines;
pub mod policy;
pub mod render;
pub mod rows;

pub use diagnostic::{Code, Diagnostic, FileReport, Findings, Omitted, Severity};
