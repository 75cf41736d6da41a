//! Ledger import bundles: vouchers for accounting systems, and posting a collection agency's
//! settlement to them.
//!
//! - [`model`]: bundle → vouchers → lines, amounts in øre;
//! - [`accounts`]: which accounts, voucher types and numbering a posting uses;
//! - [`post`]: a settlement becomes a bundle, line by line, by the spec's table;
//! - [`check`]: the bundle rules (`LED…`);
//! - [`dialect`]: the dialects, read, checked and written through one interface:
//!   [`kidkit_csv`] (the project's own), [`visma_global`], [`visma_business`], [`gbat10`] and
//!   [`saft`] (SAF-T Financial 1.30);
//! - [`json`]: a bundle as kidkit JSON and back;
//! - [`delimited`]: splitting a delimited line into fields with their columns.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod accounts;
pub mod check;
pub mod delimited;
pub mod dialect;
mod format;
pub mod gbat10;
pub mod json;
pub mod kidkit_csv;
pub mod model;
pub mod post;
mod reading;
pub mod saft;
pub mod visma_business;
pub mod visma_global;

pub use format::{GBAT10, KIDKIT_CSV, Ledger, POSTING, Posting, SAFT, VISMA_BUSINESS, VISMA_GLOBAL, accounts};
