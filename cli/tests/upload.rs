//! Creditor uploads through the CLI: golden files validated and converted (snapshots), every
//! code, round trips, building from a creditor's spreadsheet with a column map, refusals.

mod common;

use std::path::Path;

use common::{golden, kidkit, run_with_stdin, snapshots};
use insta_cmd::assert_cmd_snapshot;

const TODAY: &str = "2026-11-25";

fn in_golden() -> std::process::Command {
    let mut cmd = kidkit();
    cmd.current_dir(golden().join("upload")).args(["--today", TODAY]);
    cmd
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_uploads_validate_and_convert() {
    snapshots("upload").bind(|| {
        insta::glob!("../../golden/upload", "*.txt", |path| {
            let file = name(path);
            assert_cmd_snapshot!("validate", in_golden().args(["validate", &file]));
            assert_cmd_snapshot!("validate_json", in_golden().args(["validate", "--format", "json", &file]));
            assert_cmd_snapshot!("convert_csv", in_golden().args(["convert", &file, "--to", "csv"]));
            assert_cmd_snapshot!("convert_ndjson", in_golden().args(["convert", &file, "--to", "ndjson"]));
        });
    });
}

#[test]
fn every_code_has_an_invalid_file() {
    snapshots("upload").bind(|| {
        insta::glob!("../../golden/upload", "invalid/*.txt", |path| {
            let file = format!("invalid/{}", name(path));
            let code = path.file_stem().unwrap().to_string_lossy().into_owned();
            let run = |format: &str| {
                let mut cmd = in_golden();
                cmd.args(["validate", "--from", "upload", "--format", format, &file]);
                cmd
            };
            let out = run("human").output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&format!("[{code}]")), "{file} does not report {code}:\n{stderr}");
            assert_cmd_snapshot!("validate", run("human"));
            assert_cmd_snapshot!("validate_json", run("json"));
        });
    });
}

#[test]
fn writer_refuses_what_latin1_cannot_hold() {
    snapshots("upload").bind(|| {
        assert_cmd_snapshot!("convert_upl050", in_golden().args(["convert", "invalid/UPL050.csv", "--to", "upload"]));
    });
}

fn round_trip(file: &str, via: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mid = dir.path().join(format!("mid.{via}"));
    let back = dir.path().join("back.txt");
    assert!(in_golden().args(["-q", "convert", file, "--to", via, "--output"]).arg(&mid).status().unwrap().success());
    assert!(
        in_golden()
            .args(["-q", "convert"])
            .arg(&mid)
            .args(["--to", "upload", "--output"])
            .arg(&back)
            .status()
            .unwrap()
            .success()
    );
    let original = std::fs::read(golden().join("upload").join(file)).unwrap();
    assert!(original == std::fs::read(&back).unwrap(), "{file} changed through {via}");
}

#[test]
fn round_trips_are_byte_identical() {
    for file in ["upload-person.txt", "upload-company-several-claims.txt", "upload-foreign-debtor.txt"] {
        round_trip(file, "json");
        round_trip(file, "csv");
        round_trip(file, "upload");
    }
}

const SPREADSHEET: &str = "Saksnr;Type;Fødselsnr/orgnr;Navn;Etternavn;Adresse;Postnr;Sted;Kundenr;Mobil;E-post;Fakturanr;Fakturadato;Forfall;Beløp;KID;Gjelder;Varslet\n\
A-1;P;01010012356;Ola;Nordmann;Storgata 1;7013;TRONDHEIM;11001;+4791234567;ola@example.no;5001;15.09.2026;01.10.2026;1 500,00;;Varer;01.11.2026\n\
A-1;P;01010012356;Ola;Nordmann;Storgata 1;7013;TRONDHEIM;11001;+4791234567;ola@example.no;5002;20.09.2026;05.10.2026;250,50;;Frakt;01.11.2026\n\
B-1;F;988077917;Kunde 1 AS;;Industriveien 9;0581;OSLO;11002;;;5003;01.09.2026;20.09.2026;10 000,00;;Tjenester;28.10.2026\n";

/// Adds the creditor columns a sheet lacks, as constant columns.
fn with_creditor_columns(sheet: &str) -> String {
    sheet
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l};Orgnr;Klient;Dato;Løpenr;Kreditor\n")
            } else {
                format!("{l};825602232;33220;20.11.2026;20;Testkreditor AS\n")
            }
        })
        .collect()
}

fn write_map(dir: &Path, extra: &str) -> std::path::PathBuf {
    let map = format!(
        r#"{{"delimiter": ";", "decimal": ",", "thousands": " ", "date_format": "%d.%m.%Y", {extra}
  "columns": {{"case_ref": "Saksnr", "debtor_type": "Type", "national_id": "Fødselsnr/orgnr", "first_name": "Navn",
   "last_name": "Etternavn", "street": "Adresse", "postcode": "Postnr", "place": "Sted", "customer_no": "Kundenr",
   "mobile": "Mobil", "email": "E-post", "invoice_no": "Fakturanr", "invoice_date": "Fakturadato", "due_date": "Forfall",
   "remaining_principal": "Beløp", "kid": "KID", "claim_text": "Gjelder", "notice_date": "Varslet",
   "creditor_orgno": "Orgnr", "client_no": "Klient", "creation_date": "Dato", "file_sequence": "Løpenr", "creditor_name": "Kreditor"}}}}"#
    );
    let path = dir.join("map.json");
    std::fs::write(&path, map).unwrap();
    path
}

#[test]
fn spreadsheet_with_a_map_builds_a_complete_upload() {
    let dir = tempfile::tempdir().unwrap();
    let map = write_map(dir.path(), "");
    // creditor columns the sheet lacks come as constant columns
    let sheet = with_creditor_columns(SPREADSHEET);
    let out = run_with_stdin(
        kidkit().args(["--today", TODAY, "convert", "--to", "upload", "--map"]).arg(&map),
        sheet.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text: String = out.stdout.iter().map(|&b| b as char).collect();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines.iter().all(|l| l.chars().count() == 200));
    let types: Vec<&str> = lines.iter().map(|l| &l[..2]).collect();
    assert_eq!(types, ["00", "10", "11", "20", "20", "30", "10", "20", "30", "99"]);
    assert_eq!(&lines[3][52..65], "0000000150000");
    assert_eq!(&lines[9][..42], "990000000200000003+00000000117505000000010");
}

#[test]
fn spreadsheet_problems_are_all_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let map = write_map(dir.path(), "");
    let bad = SPREADSHEET.replace("1 500,00", "15O0,00").replace("05.10.2026", "32.10.2026");
    let sheet = with_creditor_columns(&bad);
    let out_path = dir.path().join("upload.txt");
    let out = run_with_stdin(
        kidkit()
            .args(["--today", TODAY, "convert", "--to", "upload", "--map"])
            .arg(&map)
            .arg("--output")
            .arg(&out_path),
        sheet.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("-:2:15: error[UPL016]: row 2, remaining_principal"), "{err}");
    assert!(err.contains("-:3:14: error[UPL015]: row 3, due_date"), "{err}");
    assert!(!out_path.exists());
}

#[test]
fn characters_outside_latin1_are_refused_with_upl050() {
    let dir = tempfile::tempdir().unwrap();
    let map = write_map(dir.path(), "");
    let sheet = with_creditor_columns(&SPREADSHEET.replace("Varer", "Varer €"));
    let out = run_with_stdin(
        kidkit().args(["--today", TODAY, "convert", "--to", "upload", "--map"]).arg(&map),
        sheet.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[UPL050]: row 2, claim_text: character '€' (U+20AC) is not in ISO-8859-1"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_map_files_name_the_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (map, key) in [
        (r#"{"columns": {"saksnr": "Saksnr"}}"#, "columns.saksnr"),
        (r#"{"colums": {}}"#, "colums"),
        (r#"{"decimal": ";", "columns": {}}"#, "decimal"),
    ] {
        let path = dir.path().join("m.json");
        std::fs::write(&path, map).unwrap();
        let out = run_with_stdin(kidkit().args(["convert", "--to", "upload", "--map"]).arg(&path), b"a;b\n");
        assert_eq!(out.status.code(), Some(2), "{map}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("IO007") && err.contains(key), "{map}: {err}");
    }
}

#[test]
fn personal_numbers_are_masked_unless_asked() {
    let masked = in_golden().args(["validate", "invalid/UPL012.txt"]).output().unwrap();
    let err = String::from_utf8_lossy(&masked.stderr);
    assert!(err.contains("010100*****") && !err.contains("01010012357"), "{err}");
    let shown = in_golden().args(["--show-personal-data", "validate", "invalid/UPL012.txt"]).output().unwrap();
    assert!(String::from_utf8_lossy(&shown.stderr).contains("01010012357"));
}

/// Found by the `upload` fuzz target: the header's columns after its last field were not checked.
#[test]
fn regression_header_rest_must_be_blank() {
    let mut data = std::fs::read(golden().join("upload/upload-person.txt")).unwrap();
    data[150] = b'x';
    let out = run_with_stdin(kidkit().args(["--today", TODAY, "validate", "--format", "ndjson"]), &data);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""line":1,"column":151,"code":"UPL005""#));
}

/// Found by the `upload` fuzz target: an amount padded with blanks instead of zeros was read as
/// a number (and written back zero-padded, changing the file).
#[test]
fn regression_amounts_are_zero_padded_digits() {
    let mut data = std::fs::read(golden().join("upload/upload-person.txt")).unwrap();
    // claim line 4, original principal (columns 40-52): "0000000150000" -> "       150000"
    let start = 3 * 202 + 39;
    assert_eq!(&data[start..start + 13], b"0000000150000");
    data[start..start + 7].copy_from_slice(b"       ");
    let out = run_with_stdin(kidkit().args(["--today", TODAY, "validate"]), &data);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("-:4:40: error[UPL016]") && err.contains("must be an amount in øre, digits only"), "{err}");
}

/// Found by the `upload` fuzz target: a non-breaking space at the end of a field was stripped as
/// if it were padding, so the file changed when written back. Only blanks are padding.
#[test]
fn regression_only_blanks_are_padding() {
    let mut data = std::fs::read(golden().join("upload/upload-person.txt")).unwrap();
    // contact line 3, e-mail (columns 18-77): put U+00A0 (Latin-1 0xA0) after the address
    let at = 2 * 202 + 17 + "ola@example.no".len();
    assert_eq!(data[at], b' ');
    data[at] = 0xA0;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("nbsp.txt");
    std::fs::write(&src, &data).unwrap();
    for via in ["upload", "csv", "json"] {
        let mid = dir.path().join(format!("mid.{via}"));
        let back = dir.path().join("back.txt");
        let ok = kidkit()
            .args(["--today", TODAY, "-q", "convert"])
            .arg(&src)
            .args(["--to", via, "-o"])
            .arg(&mid)
            .status()
            .unwrap();
        assert!(ok.success());
        let target = if via == "upload" { mid.clone() } else { back.clone() };
        if via != "upload" {
            let ok = kidkit()
                .args(["--today", TODAY, "-q", "convert"])
                .arg(&mid)
                .args(["--to", "upload", "-o"])
                .arg(&back)
                .status()
                .unwrap();
            assert!(ok.success());
        }
        assert!(std::fs::read(&target).unwrap() == data, "the non-breaking space was lost through {via}");
    }
}
