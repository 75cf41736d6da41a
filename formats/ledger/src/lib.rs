//! Ledger import bundles: vouchers for accounting systems, and posting a collection agency's
//! settlement to them.
//!
//! - [`model`]: bundle → vouchers → lines, amounts in øre;
//! - [`accounts`]: which accounts, voucher types and numbering a posting uses;
//! - [`post`]: a settlement becomes a bundle, line by line, by the spec's table;
//! - [`check`]: the bundle rules (`LED…`);
//! - [`kidkit_csv`]: the project's own dialect, read and written.
//!
//! Visma Global, Visma Business, GBAT10 and SAF-T are not written yet.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod accounts;
pub mod check;
pub mod kidkit_csv;
pub mod model;
pub mod post;
