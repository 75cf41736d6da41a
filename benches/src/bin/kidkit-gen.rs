//! Writes deterministic test files of any size to stdout.
//!
//! `kidkit-gen ocr SIZE [SEED]` — a valid OCR giro file of about SIZE bytes (`10M`, `1G`).
//! `kidkit-gen upload CASES [SEED]` — a valid creditor upload.
//! `kidkit-gen settlement LINES [SEED]` — a valid settlement.
//! `kidkit-gen match ITEMS PAYMENTS DIR [SEED]` — `DIR/open-items.csv` and `DIR/payments.csv`,
//! and on stdout the counts and sums `kidkit match` must report.

use std::io::{self, Write};
use std::process::ExitCode;

fn parse_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

fn matching(args: &[String]) -> io::Result<()> {
    let (Some(items), Some(payments), Some(dir)) =
        (args.first().and_then(|s| parse_size(s)), args.get(1).and_then(|s| parse_size(s)), args.get(2))
    else {
        return Err(io::Error::other("usage: kidkit-gen match ITEMS PAYMENTS DIR [SEED]"));
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let open = io::BufWriter::new(std::fs::File::create(dir.join("open-items.csv"))?);
    let pay = io::BufWriter::new(std::fs::File::create(dir.join("payments.csv"))?);
    let e = kidkit_benches::matching::write_matching(
        open,
        pay,
        items,
        payments,
        kidkit_benches::matching::Mix::default(),
        seed,
    )?;
    let mut out = io::stdout().lock();
    for (name, count) in kidkit_benches::matching::STATUSES.iter().zip(e.counts) {
        writeln!(out, "{name} {count}")?;
    }
    writeln!(
        out,
        "paid {}\napplied {}\nsurplus {}\nopen_left {} {}",
        e.paid, e.applied, e.surplus, e.open_left.0, e.open_left.1
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("match") {
        return match matching(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                let _ = writeln!(io::stderr(), "kidkit-gen: {e}");
                ExitCode::from(2)
            }
        };
    }
    let usage = "usage: kidkit-gen ocr SIZE [SEED]   (SIZE like 10M or 1G)\n       kidkit-gen upload CASES [SEED]   (CASES like 1000000)\n       kidkit-gen settlement LINES [SEED]\n       kidkit-gen match ITEMS PAYMENTS DIR [SEED]";
    let (Some(kind), Some(size)) = (args.first(), args.get(1).and_then(|s| parse_size(s))) else {
        let _ = writeln!(io::stderr(), "{usage}");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let result = match kind.as_str() {
        "ocr" => kidkit_benches::write_ocr_file(io::stdout().lock(), size, seed).map(|s| {
            let _ = writeln!(io::stderr(), "{} transactions, {} records", s.transactions, s.records);
        }),
        "upload" => kidkit_benches::write_upload_file(io::stdout().lock(), size, seed).map(|claims| {
            let _ = writeln!(io::stderr(), "{size} cases, {claims} claims");
        }),
        "settlement" => kidkit_benches::write_settlement_file(io::stdout().lock(), size, seed),
        _ => {
            let _ = writeln!(io::stderr(), "{usage}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "kidkit-gen: {e}");
            ExitCode::from(2)
        }
    }
}
