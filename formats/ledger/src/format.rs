//! Ledger bundles through kidkit's format contract: one format per dialect, each converting to
//! every other, and the bridge that posts a settlement to any of them.
//!
//! A bundle is held whole in memory while it is checked and written: its rules (balances per
//! voucher, SAF-T's totals before the entries) need every posting at once.

use std::io::{Read, Write};

use kidkit_core::{
    Bridge, Checked, Diagnostic, Error, FileReport, Findings, Form, Format, Info, Input, Inspected, KidCheck, Options,
    Origins, Result, Rewriter, RowFormat, Severity, Target, TextRows, Watched, Written, delimited_record, nth_line,
    read_settings,
};

use crate::accounts::Accounts;
use crate::check::{Located, Place};
use crate::dialect::{self, Dialect};
use crate::model::Bundle;
use crate::post::{Collected, post};

/// A ledger bundle in one dialect.
pub struct Ledger {
    dialect: Dialect,
    info: Info,
}

const TARGETS: &[Target] = &[
    Target::Form(Form::Json),
    Target::Form(Form::Csv),
    Target::Form(Form::Ndjson),
    Target::Format("kidkit-csv"),
    Target::Format("visma-global"),
    Target::Format("visma-business"),
    Target::Format("gbat10"),
    Target::Format("saft"),
];

const DIALECTS: &[&str] = &["kidkit-csv", "visma-global", "visma-business", "gbat10", "saft"];

const fn ledger(dialect: Dialect, name: &'static str, summary: &'static str, json: Option<&'static str>) -> Ledger {
    Ledger {
        dialect,
        info: Info {
            name,
            aliases: &[],
            summary,
            json,
            builds_from: if json.is_some() { &[Form::Json] } else { &[] },
            builds: DIALECTS,
            targets: TARGETS,
            kid_check: KidCheck::Error,
            rereads: false,
        },
    }
}

/// kidkit's own `;`-separated bundle CSV (its JSON builds every dialect).
pub static KIDKIT_CSV: Ledger =
    ledger(Dialect::KidkitCsv, "kidkit-csv", "A ledger bundle in kidkit's own ;-separated CSV", Some("bundle"));
/// Visma Global's transaction import (never detected: it has no header).
pub static VISMA_GLOBAL: Ledger = ledger(
    Dialect::VismaGlobal,
    "visma-global",
    "A ledger bundle for Visma Global (Rubicon ImportBatchCSV; never detected: give --from)",
    None,
);
/// Visma Business batch import.
pub static VISMA_BUSINESS: Ledger =
    ledger(Dialect::VismaBusiness, "visma-business", "A ledger bundle for Visma Business (batch import)", None);
/// Mamut's GBAT10 voucher CSV.
pub static GBAT10: Ledger = ledger(Dialect::Gbat10, "gbat10", "A ledger bundle in Mamut's GBAT10 voucher CSV", None);
/// SAF-T Financial 1.30.
pub static SAFT: Ledger = ledger(Dialect::Saft, "saft", "A ledger bundle as SAF-T Financial 1.30", None);

/// The accounts file (`--accounts`), or the defaults.
pub fn accounts(opts: &Options) -> Result<Accounts> {
    match &opts.accounts {
        None => Ok(Accounts::default()),
        Some(p) => read_settings(p, Accounts::from_json),
    }
}

/// The dialect options for `accounts`: a failing KID check digit is an error unless
/// `--kid-check` says otherwise.
fn dialect_options(opts: &Options, accounts: &Accounts) -> dialect::Options {
    let mut o = dialect::Options::from(accounts);
    o.kid_check_digit = opts.kid_check_or(KidCheck::Error).severity();
    o
}

fn dialect_of(name: &str) -> Dialect {
    Dialect::ALL.into_iter().find(|d| d.name() == name).unwrap_or(Dialect::KidkitCsv)
}

fn read_all(input: &mut dyn Input) -> Result<Vec<u8>> {
    let name = input.name().to_owned();
    let mut bytes = Vec::new();
    input.open()?.read_to_end(&mut bytes).map_err(|e| Error::read(format!("'{name}'"), e))?;
    Ok(bytes)
}

impl Format for Ledger {
    fn info(&self) -> &'static Info {
        // the statics above are the only values of this type
        match self.dialect {
            Dialect::KidkitCsv => &KIDKIT_CSV.info,
            Dialect::VismaGlobal => &VISMA_GLOBAL.info,
            Dialect::VismaBusiness => &VISMA_BUSINESS.info,
            Dialect::Gbat10 => &GBAT10.info,
            Dialect::Saft => &SAFT.info,
        }
    }

    fn sniff(&self, head: &[u8]) -> Option<Form> {
        (Dialect::detect(head) == Some(self.dialect)).then_some(Form::Native)
    }

    fn inspect(&self, input: &mut dyn Input, n: u64, _opts: &Options) -> Result<Option<Inspected>> {
        inspect_line(self.dialect, input, n)
    }

    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let accounts = accounts(opts)?;
        let bytes = read_all(input)?;
        let v = dialect::validate(self.dialect, &bytes, &dialect_options(opts, &accounts));
        let mut f = Findings::new(input.name(), opts.max_errors);
        f.extend(v.findings);
        let report = FileReport::new(self.dialect.name(), v.records, f);
        let rewriter = v.bundle.map(|bundle| {
            Box::new(Held { bundle, places: Some((v.places, self.dialect)), about: input.name().to_owned(), accounts })
                as Box<dyn Rewriter>
        });
        Ok(Checked { report, rewriter })
    }

    fn build(
        &self,
        from: Form,
        to: &'static str,
        input: &mut dyn Input,
        out: &mut dyn Write,
        _origins: &mut Origins,
        opts: &Options,
    ) -> Result<FileReport> {
        if from != Form::Json {
            return Err(Error::not_built(to, from));
        }
        let accounts = accounts(opts)?;
        let name = input.name().to_owned();
        let text = String::from_utf8_lossy(&read_all(input)?).into_owned();
        let bundle = match crate::json::from_json(&text) {
            Ok(b) => b,
            Err(message) => {
                let mut f = Findings::new(&name, None);
                f.push(Diagnostic::error("IO003", 1, 1, message).field("bundle"));
                return Ok(FileReport::new("json", 0, f));
            }
        };
        let held = Held { bundle, places: None, about: format!("{name} (as kidkit-csv)"), accounts };
        match held.write(input, Target::Format(to), out, opts)? {
            Written::Done(_) => Ok(FileReport::new("json", 0, Findings::new(&name, None))),
            Written::Refused(report) => Ok(report),
        }
    }
}

/// The fields of line `n` of a line-based dialect, named as the dialect names its columns.
fn inspect_line(dialect: Dialect, input: &mut dyn Input, n: u64) -> Result<Option<Inspected>> {
    if dialect == Dialect::Saft {
        return Err(Error::Unsupported("saft is XML: inspect shows the records of line-based files".to_owned()));
    }
    // the postings of visma-business are named by the last `@WaVo (…)` list before them
    let mut wavo: Vec<String> = crate::visma_business::FIELDS.iter().map(|f| (*f).to_owned()).collect();
    let seen = |text: &str| {
        if let Some(list) = text.strip_prefix("@WaVo").and_then(|r| r.trim().strip_prefix('(')?.strip_suffix(')')) {
            wavo = list.split(',').map(|s| s.trim().to_owned()).collect();
        }
    };
    let Some(line) = nth_line(input, n, seen)? else { return Ok(None) };
    let (delim, quotes, names, kind): (char, bool, Vec<&str>, &str) = match dialect {
        Dialect::KidkitCsv if n == 1 => (';', true, Vec::new(), "header row"),
        Dialect::KidkitCsv => (';', true, crate::kidkit_csv::HEADER.to_vec(), "posting"),
        Dialect::Gbat10 if n == 1 => (';', false, Vec::new(), "header row (GBAT10)"),
        Dialect::Gbat10 => (';', false, crate::gbat10::NAMES.to_vec(), "posting"),
        Dialect::VismaGlobal => (',', true, crate::visma_global::COLUMNS.to_vec(), "posting"),
        _ if line.starts_with('@') => (' ', true, Vec::new(), "directive"),
        _ => (' ', true, wavo.iter().map(String::as_str).collect(), "posting"),
    };
    Ok(Some(delimited_record(kind, &line, delim, quotes, &names)))
}

/// A valid bundle in memory, with where its postings stand in the file it came from (`None`:
/// made in memory, placed by its kidkit-csv lines).
struct Held {
    bundle: Bundle,
    places: Option<(Vec<Place>, Dialect)>,
    about: String,
    accounts: Accounts,
}

impl Rewriter for Held {
    /// First the target dialect's own rules (a value it cannot hold is a finding on the input's
    /// line, and nothing is written), then the output.
    fn write(&self, _input: &mut dyn Input, to: Target, out: &mut dyn Write, opts: &Options) -> Result<Written> {
        let opts = dialect_options(opts, &self.accounts);
        // CSV and NDJSON rows are kidkit-csv's
        let target = match to {
            Target::Format(name) => Some(dialect_of(name)),
            Target::Form(Form::Csv | Form::Ndjson) => Some(Dialect::KidkitCsv),
            Target::Form(_) => None,
        };
        if let Some(target) = target {
            let at = match &self.places {
                Some((places, d)) => Located { places, names: d.field_names() },
                None => crate::kidkit_csv::IN_MEMORY,
            };
            let problems = dialect::fit(&self.bundle, target, &opts, at);
            if problems.iter().any(|d| d.severity == Severity::Error) {
                let mut f = Findings::new(&format!("{} (for {target})", self.about), None);
                f.extend(problems);
                return Ok(Written::Refused(FileReport::new("bundle", self.bundle.postings().count() as u64, f)));
            }
        }
        let mut w = Watched::new(std::io::BufWriter::new(out));
        let done: std::io::Result<()> = (|| {
            match to {
                Target::Form(Form::Json) => {
                    serde_json::to_writer_pretty(&mut w, &crate::json::to_json(&self.bundle))?;
                    writeln!(w)?;
                }
                Target::Form(Form::Ndjson) => {
                    let mut rows = TextRows::new(&mut w, RowFormat::Ndjson, &crate::kidkit_csv::HEADER)?;
                    for row in crate::kidkit_csv::rows(&self.bundle) {
                        rows.write(&row)?;
                    }
                    rows.finish()?;
                }
                _ => dialect::write(target.unwrap_or(Dialect::KidkitCsv), &self.bundle, &opts, &mut w)?,
            }
            w.flush()
        })();
        done.map_err(|e| w.blame(e, &self.about, "the output"))?;
        Ok(Written::Done(Vec::new()))
    }
}

/// Posts a valid settlement to a ledger bundle in any dialect, by the posting table.
pub struct Posting;

/// The settlement → ledger bundle bridge.
pub static POSTING: Posting = Posting;

impl Bridge for Posting {
    fn from(&self) -> &'static str {
        "settlement"
    }

    fn to(&self) -> &'static [&'static str] {
        DIALECTS
    }

    /// Every line that cannot be posted and every bundle finding is reported, and nothing is
    /// written unless there are none.
    fn write(&self, input: &mut dyn Input, to: &'static str, out: &mut dyn Write, opts: &Options) -> Result<Written> {
        let accounts = accounts(opts)?;
        let name = input.name().to_owned();
        let mut collected = Collected::default();
        let check_opts = kidkit_settlement::check_options(&opts.with_max_errors(None));
        kidkit_settlement::check(input.open()?, &name, &check_opts, Some(&mut collected))
            .map_err(|e| Error::read(format!("'{name}'"), e))?;
        match post(&collected, &accounts) {
            // bundle findings point at the bundle's kidkit-csv lines
            Ok(bundle) => {
                let held = Held { bundle, places: None, about: format!("{name} (posted, as kidkit-csv)"), accounts };
                held.write(input, Target::Format(to), out, opts)
            }
            // posting findings point at the settlement
            Err(problems) => {
                let mut f = Findings::new(&name, None);
                f.extend(problems);
                Ok(Written::Refused(FileReport::new("settlement", collected.lines.len() as u64, f)))
            }
        }
    }
}
