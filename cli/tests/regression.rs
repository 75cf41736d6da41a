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

/// `convert FILE --to via`, then back to `to` from stdin: the bytes written back.
fn through(file: &str, via: &str, to: &str, from: Option<&str>) -> (Vec<u8>, std::process::Output) {
    let original = std::fs::read(golden().join(file)).unwrap();
    let mid = kidkit().args(["--today", "2026-11-25", "convert"]).arg(golden().join(file)).args(["--to", via]).output();
    let mid = mid.unwrap();
    assert_eq!(mid.status.code(), Some(0), "{file} -> {via}: {}", stderr(&mid));
    let mut back = kidkit();
    back.args(["--today", "2026-11-25", "convert", "--to", to]);
    if let Some(from) = from {
        back.args(["--from", from]);
    }
    (original, run_with_stdin(&mut back, &mid.stdout))
}

#[test]
fn ndjson_rows_are_read_wherever_csv_rows_are() {
    for (file, to) in [
        ("ocr/ocr-giro-all-types.ocr", "ocr-giro"),
        ("ocr/avtalegiro-claims.ocr", "avtalegiro"),
        ("ocr/avtalegiro-mandates.ocr", "avtalegiro"),
        ("upload/upload-company-several-claims.txt", "upload"),
        ("settlement/settlement-payments.txt", "settlement"),
    ] {
        for from in [None, Some("ndjson")] {
            let (original, back) = through(file, "ndjson", to, from);
            assert_eq!(back.status.code(), Some(0), "{file} back from NDJSON: {}", stderr(&back));
            assert!(back.stdout == original, "{file} changed through NDJSON (--from {from:?})");
        }
    }
}

#[test]
fn ndjson_rows_are_detected_as_the_rows_of_their_format() {
    let rows =
        kidkit().arg("convert").arg(golden().join("ocr/avtalegiro-claims.ocr")).args(["--to", "ndjson"]).output();
    let out = run_with_stdin(kidkit().args(["detect", "-"]), &rows.unwrap().stdout);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "-: ndjson (avtalegiro rows)\n");
}

#[test]
fn a_bad_ndjson_row_is_a_finding_on_its_line() {
    let rows =
        kidkit().arg("convert").arg(golden().join("ocr/ocr-giro-all-types.ocr")).args(["--to", "ndjson"]).output();
    let mut text = String::from_utf8(rows.unwrap().stdout).unwrap();
    text.push_str("{\"line\": 99, \"colour\": \"red\"}\n");
    let out = run_with_stdin(kidkit().args(["convert", "--to", "ocr-giro"]), text.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains(":13:1: error[IO003]") && err.contains("key 'colour'"), "{err}");
}

#[test]
fn json_frame_keys_after_the_records_are_refused() {
    let doc = r#"{"kidkit": 1, "records": [], "format": "upload"}"#;
    let out = run_with_stdin(kidkit().args(["convert", "--from", "json", "--to", "upload"]), doc.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("\"format\" must come before \"records\""), "{}", stderr(&out));
}

#[test]
fn a_repeated_settlement_line_is_found_in_bounded_memory_from_a_pipe_too() {
    // the first reading only marks candidates; a second reading (of the spooled pipe) decides
    let bytes = std::fs::read(golden().join("settlement/invalid/SET040.txt")).unwrap();
    let from_file =
        kidkit().args(["validate", "--format", "ndjson"]).arg(golden().join("settlement/invalid/SET040.txt")).output();
    let from_pipe = run_with_stdin(kidkit().args(["validate", "--format", "ndjson", "-"]), &bytes);
    let codes = |out: &[u8]| String::from_utf8_lossy(out).matches("\"SET040\"").count();
    assert_eq!(codes(&from_file.unwrap().stdout), 1);
    assert_eq!(codes(&from_pipe.stdout), 1);
}

#[test]
fn to_offers_only_what_something_converts_to() {
    let out = kidkit().args(["convert", "x", "--to", "payments-csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'payments-csv'"), "{}", stderr(&out));
}

#[test]
fn rows_of_a_valid_file_stream_to_stdout_and_stop_when_it_closes() {
    // stdout closed after the header: the run ends quietly, exit 0, nothing left behind
    let mut child = kidkit()
        .arg("convert")
        .arg(golden().join("ocr/ocr-giro-all-types.ocr"))
        .args(["--to", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn inspect_reads_every_delimited_format() {
    let show = |file: &str, from: Option<&str>| {
        let mut cmd = kidkit();
        cmd.arg("inspect").arg(golden().join(file)).args(["--line", "2"]);
        if let Some(from) = from {
            cmd.args(["--from", from]);
        }
        let out = cmd.output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), stderr(&out))
    };
    let (code, text, _) = show("ledger/bundle-spec-example.csv", None);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("posting") && text.contains("credit                             89-95    '3000,00'"),
        "{text}"
    );
    let (code, text, _) = show("matching/open-items.csv", None);
    assert_eq!(code, Some(0));
    assert!(text.contains("amount_due                         19-25    '1000,00'"), "{text}");
    // SAF-T is XML, not lines of records: a usage error that says so
    let (code, _, err) = show("ledger/bundle-spec-example.csv", Some("saft"));
    assert_eq!(code, Some(2));
    assert!(err.contains("saft is XML"), "{err}");
}

#[test]
fn a_value_the_nets_writer_cannot_hold_is_a_finding_on_its_row_not_an_io_error() {
    // a KID of 26 digits passes the row checks but not the 25-character field
    let rows = kidkit().arg("convert").arg(golden().join("ocr/ocr-giro-all-types.ocr")).args(["--to", "csv"]).output();
    let text = String::from_utf8(rows.unwrap().stdout).unwrap();
    let kid = "000001234509";
    assert!(text.contains(kid));
    let edited = text.replacen(kid, "12345678901234567890123456", 1);
    let out = run_with_stdin(kidkit().args(["convert", "--to", "ocr-giro"]), edited.as_bytes());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.starts_with("-:2:16: error[OCR005]: kid: a KID in a Nets file is at most 25 digits"),
        "on the kid column: {err}"
    );
    assert!(!err.contains("IO003") && !err.contains("IO004"), "{err}");
}

#[test]
fn a_value_the_upload_and_settlement_writers_cannot_hold_is_a_finding_on_its_row() {
    // a case reference of 25 characters, where the record holds 20
    let rows = kidkit().arg("convert").arg(golden().join("upload/upload-person.txt")).args(["--to", "csv"]).output();
    let text = String::from_utf8(rows.unwrap().stdout).unwrap().replacen(";A-1001;", ";A-1001-THIS-IS-TOO-LONG-X;", 1);
    let out = run_with_stdin(kidkit().args(["--today", "2026-11-25", "convert", "--to", "upload"]), text.as_bytes());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains("error[UPL016]") && err.contains("case_ref") && err.contains("at most 20 fit"), "{err}");
    assert!(!err.contains("IO003") && !err.contains("IO004"), "{err}");
    // a debtor name holding ';', which separates settlement fields
    let rows =
        kidkit().arg("convert").arg(golden().join("settlement/settlement-payments.txt")).args(["--to", "csv"]).output();
    let text = String::from_utf8(rows.unwrap().stdout).unwrap().replacen(";Kunde 1 AS;", ";\"Kunde; 1 AS\";", 1);
    let out = run_with_stdin(kidkit().args(["convert", "--to", "settlement"]), text.as_bytes());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains("error[SET017]") && err.contains("holds ';'"), "{err}");
}

/// The rows of `file` (`--to csv`), edited by `edit`, converted back to `to`.
fn edited_rows(file: &str, to: &str, edit: impl FnOnce(String) -> String) -> std::process::Output {
    let mut rows = kidkit();
    let rows = rows
        .args(["--today", "2026-11-25", "convert"])
        .arg(golden().join(file))
        .args(["--to", "csv"])
        .output()
        .unwrap();
    assert_eq!(rows.status.code(), Some(0), "{file}: {}", stderr(&rows));
    let text = edit(String::from_utf8(rows.stdout).unwrap());
    run_with_stdin(kidkit().args(["--today", "2026-11-25", "convert", "--to", to]), text.as_bytes())
}

/// The `n`th line (1-based) of `text` changed by `edit`.
fn on_line(text: &str, n: usize, edit: impl FnOnce(&str) -> String) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    lines[n - 1] = edit(&lines[n - 1]);
    lines.join("\n")
}

#[test]
fn an_unclosed_quote_in_rows_is_an_error_where_it_opens_not_swallowed_rows() {
    // an opening quote in the last (empty) value of row 2 took the 11 transactions after it
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", |t| on_line(&t, 2, |l| format!("{l}\"x")));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "nothing written");
    assert!(
        err.contains("-:2:28: error[IO003]: cannot read the rows: the quote that opens value 28 (text) is not closed"),
        "{err}"
    );
    // AvtaleGiro rows: a quote opening the notify value of the first claim, whose specification
    // runs over two lines, took the claims after it
    let out = edited_rows("ocr/avtalegiro-claims.ocr", "avtalegiro", |t| t.replacen("\";;\n", "\";;\"x\n", 1));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("error[IO003]") && err.contains("the quote that opens value 19 (notify) is not closed"),
        "{err}"
    );
    // uploads and settlements say it is the quote too
    let cases = [
        ("upload/upload-person.txt", "upload", ";Varer levert;", ";\"Varer levert;"),
        ("settlement/settlement-payments.txt", "settlement", ";Kunde 1 AS;", ";\"Kunde 1 AS;"),
    ];
    for (file, to, value, quoted) in cases {
        let out = edited_rows(file, to, |t| t.replacen(value, quoted, 1));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(out.stdout.is_empty());
        assert!(err.contains("error[IO003]: cannot read the rows: the quote that opens value"), "{file}: {err}");
    }
}

#[test]
fn rows_after_crlf_and_blank_lines_are_found_on_their_own_line() {
    // the CSV reader's own positions put a row after CRLF one line early
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", |t| {
        on_line(&t, 3, |l| l.replacen(";2026-01-20;2500.50;", ";2026-13-20;2500.50;", 1)).replace('\n', "\r\n")
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("-:3:13: error[OCR006]: nets_date"), "the finding is on line 3: {err}");
}

#[test]
fn a_text_on_a_transaction_type_without_amount_item_3_is_an_error_not_dropped() {
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", |t| on_line(&t, 2, |l| format!("{l}HELLO")));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.starts_with("-:2:28: error[OCR005]: text: transaction type 10 has no amount item 3 to hold a text"),
        "{err}"
    );
}

#[test]
fn an_edited_amount_is_used_or_refused_never_ignored() {
    let golden_ocr = std::fs::read(golden().join("ocr/ocr-giro-all-types.ocr")).unwrap();
    let row2 = |from: &'static str, to: &'static str| move |t: String| on_line(&t, 2, |l| l.replacen(from, to, 1));
    // kroner and øre that disagree: both named, nothing written
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", row2(";1020.00;", ";2000.00;"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains(":2:14: error[OCR005]: amount: amount 2000.00 and amount_ore 102000 disagree"), "{err}");
    // junk in either column
    for (from, to, says) in [(";1020.00;", ";10x0.00;", ":2:14:"), (";102000;", ";10x000;", ":2:15:")] {
        let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", row2(from, to));
        assert_eq!(out.status.code(), Some(1), "{to}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{to}: {}", stderr(&out));
    }
    // either alone is enough, and an amount given in both alike is used
    for (from, to) in [(";1020.00;102000;", ";;102000;"), (";1020.00;102000;", ";1020.00;;")] {
        let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", row2(from, to));
        assert_eq!(out.status.code(), Some(0), "{to}: {}", stderr(&out));
        assert_eq!(out.stdout, golden_ocr, "{to}");
    }
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", row2(";1020.00;102000;", ";2000.00;200000;"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).lines().nth(2).unwrap().contains("00000000000200000"));
    // a sign column that contradicts the amount
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", row2(";00001;0;", ";00001;-;"));
    assert!(
        stderr(&out).contains("error[OCR005]: sign: is '-' but the amount is positive (1020.00)"),
        "{}",
        stderr(&out)
    );
    // AvtaleGiro claims alike
    let out = edited_rows("ocr/avtalegiro-claims.ocr", "avtalegiro", |t| {
        t.replacen(";1500.00;150000;", ";1600.00;150000;", 1)
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("amount 1600.00 and amount_ore 150000 disagree"), "{err}");
}

#[test]
fn an_edited_json_value_beside_its_raw_is_refused_not_overruled() {
    let cases = [
        ("ocr/ocr-giro-all-types.ocr", "ocr-giro", "\"value\":\"1020.00\"", "\"value\":\"2000.00\"", "amount: raw"),
        ("upload/upload-person.txt", "upload", "\"value\":\"A-1001\"", "\"value\":\"B-1001\"", "case_ref: raw"),
        (
            "settlement/settlement-payments.txt",
            "settlement",
            "\"value\":\"Kunde 1 AS\"",
            "\"value\":\"Kunde 2 AS\"",
            "debtor_name: raw",
        ),
    ];
    for (file, to, from, edit, says) in cases {
        let json = kidkit()
            .args(["--today", "2026-11-25", "convert"])
            .arg(golden().join(file))
            .args(["--to", "json"])
            .output();
        let text = String::from_utf8(json.unwrap().stdout).unwrap().replace(": ", ":");
        assert!(text.contains(from), "{file}");
        let out = run_with_stdin(
            kidkit().args(["--today", "2026-11-25", "convert", "--to", to]),
            text.replacen(from, edit, 1).as_bytes(),
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(out.stdout.is_empty());
        assert!(err.contains(says) && err.contains("give one, or both alike"), "{file}: {err}");
    }
}

#[test]
fn io006_exits_2_whether_the_file_is_empty_or_unrecognised() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    let unknown = dir.path().join("unknown.txt");
    std::fs::write(&empty, "").unwrap();
    std::fs::write(&unknown, "hello\n").unwrap();
    for file in [&empty, &unknown] {
        let out = kidkit().arg("validate").arg(file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("error[IO006]"), "{}", stderr(&out));
    }
    // told what it is, an empty file is that format's finding: invalid, exit 1
    let out = kidkit().args(["validate", "--from", "ocr-giro"]).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[OCR040]"), "{}", stderr(&out));
    let out = kidkit().args(["validate", "--from", "kidkit-csv"]).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[LED010]"), "{}", stderr(&out));
    // a file that cannot be opened is IO008, exit 2
    let out = kidkit().arg("validate").arg(dir.path().join("missing.ocr")).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[IO008]"), "{}", stderr(&out));
}

#[test]
fn a_record_of_the_wrong_length_gets_its_length_finding_and_nothing_it_never_decoded() {
    for file in ["ocr-giro-all-types", "avtalegiro-claims", "avtalegiro-mandates", "avtalegiro-cancellation"] {
        let bytes = std::fs::read(golden().join(format!("ocr/{file}.ocr"))).unwrap();
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        for (i, _) in lines.iter().enumerate() {
            for longer in [false, true] {
                // the record one character short (79) or long (81), its line ending kept
                let mut edited = Vec::new();
                for (j, l) in lines.iter().enumerate() {
                    let body = l.strip_suffix(b"\n").unwrap_or(l);
                    let body = body.strip_suffix(b"\r").unwrap_or(body);
                    let ending = &l[body.len()..];
                    if i == j {
                        let body = if longer { [body, b"0"].concat() } else { body[..body.len() - 1].to_vec() };
                        edited.extend_from_slice(&body);
                    } else {
                        edited.extend_from_slice(body);
                    }
                    edited.extend_from_slice(ending);
                }
                let out = run_with_stdin(kidkit().args(["--today", "2026-11-25", "validate"]), &edited);
                let err = stderr(&out);
                let findings: Vec<&str> =
                    err.lines().filter(|l| l.contains(": error[") || l.contains(": warning[")).collect();
                let want = format!("-:{}:{}: error[OCR001]", i + 1, if longer { 81 } else { 80 });
                assert!(
                    findings.len() == 1 && findings[0].starts_with(&want),
                    "{file} line {} {}: {findings:?}",
                    i + 1,
                    if longer { "81" } else { "79" }
                );
            }
        }
    }
}

/// `bytes` with the `width` characters from column `col` (1-based) of line `n` replaced.
fn with_field(bytes: &[u8], n: usize, col: usize, value: &str) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    lines[n - 1].splice(col - 1..col - 1 + value.len(), value.bytes());
    lines.concat()
}

/// Rows (`--to via`) of `original`, and the file built back from them as `to`.
fn rows_and_back(original: &[u8], via: &str, to: &str) -> (String, std::process::Output) {
    let rows = run_with_stdin(kidkit().args(["--today", "2026-11-25", "convert", "--to", via]), original);
    assert_eq!(rows.status.code(), Some(0), "{}", stderr(&rows));
    let back = run_with_stdin(kidkit().args(["--today", "2026-11-25", "convert", "--to", to]), &rows.stdout);
    (String::from_utf8(rows.stdout).unwrap(), back)
}

#[test]
fn the_end_record_dates_a_file_gives_survive_its_row_round_trip() {
    // a mandate transmission's end date (free: mandates alone may leave it 000000), and an OCR
    // giro assignment end's nets date later than its last transaction
    let mandates = with_field(&std::fs::read(golden().join("ocr/avtalegiro-mandates.ocr")).unwrap(), 7, 42, "190417");
    let ocr = with_field(&std::fs::read(golden().join("ocr/ocr-giro-all-types.ocr")).unwrap(), 29, 42, "240126");
    for (bytes, to, column) in [(mandates, "avtalegiro", ";2017-04-19;"), (ocr, "ocr-giro", ";2026-01-24;")] {
        let strict = run_with_stdin(kidkit().args(["validate", "--strict"]), &bytes);
        assert_eq!(strict.status.code(), Some(0), "{to}: {}", stderr(&strict));
        for via in ["csv", "ndjson"] {
            let (rows, back) = rows_and_back(&bytes, via, to);
            if via == "csv" {
                assert!(rows.contains(column), "{to}: the rows carry the date: {rows}");
            }
            assert_eq!(back.status.code(), Some(0), "{to} via {via}: {}", stderr(&back));
            assert!(back.stdout == bytes, "{to} via {via}: the file comes back byte for byte");
        }
    }
}

#[test]
fn rows_that_disagree_on_their_transmission_or_assignment_are_refused_not_ignored() {
    // row 5 names another sender; row 3 another end date for the assignment of rows 2–13
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", |t| {
        let t = on_line(&t, 5, |l| l.replacen(";00008080;", ";00009999;", 1));
        on_line(&t, 3, |l| l.replacen(";2026-01-23;11;", ";2026-01-24;11;", 1))
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "nothing written");
    assert!(
        err.contains(
            "-:5:2: error[OCR005]: data_transmitter: is '00009999', but the row on line 2 gives '00008080': every row of a file belongs to its one transmission"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "-:3:10: error[OCR005]: assignment_nets_date: is '2026-01-24', but the row on line 2 gives '2026-01-23'"
        ),
        "{err}"
    );
}

#[test]
fn a_claim_transmission_date_other_than_its_first_due_date_is_refused() {
    let out = edited_rows("ocr/avtalegiro-claims.ocr", "avtalegiro", |t| {
        let first = t.lines().nth(1).unwrap().split(';').nth(4).unwrap().to_owned();
        t.replace(&format!(";{first};"), ";2030-01-01;")
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains(":2:5: error[OCR005]: transmission_date: is 2030-01-01, but a transmission of claims ends with its first due date"),
        "{err}"
    );
}

/// `convert --to json` and back to `to` (with `flags` both ways): the exit code and the bytes.
fn json_and_back(original: &[u8], to: &str, flags: &[&str]) -> (Option<i32>, Vec<u8>) {
    let json = run_with_stdin(kidkit().args(flags).args(["convert", "--to", "json"]), original);
    assert_eq!(json.status.code(), Some(0), "{to}: {}", stderr(&json));
    let back = run_with_stdin(kidkit().args(flags).args(["convert", "--to", to]), &json.stdout);
    (back.status.code(), back.stdout)
}

/// The lines of a golden file, each as its bytes without the ending.
fn golden_lines(file: &str) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(golden().join(file)).unwrap();
    bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_full_fidelity_json_gives_back_each_lines_own_ending_encoding_and_length() {
    let joined = |lines: &[Vec<u8>], ending: &dyn Fn(usize) -> &'static [u8]| -> Vec<u8> {
        lines.iter().enumerate().flat_map(|(i, l)| [l.as_slice(), ending(i)].concat()).collect()
    };
    // one CRLF line among LF lines, and one LF line among CRLF lines
    let cases = [
        ("ocr/ocr-giro-lf-utf8.ocr", "ocr-giro", 10, b"\n" as &[u8], b"\r\n" as &[u8]),
        ("upload/upload-person.txt", "upload", 2, b"\r\n", b"\n"),
        ("settlement/settlement-payments.txt", "settlement", 2, b"\r\n", b"\n"),
    ];
    for (file, to, odd, usual, other) in cases {
        let lines = golden_lines(file);
        let mixed = joined(&lines, &|i| if i == odd { other } else { usual });
        assert_eq!(json_and_back(&mixed, to, &[]), (Some(0), mixed.clone()), "{file}: mixed line endings");
    }
    // a Latin-1 line in a UTF-8 file
    let mut lines = golden_lines("ocr/ocr-giro-lf-utf8.ocr");
    lines[24] = String::from_utf8(lines[24].clone()).unwrap().replace("kiosk", "kiøsk").into_bytes();
    lines[27] = lines[27]
        .iter()
        .copied()
        .filter(|&b| b != 0xC3)
        .map(|b| if b == 0xB8 || b == 0xA5 { b + 0x40 } else { b })
        .collect();
    let mixed = joined(&lines, &|_| b"\n");
    let warned = run_with_stdin(kidkit().arg("validate"), &mixed);
    assert!(stderr(&warned).contains("-:28:1: warning[IO001]: line is not valid UTF-8"), "{}", stderr(&warned));
    assert_eq!(json_and_back(&mixed, "ocr-giro", &[]), (Some(0), mixed), "mixed encodings");
    // upload records an editor stripped of their trailing blanks
    let lines: Vec<Vec<u8>> =
        golden_lines("upload/upload-person.txt").into_iter().map(|l| l.trim_ascii_end().to_vec()).collect();
    let short = joined(&lines, &|_| b"\r\n");
    assert_eq!(json_and_back(&short, "upload", &[]), (Some(0), short), "short upload records");
    // blank lines read under --lenient
    let mut lines = golden_lines("ocr/ocr-giro-all-types.ocr");
    lines.insert(10, Vec::new());
    let blank = joined(&lines, &|_| b"\r\n");
    assert_eq!(json_and_back(&blank, "ocr-giro", &["--lenient"]), (Some(0), blank), "a blank line");
}

#[test]
fn max_errors_holds_for_every_finding_and_counts_stay_true() {
    // a case with two errors, capped at one: its header counts both
    let settlement = std::fs::read_to_string(golden().join("settlement/settlement-payments.txt")).unwrap();
    let two = settlement.replacen(";20261123;PAYMENT;", ";20261323;PAYMANT;", 1);
    let out = run_with_stdin(kidkit().args(["validate", "--max-errors", "1"]), two.as_bytes());
    let err = stderr(&out);
    assert!(err.starts_with("── case 1832370: 2 errors\n"), "{err}");
    assert_eq!(err.matches(": error[").count(), 1, "{err}");
    assert!(err.contains("… and 1 more error, counted but not shown"), "{err}");
    // ten copies of one case: the duplicate findings of the second reading keep to the cap, and
    // what is shown plus what is omitted is every error
    let upload = std::fs::read_to_string(golden().join("upload/upload-person.txt")).unwrap();
    let lines: Vec<&str> = upload.split_inclusive('\n').collect();
    let copies = [lines[0].to_owned(), lines[1..5].concat().repeat(10), lines[5].to_owned()].concat();
    let all = run_with_stdin(kidkit().args(["validate", "--format", "json"]), copies.as_bytes());
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let errors = all["files"][0]["errors"].as_u64().unwrap();
    assert!(errors > 20, "{errors}");
    for cap in [1u64, 3, 20] {
        let out = run_with_stdin(
            kidkit().args(["validate", "--format", "json", "--max-errors", &cap.to_string()]),
            copies.as_bytes(),
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = &v["files"][0];
        let shown = file["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count() as u64;
        assert_eq!(shown, cap, "--max-errors {cap}");
        assert_eq!(file["errors"].as_u64(), Some(errors), "--max-errors {cap}");
        assert_eq!(file["omitted"]["errors"].as_u64(), Some(errors - cap), "--max-errors {cap}");
        let human = run_with_stdin(kidkit().args(["validate", "--max-errors", &cap.to_string()]), copies.as_bytes());
        let err = stderr(&human);
        assert_eq!(err.matches(": error[").count() as u64, cap, "{err}");
        assert!(err.contains(&format!("… and {} more errors", errors - cap)), "{err}");
    }
}

#[test]
fn a_tab_in_an_upload_claim_text_is_refused_by_the_validator_as_by_the_writer() {
    // it validated, and `convert --to upload` then failed on it
    let upload = std::fs::read_to_string(golden().join("upload/upload-person.txt")).unwrap();
    let tabbed = upload.replacen("Varer levert", "Varer\tlevert", 1);
    let column = tabbed.lines().nth(3).unwrap().find('\t').unwrap() + 1;
    let out = run_with_stdin(kidkit().arg("validate"), tabbed.as_bytes());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("-:4:{column}: error[IO002]: byte 0x09 at column {column} is not text")), "{err}");
    let out = run_with_stdin(kidkit().args(["convert", "--to", "upload"]), tabbed.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn findings_about_a_file_built_from_rows_name_the_row_and_column() {
    // two exports joined: the check of the file built found the restarted numbering on line 29
    // of a file that was never written
    let out = edited_rows("ocr/ocr-giro-all-types.ocr", "ocr-giro", |t| {
        let body: String = t.split_inclusive('\n').skip(1).collect();
        format!("{t}{body}")
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("-:14:12: error[OCR011]: transaction number 1 is not above the previous one (12)"),
        "on the row and its transaction_number column: {err}"
    );
    assert!(err.contains("(line 29 of the file these rows build)") && !err.contains("(converted)"), "{err}");
    // an upload claim the checker refuses: on its row, in its column
    let out =
        edited_rows("upload/upload-person.txt", "upload", |t| t.replacen(";1500.00;1500.00;", ";1000.00;1500.00;", 1));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("-:2:26: error[UPL021]: case 'A-1001', claim '34500': original principal 1000,00"), "{err}");
}

#[test]
fn upload_and_settlement_rows_that_disagree_on_a_value_given_once_are_refused() {
    // a second row of case A-1001 naming another debtor, and a settlement row with another
    // settlement number: either would have been dropped
    let out = edited_rows("upload/upload-person.txt", "upload", |t| {
        let row = t.lines().nth(1).unwrap().replacen(";34500;", ";34501;", 1).replacen(";Ola;", ";Kari;", 1);
        format!("{t}{row}\n")
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("-:3:9: error[UPL023]: row 3, first_name: is 'Kari', but the row on line 2 gives 'Ola'"),
        "{err}"
    );
    let out = edited_rows("settlement/settlement-payments.txt", "settlement", |t| {
        on_line(&t, 3, |l| l.replacen(";968622;", ";968623;", 1))
    });
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("-:3:6: error[SET001]: row 3, settlement_no: is '968623', but the row on line 2 gives '968622'"),
        "{err}"
    );
}

#[test]
fn jobs_above_four_a_core_are_cut_with_a_warning_and_zero_is_refused() {
    // --jobs 100000 panicked setting up thread stacks, and --jobs 20000 ran for minutes
    let file = golden().join("ocr/ocr-giro-all-types.ocr");
    let out = kidkit().args(["--jobs", "100000", "validate"]).arg(&file).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let cores = std::thread::available_parallelism().unwrap().get();
    assert!(
        err.starts_with(&format!(
            "kidkit: warning: --jobs 100000 is more than 4 per core ({cores} cores here); using {}",
            cores * 4
        )),
        "{err}"
    );
    let out = kidkit().args(["--jobs", "0", "validate"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A control character a terminal acts on (C0 but the line break, DEL, C1) in `bytes`.
fn terminal_control(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes).chars().find(|&c| c != '\n' && c.is_control())
}

#[test]
fn no_control_character_from_a_file_or_its_name_reaches_the_terminal() {
    // a case reference `A ESC[8m XY BEL` hid everything printed after its group line
    let dir = tempfile::tempdir().unwrap();
    let upload = std::fs::read_to_string(golden().join("upload/upload-person.txt")).unwrap();
    let hostile = upload.replacen("A-1001    ", "A\x1b[8mXY\x07\u{85}", 1);
    let settlement = std::fs::read_to_string(golden().join("settlement/settlement-payments.txt")).unwrap();
    let files = [
        ("upload.txt", hostile.clone()),
        ("n\x1b[2Jame.txt", upload),
        ("settlement.txt", settlement.replacen(";1832370;", ";18\x1b]0;x\x0732370;", 1)),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        for args in [&["validate"][..], &["detect"], &["inspect", "--line", "2"], &["validate", "--max-errors", "1"]] {
            let out = kidkit().args(["--color", "never"]).args(args).arg(&path).output().unwrap();
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                assert_eq!(
                    terminal_control(bytes),
                    None,
                    "{name:?} {args:?} {stream}: {}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
    let out = run_with_stdin(kidkit().args(["--color", "never", "validate"]), hostile.as_bytes());
    assert!(stderr(&out).starts_with("── case 'A�[8mXY��"), "{}", stderr(&out));
}

#[test]
fn a_huge_value_is_echoed_cut_to_a_readable_length_with_its_true_length() {
    // a 1 MB claim text was echoed whole, twice, in its UPL016 message
    let out =
        edited_rows("upload/upload-person.txt", "upload", |t| t.replacen("Varer levert", &"V".repeat(1_000_000), 1));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.len() < 1000, "{} bytes of stderr", err.len());
    assert!(err.contains(&format!("'{}…' (1000000 characters)", "V".repeat(80))), "{err}");
    // a 1 MB ledger line
    let ledger = std::fs::read_to_string(golden().join("ledger/invalid/LED008-voucher-type.gbat10")).unwrap();
    let long = ledger.replacen('\n', &format!("\nGBAT10;{}\n", "9".repeat(1_000_000)), 1);
    let out = run_with_stdin(kidkit().args(["validate", "--from", "gbat10"]), long.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.len() < 2000, "{} bytes of stderr", out.stderr.len());
}

#[test]
fn a_dash_means_standard_output_for_every_output_option() {
    // `-o -`, `--open-items-out -` and `--report -` created a file named '-'
    let dir = tempfile::tempdir().unwrap();
    let ocr = golden().join("ocr/ocr-giro-all-types.ocr");
    let out = kidkit().current_dir(dir.path()).args(["convert", "--to", "csv", "-o", "-"]).arg(&ocr).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"line;data_transmitter;"));
    let upload = golden().join("upload/upload-person.txt");
    let out = kidkit().current_dir(dir.path()).args(["validate", "--report", "-"]).arg(&upload).output().unwrap();
    assert!(out.stdout.starts_with(b"<!DOCTYPE html>"), "{}", stderr(&out));
    let matching = |extra: &[&str]| {
        kidkit()
            .current_dir(dir.path())
            .arg("match")
            .arg("--payments")
            .arg(golden().join("matching/payments.csv"))
            .arg("--open-items")
            .arg(golden().join("matching/open-items.csv"))
            .args(extra)
            .output()
            .unwrap()
    };
    let out = matching(&["-o", "/dev/null", "--open-items-out", "-"]);
    assert!(out.stdout.starts_with(b"customer_no;invoice_no;kid;amount_due;due_date\n"), "{}", stderr(&out));
    // two outputs cannot share standard output
    let out = matching(&["--open-items-out", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot both go to standard output"), "{}", stderr(&out));
    let out = kidkit()
        .current_dir(dir.path())
        .args(["validate", "--format", "json", "--report", "-"])
        .arg(&upload)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file named '-'");
}

#[test]
#[cfg(unix)]
fn an_output_through_a_symbolic_link_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real/out.csv", &link).unwrap();
    for _ in 0..2 {
        // once to a target not there yet, once over it
        let out = kidkit()
            .args(["convert", "--to", "csv", "-o"])
            .arg(&link)
            .arg(golden().join("ocr/ocr-giro-all-types.ocr"))
            .output();
        assert_eq!(out.unwrap().status.code(), Some(0));
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert!(std::fs::read_to_string(dir.path().join("real/out.csv")).unwrap().starts_with("line;"));
    }
}

#[test]
#[cfg(unix)]
fn an_interrupted_run_removes_what_it_staged_and_exits_128_plus_the_signal() {
    // SIGINT, SIGTERM or SIGHUP left a hidden .tmpXXXXXX beside the output
    let json =
        kidkit().args(["convert", "--to", "json"]).arg(golden().join("ocr/ocr-giro-all-types.ocr")).output().unwrap();
    let half = &json.stdout[..json.stdout.len() / 2];
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = kidkit()
            .args(["convert", "--to", "ocr-giro", "-o"])
            .arg(dir.path().join("out.ocr"))
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // half a document, the pipe left open: the output is staged and waits for the rest
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, half).unwrap();
        let staged = (0..200).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(25));
            std::fs::read_dir(dir.path()).unwrap().count() > 0
        });
        assert!(staged, "{signal}: the output was staged beside its target");
        let killed = std::process::Command::new("kill").arg(format!("-{signal}")).arg(child.id().to_string()).status();
        assert!(killed.unwrap().success());
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), Some(code), "{signal}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{signal}: nothing left behind");
    }
}

#[test]
fn a_temporary_file_that_cannot_be_made_is_named_with_its_folder_not_as_a_read_error() {
    // a full or missing TMPDIR was reported as "cannot read" the input
    let input = std::fs::read(golden().join("ocr/ocr-giro-all-types.ocr")).unwrap();
    let out = run_with_stdin(kidkit().env("TMPDIR", "/nonexistent/kidkit").args(["convert", "--to", "json"]), &input);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).starts_with(
            "kidkit: error[IO004]: cannot write a temporary file to hold the input in '/nonexistent/kidkit' (TMPDIR)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_row_value_its_record_has_no_field_for_is_refused_not_dropped() {
    // the service code of OCR giro rows, a claim's notify and a mandate's amount were ignored
    let cases = [
        (
            "ocr/ocr-giro-all-types.ocr",
            "ocr-giro",
            ";2026-01-23;9;",
            ";2026-01-23;21;",
            "service_code: OCR giro rows are service 9, found '21'",
        ),
        (
            "ocr/avtalegiro-claims.ocr",
            "avtalegiro",
            ";;\n",
            ";;J\n",
            "notify: must be empty, found 'J': only a mandate (assignment type 24) has one",
        ),
        (
            "ocr/avtalegiro-mandates.ocr",
            "avtalegiro",
            ";;;;100100000015;",
            ";;100.00;;100100000015;",
            "amount: must be empty, found '100.00': a mandate has no such field",
        ),
    ];
    for (file, to, from, into, says) in cases {
        let out = edited_rows(file, to, |t| t.replacen(from, into, 1));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(out.stdout.is_empty());
        assert!(err.contains(&format!("error[OCR005]: {says}")), "{file}: {err}");
    }
}

#[test]
fn a_control_character_in_an_open_item_or_a_payment_is_refused() {
    // a NUL or ESC inside an open item's KID was accepted silently
    for (file, from) in [("matching/open-items.csv", "open-items-csv"), ("matching/payments.csv", "payments-csv")] {
        let text = std::fs::read_to_string(golden().join(file)).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (n, c) in [(1, '\u{1b}'), (2, '\0')] {
            let at = lines[n].find(';').unwrap() + 2;
            lines[n].insert(at, c);
        }
        let out = run_with_stdin(kidkit().args(["validate", "--from", from]), (lines.join("\n") + "\n").as_bytes());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(":2:") && err.contains("error[IO002]: byte 0x1B"), "{file}: {err}");
        assert!(err.contains(":3:") && err.contains("error[IO002]: byte 0x00"), "{file}: {err}");
    }
}
