//! The web UI over an archive built by crawling the bundled mock portal: every report page,
//! every agency page and every list page answers, in HTML and JSON.

use nianbao::browse::AppState;

use super::get;
use crate::util::{assert_ok, portal, strings, workdir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_a_crawled_archive_answers() {
    let p = portal(108).await;
    let w = workdir(50.0, &p.extra_hosts(), "");
    assert_ok(&w.crawl(&p.seeds(), &[]).await);
    p.shutdown().await;

    let a = w.archive();
    let ids = strings(&a, "SELECT id FROM reports ORDER BY id");
    let agencies = strings(
        &a,
        "SELECT DISTINCT agency FROM reports WHERE agency IS NOT NULL ORDER BY agency",
    );
    assert!(!ids.is_empty(), "the crawl archived reports");
    let state = AppState::open(&w.db).unwrap();

    for path in [
        "/",
        "/index.json",
        "/reports",
        "/reports.json",
        "/runs",
        "/runs.json",
        "/reports?status=fail",
        "/reports?q=政府信息公开",
    ] {
        get(&state, path).await;
    }
    let list = get(&state, "/reports.json").await.json();
    assert_eq!(list["total"].as_u64().unwrap() as usize, ids.len());
    for id in &ids {
        let html = get(&state, &format!("/reports/{id}")).await.text();
        assert!(
            !html.contains("<script"),
            "report {id}: no script reaches the page"
        );
        let j = get(&state, &format!("/reports/{id}.json")).await.json();
        assert_eq!(j["id"], id.as_str());
        assert!(!j["urls"].as_array().unwrap().is_empty());
        get(&state, &format!("/reports/{id}/original")).await;
    }
    for ag in &agencies {
        let seg = percent_encoding::utf8_percent_encode(ag, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
        get(&state, &format!("/agencies/{seg}")).await;
        assert_eq!(
            get(&state, &format!("/agencies/{seg}.json")).await.json()["agency"],
            ag.as_str()
        );
    }
    let runs = get(&state, "/runs.json").await.json();
    assert!(!runs["runs"].as_array().unwrap().is_empty());
    assert!(!runs["hosts"].as_array().unwrap().is_empty());
    let search = get(&state, "/reports.json?q=政府信息公开").await.json();
    assert_eq!(search["search_mode"], "fts");
    assert!(
        search["total"].as_u64().unwrap() > 0,
        "the FTS index was filled during the crawl"
    );
}
