//! End to end: the built `nianbao crawl` against the bundled mock portal (several hosts on
//! 127.0.0.x), asserting on the archive and on the portal's request log.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use mock_portal::Portal;

use crate::util::{assert_ok, bin, by_id, count, export_diff, portal, strings, workdir, Workdir};

/// Longest a test waits for the portal or a crawl (none comes near it).
const LIMIT: Duration = Duration::from_secs(120);

/// Await `f`, failing the test if it takes longer than [`LIMIT`].
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, f)
        .await
        .unwrap_or_else(|_| panic!("still waiting after {LIMIT:?}"))
}

/// Crawl the standard portal to the end at `rate`.
async fn full_crawl(p: &Portal, rate: f64) -> Workdir {
    let w = workdir(rate, &p.extra_hosts(), "");
    let out = w.crawl(&p.seeds(), &[]).await;
    assert_ok(&out);
    w
}

/// Which stored report each URL belongs to.
fn report_by_url(w: &Workdir) -> HashMap<String, String> {
    let a = w.archive();
    let mut st = a
        .conn()
        .prepare("SELECT url, report_id FROM report_urls")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_found_once_with_all_its_urls() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let p = portal(20).await;
    let w = full_crawl(&p, 50.0).await;
    let expected = p.expected();
    let by_url = report_by_url(&w);
    let mut ids = BTreeSet::new();
    for r in &expected.reports {
        let found: BTreeSet<&String> = r
            .urls
            .iter()
            .filter_map(|u| by_url.get(u.as_str()))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "report {:?} must map to exactly one archived report; urls {:?} → {found:?}",
            r.title,
            r.urls
        );
        for u in &r.urls {
            assert!(
                by_url.contains_key(u.as_str()),
                "report {:?}: URL {u} not recorded",
                r.title
            );
        }
        assert!(
            ids.insert(found.into_iter().next().unwrap().clone()),
            "two expected reports share one archived report: {:?}",
            r.title
        );
    }
    let a = w.archive();
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports") as usize,
        expected.reports.len(),
        "no extra reports"
    );
    for u in &expected.non_reports {
        assert!(
            !by_url.contains_key(u.as_str()),
            "non-report stored as a report: {u}"
        );
    }
    for r in expected
        .reports
        .iter()
        .filter(|r| !r.text_marker.is_empty())
    {
        let id = by_url.get(r.urls[0].as_str()).unwrap();
        let text: String = a
            .conn()
            .query_row("SELECT text FROM reports WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .unwrap();
        assert!(
            text.contains(&r.text_marker),
            "report {:?} text lacks {:?} (charset?)",
            r.title,
            r.text_marker
        );
    }
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_requests_disallowed_or_offscope_urls_and_records_blocks() {
    let p = portal(40).await;
    let w = full_crawl(&p, 50.0).await;
    let expected = p.expected();
    let log = p.requests();
    let requested: BTreeSet<String> = log
        .iter()
        .map(|r| format!("http://{}{}", r.host, r.path_and_query))
        .collect();
    for u in &expected.forbidden {
        assert!(
            !requested.contains(u.as_str()),
            "requested forbidden URL {u}"
        );
    }
    let a = w.archive();
    let blocked = strings(&a, "SELECT url FROM frontier WHERE state = 'blocked'");
    for u in &expected.blocked {
        assert!(
            blocked.contains(&u.to_string()),
            "anti-bot URL {u} not recorded as blocked; blocked = {blocked:?}"
        );
        assert_eq!(
            count(
                &a,
                &format!("SELECT count(*) FROM report_urls WHERE url = '{u}'")
            ),
            0
        );
    }
    let offscope = count(&a, "SELECT count(*) FROM frontier WHERE state = 'offscope'");
    assert!(offscope > 0, "off-scope links must be recorded");
    let disallowed = count(
        &a,
        "SELECT count(*) FROM frontier WHERE state = 'disallowed'",
    );
    assert!(disallowed > 0, "robots-disallowed links must be recorded");
    // Every request carried our User-Agent.
    assert!(log.iter().all(|r| r
        .user_agent
        .as_deref()
        .is_some_and(|ua| ua.starts_with("nianbao/"))));
    p.shutdown().await;
}

// More portal threads than cores: a portal thread busy rendering a page must not delay the
// reading (and time-stamping) of another host's request.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn per_host_request_spacing_respects_the_rate() {
    let p = portal(60).await;
    let rate = 4.0;
    let w = workdir(rate, &p.extra_hosts(), "");
    let mut cmd = tokio::process::Command::new(bin());
    cmd.args(w.base_args())
        .arg("crawl")
        .env("RUST_LOG", "nianbao::pace=debug");
    for s in p.seeds() {
        cmd.arg("--seed").arg(s.as_str());
    }
    let out = cmd.output().await.unwrap();
    assert_ok(&out);
    // Exact spacing: the crawler logs each request as its host's pace releases it.
    let mut released: BTreeMap<String, Vec<chrono::DateTime<chrono::FixedOffset>>> =
        BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(" released "))
    {
        let (Some(ts), Some(host)) = (
            line.split_whitespace().next(),
            line.split("host=\"")
                .nth(1)
                .and_then(|h| h.split('"').next()),
        ) else {
            continue;
        };
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(ts) {
            released.entry(host.to_string()).or_default().push(t);
        }
    }
    let spacing = Duration::from_secs_f64(1.0 / rate);
    let mut checked = 0;
    for (host, times) in &released {
        for pair in times.windows(2) {
            let gap = (pair[1] - pair[0]).to_std().unwrap_or_default();
            assert!(
                gap >= spacing.mul_f64(0.99),
                "{host}: released {gap:?} apart at rate {rate}/s"
            );
            checked += 1;
        }
    }
    // The rate as the portals saw it. The portal stamps a request when it has read it, which
    // lags by up to a second when the machine is loaded (observed: requests the crawler sent 1 s
    // apart stamped 7 ms apart), so stamps bunch up; single gaps and short windows are not judged
    // here, only each host's average rate over its whole crawl.
    let mut by_host: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    for r in p.requests() {
        by_host.entry(r.host.clone()).or_default().push(r.at);
    }
    for (host, mut times) in by_host {
        times.sort();
        let (Some(first), Some(last)) = (times.first(), times.last()) else {
            continue;
        };
        if times.len() < 10 {
            continue;
        }
        // n requests at most `rate` per second need at least (n - 1) / rate seconds; allow one
        // spacing of slack for the late stamp of the first request.
        let needed = spacing.mul_f64((times.len() - 2) as f64);
        assert!(
            *last - *first >= needed,
            "{host}: {} requests in {:?}, faster than {rate}/s",
            times.len(),
            *last - *first
        );
    }
    assert!(checked > 20, "too few requests to judge spacing: {checked}");
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_concurrent_crawl_is_refused() {
    let p = portal(80).await;
    let w = workdir(2.0, &p.extra_hosts(), "");
    let mut first = tokio::process::Command::new(bin());
    first.args(w.base_args()).arg("crawl");
    for s in p.seeds() {
        first.arg("--seed").arg(s.as_str());
    }
    let mut first = first.kill_on_drop(true).spawn().unwrap();
    // Wait until the first crawl has started fetching (it holds the lock from before then).
    within(p.requests_reached(1)).await;
    let second = w.crawl(&[], &[]).await;
    assert_eq!(
        second.status.code(),
        Some(3),
        "second crawl must exit with the 'locked' code"
    );
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("locked"), "{err}");
    first.kill().await.unwrap();
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_finds_exactly_the_new_reports_and_asks_conditionally() {
    let p = portal(100).await;
    let w = full_crawl(&p, 100.0).await;
    let before = w.export().len();
    p.clear_log();
    p.publish_new_reports(3);
    let out = w.crawl(&[], &[]).await;
    assert_ok(&out);
    let after = w.export();
    assert_eq!(after.len(), before + 3, "exactly the three new reports");
    let by_url = report_by_url(&w);
    for r in &p.expected().reports {
        assert!(
            r.urls.iter().any(|u| by_url.contains_key(u.as_str())),
            "report {:?} missing after rerun",
            r.title
        );
    }
    let log = p.requests();
    let conditional = log
        .iter()
        .filter(|r| r.if_none_match.is_some() || r.if_modified_since.is_some())
        .count();
    let not_modified = log.iter().filter(|r| r.status == 304).count();
    assert!(
        conditional > 10,
        "known pages must be asked for conditionally ({conditional})"
    );
    assert!(
        not_modified > 5,
        "unchanged pages answer 304 ({not_modified})"
    );
    let a = w.archive();
    assert_eq!(
        count(&a, "SELECT count(*) FROM runs WHERE status = 'done'"),
        2
    );
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_several_points_then_resume_equals_an_uninterrupted_crawl() {
    let p = portal(120).await;
    let clean = full_crawl(&p, 200.0).await;
    let reference = by_id(clean.export());
    assert!(!reference.is_empty());

    let w = workdir(200.0, &p.extra_hosts(), "");
    for kill_after in [5usize, 25, 60] {
        p.clear_log();
        let mut cmd = tokio::process::Command::new(bin());
        cmd.args(w.base_args()).arg("crawl");
        for s in p.seeds() {
            cmd.arg("--seed").arg(s.as_str());
        }
        let mut child = cmd.kill_on_drop(true).spawn().unwrap();
        within(p.requests_reached(kill_after)).await;
        child.start_kill().unwrap(); // SIGKILL
        let _ = child.wait().await;
    }
    p.clear_log();
    let out = w.crawl(&[], &[]).await;
    assert_ok(&out);
    let a = w.archive();
    assert_eq!(a.integrity_check().unwrap(), "ok");
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(
        diff.is_empty(),
        "resumed archive differs from an uninterrupted crawl:\n{diff}"
    );
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_pages_stops_each_run_and_the_runs_add_up_to_an_uninterrupted_crawl() {
    let p = portal(190).await;
    let reference = by_id(full_crawl(&p, 200.0).await.export());
    let full = p.requests().len();
    p.clear_log();
    let w = workdir(200.0, &p.extra_hosts(), "");
    let mut runs = 0;
    loop {
        runs += 1;
        assert!(runs <= 20, "20 runs of 25 pages did not finish the crawl");
        let seeds = if runs == 1 { p.seeds() } else { Vec::new() };
        let out = within(w.crawl(&seeds, &["--max-pages", "25"])).await;
        assert_ok(&out);
        let (status, _) = w.last_run();
        let requests = p.requests();
        p.clear_log();
        // Pages beyond the budget are not started (robots.txt does not count).
        let pages = requests
            .iter()
            .filter(|r| r.path_and_query != "/robots.txt")
            .count();
        assert!(pages <= 25, "run {runs}: {pages} pages with --max-pages 25");
        match status.as_str() {
            "partial" => continue,
            "done" => break,
            other => panic!("run {runs} ended {other}"),
        }
    }
    assert!(
        runs > 2,
        "the budget cut the crawl ({full} requests) into runs"
    );
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(diff.is_empty(), "runs of --max-pages differ:\n{diff}");
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_file_seeds_the_crawl_with_names_and_regions() {
    let p = portal(200).await;
    let w = workdir(200.0, &p.extra_hosts(), "");
    let urls: Vec<String> = p
        .seeds()
        .iter()
        .map(|s| format!("  {:?},", s.as_str()))
        .collect();
    let file = w.dir.path().join("seeds.toml");
    std::fs::write(
        &file,
        format!(
            "[[portal]]\nname = \"演示门户\"\nregion = \"演示省/演示市\"\nurls = [\n{}\n]\n",
            urls.join("\n")
        ),
    )
    .unwrap();
    let out = within(w.crawl(&[], &["--seeds-file", file.to_str().unwrap()])).await;
    assert_ok(&out);
    let a = w.archive();
    assert_eq!(
        count(
            &a,
            "SELECT count(*) FROM seeds WHERE portal = '演示门户' AND region = '演示省/演示市'"
        ) as usize,
        p.seeds().len()
    );
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports") as usize,
        p.expected().reports.len()
    );
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_and_concurrency_flags_override_the_config() {
    // Every response takes at least 200 ms: with --concurrency 1 the requests cannot overlap,
    // so n requests span at least (n - 1) × 200 ms of the portal's log.
    let latency = Duration::from_millis(200);
    let p = mock_portal::Portal::start(mock_portal::PortalOptions {
        first_ip: 210,
        latency,
        ..Default::default()
    })
    .await
    .unwrap();
    let w = workdir(1000.0, &p.extra_hosts(), "");
    let out = within(w.crawl(&p.seeds(), &["--concurrency", "1", "--max-pages", "15"])).await;
    assert_ok(&out);
    let mut at: Vec<Duration> = p.requests().iter().map(|r| r.at).collect();
    at.sort();
    let n = at.len();
    assert!(n >= 15, "{n} requests");
    // One interval of slack: the portal stamps a request when it has read it, which can lag.
    let needed = latency.mul_f64((n - 2) as f64);
    assert!(
        at[n - 1] - at[0] >= needed,
        "{n} requests in {:?} with --concurrency 1",
        at[n - 1] - at[0]
    );
    p.clear_log();
    // --rate 2 (the config says 1000): each host's requests at least 0.5 s apart on average.
    let w = workdir(1000.0, &p.extra_hosts(), "");
    let out = within(w.crawl(&p.seeds(), &["--rate", "2", "--max-pages", "20"])).await;
    assert_ok(&out);
    let mut by_host: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    for r in p.requests() {
        by_host.entry(r.host.clone()).or_default().push(r.at);
    }
    let mut judged = 0;
    for (host, mut times) in by_host.into_iter().filter(|(_, t)| t.len() >= 3) {
        times.sort();
        let span = times[times.len() - 1] - times[0];
        let needed = Duration::from_millis(500).mul_f64((times.len() - 2) as f64);
        assert!(
            span >= needed,
            "{host}: {} requests in {span:?} at --rate 2",
            times.len()
        );
        judged += 1;
    }
    assert!(judged > 0, "no host had enough requests to judge");
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_2_for_bad_config_or_usage_and_4_when_nothing_was_crawled() {
    let w = workdir(1.0, &[], "max_crawl_delay_secs = -1");
    let out = within(w.crawl(&[crate::util::url("http://127.0.0.1:9/")], &[])).await;
    assert_eq!(out.status.code(), Some(2), "bad config value");
    let w = workdir(1.0, &[], "no_such_setting = 1");
    let out = within(w.crawl(&[crate::util::url("http://127.0.0.1:9/")], &[])).await;
    assert_eq!(out.status.code(), Some(2), "unknown config key");
    let w = workdir(1.0, &[], "");
    let out = within(w.crawl(&[], &["--no-such-flag"])).await;
    assert_eq!(out.status.code(), Some(2), "unknown flag");
    let out = within(w.crawl(&[], &["--seed", "ftp://127.0.0.1/x"])).await;
    assert_eq!(out.status.code(), Some(2), "not an http(s) seed");
    let out = within(w.crawl(&[], &[])).await;
    assert_eq!(out.status.code(), Some(2), "no seeds at all");
    // A seed whose host refuses connections: nothing can be crawled.
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.211:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        crate::util::url(&format!("http://{addr}/zfxxgknb/index.html"))
    };
    let out = within(w.crawl(&[refused], &[])).await;
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
