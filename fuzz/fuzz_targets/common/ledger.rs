//! The property every ledger reader is fuzzed for: reading never panics; a valid bundle written
//! in its own dialect reads back to the same bundle, and writing that again gives the same bytes.

use kidkit_ledger::dialect::{Dialect, Options, parse, validate, write};

pub fn round_trip(dialect: Dialect, data: &[u8]) {
    let opts = Options::default();
    let Some(bundle) = validate(dialect, data, &opts).bundle else { return };
    let mut written = Vec::new();
    write(dialect, &bundle, &opts, &mut written).expect("a valid bundle writes in its own dialect");
    let again = validate(dialect, &written, &opts);
    assert!(again.findings.is_empty(), "{dialect}: what kidkit wrote has findings: {:?}", again.findings);
    let again = again.bundle.expect("a bundle kidkit wrote reads back");
    assert_eq!(again, bundle, "{dialect}: the round trip changed the bundle");
    let mut twice = Vec::new();
    write(dialect, &again, &opts, &mut twice).unwrap();
    assert_eq!(twice, written, "{dialect}: writing is stable");
    let _ = parse(dialect, &written, &opts);
}
