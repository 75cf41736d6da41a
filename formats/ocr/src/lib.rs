//! Nets OCR giro (service 09) and AvtaleGiro (service 21) files: fixed-width 80-character
//! records, read with nom, validated with every finding reported, written back byte for byte,
//! and converted to flat rows and full-fidelity JSON.
//!
//! - [`OCR_GIRO`] and [`AVTALEGIRO`] are the two formats of kidkit's format contract;
//! - [`read`] checks any reader in parallel chunks with bounded memory, handing each record to a
//!   [`RecordSink`] ([`Assembler`] turns records into transactions, claims and mandates for an
//!   [`Events`] receiver);
//! - [`Writer`] writes a file from such events, computing every count, sum and date;
//! - [`RowWriter`] and [`JsonWriter`] write flat rows and full-fidelity JSON, and
//!   [`build_from_rows`] and [`write_from_json`] read them back.
//!
//! Inside: a record is identified from its first eight characters (`kind`), every field of
//! every record type is in one table (`layout`), a record is checked on its own (`record`) and
//! the records are walked in order (`structure`).

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

mod assemble;
mod flat;
mod format;
mod groups;
mod json;
mod kind;
mod layout;
mod model;
mod pipeline;
mod record;
mod structure;
mod write;

pub use assemble::{Assembler, Events};
pub use flat::{RowFormat, RowWriter, Shape, build_from_rows};
pub use format::{AVTALEGIRO, Nets, OCR_GIRO, read_options};
pub use json::{FileForm, JsonError, JsonWriter, write_from_json};
pub use kind::{AgAssignment, KindError, RecordKind, identify, kind_of};
pub use model::{Assignment, Claim, Items, Mandate, OcrTransaction, Transmission, TransmissionStart};
pub use pipeline::{NetsReading, ReadOptions, RecordSink, read};
pub use record::{Rec, RecordOptions, RecordText};
pub use structure::{EndDates, TotalsConvention};
pub use write::{FieldError, Writer, write_transmission};

use std::io::Read;

/// Reads a whole file into the typed model; `None` when the file has errors (see the report).
pub fn read_transmission(
    input: impl Read + Send,
    file: &str,
    opts: &ReadOptions,
) -> std::io::Result<(NetsReading, Option<model::Transmission>)> {
    let mut asm = assemble::Assembler::new(assemble::TreeBuilder::default());
    let outcome = pipeline::read(input, file, opts, Some(&mut asm))?;
    let tree = if outcome.reading.report.is_invalid() { None } else { asm.into_inner().finish(outcome.convention) };
    Ok((outcome, tree))
}
