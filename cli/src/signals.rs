//! An interrupted run leaves nothing behind: on SIGINT, SIGTERM or SIGHUP every staged output
//! still in its temporary file is removed, and kidkit exits with 128 + the signal's number
//! (130, 143, 129). A SIGKILL cannot be caught: it can leave a hidden `.tmpXXXXXX` file beside
//! the `--output` it was writing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files of outputs not yet committed.
static STAGED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Starts watching for the signals that end a run.
pub fn watch() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_staged();
                std::process::exit(128 + signal);
            }
        });
    }
}

fn remove_staged() {
    let staged = STAGED.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    for path in staged {
        // gone already when it was committed a moment ago
        let _ = std::fs::remove_file(path);
    }
}

/// `path` holds an output being staged: it goes if the run is interrupted.
pub fn staged(path: &Path) {
    if let Ok(mut s) = STAGED.lock() {
        s.push(path.to_path_buf());
    }
}

/// `path` was committed (renamed into place) or removed.
pub fn settled(path: &Path) {
    if let Ok(mut s) = STAGED.lock() {
        s.retain(|p| p != path);
    }
}
