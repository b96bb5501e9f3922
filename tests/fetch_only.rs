//! End to end: `crawl --fetch-only` archives pages without analysing them, and the analysis
//! done afterwards (`nianbao analyse`, or the start of the next ordinary crawl) stores exactly
//! what a crawl that analyses as it fetches would have.

use std::collections::{BTreeMap, BTreeSet};

use mock_portal::Portal;

use crate::util::{assert_ok, bin, by_id, count, export_diff, portal, workdir, Workdir};

/// `nianbao analyse` on `w`'s archive.
fn analyse(w: &Workdir) -> std::process::Output {
    std::process::Command::new(bin())
        .args(w.base_args())
        .arg("analyse")
        .output()
        .expect("run nianbao analyse")
}

/// `nianbao status --json` on `w`'s archive.
fn status(w: &Workdir) -> serde_json::Value {
    let out = std::process::Command::new(bin())
        .args(w.base_args())
        .args(["status", "--json"])
        .output()
        .expect("run nianbao status");
    assert_ok(&out);
    serde_json::from_slice(&out.stdout).expect("status JSON")
}

/// A crawl of `p` that analyses as it goes, and its export by report id: what the deferred
/// analysis must reproduce.
async fn reference(p: &Portal) -> (Workdir, BTreeMap<String, serde_json::Value>) {
    let full = workdir(200.0, &p.extra_hosts(), "");
    assert_ok(&full.crawl(&p.seeds(), &[]).await);
    let export = by_id(full.export());
    assert!(!export.is_empty());
    (full, export)
}

/// What the portal was asked for, without the order.
fn requested(p: &Portal) -> BTreeSet<(String, String, String)> {
    p.requests()
        .into_iter()
        .map(|r| (r.host, r.method, r.path_and_query))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_only_then_analyse_equals_a_crawl_that_analyses_as_it_goes() {
    let p = portal(50).await;
    let (full, reference) = reference(&p).await;
    let full_requests = requested(&p);

    p.clear_log();
    let w = workdir(200.0, &p.extra_hosts(), "");
    let out = w.crawl(&p.seeds(), &["--fetch-only"]).await;
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("archived for analysis"),
        "no backlog in the summary:\n{stderr}"
    );
    // An export now would miss the reports, and says so.
    let early = std::process::Command::new(bin())
        .args(w.base_args())
        .args(["export", "--format", "jsonl"])
        .output()
        .expect("run nianbao export");
    assert_ok(&early);
    assert!(early.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("not analysed yet"),
        "{}",
        String::from_utf8_lossy(&early.stderr)
    );
    let queued = status(&w)["analysis_backlog"].as_i64().unwrap_or(0);
    assert!(queued >= reference.len() as i64, "status: {queued} queued");
    // The same requests as the full crawl: detail pages still yield their attachments.
    assert_eq!(requested(&p), full_requests);
    {
        let a = w.archive();
        assert_eq!(count(&a, "SELECT count(*) FROM reports"), 0);
        assert!(count(&a, "SELECT count(*) FROM analysis_queue") >= reference.len() as i64);
        assert!(
            count(
                &a,
                "SELECT count(*) FROM analysis_queue q JOIN pages p ON p.id = q.page_id
                 WHERE p.final_url LIKE '%.pdf'"
            ) > 0,
            "no PDF attachment archived by the fetch-only crawl"
        );
    }

    p.clear_log();
    let out = analyse(&w);
    assert_ok(&out);
    assert!(p.requests().is_empty(), "analyse went to the network");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("analysed "), "{stderr}");
    let a = w.archive();
    assert_eq!(a.integrity_check().unwrap(), "ok");
    assert_eq!(count(&a, "SELECT count(*) FROM analysis_queue"), 0);
    assert_eq!(status(&w)["analysis_backlog"], 0);
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(diff.is_empty(), "fetch-only + analyse differs:\n{diff}");
    // The search index covers the analysed reports.
    let matching = "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '年度报告'";
    let indexed = count(&a, matching);
    assert!(indexed > 0);
    assert_eq!(indexed, count(&full.archive(), matching));

    // A second analysis finds nothing to do and changes nothing.
    let out = analyse(&w);
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("analysed 0 pages"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(export_diff(&reference, &by_id(w.export())).is_empty());
    p.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analysis_killed_midway_is_finished_by_the_next_ordinary_crawl() {
    let p = portal(70).await;
    let (_full, reference) = reference(&p).await;

    let w = workdir(200.0, &p.extra_hosts(), "");
    assert_ok(&w.crawl(&p.seeds(), &["--fetch-only"]).await);
    let queued = count(&w.archive(), "SELECT count(*) FROM analysis_queue");
    assert!(queued > 0);

    // kill -9 `analyse` once it has committed some of its work.
    let mut child = tokio::process::Command::new(bin())
        .args(w.base_args())
        .arg("analyse")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut left = queued;
    for _ in 0..2000 {
        left = rusqlite::Connection::open_with_flags(
            &w.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .and_then(|c| c.query_row("SELECT count(*) FROM analysis_queue", [], |r| r.get(0)))
        .unwrap_or(queued);
        if left < queued {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.start_kill().unwrap(); // SIGKILL
    let _ = child.wait().await;
    let a = w.archive();
    assert_eq!(a.integrity_check().unwrap(), "ok");
    let left = count(&a, "SELECT count(*) FROM analysis_queue").min(left);
    assert!(
        left > 0 && left < queued,
        "not killed midway: {left} of {queued} still queued"
    );
    drop(a);

    // The next ordinary crawl (seeds remembered, no --fetch-only) analyses the rest first.
    let out = w.crawl(&[], &[]).await;
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("before fetching, analysed"),
        "backlog not analysed first:\n{stderr}"
    );
    let a = w.archive();
    assert_eq!(count(&a, "SELECT count(*) FROM analysis_queue"), 0);
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(
        diff.is_empty(),
        "fetch-only + killed analyse + crawl differs:\n{diff}"
    );
    p.shutdown().await;
}
