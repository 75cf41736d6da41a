//! `kidkit match` through the CLI: golden cases for every status and option (snapshots), every
//! input problem reported before matching, the generator's known answers at 100 k scale, and
//! byte-identical output whatever the thread count.

mod common;

use std::path::Path;

use common::{golden, kidkit, run_with_stdin, snapshots};
use insta_cmd::assert_cmd_snapshot;
use kidkit_benches::matching::{Mix, STATUSES, write_matching};

fn in_golden() -> std::process::Command {
    let mut cmd = kidkit();
    cmd.current_dir(golden().join("matching"));
    cmd
}

fn matching(args: &[&str]) -> std::process::Command {
    let mut cmd = in_golden();
    cmd.arg("match").args(args);
    cmd
}

#[test]
fn every_status_in_every_format() {
    snapshots("matching").bind(|| {
        for payments in ["payments.csv", "payments.ocr"] {
            let base = ["--payments", payments, "--open-items", "open-items.csv"];
            let mut csv = matching(&base);
            assert_cmd_snapshot!(format!("{payments}_csv"), csv);
            for format in ["json", "ndjson"] {
                let mut cmd = matching(&base);
                cmd.args(["--format", format]);
                assert_cmd_snapshot!(format!("{payments}_{format}"), cmd);
            }
        }
    });
}

#[test]
fn options() {
    snapshots("matching").bind(|| {
        let base = ["--payments", "payments.csv", "--open-items", "open-items.csv"];
        let mut cmd = matching(&base);
        cmd.arg("--skip-unknown");
        assert_cmd_snapshot!("skip_unknown", cmd);
        let mut cmd = matching(&base);
        cmd.args(["--strict", "--quiet"]);
        assert_cmd_snapshot!("strict", cmd);
        let mut cmd = kidkit();
        cmd.current_dir(golden().join("matching")).args(["--kid-check", "off", "match"]).args(base);
        assert_cmd_snapshot!("kid_check_off", cmd);
        assert_cmd_snapshot!(
            "upload_open_items",
            matching(&["--payments", "payments-for-upload.csv", "--open-items", "upload-open-items.txt"])
        );
    });
}

#[test]
fn strict_passes_when_everything_is_matched() {
    let out = run_with_stdin(
        &mut matching(&["--payments", "-", "--open-items", "open-items.csv", "--strict"]),
        b"kid;amount;date\n10001014;1000,00;20261120\n10001055;750;20261121\n10001055;-750;20261121\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = String::from_utf8(out.stdout).unwrap();
    assert_eq!(rows.lines().nth(3), Some("4;10001055;-750.00;reversal;102;3001;-750.00;750.00;0.00;reverses line 3"));
}

#[test]
fn items_still_open_are_written_back() {
    let dir = tempfile::tempdir().unwrap();
    let left = dir.path().join("left.csv");
    let out = matching(&["--payments", "payments.csv", "--open-items", "open-items.csv", "--open-items-out"])
        .arg(&left)
        .arg("-o")
        .arg(dir.path().join("rows.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&left).unwrap();
    snapshots("matching").bind(|| insta::assert_snapshot!("open_items_out", text));
    assert!(text.contains("100;1003;10001030;150.00;2026-10-15\n"), "{text}");
    assert!(text.contains("102;3001;10001055;750.00;2026-12-01\n"), "re-opened by the reversal: {text}");
    assert!(!text.contains(";1001;"), "paid in full: {text}");
}

#[test]
fn bad_input_is_reported_before_matching_and_nothing_is_written() {
    snapshots("matching").bind(|| {
        insta::glob!("../../golden/matching", "invalid/*.csv", |path| {
            let file = format!("invalid/{}", path.file_name().unwrap().to_string_lossy());
            let codes: Vec<String> = path
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .split('-')
                .filter(|p| p.starts_with("MAT"))
                .map(str::to_owned)
                .collect();
            let args: Vec<&str> = if file.contains("payments") {
                vec!["--payments", &file, "--open-items", "open-items.csv"]
            } else {
                vec!["--payments", "payments.csv", "--open-items", &file]
            };
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("rows.csv");
            let out = matching(&args).arg("-o").arg(&target).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{file}");
            assert!(!target.exists(), "{file}: no partial output");
            let stderr = String::from_utf8_lossy(&out.stderr);
            for code in &codes {
                assert!(stderr.contains(&format!("[{code}]")), "{file} does not report {code}:\n{stderr}");
            }
            assert_cmd_snapshot!("invalid", matching(&args));
        });
    });
}

#[test]
fn usage_errors_exit_2() {
    let out = matching(&["--payments", "-", "--open-items", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = matching(&["--payments", "missing.csv", "--open-items", "open-items.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("IO008"));
}

fn summary_of(ndjson: &[u8]) -> serde_json::Value {
    let text = std::str::from_utf8(ndjson).unwrap();
    let last = text.lines().last().unwrap();
    serde_json::from_str::<serde_json::Value>(last).unwrap()["summary"].clone()
}

fn kroner(ore: i128) -> String {
    format!("{}{}.{:02}", if ore < 0 { "-" } else { "" }, ore.unsigned_abs() / 100, ore.unsigned_abs() % 100)
}

fn check_known_answer(dir: &Path, items: u64, payments: u64, seed: u64) {
    let open = dir.join("open-items.csv");
    let pay = dir.join("payments.csv");
    let e = write_matching(
        std::fs::File::create(&open).unwrap(),
        std::fs::File::create(&pay).unwrap(),
        items,
        payments,
        Mix::default(),
        seed,
    )
    .unwrap();
    let run = |jobs: &str| {
        let out = kidkit()
            .args(["--jobs", jobs, "match", "--format", "ndjson", "--payments"])
            .arg(&pay)
            .arg("--open-items")
            .arg(&open)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let one = run("1");
    let s = summary_of(&one);
    for (name, count) in STATUSES.iter().zip(e.counts) {
        assert_eq!(s["statuses"][name]["count"], count, "{name}");
    }
    assert_eq!(s["payments"]["count"], payments);
    assert_eq!(s["payments"]["amount"], kroner(e.paid));
    assert_eq!(s["applied"], kroner(e.applied));
    assert_eq!(s["surplus"], kroner(e.surplus));
    assert_eq!(s["open_items"]["left"]["count"], e.open_left.0);
    assert_eq!(s["open_items"]["left"]["amount"], kroner(e.open_left.1));
    assert!(one == run("2"), "--jobs 1 and --jobs 2 differ");
}

#[test]
fn the_generators_known_answers_hold_at_100k() {
    let dir = tempfile::tempdir().unwrap();
    check_known_answer(dir.path(), 100_000, 100_000, 7);
    // more payments than items: items are paid again, re-opened and reversed twice
    check_known_answer(dir.path(), 20_000, 100_000, 8);
}

#[test]
fn matching_inputs_are_detected_and_validated() {
    snapshots("matching").bind(|| {
        assert_cmd_snapshot!(
            "detect",
            in_golden().args(["detect", "open-items.csv", "payments.csv", "payments.ocr", "upload-open-items.txt"])
        );
        assert_cmd_snapshot!(
            "validate",
            in_golden().args([
                "validate",
                "open-items.csv",
                "payments.csv",
                "invalid/MAT005-open-items-duplicate-invoice.csv"
            ])
        );
    });
}
