//! Opening inputs: a path, or stdin for `-` and none. The first bytes are read ahead for format
//! detection; stdin can be spooled to a temporary file when a command reads its input twice.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

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

    /// Makes the input readable twice: a file is reopened at its start; stdin is copied to an
    /// anonymous temporary file as it is read the first time.
    pub fn rereadable(self) -> Result<Rereadable, Failure> {
        if let Some(f) = self.file {
            return Ok(Rereadable { name: self.name, file: f, spooled: false, first: Some(self.reader) });
        }
        let spool = tempfile::tempfile().map_err(|e| Failure::read("a temporary file for stdin", e))?;
        Ok(Rereadable { name: self.name, file: spool, spooled: true, first: Some(self.reader) })
    }
}

/// An input read once in full, then again.
pub struct Rereadable {
    /// The name as given.
    pub name: String,
    file: File,
    spooled: bool,
    first: Option<Box<dyn Read + Send>>,
}

impl Rereadable {
    /// The first reading (stdin is copied to the spool on the way).
    pub fn first(&mut self) -> Result<Box<dyn Read + Send + '_>, Failure> {
        let first = self
            .first
            .take()
            .ok_or_else(|| Failure::read(format!("'{}'", self.name), io::Error::other("read twice")))?;
        if self.spooled { Ok(Box::new(Tee { inner: first, copy: &mut self.file })) } else { Ok(first) }
    }

    /// The second reading, from the start.
    pub fn second(&mut self) -> Result<Box<dyn Read + Send + '_>, Failure> {
        self.file.seek(SeekFrom::Start(0)).map_err(|e| Failure::read(format!("'{}'", self.name), e))?;
        Ok(Box::new(&mut self.file))
    }
}

struct Tee<'a> {
    inner: Box<dyn Read + Send>,
    copy: &'a mut File,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        io::Write::write_all(self.copy, &buf[..n])?;
        Ok(n)
    }
}
