//! JSON → Nets file: building never panics; a file built that validates converts to JSON and
//! back to the same bytes (see `common/json.rs`).
#![no_main]

#[path = "common/json.rs"]
mod json;

use chrono::NaiveDate;
use kidkit_core::Severity;
use kidkit_ocr::{FileForm, JsonWriter, ReadOptions, RecordOptions, read, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let opts = ReadOptions {
        record: RecordOptions { kid_check: Some(Severity::Warning), today, lenient: false },
        max_errors: None,
    };
    let json_of_valid = |built: &[u8]| {
        let first = read(built, "fuzz", &opts, None).ok().filter(|f| !f.reading.report.is_invalid())?;
        let form = FileForm::found(first.reading.encoding, &first.reading.lines);
        let mut json = Vec::new();
        let mut jw = JsonWriter::new(&mut json, &first.reading.report.format, form).unwrap();
        read(built, "fuzz", &opts, Some(&mut jw)).unwrap();
        jw.finish().unwrap();
        Some(json)
    };
    json::round_trip(data, |doc, out| write_from_json(doc, out).is_ok(), json_of_valid, "Nets file");
});
