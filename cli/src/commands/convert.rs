//! `kidkit convert`: Nets files to JSON, CSV and NDJSON and back. Nothing is written unless the
//! input is valid, and a file built from JSON or CSV is validated before it is committed.

use std::io::{self, Write};
use std::path::Path;

use kidkit_core::encoding::TextEncoding;
use kidkit_core::lines::LineEnding;
use kidkit_core::{Diagnostic, FileReport, Findings};
use kidkit_ocr::assemble::Assembler;
use kidkit_ocr::flat::{RowFormat, RowWriter, Shape};
use kidkit_ocr::json::{FileForm, JsonWriter};
use kidkit_ocr::structure::TotalsConvention;
use kidkit_ocr::write::Writer;

use crate::args::{FormatArg, GlobalArgs, ReportFormat};
use crate::detect::{Detected, KNOWN, detect};
use crate::options;
use crate::outcome::{Failure, Outcome};
use crate::output::{Staged, TagWrites};
use crate::report;
use crate::source::Source;

fn write_err(e: io::Error) -> Failure {
    Failure::from(e)
}

/// A value the target format cannot hold, found while writing: shown as a finding (exit 1).
pub(crate) fn field_error(e: &io::Error, file: &str) -> Option<FileReport> {
    let fe = e.get_ref()?.downcast_ref::<kidkit_ocr::write::FieldError>()?;
    let mut f = Findings::new(file, None);
    f.push(Diagnostic::error(fe.code, fe.line, 1, fe.to_string()).field(fe.field));
    Some(FileReport::new("output", 0, f))
}

/// Prints findings (all of them when the run fails, warnings too unless `--quiet`).
pub(crate) fn show(report: &FileReport, g: &GlobalArgs) -> Result<(), Failure> {
    if report.errors > 0 || (report.warnings > 0 && !g.quiet) {
        report::print(
            std::slice::from_ref(report),
            &[],
            ReportFormat::Human,
            g.quiet && report.errors == 0,
            crate::options::style(g),
        )?;
    }
    Ok(())
}

/// `kidkit convert FILE --to T`
pub fn run(
    file: Option<&str>,
    from: Option<FormatArg>,
    to: FormatArg,
    output: Option<&Path>,
    map: Option<&Path>,
    accounts: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    let src = Source::open(file)?;
    let json_format = |head: &[u8], format: &str| {
        let h = String::from_utf8_lossy(&head[..head.len().min(200)]).replace(' ', "");
        h.contains(&format!("\"format\":\"{format}\""))
    };
    let detected = match from {
        Some(FormatArg::OcrGiro | FormatArg::Avtalegiro) => Some(Detected::Nets),
        Some(FormatArg::Upload) => Some(Detected::Upload),
        Some(FormatArg::Settlement) => Some(Detected::Settlement),
        Some(
            f @ (FormatArg::KidkitCsv
            | FormatArg::VismaGlobal
            | FormatArg::VismaBusiness
            | FormatArg::Gbat10
            | FormatArg::Saft),
        ) => f.dialect().map(Detected::Bundle),
        Some(FormatArg::Json) => Some(Detected::Json),
        Some(FormatArg::Csv) if to == FormatArg::Upload => Some(Detected::UploadCsv),
        Some(FormatArg::Csv) if to == FormatArg::Settlement => Some(Detected::SettlementCsv),
        Some(FormatArg::Csv) => detect(&src.head).filter(|d| matches!(d, Detected::NetsCsv(_) | Detected::UploadCsv)),
        Some(FormatArg::Ndjson) => None,
        // a creditor's own CSV has its own header: the map says what it is
        None if map.is_some() && to == FormatArg::Upload => Some(Detected::UploadCsv),
        None => detect(&src.head),
    };
    match (detected, to) {
        (Some(Detected::Upload), _) => super::upload::from_upload(src, to, output, g),
        (Some(Detected::Settlement), _) => super::settlement::from_settlement(src, to, output, accounts, g),
        (Some(Detected::Json), FormatArg::Settlement) if json_format(&src.head, "settlement") => {
            super::settlement::build(src, false, output, g)
        }
        (Some(Detected::SettlementCsv), FormatArg::Settlement) => super::settlement::build(src, true, output, g),
        (Some(Detected::Json), FormatArg::Upload) if json_format(&src.head, "upload") => {
            super::upload::build(src, &super::upload::BuildFrom::Json, output, g)
        }
        (Some(Detected::UploadCsv), FormatArg::Upload) => {
            let map = match map {
                Some(p) => Some(super::upload::read_map(p)?),
                None => None,
            };
            super::upload::build(src, &super::upload::BuildFrom::Rows(map.as_ref()), output, g)
        }
        (Some(Detected::Bundle(d)), _) => super::bundle::convert(src, Some(d), to, output, accounts, g),
        (Some(Detected::Json), _) if json_format(&src.head, "bundle") => {
            super::bundle::convert(src, None, to, output, accounts, g)
        }
        (Some(Detected::Nets), _) => from_nets(src, from, to, output, g),
        (Some(Detected::Json), FormatArg::OcrGiro | FormatArg::Avtalegiro) => build(src, false, output, g),
        (Some(Detected::NetsCsv(_)), FormatArg::OcrGiro | FormatArg::Avtalegiro) => build(src, true, output, g),
        (Some(_), _) => {
            writeln!(
                io::stderr().lock(),
                "kidkit: error: cannot convert '{}' to {to:?}: JSON and CSV rows convert back to the format they came from (ocr-giro, avtalegiro, upload, settlement, or a ledger dialect)",
                src.name
            )?;
            Err(Failure::Reported)
        }
        (None, _) => {
            writeln!(
                io::stderr().lock(),
                "kidkit: error[IO006]: '{}': its first bytes match no format kidkit converts; give --from with one of: {KNOWN}",
                src.name
            )?;
            Err(Failure::Reported)
        }
    }
}

fn from_nets(
    src: Source,
    from: Option<FormatArg>,
    to: FormatArg,
    output: Option<&Path>,
    g: &GlobalArgs,
) -> Result<Outcome, Failure> {
    let opts = options::nets(g, None);
    let mut input = src.rereadable()?;
    let name = input.name.clone();
    let read_err = |e: io::Error| Failure::read(format!("'{name}'"), e);
    let first = kidkit_ocr::pipeline::read(input.first()?, &name, &opts, None).map_err(read_err)?;
    show(&first.report, g)?;
    if first.report.is_invalid() {
        return Ok(Outcome::Invalid);
    }
    // `--from` names the row shape; otherwise the file's own format does
    let shape = match from {
        Some(FormatArg::OcrGiro) => Shape::OcrGiro,
        Some(FormatArg::Avtalegiro) => Shape::AvtaleGiro,
        _ if first.report.format == "avtalegiro" => Shape::AvtaleGiro,
        _ => Shape::OcrGiro,
    };
    let mut staged = Staged::new(output)?;
    let written: io::Result<()> = (|| {
        let mut w = TagWrites(staged.writer());
        let second = input.second().map_err(|_| io::Error::other("cannot reread the input"))?;
        match to {
            FormatArg::Json => {
                let form = FileForm::found(first.encoding, &first.lines);
                let mut jw = JsonWriter::new(&mut w, &first.report.format, form)?;
                kidkit_ocr::pipeline::read(second, &name, &opts, Some(&mut jw))?;
                jw.finish()?;
            }
            FormatArg::Csv | FormatArg::Ndjson => {
                let fmt = if to == FormatArg::Csv { RowFormat::Csv } else { RowFormat::Ndjson };
                let mut asm = Assembler::new(RowWriter::new(&mut w, shape, fmt, first.end_dates.clone()));
                kidkit_ocr::pipeline::read(second, &name, &opts, Some(&mut asm))?;
                let rows = asm.into_inner();
                let skipped = rows.skipped();
                rows.finish()?.flush()?;
                if skipped > 0 && !g.quiet {
                    let other = if shape == Shape::OcrGiro { "avtalegiro" } else { "ocr-giro" };
                    writeln!(
                        io::stderr().lock(),
                        "kidkit: note: {skipped} item(s) have no row in the {shape:?} shape; convert with --from {other} for those"
                    )?;
                }
            }
            FormatArg::Upload
            | FormatArg::Settlement
            | FormatArg::KidkitCsv
            | FormatArg::VismaGlobal
            | FormatArg::VismaBusiness
            | FormatArg::Gbat10
            | FormatArg::Saft => {
                return Err(io::Error::other("a Nets file converts to json, csv, ndjson, ocr-giro or avtalegiro"));
            }
            FormatArg::OcrGiro | FormatArg::Avtalegiro => {
                let ending = first.lines.ending_to_keep(LineEnding::Crlf);
                let conv = first.convention.unwrap_or(TotalsConvention::Net);
                let mut asm = Assembler::new(Writer::new(&mut w, ending, first.encoding, conv));
                kidkit_ocr::pipeline::read(second, &name, &opts, Some(&mut asm))?;
            }
        }
        w.flush()
    })();
    if let Err(e) = written {
        if let Some(rep) = field_error(&e, &name) {
            show(&rep, g)?;
            return Ok(Outcome::Invalid);
        }
        return Err(Failure::converting(&name, e));
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}

/// Builds a Nets file from JSON or (`from_csv`) flat CSV rows, validates it, then commits it.
fn build(src: Source, from_csv: bool, output: Option<&Path>, g: &GlobalArgs) -> Result<Outcome, Failure> {
    let name = src.name.clone();
    let mut staged = Staged::new(output)?;
    {
        let mut w = staged.writer();
        if from_csv {
            let (rep, ok) = kidkit_ocr::flat::build_from_csv(src.into_reader(), &name, &mut w, TextEncoding::Latin1)
                .map_err(write_err)?;
            if !ok {
                show(&rep, g)?;
                return Ok(Outcome::Invalid);
            }
        } else if let Err(e) = kidkit_ocr::json::write_from_json(src.into_reader(), &mut w) {
            let mut f = Findings::new(&name, None);
            let line = e.record;
            f.push(Diagnostic::error("IO003", line, 1, format!("record {line}: {}", e.message)).field(e.field));
            show(&FileReport::new("json", 0, f), g)?;
            return Ok(Outcome::Invalid);
        }
        w.flush().map_err(write_err)?;
    }
    let check_name = format!("{name} (converted)");
    let opts = options::nets(g, None);
    let outcome = kidkit_ocr::pipeline::read(staged.reader()?, &check_name, &opts, None)
        .map_err(|e| Failure::read("the converted file", e))?;
    if outcome.report.is_invalid() {
        show(&outcome.report, g)?;
        return Ok(Outcome::Invalid);
    }
    staged.commit()?;
    Ok(Outcome::Ok)
}
