//! A progress bar on stderr for long reads: bytes, records (lines) per second and the time left.
//! Shown only to people: when stderr is a terminal and the input is larger than a few MB (or
//! with `--progress`), never with `--quiet` or when results are JSON on stdout.

use std::io::{self, IsTerminal, Read};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs at least this large get a bar without `--progress`.
const FEW_MB: u64 = 8 << 20;

/// Who would see a bar.
#[derive(Debug, Clone, Copy)]
pub struct Audience {
    /// `--progress`.
    pub forced: bool,
    /// `--quiet`.
    pub quiet: bool,
    /// Results are for people (not JSON on stdout).
    pub human: bool,
    /// stderr is a terminal.
    pub terminal: bool,
}

impl Audience {
    /// Whether to show a bar for an input of `size` bytes (`None`: unknown, e.g. stdin).
    pub fn wants_bar(self, size: Option<u64>) -> bool {
        !self.quiet && self.human && (self.forced || (self.terminal && size.is_some_and(|s| s >= FEW_MB)))
    }
}

/// A bar for `size` bytes (a spinner when unknown), drawn on stderr.
pub fn bar(size: Option<u64>) -> ProgressBar {
    let bar = match size {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if size.is_some() {
        "{bar:20} {bytes}/{total_bytes} {bytes_per_sec} {msg}, {eta} left"
    } else {
        "{spinner} {bytes} {bytes_per_sec} {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Whether stderr is a terminal.
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// A reader that moves a bar by the bytes read and counts the records (lines) it has seen.
pub struct Counted<R> {
    inner: R,
    bar: ProgressBar,
    lines: u64,
}

impl<R> Counted<R> {
    /// `inner`, reported on `bar`.
    pub fn new(inner: R, bar: ProgressBar) -> Self {
        Counted { inner, bar, lines: 0 }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        self.bar.inc(n as u64);
        let ms = self.bar.elapsed().as_millis().max(1);
        self.bar.set_message(format!("{} records ({}/s)", self.lines, u128::from(self.lines) * 1000 / ms));
        if n == 0 {
            self.bar.finish_and_clear();
        }
        Ok(n)
    }
}

impl<R> Drop for Counted<R> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_people_see_a_bar() {
        let big = Some(100 << 20);
        let person = Audience { forced: false, quiet: false, human: true, terminal: true };
        assert!(person.wants_bar(big));
        assert!(!Audience { terminal: false, ..person }.wants_bar(big), "never in a pipe");
        assert!(!Audience { quiet: true, ..person }.wants_bar(big), "never with --quiet");
        assert!(!Audience { human: false, ..person }.wants_bar(big), "never in JSON mode");
        assert!(!person.wants_bar(Some(1 << 20)), "not for small files");
        assert!(!person.wants_bar(None), "stdin: only with --progress");
        assert!(Audience { forced: true, terminal: false, ..person }.wants_bar(None));
    }

    #[test]
    fn counts_records_as_it_reads() {
        let bar = ProgressBar::hidden();
        let mut r = Counted::new(&b"a\nb\nc\n"[..], bar.clone());
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(r.lines, 3);
        assert_eq!(bar.position(), 6);
    }
}
