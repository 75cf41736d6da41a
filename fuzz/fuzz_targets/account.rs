//! Bank account check on arbitrary text: no panic; a valid account checks again when printed.
#![no_main]

use kidkit_core::check_account;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(a) = check_account(s) {
        assert_eq!(check_account(&a.formatted()), Ok(a));
        assert_eq!(check_account(a.as_str()), Ok(a));
    }
});
