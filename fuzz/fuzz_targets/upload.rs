//! Creditor uploads: checking never panics; a valid file rewritten from its fields checks again
//! and is byte-identical, and its JSON converts back to the same bytes.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::{Severity, TextEncoding, PersonRules, FileForm, LineEnding};
use kidkit_upload::{
    CheckOptions, JsonWriter, Record, RecordType, UploadSink, Writer, check, check_rereadable, write_from_json,
};
use libfuzzer_sys::fuzz_target;

struct Rewrite(Option<Writer<Vec<u8>>>);

impl UploadSink for Rewrite {
    fn record(&mut self, _line: u64, rec: &Record<'_>) -> std::io::Result<()> {
        if rec.kind == RecordType::Trailer {
            return Ok(());
        }
        let values: Vec<(&str, &str)> = rec.kind.fields().iter().map(|f| (f.name, rec.value(f.name))).collect();
        self.0.as_mut().map_or(Ok(()), |w| w.record(rec.kind, &values))
    }
}

fuzz_target!(|data: &[u8]| {
    let opts = CheckOptions {
        kid_check: Some(Severity::Error),
        person: PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false },
        show_personal_data: false,
        max_errors: None,
    };
    let Ok(first) = check_rereadable(std::io::Cursor::new(data), "fuzz", &opts) else { return };
    if first.report.is_invalid() {
        return;
    }
    let ending = first.lines.ending_to_keep(LineEnding::Crlf);
    let mut re = Rewrite(Some(Writer::new(Vec::new(), ending, first.encoding)));
    check(data, "fuzz", &opts, Some(&mut re)).unwrap();
    let written = re.0.take().unwrap().finish().expect("a valid upload can be written back");
    let again = check_rereadable(std::io::Cursor::new(&written[..]), "fuzz", &opts).unwrap();
    assert!(!again.report.is_invalid(), "rewritten upload is invalid: {:?}", again.report.findings);
    // a short record (padded, warning UPL001), a BOM or a missing final newline is valid but not
    // canonical: writing it back gives the canonical form instead
    let canonical = first.report.warnings == 0 && first.lines.mixed_at.is_none();
    if canonical && first.encoding != TextEncoding::Utf8 {
        assert_eq!(written, data, "a canonical valid upload is written back byte for byte");
    }
    let mut json = Vec::new();
    let form = FileForm::found(first.encoding, &first.lines);
    let mut jw = JsonWriter::new(&mut json, form).unwrap();
    check(data, "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut back = Vec::new();
    write_from_json(&json[..], &mut back).expect("kidkit's own JSON converts back");
    // every line's own ending, encoding and length is in the JSON: every valid file comes back
    assert_eq!(back, data, "JSON round trip changed the upload");
});
