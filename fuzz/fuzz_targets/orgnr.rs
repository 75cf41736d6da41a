//! Organisation number checks on arbitrary text: no panic; a valid number checks in both forms.
#![no_main]

use kidkit_core::{check_orgnr, check_orgnr_loose};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = check_orgnr(s);
    if let Ok(o) = check_orgnr_loose(s) {
        assert!(check_orgnr(o.as_str()).is_ok());
        assert!(check_orgnr_loose(&o.mva_form()).is_ok_and(|m| m.mva));
    }
});
