//! JSON → upload: building never panics; an upload built that validates converts to JSON and
//! back to the same bytes.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::{FileForm, PersonRules, Severity};
use kidkit_upload::{CheckOptions, JsonWriter, check, check_rereadable, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut built = Vec::new();
    if write_from_json(data, &mut built).is_err() {
        return;
    }
    let opts = CheckOptions {
        kid_check: Some(Severity::Error),
        person: PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false },
        show_personal_data: false,
        max_errors: None,
    };
    let Ok(first) = check_rereadable(std::io::Cursor::new(&built[..]), "fuzz", &opts) else { return };
    if first.report.is_invalid() {
        return;
    }
    let mut json = Vec::new();
    let mut jw = JsonWriter::new(&mut json, FileForm::found(first.encoding, &first.lines)).unwrap();
    check(&built[..], "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut again = Vec::new();
    write_from_json(&json[..], &mut again).expect("kidkit's own JSON converts back");
    assert_eq!(again, built, "JSON → upload → JSON → upload changed the upload");
});
