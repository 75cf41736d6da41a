//! JSON → Nets file: building never panics; a file built that validates converts to JSON and
//! back to the same bytes.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::Severity;
use kidkit_ocr::{FileForm, JsonWriter, ReadOptions, RecordOptions, read, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut built = Vec::new();
    if write_from_json(data, &mut built).is_err() {
        return;
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let opts = ReadOptions {
        record: RecordOptions { kid_check: Some(Severity::Warning), today, lenient: false },
        max_errors: None,
    };
    let Ok(first) = read(&built[..], "fuzz", &opts, None) else { return };
    if first.reading.report.is_invalid() {
        return;
    }
    let form = FileForm::found(first.reading.encoding, &first.reading.lines);
    let mut json = Vec::new();
    let mut jw = JsonWriter::new(&mut json, &first.reading.report.format, form).unwrap();
    read(&built[..], "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut again = Vec::new();
    write_from_json(&json[..], &mut again).expect("kidkit's own JSON converts back");
    assert_eq!(again, built, "JSON → file → JSON → file changed the file");
});
