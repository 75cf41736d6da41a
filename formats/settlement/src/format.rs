//! Settlements through kidkit's format contract.

use std::io::Write;

use kidkit_core::{
    Checked, EncodingSniffer, Error, FileForm, FileReport, Form, Format, Info, Input, Inspected, KidCheck, LineEnding,
    LineReader, Options, Origins, Result, Rewriter, RowSyntax, Target, TextEncoding, Watched, Written, decode,
    delimited_record, write_again,
};

use crate::check::{CheckOptions, check};
use crate::convert::{COLUMNS, JsonWriter, Rewrite, RowFormat, RowWriter, build_from_rows, write_from_json};
use crate::layout::{Field, HEADER, LINE, TRAILER};
use crate::write::Writer;

/// The settlement format (KKA1).
pub struct Settlement;

/// Settlements.
pub static SETTLEMENT: Settlement = Settlement;

static INFO: Info = Info {
    name: "settlement",
    aliases: &[],
    summary: "Settlement, klientkonto avregning (KKA1)",
    json: Some("settlement"),
    builds_from: &[Form::Json, Form::Csv, Form::Ndjson],
    builds: &["settlement"],
    targets: &[
        Target::Form(Form::Json),
        Target::Form(Form::Csv),
        Target::Form(Form::Ndjson),
        Target::Format("settlement"),
    ],
    kid_check: KidCheck::Error,
    rereads: true,
};

/// The options of the settlement checks, from the command line's.
pub fn check_options(opts: &Options) -> CheckOptions {
    CheckOptions { kid_check: opts.kid_check_or(INFO.kid_check).severity(), max_errors: opts.max_errors }
}

impl Format for Settlement {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn sniff(&self, head: &[u8]) -> Option<Form> {
        if head.starts_with(b"H;KKA1;") {
            return Some(Form::Native);
        }
        let (syntax, cols) = kidkit_core::sniff_header(head)?;
        let form = if syntax == RowSyntax::Ndjson { Form::Ndjson } else { Form::Csv };
        cols.iter().map(String::as_str).eq(COLUMNS.iter().copied()).then_some(form)
    }

    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let name = input.name().to_owned();
        let read = |e| Error::read(format!("'{name}'"), e);
        let mut first = check(input.open()?, &name, &check_options(opts), None).map_err(read)?;
        if first.probe.is_some() {
            let again = input.open()?;
            crate::check::settle_duplicates(&mut first, || Ok(again)).map_err(read)?;
        }
        let rewriter: Option<Box<dyn Rewriter>> = (!first.report.is_invalid()).then(|| {
            Box::new(Again {
                form: FileForm::found(first.encoding, &first.lines),
                ending: first.lines.ending_to_keep(LineEnding::Crlf),
                encoding: first.encoding,
            }) as Box<dyn Rewriter>
        });
        Ok(Checked { report: first.report, rewriter })
    }

    fn build(
        &self,
        from: Form,
        _to: &'static str,
        input: &mut dyn Input,
        out: &mut dyn Write,
        origins: &mut Origins,
        _opts: &Options,
    ) -> Result<FileReport> {
        let name = input.name().to_owned();
        let mut out = Watched::new(out);
        match from {
            Form::Csv | Form::Ndjson => {
                let syntax = if from == Form::Csv { RowSyntax::CSV } else { RowSyntax::Ndjson };
                let built = build_from_rows(input.open()?, syntax, &name, &mut out, origins);
                let (report, _) = built.map_err(|e| out.blame(e, &name, "the output"))?;
                Ok(report)
            }
            Form::Json => Ok(kidkit_core::json_built(&name, write_from_json(input.open()?, &mut out))),
            Form::Native => Err(Error::Unsupported("settlement is built from JSON or rows".to_owned())),
        }
    }

    fn inspect(&self, input: &mut dyn Input, n: u64, _opts: &Options) -> Result<Option<Inspected>> {
        let name = input.name().to_owned();
        let mut lines = LineReader::new(input.open()?, 64 * 1024);
        let mut sniffer = EncodingSniffer::new(TextEncoding::Windows1252);
        while let Some(line) = lines.next_line().map_err(|e| Error::read(format!("'{name}'"), e))? {
            let enc = sniffer.observe(line.bytes).encoding;
            if line.number < n {
                continue;
            }
            let text = decode(line.bytes, enc);
            let (kind, layout): (&str, &[Field]) = match text.split(';').next() {
                Some("H") => ("header record (H)", &HEADER),
                Some("L") => ("line record (L)", &LINE),
                Some("T") => ("trailer record (T)", &TRAILER),
                other => {
                    return Ok(Some(Inspected {
                        kind: None,
                        fields: Vec::new(),
                        problem: Some(format!("record type '{}' is not H, L or T (SET002)", other.unwrap_or_default())),
                    }));
                }
            };
            let names: Vec<&str> = layout.iter().map(|f| f.name).collect();
            return Ok(Some(delimited_record(kind, &text, ';', false, &names)));
        }
        Ok(None)
    }
}

/// What the first reading of a valid settlement learnt, for writing it again.
struct Again {
    form: FileForm,
    ending: LineEnding,
    encoding: TextEncoding,
}

impl Rewriter for Again {
    fn write(&self, input: &mut dyn Input, to: Target, out: &mut dyn Write, opts: &Options) -> Result<Written> {
        let name = input.name().to_owned();
        let opts = check_options(&opts.with_max_errors(None));
        write_again(input, out, |again, w| {
            match to {
                Target::Form(Form::Json) => {
                    let mut jw = JsonWriter::new(w, self.form)?;
                    check(again, &name, &opts, Some(&mut jw))?;
                    jw.finish()?;
                }
                Target::Form(form @ (Form::Csv | Form::Ndjson)) => {
                    let fmt = if form == Form::Csv { RowFormat::Csv } else { RowFormat::Ndjson };
                    let mut rows = RowWriter::new(w, fmt)?;
                    check(again, &name, &opts, Some(&mut rows))?;
                    rows.finish()?;
                }
                _ => {
                    let mut re = Rewrite(Some(Writer::new(w, self.ending, self.encoding)));
                    check(again, &name, &opts, Some(&mut re))?;
                    if let Some(wr) = re.0.take() {
                        wr.finish()?;
                    }
                }
            }
            Ok(())
        })?;
        Ok(Written::Done(Vec::new()))
    }
}
