//! Reading a Nets file from any reader: chunks of whole lines are checked in parallel (rayon),
//! then the structure is walked in file order. Memory is bounded by the batch size, whatever
//! the file size. A sink may receive every record in order (for conversions).

use std::borrow::Cow;
use std::io::{self, Read};

use kidkit_core::Diagnostic;
use kidkit_core::encoding::{
    EncodingSniffer, Observed, TextEncoding, decode, forbidden_byte_finding, is_printable_ascii, mixed_encoding_finding,
};
use kidkit_core::lines::{Chunk, ChunkReader, LineStats};
use kidkit_core::render::visible;
use kidkit_core::{FileReport, Findings, Severity};
use rayon::prelude::*;

use crate::kind::identify;
use crate::record::{FastCheck, Rec, RecordOptions, RecordText, check_record};
use crate::structure::{EndDates, Structure, TotalsConvention};

/// Bytes per chunk handed to one worker.
const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// Longest line kept whole: 80 characters of up to 4 UTF-8 bytes each, with room to spare.
const MAX_LINE_BYTES: usize = 400;

/// Options for reading a Nets file.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Options of the record checks.
    pub record: RecordOptions,
    /// Stop keeping errors after this many (`--max-errors`).
    pub max_errors: Option<u64>,
}

/// What reading a whole file found.
#[derive(Debug)]
pub struct Outcome {
    /// Findings and counts.
    pub report: FileReport,
    /// The encoding the file was read in (ISO-8859-1 for pure ASCII).
    pub encoding: TextEncoding,
    /// What the reader saw of line endings and the BOM.
    pub lines: LineStats,
    /// The totals convention, when a `-` sign made net and gross differ.
    pub convention: Option<TotalsConvention>,
    /// The dates of the end records.
    pub end_dates: EndDates,
}

/// Receives every record in file order, while the file is still valid.
pub trait RecordSink {
    /// One record: its line, what the checks made of it, and its text.
    fn record(&mut self, rec: &Rec, text: &RecordText<'_>) -> io::Result<()>;
}

struct ChunkResult<'a> {
    recs: Vec<Rec>,
    texts: Vec<RecordText<'a>>,
    findings: Vec<Diagnostic>,
    stats: LineStats,
    /// An 8-bit line held a byte 0x80-0x9F (Windows-1252 rather than ISO-8859-1).
    saw_c1: bool,
}

fn check_chunk<'a>(
    chunk: &'a Chunk,
    encodings: &[(u64, Observed)],
    opts: RecordOptions,
    keep_text: bool,
    default: TextEncoding,
    mut recs: Vec<Rec>,
) -> ChunkResult<'a> {
    recs.clear();
    recs.reserve(chunk.data().len() / 80 + 1);
    let mut out =
        ChunkResult { recs, texts: Vec::new(), findings: Vec::new(), stats: LineStats::default(), saw_c1: false };
    let mut enc_iter = encodings.iter().peekable();
    let mut fast = FastCheck::new(opts);
    for line in chunk.lines() {
        out.stats.observe(&line);
        let mut observed = Observed { encoding: default, mixed: false };
        while let Some(&&(n, o)) = enc_iter.peek() {
            if n > line.number {
                break;
            }
            if n == line.number {
                observed = o;
            }
            enc_iter.next();
        }
        let eight_bit = observed.encoding != TextEncoding::Utf8 && !observed.mixed;
        if !line.is_cut() {
            // the record is written in place: returning it by value costs a copy per record
            out.recs.push(Rec::new(line.number));
            let accepted = out.recs.last_mut().is_some_and(|slot| fast.check(line.bytes, eight_bit, slot).is_some());
            if accepted {
                if keep_text {
                    // ASCII is borrowed as is; anything else is decoded in the file's encoding
                    // (in an 8-bit file, bytes that happen to form UTF-8 are still Latin-1)
                    out.texts.push(match std::str::from_utf8(line.bytes) {
                        Ok(s) if s.is_ascii() => RecordText::ascii(s),
                        _ => RecordText::new(decode(line.bytes, observed.encoding)),
                    });
                }
                continue;
            }
            out.recs.pop();
        }
        // a line with a byte 0x80-0x9F never passes the fast path, so it is seen here
        if eight_bit && line.bytes.iter().any(|b| b & 0xE0 == 0x80) {
            out.saw_c1 = true;
        }
        let printable = is_printable_ascii(line.bytes);
        if !printable {
            out.findings.extend(forbidden_byte_finding(line.bytes, observed.encoding, line.number));
        }
        if observed.mixed {
            out.findings.push(mixed_encoding_finding(line.number));
        }
        if line.is_cut() {
            let mut rec = Rec::new(line.number);
            rec.kind = identify(line.bytes).ok();
            rec.numbers_ok = false;
            out.findings.push(
                Diagnostic::error(
                    "OCR001",
                    line.number,
                    81,
                    format!(
                        "record has {} bytes, expected 80 characters (every Nets record is exactly 80 characters)",
                        line.len
                    ),
                )
                .field("record")
                .record(visible(&String::from_utf8_lossy(&line.bytes[..80]))),
            );
            out.recs.push(rec);
            if keep_text {
                out.texts.push(RecordText::new(Cow::Borrowed("")));
            }
            continue;
        }
        let text = match (printable, std::str::from_utf8(line.bytes)) {
            (true, Ok(s)) => RecordText::ascii(s),
            _ => RecordText::new(decode(line.bytes, observed.encoding)),
        };
        let rec = check_record(line.number, &text, &opts, &mut out.findings);
        out.recs.push(rec);
        if keep_text {
            out.texts.push(text);
        }
    }
    out
}

/// The encoding of each non-ASCII line of a chunk that differs from the file's (empty when
/// every line reads in the file's encoding). Whole-chunk checks keep this off the per-line path
/// once the encoding is decided.
fn chunk_encodings(sniffer: &mut EncodingSniffer, chunk: &Chunk) -> Vec<(u64, Observed)> {
    let data = chunk.data();
    if data.is_ascii() {
        return Vec::new();
    }
    if sniffer.is_decided() {
        match sniffer.current() {
            TextEncoding::Utf8 if std::str::from_utf8(data).is_ok() => return Vec::new(),
            TextEncoding::Utf8 => {}
            // 8-bit: the workers note bytes 0x80-0x9F (the Windows-1252 label) as they go
            _ => return Vec::new(),
        }
    }
    chunk.lines().filter(|l| !l.bytes.is_ascii()).map(|l| (l.number, sniffer.observe(l.bytes))).collect()
}

/// Reads `input` to the end, checking every record, and hands valid records to `sink`.
pub fn read(
    input: impl Read,
    file: &str,
    opts: &ReadOptions,
    mut sink: Option<&mut dyn RecordSink>,
) -> io::Result<Outcome> {
    let mut reader = ChunkReader::new(input, CHUNK_BYTES, MAX_LINE_BYTES);
    let mut sniffer = EncodingSniffer::new(TextEncoding::Latin1);
    let mut structure = Structure::new();
    let mut findings = Findings::new(file, opts.max_errors);
    let mut stats = LineStats::default();
    let threads = rayon::current_num_threads().max(1);
    let keep_text = sink.is_some();
    let mut sink_ok = true;
    // record buffers are reused: fresh large allocations cost page faults and zeroing
    let mut rec_pool: Vec<Vec<Rec>> = Vec::new();

    loop {
        let mut batch = Vec::with_capacity(threads * 2);
        while batch.len() < threads * 2 {
            match reader.next_chunk()? {
                Some(c) => batch.push(c),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        // The encoding is decided in file order, before the parallel work.
        let encodings: Vec<Vec<(u64, Observed)>> = batch.iter().map(|c| chunk_encodings(&mut sniffer, c)).collect();
        let default = sniffer.current();
        let bufs: Vec<Vec<Rec>> = batch.iter().map(|_| rec_pool.pop().unwrap_or_default()).collect();
        let results: Vec<ChunkResult<'_>> = if threads == 1 || batch.len() == 1 {
            batch
                .iter()
                .zip(&encodings)
                .zip(bufs)
                .map(|((c, e), b)| check_chunk(c, e, opts.record, keep_text, default, b))
                .collect()
        } else {
            batch
                .par_iter()
                .zip(&encodings)
                .zip(bufs)
                .map(|((c, e), b)| check_chunk(c, e, opts.record, keep_text, default, b))
                .collect()
        };
        let mut batch_findings = Vec::new();
        for r in results {
            stats = stats.merge(r.stats);
            if r.saw_c1 {
                sniffer.note_c1();
            }
            // the sink only sees records while the file is still valid; its output is
            // discarded once an error is found
            sink_ok &= !r.findings.iter().any(|d| d.severity == Severity::Error);
            batch_findings.extend(r.findings);
            for (rec, text) in r.recs.iter().zip(r.texts.iter().map(Some).chain(std::iter::repeat(None))) {
                structure.push(rec);
                if let (Some(s), Some(text), true) = (sink.as_deref_mut(), text, sink_ok) {
                    s.record(rec, text)?;
                }
            }
            let structural = structure.take_findings();
            sink_ok &= !structural.iter().any(|d| d.severity == Severity::Error);
            batch_findings.extend(structural);
            rec_pool.push(r.recs);
        }
        for c in batch {
            reader.recycle(c);
        }
        batch_findings.sort_by_key(|d| (d.line, d.column));
        structure.group(&mut batch_findings);
        findings.extend(batch_findings);
    }
    stats.bom = reader.had_bom();
    structure.finish();
    let mut last = structure.take_findings();
    structure.group(&mut last);
    findings.extend(last);
    findings.extend(stats.findings());
    let records = structure.records();
    let convention = structure.convention();
    let end_dates = structure.end_dates().clone();
    Ok(Outcome {
        end_dates,
        report: FileReport::new(if structure.is_avtalegiro() { "avtalegiro" } else { "ocr-giro" }, records, findings),
        encoding: sniffer.current(),
        lines: stats,
        convention,
    })
}
