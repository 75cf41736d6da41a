//! What people see: findings with and without colour, `--quiet`, the man page.

mod common;

use common::{golden, kidkit, snapshots};
use insta_cmd::assert_cmd_snapshot;

fn validate(extra: &[&str]) -> std::process::Command {
    let mut cmd = kidkit();
    cmd.current_dir(golden()).args(extra).args([
        "validate",
        "ocr/invalid/OCR022.ocr",
        "ocr/invalid/KID001.ocr",
        "upload/upload-company-several-claims.txt",
    ]);
    cmd
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    snapshots("human").bind(|| {
        assert_cmd_snapshot!("color_never", validate(&["--color", "never"]));
        // --color always overrides NO_COLOR (set by the test environment) and the pipe
        assert_cmd_snapshot!("color_always", validate(&["--color", "always"]));
        assert_cmd_snapshot!("quiet", validate(&["--quiet"]));
    });
    // auto in a pipe: no escapes, even without NO_COLOR
    let out = validate(&[]).env_remove("NO_COLOR").output().unwrap();
    assert!(!out.stderr.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stderr));
    let out = validate(&["--color", "always"]).output().unwrap();
    assert!(out.stderr.contains(&0x1b));
}

#[test]
fn quiet_keeps_errors_only() {
    let out = validate(&["--quiet"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("error[OCR022]"), "{text}");
    assert!(!text.contains("warning["), "{text}");
    assert!(!text.contains("0 errors"), "no summary lines: {text}");
}

#[test]
fn man_pages() {
    let out = kidkit().args(["man", "match"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(roff.contains(".TH kidkit-match 1"), "{roff}");
    assert!(roff.contains("open\\-items\\-out"), "{roff}");
    let out = kidkit().arg("man").output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(".SH SUBCOMMANDS"));
    let out = kidkit().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn max_errors_shows_the_first_and_counts_the_rest() {
    let run = |format: &str| {
        let mut cmd = kidkit();
        cmd.current_dir(golden()).args([
            "--today",
            "2026-11-25",
            "validate",
            "--max-errors",
            "2",
            "--format",
            format,
            "ledger/invalid/several-codes.csv",
            "upload/review/several-cases.txt",
        ]);
        cmd
    };
    snapshots("human").bind(|| {
        assert_cmd_snapshot!("max_errors", run("human"));
    });
    let out = run("json").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ledger = &v["files"][0];
    assert_eq!((ledger["errors"].as_u64(), ledger["findings"].as_array().map(Vec::len)), (Some(5), Some(2)));
    assert_eq!(ledger["omitted"], serde_json::json!({"errors": 3, "warnings": 0}));
}
