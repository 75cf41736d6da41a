//! Streaming input: chunks of whole lines (for parallel work) and a line reader on top of them.
//!
//! Memory stays bounded whatever the input: a chunk is about `target` bytes, and a line longer
//! than the format can hold is cut to `max_line + 1` bytes while the rest of it is skipped (its
//! true length is kept, so the caller can report it). Line numbers and byte offsets are exact.

use std::io::{self, Read};

use memchr::{memchr, memrchr};

use crate::diagnostic::Diagnostic;
use crate::encoding::BOM;

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    Crlf,
    /// End of input without a newline.
    None,
}

impl LineEnding {
    /// The bytes this ending writes.
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::Lf => b"\n",
            LineEnding::Crlf => b"\r\n",
            LineEnding::None => b"",
        }
    }
}

/// One line of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's first byte in the input (a BOM counts).
    pub offset: u64,
    /// The line's bytes without its ending; at most `max_line + 1` bytes.
    pub bytes: &'a [u8],
    /// How it ended.
    pub ending: LineEnding,
    /// The true length in bytes without the ending (larger than `bytes.len()` when cut).
    pub len: u64,
}

impl Line<'_> {
    /// The line was longer than the reader's `max_line` and was cut.
    pub fn is_cut(&self) -> bool {
        self.len > self.bytes.len() as u64
    }
}

/// A run of whole lines.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    data: Window,
    /// Number of the chunk's first line.
    pub first_line: u64,
    /// Byte offset of the chunk's first line.
    pub first_offset: u64,
    /// A single over-long line: its true length and ending.
    cut: Option<(u64, LineEnding)>,
    /// How many lines the chunk holds.
    lines: u64,
    /// How its lines are laid out, found when it is read.
    shape: Shape,
}

/// The layout of a chunk's lines, when they all have one length (as in a fixed-width file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape {
    /// The length of every line with its newline: lines are cut at that stride without
    /// searching. Exactly one newline per stride, each at its end, since the count of newlines
    /// is the count of strides.
    stride: Option<usize>,
    /// Every line has this length without its ending, and this ending.
    uniform: Option<(usize, LineEnding)>,
}

impl Shape {
    fn of(data: &[u8], cut: bool, lines: u64) -> Shape {
        let none = Shape::default();
        let Some(stride) = memchr(b'\n', data).map(|i| i + 1) else { return none };
        if cut || stride as u64 * lines != data.len() as u64 {
            return none;
        }
        // one pass over the last two bytes of each stride: a newline at every end, and a
        // carriage return before every one of them or before none
        let crlf = stride >= 2 && data[stride - 2] == b'\r';
        let (mut newlines, mut same) = (true, true);
        for line in data.chunks_exact(stride) {
            newlines &= line[stride - 1] == b'\n';
            same &= stride < 2 || (line[stride - 2] == b'\r') == crlf;
        }
        let uniform = match (same, crlf) {
            (false, _) => None,
            (true, true) => Some((stride - 2, LineEnding::Crlf)),
            (true, false) => Some((stride - 1, LineEnding::Lf)),
        };
        if newlines { Shape { stride: Some(stride), uniform } } else { none }
    }
}

impl Chunk {
    /// The raw bytes (whole lines with their endings; a cut line holds its first bytes only).
    pub fn data(&self) -> &[u8] {
        self.data.bytes()
    }

    /// The lines of this chunk.
    pub fn lines(&self) -> ChunkLines<'_> {
        ChunkLines { chunk: self, pos: 0, number: self.first_line, shape: self.shape }
    }

    /// When every line of the chunk has the same length and the same ending, as in a canonical
    /// fixed-width file: that length and ending. The lines are then cut with no look at their
    /// bytes, and their [`LineStats`] are known for the whole chunk at once.
    pub fn uniform(&self) -> Option<(usize, LineEnding)> {
        self.shape.uniform
    }

    /// How many lines the chunk holds.
    pub fn line_count(&self) -> u64 {
        self.lines
    }

    fn count_lines(data: &[u8], cut: bool) -> u64 {
        if cut {
            return 1;
        }
        let newlines = memchr::memchr_iter(b'\n', data).count() as u64;
        newlines + u64::from(data.last().is_some_and(|&b| b != b'\n'))
    }

    #[cfg(test)]
    fn stride(&self) -> Option<usize> {
        self.shape.stride
    }
}

/// Iterator over the lines of a [`Chunk`].
#[derive(Debug)]
pub struct ChunkLines<'a> {
    chunk: &'a Chunk,
    pos: usize,
    number: u64,
    shape: Shape,
}

impl<'a> Iterator for ChunkLines<'a> {
    type Item = Line<'a>;

    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        let data = self.chunk.data();
        if self.pos >= data.len() {
            return None;
        }
        let start = self.pos;
        if let Shape { stride: Some(stride), uniform: Some((len, ending)) } = self.shape {
            let line = Line {
                number: self.number,
                offset: self.chunk.first_offset + start as u64,
                bytes: data.get(start..start + len)?,
                ending,
                len: len as u64,
            };
            self.pos += stride;
            self.number += 1;
            return Some(line);
        }
        let newline = match self.shape.stride {
            Some(stride) => Some(stride - 1),
            None => memchr(b'\n', &data[start..]),
        };
        let (end, next, mut ending) = match newline {
            Some(i) => (start + i, start + i + 1, LineEnding::Lf),
            None => (data.len(), data.len(), LineEnding::None),
        };
        let mut bytes = &data[start..end];
        if ending == LineEnding::Lf && bytes.last() == Some(&b'\r') {
            bytes = &bytes[..bytes.len() - 1];
            ending = LineEnding::Crlf;
        }
        let mut len = bytes.len() as u64;
        if let Some((true_len, true_ending)) = self.chunk.cut {
            len = true_len;
            ending = true_ending;
        }
        let line = Line { number: self.number, offset: self.chunk.first_offset + start as u64, bytes, ending, len };
        self.pos = next;
        self.number += 1;
        Some(line)
    }
}

/// Bytes `buf[start..end]` of a buffer that stays initialised to its full length, so that it
/// is read into and reused without being zeroed again.
#[derive(Debug, Clone, Default)]
struct Window {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Window {
    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn len(&self) -> usize {
        self.end - self.start
    }

    fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Reads input as chunks of whole lines of roughly `target` bytes.
#[derive(Debug)]
pub struct ChunkReader<R> {
    inner: R,
    target: usize,
    max_line: usize,
    /// At most this many lines a chunk: a run of short (blank) lines would otherwise put a whole
    /// chunk's bytes of lines, and as many findings, into one chunk.
    max_lines: u64,
    pending: Window,
    /// Bytes read from `inner` so far.
    consumed: u64,
    next_line: u64,
    next_offset: u64,
    eof: bool,
    started: bool,
    bom: bool,
    pool: Vec<Vec<u8>>,
}

const READ_STEP: usize = 64 * 1024;
const MAX_READ: usize = 4 * 1024 * 1024;
/// Reads land at an address congruent to their offset in the input, modulo this. The kernel
/// copies a file's cached pages several times slower into a buffer a few bytes off that
/// (measured: 1 GiB in 0.17 s, but 0.65-0.85 s 1, 8 or 16 bytes off).
const READ_ALIGN: usize = 64;

impl<R: Read> ChunkReader<R> {
    /// A reader of chunks of about `target` bytes whose lines are cut beyond `max_line` bytes.
    pub fn new(inner: R, target: usize, max_line: usize) -> Self {
        ChunkReader {
            inner,
            target: target.max(1),
            max_line,
            max_lines: (target as u64 / 32).max(1024),
            pending: Window::default(),
            consumed: 0,
            next_line: 1,
            next_offset: 0,
            eof: false,
            started: false,
            bom: false,
            pool: Vec::new(),
        }
    }

    /// Gives a chunk's buffer back for reuse (saves allocating, faulting in and zeroing fresh
    /// memory for every chunk).
    pub fn recycle(&mut self, chunk: Chunk) {
        if self.pool.len() < 64 {
            self.pool.push(chunk.data.buf);
        }
    }

    /// The input began with a UTF-8 byte order mark (known after the first chunk).
    pub fn had_bom(&self) -> bool {
        self.bom
    }

    /// Bytes consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.next_offset + self.pending.len() as u64
    }

    /// A buffer for what follows the last chunk: `rest` (the start of a line), placed so that
    /// the next read lands aligned with its offset in the input, with room to read into.
    fn start_window(&mut self, rest: &[u8]) -> Window {
        let mut buf = self.pool.pop().unwrap_or_default();
        let room = READ_ALIGN + rest.len() + READ_STEP;
        if buf.len() < room {
            buf.resize(room, 0);
        }
        // (address of the next read + gap) ≡ its offset in the input (mod READ_ALIGN)
        let next_read = (buf.as_ptr() as usize).wrapping_add(rest.len());
        let gap = (self.consumed as usize).wrapping_sub(next_read) % READ_ALIGN;
        buf[gap..gap + rest.len()].copy_from_slice(rest);
        Window { buf, start: gap, end: gap + rest.len() }
    }

    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.pending.buf.is_empty() && !self.eof {
            self.pending = self.start_window(&[]);
        }
        while !self.eof && self.pending.len() < want {
            let end = self.pending.end;
            if self.pending.buf.len() == end {
                // full: it grows (and is zeroed) at most twofold at a time, so that a small
                // input never zeroes a whole chunk's worth, and reused buffers keep their size
                let grown = (2 * end).max(end + READ_STEP).min(end + MAX_READ);
                self.pending.buf.resize(grown, 0);
            }
            let step = (self.pending.buf.len() - end).min((want - self.pending.len()).max(READ_STEP));
            match self.inner.read(&mut self.pending.buf[end..end + step]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.pending.end += n;
                    self.consumed += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The next chunk, or `None` at the end of input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        self.fill(self.target)?;
        if !self.started {
            self.started = true;
            // a BOM is only recognised whole; fill() has read at least 3 bytes unless EOF
            if self.pending.bytes().starts_with(BOM) {
                self.bom = true;
                self.pending.start += BOM.len();
                self.next_offset = BOM.len() as u64;
            }
        }
        loop {
            if self.pending.is_empty() {
                return Ok(None);
            }
            let last = memrchr(b'\n', self.pending.bytes());
            if self.eof && last.is_none_or(|i| i + 1 == self.pending.len()) {
                let data = std::mem::take(&mut self.pending);
                let lines = Chunk::count_lines(data.bytes(), false);
                if lines <= self.max_lines {
                    return Ok(Some(self.emit(data, None, lines)));
                }
                self.pending = data;
            }
            if let Some(i) = last {
                let mut lines = Chunk::count_lines(&self.pending.bytes()[..=i], false);
                let mut i = i;
                if lines > self.max_lines {
                    // cut after the max_lines-th line (rare: only runs of very short lines)
                    let n = usize::try_from(self.max_lines).unwrap_or(usize::MAX);
                    i = memchr::memchr_iter(b'\n', self.pending.bytes()).nth(n - 1).unwrap_or(i);
                    lines = self.max_lines;
                }
                let mut data = std::mem::take(&mut self.pending);
                let split = data.start + i + 1;
                self.pending = self.start_window(&data.buf[split..data.end]);
                data.end = split;
                return Ok(Some(self.emit(data, None, lines)));
            }
            // No newline yet: one line fills everything read so far.
            if self.pending.len() > self.max_line + 2 {
                return self.cut_line().map(Some);
            }
            let want = (self.pending.len() * 2).max(self.target).min(self.max_line + 3);
            self.fill(want)?;
        }
    }

    fn emit(&mut self, data: Window, cut: Option<(u64, LineEnding)>, lines: u64) -> Chunk {
        let shape = Shape::of(data.bytes(), cut.is_some(), lines);
        let size = data.len() as u64;
        let chunk = Chunk { data, first_line: self.next_line, first_offset: self.next_offset, cut, lines, shape };
        self.next_line += lines;
        if cut.is_none() {
            self.next_offset += size;
        }
        chunk
    }

    /// Keeps the first `max_line + 1` bytes of an over-long line and skips the rest of it.
    fn cut_line(&mut self) -> io::Result<Chunk> {
        let keep = self.max_line + 1;
        let mut true_len = self.pending.len() as u64;
        let mut last = self.pending.bytes().last().copied();
        let mut head = std::mem::take(&mut self.pending);
        head.end = head.start + keep;
        let mut buf = vec![0u8; READ_STEP];
        let ending = loop {
            let n = match self.inner.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.consumed += n as u64;
            if n == 0 {
                self.eof = true;
                break LineEnding::None;
            }
            if let Some(i) = memchr(b'\n', &buf[..n]) {
                true_len += i as u64;
                if i > 0 {
                    last = Some(buf[i - 1]);
                }
                self.pending = self.start_window(&buf[i + 1..n]);
                break if last == Some(b'\r') { LineEnding::Crlf } else { LineEnding::Lf };
            }
            true_len += n as u64;
            last = Some(buf[n - 1]);
        };
        if ending == LineEnding::Crlf {
            true_len -= 1;
        }
        let offset_after = self.next_offset + true_len + ending.as_bytes().len() as u64;
        let chunk = self.emit(head, Some((true_len, ending)), 1);
        self.next_offset = offset_after;
        Ok(chunk)
    }
}

/// Reads chunks and hands out their lines one at a time.
#[derive(Debug)]
pub struct LineReader<R> {
    chunks: ChunkReader<R>,
    current: Chunk,
    pos: usize,
    number: u64,
    done: bool,
}

impl<R: Read> LineReader<R> {
    /// A line reader whose lines are cut beyond `max_line` bytes.
    pub fn new(inner: R, max_line: usize) -> Self {
        LineReader {
            chunks: ChunkReader::new(inner, 256 * 1024, max_line),
            current: Chunk::default(),
            pos: 0,
            number: 1,
            done: false,
        }
    }

    /// The input began with a BOM (known once the first line was read).
    pub fn had_bom(&self) -> bool {
        self.chunks.had_bom()
    }

    /// The next line, or `None` at the end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            if self.done {
                return Ok(None);
            }
            let mut it =
                ChunkLines { chunk: &self.current, pos: self.pos, number: self.number, shape: Shape::default() };
            if it.next().is_some() {
                break;
            }
            match self.chunks.next_chunk()? {
                Some(c) => {
                    self.pos = 0;
                    self.number = c.first_line;
                    self.current = c;
                }
                None => self.done = true,
            }
        }
        let mut it = ChunkLines { chunk: &self.current, pos: self.pos, number: self.number, shape: Shape::default() };
        let line = it.next();
        self.pos = it.pos;
        self.number = it.number;
        Ok(line)
    }
}

/// What a reader saw of a file's form, for the `IO001` (non-canonical file) warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStats {
    /// The file began with a BOM.
    pub bom: bool,
    /// The first line ending seen, and the line it ended.
    pub first_ending: Option<(LineEnding, u64)>,
    /// First line whose ending differs from the first one.
    pub mixed_at: Option<u64>,
    /// The last line had no newline.
    pub no_final_newline: bool,
    /// Number of the last line seen.
    pub lines: u64,
}

impl LineStats {
    /// Records one line.
    #[inline]
    pub fn observe(&mut self, line: &Line<'_>) {
        self.lines = self.lines.max(line.number);
        match (line.ending, self.first_ending) {
            (LineEnding::None, _) => self.no_final_newline = true,
            (e, None) => self.first_ending = Some((e, line.number)),
            (e, Some((f, _))) if f != e && self.mixed_at.is_none() => self.mixed_at = Some(line.number),
            _ => {}
        }
    }

    /// The stats of a chunk whose lines all have one length and ending (see
    /// [`Chunk::uniform`]), as observing each of them would give; `None` for any other chunk.
    pub fn of_uniform(chunk: &Chunk) -> Option<LineStats> {
        let (_, ending) = chunk.uniform()?;
        let lines = chunk.line_count();
        Some(LineStats {
            first_ending: (lines > 0).then_some((ending, chunk.first_line)),
            lines: if lines > 0 { chunk.first_line + lines - 1 } else { 0 },
            ..LineStats::default()
        })
    }

    /// Combines the stats of a run of lines with those of the run that follows it (parallel
    /// chunks are observed apart and merged in order).
    #[must_use]
    pub fn merge(self, later: LineStats) -> LineStats {
        let mixed_at = self.mixed_at.or(match (self.first_ending, later.first_ending) {
            (Some((a, _)), Some((b, at))) if a != b => Some(at),
            _ => later.mixed_at,
        });
        LineStats {
            bom: self.bom || later.bom,
            first_ending: self.first_ending.or(later.first_ending),
            mixed_at,
            no_final_newline: if later.lines == 0 { self.no_final_newline } else { later.no_final_newline },
            lines: self.lines.max(later.lines),
        }
    }

    /// The line ending to write back: the first one found, `default` when none was found.
    pub fn ending_to_keep(&self, default: LineEnding) -> LineEnding {
        self.first_ending.map_or(default, |(e, _)| e)
    }

    /// `IO001` warnings for a BOM, mixed line endings and a missing final newline.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if self.bom {
            out.push(
                Diagnostic::warning(
                    "IO001",
                    1,
                    1,
                    "file starts with a UTF-8 byte order mark; the canonical file has none",
                )
                .field("file"),
            );
        }
        if let (Some(at), Some((first, _))) = (self.mixed_at, self.first_ending) {
            let (found, earlier) = if first == LineEnding::Crlf { ("LF", "CRLF") } else { ("CRLF", "LF") };
            out.push(
                Diagnostic::warning(
                    "IO001",
                    at,
                    1,
                    format!("line ends in {found} but earlier lines end in {earlier}; line endings are mixed"),
                )
                .field("line ending"),
            );
        }
        if self.no_final_newline && self.lines > 0 {
            out.push(
                Diagnostic::warning(
                    "IO001",
                    self.lines,
                    1,
                    "last line has no final newline; the canonical file ends with one",
                )
                .field("line ending"),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], target: usize, max_line: usize) -> Vec<(u64, u64, Vec<u8>, LineEnding, u64)> {
        let mut r = ChunkReader::new(input, target, max_line);
        let mut out = Vec::new();
        while let Some(c) = r.next_chunk().unwrap() {
            for l in c.lines() {
                out.push((l.number, l.offset, l.bytes.to_vec(), l.ending, l.len));
            }
        }
        out
    }

    #[test]
    fn a_run_of_blank_lines_is_cut_into_chunks_of_bounded_lines() {
        let input = vec![b'\n'; 100_000];
        for eof_last in [true, false] {
            let mut data = input.clone();
            if !eof_last {
                data.extend_from_slice(b"tail");
            }
            let mut r = ChunkReader::new(&data[..], 64 * 1024, 100);
            let (mut lines, mut next) = (0, 1);
            while let Some(c) = r.next_chunk().unwrap() {
                assert!(c.line_count() <= 2048, "{}", c.line_count());
                assert_eq!(c.first_line, next);
                assert_eq!(c.lines().count() as u64, c.line_count());
                next += c.line_count();
                lines += c.line_count();
            }
            assert_eq!(lines, 100_000 + u64::from(!eof_last));
        }
    }

    #[test]
    fn splits_lines_with_numbers_offsets_and_endings() {
        let got = collect(b"ab\r\ncd\nef", 3, 100);
        assert_eq!(
            got,
            vec![
                (1, 0, b"ab".to_vec(), LineEnding::Crlf, 2),
                (2, 4, b"cd".to_vec(), LineEnding::Lf, 2),
                (3, 7, b"ef".to_vec(), LineEnding::None, 2),
            ]
        );
    }

    #[test]
    fn chunk_size_does_not_change_lines() {
        let input: Vec<u8> = (0..500).flat_map(|i| format!("line {i}\r\n").into_bytes()).collect();
        let reference = collect(&input, 1 << 20, 100);
        for target in [1, 7, 64, 1000] {
            assert_eq!(collect(&input, target, 100), reference, "target {target}");
        }
        assert_eq!(reference.len(), 500);
        assert_eq!(reference[499].0, 500);
    }

    #[test]
    fn lines_of_one_length_are_cut_at_their_stride() {
        let input = b"abc\r\ndef\r\nghi\r\n";
        let mut r = ChunkReader::new(&input[..], 1000, 100);
        let c = r.next_chunk().unwrap().unwrap();
        assert_eq!(c.stride(), Some(5));
        // one line longer, one shorter: the same count of newlines, but not at every stride
        let mut r = ChunkReader::new(&b"abcd\nef\nghi\n"[..], 1000, 100);
        assert_eq!(r.next_chunk().unwrap().unwrap().stride(), None);
    }

    proptest::proptest! {
        /// Cutting at a stride (when every line has the same length) gives the lines a search
        /// for each newline gives.
        #[test]
        fn stride_and_search_agree(
            lines in proptest::collection::vec(("[ab\r]{3}|[ab\r]{0,5}", proptest::bool::ANY), 0..40),
            target in 1usize..200,
        ) {
            let input: Vec<u8> = lines
                .iter()
                .flat_map(|(l, crlf)| format!("{l}{}", if *crlf { "\r\n" } else { "\n" }).into_bytes())
                .collect();
            let mut reference = Vec::new();
            let mut r = LineReader::new(&input[..], 100);
            while let Some(l) = r.next_line().unwrap() {
                reference.push((l.number, l.offset, l.bytes.to_vec(), l.ending, l.len));
            }
            proptest::prop_assert_eq!(collect(&input, target, 100), reference);
        }

        /// A uniform chunk's stats, known at once, are what observing each line gives.
        #[test]
        fn uniform_chunks_have_the_stats_of_their_lines(
            lines in proptest::collection::vec(("[ab\r]{3}", proptest::bool::weighted(0.9)), 0..40),
            target in 1usize..200,
        ) {
            let input: Vec<u8> = lines
                .iter()
                .flat_map(|(l, crlf)| format!("{l}{}", if *crlf { "\r\n" } else { "\n" }).into_bytes())
                .collect();
            let mut r = ChunkReader::new(&input[..], target, 100);
            while let Some(c) = r.next_chunk().unwrap() {
                let (Some((len, ending)), Some(known)) = (c.uniform(), LineStats::of_uniform(&c)) else { continue };
                let mut seen = LineStats::default();
                for l in c.lines() {
                    proptest::prop_assert_eq!((l.bytes.len(), l.ending), (len, ending));
                    seen.observe(&l);
                }
                proptest::prop_assert_eq!(known, seen);
            }
        }
    }

    #[test]
    fn bom_is_stripped_and_counted_in_offsets() {
        let got = collect(b"\xEF\xBB\xBFab\ncd\n", 100, 100);
        assert_eq!(got[0], (1, 3, b"ab".to_vec(), LineEnding::Lf, 2));
        assert_eq!(got[1].1, 6);
    }

    #[test]
    fn overlong_line_is_cut_without_reading_it_into_memory() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 1_000_000));
        input.extend_from_slice(b"\r\nafter\n");
        let got = collect(&input, 64, 80);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].0, 2);
        assert_eq!(got[1].2.len(), 81);
        assert_eq!((got[1].3, got[1].4), (LineEnding::Crlf, 1_000_000));
        assert_eq!(got[2], (3, 6 + 1_000_002, b"after".to_vec(), LineEnding::Lf, 5));
    }

    #[test]
    fn overlong_line_without_newline_at_end() {
        let input = vec![b'9'; 300_000];
        let got = collect(&input, 1000, 80);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].3, got[0].4, got[0].2.len()), (LineEnding::None, 300_000, 81));
    }

    #[test]
    fn line_reader_hands_out_every_line() {
        let input = b"a\nbb\r\n\nccc";
        let mut r = LineReader::new(&input[..], 10);
        let mut seen = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            seen.push((l.number, String::from_utf8(l.bytes.to_vec()).unwrap(), l.ending));
        }
        assert_eq!(
            seen,
            vec![
                (1, "a".into(), LineEnding::Lf),
                (2, "bb".into(), LineEnding::Crlf),
                (3, String::new(), LineEnding::Lf),
                (4, "ccc".into(), LineEnding::None),
            ]
        );
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(collect(b"", 10, 10).is_empty());
        let mut r = LineReader::new(&b""[..], 10);
        assert!(r.next_line().unwrap().is_none());
    }

    #[test]
    fn stats_find_deviations() {
        let mut s = LineStats::default();
        let input = b"a\r\nb\nc";
        let mut r = LineReader::new(&input[..], 10);
        while let Some(l) = r.next_line().unwrap() {
            s.observe(&l);
        }
        assert_eq!(s.mixed_at, Some(2));
        assert!(s.no_final_newline);
        let f = s.findings();
        assert_eq!(f.iter().map(|d| d.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(s.ending_to_keep(LineEnding::Lf), LineEnding::Crlf);
    }

    #[test]
    fn merged_stats_equal_stats_of_the_whole() {
        let input = b"a\r\nb\r\nc\nd\r\ne";
        let lines: Vec<_> = {
            let mut r = ChunkReader::new(&input[..], 100, 10);
            let c = r.next_chunk().unwrap().unwrap();
            c.lines().map(|l| (l.number, l.ending)).collect()
        };
        let whole = {
            let mut s = LineStats::default();
            let mut r = LineReader::new(&input[..], 10);
            while let Some(l) = r.next_line().unwrap() {
                s.observe(&l);
            }
            s
        };
        for split in 0..=lines.len() {
            let mut a = LineStats::default();
            let mut b = LineStats::default();
            let mut r = LineReader::new(&input[..], 10);
            while let Some(l) = r.next_line().unwrap() {
                if (l.number as usize) <= split { a.observe(&l) } else { b.observe(&l) }
            }
            assert_eq!(a.merge(b), whole, "split after {split}");
        }
    }
}
