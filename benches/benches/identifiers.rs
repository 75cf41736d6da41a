//! Identifier checks: time per KID (MOD10, MOD11), per account and per fødselsnummer.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kidkit_benches::kids;
use kidkit_core::{KidRule, PersonRules, check_account, check_kid, check_person_number};

fn kid_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("kid_check");
    for (name, rule) in [("mod10", KidRule::Mod10), ("mod11", KidRule::Mod11)] {
        let input = kids(1_000, 15, rule, 1);
        g.throughput(Throughput::Elements(input.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| input.iter().filter(|k| check_kid(black_box(k)).is_ok_and(|v| v.is_valid())).count());
        });
    }
    g.finish();
}

fn other_ids(c: &mut Criterion) {
    let mut g = c.benchmark_group("id_check");
    g.throughput(Throughput::Elements(1));
    g.bench_function("account", |b| b.iter(|| check_account(black_box("86011117947"))));
    let rules = PersonRules { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), allow_2032: false };
    g.bench_function("fnr", |b| b.iter(|| check_person_number(black_box("01010012356"), rules)));
    g.finish();
}

criterion_group!(benches, kid_check, other_ids);
criterion_main!(benches);
