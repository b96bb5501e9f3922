//! The crawl against hostile servers on 127.0.0.x, every test bounded in time: compression
//! bombs and endless bodies (`bombs`), crawler traps (`traps`), redirect tricks (`redirects`),
//! robots.txt oddities (`robots`), slow and stalling servers (`slow`), a full disk (`disk`).
//! The servers are this module's own small raw-TCP server (`server`), except for the disk tests,
//! which crawl the mock portal. (The mock portal's own traps — a gzip bomb, an endless body, a
//! redirect loop — and injected faults are `faults.rs`.)

mod bombs;
mod disk;
mod redirects;
mod robots;
mod server;
mod slow;
mod traps;

use std::time::Duration;

use crate::util::{fixture, workdir_with, Workdir};

/// Longest any hostile crawl may take before the test fails (none should come near it).
pub const LIMIT: Duration = Duration::from_secs(90);

/// Fast settings for loopback servers that misbehave: one retry, short timeouts, a 1 MB body
/// cap, short caps on Crawl-delay and Retry-After. `extra` lines go in `[crawl]` (a key given
/// there replaces the default) and may open further sections.
pub fn hostile_workdir(extra: &str) -> Workdir {
    let defaults = [
        "rate = 0",
        "concurrency = 8",
        "per_host_concurrency = 2",
        "retries = 1",
        "backoff_base_secs = 0.05",
        "backoff_max_secs = 0.2",
        "connect_timeout_secs = 1.0",
        "read_timeout_secs = 1.0",
        "request_timeout_secs = 2.0",
        "max_body_mb = 1.0",
        "max_retry_after_secs = 2.0",
        "max_crawl_delay_secs = 2.0",
        "revisit_reports_days = 0.0",
    ];
    let key = |line: &str| line.split('=').next().unwrap_or("").trim().to_string();
    let given: Vec<String> = extra.lines().map(key).collect();
    let kept: Vec<&str> = defaults
        .into_iter()
        .filter(|d| !given.contains(&key(d)))
        .collect();
    workdir_with(&format!("[crawl]\n{}\n{extra}\n", kept.join("\n")))
}

/// A real report page (the Jiangyang 2023 report in a TRS page), made distinct by `n`: its
/// agency becomes 江阳{n}区, so each `n` is a report of its own.
pub fn report_page(n: usize) -> String {
    let page = std::fs::read_to_string(fixture("pages/trs_detail.html")).expect("fixture");
    page.replace("江阳区", &format!("江阳{n}区"))
}

/// The listing title of [`report_page`]`(n)`.
pub fn report_title(n: usize) -> String {
    format!("泸州市江阳{n}区人民政府办公室2023年政府信息公开工作年度报告")
}

/// Stderr of a finished command, for messages.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The path of [`report_page`]`(k)` on a hostile server.
pub fn report_path(k: usize) -> String {
    format!("/zfxxgknb/202401/t20240126_{k}.html")
}

/// [`report_page`]`(k)` when `path` is [`report_path`]`(k)`.
pub fn report_at(path: &str) -> Option<server::Reply> {
    let k = path
        .strip_prefix("/zfxxgknb/202401/t20240126_")?
        .strip_suffix(".html")?
        .parse()
        .ok()?;
    Some(server::Reply::html(report_page(k)))
}

/// A 年报 column page linking `links` (href, title).
pub fn column(links: &[(String, String)]) -> server::Reply {
    let items: String = links
        .iter()
        .map(|(href, title)| format!("<li><a href=\"{href}\">{title}</a></li>"))
        .collect();
    server::Reply::html(format!(
        "<html><head><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1>\
         <ul>{items}</ul></body></html>"
    ))
}

/// The column seed of the simple hostile sites: `/zfxxgknb/index.html`.
pub const COLUMN: &str = "/zfxxgknb/index.html";

/// A link to report `k` at `href` (its own path unless given), for [`column`].
pub fn report_link(k: usize, href: Option<&str>) -> (String, String) {
    (
        href.map_or_else(|| report_path(k), str::to_string),
        report_title(k),
    )
}
