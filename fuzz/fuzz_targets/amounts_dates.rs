//! Amount and date parsers on arbitrary input: no panic, and format → parse gives the value back.
#![no_main]

use kidkit_core::amount::{AmountSyntax, DecimalMark, format_comma, format_point, parse_kroner, parse_ore_digits};
use kidkit_core::date::{
    fits_ddmmyy, format_ddmmyy, format_yyyymmdd, parse_compact_or_iso, parse_ddmmyy, parse_yyyymmdd,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        for decimal in [DecimalMark::Comma, DecimalMark::Point, DecimalMark::Either] {
            for thousands in [None, Some(' '), Some('.')] {
                if let Ok(ore) = parse_kroner(s, AmountSyntax { decimal, thousands }) {
                    assert_eq!(parse_kroner(&format_comma(ore), AmountSyntax::COMMA), Ok(ore));
                    assert_eq!(parse_kroner(&format_point(ore), AmountSyntax::POINT), Ok(ore));
                }
            }
        }
    }
    let _ = parse_ore_digits(data);
    if let Ok(d) = parse_ddmmyy(data) {
        assert!(fits_ddmmyy(d));
        assert_eq!(format_ddmmyy(d).as_bytes(), data);
    }
    if let Ok(d) = parse_yyyymmdd(data) {
        assert_eq!(format_yyyymmdd(d).as_bytes(), data);
    }
    let _ = parse_compact_or_iso(data);
});
