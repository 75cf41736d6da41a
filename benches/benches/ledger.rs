//! Ledger bundles: posting a settlement, and writing and reading each dialect (postings/s).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_core::Severity;
use kidkit_ledger::{Accounts, Collected, Dialect, Options, post, validate, write};
use kidkit_settlement::{CheckOptions, check};

fn ledger(c: &mut Criterion) {
    let lines = 20_000;
    let mut data = Vec::new();
    kidkit_benches::write_settlement_file(&mut data, lines, 1).unwrap();
    let opts = CheckOptions { kid_check: Some(Severity::Error), max_errors: None };
    let mut collected = Collected::default();
    check(&data[..], "bench", &opts, Some(&mut collected)).unwrap();
    let accounts = Accounts::default();
    let bundle = post(&collected, &accounts).unwrap();
    let postings = bundle.postings().count() as u64;
    let dialect_opts = Options::default();

    let mut g = c.benchmark_group("ledger");
    g.sample_size(10);
    g.throughput(Throughput::Elements(lines));
    g.bench_function("post_settlement_lines", |b| b.iter(|| post(black_box(&collected), &accounts).unwrap()));
    g.throughput(Throughput::Elements(postings));
    for d in Dialect::ALL {
        let mut bytes = Vec::new();
        write(d, &bundle, &dialect_opts, &mut bytes).unwrap();
        g.bench_function(format!("write_{}_postings", d.name()), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(bytes.len());
                write(d, black_box(&bundle), &dialect_opts, &mut out).unwrap();
                out
            });
        });
        g.bench_function(format!("validate_{}_postings", d.name()), |b| {
            b.iter(|| {
                let v = validate(d, black_box(&bytes), &dialect_opts);
                assert!(v.bundle.is_some(), "{:?}", v.findings.first());
            });
        });
    }
    g.finish();
}

criterion_group!(benches, ledger);
criterion_main!(benches);
