//! `validate --report`: the HTML page for support staff, and the page at work in headless
//! Chromium (console clean, filters and sorting working, a screenshot made).
//!
//! The browser test needs Debian's `chromium` (or `KIDKIT_CHROMIUM=/path/to/browser`). Without
//! one it says so and passes, unless `KIDKIT_REQUIRE_TOOLS` is set, as `.ci/run` sets it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{golden, kidkit, snapshots, tool_available};

const FILES: [&str; 4] = [
    "upload/review/several-cases.txt",
    "ocr/invalid/OCR004.ocr",
    "settlement/invalid/SET023.txt",
    "upload/upload-person.txt",
];

/// Runs `validate --report` on [`FILES`] into `dir`, returning the page.
fn report(dir: &Path) -> String {
    let page = dir.join("report.html");
    let out = kidkit()
        .current_dir(golden())
        .args(["--today", "2026-11-25", "validate"])
        .args(FILES)
        .arg("--report")
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(&page).unwrap()
}

#[test]
fn the_page_lists_every_finding_masked_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path());
    // personal numbers masked, on records and in messages
    assert!(!html.contains("01010012357") && !html.contains("01010012356"));
    assert!(html.contains("P<mark title=\"national_id\">010100*****</mark>Kari"), "the field is marked on its record");
    assert_eq!(html.matches("<tbody class=\"finding\"").count(), 12);
    assert!(html.contains("default-src 'none'"));
    for external in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!html.contains(external), "the page must load nothing from outside: {external}");
    }
    // what the page shows, less its fixed style sheet and script
    let body = &html[html.find("<body>").unwrap()..html.find("<script>").unwrap()];
    snapshots("report").bind(|| insta::assert_snapshot!("report_body", body));
}

#[test]
fn an_unwritable_report_fails_with_io004_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing-dir/report.html");
    let out = kidkit()
        .current_dir(golden())
        .args(["validate", "upload/upload-person.txt", "--report"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("IO004"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!target.exists());
}

fn browser() -> Option<PathBuf> {
    match std::env::var_os("KIDKIT_CHROMIUM") {
        Some(p) => Some(p.into()),
        None => tool_available("chromium", "chromium").then(|| "chromium".into()),
    }
}

/// Headless Chromium on `url` with a fresh profile, killed after a minute.
fn headless(browser: &Path, profile: &Path, args: &[&str], url: &str) -> Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} did not finish within a minute", browser.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// What the page's console said (Chromium logs every console message and uncaught error).
fn console(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr).lines().filter(|l| l.contains("CONSOLE")).map(str::to_owned).collect()
}

/// The value of `data-<name>="…"` in a dumped DOM.
fn data(dom: &str, name: &str) -> String {
    let key = format!("data-{name}=\"");
    let at = dom.find(&key).unwrap_or_else(|| panic!("no data-{name} in the page")) + key.len();
    dom[at..at + dom[at..].find('"').unwrap()].to_owned()
}

#[test]
fn the_page_works_in_headless_chromium() {
    let Some(browser) = browser() else { return };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html = report(&dir);
    let url = |name: &str| format!("file://{}", dir.join(name).display());

    // loads without a console message, and its script ran
    let loaded = headless(&browser, &dir.join("profile-1"), &["--dump-dom"], &url("report.html"));
    let dom = String::from_utf8_lossy(&loaded.stdout);
    assert!(console(&loaded).is_empty(), "console: {:?}", console(&loaded));
    assert!(dom.contains("12 of 12 findings shown"), "the script did not run:\n{dom}");

    // a link with a filter opens filtered
    let linked = headless(&browser, &dir.join("profile-2"), &["--dump-dom"], &(url("report.html") + "#code=OCR020"));
    let dom = String::from_utf8_lossy(&linked.stdout);
    assert!(console(&linked).is_empty(), "console: {:?}", console(&linked));
    assert!(dom.contains("1 of 12 findings shown"), "{dom}");
    assert!(
        dom.contains("data-code=\"OCR020\" data-group=\"assignment 0000002\" data-field=\"number_of_transactions\">")
    );
    assert_eq!(dom.matches("<tbody class=\"finding\"").count(), 12);
    assert_eq!(dom.matches("hidden=\"\"").count(), 11);

    // the controls at work: pick a severity, type a case, sort by line descending
    let driver = r#"<script>
const pick = (id, value, event) => { const e = document.getElementById(id); e.value = value; e.dispatchEvent(new Event(event)); };
const visible = () => Array.from(document.querySelectorAll("tbody.finding")).filter((b) => !b.hidden).map((b) => b.dataset.code).join(" ");
pick("severity", "warning", "change");
document.body.dataset.warnings = visible();
pick("severity", "", "change");
pick("search", "S-1001", "input");
document.body.dataset.searched = visible();
pick("search", "", "input");
pick("code", "OCR021", "change");
document.body.dataset.code = visible();
pick("code", "", "change");
const line = document.querySelector('button[data-key="line"]');
line.click();
line.click();
document.body.dataset.lines = Array.from(document.querySelectorAll("tbody.finding")).map((b) => b.dataset.line).join(" ");
document.body.dataset.sort = line.parentElement.getAttribute("aria-sort");
</script>
</body>"#;
    std::fs::write(dir.join("driven.html"), html.replace("</body>", driver)).unwrap();
    let driven = headless(&browser, &dir.join("profile-3"), &["--dump-dom"], &url("driven.html"));
    let dom = String::from_utf8_lossy(&driven.stdout);
    assert!(console(&driven).is_empty(), "console: {:?}", console(&driven));
    assert_eq!(data(&dom, "warnings"), "UPL011");
    assert_eq!(data(&dom, "searched"), "UPL012 UPL017");
    assert_eq!(data(&dom, "code"), "OCR021");
    assert_eq!(data(&dom, "lines"), "30 30 29 29 29 7 6 4 4 2 2 2");
    assert_eq!(data(&dom, "sort"), "descending");

    // and a screenshot, kept beside the test's other output
    let shot = dir.join("report.png");
    let shown = headless(
        &browser,
        &dir.join("profile-4"),
        &[&format!("--screenshot={}", shot.display()), "--window-size=1280,1000"],
        &url("report.html"),
    );
    assert!(console(&shown).is_empty(), "console: {:?}", console(&shown));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "{} is not a screenshot", shot.display());
    eprintln!("screenshot: {}", shot.display());
}
