//! Helpers shared by the CLI tests.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The `kidkit` binary under test, with a fixed environment (no colour, fixed width).
pub fn kidkit() -> Command {
    let mut cmd = Command::new(insta_cmd::get_cargo_bin("kidkit"));
    cmd.env("NO_COLOR", "1").env("COLUMNS", "100").env_remove("CLICOLOR_FORCE");
    cmd
}

/// The repository's `golden/` folder.
pub fn golden() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden")
}

/// insta settings that keep snapshots under `golden/snapshots/<group>`, with the time a
/// validation took (`(0.03 s)` on summary lines) replaced by `([time])`.
pub fn snapshots(group: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(golden().join("snapshots").join(group));
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r" \(\d+\.\d\d s\)", " ([time])");
    s
}

/// Runs `cmd` with `input` on stdin and returns its output.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Whether the external program `name` (Debian package `package`) runs here. A test that needs
/// one skips its check, saying so, when it is missing, unless `KIDKIT_REQUIRE_TOOLS` is set (as
/// `.ci/run` sets it, after installing them): then a missing tool fails the test.
pub fn tool_available(name: &str, package: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("KIDKIT_REQUIRE_TOOLS").is_none(),
            "KIDKIT_REQUIRE_TOOLS is set but `{name}` does not run (apt-get install {package})"
        );
        eprintln!("skipped: `{name}` is not installed (apt-get install {package})");
    }
    found
}
