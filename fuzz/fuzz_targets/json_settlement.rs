//! JSON → settlement: building never panics; a settlement built that validates converts to
//! JSON and back to the same bytes.
#![no_main]

use kidkit_core::{FileForm, Severity};
use kidkit_settlement::{CheckOptions, JsonWriter, check, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut built = Vec::new();
    if write_from_json(data, &mut built).is_err() {
        return;
    }
    let opts = CheckOptions { kid_check: Some(Severity::Error), max_errors: None };
    let Ok(first) = check(&built[..], "fuzz", &opts, None) else { return };
    if first.report.is_invalid() {
        return;
    }
    let mut json = Vec::new();
    let mut jw = JsonWriter::new(&mut json, FileForm::found(first.encoding, &first.lines)).unwrap();
    check(&built[..], "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut again = Vec::new();
    write_from_json(&json[..], &mut again).expect("kidkit's own JSON converts back");
    assert_eq!(again, built, "JSON → settlement → JSON → settlement changed the settlement");
});
