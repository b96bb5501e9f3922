//! Parse throughput per layout, in reports per second on one core (criterion's elements/s):
//! an HTML page (Shanghai 2019: 36 KB, three tables), pipe rows (seed 000), one cell per line
//! (seed 003), tab-separated PDF text with lost cells (seed 004), `pdftotext -layout` text
//! (Huaian 2024), and the checks alone; for HTML also the reader alone (`html-read`: tokens,
//! tables, running text) and html5ever's DOM alone (`html5ever-only`, what the reader replaced).
//! Target: ≥ 1,000 HTML reports/s.
//!
//! `cargo bench --bench parse`
//!
//! Figures: the machine is shared, so compare with `html5ever-only` from the same run. In CPU
//! time per call (best of 15 rounds, so other jobs count less), `html/shanghai-2019` takes
//! ≈0.38 ms (≈2,600 reports/s; ≈1.15 ms, ≈870/s with the scraper-based reader), `html-read`
//! ≈0.17 ms, `html5ever-only` ≈0.75 ms. Criterion's wall time on the loaded machine: `html`
//! 0.77–1.1 ms against `html5ever-only` 2.0–2.2 ms in the same runs (before: 2.1–2.7 ms
//! against 1.6–2.3 ms).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nianbao::parse::{self, checks, Hints, Input};
use std::hint::black_box;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parse")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn layouts(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(1));
    let hints = Hints::default();
    let html = fixture("shanghai-2019-office.html");
    group.bench_function("html/shanghai-2019", |b| {
        b.iter(|| parse::parse(Input::Html(black_box(&html)), &hints))
    });
    for (layout, name) in [
        ("pipe", "seed000-xixia-2024-pipe.txt"),
        ("cell-per-line", "seed003-beihai-2024-cell-per-line.txt"),
        ("tab", "seed004-huangzhong-2023-tab.txt"),
        ("layout", "huaian-2024-city.layout.txt"),
        ("legacy", "seed002-hongsibu-2014-legacy.txt"),
    ] {
        let text = fixture(name);
        group.bench_function(format!("text-{layout}/{name}"), |b| {
            b.iter(|| parse::parse(Input::Text(black_box(&text)), &hints))
        });
    }
    // The HTML parser alone (html5ever via scraper), the floor under the HTML path.
    group.bench_function("html5ever-only/shanghai-2019", |b| {
        b.iter(|| scraper::Html::parse_document(black_box(&html)))
    });
    // The HTML reader alone: tokens, tables and running text, no table reading.
    group.bench_function("html-read/shanghai-2019", |b| {
        b.iter(|| parse::html_table_grids(black_box(&html)))
    });
    let grids = parse::html_table_grids(&html);
    group.bench_function("grids/shanghai-2019", |b| {
        b.iter(|| {
            parse::parse(
                Input::Grids {
                    grids: black_box(&grids),
                    text: "",
                },
                &hints,
            )
        })
    });
    let report = parse::parse(Input::Html(&html), &hints);
    group.bench_function("checks/shanghai-2019", |b| {
        b.iter(|| checks::evaluate(black_box(&report.tables)))
    });
    group.finish();
}

criterion_group!(benches, layouts);
criterion_main!(benches);
