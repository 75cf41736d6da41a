//! The validation report as one self-contained HTML page, for support staff: a summary per file,
//! then every finding in a table that sorts by column and filters by severity, code and text,
//! each finding shown on its record with the field marked.
//!
//! The page loads nothing from outside (its Content-Security-Policy forbids it) and shows only
//! what the findings hold: records and messages arrive with personal numbers already masked by
//! the validators, unless the user asked for them with `--show-personal-data`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, FileReport, Severity};
use crate::render::{plural, visible};

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// What the page says about how it was made.
#[derive(Debug, Clone, Copy)]
pub struct HtmlPage<'a> {
    /// The program and version, e.g. `kidkit 0.3.0`.
    pub generator: &'a str,
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the whole page for `reports`.
pub fn write_html_report(out: &mut dyn Write, reports: &[FileReport], page: &HtmlPage<'_>) -> io::Result<()> {
    let errors: u64 = reports.iter().map(|r| r.errors).sum();
    let warnings: u64 = reports.iter().map(|r| r.warnings).sum();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )?;
    let files = reports.iter().map(|r| r.file.as_str()).collect::<Vec<_>>().join(", ");
    writeln!(out, "<title>Validation report: {}</title>", escape_html(&files))?;
    writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>")?;
    writeln!(out, "<header>\n<h1>Validation report</h1>")?;
    writeln!(
        out,
        "<p class=\"meta\">{} · {} · {} · {}</p>\n</header>",
        escape_html(page.generator),
        plural(reports.len() as u64, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )?;
    write_files(out, reports)?;
    write_findings(out, reports)?;
    writeln!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>")
}

fn write_files(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    writeln!(out, "<section>\n<h2>Files</h2>\n<table class=\"files\">")?;
    writeln!(
        out,
        "<thead><tr><th>File</th><th>Format</th><th class=\"num\">Records</th><th class=\"num\">Errors</th><th class=\"num\">Warnings</th><th>Result</th></tr></thead>\n<tbody>"
    )?;
    for r in reports {
        let verdict = if r.errors > 0 { "invalid" } else { "valid" };
        let omitted = r.omitted;
        let note = if omitted.total() > 0 {
            format!(
                "<div class=\"omitted\">{} counted but not listed (--max-errors)</div>",
                plural(omitted.total(), "more finding")
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"verdict {verdict}\">{verdict}</span>{note}</td></tr>",
            escape_html(&r.file),
            escape_html(&r.format),
            r.records,
            r.errors,
            r.warnings,
        )?;
    }
    writeln!(out, "</tbody>\n</table>\n</section>")
}

fn write_findings(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let all: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.findings).collect();
    let mut codes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut per_severity = [0u64; 2];
    for d in &all {
        *codes.entry(d.code).or_default() += 1;
        per_severity[usize::from(d.severity == Severity::Warning)] += 1;
    }
    writeln!(out, "<section>\n<h2>Findings</h2>\n<div class=\"controls\">")?;
    writeln!(
        out,
        "<label>Severity <select id=\"severity\"><option value=\"\">all</option><option value=\"error\">errors ({})</option><option value=\"warning\">warnings ({})</option></select></label>",
        per_severity[0], per_severity[1]
    )?;
    write!(out, "<label>Code <select id=\"code\"><option value=\"\">all</option>")?;
    for (code, n) in &codes {
        write!(out, "<option value=\"{0}\">{0} ({n})</option>", escape_html(code))?;
    }
    writeln!(out, "</select></label>")?;
    writeln!(out, "<label>Text <input id=\"search\" type=\"search\" placeholder=\"case, field, message\"></label>")?;
    writeln!(out, "<output id=\"shown\">{} shown</output>\n</div>", plural(all.len() as u64, "finding"))?;
    writeln!(out, "<table id=\"findings\">\n<thead><tr>")?;
    for (key, label, number) in [
        ("file", "File", false),
        ("line", "Line", true),
        ("column", "Col", true),
        ("severity", "Severity", false),
        ("code", "Code", false),
        ("group", "Case / assignment", false),
        ("field", "Field", false),
    ] {
        let (class, kind) = if number { (" class=\"num\"", " data-type=\"number\"") } else { ("", "") };
        write!(out, "<th{class}><button type=\"button\" data-key=\"{key}\"{kind}>{label}</button></th>")?;
    }
    writeln!(out, "<th>Message</th></tr></thead>")?;
    if all.is_empty() {
        writeln!(out, "<tbody><tr><td colspan=\"8\" class=\"none\">No findings.</td></tr></tbody>")?;
    }
    for (i, d) in all.iter().enumerate() {
        write_finding(out, i, d)?;
    }
    writeln!(out, "</table>\n</section>")
}

/// One finding: a `<tbody>` (so that sorting and filtering move it whole) with a row of its
/// values and, when it has a record, a row showing the record with the field marked.
fn write_finding(out: &mut dyn Write, order: usize, d: &Diagnostic) -> io::Result<()> {
    let group = escape_html(d.group.as_deref().unwrap_or(""));
    let field = escape_html(d.field.as_deref().unwrap_or(""));
    let file = escape_html(&d.file);
    let code = escape_html(d.code);
    let (line, column, severity) = (d.line, d.column, d.severity);
    writeln!(
        out,
        "<tbody class=\"finding\" data-order=\"{order}\" data-file=\"{file}\" data-line=\"{line}\" data-column=\"{column}\" data-severity=\"{severity}\" data-code=\"{code}\" data-group=\"{group}\" data-field=\"{field}\">"
    )?;
    writeln!(
        out,
        "<tr><td class=\"file\">{file}</td><td class=\"num\">{line}</td><td class=\"num\">{column}</td><td><span class=\"sev {severity}\">{severity}</span></td><td><code>{code}</code></td><td>{group}</td><td class=\"field\">{field}</td><td class=\"msg\">{}</td></tr>",
        escape_html(&d.message)
    )?;
    if let Some(record) = &d.record {
        writeln!(
            out,
            "<tr class=\"record\"><td colspan=\"8\"><div class=\"scroll\"><pre class=\"rec\"><span class=\"gutter\">{line}</span>{}</pre></div></td></tr>",
            marked(record, d)
        )?;
    }
    writeln!(out, "</tbody>")
}

/// The record with the finding's columns inside `<mark>`; a finding past the end of the
/// record marks one empty column there.
fn marked(record: &str, d: &Diagnostic) -> String {
    let chars: Vec<char> = visible(record).chars().collect();
    let start = d.record_column();
    let title = escape_html(d.field.as_deref().unwrap_or(d.code));
    let text = |from: usize, to: usize| escape_html(&chars[from..to].iter().collect::<String>());
    if start >= chars.len() {
        return format!("{}<mark class=\"past-end\" title=\"{title}\"> </mark>", text(0, chars.len()));
    }
    let end = (start + d.width as usize).min(chars.len());
    format!("{}<mark title=\"{title}\">{}</mark>{}", text(0, start), text(start, end), text(end, chars.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Findings;

    fn page(reports: &[FileReport]) -> String {
        let mut out = Vec::new();
        write_html_report(&mut out, reports, &HtmlPage { generator: "kidkit test" }).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn marks_the_field_on_its_record_and_escapes_everything() {
        let mut f = Findings::new("a<b>.txt", None);
        f.push(
            Diagnostic::error("UPL020", 7, 4, "sign must be ' ' or '+', found '<'")
                .field("sign")
                .record("20X<Y&Z")
                .group("case 'S&1'".into()),
        );
        f.push(Diagnostic::warning("UPL001", 8, 9, "short").field("record").record("20ab"));
        let html = page(&[FileReport::new("upload", 9, f)]);
        assert!(
            html.contains(
                "<pre class=\"rec\"><span class=\"gutter\">7</span>20X<mark title=\"sign\">&lt;</mark>Y&amp;Z</pre>"
            ),
            "{html}"
        );
        assert!(html.contains("20ab<mark class=\"past-end\" title=\"record\"> </mark>"), "{html}");
        assert!(html.contains("data-group=\"case &#39;S&amp;1&#39;\""), "{html}");
        assert!(html.contains("<title>Validation report: a&lt;b&gt;.txt</title>"), "{html}");
        assert!(
            html.contains("<option value=\"error\">errors (1)</option><option value=\"warning\">warnings (1)</option>")
        );
        assert!(
            html.contains("<option value=\"UPL001\">UPL001 (1)</option><option value=\"UPL020\">UPL020 (1)</option>")
        );
        assert!(!html.contains("<a<b>"), "nothing unescaped");
    }

    #[test]
    fn loads_nothing_from_outside() {
        let html = page(&[FileReport::new("ocr-giro", 0, Findings::new("x", None))]);
        assert!(html.contains("default-src 'none'"));
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
        assert!(html.contains("No findings."));
    }
}
