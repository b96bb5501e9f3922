//! One archive crawled from the Standard mock portal by the built binary, shared by the tests
//! that only read an archive (exports, CLI subcommands, `serve`): crawled once per test run,
//! on first use. A test that changes an archive takes [`crawled_copy`].

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use super::workdir::workdir_in;
use super::{assert_ok, portal, workdir, Workdir};

/// First loopback address of the shared crawl's portal (its own block of 127.0.0.x).
const FIRST_IP: u8 = 90;

/// The shared crawled archive and what the portal published.
pub struct Crawled {
    /// The workdir holding the archive (never changed after the crawl).
    pub work: Workdir,
    /// The portal's ground truth at the time of the crawl.
    pub expected: mock_portal::Expected,
}

static CRAWLED: OnceLock<Crawled> = OnceLock::new();

/// The shared archive: the Standard portal crawled with `nianbao crawl` (on a thread of its own,
/// so async and plain tests can both wait for it).
pub fn crawled() -> &'static Crawled {
    CRAWLED.get_or_init(|| {
        std::thread::spawn(|| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let p = portal(FIRST_IP).await;
                let work = workdir_in(shared_dir(), 50.0, &p.extra_hosts(), "");
                assert_ok(&work.crawl(&p.seeds(), &[]).await);
                let expected = p.expected();
                p.shutdown().await;
                Crawled { work, expected }
            })
        })
        .join()
        .expect("crawling the shared archive")
    })
}

/// A directory for the shared archive under the target directory. A static is never dropped,
/// so the directory outlives the test run: ones left by runs over a day old are removed here.
fn shared_dir() -> tempfile::TempDir {
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let day = Duration::from_secs(24 * 3600);
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let stale = entry
            .file_name()
            .to_string_lossy()
            .starts_with("shared-crawl-")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    tempfile::Builder::new()
        .prefix("shared-crawl-")
        .tempdir_in(parent)
        .expect("a directory for the shared archive")
}

/// A private copy of the shared archive (one consistent file, `VACUUM INTO`).
pub fn crawled_copy() -> Workdir {
    let src = crawled();
    let copy = workdir(50.0, &[], "");
    let conn = rusqlite::Connection::open_with_flags(
        &src.work.db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the shared archive");
    conn.execute("VACUUM INTO ?1", [copy.db.display().to_string()])
        .expect("copy the shared archive");
    copy
}
