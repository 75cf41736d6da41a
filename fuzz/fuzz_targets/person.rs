//! Fødselsnummer / D- / H-number check on arbitrary text: no panic; a valid number has a birth
//! date not after today and masks to 11 characters.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::{PersonRules, check_person_number};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let strict = check_person_number(s, PersonRules { today, allow_2032: false });
    let loose = check_person_number(s, PersonRules { today, allow_2032: true });
    if let Ok(p) = strict {
        assert!(p.birth_date <= today);
        assert_eq!(p.masked().chars().count(), 11);
        // the 2032 rule only ever accepts more
        assert!(loose.is_ok());
    }
});
