//! End to end under injected faults: 500s, connection resets, truncated bodies and stalls in
//! 10% of requests, plus the robustness traps (gzip bomb, endless body, redirect loop).

use std::collections::HashSet;

use mock_portal::{Portal, PortalOptions};

use crate::util::{assert_ok, count, strings, workdir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_percent_faults_still_find_the_reports_and_record_reasons() {
    let p = Portal::start(PortalOptions {
        first_ip: 160,
        fault_rate: 0.10,
        ..Default::default()
    })
    .await
    .unwrap();
    let w = workdir(100.0, &p.extra_hosts(), "");
    let out = w.crawl(&p.seeds(), &[]).await;
    assert_ok(&out);
    let expected = p.expected();
    let a = w.archive();
    let found: HashSet<String> = strings(&a, "SELECT url FROM report_urls")
        .into_iter()
        .collect();
    let reports_found = expected
        .reports
        .iter()
        .filter(|r| r.urls.iter().any(|u| found.contains(u.as_str())))
        .count();
    let share = reports_found as f64 / expected.reports.len() as f64;
    assert!(
        share >= 0.99,
        "found {reports_found} of {} reports under faults",
        expected.reports.len()
    );
    let faulted = p
        .requests()
        .iter()
        .filter(|r| r.status == 0 || r.status == 500)
        .count();
    assert!(
        faulted >= 3,
        "the portal must have injected faults ({faulted})"
    );
    // Retries happened and every failure carries a reason.
    assert_eq!(count(&a, "SELECT count(*) FROM frontier WHERE state = 'failed' AND coalesce(last_error, '') = ''"), 0);
    let summary: String = a
        .conn()
        .query_row(
            "SELECT summary FROM runs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert!(summary["retries"].as_u64().unwrap_or(0) > 0, "{summary}");
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_bombs_endless_bodies_and_redirect_loops_end_cleanly() {
    let p = Portal::start(PortalOptions {
        first_ip: 180,
        ..Default::default()
    })
    .await
    .unwrap();
    let w = workdir(100.0, &p.extra_hosts(), "");
    let out = w.crawl(&p.seeds(), &[]).await;
    assert_ok(&out);
    let a = w.archive();
    let traps = p.expected().traps;
    assert_eq!(traps.len(), 3);
    for t in &traps {
        let path = t.path();
        let (state, error): (String, Option<String>) = a
            .conn()
            .query_row(
                "SELECT state, last_error FROM frontier WHERE url = ?1",
                [t.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("trap {t} not in the frontier: {e}"));
        let error = error.unwrap_or_default();
        if path.contains("loop") {
            assert!(error.contains("redirect"), "{t}: {state} {error}");
        } else {
            assert_eq!(state, "failed", "{t}");
            assert!(error.contains("larger than"), "{t}: {error}");
        }
    }
    // The loop was followed at most once around: each URL of it requested once.
    let loop_requests = p
        .requests()
        .iter()
        .filter(|r| r.path_and_query.starts_with("/trap/loop"))
        .count();
    assert!(
        loop_requests <= 2,
        "redirect loop requested {loop_requests} times"
    );
    p.shutdown().await;
}
