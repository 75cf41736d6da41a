//! Matching: reading and indexing open items, reading payments, and applying them (one thread;
//! whole-command figures on both cores are in the README).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_benches::matching::{Mix, write_matching};
use kidkit_matching::{Matcher, Options, Payment};

fn matching(c: &mut Criterion) {
    let n = 200_000u64;
    let (mut items, mut payments) = (Vec::new(), Vec::new());
    let expected = write_matching(&mut items, &mut payments, n, n, Mix::default(), 3).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let read_items = || kidkit_matching::read_open_items(&items[..], "items", None).unwrap().index.unwrap();
    let mut all: Vec<Payment> = Vec::new();
    kidkit_matching::read_payments(&payments[..], "payments", None, |b| {
        all.extend_from_slice(b);
        Ok(())
    })
    .unwrap();

    let mut g = c.benchmark_group("matching");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function("open_items_read_and_index", |b| b.iter(|| pool.install(|| black_box(read_items().len()))));
    g.bench_function("payments_read", |b| {
        b.iter(|| {
            let mut count = 0;
            pool.install(|| {
                kidkit_matching::read_payments(black_box(&payments[..]), "payments", None, |batch| {
                    count += batch.len();
                    Ok(())
                })
            })
            .unwrap();
            count
        });
    });
    g.bench_function("payments_match", |b| {
        b.iter_batched(
            || Matcher::new(read_items(), Options::default()),
            |mut m| {
                let out = pool.install(|| m.match_batch(black_box(&all)));
                assert_eq!(
                    out.iter().filter(|r| r.status == kidkit_matching::Status::Matched).count() as u64,
                    expected.counts[0]
                );
            },
            criterion::BatchSize::LargeInput,
        );
    });
    g.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
