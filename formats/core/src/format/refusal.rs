//! Writers that refuse a value without hiding it in an `io::Error`: the refusal is kept for the
//! caller, typed, and the write answers with a plain `InvalidData` error that only says so.

use std::fmt::Display;
use std::io;

/// Why a write did not happen: a value the writer refuses, or the output.
#[derive(Debug)]
pub enum Fail<E> {
    /// The value does not fit (the writer's own error type).
    Refused(E),
    /// The output failed.
    Io(io::Error),
}

impl<E> From<io::Error> for Fail<E> {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

/// Where a writer keeps what it refused, until the caller takes it.
#[derive(Debug)]
pub struct Refusals<E> {
    kept: Option<E>,
}

impl<E> Default for Refusals<E> {
    fn default() -> Self {
        Refusals { kept: None }
    }
}

impl<E: Display> Refusals<E> {
    /// A write's outcome as `io::Result`: a refusal is kept, and answered with an
    /// `InvalidData` error carrying its text.
    pub fn settle<T>(&mut self, r: Result<T, Fail<E>>) -> io::Result<T> {
        match r {
            Ok(v) => Ok(v),
            Err(Fail::Io(e)) => Err(e),
            Err(Fail::Refused(e)) => {
                let message = e.to_string();
                self.kept = Some(e);
                Err(io::Error::new(io::ErrorKind::InvalidData, message))
            }
        }
    }

    /// The value refused last, taken (so that it is reported once).
    pub fn take(&mut self) -> Option<E> {
        self.kept.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_kept_typed_and_answered_in_plain_text() {
        let mut r: Refusals<String> = Refusals::default();
        let e = r.settle::<()>(Err(Fail::Refused("kid does not fit".to_owned()))).unwrap_err();
        assert_eq!((e.kind(), e.to_string()), (io::ErrorKind::InvalidData, "kid does not fit".to_owned()));
        assert_eq!(r.take().as_deref(), Some("kid does not fit"));
        assert_eq!(r.take(), None);
        let io = r.settle::<()>(Err(Fail::Io(io::Error::other("disk full")))).unwrap_err();
        assert_eq!(io.to_string(), "disk full");
        assert_eq!(r.take(), None);
    }
}
