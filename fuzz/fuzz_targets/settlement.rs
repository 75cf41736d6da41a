//! Settlements: reading never panics; a valid settlement rewritten from its fields reads back
//! valid (byte-identical when canonical), and its JSON converts back to the same bytes.
#![no_main]

use kidkit_core::{Severity, FileForm, LineEnding};
use kidkit_settlement::{CheckOptions, JsonWriter, Rewrite, Writer, check, write_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = CheckOptions { kid_check: Some(Severity::Error), max_errors: None };
    let Ok(first) = check(data, "fuzz", &opts, None) else { return };
    if first.report.is_invalid() {
        return;
    }
    let ending = first.lines.ending_to_keep(LineEnding::Crlf);
    let mut re = Rewrite(Some(Writer::new(Vec::new(), ending, first.encoding)));
    check(data, "fuzz", &opts, Some(&mut re)).unwrap();
    let written = re.0.take().unwrap().finish().expect("a valid settlement can be written back");
    let again = check(&written[..], "fuzz", &opts, None).unwrap();
    assert!(!again.report.is_invalid(), "rewritten settlement is invalid: {:?}", again.report.findings);
    if first.report.warnings == 0 && first.lines.mixed_at.is_none() {
        assert_eq!(written, data, "a canonical valid settlement is written back byte for byte");
    }
    let mut json = Vec::new();
    let mut jw = JsonWriter::new(&mut json, FileForm::found(first.encoding, &first.lines)).unwrap();
    check(data, "fuzz", &opts, Some(&mut jw)).unwrap();
    jw.finish().unwrap();
    let mut back = Vec::new();
    write_from_json(&json[..], &mut back).expect("kidkit's own JSON converts back");
    // every line's own ending and encoding is in the JSON: every valid file comes back whole
    assert_eq!(back, data, "JSON round trip changed the settlement");
});
