//! Outputs that appear whole or not at all: everything is written to a temporary file first,
//! then renamed over `--output` (same folder) or copied to stdout, only when the run succeeded.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::outcome::Failure;

/// A staged output.
pub struct Staged {
    target: Option<PathBuf>,
    temp: Temp,
}

enum Temp {
    Named(NamedTempFile),
    Anonymous(File),
}

fn write_failure(what: String, source: io::Error) -> Failure {
    if source.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Io { code: "IO004", what, source }
    }
}

/// Whether `path` names standard output (`-`).
pub fn is_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p == Path::new("-"))
}

/// The file `path` stands for: a symbolic link's target (so that the link is written through,
/// not replaced), else `path` itself.
fn through_links(path: &Path) -> PathBuf {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return path.to_path_buf();
    }
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        // a link to a file not there yet: its target, read relative to the link's folder
        std::fs::read_link(path)
            .map_or_else(|_| path.to_path_buf(), |t| path.parent().map_or_else(|| t.clone(), |dir| dir.join(&t)))
    })
}

impl Staged {
    /// Stages output for `path` (`None` or `-`: stdout; a symbolic link: its target).
    pub fn new(path: Option<&Path>) -> Result<Staged, Failure> {
        let target = (!is_stdout(path)).then(|| path.map(through_links)).flatten();
        let path = target.as_deref();
        let temp = match path {
            // a device or pipe: stage in an anonymous file, then write into it on commit
            Some(p) if std::fs::metadata(p).is_ok_and(|m| !m.is_file()) => {
                Temp::Named(NamedTempFile::new().map_err(|e| Failure::temp("for the output", e))?)
            }
            Some(p) => {
                let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
                Temp::Named(NamedTempFile::new_in(dir).map_err(|e| write_failure(format!("'{}'", p.display()), e))?)
            }
            None => Temp::Anonymous(tempfile::tempfile().map_err(|e| Failure::temp("for the output", e))?),
        };
        if let Temp::Named(t) = &temp {
            crate::signals::staged(t.path());
        }
        Ok(Staged { target, temp })
    }

    /// A buffered writer into the staging file.
    pub fn writer(&mut self) -> BufWriter<&mut File> {
        let f = match &mut self.temp {
            Temp::Named(t) => t.as_file_mut(),
            Temp::Anonymous(f) => f,
        };
        BufWriter::with_capacity(1 << 20, f)
    }

    /// Reads back what was staged (to validate it before committing).
    pub fn reader(&mut self) -> Result<&mut File, Failure> {
        let f = match &mut self.temp {
            Temp::Named(t) => t.as_file_mut(),
            Temp::Anonymous(f) => f,
        };
        f.seek(SeekFrom::Start(0)).map_err(|e| write_failure("the staged output".into(), e))?;
        Ok(f)
    }

    /// Moves the output into place: renames over `--output`, or copies to stdout. An existing
    /// target that is not a regular file (a device, a named pipe) is written into, never
    /// renamed over.
    pub fn commit(self) -> Result<(), Failure> {
        match (self.temp, self.target) {
            (Temp::Named(t), Some(path)) if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) => {
                crate::signals::settled(t.path());
                let mut f = t.into_file();
                f.seek(SeekFrom::Start(0)).map_err(|e| write_failure("the staged output".into(), e))?;
                let what = || format!("'{}'", path.display());
                let mut out =
                    std::fs::OpenOptions::new().write(true).open(&path).map_err(|e| write_failure(what(), e))?;
                io::copy(&mut f, &mut out).map_err(|e| write_failure(what(), e))?;
                out.flush().map_err(|e| write_failure(what(), e))?;
            }
            (Temp::Named(t), Some(path)) => {
                // temporary files are created private (0600); the output gets ordinary permissions
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = t.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
                }
                let temp = t.path().to_path_buf();
                let persisted = t.persist(&path);
                crate::signals::settled(&temp);
                persisted.map_err(|e| write_failure(format!("'{}'", path.display()), e.error))?;
            }
            (temp, _) => {
                let mut f = match temp {
                    Temp::Anonymous(f) => f,
                    Temp::Named(t) => {
                        crate::signals::settled(t.path());
                        t.into_file()
                    }
                };
                f.seek(SeekFrom::Start(0)).map_err(|e| write_failure("the staged output".into(), e))?;
                let stdout = io::stdout();
                let mut out = stdout.lock();
                io::copy(&mut f, &mut out).map_err(|e| write_failure("standard output".into(), e))?;
                out.flush().map_err(|e| write_failure("standard output".into(), e))?;
            }
        }
        Ok(())
    }
}
