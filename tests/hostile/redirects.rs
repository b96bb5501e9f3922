//! Redirect tricks: a redirect off scope (recorded, never followed), a chain longer than
//! `max_redirects` (given up with the reason), a redirect to a non-HTTP scheme, and a redirect
//! to a report (followed: the report is stored with the URL it was found at). Loops are in
//! `faults.rs`; robots.txt redirects in `robots.rs`.

use super::server::{Hostile, Reply};
use super::{column, hostile_workdir, report_at, report_link, report_path, LIMIT};
use crate::util::{assert_ok, count, strings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_off_scope_past_the_limit_or_to_other_schemes_are_not_followed() {
    let elsewhere = Hostile::start(222, |p: &str| report_at(p).unwrap_or(Reply::status(404))).await;
    let off = elsewhere.url(&report_path(0)).to_string();
    let s = Hostile::start(222, move |path: &str| {
        let hop = |n: usize| format!("/chain/{n}.html");
        match path {
            "/robots.txt" => Reply::status(404),
            super::COLUMN => column(&[
                report_link(1, Some("/go/off.html")),
                report_link(2, Some("/chain/0.html")),
                report_link(3, Some("/go/ftp.html")),
                report_link(4, Some("/go/report.html")),
            ]),
            "/go/off.html" => Reply::redirect(302, &off),
            "/go/ftp.html" => Reply::redirect(301, "ftp://127.0.0.222/x.html"),
            "/go/report.html" => Reply::redirect(302, &report_path(4)),
            p if p.starts_with("/chain/") => {
                let n: usize = p[7..].trim_end_matches(".html").parse().unwrap_or(0);
                Reply::redirect(302, &hop(n + 1))
            }
            p => report_at(p).unwrap_or(Reply::status(404)),
        }
    })
    .await;
    let w = hostile_workdir("max_redirects = 5");
    let out = w.crawl_within(LIMIT, &[s.url(super::COLUMN)], &[]).await;
    assert_ok(&out);
    assert!(elsewhere.hits().is_empty(), "{:?}", elsewhere.hits());
    assert_eq!(
        s.count(|p| p.starts_with("/chain/")),
        6,
        "the first hop and five redirects: {:?}",
        s.hits()
    );
    let a = w.archive();
    let errors = strings(
        &a,
        "SELECT last_error FROM frontier WHERE state = 'failed' ORDER BY url",
    );
    assert!(
        errors.iter().any(|e| e.contains("more than 5 redirects")),
        "{errors:?}"
    );
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.contains("redirect out of scope"))
            .count(),
        2,
        "{errors:?}"
    );
    let urls = strings(&a, "SELECT url FROM report_urls");
    assert_eq!(count(&a, "SELECT count(*) FROM reports"), 1, "{urls:?}");
    assert!(
        urls.iter().any(|u| u.ends_with(&report_path(4))),
        "{urls:?}"
    );
}
