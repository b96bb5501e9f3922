//! Findings: the cost of finding near copies (`analyse::findings::copies`) and of reading a
//! report's prose (`analyse::findings::narrative`).
//!
//! - `signature/*`: mask + MinHash signature + band keys of one real report (seed 001, a
//!   2.5 k-character HTML report; Huaian 2024, 11 k characters of PDF text): what adding one
//!   report to the archive costs before its band keys are stored.
//! - `lookup/100k`, `lookup/1M`: the candidates of one new report in a [`CandidateIndex`] of
//!   10⁵ and 10⁶ synthetic signatures (random minimums, so nearly every look-up finds none, as
//!   for a report copied from nobody): 21 band look-ups, independent of the archive's size
//!   but for the binary search's log n.
//! - `narrative/huaian`: claims and findings of one report against its tables.
//!
//! `cargo bench --bench findings` (a quick run: `CARGO_PROFILE_BENCH_LTO=false cargo bench
//! --bench findings -- --warm-up-time 1 --measurement-time 3`).
//!
//! Figures (this machine, 2 cores shared with other jobs, bench profile without LTO,
//! criterion's median of `--measurement-time 3`): signature/seed001 0.23 ms,
//! signature/huaian 0.48 ms; lookup/100k 4.6–5.1 µs, lookup/1M 9.6–10.6 µs (the index, built
//! untimed: 2.1 M band keys in 0.16 s, 21 M in 1.9 s, 16 bytes each — 336 MB for 10⁶
//! reports); narrative/huaian 0.45 ms.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use nianbao::analyse::findings::copies::{mask, CandidateIndex, Signature, HASHES};
use nianbao::analyse::findings::narrative;
use nianbao::parse::{self, Hints, Input};
use rand::{Rng, SeedableRng};
use std::hint::black_box;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parse")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn signatures(c: &mut Criterion) {
    let mut group = c.benchmark_group("signature");
    for (name, file, agency) in [
        (
            "seed001",
            "seed001-jiangyang-2023-pipe.txt",
            "泸州市江阳区人民政府办公室",
        ),
        ("huaian", "huaian-2024-city.layout.txt", "淮安市人民政府"),
    ] {
        let text = fixture(file);
        group.bench_function(name, |b| {
            b.iter(|| {
                let masked = mask(black_box(&text), Some(agency), None, Some(2024));
                Signature::of(&masked).band_keys()
            })
        });
    }
    group.finish();
}

fn random_signature(rng: &mut impl Rng) -> Signature {
    Signature(std::array::from_fn::<u32, HASHES, _>(|_| rng.random()))
}

fn lookups(c: &mut Criterion) {
    let mut group = c.benchmark_group("lookup");
    group.sample_size(20);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for (label, n) in [("100k", 100_000u32), ("1M", 1_000_000u32)] {
        let started = std::time::Instant::now();
        let index =
            CandidateIndex::build((0..n).map(|i| (i, random_signature(&mut rng).band_keys())));
        eprintln!(
            "lookup/{label}: index of {} band keys built in {:.2?} (untimed)",
            index.len(),
            started.elapsed()
        );
        let queries: Vec<_> = (0..256)
            .map(|_| random_signature(&mut rng).band_keys())
            .collect();
        let mut i = 0;
        group.bench_with_input(BenchmarkId::from_parameter(label), &index, |b, index| {
            b.iter(|| {
                i = (i + 1) % queries.len();
                index.candidates(black_box(&queries[i]))
            })
        });
    }
    group.finish();
}

fn narrative_reading(c: &mut Criterion) {
    let text = fixture("huaian-2024-city.layout.txt");
    let tables = parse::parse(Input::Text(&text), &Hints::default()).tables;
    c.bench_function("narrative/huaian", |b| {
        b.iter(|| narrative::findings(black_box(&text), &tables))
    });
}

criterion_group!(benches, signatures, lookups, narrative_reading);
criterion_main!(benches);
