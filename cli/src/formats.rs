//! The formats kidkit drives, in the order their signatures are tried, and the names `--from`
//! and `--to` accept. Nothing here knows a layout: each crate describes its own formats.

use clap::builder::PossibleValue;
use kidkit_core::{Bridge, Form, Format, Registry, Target};

/// Every format and bridge.
pub static REGISTRY: Registry = Registry::new(FORMATS, BRIDGES);

static FORMATS: &[&dyn Format] = &[
    &kidkit_ocr::OCR_GIRO,
    &kidkit_ocr::AVTALEGIRO,
    &kidkit_upload::UPLOAD,
    &kidkit_settlement::SETTLEMENT,
    &kidkit_ledger::KIDKIT_CSV,
    &kidkit_ledger::VISMA_GLOBAL,
    &kidkit_ledger::VISMA_BUSINESS,
    &kidkit_ledger::GBAT10,
    &kidkit_ledger::SAFT,
    &kidkit_matching::OPEN_ITEMS_CSV,
    &kidkit_matching::PAYMENTS_CSV,
];

static BRIDGES: &[&dyn Bridge] = &[&kidkit_ledger::POSTING];

const FORMS: [(Form, &str); 3] = [
    (Form::Json, "kidkit's full-fidelity JSON"),
    (Form::Csv, "kidkit's flat rows as CSV"),
    (Form::Ndjson, "kidkit's flat rows as NDJSON"),
];

/// The values of `--from`: every format, then kidkit's own forms.
pub fn from_names() -> impl Iterator<Item = PossibleValue> {
    values(|_| true)
}

/// The values of `--to`: every format something converts to or is built as, then kidkit's own
/// forms.
pub fn to_names() -> impl Iterator<Item = PossibleValue> {
    values(|f| {
        let name = f.info().name;
        REGISTRY.formats().iter().any(|other| {
            other.info().builds.contains(&name) || REGISTRY.targets(*other).contains(&Target::Format(name))
        })
    })
}

fn values(keep: impl Fn(&dyn Format) -> bool) -> impl Iterator<Item = PossibleValue> {
    let formats =
        REGISTRY.formats().iter().filter(move |f| keep(**f)).map(|f| {
            PossibleValue::new(f.info().name).help(f.info().summary).aliases(f.info().aliases.iter().copied())
        });
    formats.chain(FORMS.into_iter().map(|(form, help)| PossibleValue::new(form.name().unwrap_or_default()).help(help)))
}

/// Every name `--from` accepts, for messages.
pub fn known() -> String {
    from_names().map(|v| v.get_name().to_owned()).collect::<Vec<_>>().join(", ")
}

/// The names a list of formats or targets goes by, for messages (`json, csv or ocr-giro`).
pub fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Which format and form an input is: `--from` when given (a format, or `json`/`csv`/`ndjson`
/// told apart by the file itself or by `--to`), else what its first bytes show. `rows` says the
/// input is rows in a layout of their own (`--map`). `None` when nothing fits; the caller says
/// so.
pub fn resolve(head: &[u8], from: Option<&str>, to: Option<&str>, rows: bool) -> Option<Found> {
    let to_format = to.and_then(|t| REGISTRY.find(t));
    let by_target =
        |form: Form| to_format.filter(|f| f.info().builds_from.contains(&form)).map(|format| Found { format, form });
    match from {
        Some(name) => match Form::from_name(name) {
            Some(form) => REGISTRY.sniff(head).filter(|f| f.form == form).or_else(|| by_target(form)),
            None => REGISTRY.find(name).map(|format| Found { format, form: Form::Native }),
        },
        None if rows => by_target(Form::Csv),
        None => REGISTRY.sniff(head),
    }
}

/// How people name what a found input is: `ocr-giro`, `json (ocr-giro)`, `csv (upload rows)`.
pub fn describe(found: Found) -> String {
    let name = found.format.info().name;
    match found.form {
        Form::Native => name.to_owned(),
        Form::Json => "json".to_owned(),
        Form::Csv => format!("csv ({name} rows)"),
        Form::Ndjson => format!("ndjson ({name} rows)"),
    }
}

pub use kidkit_core::Found;

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::*;

    /// The conversion matrix as the docs show it: a row per format, what it converts to and
    /// what it is built from.
    fn matrix() -> String {
        let mut out = String::from("| input | converts to | built from |\n|---|---|---|\n");
        for f in REGISTRY.formats() {
            let info = f.info();
            let targets: Vec<String> = REGISTRY.targets(*f).iter().map(|t| format!("`{}`", t.name())).collect();
            let sources: Vec<String> = REGISTRY
                .formats()
                .iter()
                .filter(|g| g.info().builds.contains(&info.name))
                .flat_map(|g| {
                    g.info().builds_from.iter().map(move |form| {
                        let form = form.name().unwrap_or_default();
                        if g.info().name == info.name {
                            format!("`{form}`")
                        } else {
                            format!("`{form}` of {}", g.info().name)
                        }
                    })
                })
                .collect();
            let or_none = |v: Vec<String>| if v.is_empty() { "—".to_owned() } else { v.join(", ") };
            let _ = writeln!(out, "| `{}` | {} | {} |", info.name, or_none(targets), or_none(sources));
        }
        out
    }

    #[test]
    fn the_docs_show_the_conversion_matrix_of_the_registry() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/conversions.md")).unwrap();
        let mark = "<!-- matrix -->\n";
        let start = docs.find(mark).expect("docs/conversions.md marks the matrix") + mark.len();
        let end = docs[start..].find("<!-- /matrix -->").map(|e| start + e).unwrap();
        assert_eq!(docs[start..end], matrix(), "docs/conversions.md: paste the matrix above between the markers");
    }
}
