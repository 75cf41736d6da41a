//! OCR giro and AvtaleGiro through kidkit's format contract: one implementation, two names.

use std::io::{self, Write};

use kidkit_core::{
    Checked, Diagnostic, EncodingSniffer, Error, FieldView, FileReport, Findings, Form, Format, Info, Input, Inspected,
    KidCheck, LineEnding, LineReader, Options, Origins, Result, Rewriter, RowSyntax, Target, TextEncoding, Watched,
    Written, decode,
};

use crate::assemble::Assembler;
use crate::flat::{RowFormat, RowWriter, Shape};
use crate::json::{FileForm, JsonWriter};
use crate::pipeline::{self, ReadOptions};
use crate::record::{RecordOptions, RecordText};
use crate::structure::{EndDates, TotalsConvention};
use crate::write::Writer;

/// A Nets file read as OCR giro or as AvtaleGiro: the same records and checks, rows of its own
/// shape.
pub struct Nets {
    shape: Shape,
    info: &'static Info,
}

const FORMS: &[Form] = &[Form::Json, Form::Csv, Form::Ndjson];

/// Nets OCR giro (service 09).
pub static OCR_GIRO: Nets = Nets {
    shape: Shape::OcrGiro,
    info: &Info {
        name: "ocr-giro",
        aliases: &["ocr"],
        summary: "Nets OCR giro (service 09)",
        json: Some("ocr-giro"),
        builds_from: FORMS,
        builds: &["ocr-giro"],
        targets: &[
            Target::Form(Form::Json),
            Target::Form(Form::Csv),
            Target::Form(Form::Ndjson),
            Target::Format("ocr-giro"),
        ],
        kid_check: KidCheck::Warn,
        rereads: false,
    },
};

/// Nets AvtaleGiro (service 21).
pub static AVTALEGIRO: Nets = Nets {
    shape: Shape::AvtaleGiro,
    info: &Info {
        name: "avtalegiro",
        aliases: &[],
        summary: "Nets AvtaleGiro (service 21)",
        json: Some("avtalegiro"),
        builds_from: FORMS,
        builds: &["avtalegiro"],
        targets: &[
            Target::Form(Form::Json),
            Target::Form(Form::Csv),
            Target::Form(Form::Ndjson),
            Target::Format("avtalegiro"),
        ],
        kid_check: KidCheck::Warn,
        rereads: false,
    },
};

/// Whether the assignment starts in `head` (the first bytes of a Nets file) are all AvtaleGiro
/// (service 21), with at least one.
fn head_is_avtalegiro(head: &[u8]) -> bool {
    let mut seen = false;
    for line in head.split(|&b| b == b'\n') {
        if line.len() >= 8 && line.starts_with(b"NY") && &line[6..8] == b"20" && &line[2..4] != b"00" {
            if &line[2..4] != b"21" {
                return false;
            }
            seen = true;
        }
    }
    seen
}

/// The options of the Nets reader, from the command line's: a failing KID check digit is a
/// warning unless `--kid-check` says otherwise.
pub fn read_options(opts: &Options) -> ReadOptions {
    ReadOptions {
        record: RecordOptions {
            kid_check: opts.kid_check_or(KidCheck::Warn).severity(),
            today: opts.today,
            lenient: opts.lenient,
        },
        max_errors: opts.max_errors,
    }
}

impl Format for Nets {
    fn info(&self) -> &'static Info {
        self.info
    }

    fn sniff(&self, head: &[u8]) -> Option<Form> {
        if head.starts_with(b"NY000010") {
            return (head_is_avtalegiro(head) == (self.shape == Shape::AvtaleGiro)).then_some(Form::Native);
        }
        let (syntax, cols) = kidkit_core::sniff_header(head)?;
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let form = if syntax == RowSyntax::Ndjson { Form::Ndjson } else { Form::Csv };
        (Shape::from_header(&cols) == Some(self.shape)).then_some(form)
    }

    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let name = input.name().to_owned();
        let first = pipeline::read(input.open()?, &name, &read_options(opts), None)
            .map_err(|e| Error::read(format!("'{name}'"), e))?;
        let rewriter: Option<Box<dyn Rewriter>> = (!first.reading.report.is_invalid()).then(|| {
            Box::new(Again {
                nets: self,
                format: first.reading.report.format.clone(),
                form: FileForm::found(first.reading.encoding, &first.reading.lines),
                ending: first.reading.lines.ending_to_keep(LineEnding::Crlf),
                encoding: first.reading.encoding,
                convention: first.convention.unwrap_or(TotalsConvention::Net),
                ends: first.end_dates.clone(),
            }) as Box<dyn Rewriter>
        });
        Ok(Checked { report: first.reading.report, rewriter })
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
                let built =
                    crate::flat::build_from_rows(input.open()?, syntax, &name, &mut out, origins, TextEncoding::Latin1);
                let (report, _) = built.map_err(|e| out.blame(e, &name, "the output"))?;
                Ok(report)
            }
            Form::Json => Ok(kidkit_core::json_built(&name, crate::json::write_from_json(input.open()?, &mut out))),
            Form::Native => Err(Error::Unsupported(format!("{} is built from JSON or rows", self.info.name))),
        }
    }

    fn inspect(&self, input: &mut dyn Input, n: u64, _opts: &Options) -> Result<Option<Inspected>> {
        let name = input.name().to_owned();
        let mut lines = LineReader::new(input.open()?, 400);
        let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
        while let Some(line) = lines.next_line().map_err(|e| Error::read(format!("'{name}'"), e))? {
            let enc = sniffer.observe(line.bytes).encoding;
            if line.number < n {
                continue;
            }
            let text = RecordText::new(decode(line.bytes, enc));
            return Ok(Some(match crate::json::describe_record(&text) {
                Err(e) => {
                    Inspected { kind: None, fields: Vec::new(), problem: Some(format!("{} ({})", e.message, e.code)) }
                }
                Ok((kind, fields)) if fields.is_empty() => Inspected {
                    kind: Some(kind.to_string()),
                    fields: Vec::new(),
                    problem: Some(format!(
                        "the record has {} characters, not 80: its fields cannot be shown",
                        text.chars()
                    )),
                },
                Ok((kind, fields)) => Inspected {
                    kind: Some(kind.to_string()),
                    fields: fields
                        .into_iter()
                        .map(|(f, raw, value)| FieldView {
                            name: f.name.to_owned(),
                            start: u32::from(f.start),
                            end: u32::from(f.end()),
                            raw,
                            value: match value {
                                serde_json::Value::Null => "(none)".to_owned(),
                                serde_json::Value::String(s) => s,
                                v => v.to_string(),
                            },
                        })
                        .collect(),
                    problem: None,
                },
            }));
        }
        Ok(None)
    }
}

/// What the first reading of a valid file learnt, for writing it again.
struct Again<'n> {
    nets: &'n Nets,
    format: String,
    form: FileForm,
    ending: LineEnding,
    encoding: TextEncoding,
    convention: TotalsConvention,
    ends: EndDates,
}

impl Rewriter for Again<'_> {
    fn write(&self, input: &mut dyn Input, to: Target, out: &mut dyn Write, opts: &Options) -> Result<Written> {
        let name = input.name().to_owned();
        let opts = read_options(&opts.with_max_errors(None));
        let mut w = Watched::new(io::BufWriter::with_capacity(1 << 16, out));
        let mut notes = Vec::new();
        let mut refused = None;
        let second = input.open()?;
        let done: io::Result<()> = (|| {
            match to {
                Target::Form(Form::Json) => {
                    let mut jw = JsonWriter::new(&mut w, &self.format, self.form)?;
                    pipeline::read(second, &name, &opts, Some(&mut jw))?;
                    jw.finish()?;
                }
                Target::Form(form @ (Form::Csv | Form::Ndjson)) => {
                    let fmt = if form == Form::Csv { RowFormat::Csv } else { RowFormat::Ndjson };
                    let shape = self.nets.shape;
                    let mut asm = Assembler::new(RowWriter::new(&mut w, shape, fmt, self.ends.clone()));
                    pipeline::read(second, &name, &opts, Some(&mut asm))?;
                    let rows = asm.into_inner();
                    let skipped = rows.skipped();
                    rows.finish()?.flush()?;
                    if skipped > 0 {
                        let (this, other) = match shape {
                            Shape::OcrGiro => ("ocr-giro", "avtalegiro"),
                            Shape::AvtaleGiro => ("avtalegiro", "ocr-giro"),
                        };
                        notes.push(format!(
                            "{skipped} item(s) have no row among {this} rows; convert with --from {other} for those"
                        ));
                    }
                }
                _ => {
                    let writer = Writer::new(&mut w, self.ending, self.encoding, self.convention);
                    let mut asm = Assembler::new(writer);
                    let read = pipeline::read(second, &name, &opts, Some(&mut asm));
                    refused = asm.into_inner().refusal();
                    read?;
                }
            }
            w.flush()
        })();
        match (done, refused) {
            (Ok(()), _) => Ok(Written::Done(notes)),
            (Err(_), Some(fe)) => Ok(Written::Refused(refusal_report(&fe, &name))),
            (Err(e), None) => Err(w.blame(e, &name, "the output")),
        }
    }
}

/// A value the target cannot hold, found while writing: a finding (exit 1).
fn refusal_report(fe: &crate::write::FieldError, file: &str) -> FileReport {
    let mut f = Findings::new(file, None);
    f.push(Diagnostic::error(fe.code, fe.line, 1, fe.to_string()).field(fe.field));
    FileReport::new("output", 0, f)
}
