//! Creditor upload validation: cases per second.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_core::{PersonRules, Severity};
use kidkit_upload::{CheckOptions, check};

fn upload(c: &mut Criterion) {
    let cases = 20_000;
    let mut data = Vec::new();
    kidkit_benches::write_upload_file(&mut data, cases, 1).unwrap();
    let opts = CheckOptions {
        kid_check: Some(Severity::Error),
        person: PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false },
        show_personal_data: false,
        max_errors: None,
    };
    let mut g = c.benchmark_group("upload");
    g.throughput(Throughput::Elements(cases));
    g.sample_size(10);
    g.bench_function("validate_cases", |b| {
        b.iter(|| {
            let out = check(black_box(&data[..]), "bench", &opts, None).unwrap();
            assert_eq!(out.report.errors, 0);
        });
    });
    g.finish();
}

criterion_group!(benches, upload);
criterion_main!(benches);
