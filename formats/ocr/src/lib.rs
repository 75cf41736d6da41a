//! Nets OCR giro (service 09) and AvtaleGiro (service 21) files: fixed-width 80-character
//! records, read with nom, validated with every finding reported, written back byte for byte,
//! and converted to flat rows and full-fidelity JSON.
//!
//! - [`kind`] identifies a record from its first eight characters;
//! - [`layout`] holds every field of every record type;
//! - [`record`] checks one record on its own, [`structure`] walks the records in order;
//! - [`pipeline`] reads any reader in parallel chunks with bounded memory.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit, clippy::dbg_macro)]

pub mod assemble;
pub mod flat;
mod format;
pub mod groups;
pub mod json;
pub mod kind;
pub mod layout;
pub mod model;
pub mod pipeline;
pub mod record;
pub mod structure;
pub mod write;

use std::io::Read;

pub use format::{AVTALEGIRO, Nets, OCR_GIRO, read_options};
pub use pipeline::{Outcome, ReadOptions};

/// Reads a whole file into the typed model; `None` when the file has errors (see the report).
pub fn read_transmission(
    input: impl Read + Send,
    file: &str,
    opts: &ReadOptions,
) -> std::io::Result<(Outcome, Option<model::Transmission>)> {
    let mut asm = assemble::Assembler::new(assemble::TreeBuilder::default());
    let outcome = pipeline::read(input, file, opts, Some(&mut asm))?;
    let tree = if outcome.report.is_invalid() { None } else { asm.into_inner().finish(outcome.convention) };
    Ok((outcome, tree))
}

/// `avtalegiro` when every assignment of a Nets file is service 21, else `ocr-giro`: looks only
/// at the first eight characters of each line.
pub fn sniff_service(input: impl Read) -> std::io::Result<&'static str> {
    let mut lines = kidkit_core::lines::LineReader::new(input, 400);
    let (mut assignments, mut ag) = (0u64, 0u64);
    while let Some(line) = lines.next_line()? {
        let b = line.bytes;
        if b.len() >= 8 && b.starts_with(b"NY") && &b[6..8] == b"20" && &b[2..4] != b"00" {
            assignments += 1;
            ag += u64::from(&b[2..4] == b"21");
        }
    }
    Ok(if assignments > 0 && assignments == ag { "avtalegiro" } else { "ocr-giro" })
}
