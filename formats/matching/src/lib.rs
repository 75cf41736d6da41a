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

mod engine;
mod format;
mod index;
mod model;
mod open_items;
mod output;
mod payments;
mod summary;
mod table;
mod upload_items;

pub use engine::{Matcher, Options};
pub use format::{OPEN_ITEMS_CSV, OpenItemsCsv, PAYMENTS_CSV, PaymentsCsv};
pub use index::{Found, Index, Item, ItemsBuilder, Limit, NewItem, invoice_order};
pub use model::{Applied, Match, Note, Payment, Status};
pub use open_items::{NotMatchable, OPEN_ITEMS_COLUMNS, OpenItems, read_open_items, write_open};
pub use output::{RESULT_COLUMNS, ResultFormat, RowWriter, note_text};
pub use payments::{NetsPayments, PAYMENT_COLUMNS, read_ocr_payments, read_payments};
pub use summary::{ItemsSummary, Summary, Tally, kroner, summary_json, write_summary};
pub use upload_items::read_upload_items;
