//! The shape of the code, held by tests: no module imports itself back through others, and the
//! command line names no format's layout or signature.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's code before its test module, without comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// `a::b` for `src/a/b.rs` and `src/a/b/mod.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    parts.iter().filter(|p| *p != "mod").cloned().collect::<Vec<_>>().join("::")
}

/// The modules of a crate and the modules each one names through `crate::` or `super::`.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let names: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let name = module_of(src, file);
        let parent = name.rsplit_once("::").map_or("", |(p, _)| p).to_owned();
        let text = code(file);
        let mut deps = BTreeSet::new();
        for (prefix, base) in [("crate::", String::new()), ("super::", parent.clone())] {
            for (at, _) in text.match_indices(prefix) {
                let rest = &text[at + prefix.len()..];
                let words: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or_default();
                    group.split(',').map(|p| p.trim().split("::").next().unwrap_or_default().to_owned()).collect()
                } else {
                    vec![rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()]
                };
                for w in words.into_iter().filter(|w| !w.is_empty()) {
                    let full = if base.is_empty() { w } else { format!("{base}::{w}") };
                    if names.contains(&full) && full != name {
                        deps.insert(full);
                    }
                }
            }
        }
        graph.insert(name, deps);
    }
    graph
}

/// A path from `from` back to itself, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in &graph[&node] {
            if next == from {
                let mut p = path.clone();
                p.push(next.clone());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn no_module_imports_itself_back() {
    let mut crates = vec![root().join("cli/src")];
    for entry in std::fs::read_dir(root().join("formats")).unwrap() {
        crates.push(entry.unwrap().path().join("src"));
    }
    let mut found = Vec::new();
    for src in crates {
        let graph = imports(&src);
        for module in graph.keys() {
            if let Some(path) = circle(&graph, module) {
                found.push(format!("{}: {}", src.display(), path.join(" -> ")));
            }
        }
    }
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_command_line_names_no_format_signature() {
    let mut files = Vec::new();
    sources(&root().join("cli/src"), &mut files);
    for file in files {
        let text = code(&file);
        // a signature in a string or byte-string literal
        for signature in ["NY000010", "00KUP1", "H;KKA1", "GBAT10", "@IMPORT_METHOD", "<AuditFile", "customer_no;"] {
            let quoted = format!("\"{signature}");
            assert!(!text.contains(&quoted), "{} spells the signature {signature}", file.display());
        }
    }
}

/// The codes (`OCR011`, `IO006`) written in `text` right after `before` (`"` or `error[`).
fn codes_after(text: &str, before: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices(before) {
        let rest = &text[i + before.len()..];
        let letters = rest.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = rest[letters..].bytes().take_while(u8::is_ascii_digit).count();
        if (2..=4).contains(&letters) && digits == 3 {
            found.insert(rest[..letters + digits].to_owned());
        }
    }
    found
}

#[test]
fn one_code_always_gives_the_same_exit_code() {
    // exit 2: what the command line reports as a failure (`kidkit: error[IO006]: …`, I/O)
    let mut cli = Vec::new();
    sources(&root().join("cli/src"), &mut cli);
    let failures: BTreeSet<String> = cli
        .iter()
        .flat_map(|f| [codes_after(&code(f), "error["), codes_after(&code(f), "code: \"")])
        .flatten()
        .collect();
    assert!(["IO004", "IO006", "IO007", "IO008"].iter().all(|c| failures.contains(*c)), "{failures:?}");
    // exit 1: every code a format's checks report as a finding
    let mut formats = Vec::new();
    sources(&root().join("formats"), &mut formats);
    let findings: BTreeSet<String> = formats.iter().flat_map(|f| codes_after(&code(f), "\"")).collect();
    assert!(findings.contains("OCR011") && findings.contains("IO003"), "{findings:?}");
    let both: Vec<&String> = failures.intersection(&findings).collect();
    assert!(
        both.is_empty(),
        "codes that are a finding (exit 1) in one place and a failure (exit 2) in another: {both:?}"
    );
}

#[test]
fn docs_codes_lists_every_code_and_only_those() {
    let mut files = Vec::new();
    sources(&root().join("formats"), &mut files);
    sources(&root().join("cli/src"), &mut files);
    let used: BTreeSet<String> = files
        .iter()
        .flat_map(|f| {
            let c = code(f);
            [codes_after(&c, "\""), codes_after(&c, "error[")]
        })
        .flatten()
        .filter(|c| !c.starts_with("CAMT"))
        .collect();
    let doc = std::fs::read_to_string(root().join("docs/codes.md")).unwrap();
    let listed: BTreeSet<String> = codes_after(&doc, "| `");
    let missing: Vec<&String> = used.difference(&listed).collect();
    let unused: Vec<&String> = listed.difference(&used).collect();
    assert!(missing.is_empty(), "codes in use that docs/codes.md does not list: {missing:?}");
    assert!(unused.is_empty(), "codes docs/codes.md lists that nothing reports: {unused:?}");
}
