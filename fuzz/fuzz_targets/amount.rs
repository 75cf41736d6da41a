//! Amount parsers on arbitrary input: no panic; format → parse gives the value back.
#![no_main]

use kidkit_core::{AmountSyntax, DecimalMark, format_comma, format_point, parse_kroner, parse_ore_digits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_ore_digits(data);
    let Ok(s) = std::str::from_utf8(data) else { return };
    for decimal in [DecimalMark::Comma, DecimalMark::Point, DecimalMark::Either] {
        for thousands in [None, Some(' '), Some('.')] {
            if let Ok(ore) = parse_kroner(s, AmountSyntax { decimal, thousands }) {
                assert_eq!(parse_kroner(&format_comma(ore), AmountSyntax::COMMA), Ok(ore));
                assert_eq!(parse_kroner(&format_point(ore), AmountSyntax::POINT), Ok(ore));
            }
        }
    }
});
