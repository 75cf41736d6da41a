//! Ledger bundles through the CLI: settlements posted to every dialect (snapshots), bundles
//! validated, rewritten and converted between dialects, SAF-T checked against the official
//! schema, refusals that write nothing.

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

const DIALECTS: [&str; 5] = ["kidkit-csv", "visma-global", "visma-business", "gbat10", "saft"];

/// Posts `settlement` to `dialect` and returns the bytes written.
fn post(settlement: &str, dialect: &str, accounts: Option<&str>) -> Vec<u8> {
    let mut cmd = in_golden();
    cmd.args(["convert", settlement, "--to", dialect]);
    if let Some(a) = accounts {
        cmd.args(["--accounts", a]);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{settlement} → {dialect}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// `xmllint --schema` with the official SAF-T 1.30 schema (libxml2-utils; `.ci/run` installs it).
fn assert_saft_schema_valid(xml: &[u8], what: &str) {
    if !common::tool_available("xmllint", "libxml2-utils") {
        return;
    }
    let schema = golden().join("../formats/ledger/schema/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(file.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn settlements_post_to_every_dialect() {
    let variants: [(&str, Option<&str>); 3] = [
        ("default", None),
        ("bank_clearing_not_vat", Some("ledger/accounts-bank-clearing.json")),
        ("not_vat", Some("ledger/accounts-not-vat-registered.json")),
    ];
    snapshots("ledger").bind(|| {
        insta::glob!("../../golden/settlement", "*.txt", |path| {
            let file = format!("settlement/{}", path.file_name().unwrap().to_string_lossy());
            for dialect in DIALECTS.iter().skip(1) {
                let name = format!("post_{dialect}");
                assert_cmd_snapshot!(name, in_golden().args(["convert", &file, "--to", dialect]));
            }
        });
        for (label, accounts) in &variants[1..] {
            for dialect in DIALECTS {
                let name = format!("post_{label}_{dialect}");
                let mut cmd = in_golden();
                cmd.args(["convert", "settlement/settlement-payments.txt", "--to", dialect]);
                cmd.args(["--accounts", accounts.unwrap()]);
                assert_cmd_snapshot!(name, cmd);
            }
        }
    });
    // every bundle, in every dialect: valid, rewritten byte for byte, read back to the same
    // postings, and SAF-T valid against the official schema
    for entry in std::fs::read_dir(golden().join("settlement")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let settlement = format!("settlement/{}", path.file_name().unwrap().to_string_lossy());
        for (label, accounts) in variants {
            let reference = String::from_utf8(post(&settlement, "kidkit-csv", accounts)).unwrap();
            for dialect in DIALECTS {
                let what = format!("{settlement} ({label}) as {dialect}");
                let bytes = post(&settlement, dialect, accounts);
                if dialect == "saft" {
                    assert_saft_schema_valid(&bytes, &what);
                }
                let mut args = vec!["--from", dialect];
                if let Some(a) = accounts {
                    args.extend(["--accounts", a]);
                }
                let again = run_with_stdin(in_golden().args(["convert", "-", "--to", dialect]).args(&args), &bytes);
                assert_eq!(again.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&again.stderr));
                assert!(again.stderr.is_empty(), "{what}: {}", String::from_utf8_lossy(&again.stderr));
                assert_eq!(again.stdout, bytes, "{what}: parse → write is byte-identical");
                let back = run_with_stdin(in_golden().args(["convert", "-", "--to", "kidkit-csv"]).args(&args), &bytes);
                let back = String::from_utf8(back.stdout).unwrap();
                // the bundle number is the first column; visma-global, visma-business and
                // gbat10 do not hold it
                let strip = |t: &str| -> Vec<String> {
                    t.lines()
                        .map(|l| {
                            if matches!(dialect, "kidkit-csv" | "saft") {
                                l.to_owned()
                            } else {
                                l.split_once(';').unwrap().1.to_owned()
                            }
                        })
                        .collect()
                };
                assert_eq!(strip(&back), strip(&reference), "{what}: read back, the same postings");
            }
        }
    }
}

#[test]
fn bundles_convert_to_rows_and_json_and_back() {
    snapshots("ledger").bind(|| {
        for to in ["json", "ndjson", "csv"] {
            let name = format!("bundle_to_{to}");
            assert_cmd_snapshot!(name, in_golden().args(["convert", "ledger/bundle-spec-example.csv", "--to", to]));
        }
    });
    let original = std::fs::read(golden().join("ledger/bundle-spec-example.csv")).unwrap();
    let json = in_golden().args(["convert", "ledger/bundle-spec-example.csv", "--to", "json"]).output().unwrap();
    let back = run_with_stdin(kidkit().args(["convert", "-", "--to", "kidkit-csv"]), &json.stdout);
    assert_eq!(back.status.code(), Some(0), "{}", String::from_utf8_lossy(&back.stderr));
    assert_eq!(back.stdout, original, "kidkit-csv → json → kidkit-csv is byte-identical");
}

#[test]
fn bundles_validate_and_round_trip() {
    snapshots("ledger").bind(|| {
        insta::glob!("../../golden/ledger", "invalid/*", |path| {
            let file = format!("ledger/invalid/{}", path.file_name().unwrap().to_string_lossy());
            assert_cmd_snapshot!("validate", in_golden().args(["validate", &file]));
            assert_cmd_snapshot!("validate_kid_check_off", in_golden().args(["--kid-check", "off", "validate", &file]));
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

#[test]
fn values_a_dialect_cannot_hold_are_refused() {
    let original = std::fs::read_to_string(golden().join("ledger/bundle-spec-example.csv")).unwrap();
    let cases = [
        // a VAT code without its amount cannot go to SAF-T
        ("refuse_vat_code_to_saft", "saft", original.replacen(";80,10;", ";80,10;3", 1)),
        // Visma Global tells customers by number: 21001 lies outside customer_range
        (
            "refuse_customer_range_to_visma_global",
            "visma-global",
            original.replacen(";11001;11001;", ";21001;21001;", 1),
        ),
        // GBAT10 has no supplier control account in kidkit, and holds voucher types up to 999
        (
            "refuse_supplier_and_voucher_type_to_gbat10",
            "gbat10",
            original.replacen(";gl;7200;", ";supplier;7200;", 1).replace("2026-11-23;1;", "2026-11-23;1000;"),
        ),
        (
            "refuse_letters_latin1_cannot_hold_to_visma_business",
            "visma-business",
            original.replacen("Sak 1832370", "Sak ☃", 1),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    snapshots("ledger").bind(|| {
        for (name, to, input) in cases {
            let out_path = dir.path().join(name);
            let mut cmd = kidkit();
            cmd.args(["convert", "-", "--to", to, "--output"]).arg(&out_path);
            let out = run_with_stdin(&mut cmd, input.as_bytes());
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert!(!out_path.exists(), "{name}: nothing written");
            insta::assert_snapshot!(name, String::from_utf8_lossy(&out.stderr));
        }
    });
}
