//! Benchmarks of attachment text extraction: PDF pages per second (the whole path, with the
//! `pdftotext` subprocess, and our layout alone) and DOCX reports per second, one core.
//!
//! `cargo bench --bench attachments`; needs poppler-utils.

use std::path::PathBuf;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nianbao::extract::{docx, pdf};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/attachments")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pdf_pages(c: &mut Criterion) {
    let mut group = c.benchmark_group("pdf");
    group.sample_size(20);
    for name in ["huaian-2024-city.pdf", "hongze-2024-district.pdf"] {
        let bytes = fixture(name);
        let pages = pdf::extract_text(&bytes).map(|t| t.pages).unwrap_or(1);
        group.throughput(Throughput::Elements(pages as u64));
        group.bench_function(format!("extract_text/{name}"), |b| {
            b.iter(|| pdf::extract_text(&bytes))
        });
        // The layout alone, on the word boxes pdftotext printed once.
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/attachments")
            .join(name);
        let out = Command::new("pdftotext")
            .args(["-bbox", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output();
        if let Ok(out) = out {
            let xhtml = String::from_utf8_lossy(&out.stdout).into_owned();
            group.bench_function(format!("layout/{name}"), |b| {
                b.iter(|| pdf::layout::lay_out(&pdf::bbox::parse(&xhtml)))
            });
        }
    }
    group.finish();
}

fn docx_reports(c: &mut Criterion) {
    let mut group = c.benchmark_group("docx");
    let bytes = fixture("shanghai-2019-libreoffice.docx");
    group.throughput(Throughput::Elements(1));
    group.bench_function("extract/shanghai-2019-libreoffice.docx", |b| {
        b.iter(|| docx::extract(&bytes))
    });
    group.finish();
}

criterion_group!(benches, pdf_pages, docx_reports);
criterion_main!(benches);
