//! JSON → ledger bundle: reading never panics; a bundle read converts to JSON and back to the
//! same bundle; one that validates once written in kidkit's own CSV is written in every other
//! dialect without a panic.
#![no_main]

use kidkit_ledger::{Dialect, Options, from_json, to_json, validate, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(bundle) = from_json(text) else { return };
    let again = from_json(&to_json(&bundle).to_string()).expect("kidkit's own JSON reads back");
    assert_eq!(again, bundle, "JSON → bundle → JSON → bundle changed the bundle");
    let opts = Options::default();
    let mut csv = Vec::new();
    if write(Dialect::KidkitCsv, &bundle, &opts, &mut csv).is_err() {
        return;
    }
    let Some(read_back) = validate(Dialect::KidkitCsv, &csv, &opts).bundle else { return };
    for dialect in [Dialect::VismaGlobal, Dialect::VismaBusiness, Dialect::Gbat10, Dialect::Saft] {
        let _ = write(dialect, &read_back, &opts, &mut Vec::new());
    }
});
