//! IBAN check on arbitrary text: no panic; the account inside a valid IBAN is valid.
#![no_main]

use kidkit_core::{check_account, check_iban};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(a) = check_iban(s) {
        assert_eq!(check_account(a.as_str()), Ok(a));
    }
});
