//! CPU per report page of the default crawl, stage by stage, on the benchmark portal's own
//! pages (`mock_portal::Layout::Synthetic`, what `bench/crawl.sh` crawls):
//!
//! - `analyse/document`: [`nianbao::analyse::document`], extracting and parsing one page alone —
//!   the yardstick the whole crawl's CPU per page is measured against;
//! - `analyse/extract` and `analyse/parse`: its two halves (page body and metadata; tables
//!   and checks);
//! - `store/report`: storing one analysed page in the archive (page, document, report, cells,
//!   checks), in the writer's batched transactions;
//! - `store/index`: the search index of one stored report.
//!
//! `cargo bench --bench pipeline`. The portal runs in-process on 127.0.0.250; its pages are
//! fetched once before the measurements.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use mock_portal::{Layout, Portal, PortalOptions};
use nianbao::analyse::{self, Analysis};
use nianbao::archive::store::NewPage;
use nianbao::archive::Archive;
use nianbao::discover::{discover, LinkKind};
use nianbao::extract::page::extract_detail;
use nianbao::model::DocumentRole;
use nianbao::parse::{self, Hints, Input};
use url::Url;

/// Report pages of the synthetic portal: (URL, bytes).
fn pages(n: usize) -> Vec<(Url, Vec<u8>)> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let portal = Portal::start(PortalOptions {
            first_ip: 250,
            layout: Layout::Synthetic {
                hosts: 1,
                reports_per_host: n,
            },
            ..PortalOptions::default()
        })
        .await
        .expect("portal");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let mut listings = portal.seeds();
        let mut out = Vec::new();
        while let Some(listing) = listings.pop() {
            let body = client.get(listing.clone()).send().await.expect("listing");
            let body = body.text().await.expect("listing body");
            for req in discover(LinkKind::Listing, &listing, &body).requests {
                match req.kind {
                    LinkKind::Detail if out.len() < n => {
                        let resp = client.get(req.url.clone()).send().await.expect("page");
                        let bytes = resp.bytes().await.expect("page body").to_vec();
                        out.push((req.url, bytes));
                    }
                    LinkKind::Listing if out.len() < n => listings.push(req.url),
                    _ => {}
                }
            }
        }
        out
    })
}

fn analyse_one(url: &Url, bytes: &[u8]) -> Analysis {
    analyse::document(&analyse::Document {
        url,
        bytes,
        content_type: Some("text/html; charset=utf-8"),
        content_disposition: None,
        listing_title: None,
        linked_as: Some(DocumentRole::Detail),
        linked_from: None,
    })
}

fn stages(c: &mut Criterion) {
    let pages = pages(40);
    assert!(!pages.is_empty(), "the portal served no report pages");
    let mut group = c.benchmark_group("analyse");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.bench_function("document", |b| {
        b.iter(|| {
            for (url, bytes) in &pages {
                black_box(analyse_one(url, bytes));
            }
        })
    });
    let texts: Vec<(Url, String)> = pages
        .iter()
        .map(|(u, b)| (u.clone(), String::from_utf8_lossy(b).into_owned()))
        .collect();
    group.bench_function("extract", |b| {
        b.iter(|| {
            for (url, html) in &texts {
                black_box(extract_detail(html, url));
            }
        })
    });
    let bodies: Vec<String> = texts
        .iter()
        .map(|(url, html)| extract_detail(html, url).body_html)
        .collect();
    group.bench_function("parse", |b| {
        b.iter(|| {
            for body in &bodies {
                let parsed = parse::parse(Input::Html(body), &Hints::default());
                black_box(parse::checks::evaluate(&parsed.tables));
            }
        })
    });
    group.finish();

    let analyses: Vec<(Url, Vec<u8>, Analysis)> = pages
        .iter()
        .map(|(u, b)| (u.clone(), b.clone(), analyse_one(u, b)))
        .collect();
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(analyses.len() as u64));
    group.sample_size(20);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut round = 0u32;
    group.bench_function("report", |b| {
        b.iter_batched(
            || {
                round += 1;
                let (a, frontier) =
                    fresh_archive(&dir.path().join(format!("s{round}.db")), &analyses);
                // As in a crawl: the search index is built in bulk, measured by `store/index`.
                a.defer_search_index(true).expect("defer");
                (a, frontier)
            },
            |(a, frontier)| {
                a.conn().execute_batch("BEGIN").expect("begin");
                for ((url, bytes, analysis), id) in analyses.iter().zip(&frontier) {
                    store(&a, *id, url, bytes, analysis);
                }
                a.conn().execute_batch("COMMIT").expect("commit");
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("index", |b| {
        b.iter_batched(
            || {
                round += 1;
                let (a, frontier) =
                    fresh_archive(&dir.path().join(format!("i{round}.db")), &analyses);
                a.defer_search_index(true).expect("defer");
                a.conn().execute_batch("BEGIN").expect("begin");
                for ((url, bytes, analysis), id) in analyses.iter().zip(&frontier) {
                    store(&a, *id, url, bytes, analysis);
                }
                a.conn().execute_batch("COMMIT").expect("commit");
                a
            },
            |a| a.flush_search_index().expect("flush"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// A new archive with a run and one detail request per analysed page: (archive, request ids).
fn fresh_archive(
    path: &std::path::Path,
    analyses: &[(Url, Vec<u8>, Analysis)],
) -> (Archive, Vec<i64>) {
    let a = Archive::open(path).expect("archive");
    a.start_run(1).expect("run");
    let ids = analyses
        .iter()
        .map(|(url, _, _)| {
            a.conn()
                .execute(
                    "INSERT INTO frontier (key, url, kind, host, depth, state, discovered_at)
                     VALUES (?1, ?1, 'detail', 'h', 1, 'queued', 0)",
                    [url.as_str()],
                )
                .expect("frontier");
            a.conn().last_insert_rowid()
        })
        .collect();
    (a, ids)
}

fn store(a: &Archive, frontier_id: i64, url: &Url, bytes: &[u8], analysis: &Analysis) {
    let (encoding, text) = analysis.page_text();
    let page = NewPage {
        frontier_id,
        run_id: 1,
        url: url.as_str(),
        final_url: url.as_str(),
        status: 200,
        headers_json: "{}",
        content_type: Some("text/html"),
        etag: None,
        last_modified: None,
        raw: bytes,
        raw_zstd: None,
        raw_sha256: None,
        encoding,
        text,
    };
    a.store_analysed(&page, url.as_str(), None, analysis)
        .expect("store");
}

criterion_group!(benches, stages);
criterion_main!(benches);
