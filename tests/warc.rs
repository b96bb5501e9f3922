//! WARC output end to end: `nianbao crawl --warc DIR` against the mock portal, then a rerun.
//! The records are checked here field by field (digests recomputed, request/response pairs,
//! gzip bodies kept as sent, revisits pointing at real records) and by `warcio check` and
//! `warcio index` (`util::require_tool`: skipped without warcio, failed under CI; `.ci/run`
//! installs it).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::archive::warc::{
    digest, read_records, ReadRecord, PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED,
};

use crate::util::{assert_ok, count, portal, workdir};

type Record = ReadRecord;

fn field<'a>(r: &'a Record, name: &str) -> Option<&'a str> {
    r.field(name)
}

fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("warc dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// The HTTP head and payload of a response block.
fn split_http(block: &[u8]) -> (String, &[u8]) {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("http head ends");
    (
        String::from_utf8_lossy(&block[..end]).to_lowercase(),
        &block[end + 4..],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_writes_a_valid_warc_with_revisits_and_rotation() {
    let p = portal(40).await;
    // Small files so that the crawl rotates through several.
    let w = workdir(100.0, &p.extra_hosts(), "[archive]\nwarc_max_mb = 0.15\n");
    let dir = w.dir.path().join("warc");
    let dir_arg = dir.display().to_string();
    let out = w.crawl(&p.seeds(), &["--warc", &dir_arg]).await;
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("WARC: "),
        "summary names the WARC output: {stderr}"
    );

    let files = warc_files(&dir);
    assert!(files.len() >= 2, "rotation at 0.15 MB: {files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.to_string_lossy().ends_with(".warc.gz")),
        "every file closed: {files:?}"
    );
    let mut records: Vec<Record> = Vec::new();
    for f in &files {
        let recs = read_records(f).expect("readable WARC");
        assert_eq!(field(&recs[0], "WARC-Type"), Some("warcinfo"), "{f:?}");
        records.extend(recs);
    }

    // One request and one response (or revisit) per response received.
    let a = w.archive();
    let fetched = count(&a, "SELECT fetched FROM runs WHERE id = 1") as usize;
    let of_type = |t: &str| {
        records
            .iter()
            .filter(|r| field(r, "WARC-Type") == Some(t))
            .count()
    };
    let (requests, responses, revisits) =
        (of_type("request"), of_type("response"), of_type("revisit"));
    assert_eq!(requests, fetched, "a request record per fetch");
    assert_eq!(
        responses + revisits,
        fetched,
        "a response or revisit per fetch"
    );

    let by_id: HashMap<&str, &Record> = records
        .iter()
        .filter_map(|r| Some((field(r, "WARC-Record-ID")?, r)))
        .collect();
    let mut gzipped = 0;
    let mut digests: BTreeMap<String, usize> = BTreeMap::new();
    for r in &records {
        assert_eq!(
            field(r, "WARC-Block-Digest"),
            Some(digest(&r.block).as_str()),
            "block digest"
        );
        match field(r, "WARC-Type") {
            Some("request") => {
                let resp = by_id[field(r, "WARC-Concurrent-To").expect("concurrent-to")];
                assert_eq!(field(r, "WARC-Target-URI"), field(resp, "WARC-Target-URI"));
                assert!(r.block.starts_with(b"GET ") || r.block.starts_with(b"POST "));
            }
            Some("response") => {
                let (head, payload) = split_http(&r.block);
                assert_eq!(
                    field(r, "WARC-Payload-Digest"),
                    Some(digest(payload).as_str()),
                    "payload digest of {:?}",
                    field(r, "WARC-Target-URI")
                );
                if head.starts_with("http/1.1 200") && !payload.is_empty() {
                    *digests.entry(digest(payload)).or_default() += 1;
                }
                if head.contains("\r\ncontent-encoding: gzip") {
                    // Kept as sent: still gzip, and it inflates.
                    assert!(payload.starts_with(&[0x1f, 0x8b]));
                    let mut html = Vec::new();
                    flate2::read::GzDecoder::new(payload)
                        .read_to_end(&mut html)
                        .expect("gzip payload inflates");
                    gzipped += 1;
                }
                assert!(!head.contains("transfer-encoding"));
            }
            Some("revisit") => {
                assert_eq!(field(r, "WARC-Profile"), Some(PROFILE_IDENTICAL));
                let orig = by_id[field(r, "WARC-Refers-To").expect("refers-to")];
                assert_eq!(field(orig, "WARC-Type"), Some("response"));
                assert_eq!(
                    field(orig, "WARC-Payload-Digest"),
                    field(r, "WARC-Payload-Digest")
                );
            }
            _ => {}
        }
    }
    assert!(
        gzipped >= 5,
        "the gzipping hosts' pages stay gzipped ({gzipped})"
    );
    assert!(
        revisits >= 1,
        "the report served byte-identical at two URLs is stored once"
    );
    let doubles: Vec<_> = digests.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubles.is_empty(),
        "no 200 payload stored twice in full: {doubles:?}"
    );

    // Rerun: unchanged pages answer 304 → server-not-modified revisits, in new files.
    let out = w.crawl(&[], &["--warc", &dir_arg]).await;
    assert_ok(&out);
    let new_files: Vec<PathBuf> = warc_files(&dir)
        .into_iter()
        .filter(|f| !files.contains(f))
        .collect();
    assert!(!new_files.is_empty());
    let rerun: Vec<Record> = new_files
        .iter()
        .flat_map(|f| read_records(f).expect("readable WARC"))
        .collect();
    let not_modified = rerun
        .iter()
        .filter(|r| field(r, "WARC-Profile") == Some(PROFILE_NOT_MODIFIED))
        .count();
    let a = w.archive();
    let nm_run = count(&a, "SELECT not_modified FROM runs WHERE id = 2") as usize;
    assert!(nm_run > 5, "the rerun got 304s ({nm_run})");
    assert_eq!(not_modified, nm_run, "a revisit record per 304");
    let stored_again = rerun
        .iter()
        .filter(|r| field(r, "WARC-Type") == Some("response"))
        .filter(|r| {
            let (_, payload) = split_http(&r.block);
            digests.contains_key(&digest(payload)) && !payload.is_empty()
        })
        .count();
    assert_eq!(
        stored_again, 0,
        "payloads of the first run are not stored again"
    );
    p.shutdown().await;

    // The reference tool agrees.
    if !crate::util::require_tool("warcio") {
        return;
    }
    let all = warc_files(&dir);
    let check = Command::new("warcio")
        .arg("check")
        .arg("-v")
        .args(&all)
        .output()
        .expect("run warcio check");
    assert!(
        check.status.success(),
        "warcio check failed:\n{}\n{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let index = Command::new("warcio")
        .arg("index")
        .args(&all)
        .output()
        .expect("run warcio index");
    assert!(index.status.success());
    let lines = String::from_utf8_lossy(&index.stdout).lines().count();
    let ours: usize = all
        .iter()
        .map(|f| read_records(f).expect("readable").len())
        .sum();
    assert_eq!(lines, ours, "warcio index lists every record");
}
