//! Reading a Nets file from any reader: chunks of whole lines are checked in parallel (rayon),
//! then the structure is walked in file order. Memory is bounded by the batch size, whatever
//! the file size. A sink may receive every record in order (for conversions).

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::mpsc;

use kidkit_core::{
    Chunk, ChunkReader, Diagnostic, EncodingSniffer, FileReport, Findings, Line, LineForm, LineStats, Observed,
    Reading, Severity, TextEncoding, decode, forbidden_byte_finding, is_printable_ascii, mixed_encoding_finding,
    visible,
};
use rayon::prelude::*;

use crate::kind::identify;
use crate::record::{FastCheck, RECORD_LEN, Rec, RecordOptions, RecordText, check_record};
use crate::structure::{EndDates, Structure, TotalsConvention};

/// Bytes per chunk handed to one worker.
const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// Bytes per chunk on one thread: small enough that a chunk read is still in the core's cache
/// when it is checked.
const CHUNK_BYTES_IN_TURN: usize = 256 * 1024;
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

/// What reading a whole Nets file found: what every line-based format's reading holds (findings,
/// the encoding, ISO-8859-1 for pure ASCII, and the line endings and BOM), and what a Nets file
/// adds.
pub struct NetsReading {
    /// Findings, counts, encoding and lines; Nets files have no repeated keys to look at twice.
    pub reading: Reading,
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

/// Hands a checked record on: to the walk at once, or kept for the walk in file order.
fn deliver(recs: &mut Vec<Rec>, walk: &mut Option<&mut Structure>, rec: Rec) {
    match walk {
        Some(structure) => structure.push(&rec),
        None => recs.push(rec),
    }
}

/// The text of a line the fast path accepted, kept for a sink with how the line was written.
/// ASCII is borrowed as is; anything else is decoded in the file's encoding (in an 8-bit file,
/// bytes that happen to form UTF-8 are still Latin-1). Out of line: the loop that validates
/// without a sink stays as small as it was.
#[inline(never)]
fn kept_text<'a>(line: &Line<'a>, observed: Observed) -> RecordText<'a> {
    let text = match std::str::from_utf8(line.bytes) {
        Ok(s) if s.is_ascii() => RecordText::ascii(s),
        _ => RecordText::new(decode(line.bytes, observed.encoding)),
    };
    text.read_as(LineForm::of(line, observed))
}

/// Checks every line of a chunk. With `walk`, each record is walked as soon as it is checked
/// (when the chunks are checked in turn, and no sink needs the records): none is stored.
fn check_chunk<'a>(
    chunk: &'a Chunk,
    encodings: &[(u64, Observed)],
    opts: RecordOptions,
    keep_text: bool,
    default: TextEncoding,
    mut recs: Vec<Rec>,
    mut walk: Option<&mut Structure>,
) -> ChunkResult<'a> {
    recs.clear();
    if walk.is_none() {
        recs.reserve(chunk.data().len() / 80 + 1);
    }
    let mut out =
        ChunkResult { recs, texts: Vec::new(), findings: Vec::new(), stats: LineStats::default(), saw_c1: false };
    let mut enc_iter = encodings.iter().peekable();
    let mut fast = FastCheck::new(opts);
    // a chunk of lines of one length and ending has its stats at once
    let known = LineStats::of_uniform(chunk);
    out.stats = known.unwrap_or_default();
    for line in chunk.lines() {
        if known.is_none() {
            out.stats.observe(&line);
        }
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
            // measured: checking into a record on the stack and handing it on by value costs 5%
            // more instructions than writing it in place, on either path
            let accepted = if let Some(structure) = walk.as_deref_mut() {
                let mut rec = Rec::new(line.number);
                let accepted = fast.check(line.bytes, eight_bit, &mut rec).is_some();
                if accepted {
                    structure.push(&rec);
                }
                accepted
            } else {
                out.recs.push(Rec::new(line.number));
                let accepted =
                    out.recs.last_mut().is_some_and(|slot| fast.check(line.bytes, eight_bit, slot).is_some());
                if !accepted {
                    out.recs.pop();
                }
                accepted
            };
            if accepted {
                if keep_text {
                    out.texts.push(kept_text(&line, observed));
                }
                continue;
            }
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
                    RECORD_LEN as u32 + 1,
                    format!(
                        "record has {} bytes, expected {RECORD_LEN} characters (every Nets record is exactly {RECORD_LEN} characters)",
                        line.len
                    ),
                )
                .field("record")
                .record(visible(&String::from_utf8_lossy(&line.bytes[..RECORD_LEN]))),
            );
            deliver(&mut out.recs, &mut walk, rec);
            if keep_text {
                out.texts.push(RecordText::new(Cow::Borrowed("")).read_as(LineForm::of(&line, observed)));
            }
            continue;
        }
        let text = match (printable, std::str::from_utf8(line.bytes)) {
            (true, Ok(s)) => RecordText::ascii(s),
            _ => RecordText::new(decode(line.bytes, observed.encoding)),
        };
        let rec = check_record(line.number, &text, opts, &mut out.findings);
        deliver(&mut out.recs, &mut walk, rec);
        if keep_text {
            out.texts.push(text.read_as(LineForm::of(&line, observed)));
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

/// A run of chunks, in file order, with the encoding decided for them.
struct Batch {
    chunks: Vec<Chunk>,
    /// Per chunk: the lines whose encoding differs from `default`.
    encodings: Vec<Vec<(u64, Observed)>>,
    /// The file's encoding as decided when the batch was read.
    default: TextEncoding,
    /// Whether `default` was decided from a non-ASCII byte (and is not just the default).
    decided: bool,
}

/// Reads batches of chunks and decides their encoding in file order.
struct Batches<R> {
    reader: ChunkReader<R>,
    sniffer: EncodingSniffer,
    size: usize,
}

impl<R: Read> Batches<R> {
    fn new(input: R, chunk_bytes: usize, size: usize) -> Self {
        Batches {
            reader: ChunkReader::new(input, chunk_bytes, MAX_LINE_BYTES),
            sniffer: EncodingSniffer::new(TextEncoding::Latin1),
            size,
        }
    }

    fn next(&mut self, done: Vec<Chunk>) -> io::Result<Option<Batch>> {
        for c in done {
            self.reader.recycle(c);
        }
        let mut chunks = Vec::with_capacity(self.size);
        while chunks.len() < self.size {
            match self.reader.next_chunk()? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            return Ok(None);
        }
        let encodings = chunks.iter().map(|c| chunk_encodings(&mut self.sniffer, c)).collect();
        Ok(Some(Batch { chunks, encodings, default: self.sniffer.current(), decided: self.sniffer.is_decided() }))
    }
}

/// The parts of reading that are kept in file order: the structure walk, the findings, the
/// line stats and what the workers saw of the encoding.
struct Walk<'s> {
    structure: Structure,
    findings: Findings,
    stats: LineStats,
    /// A line of an 8-bit file held a byte 0x80-0x9F: the file is Windows-1252.
    saw_c1: bool,
    sink: Option<&'s mut dyn RecordSink>,
    sink_ok: bool,
    /// Record buffers, reused: fresh large allocations cost page faults and zeroing.
    rec_pool: Vec<Vec<Rec>>,
}

impl Walk<'_> {
    /// The encoding of a batch read as `default`, given what the workers saw before it.
    fn encoding(&self, default: TextEncoding, decided: bool) -> TextEncoding {
        // the workers find bytes 0x80-0x9F, after the sniffer decided on an 8-bit encoding
        if self.saw_c1 && decided { default.with_c1() } else { default }
    }

    /// Checks a batch's chunks, in parallel or in turn, and walks their records in order.
    fn batch(&mut self, batch: &Batch, opts: RecordOptions, threads: usize) -> io::Result<()> {
        let default = self.encoding(batch.default, batch.decided);
        let keep_text = self.sink.is_some();
        let mut batch_findings = Vec::new();
        if threads == 1 || batch.chunks.len() == 1 {
            // in turn, each chunk is checked and walked before the next; without a sink, each
            // record is walked as it is checked
            let walk_now = self.sink.is_none();
            for (c, e) in batch.chunks.iter().zip(&batch.encodings) {
                let buf = self.rec_pool.pop().unwrap_or_default();
                let r = check_chunk(c, e, opts, keep_text, default, buf, walk_now.then_some(&mut self.structure));
                self.walk(r, &mut batch_findings)?;
            }
        } else {
            let bufs: Vec<Vec<Rec>> = batch.chunks.iter().map(|_| self.rec_pool.pop().unwrap_or_default()).collect();
            let results: Vec<ChunkResult<'_>> = batch
                .chunks
                .par_iter()
                .zip(&batch.encodings)
                .zip(bufs)
                .map(|((c, e), b)| check_chunk(c, e, opts, keep_text, default, b, None))
                .collect();
            for r in results {
                self.walk(r, &mut batch_findings)?;
            }
        }
        batch_findings.sort_by_key(|d| (d.line, d.column));
        self.structure.group(&mut batch_findings);
        self.findings.extend(batch_findings);
        Ok(())
    }

    /// Takes in what checking one chunk found, and walks the records it kept, in order.
    fn walk(&mut self, r: ChunkResult<'_>, batch_findings: &mut Vec<Diagnostic>) -> io::Result<()> {
        self.stats = self.stats.merge(r.stats);
        self.saw_c1 |= r.saw_c1;
        // the sink only sees records while the file is still valid; its output is
        // discarded once an error is found
        self.sink_ok &= !r.findings.iter().any(|d| d.severity == Severity::Error);
        batch_findings.extend(r.findings);
        match self.sink.as_deref_mut() {
            Some(sink) => {
                for (rec, text) in r.recs.iter().zip(r.texts.iter().map(Some).chain(std::iter::repeat(None))) {
                    self.structure.push(rec);
                    if let (Some(text), true) = (text, self.sink_ok) {
                        sink.record(rec, text)?;
                    }
                }
            }
            None => r.recs.iter().for_each(|rec| self.structure.push(rec)),
        }
        let structural = self.structure.take_findings();
        self.sink_ok &= !structural.iter().any(|d| d.severity == Severity::Error);
        batch_findings.extend(structural);
        self.rec_pool.push(r.recs);
        Ok(())
    }

    fn finish(mut self, bom: bool, encoding: TextEncoding, decided: bool) -> NetsReading {
        self.stats.bom = bom;
        self.structure.finish();
        let mut last = self.structure.take_findings();
        self.structure.group(&mut last);
        self.findings.extend(last);
        self.findings.extend(self.stats.findings());
        let records = self.structure.records();
        let avtalegiro = self.structure.is_avtalegiro();
        NetsReading {
            end_dates: self.structure.end_dates().clone(),
            convention: self.structure.convention(),
            reading: Reading {
                encoding: self.encoding(encoding, decided),
                report: FileReport::new(if avtalegiro { "avtalegiro" } else { "ocr-giro" }, records, self.findings),
                lines: self.stats,
                probe: None,
            },
        }
    }
}

/// Reads `input` to the end, checking every record, and hands valid records to `sink`.
///
/// With more than one thread, a thread of its own reads the next batch of chunks while the
/// workers check this one and the structure is walked; with one, everything runs in turn.
pub fn read(
    input: impl Read + Send,
    file: &str,
    opts: &ReadOptions,
    sink: Option<&mut dyn RecordSink>,
) -> io::Result<NetsReading> {
    let threads = rayon::current_num_threads().max(1);
    // in turn, a batch holds two chunks per worker to even out their work; with the reader
    // thread, the batch being read is the second
    let mut batches = if threads == 1 {
        Batches::new(input, CHUNK_BYTES_IN_TURN, 2)
    } else {
        Batches::new(input, CHUNK_BYTES, threads)
    };
    let mut walk = Walk {
        structure: Structure::new(),
        findings: Findings::new(file, opts.max_errors),
        stats: LineStats::default(),
        saw_c1: false,
        sink,
        sink_ok: true,
        rec_pool: Vec::new(),
    };
    if threads == 1 {
        let mut done = Vec::new();
        while let Some(batch) = batches.next(done)? {
            walk.batch(&batch, opts.record, threads)?;
            done = batch.chunks;
        }
        let (bom, encoding, decided) =
            (batches.reader.had_bom(), batches.sniffer.current(), batches.sniffer.is_decided());
        return Ok(walk.finish(bom, encoding, decided));
    }
    std::thread::scope(|scope| {
        // the reader hands over a batch when the last one is done, and reads the next meanwhile;
        // used chunks go back to it for their buffers. Memory stays at two batches.
        let (ahead, batches_in) = mpsc::sync_channel::<io::Result<Batch>>(0);
        let (used, used_in) = mpsc::channel::<Vec<Chunk>>();
        let reader = scope.spawn(move || {
            loop {
                let done = used_in.try_iter().flatten().collect();
                match batches.next(done) {
                    Ok(Some(b)) => {
                        if ahead.send(Ok(b)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = ahead.send(Err(e));
                        break;
                    }
                }
            }
            (batches.reader.had_bom(), batches.sniffer.current(), batches.sniffer.is_decided())
        });
        for batch in batches_in {
            let batch = batch?;
            walk.batch(&batch, opts.record, threads)?;
            let _ = used.send(batch.chunks);
        }
        let (bom, encoding, decided) =
            reader.join().map_err(|_| io::Error::other("the thread reading the input stopped"))?;
        Ok(walk.finish(bom, encoding, decided))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ReadOptions {
        ReadOptions {
            record: RecordOptions {
                kid_check: Some(Severity::Warning),
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                lenient: false,
            },
            max_errors: None,
        }
    }

    /// An ISO-8859-1 file (decided by its `ø`) with a byte 0x80 in a later chunk is
    /// Windows-1252, whether the byte is seen in turn or by a worker while the reader thread
    /// reads ahead.
    #[test]
    fn a_c1_byte_makes_an_8_bit_file_windows_1252_on_any_number_of_threads() {
        let golden = include_bytes!("../../../golden/ocr/ocr-giro-all-types.ocr");
        let lines: Vec<&[u8]> = golden.split(|&b| b == b'\n').collect();
        let mut late = lines[27].to_vec();
        let at = late.windows(5).position(|w| w == b"ordre").unwrap();
        late[at] = 0x80;
        // the ø of line 28 decides ISO-8859-1 in the first chunk; 4 MB later, a chunk of its own
        // holds the 0x80 (the records in between are out of order, which is beside the point)
        let mut file = lines[..28].join(&b'\n');
        for _ in 0..50_000 {
            file.push(b'\n');
            file.extend_from_slice(lines[2]);
        }
        file.push(b'\n');
        file.extend_from_slice(&late);
        let opts = ReadOptions { max_errors: Some(0), ..opts() };
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let outcome = pool.install(|| read(&file[..], "c1.ocr", &opts, None)).unwrap();
            assert_eq!(outcome.reading.encoding, TextEncoding::Windows1252, "{threads} threads");
        }
    }
}
