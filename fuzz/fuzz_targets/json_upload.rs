//! JSON → upload: building never panics; an upload built that validates converts to JSON and
//! back to the same bytes (see `common/json.rs`).
#![no_main]

#[path = "common/json.rs"]
mod json;

use chrono::NaiveDate;
use kidkit_core::{FileForm, PersonRules, Severity};
use kidkit_upload::{CheckOptions, JsonWriter, check, check_rereadable, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = CheckOptions {
        kid_check: Some(Severity::Error),
        person: PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false },
        show_personal_data: false,
        max_errors: None,
    };
    let json_of_valid = |built: &[u8]| {
        let first = check_rereadable(std::io::Cursor::new(built), "fuzz", &opts).ok().filter(|f| !f.report.is_invalid())?;
        let mut json = Vec::new();
        let mut jw = JsonWriter::new(&mut json, FileForm::found(first.encoding, &first.lines)).unwrap();
        check(built, "fuzz", &opts, Some(&mut jw)).unwrap();
        jw.finish().unwrap();
        Some(json)
    };
    json::round_trip(data, |doc, out| write_from_json(doc, out).is_ok(), json_of_valid, "upload");
});
