//! Slow servers: a response head trickled a byte at a time (slowloris), a body trickled
//! forever, a server that reads the request and never answers. Each trips the whole-request
//! timeout (a byte now and then never trips the read timeout), is retried and recorded as
//! failed with the reason; the rest of the site is crawled.

use std::time::Duration;

use super::server::{Hostile, Reply};
use super::{column, hostile_workdir, report_at, report_link, report_path, LIMIT};
use crate::util::{assert_ok, count};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_heads_and_bodies_and_stalls_time_out_and_the_rest_is_crawled() {
    let every = Duration::from_millis(300);
    let s = Hostile::start(220, move |path: &str| match path {
        "/robots.txt" => Reply::status(404),
        super::COLUMN => column(&(0..4).map(|k| report_link(k, None)).collect::<Vec<_>>()),
        p if p == report_path(1) => Reply::Trickle {
            head_too: true,
            every,
        },
        p if p == report_path(2) => Reply::Trickle {
            head_too: false,
            every,
        },
        p if p == report_path(3) => Reply::Stall,
        p => report_at(p).unwrap_or(Reply::status(404)),
    })
    .await;
    let w = hostile_workdir("");
    let out = w.crawl_within(LIMIT, &[s.url(super::COLUMN)], &[]).await;
    assert_ok(&out);
    let a = w.archive();
    assert_eq!(count(&a, "SELECT count(*) FROM reports"), 1);
    for k in 1..=3 {
        let url = s.url(&report_path(k));
        let (state, error): (String, String) = a
            .conn()
            .query_row(
                "SELECT state, last_error FROM frontier WHERE url = ?1",
                [url.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(state, "failed", "{url}");
        assert!(error.contains("timeout"), "{url}: {error}");
        assert_eq!(
            s.count(|p| p == report_path(k)),
            2,
            "{url}: one attempt and one retry"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_of_a_day_defers_the_host_in_this_run_and_the_next() {
    let s = Hostile::start(223, |path: &str| match path {
        "/robots.txt" => Reply::status(404),
        _ => Reply::status(503).header("Retry-After", "86400"),
    })
    .await;
    let w = hostile_workdir("");
    let host_error = |w: &crate::util::Workdir| -> (String, String) {
        w.archive()
            .conn()
            .query_row("SELECT state, last_error FROM hosts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    let out = w.crawl_within(LIMIT, &[s.url(super::COLUMN)], &[]).await;
    assert_eq!(out.status.code(), Some(4), "{}", super::stderr(&out));
    let (state, error) = host_error(&w);
    assert_eq!(state, "deferred");
    assert!(error.contains("Retry-After 86400"), "{error}");
    // The request waits in the archive, due when the server asked.
    let a = w.archive();
    assert_eq!(
        count(&a, "SELECT count(*) FROM frontier WHERE state = 'queued' AND next_attempt_at > strftime('%s','now') * 1000 + 80000000"),
        1
    );
    drop(a);
    // The next run does not sit out the day either: it defers the host at once.
    let out = w.crawl_within(LIMIT, &[], &[]).await;
    assert_eq!(out.status.code(), Some(4), "{}", super::stderr(&out));
    let (_, error) = host_error(&w);
    assert!(error.contains("next request due in"), "{error}");
    assert_eq!(
        s.count(|p| p == super::COLUMN),
        1,
        "asked once, not again before the day is out"
    );
}
