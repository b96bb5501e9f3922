//! Crawler traps: a `?page=N` pager that never ends (its last-page link says page
//! 1,000,000,000), calendar folders twelve months wide at every level, and ever-deeper
//! folders. The real reports (15, on the first three pages) must be found, the crawl must end
//! by itself, and the listing pages it fetched must stay few.

use super::server::{Hostile, Reply};
use super::{hostile_workdir, report_page, report_title, stderr, LIMIT};
use crate::util::{assert_ok, count};

/// Reports per productive listing page, and productive pages.
const PER_PAGE: usize = 5;
const PRODUCTIVE_PAGES: usize = 3;

fn listing(items: &str) -> Reply {
    Reply::html(format!(
        "<html><head><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1>\
         <ul>{items}</ul></body></html>"
    ))
}

fn report_link(k: usize) -> String {
    format!(
        "<li><a href=\"/zfxxgknb/202401/t20240126_{k}.html\">{}</a></li>",
        report_title(k)
    )
}

/// The trap portal: `/zfxxgknb/list?page=N`, `/zfxxgknb/rl/…` calendars, `/zfxxgknb/more/…`,
/// and, for the depth test, `/zfxxgknb/d/…` folders each linking one report of its own.
fn trap(path: &str) -> Reply {
    if path == "/robots.txt" {
        return Reply::status(404);
    }
    if let Some(n) = path
        .strip_prefix("/zfxxgknb/list?page=")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let mut items = String::new();
        if (1..=PRODUCTIVE_PAGES).contains(&n) {
            for k in (n - 1) * PER_PAGE..n * PER_PAGE {
                items.push_str(&report_link(k));
            }
        }
        items.push_str(&format!(
            "<li><a href=\"/zfxxgknb/rl/2024/\">2024年</a></li><li><a href=\"/zfxxgknb/more/\">更多</a></li>\
             </ul><div>共1000000000页 <a href=\"list?page={}\">下一页</a> <a href=\"list?page=1000000000\">末页</a></div><ul>",
            n + 1
        ));
        return listing(&items);
    }
    if path.starts_with("/zfxxgknb/rl/") && path.ends_with('/') {
        let items: String = (1..=12)
            .map(|m| format!("<li><a href=\"{path}{m:02}/\">{m}月</a></li>"))
            .collect();
        return listing(&items);
    }
    if path.starts_with("/zfxxgknb/more/") && path.ends_with('/') {
        return listing(&format!("<li><a href=\"{path}more/\">更多</a></li>"));
    }
    if path.starts_with("/zfxxgknb/d/") && path.ends_with('/') {
        let level = path.matches("d/").count();
        return listing(&format!(
            "{}<li><a href=\"{path}d/\">下级栏目</a></li>",
            report_link(100 + level)
        ));
    }
    if let Some(k) = path
        .strip_prefix("/zfxxgknb/202401/t20240126_")
        .and_then(|k| k.strip_suffix(".html"))
        .and_then(|k| k.parse::<usize>().ok())
    {
        return Reply::html(report_page(k));
    }
    Reply::status(404)
}

fn is_report(path: &str) -> bool {
    path.contains("/t20240126_")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_pager_calendars_and_deep_folders_end_by_the_listing_budget() {
    let s = Hostile::start(211, trap).await;
    let w = hostile_workdir("barren_listings_per_seed = 10\nmax_pages = 3000");
    let out = w
        .crawl_within(LIMIT, &[s.url("/zfxxgknb/list?page=1")], &[])
        .await;
    assert_ok(&out);
    let (status, summary) = w.last_run();
    assert_eq!(
        status, "done",
        "the crawl ends by itself, not at --max-pages; {summary}"
    );
    let a = w.archive();
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports") as usize,
        PER_PAGE * PRODUCTIVE_PAGES,
        "every real report found; {}",
        stderr(&out)
    );
    let listings = s.count(|p| p.starts_with("/zfxxgknb/") && !is_report(p));
    // 3 productive pages, 10 barren in a row, and the few already taken when the budget ran out.
    assert!(
        listings <= 30,
        "{listings} listing pages fetched: {:?}",
        s.hits()
    );
    assert!(count(&a, "SELECT count(*) FROM frontier WHERE state = 'skipped'") > 100);
    assert!(
        summary["paging_stopped"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_pages_go_before_the_listing_pages_queued_before_them() {
    let s = Hostile::start(212, trap).await;
    // No listing budget: only the order decides what 40 requests fetch.
    let w = hostile_workdir("barren_listings_per_seed = 0\nmax_pages = 40");
    let out = w
        .crawl_within(LIMIT, &[s.url("/zfxxgknb/list?page=1")], &[])
        .await;
    assert_ok(&out);
    let a = w.archive();
    let reports = s.count(is_report);
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports") as usize,
        PER_PAGE * PRODUCTIVE_PAGES,
        "the reports of the first three pages come within 40 requests, not after the 1,000 \
         listing pages queued before them ({reports} report requests): {:?}",
        s.hits()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_to_listing_hops_count_towards_max_depth() {
    let s = Hostile::start(213, trap).await;
    // Every level links a new report, so the listing budget never runs out: only the depth
    // limit ends this chain of folders.
    let w = hostile_workdir("max_depth = 12\nmax_pages = 150");
    let out = w.crawl_within(LIMIT, &[s.url("/zfxxgknb/d/")], &[]).await;
    assert_ok(&out);
    let (status, _) = w.last_run();
    assert_eq!(
        status,
        "done",
        "the chain ends at max_depth: {:?}",
        s.hits()
    );
    let deepest = s
        .hits()
        .iter()
        .filter(|p| p.starts_with("/zfxxgknb/d/"))
        .map(|p| p.matches("d/").count())
        .max()
        .unwrap_or(0);
    // The seed folder is depth 0 (one "d/"); the folder at depth 12 is fetched, its links
    // (depth 13) are not followed.
    assert_eq!(deepest, 13, "{:?}", s.hits());
    assert_eq!(
        count(&w.archive(), "SELECT count(*) FROM reports"),
        12,
        "the reports of levels 0–11 (depth 1–12)"
    );
}
