//! Nets files: reading never panics; a valid file written back from the typed model reads back
//! valid and equal, and its JSON converts back to the identical bytes.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::{Severity, LineEnding};
use kidkit_ocr::{
    FileForm, JsonWriter, ReadOptions, RecordOptions, TotalsConvention, Writer, read, read_transmission, write_from_json,
    write_transmission,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let opts = ReadOptions {
        record: RecordOptions { kid_check: Some(Severity::Warning), today, lenient: false },
        max_errors: None,
    };
    let Ok((outcome, tree)) = read_transmission(data, "fuzz", &opts) else { return };
    let Some(tree) = tree else { return };
    let ending = outcome.reading.lines.ending_to_keep(LineEnding::Crlf);
    let mut written = Vec::new();
    let mut w =
        Writer::new(&mut written, ending, outcome.reading.encoding, outcome.convention.unwrap_or(TotalsConvention::Net));
    write_transmission(&tree, &mut w).expect("a valid file can be written back");
    let (again, tree2) = read_transmission(&written[..], "fuzz", &opts).unwrap();
    assert!(!again.reading.report.is_invalid(), "written file is invalid: {:?}", again.reading.report.findings);
    assert_eq!(tree2.as_ref(), Some(&tree));

    let form = FileForm::found(outcome.reading.encoding, &outcome.reading.lines);
    let mut json = Vec::new();
    let mut jw = JsonWriter::new(&mut json, &outcome.reading.report.format, form).unwrap();
    read(data, "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut back = Vec::new();
    write_from_json(&json[..], &mut back).expect("kidkit's own JSON converts back");
    // every line's own ending and encoding is in the JSON: every valid file comes back whole
    assert_eq!(back, data, "JSON round trip changed the file");
});
