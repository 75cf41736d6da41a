//! One test per fixed bug, named for what it fixes.

mod common;

use common::{golden, kidkit, run_with_stdin};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_conversion_to_another_family_is_refused_naming_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.ocr");
    let out = kidkit()
        .arg("convert")
        .arg(golden().join("upload/upload-person.txt"))
        .args(["--to", "ocr-giro", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("upload converts to json, csv, ndjson or upload"), "{err}");
    assert!(!err.contains("OcrGiro") && !err.contains("IO003"), "no type names, not a read error: {err}");
    assert!(!target.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing staged");
}

#[test]
fn an_ocr_giro_file_is_not_converted_to_avtalegiro() {
    let out = kidkit()
        .arg("convert")
        .arg(golden().join("ocr/ocr-giro-all-types.ocr"))
        .args(["--to", "avtalegiro"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("ocr-giro converts to json, csv, ndjson or ocr-giro"), "{}", stderr(&out));
}

#[test]
fn json_of_one_nets_format_does_not_build_the_other() {
    let json = kidkit()
        .arg("convert")
        .arg(golden().join("ocr/avtalegiro-claims.ocr"))
        .args(["--to", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0));
    let out = run_with_stdin(kidkit().args(["convert", "--to", "ocr-giro"]), &json.stdout);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("kidkit JSON of avtalegiro build avtalegiro"), "{}", stderr(&out));
}

#[test]
fn inspect_line_zero_is_a_usage_error() {
    let out = kidkit().arg("inspect").arg(golden().join("ocr/ocr-giro-all-types.ocr")).args(["--line", "0"]).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--line counts from 1"));
}

#[test]
fn inspect_past_the_end_is_a_usage_error() {
    let out = kidkit().arg("inspect").arg(golden().join("upload/upload-person.txt")).args(["--line", "999"]).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has fewer than 999 lines"), "{}", stderr(&out));
}

#[test]
fn inspect_reads_uploads_and_settlements() {
    let upload = kidkit().arg("inspect").arg(golden().join("upload/upload-person.txt")).args(["--line", "2"]).output();
    let text = String::from_utf8(upload.unwrap().stdout).unwrap();
    assert!(text.contains("case record (10)"), "{text}");
    assert!(text.contains("case_ref                           3-22     'A-1001              '      A-1001"), "{text}");
    assert!(text.contains("'010100*****'"), "the personal number is masked: {text}");
    assert!(!text.contains("01010012356"), "{text}");
    let settlement =
        kidkit().arg("inspect").arg(golden().join("settlement/settlement-payments.txt")).args(["--line", "2"]).output();
    let text = String::from_utf8(settlement.unwrap().stdout).unwrap();
    assert!(text.contains("line record (L)"), "{text}");
    assert!(text.contains("principal                          64-70    '3000,00'                   3000,00"), "{text}");
}

#[test]
fn a_fifo_input_converts() {
    // a named pipe is read once and kept in a temporary file for the second reading
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("in.ocr");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let bytes = std::fs::read(golden().join("ocr/ocr-giro-all-types.ocr")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, bytes))
    };
    let out = kidkit().arg("convert").arg(&fifo).args(["--to", "csv"]).output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 13, "a header and 12 transactions");
}
