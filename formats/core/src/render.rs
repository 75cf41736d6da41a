//! Writing findings for people (compiler style, with the record and a caret under the column)
//! and for tools (JSON, NDJSON).

use std::io::{self, Write};
use std::time::Duration;

use serde_json::json;

use crate::diagnostic::{Diagnostic, FileReport};

/// How human output looks: plain, or coloured with ANSI escapes (the caller decides, from the
/// terminal, `NO_COLOR` and `--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Colour the severity, code, gutter and underline.
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";

impl Style {
    /// `text` wrapped in `ansi` when colouring.
    fn paint(self, ansi: &str, text: &str) -> String {
        if self.color { format!("{ansi}{text}{RESET}") } else { text.to_owned() }
    }

    fn severity_colour(severity: crate::Severity) -> &'static str {
        match severity {
            crate::Severity::Error => RED,
            crate::Severity::Warning => YELLOW,
        }
    }
}

/// Writes one finding as a person reads it:
///
/// ```text
/// upload.txt:12:39: error[UPL020]: claim sign must be ' ', '+' or '-', found 'x'
///    |
/// 12 | 20INV-1 ...
///    |                                       ^ sign
/// ```
///
/// In a [`Style`] with colour, the severity and code in red (errors) or yellow
/// (warnings), the message in bold, the gutter in blue, the underline and field name in the
/// severity's colour.
pub fn write_human_styled(out: &mut dyn Write, d: &Diagnostic, style: Style) -> io::Result<()> {
    let sev = Style::severity_colour(d.severity);
    let head = style.paint(sev, &format!("{}[{}]", d.severity, d.code));
    let (file, message) = (visible(&d.file), visible(&d.message));
    writeln!(out, "{file}:{}:{}: {head}: {}", d.line, d.column, style.paint(BOLD, &message))?;
    if let Some(record) = &d.record {
        let gutter = d.line.to_string().len();
        let shown = visible(record);
        let bar = style.paint(BLUE, "|");
        writeln!(out, "{:gutter$} {bar}", "")?;
        writeln!(out, "{} {bar} {}", style.paint(BLUE, &d.line.to_string()), shown)?;
        let pad = d.record_column();
        // no wider than a whole record is ever shown
        let mut mark = "^".repeat((d.width as usize).min(240));
        if let Some(f) = &d.field {
            mark = format!("{mark} {}", visible(f));
        }
        writeln!(out, "{:gutter$} {bar} {:pad$}{}", "", "", style.paint(sev, &mark))?;
    }
    Ok(())
}

/// Replaces control characters with visible stand-ins so a record cannot move the cursor or
/// ring the bell; one character stays one column. Everything from a file (or a file's name)
/// that a person's terminal shows goes through it.
pub fn visible(record: &str) -> String {
    record
        .chars()
        .map(|c| match c {
            '\t' => '→',
            c if c.is_control() => '�',
            c => c,
        })
        .collect()
}

/// [`visible`] for a message of several lines: line breaks stay, every other control
/// character is replaced.
pub fn printable(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// `1 error`, `2 errors`: a count with its noun, plural unless it is one.
pub fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The closing line of a human report, `2 errors, 1 warning in 44 records`, with counts above zero
/// in their colours when the style has colour.
pub fn summary_line_styled(report: &FileReport, style: Style) -> String {
    let count = |n: u64, word: &str, ansi: &str| {
        let text = plural(n, word);
        if n > 0 { style.paint(ansi, &text) } else { text }
    };
    format!(
        "{}: {}, {} in {}",
        visible(&report.file),
        count(report.errors, "error", RED),
        count(report.warnings, "warning", YELLOW),
        plural(report.records, "record")
    )
}

/// How [`write_report`] writes a file's findings for people.
#[derive(Debug, Clone, Copy, Default)]
pub struct Human {
    /// Plain or coloured.
    pub style: Style,
    /// Errors only: no warnings, no summary line.
    pub quiet: bool,
    /// How long the file took, added to the summary line.
    pub elapsed: Option<Duration>,
}

/// Writes a file's findings for people: grouped per case or assignment (a `──` line opens each
/// group with its counts), then `… and N more` when `--max-errors` held some back, then the
/// summary line with the time taken.
pub fn write_report(out: &mut dyn Write, report: &FileReport, how: &Human) -> io::Result<()> {
    let shown: Vec<&Diagnostic> =
        report.findings.iter().filter(|d| !how.quiet || d.severity == crate::Severity::Error).collect();
    let grouped = shown.iter().any(|d| d.group.is_some());
    let mut rest = shown.as_slice();
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|d| d.group == first.group).count();
        let (this, next) = rest.split_at(run);
        if grouped {
            // the group's true counts, with what --max-errors held back; what is shown otherwise
            let shown_errors = this.iter().filter(|d| d.severity == crate::Severity::Error).count() as u64;
            let counted = first.group.as_ref().and_then(|g| report.groups.get(g));
            let (errors, warnings) = match counted {
                Some(c) if !how.quiet => (c.errors, c.warnings),
                Some(c) => (c.errors, 0),
                None => (shown_errors, this.len() as u64 - shown_errors),
            };
            let mut counts = Vec::new();
            if errors > 0 {
                counts.push(plural(errors, "error"));
            }
            if warnings > 0 {
                counts.push(plural(warnings, "warning"));
            }
            let label = visible(first.group.as_deref().unwrap_or("file"));
            writeln!(out, "{}", how.style.paint(BOLD, &format!("── {label}: {}", counts.join(", "))))?;
        }
        for d in this {
            write_human_styled(out, d, how.style)?;
        }
        rest = next;
    }
    let omitted = report.omitted;
    let more = match (omitted.errors, omitted.warnings) {
        (0, 0) => None,
        (e, _) if how.quiet => (e > 0).then(|| plural(e, "more error")),
        (e, 0) => Some(plural(e, "more error")),
        (0, w) => Some(plural(w, "more warning")),
        (e, w) => Some(format!("{} and {}", plural(e, "more error"), plural(w, "more warning"))),
    };
    if let Some(more) = more {
        writeln!(out, "… and {more}, counted but not shown (--max-errors)")?;
    }
    if !how.quiet {
        write!(out, "{}", summary_line_styled(report, how.style))?;
        if let Some(t) = how.elapsed {
            write!(out, " ({:.2} s)", t.as_secs_f64())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn finding_json(d: &Diagnostic, with_file: bool) -> serde_json::Value {
    let mut v = json!({
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "severity": d.severity,
        "field": d.field,
        "message": d.message,
    });
    if with_file {
        v["file"] = json!(&*d.file);
    }
    v
}

fn summary_json(r: &FileReport) -> serde_json::Value {
    let mut v = json!({
        "file": r.file,
        "format": r.format,
        "records": r.records,
        "errors": r.errors,
        "warnings": r.warnings,
    });
    if r.omitted.total() > 0 {
        v["omitted"] = json!({ "errors": r.omitted.errors, "warnings": r.omitted.warnings });
    }
    v
}

/// `{"files": [{"file", "format", "records", "errors", "warnings", "findings": [...]}]}`, pretty
/// printed, written finding by finding: the document is never built whole in memory.
pub fn write_json_reports(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    out.write_all(b"{\n  \"files\": [")?;
    for (i, r) in reports.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let summary = serde_json::to_string_pretty(&summary_json(r))?;
        write_indented(out, summary.strip_suffix("\n}").unwrap_or(&summary), 4)?;
        out.write_all(b",\n      \"findings\": [")?;
        for (j, d) in r.findings.iter().enumerate() {
            out.write_all(if j == 0 { b"\n" } else { b",\n" })?;
            write_indented(out, &serde_json::to_string_pretty(&finding_json(d, false))?, 8)?;
        }
        out.write_all(if r.findings.is_empty() { &b"]\n    }"[..] } else { &b"\n      ]\n    }"[..] })?;
    }
    out.write_all(if reports.is_empty() { &b"]\n}\n"[..] } else { &b"\n  ]\n}\n"[..] })
}

/// `text` with each line indented by `by` spaces.
fn write_indented(out: &mut dyn Write, text: &str, by: usize) -> io::Result<()> {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        write!(out, "{:by$}{line}", "")?;
    }
    Ok(())
}

/// One finding per line (with `file`), then `{"summary": {...}}` per file.
pub fn write_ndjson_reports(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for r in reports {
        for d in &r.findings {
            serde_json::to_writer(&mut *out, &finding_json(d, true))?;
            writeln!(out)?;
        }
        serde_json::to_writer(&mut *out, &json!({ "summary": summary_json(r) }))?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Findings;

    fn report() -> FileReport {
        let mut f = Findings::new("bank.ocr", None);
        f.push(
            Diagnostic::error("OCR005", 3, 33, "amount (columns 33-49) must be digits, found '0000000000000x100'")
                .field("amount")
                .width(17)
                .record("NY09103000000010101920100000000000000000000x100"),
        );
        f.push(Diagnostic::warning("IO001", 5, 1, "file has no final newline"));
        FileReport::new("ocr-giro", 5, f)
    }

    #[test]
    fn human_shows_record_and_caret() {
        let mut out = Vec::new();
        write_report(&mut out, &report(), &Human::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::assert_snapshot!(text, @r"
        bank.ocr:3:33: error[OCR005]: amount (columns 33-49) must be digits, found '0000000000000x100'
          |
        3 | NY09103000000010101920100000000000000000000x100
          |                                 ^^^^^^^^^^^^^^^^^ amount
        bank.ocr:5:1: warning[IO001]: file has no final newline
        bank.ocr: 1 error, 1 warning in 5 records
        ");
    }

    #[test]
    fn ndjson_has_file_and_summary() {
        let mut out = Vec::new();
        write_ndjson_reports(&mut out, &[report()]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["file"], "bank.ocr");
        assert_eq!(lines[0]["code"], "OCR005");
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[1]["field"], serde_json::Value::Null);
        assert_eq!(lines[2]["summary"]["errors"], 1);
    }

    #[test]
    fn json_is_written_as_serde_would_pretty_print_it() {
        for reports in [vec![], vec![report()], vec![report(), FileReport::new("x", 0, Findings::new("b", None))]] {
            let mut streamed = Vec::new();
            write_json_reports(&mut streamed, &reports).unwrap();
            let files: Vec<_> = reports
                .iter()
                .map(|r| {
                    let mut v = summary_json(r);
                    v["findings"] = r.findings.iter().map(|d| finding_json(d, false)).collect();
                    v
                })
                .collect();
            let whole = serde_json::to_string_pretty(&json!({ "files": files })).unwrap() + "\n";
            assert_eq!(String::from_utf8(streamed).unwrap(), whole);
        }
    }

    #[test]
    fn json_shape() {
        let mut out = Vec::new();
        write_json_reports(&mut out, &[report()]).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["files"][0]["format"], "ocr-giro");
        assert_eq!(v["files"][0]["findings"][0]["column"], 33);
        assert_eq!(v["files"][0]["warnings"], 1);
    }

    #[test]
    fn colour_marks_severity_gutter_and_underline() {
        let r = report();
        let mut out = Vec::new();
        write_human_styled(&mut out, &r.findings[0], Style { color: true }).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("bank.ocr:3:33: \x1b[1;31merror[OCR005]\x1b[0m: \x1b[1mamount"), "{text:?}");
        assert!(text.contains("\x1b[1;34m3\x1b[0m \x1b[1;34m|\x1b[0m NY09"), "{text:?}");
        assert!(text.contains("\x1b[1;31m^^^^^^^^^^^^^^^^^ amount\x1b[0m"), "{text:?}");
        let line = summary_line_styled(&r, Style { color: true });
        assert_eq!(line, "bank.ocr: \x1b[1;31m1 error\x1b[0m, \x1b[1;33m1 warning\x1b[0m in 5 records");
        assert_eq!(summary_line_styled(&r, Style::default()), "bank.ocr: 1 error, 1 warning in 5 records");
    }

    #[test]
    fn findings_are_grouped_and_the_held_back_counted() {
        let case = |name: &str| -> std::sync::Arc<str> { name.into() };
        let mut f = Findings::new("up.txt", Some(3));
        f.push(Diagnostic::error("UPL003", 1, 1, "a"));
        f.push(Diagnostic::error("UPL012", 2, 24, "b").group(case("case 'S-1'")));
        f.push(Diagnostic::warning("UPL011", 6, 3, "c").group(case("case 'S-2'")));
        f.push(Diagnostic::error("UPL020", 7, 39, "d").group(case("case 'S-2'")));
        f.push(Diagnostic::error("UPL017", 9, 66, "e").group(case("case 'S-3'")));
        f.push(Diagnostic::warning("UPL011", 10, 3, "f").group(case("case 'S-3'")));
        let r = FileReport::new("upload", 12, f);
        let mut out = Vec::new();
        let how = Human { elapsed: Some(Duration::from_millis(1234)), ..Human::default() };
        write_report(&mut out, &r, &how).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
        ── file: 1 error
        up.txt:1:1: error[UPL003]: a
        ── case 'S-1': 1 error
        up.txt:2:24: error[UPL012]: b
        ── case 'S-2': 1 error, 1 warning
        up.txt:6:3: warning[UPL011]: c
        up.txt:7:39: error[UPL020]: d
        … and 1 more error and 1 more warning, counted but not shown (--max-errors)
        up.txt: 4 errors, 2 warnings in 12 records (1.23 s)
        ");
        let mut out = Vec::new();
        write_report(&mut out, &r, &Human { quiet: true, ..Human::default() }).unwrap();
        let quiet = String::from_utf8(out).unwrap();
        assert!(quiet.contains("── case 'S-2': 1 error\n"), "{quiet}");
        assert!(quiet.ends_with("… and 1 more error, counted but not shown (--max-errors)\n"), "{quiet}");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("a\u{7}b\tc"), "a�b→c");
    }
}
