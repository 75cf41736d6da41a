//! An input that a format may read more than once: validation first, then the conversion, and
//! for some formats a second look while checking (an upload's possible duplicates).

use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

use super::Error;

/// An opened input: its name, its first bytes, and its contents from the start as often as
/// asked.
pub trait Input {
    /// The name as given on the command line (`-` for stdin).
    fn name(&self) -> &str;
    /// The first bytes (a few KiB), for detection.
    fn head(&self) -> &[u8];
    /// The contents from the start. The first call streams the input; later calls read it again
    /// (a pipe is kept in a temporary file as it is first read).
    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Error>;
}

/// An input held in memory (tests, benchmarks, and files built in memory).
pub struct Bytes<'a> {
    name: &'a str,
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// `data`, named `name` in findings.
    pub fn new(name: &'a str, data: &'a [u8]) -> Self {
        Bytes { name, data }
    }
}

impl Input for Bytes<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn head(&self) -> &[u8] {
        &self.data[..self.data.len().min(4096)]
    }
    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Error> {
        Ok(Box::new(self.data))
    }
}

/// A writer that keeps the first error it met, so that after a pipeline that reads and writes at
/// once has failed, the caller can tell a failed write from a failed read without looking
/// inside the `io::Error`.
pub struct Watched<W> {
    inner: W,
    failed: Blame,
}

/// Where a [`Watched`] writer keeps its failure; held apart from the writer when the writer is
/// lent to a sink for the whole run.
#[derive(Clone, Default)]
pub struct Blame(Arc<Mutex<Option<io::Error>>>);

impl Blame {
    /// `e`, the error a pipeline returned, as an [`Error`]: a write error when the watched
    /// writer failed (`what` names the output), else a read error of `input`.
    pub fn blame(&self, e: io::Error, input: &str, what: &str) -> Error {
        let failed = self.0.lock().ok().and_then(|mut f| f.take());
        match failed {
            Some(w) => Error::write(what, w),
            None => Error::read(format!("'{input}'"), e),
        }
    }
}

impl<W: Write> Watched<W> {
    /// Watches `inner`.
    pub fn new(inner: W) -> Self {
        Watched { inner, failed: Blame::default() }
    }

    /// A handle on this writer's failure.
    pub fn blamer(&self) -> Blame {
        self.failed.clone()
    }

    /// See [`Blame::blame`].
    pub fn blame(&mut self, e: io::Error, input: &str, what: &str) -> Error {
        self.failed.blame(e, input, what)
    }

    /// The writer.
    pub fn into_inner(self) -> W {
        self.inner
    }

    fn keep<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        r.map_err(|e| {
            let kind = e.kind();
            if let Ok(mut slot) = self.failed.0.lock() {
                slot.get_or_insert(e);
            }
            io::Error::new(kind, "the output failed")
        })
    }
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.keep(r)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let r = self.inner.write_all(buf);
        self.keep(r)
    }
    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.keep(r)
    }
}

/// Writes `input`, read again from its start, through `write` into `out` (buffered): a failure
/// of `out` is the output's, any other the input's.
pub fn write_again(
    input: &mut dyn Input,
    out: &mut dyn Write,
    write: impl FnOnce(Box<dyn Read + Send + '_>, &mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let name = input.name().to_owned();
    let mut w = Watched::new(io::BufWriter::with_capacity(1 << 16, out));
    let again = input.open()?;
    let done = write(again, &mut w).and_then(|()| w.flush());
    done.map_err(|e| w.blame(e, &name, "the output"))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_is_blamed_on_the_output() {
        let mut w = Watched::new(Full);
        let e = w.write_all(b"x").unwrap_err();
        let blamed = w.blame(e, "in.ocr", "the output");
        assert!(
            matches!(&blamed, Error::Write { what, source } if what == "the output" && source.kind() == io::ErrorKind::StorageFull)
        );
    }

    #[test]
    fn anything_else_is_blamed_on_the_input() {
        let mut w = Watched::new(Vec::new());
        let blamed = w.blame(io::Error::other("bad sector"), "in.ocr", "the output");
        assert_eq!(blamed.to_string(), "cannot read 'in.ocr': bad sector");
    }
}
