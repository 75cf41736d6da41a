//! Ledger import bundles: vouchers for accounting systems, and posting a collection agency's
//! settlement to them.
//!
//! - [`KIDKIT_CSV`], [`VISMA_GLOBAL`], [`VISMA_BUSINESS`], [`GBAT10`] and [`SAFT`] are the
//!   dialects as formats of kidkit's format contract, and [`POSTING`] the bridge that posts a
//!   settlement to any of them;
//! - [`Bundle`]: bundle → vouchers → lines, amounts in øre;
//! - [`Accounts`]: which accounts, voucher types and numbering a posting uses;
//! - [`post`]: a settlement becomes a bundle, line by line, by the posting table;
//! - [`check`]: the bundle rules (`LED…`), which every dialect adds its own to;
//! - [`Dialect`], [`parse`], [`validate`], [`fit`] and [`write`]: the dialects read, checked and
//!   written through one interface;
//! - [`to_json`] and [`from_json`]: a bundle as kidkit JSON and back.
//!
//! A bundle is held whole in memory: its rules need every posting at once.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

mod accounts;
mod check;
mod delimited;
mod dialect;
mod format;
mod gbat10;
mod json;
mod kidkit_csv;
mod model;
mod post;
mod reading;
mod saft;
mod visma_business;
mod visma_global;

pub use accounts::{Accounts, AccountsError, Clearing, Saft as SaftSettings};
pub use check::{Field, Located, Place, Rules, check};
pub use dialect::{Dialect, Options, Parsed, Validated, fit, parse, validate, write};
pub use format::{GBAT10, KIDKIT_CSV, Ledger, POSTING, Posting, SAFT, VISMA_BUSINESS, VISMA_GLOBAL, accounts};
pub use json::{from_json, to_json};
pub use kidkit_csv::IN_MEMORY;
pub use model::{About, AccountClass, Bundle, Line, Side, Voucher};
pub use post::{Collected, MAX_POSTABLE, SettlementLine, clearing_sum, post};
