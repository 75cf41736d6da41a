//! OCR giro validation and conversion to CSV, bytes per second, on one core and on all cores.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_core::Severity;
use kidkit_ocr::{Assembler, ReadOptions, RecordOptions, RowFormat, RowWriter, Shape, read};

fn opts() -> ReadOptions {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    ReadOptions {
        record: RecordOptions { kid_check: Some(Severity::Warning), today, lenient: false },
        max_errors: None,
    }
}

fn ocr(c: &mut Criterion) {
    let mut data = Vec::new();
    let stats = kidkit_benches::write_ocr_file(&mut data, 32 << 20, 1).unwrap();
    let mut g = c.benchmark_group("ocr");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        g.bench_function(format!("validate/{threads}-thread"), |b| {
            b.iter(|| {
                let out = pool.install(|| read(black_box(&data[..]), "bench", &opts(), None).unwrap());
                assert_eq!(out.reading.report.records, stats.records);
            });
        });
        g.bench_function(format!("convert_csv/{threads}-thread"), |b| {
            b.iter(|| {
                let first = pool.install(|| read(&data[..], "bench", &opts(), None).unwrap());
                let mut asm =
                    Assembler::new(RowWriter::new(std::io::sink(), Shape::OcrGiro, RowFormat::Csv, first.end_dates));
                pool.install(|| read(black_box(&data[..]), "bench", &opts(), Some(&mut asm)).unwrap());
                assert_eq!(asm.into_inner().rows, stats.transactions);
            });
        });
    }
    g.finish();
}

criterion_group!(benches, ocr);
criterion_main!(benches);
