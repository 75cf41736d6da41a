//! kidkit-csv bundles: reading never panics; a valid bundle written and read again is the same
//! bundle, and writing that again gives the same bytes.
#![no_main]

use kidkit_ledger::kidkit_csv::{read, validate, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(bundle), _) = validate(data, None) else { return };
    let mut written = Vec::new();
    write(&bundle, &mut written).unwrap();
    let again = read(&written[..]).expect("a bundle kidkit wrote reads back");
    assert_eq!(again, bundle, "kidkit-csv round trip changed the bundle");
    let mut twice = Vec::new();
    write(&again, &mut twice).unwrap();
    assert_eq!(twice, written, "writing is stable");
});
