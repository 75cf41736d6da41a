//! `visma-global` bundles: reading never panics; valid bundles round-trip (see `common/ledger.rs`).
#![no_main]

#[path = "common/ledger.rs"]
mod ledger;

libfuzzer_sys::fuzz_target!(|data: &[u8]| ledger::round_trip(kidkit_ledger::Dialect::VismaGlobal, data));
