//! `kidkit kid` and `kidkit id`: valid, invalid and malformed input, exit codes.

mod common;

use common::{kidkit, run_with_stdin, snapshots};
use insta_cmd::assert_cmd_snapshot;

#[test]
fn kid_check_arguments() {
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!(
            "kid_check_valid",
            kidkit().args(["kid", "check", "123456782", "123456785", "104-", "00"])
        );
        assert_cmd_snapshot!(
            "kid_check_invalid",
            kidkit().args(["kid", "check", "123456782", "123456789", "12a4", "1", "1-2", ""])
        );
    });
}

#[test]
fn kid_check_stdin_with_bad_lines() {
    // CRLF, a blank line, Latin-1 bytes that are not UTF-8, a NUL, no final newline
    let input = b"123456782\r\n\n0000345009\n\xf812\nab\x00c\n104-".to_vec();
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!("kid_check_stdin", kidkit().args(["kid", "check"]).pass_stdin(input));
    });
}

#[test]
fn kid_check_stdin_huge_line_is_reported_by_length() {
    let mut input = b"18\n".to_vec();
    input.extend(std::iter::repeat_n(b'7', 1_000_000));
    input.extend_from_slice(b"\n19\n");
    let out = run_with_stdin(kidkit().args(["kid", "check"]), &input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "18: mod10\n(line of 1000000 bytes): invalid: KID has 1000000 characters, expected 2–25\n19: mod11\n"
    );
}

#[test]
fn kid_check_long_argument_is_not_echoed_whole() {
    let long = "9".repeat(10_000);
    let out = kidkit().args(["kid", "check", &long]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "999999999999999999999999999999… (10000 characters): invalid: KID has 10000 characters, expected 2–25\n"
    );
}

#[test]
fn kid_make() {
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!("kid_make_mod10", kidkit().args(["kid", "make", "--mod10", "12345678", "0000034500"]));
        assert_cmd_snapshot!(
            "kid_make_mod11_bad_body",
            kidkit().args(["kid", "make", "--mod11", "12345678", "104", "1x", "1234567890123456789012345"])
        );
        assert_cmd_snapshot!("kid_make_no_rule", kidkit().args(["kid", "make", "123"]));
        assert_cmd_snapshot!("kid_make_stdin", kidkit().args(["kid", "make", "--mod11"]).pass_stdin("12345678\n104\n"));
    });
}

#[test]
fn made_kids_check_back() {
    let bodies: Vec<String> = (0..200u64).map(|i| (i * 7_919 + 13).to_string()).collect();
    for rule in ["--mod10", "--mod11"] {
        let made = kidkit().args(["kid", "make", rule]).args(&bodies).output().unwrap();
        assert!(made.status.success());
        let kids = String::from_utf8(made.stdout).unwrap();
        let checked = run_with_stdin(kidkit().args(["kid", "check"]), kids.as_bytes());
        assert_eq!(checked.status.code(), Some(0), "{kids}");
    }
}

#[test]
fn id_check() {
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!(
            "id_check_auto",
            kidkit().args([
                "--today",
                "2026-11-25",
                "id",
                "check",
                "988077917",
                "NO 995 525 828 MVA",
                "8601.11.17947",
                "NO93 8601 1117 947",
                "01010012356"
            ])
        );
        assert_cmd_snapshot!(
            "id_check_invalid",
            kidkit().args([
                "--today",
                "2026-11-25",
                "id",
                "check",
                "988077918",
                "1234567",
                "86011117948",
                "NO9486011117947",
                "hello",
                "81010012356"
            ])
        );
        assert_cmd_snapshot!(
            "id_check_typed",
            kidkit().args([
                "--today",
                "2026-11-25",
                "id",
                "check",
                "--type",
                "fnr",
                "01010012356",
                "01010012357",
                "86011117947"
            ])
        );
        assert_cmd_snapshot!(
            "id_check_show_personal_data",
            kidkit().args([
                "--today",
                "2026-11-25",
                "--show-personal-data",
                "id",
                "check",
                "--type",
                "fnr",
                "01010012356"
            ])
        );
    });
}

#[test]
fn future_birth_date_depends_on_today() {
    // 01.01.00 with individual number 5xx is born 2000-01-01: valid in 2026, in the future in 1999
    let v = "01010050";
    let full = (0..100).map(|i| format!("{v}{i:03}")).find(|c| {
        kidkit().args(["--today", "2026-11-25", "id", "check", "--type", "fnr", c]).output().unwrap().status.success()
    });
    if let Some(fnr) = full {
        let out = kidkit().args(["--today", "1999-12-31", "id", "check", "--type", "fnr", &fnr]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains("in the future"));
    }
}

#[test]
fn usage_errors_exit_2() {
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!("bad_today", kidkit().args(["--today", "2026-02-30", "kid", "check", "18"]));
        assert_cmd_snapshot!("unknown_type", kidkit().args(["id", "check", "--type", "ssn", "1"]));
    });
}

#[test]
fn help_and_completions() {
    snapshots("identifiers").bind(|| {
        assert_cmd_snapshot!("help", kidkit().arg("--help"));
        assert_cmd_snapshot!("kid_check_help", kidkit().args(["kid", "check", "--help"]));
    });
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = kidkit().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("kidkit"), "{shell}");
    }
}
