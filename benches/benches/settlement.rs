//! Settlement validation: lines per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_core::Severity;
use kidkit_settlement::{CheckOptions, check};

fn settlement(c: &mut Criterion) {
    let lines = 50_000;
    let mut data = Vec::new();
    kidkit_benches::write_settlement_file(&mut data, lines, 1).unwrap();
    let opts = CheckOptions { kid_check: Some(Severity::Error), max_errors: None };
    let mut g = c.benchmark_group("settlement");
    g.throughput(Throughput::Elements(lines));
    g.sample_size(10);
    g.bench_function("validate_lines", |b| {
        b.iter(|| {
            let out = check(black_box(&data[..]), "bench", &opts, None).unwrap();
            assert_eq!(out.report.errors, 0, "{:?}", out.report.findings.first());
        });
    });
    g.finish();
}

criterion_group!(benches, settlement);
criterion_main!(benches);
