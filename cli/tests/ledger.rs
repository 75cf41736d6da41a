//! Ledger bundles through the CLI: settlements posted to `kidkit-csv` (snapshots), bundles
//! validated and rewritten, refusals that write nothing.

mod common;

use common::{golden, kidkit, run_with_stdin, snapshots};
use insta_cmd::assert_cmd_snapshot;

fn in_golden() -> std::process::Command {
    let mut cmd = kidkit();
    cmd.current_dir(golden());
    cmd
}

#[test]
fn settlements_post_to_bundles() {
    snapshots("ledger").bind(|| {
        insta::glob!("../../golden/settlement", "*.txt", |path| {
            let file = format!("settlement/{}", path.file_name().unwrap().to_string_lossy());
            assert_cmd_snapshot!("post_default_accounts", in_golden().args(["convert", &file, "--to", "kidkit-csv"]));
        });
        assert_cmd_snapshot!(
            "post_bank_clearing",
            in_golden().args([
                "convert",
                "settlement/settlement-spec-example.txt",
                "--to",
                "kidkit-csv",
                "--accounts",
                "ledger/accounts-bank-clearing.json"
            ])
        );
    });
}

#[test]
fn bundles_validate_and_round_trip() {
    snapshots("ledger").bind(|| {
        insta::glob!("../../golden/ledger", "invalid/*.csv", |path| {
            let file = format!("ledger/invalid/{}", path.file_name().unwrap().to_string_lossy());
            assert_cmd_snapshot!("validate", in_golden().args(["validate", &file]));
            assert_cmd_snapshot!("validate_json", in_golden().args(["validate", "--format", "json", &file]));
        });
    });
    let file = golden().join("ledger/bundle-spec-example.csv");
    let original = std::fs::read(&file).unwrap();
    let out = kidkit().args(["validate"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run_with_stdin(kidkit().args(["convert", "-", "--to", "kidkit-csv"]), &original);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, original, "kidkit-csv → kidkit-csv is byte-identical");
    // the golden bundle is what posting the golden settlement gives today
    let posted =
        in_golden().args(["convert", "settlement/settlement-spec-example.txt", "--to", "kidkit-csv"]).output().unwrap();
    assert_eq!(posted.stdout, original);
}

#[test]
fn refusals_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("bundle.csv");
    let settlement = std::fs::read_to_string(golden().join("settlement/settlement-spec-example.txt")).unwrap();
    // a customer number the customer ledger cannot hold
    let bad = settlement.replacen(";11001;", ";AB-11;", 1);
    let out = run_with_stdin(
        kidkit().args(["convert", "-", "--to", "kidkit-csv", "--output"]).arg(&out_path),
        bad.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("-:2:1: error[LED005]") && stderr.contains("'AB-11'"), "{stderr}");
    assert!(!out_path.exists());
    // an accounts file with a misspelt key is a usage error naming it
    let accounts = dir.path().join("accounts.json");
    std::fs::write(&accounts, r#"{"comission": "7200"}"#).unwrap();
    let out = in_golden()
        .args(["convert", "settlement/settlement-spec-example.txt", "--to", "kidkit-csv", "--output"])
        .arg(&out_path)
        .arg("--accounts")
        .arg(&accounts)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `comission`"));
    assert!(!out_path.exists());
    // an invalid bundle is not rewritten
    let out = in_golden()
        .args(["convert", "ledger/invalid/unbalanced.csv", "--to", "kidkit-csv", "--output"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!out_path.exists());
}
