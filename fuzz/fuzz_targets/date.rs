//! Date parsers on arbitrary bytes: no panic; a parsed date formats back to the same bytes.
#![no_main]

use kidkit_core::{
    fits_ddmmyy, format_ddmmyy, format_yyyymmdd, parse_compact_or_iso, parse_ddmmyy, parse_yyyymmdd,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = parse_ddmmyy(data) {
        assert!(fits_ddmmyy(d));
        assert_eq!(format_ddmmyy(d).as_bytes(), data);
    }
    if let Ok(d) = parse_yyyymmdd(data) {
        assert_eq!(format_yyyymmdd(d).as_bytes(), data);
    }
    let _ = parse_compact_or_iso(data);
});
