//! Bombs: a brotli body that decodes to 64 MiB, a chunked body that never ends, and a
//! robots.txt that is a gzip bomb. Bodies are cut at the cap (`max_body_mb`, 1 MB here) and
//! recorded as failed; robots.txt is read to its first 500 KiB. (The mock portal's gzip bomb
//! and endless body with a length are in `faults.rs`.)

use std::io::Write;

use super::server::{Hostile, Reply};
use super::{column, hostile_workdir, report_at, report_link, report_path, LIMIT};
use crate::util::{assert_ok, count};

/// 64 MiB of zero bytes as a 106-byte brotli stream (`data/make_bombs.py`).
const BROTLI_ZEROS: &[u8] = include_bytes!("data/zeros-64mib.br");

/// `n` bytes of `#` (a robots.txt comment) gzipped.
fn gzip_comment(n: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let line = [b'#'; 4096];
    for _ in 0..n / line.len() {
        gz.write_all(&line).unwrap();
    }
    gz.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brotli_bombs_and_endless_chunked_bodies_are_cut_at_the_cap() {
    let robots = gzip_comment(32 << 20);
    let s = Hostile::start(221, move |path: &str| match path {
        "/robots.txt" => Reply::ok("text/plain", robots.clone()).header("Content-Encoding", "gzip"),
        super::COLUMN => column(&(0..3).map(|k| report_link(k, None)).collect::<Vec<_>>()),
        p if p == report_path(1) => {
            Reply::ok("text/html", BROTLI_ZEROS).header("Content-Encoding", "br")
        }
        p if p == report_path(2) => Reply::Endless {
            content_type: "text/html".into(),
        },
        p => report_at(p).unwrap_or(Reply::status(404)),
    })
    .await;
    let w = hostile_workdir("");
    let out = w.crawl_within(LIMIT, &[s.url(super::COLUMN)], &[]).await;
    assert_ok(&out);
    let a = w.archive();
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports"),
        1,
        "report 0 stored"
    );
    for k in [1, 2] {
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
        assert!(error.contains("larger than"), "{url}: {error}");
    }
    assert_eq!(
        count(
            &a,
            "SELECT count(*) FROM hosts WHERE robots_status = 'parsed'"
        ),
        1,
        "the gzip-bomb robots.txt was read (its first 500 KiB)"
    );
}
