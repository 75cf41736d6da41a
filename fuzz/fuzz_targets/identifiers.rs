//! Every identifier parser on arbitrary text: no panic, and what a check accepts it accepts again
//! in its normal form.
#![no_main]

use chrono::NaiveDate;
use kidkit_core::ident::kid::{KidRule, check_kid, make_check_char};
use kidkit_core::ident::person::{PersonRules, check_person_number};
use kidkit_core::ident::{account, candidate_types, iban, orgnr};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(v) = check_kid(s) {
        assert!(v.mod10() == (v.found == v.mod10_expected));
    }
    for rule in [KidRule::Mod10, KidRule::Mod11] {
        if let Ok(c) = make_check_char(s, rule) {
            let kid = format!("{s}{}", c as char);
            let v = check_kid(&kid).expect("a made KID has a KID's shape");
            assert!(if rule == KidRule::Mod10 { v.mod10() } else { v.mod11() });
        }
    }
    if let Ok(a) = account::check_account(s) {
        assert_eq!(account::check_account(&a.formatted()), Ok(a));
    }
    if let Ok(o) = orgnr::check_orgnr_loose(s) {
        assert!(orgnr::check_orgnr(o.as_str()).is_ok());
        assert!(orgnr::check_orgnr_loose(&o.mva_form()).is_ok());
    }
    if let Ok(a) = iban::check_iban(s) {
        assert!(account::check_account(a.as_str()).is_ok());
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for allow_2032 in [false, true] {
        if let Ok(p) = check_person_number(s, PersonRules { today, allow_2032 }) {
            assert!(p.birth_date <= today);
            assert_eq!(p.masked().chars().count(), 11);
        }
    }
    let _ = candidate_types(s);
});
