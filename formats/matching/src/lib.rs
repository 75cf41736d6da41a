//! Matching incoming KID payments against open items, the way a collection agency's ledger needs
//! it: nothing booked twice, nothing lost, every payment given a plain status.
//!
//! - [`model`]: payments, statuses and what a payment did;
//! - [`index`]: the open items, held compactly and indexed by KID (chains oldest first);
//! - [`open_items`] and [`upload_items`]: open items from the open-items CSV or a creditor
//!   upload, every input problem reported before matching starts;
//! - [`payments`]: payments from a payments CSV or a Nets OCR giro file, streamed in batches;
//! - [`engine`]: the rules, applied in parallel shards of KIDs, deterministically;
//! - [`summary`] and [`output`]: counts and sums per status, and the result rows as CSV, NDJSON
//!   or JSON.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod engine;
mod format;
pub mod index;
pub mod model;
pub mod open_items;
pub mod output;
pub mod payments;
pub mod summary;
pub mod table;
pub mod upload_items;

pub use engine::{Matcher, Options};
pub use index::{Index, ItemsBuilder};
pub use model::{Applied, Match, Payment, Status};

pub use format::{OPEN_ITEMS_CSV, OpenItemsCsv, PAYMENTS_CSV, PaymentsCsv};
