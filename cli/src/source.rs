//! Opening inputs: a path, or stdin for `-` and none. The first bytes are read ahead for format
//! detection; stdin can be spooled to a temporary file when a command reads its input twice.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use kidkit_core::{Error, Input};

use crate::outcome::Failure;

/// How many bytes detection looks at.
const HEAD: usize = 4096;

/// An opened input.
pub struct Source {
    /// The name as given (`-` for stdin).
    pub name: String,
    /// The first bytes (up to 4 KiB), also still to be read from `reader`.
    pub head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    file: Option<File>,
}

impl Source {
    /// Opens `path` (`None` or `-`: stdin) and reads its first bytes.
    pub fn open(path: Option<&str>) -> Result<Source, Failure> {
        let name = path.unwrap_or("-").to_owned();
        let (mut reader, file): (Box<dyn Read + Send>, Option<File>) = if name == "-" {
            (Box::new(io::stdin()), None)
        } else {
            let f = File::open(&name).map_err(|e| Failure::read(format!("'{name}'"), e))?;
            (Box::new(f.try_clone().map_err(|e| Failure::read(format!("'{name}'"), e))?), Some(f))
        };
        let mut head = Vec::with_capacity(HEAD);
        (&mut reader).take(HEAD as u64).read_to_end(&mut head).map_err(|e| Failure::read(format!("'{name}'"), e))?;
        Ok(Source { name, head: head.clone(), reader: Box::new(Cursor::new(head).chain(reader)), file })
    }

    /// The file's size, when it is a regular file.
    pub fn size(&self) -> Option<u64> {
        self.file.as_ref().and_then(|f| f.metadata().ok()).filter(std::fs::Metadata::is_file).map(|m| m.len())
    }

    /// The same input, moving `bar` as it is read.
    pub fn watch(mut self, bar: indicatif::ProgressBar) -> Source {
        self.reader = Box::new(crate::progress::Counted::new(self.reader, bar));
        self
    }

    /// The whole input from the start (consumes the source).
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        self.reader
    }

    /// The input for a format to read: once, or (`again`) as often as it asks, a regular file
    /// being reopened and anything else (a pipe) kept in a temporary file as it is first read.
    pub fn into_input(self, again: bool) -> Result<Opened, Failure> {
        let file = self.file.filter(|f| f.metadata().is_ok_and(|m| m.is_file()));
        let spool = match (&file, again) {
            (None, true) => Some(tempfile::tempfile().map_err(|e| Failure::temp("to hold the input", e))?),
            _ => None,
        };
        Ok(Opened { name: self.name, head: self.head, first: Some(self.reader), started: false, file, spool })
    }
}

impl Opened {
    /// The input is a regular file, so a second reading sees what the first one checked.
    pub fn is_file(&self) -> bool {
        self.file.is_some()
    }
}

/// An input handed to a format (see [`Source::into_input`]).
pub struct Opened {
    name: String,
    head: Vec<u8>,
    first: Option<Box<dyn Read + Send>>,
    started: bool,
    file: Option<File>,
    spool: Option<File>,
}

impl Input for Opened {
    fn name(&self) -> &str {
        &self.name
    }
    fn head(&self) -> &[u8] {
        &self.head
    }
    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Error> {
        let what = format!("'{}'", self.name);
        if !self.started {
            self.started = true;
            let first = self.first.as_mut().ok_or_else(|| Error::read(what.clone(), io::Error::other("no input")))?;
            return Ok(match &mut self.spool {
                Some(spool) => Box::new(Tee { inner: first, copy: spool }),
                None => Box::new(first),
            });
        }
        if let (Some(first), Some(spool)) = (self.first.as_mut(), self.spool.as_mut()) {
            // whatever the first reading left is kept too
            io::copy(first, spool).map_err(|e| Error::read(what.clone(), e))?;
        }
        self.first = None;
        let again = self
            .spool
            .as_mut()
            .or(self.file.as_mut())
            .ok_or_else(|| Error::read(what.clone(), io::Error::other("a pipe cannot be read twice")))?;
        again.seek(SeekFrom::Start(0)).map_err(|e| Error::read(what, e))?;
        Ok(Box::new(again))
    }
}

/// A file kidkit wrote and reads back (a conversion's output, checked before it is kept).
pub struct Readback<'f> {
    /// The name findings give it.
    pub name: String,
    /// The file.
    pub file: &'f mut File,
}

impl Input for Readback<'_> {
    fn name(&self) -> &str {
        &self.name
    }
    fn head(&self) -> &[u8] {
        &[]
    }
    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Error> {
        self.file.seek(SeekFrom::Start(0)).map_err(|e| Error::read("the converted file", e))?;
        Ok(Box::new(&mut *self.file))
    }
}

struct Tee<'a> {
    inner: &'a mut Box<dyn Read + Send>,
    copy: &'a mut File,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        io::Write::write_all(self.copy, &buf[..n])?;
        Ok(n)
    }
}
