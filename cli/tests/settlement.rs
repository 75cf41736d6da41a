//! Settlements through the CLI: golden files validated and converted (snapshots), every code,
//! round trips, building from rows, refusals.

mod common;

use std::path::Path;

use common::{golden, kidkit, run_with_stdin, snapshots};
use insta_cmd::assert_cmd_snapshot;

fn in_golden() -> std::process::Command {
    let mut cmd = kidkit();
    cmd.current_dir(golden().join("settlement"));
    cmd
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_settlements_validate_and_convert() {
    snapshots("settlement").bind(|| {
        insta::glob!("../../golden/settlement", "*.txt", |path| {
            let file = name(path);
            assert_cmd_snapshot!("validate", in_golden().args(["validate", &file]));
            assert_cmd_snapshot!("convert_csv", in_golden().args(["convert", &file, "--to", "csv"]));
            assert_cmd_snapshot!("convert_ndjson", in_golden().args(["convert", &file, "--to", "ndjson"]));
            assert_cmd_snapshot!("convert_json", in_golden().args(["convert", &file, "--to", "json"]));
        });
    });
}

#[test]
fn every_code_has_an_invalid_file() {
    snapshots("settlement").bind(|| {
        insta::glob!("../../golden/settlement", "invalid/*.txt", |path| {
            let file = format!("invalid/{}", name(path));
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let run = |format: &str| {
                let mut cmd = in_golden();
                cmd.args(["validate", "--from", "settlement", "--format", format, &file]);
                cmd
            };
            let out = run("human").output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&format!("[{code}]")), "{file} does not report {code}:\n{stderr}");
            assert_cmd_snapshot!("validate", run("human"));
            assert_cmd_snapshot!("validate_json", run("json"));
        });
        assert_cmd_snapshot!(
            "convert_set017",
            in_golden().args(["convert", "invalid/SET017.csv", "--to", "settlement"])
        );
    });
}

#[test]
fn round_trips_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["settlement-payments.txt", "settlement-writeoff-reversal.txt", "settlement-spec-example.txt"] {
        let original = std::fs::read(golden().join("settlement").join(file)).unwrap();
        for via in ["json", "csv", "settlement"] {
            let mid = dir.path().join(format!("mid.{via}"));
            let back = dir.path().join("back.txt");
            assert!(
                in_golden()
                    .args(["-q", "convert", file, "--to", via, "--output"])
                    .arg(&mid)
                    .status()
                    .unwrap()
                    .success()
            );
            let result = if via == "settlement" {
                mid.clone()
            } else {
                assert!(
                    in_golden()
                        .args(["-q", "convert"])
                        .arg(&mid)
                        .args(["--to", "settlement", "--output"])
                        .arg(&back)
                        .status()
                        .unwrap()
                        .success()
                );
                back
            };
            assert!(std::fs::read(&result).unwrap() == original, "{file} changed through {via}");
        }
    }
}

#[test]
fn rows_build_a_settlement_with_a_computed_trailer() {
    let rows = "agency_orgno;agency_name;client_no;creditor_orgno;creditor_name;settlement_no;settlement_date;payout_date;payout_account;currency;line_no;case_no;customer_no;invoice_no;kid;debtor_name;event_date;kind;principal;interest;fees;agency_costs;commission;vat;loss;net;text\n\
987654325;Eksempel Inkasso AS;33220;825602232;Testkreditor AS;7;2026-11-24;2026-11-25;64010573988;NOK;1;100;11001;A1;;Kunde;2026-11-23;PAYMENT;100.00;0.00;0.00;0.00;10.00;2.50;0.00;87.50;\n\
987654325;Eksempel Inkasso AS;33220;825602232;Testkreditor AS;7;2026-11-24;2026-11-25;64010573988;NOK;2;101;11002;A2;;Kunde 2;2026-11-23;WRITE_OFF;0;0;0;0;0;0;50,00;0;tap\n";
    let out = run_with_stdin(kidkit().args(["convert", "--to", "settlement"]), rows.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.ends_with("\r\nT;2;100,00;0,00;0,00;0,00;10,00;2,50;50,00;87,50\r\n"), "{text}");
}

#[test]
fn an_invalid_settlement_is_never_converted() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.csv");
    let out =
        in_golden().args(["convert", "invalid/SET023.txt", "--to", "csv", "--output"]).arg(&out_path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SET023"));
    assert!(!out_path.exists());
}

#[test]
fn amounts_beyond_i64_sums_are_findings_not_panics() {
    let text = std::fs::read_to_string(golden().join("settlement/settlement-spec-example.txt")).unwrap();
    // principal at i64::MAX øre: principal + interest + fees overflows 64 bits
    let big = text.replacen(";PAYMENT;3000,00;", ";PAYMENT;92233720368547758,07;", 1);
    assert_ne!(big, text);
    let out = run_with_stdin(kidkit().args(["validate", "-"]), big.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[SET023]") && stderr.contains("= 92233720368547463,17"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_trailer_sum_too_large_is_refused_not_wrapped() {
    let rows = in_golden().args(["convert", "settlement-spec-example.txt", "--to", "csv"]).output().unwrap().stdout;
    let rows = String::from_utf8(rows).unwrap();
    let big = rows.replacen(";PAYMENT;3000.00;", ";PAYMENT;92233720368547758.07;", 1).replacen(
        ";WRITE_OFF;0.00;0.00;0.00;0.00;0.00;0.00;200.00;",
        ";PAYMENT;92233720368547758.07;0.00;0.00;0.00;0.00;0.00;0.00;",
        1,
    );
    assert_ne!(big, rows);
    let out = run_with_stdin(kidkit().args(["convert", "--from", "csv", "-", "--to", "settlement"]), big.as_bytes());
    // invalid input: a finding and exit 1, nothing written
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[SET031]"), "{stderr}");
    assert!(stderr.contains("the trailer's principal would be 18446744073709551614 øre"), "{stderr}");
}
