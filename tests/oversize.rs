//! Documents past the parser's size limits (`parse::size`): a report page whose table has more
//! cells than are read is not parsed — `nianbao parse` says why and exits 1, a crawl archives
//! it as a report `unparsed: too large to parse: …` (identified by its bytes, no tables), and
//! its page in the web UI answers. A page just under the limit is read as usual.

use std::sync::Arc;

use axum::http::header;
use axum::routing::get;
use axum::Router;

use nianbao::parse::size::MAX_HTML_CELLS;

use crate::util::{assert_ok, bin, strings, workdir};

const TITLE: &str = "某某市巨表局2024年政府信息公开工作年度报告";

/// A report page whose one table has `rows` rows of 100 cells.
fn page(rows: usize) -> String {
    let row = format!("<tr>{}</tr>\n", "<td>1234</td>".repeat(100));
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{TITLE}</title></head><body>\
         <h1>{TITLE}</h1><div class=\"article\"><p>一、总体情况</p><p>本年度共收到申请12件。</p>\
         <table>{}</table></div></body></html>",
        row.repeat(rows)
    )
}

fn too_large_rows() -> usize {
    MAX_HTML_CELLS / 100 + 10
}

#[test]
fn parse_says_a_page_is_too_large_and_reads_one_under_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    std::fs::write(&big, page(too_large_rows())).unwrap();
    let out = std::process::Command::new(bin())
        .arg("parse")
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    let cells = too_large_rows() * 100;
    assert!(
        said.contains(&format!(
            "not read: too large to parse: {cells} table cells (at most {MAX_HTML_CELLS} are read)"
        )),
        "{said}"
    );
    let small = dir.path().join("small.html");
    std::fs::write(&small, page(MAX_HTML_CELLS / 100 - 10)).unwrap();
    let out = std::process::Command::new(bin())
        .arg("parse")
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_archives_a_page_past_the_limit_as_unparsed_with_the_reason() {
    let listener = tokio::net::TcpListener::bind("127.0.0.94:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let listing = format!(
        "<html><head><meta charset=\"utf-8\"><title>年报</title></head><body>\
         <ul><li><a href=\"/nb/huge.html\">{TITLE}</a></li></ul></body></html>"
    );
    let huge = Arc::new(page(too_large_rows()));
    let html = |body: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body);
    let app = Router::new()
        .route("/nb/index.html", get(move || async move { html(listing) }))
        .route(
            "/nb/huge.html",
            get(move || {
                let h = huge.clone();
                async move { html((*h).clone()) }
            }),
        );
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let w = workdir(50.0, &[], "");
    let seed = url::Url::parse(&format!("{base}/nb/index.html")).unwrap();
    assert_ok(&w.crawl(&[seed], &[]).await);
    server.abort();

    let a = w.archive();
    let status = strings(&a, "SELECT status FROM reports");
    let cells = too_large_rows() * 100;
    assert_eq!(
        status,
        [format!(
            "unparsed: too large to parse: {cells} table cells (at most {MAX_HTML_CELLS} are read)"
        )]
    );
    let records = w.export();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["title"], TITLE);
    assert_eq!(r["year"], 2024);
    for t in ["active", "requests", "appeals"] {
        assert!(r["tables"][t].is_null(), "{t}");
    }
    assert_eq!(r["urls"][0], format!("{base}/nb/huge.html"));
    let state = nianbao::browse::AppState::open(&w.db).unwrap();
    let id = r["id"].as_str().unwrap();
    let req = axum::http::Request::get(format!("/reports/{id}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(nianbao::browse::app(state), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}
