//! `kidkit kid check` and `kidkit kid make`.

use std::io::{self, BufWriter, Write};

use kidkit_core::{KidRule, KidShapeError, check_kid, make_check_char};

use crate::input::{Value, shown, values};
use crate::outcome::{Failure, Outcome};

/// One line per KID: which rules hold, or why its shape is wrong.
pub fn check(args: &[String]) -> Result<Outcome, Failure> {
    let items = values(args)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut invalid = false;
    for item in &items {
        let line = match item {
            Value::TooLong(len) => {
                invalid = true;
                format!("(line of {len} bytes): invalid: KID has {len} characters, expected 2–25")
            }
            Value::Text(kid) => match check_kid(kid) {
                Ok(v) if v.is_valid() => format!("{kid}: {}", v.rules()),
                Ok(v) => {
                    invalid = true;
                    format!(
                        "{kid}: none (check digit {}; MOD10 calls for {}, MOD11 for {})",
                        v.found as char, v.mod10_expected as char, v.mod11_expected as char
                    )
                }
                Err(e) => {
                    invalid = true;
                    let echoed = if kid.is_empty() { "(empty)".to_owned() } else { shown(kid) };
                    format!("{echoed}: invalid: {e}")
                }
            },
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(Outcome::from_invalid(invalid))
}

/// Prints each body with its check character appended; bad bodies go to stderr.
pub fn make(args: &[String], mod11: bool) -> Result<Outcome, Failure> {
    let rule = if mod11 { KidRule::Mod11 } else { KidRule::Mod10 };
    let items = values(args)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    let mut invalid = false;
    for item in &items {
        match item {
            Value::Text(body) => match make_check_char(body, rule) {
                Ok(c) => writeln!(out, "{body}{}", c as char)?,
                Err(e) => {
                    invalid = true;
                    writeln!(err, "kidkit: error: body {:?}: {}", shown(body), body_problem(e))?;
                }
            },
            Value::TooLong(len) => {
                invalid = true;
                writeln!(err, "kidkit: error: a line of {len} bytes is not a body of 1–24 digits")?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::from_invalid(invalid))
}

fn body_problem(e: KidShapeError) -> String {
    match e {
        KidShapeError::Empty => "empty; expected 1–24 digits".to_owned(),
        KidShapeError::Length { len, .. } => {
            format!("{len} digits; expected 1–24 (a KID is at most 25 with its check digit)")
        }
        KidShapeError::NotDigit { position, found, .. } => {
            format!("holds {found:?} at position {position}; expected digits only")
        }
    }
}
