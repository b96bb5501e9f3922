//! robots.txt oddities: redirects (followed up to five hops within scope; off scope or round
//! in circles it is unavailable, RFC 9309), 5xx and stalls (the host waits for the next run;
//! a run that crawled nothing exits 4), huge and garbage files (the first 500 KiB are read), a
//! Crawl-delay of a day (the host is deferred, not waited for), and Ctrl-C while a host sleeps
//! on its Crawl-delay.

use std::time::Duration;

use super::server::{Hostile, Reply};
use super::{column, hostile_workdir, report_at, report_link, stderr, COLUMN, LIMIT};
use crate::util::{assert_ok, count, strings};

/// A column linking report 0, and report 1 under `/zfxxgknb/private/`; `robots` answers
/// `/robots.txt` and anything else it knows.
fn site(
    robots: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static,
) -> impl Fn(&str) -> Reply + Send + Sync + 'static {
    move |path: &str| {
        if let Some(r) = robots(path) {
            return r;
        }
        match path {
            COLUMN => column(&[
                report_link(0, None),
                report_link(1, Some("/zfxxgknb/private/t20240126_1.html")),
            ]),
            "/zfxxgknb/private/t20240126_1.html" => Reply::html(super::report_page(1)),
            _ => report_at(path).unwrap_or(Reply::status(404)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_redirects_are_followed_and_obeyed() {
    let s = Hostile::start(
        214,
        site(|path| match path {
            "/robots.txt" => Some(Reply::redirect(302, "/seo/robots.txt")),
            "/seo/robots.txt" => Some(Reply::redirect(301, "/seo/real-robots.txt")),
            "/seo/real-robots.txt" => {
                Some(Reply::text("User-agent: *\nDisallow: /zfxxgknb/private/\n"))
            }
            _ => None,
        }),
    )
    .await;
    let w = hostile_workdir("");
    let out = w.crawl_within(LIMIT, &[s.url(COLUMN)], &[]).await;
    assert_ok(&out);
    assert_eq!(count(&w.archive(), "SELECT count(*) FROM reports"), 1);
    assert_eq!(
        s.count(|p| p.starts_with("/zfxxgknb/private/")),
        0,
        "the rules read through two redirects are obeyed"
    );
    assert_eq!(s.count(|p| p == "/seo/real-robots.txt"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_redirecting_off_scope_or_in_circles_is_unavailable() {
    let elsewhere =
        Hostile::start(215, |_: &str| Reply::text("User-agent: *\nDisallow: /\n")).await;
    let target = elsewhere.url("/robots.txt").to_string();
    let off = Hostile::start(
        215,
        site(move |path| (path == "/robots.txt").then(|| Reply::redirect(302, &target))),
    )
    .await;
    let circle = Hostile::start(
        215,
        site(|path| match path {
            "/robots.txt" | "/b.txt" => Some(Reply::redirect(302, "/a.txt")),
            "/a.txt" => Some(Reply::redirect(302, "/b.txt")),
            _ => None,
        }),
    )
    .await;
    let w = hostile_workdir("");
    let out = w
        .crawl_within(LIMIT, &[off.url(COLUMN), circle.url(COLUMN)], &[])
        .await;
    assert_ok(&out);
    assert_eq!(
        elsewhere.hits().len(),
        0,
        "scope is never left, not even for robots.txt"
    );
    // Unavailable means allowed: both hosts crawled, the report under /private/ too.
    assert_eq!(count(&w.archive(), "SELECT count(*) FROM reports"), 2);
    let robots_hops = circle.count(|p| p.ends_with(".txt"));
    assert_eq!(
        robots_hops,
        6,
        "robots.txt and five redirects: {:?}",
        circle.hits()
    );
    let statuses = strings(
        &w.archive(),
        "SELECT robots_status FROM hosts ORDER BY host",
    );
    assert!(
        statuses.iter().all(|s| s.starts_with("allow_all")),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_robots_txt_everywhere_means_nothing_crawled_exit_4() {
    let five_hundred = Hostile::start(
        216,
        site(|p| (p == "/robots.txt").then(|| Reply::status(500))),
    )
    .await;
    let stall = Hostile::start(216, site(|p| (p == "/robots.txt").then_some(Reply::Stall))).await;
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.216:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        url::Url::parse(&format!("http://{addr}{COLUMN}")).unwrap()
    };
    let w = hostile_workdir("");
    let out = w
        .crawl_within(
            LIMIT,
            &[five_hundred.url(COLUMN), stall.url(COLUMN), refused],
            &[],
        )
        .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing crawled"), "{}", stderr(&out));
    let a = w.archive();
    assert_eq!(
        count(
            &a,
            "SELECT count(*) FROM hosts WHERE state = 'robots_unreachable'"
        ),
        3
    );
    assert_eq!(
        count(&a, "SELECT count(*) FROM frontier WHERE state = 'queued'"),
        3,
        "the seeds wait for the next run"
    );
    assert_eq!(five_hundred.count(|p| p != "/robots.txt"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_and_garbage_robots_txt_are_read_up_to_500_kib() {
    let endless = Hostile::start(
        217,
        site(|p| {
            (p == "/robots.txt").then(|| Reply::Endless {
                content_type: "text/plain".into(),
            })
        }),
    )
    .await;
    let garbage = Hostile::start(
        217,
        site(|p| {
            (p == "/robots.txt").then(|| {
                Reply::ok(
                    "application/octet-stream",
                    (0..4096u32)
                        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                        .collect::<Vec<u8>>(),
                )
            })
        }),
    )
    .await;
    let w = hostile_workdir("");
    let out = w
        .crawl_within(LIMIT, &[endless.url(COLUMN), garbage.url(COLUMN)], &[])
        .await;
    assert_ok(&out);
    assert_eq!(count(&w.archive(), "SELECT count(*) FROM reports"), 2);
    assert_eq!(
        endless.count(|p| p == "/robots.txt"),
        1,
        "read once, cut at 500 KiB"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_delay_of_a_day_defers_the_host_to_the_next_run() {
    let s = Hostile::start(
        218,
        site(|p| (p == "/robots.txt").then(|| Reply::text("User-agent: *\nCrawl-delay: 86400\n"))),
    )
    .await;
    let w = hostile_workdir("");
    let out = w.crawl_within(LIMIT, &[s.url(COLUMN)], &[]).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let a = w.archive();
    let (state, error): (String, String) = a
        .conn()
        .query_row("SELECT state, last_error FROM hosts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(state, "deferred");
    assert!(error.contains("Crawl-delay 86400"), "{error}");
    assert_eq!(s.count(|p| p != "/robots.txt"), 0);
    assert_eq!(
        count(&a, "SELECT count(*) FROM frontier WHERE state = 'queued'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_abandons_a_host_sleeping_on_its_crawl_delay_and_the_next_run_resumes() {
    let s = Hostile::start(
        219,
        site(|p| (p == "/robots.txt").then(|| Reply::text("User-agent: *\nCrawl-delay: 86400\n"))),
    )
    .await;
    // Allowed to obey a day-long Crawl-delay: after robots.txt the host sleeps for a day.
    let w = hostile_workdir("max_crawl_delay_secs = 100000.0");
    let mut cmd = tokio::process::Command::new(crate::util::bin());
    cmd.args(w.base_args())
        .args(["crawl", "--seed", s.url(COLUMN).as_str()])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let child = cmd.spawn().unwrap();
    s.wait_for(LIMIT, |log| log.iter().any(|p| p == "/robots.txt"))
        .await;
    // Wait for the host's robots.txt to be recorded: from then on it only sleeps.
    let mut parsed = 0;
    for _ in 0..1200 {
        if w.db.exists() {
            parsed = count(
                &w.archive(),
                "SELECT count(*) FROM hosts WHERE crawl_delay_secs = 86400",
            );
        }
        if parsed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(parsed, 1, "robots.txt recorded");
    let pid = child.id().unwrap().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = tokio::time::timeout(LIMIT, child.wait_with_output())
        .await
        .expect("Ctrl-C ends the crawl while its only host sleeps")
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (status, _) = w.last_run();
    assert_eq!(status, "interrupted", "the next run resumes it");
    assert_eq!(
        s.count(|p| p != "/robots.txt"),
        0,
        "nothing fetched meanwhile"
    );
    assert_eq!(
        count(
            &w.archive(),
            "SELECT count(*) FROM frontier WHERE state = 'queued'"
        ),
        1,
        "the seed waits for the next run"
    );
}
