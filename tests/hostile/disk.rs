//! A full disk: the archive cannot grow, so the crawl must stop within seconds with exit 1 and
//! a summary of what was committed, record the run as failed when it still can, and lose
//! nothing: the next run, with room, finishes the work and the export equals an uninterrupted
//! crawl's. Two ways to fill it: a size limit on the archive (SQLite's `max_page_count`, the
//! hidden `[archive] test_max_page_count` setting; always run) and a 2 MB tmpfs (when the test
//! runs as root, as CI does).

use std::path::{Path, PathBuf};

use mock_portal::Portal;

use super::{stderr, LIMIT};
use crate::util::{assert_ok, by_id, count, export_diff, portal, workdir, Workdir};

/// The archive's size limit in SQLite pages (4 KiB): about a third of what the demo crawl
/// needs.
const MAX_PAGES: u64 = 700;

/// An uninterrupted crawl of `p`: its export, and the number of requests it made.
async fn reference(p: &Portal) -> (std::collections::BTreeMap<String, serde_json::Value>, usize) {
    let w = workdir(200.0, &p.extra_hosts(), "");
    assert_ok(&w.crawl_within(LIMIT, &p.seeds(), &[]).await);
    let requests = p.requests().len();
    p.clear_log();
    (by_id(w.export()), requests)
}

/// "reports N new" of the crawl's summary line.
fn reports_new(stderr: &str) -> u64 {
    stderr
        .split("reports ")
        .nth(1)
        .and_then(|s| s.split(" new").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no summary line in {stderr}"))
}

/// Crawl `p` into `w` with the archive full; check the stop and its summary.
async fn crawl_until_full(w: &Workdir, p: &Portal, full_requests: usize) -> String {
    let out = w.crawl_within(LIMIT, &p.seeds(), &[]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("disk is full"), "{err}");
    let requests = p.requests().len();
    assert!(
        requests <= full_requests,
        "{requests} requests before stopping; a whole crawl needs {full_requests}"
    );
    let stored = count(&w.archive(), "SELECT count(*) FROM reports") as u64;
    assert_eq!(
        reports_new(&err),
        stored,
        "the summary counts what was committed: {err}"
    );
    p.clear_log();
    let (status, _) = w.last_run();
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_archive_stops_the_crawl_and_the_next_run_with_room_finishes_it() {
    let p = portal(140).await;
    let (reference, full_requests) = reference(&p).await;
    let w = workdir(
        200.0,
        &p.extra_hosts(),
        &format!("[archive]\ntest_max_page_count = {MAX_PAGES}"),
    );
    let room = std::fs::read_to_string(&w.config).unwrap();
    let status = crawl_until_full(&w, &p, full_requests).await;
    assert_eq!(status, "failed", "the run is recorded as failed");
    // The same archive without the limit.
    let (without_limit, _) = room.split_once("[archive]").unwrap();
    std::fs::write(&w.config, without_limit).unwrap();
    assert_ok(&w.crawl_within(LIMIT, &[], &[]).await);
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(diff.is_empty(), "after the full disk:\n{diff}");
    p.shutdown().await;
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    fn resize(&self, size: &str) {
        let ok = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remount {}", self.0.display());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_file_system_stops_the_crawl_and_an_enlarged_one_finishes_it() {
    let ci = std::env::var_os("CI").is_some();
    if !is_root() {
        assert!(!ci, "CI runs the tests as root: this test must run there");
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let p = portal(150).await;
    let (reference, full_requests) = reference(&p).await;
    let mut w = workdir(200.0, &p.extra_hosts(), "");
    let Some(fs) = Tmpfs::mount(&w.dir.path().join("tiny"), "2m") else {
        assert!(!ci, "cannot mount a tmpfs in CI");
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    w.db = fs.0.join("archive.db");
    crawl_until_full(&w, &p, full_requests).await;
    fs.resize("256m");
    assert_ok(&w.crawl_within(LIMIT, &[], &[]).await);
    let diff = export_diff(&reference, &by_id(w.export()));
    assert!(diff.is_empty(), "after the full disk:\n{diff}");
    drop(fs);
    p.shutdown().await;
}
