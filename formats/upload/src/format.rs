//! Creditor uploads through kidkit's format contract.

use std::io::{self, Write};

use kidkit_core::{
    Checked, EncodingSniffer, Error, FieldView, FileForm, FileReport, Form, Format, Info, Input, Inspected, KidCheck,
    LineEnding, LineReader, Options, Origins, Result, Rewriter, Target, TextEncoding, Watched, Written, decode,
    read_settings, write_again,
};

use crate::check::{CheckOptions, Record, UploadSink, check, settle_duplicates};
use crate::flat::{COLUMNS, ColumnMap, RowFormat, RowWriter, build_from_rows};
use crate::json::{JsonWriter, write_from_json};
use crate::layout::{Kind, RECORD_LEN, RecordType, unpad, unpad_end};
use crate::write::Writer;

/// The creditor upload format (KUP1).
pub struct UploadFormat;

/// Creditor uploads.
pub static UPLOAD: UploadFormat = UploadFormat;

static INFO: Info = Info {
    name: "upload",
    aliases: &[],
    summary: "Creditor upload, new collection cases (KUP1)",
    json: Some("upload"),
    builds_from: &[Form::Json, Form::Csv, Form::Ndjson],
    builds: &["upload"],
    targets: &[Target::Form(Form::Json), Target::Form(Form::Csv), Target::Form(Form::Ndjson), Target::Format("upload")],
    kid_check: KidCheck::Error,
    rereads: true,
};

/// The options of the upload checks, from the command line's.
pub fn check_options(opts: &Options) -> CheckOptions {
    CheckOptions {
        kid_check: opts.kid_check_or(INFO.kid_check).severity(),
        person: opts.person_rules(),
        show_personal_data: opts.show_personal_data,
        max_errors: opts.max_errors,
    }
}

/// Checks an upload, reading it a second time only when possible duplicate keys need deciding.
fn check_input(
    input: &mut dyn Input,
    opts: &CheckOptions,
    sink: Option<&mut dyn UploadSink>,
) -> Result<kidkit_core::Reading> {
    let name = input.name().to_owned();
    let read = |e| Error::read(format!("'{name}'"), e);
    let mut out = check(input.open()?, &name, opts, sink).map_err(read)?;
    if out.probe.is_some() {
        let again = input.open()?;
        settle_duplicates(&mut out, || Ok(again)).map_err(read)?;
    }
    Ok(out)
}

impl Format for UploadFormat {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn sniff(&self, head: &[u8]) -> Option<Form> {
        if head.starts_with(b"00KUP1") {
            return Some(Form::Native);
        }
        let (syntax, cols) = kidkit_core::sniff_header(head)?;
        let form = if syntax == kidkit_core::RowSyntax::Ndjson { Form::Ndjson } else { Form::Csv };
        cols.iter().map(String::as_str).eq(COLUMNS.iter().copied()).then_some(form)
    }

    fn check<'s>(&'s self, input: &mut dyn Input, opts: &Options) -> Result<Checked<'s>> {
        let first = check_input(input, &check_options(opts), None)?;
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
        opts: &Options,
    ) -> Result<FileReport> {
        let name = input.name().to_owned();
        let mut out = Watched::new(out);
        match from {
            Form::Csv | Form::Ndjson => {
                let map = match &opts.map {
                    Some(p) => Some(read_settings(p, ColumnMap::from_json)?),
                    None => None,
                };
                let built =
                    build_from_rows(input.open()?, from == Form::Ndjson, &name, map.as_ref(), &mut out, origins);
                let (report, _) = built.map_err(|e| out.blame(e, &name, "the output"))?;
                Ok(report)
            }
            Form::Json => Ok(kidkit_core::json_built(&name, write_from_json(input.open()?, &mut out))),
            Form::Native => Err(Error::Unsupported("upload is built from JSON or rows".to_owned())),
        }
    }

    fn inspect(&self, input: &mut dyn Input, n: u64, opts: &Options) -> Result<Option<Inspected>> {
        let name = input.name().to_owned();
        let mut lines = LineReader::new(input.open()?, RECORD_LEN * 4 + 8);
        let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
        while let Some(line) = lines.next_line().map_err(|e| Error::read(format!("'{name}'"), e))? {
            let enc = sniffer.observe(line.bytes).encoding;
            if line.number < n {
                continue;
            }
            let text = decode(line.bytes, enc);
            let Ok((_, kind)) = crate::parse::record_type(&text) else {
                let start: String = text.chars().take(2).collect();
                return Ok(Some(Inspected {
                    kind: None,
                    fields: Vec::new(),
                    problem: Some(format!("record type '{start}' is not 00, 10, 11, 20, 30 or 99 (UPL002)")),
                }));
            };
            let kind_name = format!("{} record ({})", kind.name(), kind.code());
            let chars = text.chars().count();
            if chars != RECORD_LEN {
                return Ok(Some(Inspected {
                    kind: Some(kind_name),
                    fields: Vec::new(),
                    problem: Some(format!(
                        "the record has {chars} characters, not {RECORD_LEN}: its fields cannot be shown"
                    )),
                }));
            }
            let chars: Vec<char> = text.chars().collect();
            let fields = kind
                .fields()
                .iter()
                .map(|f| {
                    let raw: String = chars[f.range()].iter().collect();
                    let value = match f.kind {
                        Kind::Kid => unpad(&raw),
                        _ => unpad_end(&raw),
                    };
                    let personal = f.name == "national_id" && !opts.show_personal_data && !value.is_empty();
                    let (raw, value) = if personal {
                        (kidkit_core::mask_person_number(&raw), kidkit_core::mask_person_number(value))
                    } else {
                        (raw.clone(), value.to_owned())
                    };
                    FieldView {
                        name: f.name.to_owned(),
                        start: u32::from(f.start),
                        end: u32::from(f.end()),
                        raw,
                        value: if value.is_empty() { "(none)".to_owned() } else { value },
                    }
                })
                .collect();
            return Ok(Some(Inspected { kind: Some(kind_name), fields, problem: None }));
        }
        Ok(None)
    }
}

/// What the first reading of a valid upload learnt, for writing it again.
struct Again {
    form: FileForm,
    ending: LineEnding,
    encoding: TextEncoding,
}

/// Rewrites an upload record by record from its fields (byte-identical for canonical files).
struct Rewrite<W: Write>(Option<Writer<W>>);

impl<W: Write> UploadSink for Rewrite<W> {
    fn record(&mut self, _line: u64, rec: &Record<'_>) -> io::Result<()> {
        let Some(w) = self.0.as_mut() else { return Ok(()) };
        if rec.kind == RecordType::Trailer {
            return Ok(());
        }
        let values: Vec<(&str, &str)> = rec.kind.fields().iter().map(|f| (f.name, rec.value(f.name))).collect();
        w.record(rec.kind, &values)
    }
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
