//! KID check and make on arbitrary text: no panic; a made KID always checks under its rule.
#![no_main]

use kidkit_core::{KidRule, check_kid, make_check_char};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(v) = check_kid(s) {
        assert_eq!(v.is_valid(), v.mod10() || v.mod11());
    }
    for rule in [KidRule::Mod10, KidRule::Mod11] {
        if let Ok(c) = make_check_char(s, rule) {
            let v = check_kid(&format!("{s}{}", c as char)).expect("a made KID has a KID's shape");
            assert!(if rule == KidRule::Mod10 { v.mod10() } else { v.mod11() });
        }
    }
});
