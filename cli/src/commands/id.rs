//! `kidkit id check`.

use std::io::{self, BufWriter, Write};

use kidkit_core::{
    IdType, Options, PersonKind, candidate_types, check_account, check_iban, check_orgnr_loose, check_person_number,
    mask_person_number,
};

use crate::args::{GlobalArgs, IdKind};
use crate::input::{Value, shown, values};
use crate::outcome::{Failure, Outcome};

/// What one type check said of a value.
struct Verdict {
    kind: IdType,
    result: Result<String, String>,
}

fn check_as(value: &str, kind: IdType, opts: &Options) -> Verdict {
    let result = match kind {
        IdType::Orgnr => check_orgnr_loose(value)
            .map(|o| if o.mva { format!("orgnr {} (VAT form {})", o, o.mva_form()) } else { format!("orgnr {o}") })
            .map_err(|e| e.to_string()),
        IdType::Account => {
            check_account(value).map(|a| format!("account {}", a.formatted())).map_err(|e| e.to_string())
        }
        IdType::Iban => {
            check_iban(value).map(|a| format!("iban, account {}", a.formatted())).map_err(|e| e.to_string())
        }
        IdType::Fnr => check_person_number(value, opts.person_rules())
            .map(|p| {
                let name = match p.kind {
                    PersonKind::Fnr => "fødselsnummer",
                    PersonKind::Dnr => "D-number",
                    PersonKind::Hnr => "H-number",
                };
                let rule = if p.rule_2032 { ", valid under the 2032 rule" } else { "" };
                format!("{} ({name}, born {}{rule})", p.kind, p.birth_date)
            })
            .map_err(|e| e.to_string()),
    };
    Verdict { kind, result }
}

fn id_type(kind: IdKind) -> IdType {
    match kind {
        IdKind::Orgnr => IdType::Orgnr,
        IdKind::Account => IdType::Account,
        IdKind::Iban => IdType::Iban,
        IdKind::Fnr => IdType::Fnr,
    }
}

/// One line per value: every type that holds, or why none does.
pub fn check(args: &[String], kind: Option<IdKind>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let mut opts = Options::new(g.today.unwrap_or_else(|| chrono::Local::now().date_naive()));
    opts.fnr_2032 = g.fnr_2032;
    let items = values(args)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut invalid = false;
    for item in &items {
        let Value::Text(value) = item else {
            invalid = true;
            writeln!(out, "(a line too long to be an identifier): invalid")?;
            continue;
        };
        let types: Vec<IdType> = match kind {
            Some(k) => vec![id_type(k)],
            None => candidate_types(value).to_vec(),
        };
        if types.is_empty() {
            invalid = true;
            writeln!(
                out,
                "{}: invalid: not shaped like any identifier: expected 9 digits (orgnr), 11 digits (account or fødselsnummer), NO + 13 digits (IBAN) or '… MVA'",
                shown(&mask_if_personal(value, true, g.show_personal_data))
            )?;
            continue;
        }
        let verdicts: Vec<Verdict> = types.iter().map(|&t| check_as(value, t, &opts)).collect();
        let fnr_possible = types.contains(&IdType::Fnr);
        let fnr_valid = verdicts.iter().any(|v| v.kind == IdType::Fnr && v.result.is_ok());
        let any_other_valid = verdicts.iter().any(|v| v.kind != IdType::Fnr && v.result.is_ok());
        // A value that may be a personal number is masked, unless it is plainly something else;
        // one shaped like a personal number (check digits, day and month) is masked whatever
        // --type asked
        let digits: String = value.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let shaped = digits.len() == 11 && kidkit_core::mask_person_numbers_in(&digits) != digits;
        let personal = shaped || (fnr_possible && (fnr_valid || !any_other_valid));
        let echoed = shown(&mask_if_personal(value, personal, g.show_personal_data));
        let valid: Vec<String> = verdicts
            .iter()
            .filter_map(|v| v.result.as_ref().ok())
            .map(|s| {
                // the formatted account would show the digits the mask hides
                if personal && !g.show_personal_data && s.starts_with("account") {
                    "account".to_owned()
                } else {
                    s.clone()
                }
            })
            .collect();
        if valid.is_empty() {
            invalid = true;
            let why: Vec<String> = verdicts
                .iter()
                .map(|v| format!("{}: {}", v.kind, v.result.as_ref().err().map_or("", String::as_str)))
                .collect();
            writeln!(out, "{echoed}: invalid: {}", why.join("; "))?;
        } else {
            writeln!(out, "{echoed}: {}", valid.join("; "))?;
        }
    }
    out.flush()?;
    Ok(Outcome::from_invalid(invalid))
}

fn mask_if_personal(value: &str, personal: bool, show: bool) -> String {
    if personal && !show { mask_person_number(value) } else { value.to_owned() }
}
