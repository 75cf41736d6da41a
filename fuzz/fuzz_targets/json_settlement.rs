//! JSON → settlement: building never panics; a settlement built that validates converts to
//! JSON and back to the same bytes (see `common/json.rs`).
#![no_main]

#[path = "common/json.rs"]
mod json;

use kidkit_core::{FileForm, Severity};
use kidkit_settlement::{CheckOptions, JsonWriter, check, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = CheckOptions { kid_check: Some(Severity::Error), max_errors: None };
    let json_of_valid = |built: &[u8]| {
        let first = check(built, "fuzz", &opts, None).ok().filter(|f| !f.report.is_invalid())?;
        let mut json = Vec::new();
        let mut jw = JsonWriter::new(&mut json, FileForm::found(first.encoding, &first.lines)).unwrap();
        check(built, "fuzz", &opts, Some(&mut jw)).unwrap();
        jw.finish().unwrap();
        Some(json)
    };
    json::round_trip(data, |doc, out| write_from_json(doc, out).is_ok(), json_of_valid, "settlement");
});
