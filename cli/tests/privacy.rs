//! Personal numbers never reach a person unmasked: every finding kidkit prints about a golden
//! upload, and about uploads changed to put a personal number where the record type does not
//! expect one, is scanned for one.

mod common;

use chrono::NaiveDate;
use common::{golden, kidkit};
use kidkit_core::{PersonRules, check_person_number};

/// Every personal number in `text`: 11 digits alone or within a run of at most 14 digits.
fn personal_numbers(text: &str) -> Vec<String> {
    let rules = PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: true };
    let mut found = Vec::new();
    for run in text.split(|c: char| !c.is_ascii_digit()).filter(|r| (11..=14).contains(&r.len())) {
        for at in 0..=run.len() - 11 {
            if check_person_number(&run[at..at + 11], rules).is_ok() {
                found.push(run.to_owned());
            }
        }
    }
    found
}

/// The uploads to scan: each golden upload, and each with its personal number moved into a
/// company's or public body's record, one digit too long, and into other fields.
fn uploads() -> Vec<(String, String)> {
    let mut files: Vec<_> = ["upload", "upload/invalid", "matching"]
        .iter()
        .flat_map(|d| std::fs::read_dir(golden().join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && p.to_string_lossy().contains("upload"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // (what, the text replaced, by what)
        let mutations = [
            ("as it is", "", ""),
            ("company", "P01010012356", "F01010012356"),
            ("public body", "P01010012356", "O01010012356"),
            ("one digit long", "01010012356Ola ", "010100123560Ola"),
            ("in the case ref", "A-1001     ", "01010012356"),
            ("in the claim text", "Varer levert", "Ref 01010012356 "),
        ];
        for (what, from, to) in mutations {
            let changed = if from.is_empty() { text.clone() } else { text.replace(from, to) };
            out.push((format!("{name} ({what})"), changed));
        }
    }
    out
}

#[test]
fn no_finding_shows_a_personal_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut scanned = 0;
    for (what, text) in uploads() {
        let file = dir.path().join("upload.txt");
        std::fs::write(&file, &text).unwrap();
        let html = dir.path().join("report.html");
        let runs: [&[&str]; 4] = [
            &["validate"],
            &["validate", "--format", "json"],
            &["validate", "--format", "ndjson"],
            &["match", "--payments", "-", "--open-items"],
        ];
        for args in runs {
            let mut cmd = kidkit();
            cmd.args(["--today", "2026-11-25"]).args(args).arg(&file);
            if args[0] == "validate" && args.len() == 1 {
                cmd.arg("--report").arg(&html);
            }
            let out = common::run_with_stdin(&mut cmd, b"");
            let printed = [String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)].concat();
            assert_eq!(personal_numbers(&printed), Vec::<String>::new(), "{what} {args:?}:\n{printed}");
            scanned += 1;
        }
        if let Ok(page) = std::fs::read_to_string(&html) {
            assert_eq!(personal_numbers(&page), Vec::<String>::new(), "{what}: the HTML report");
            std::fs::remove_file(&html).unwrap();
        }
    }
    assert!(scanned > 100, "{scanned}");
    // with --show-personal-data they are shown
    let out = kidkit()
        .args(["--show-personal-data", "validate"])
        .arg(golden().join("upload/invalid/UPL006.txt"))
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stderr);
    assert!(!personal_numbers(&printed).is_empty(), "{printed}");
}

#[test]
fn id_check_masks_a_personal_number_whatever_type_is_asked() {
    for kind in ["orgnr", "account", "iban", "fnr"] {
        let out = kidkit().args(["id", "check", "--type", kind, "01010012356"]).output().unwrap();
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(printed.starts_with("010100*****: "), "{kind}: {printed}");
    }
    let out = kidkit().args(["id", "check", "01.01.00.12356"]).output().unwrap();
    assert_eq!(personal_numbers(&String::from_utf8_lossy(&out.stdout).replace('.', "")), Vec::<String>::new());
}
