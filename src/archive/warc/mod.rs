//! WARC output (ISO 28500, WARC/1.1) beside the SQLite archive, for users who want a standard
//! web archive that replay and analysis tools (pywb, warcio, OpenWayback) read.
//!
//! Every fetch becomes a `request` and a `response` record (linked by `WARC-Concurrent-To`),
//! bodies exactly as received: a gzip-coded body stays gzip-coded with its `Content-Encoding`
//! (see [`crate::fetch::client::Capture`]). A `304 Not Modified` becomes a `revisit` record
//! (profile *server-not-modified*); a 200 whose payload was archived before — the same report
//! under another URL, or unchanged on a nightly rerun — becomes a `revisit` record (profile
//! *identical-payload-digest*) that refers to the first capture instead of storing the bytes
//! again. Which payloads were archived lives in the `warc_payloads` table of the SQLite file,
//! so the check costs no memory however large the crawl grows.
//!
//! Files: `nianbao-<time>-<serial>-<pid>.warc.gz`, each starting with a `warcinfo` record, each
//! record its own gzip member (so tools can seek to any record). A file is named `….open` while
//! it is written and renamed when it is closed (at the size limit or the end of the run). A
//! crash can leave a half-written last record in an `.open` file: the next [`WarcWriter::open`]
//! cuts such a file back to its last complete record and closes it.
//!
//! Duplicates and crashes: before a payload is written in full, its digest is *claimed* in
//! `warc_payloads` (one step in the archive's single writer thread, so two copies fetched at
//! the same moment cannot both be stored in full); once the record is on disk the claim is
//! *confirmed*. A new run forgets unconfirmed claims, whose records a crash may have lost, so
//! a revisit never points at a record that was not written. A fetch's records are written
//! before its page is committed to SQLite: a kill in between repeats a record on resume, never
//! loses one.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};
use sha1::{Digest, Sha1};

use super::{Archive, Result};

mod read;
mod writer;

pub use read::{read_records, ReadRecord};
pub use writer::{recover, WarcWriter};

/// Profile URI of a revisit record for a `304 Not Modified`.
pub const PROFILE_NOT_MODIFIED: &str =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";
/// Profile URI of a revisit record for a payload archived before.
pub const PROFILE_IDENTICAL: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// `sha1:<base32>`, the digest form WARC tools expect.
pub fn digest(bytes: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&Sha1::digest(bytes))
    )
}

/// A new `<urn:uuid:…>` record id.
pub fn record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// WARC-Date form: UTC with milliseconds (WARC/1.1 allows fractions).
pub fn warc_date(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The first capture of a payload, which later revisit records refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// Its `WARC-Record-ID`.
    pub record_id: String,
    /// Its `WARC-Target-URI`.
    pub target_uri: String,
    /// Its `WARC-Date`.
    pub date: String,
}

/// One fetch, ready to be turned into records.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// The URL asked for.
    pub target_uri: &'a str,
    /// When the request was sent.
    pub date: DateTime<Utc>,
    /// The server's IP address.
    pub remote_ip: Option<std::net::IpAddr>,
    /// Request line and headers (ending with the blank line).
    pub request_head: &'a [u8],
    /// Request body.
    pub request_body: &'a [u8],
    /// HTTP status.
    pub status: u16,
    /// Status line and headers (ending with the blank line).
    pub response_head: &'a [u8],
    /// The payload as received.
    pub payload: &'a [u8],
}

/// The gzip-compressed records of one fetch.
#[derive(Debug)]
pub struct Records {
    /// Concatenated gzip members, written as one piece.
    pub bytes: Vec<u8>,
    /// How many records.
    pub count: u32,
    /// Whether the response became a revisit record.
    pub revisit: bool,
}

/// Build the request and response (or revisit) records of `ex`; the response record gets
/// `response_id`. `payload_digest` is [`digest`] of the payload when the caller looked it up;
/// `original` is the earlier capture of the same payload, if any (then the response becomes
/// a revisit).
pub fn exchange_records(
    ex: &Exchange<'_>,
    response_id: &str,
    payload_digest: Option<&str>,
    original: Option<&Original>,
) -> Records {
    let date = warc_date(&ex.date);
    let mut bytes = Vec::with_capacity(ex.payload.len() / 3 + 2048);

    let mut request_block = ex.request_head.to_vec();
    request_block.extend_from_slice(ex.request_body);
    let mut fields = vec![
        ("WARC-Type", "request".to_string()),
        ("WARC-Record-ID", record_id()),
        ("WARC-Date", date.clone()),
        ("WARC-Target-URI", ex.target_uri.to_string()),
        ("WARC-Concurrent-To", response_id.to_string()),
        (
            "Content-Type",
            "application/http; msgtype=request".to_string(),
        ),
    ];
    write_record(&mut bytes, &fields, &request_block);

    fields = vec![
        ("WARC-Type", String::new()),
        ("WARC-Record-ID", response_id.to_string()),
        ("WARC-Date", date),
        ("WARC-Target-URI", ex.target_uri.to_string()),
    ];
    if let Some(ip) = ex.remote_ip {
        fields.push(("WARC-IP-Address", ip.to_string()));
    }
    fields.push((
        "Content-Type",
        "application/http; msgtype=response".to_string(),
    ));
    let revisit;
    let block: Vec<u8>;
    if ex.status == 304 {
        revisit = true;
        fields[0].1 = "revisit".into();
        fields.push(("WARC-Profile", PROFILE_NOT_MODIFIED.into()));
        fields.push(("WARC-Refers-To-Target-URI", ex.target_uri.to_string()));
        block = concat(ex.response_head, ex.payload);
    } else if let (Some(d), Some(orig)) = (payload_digest, original) {
        revisit = true;
        fields[0].1 = "revisit".into();
        fields.push(("WARC-Profile", PROFILE_IDENTICAL.into()));
        fields.push(("WARC-Payload-Digest", d.to_string()));
        fields.push(("WARC-Refers-To", orig.record_id.clone()));
        fields.push(("WARC-Refers-To-Target-URI", orig.target_uri.clone()));
        fields.push(("WARC-Refers-To-Date", orig.date.clone()));
        // The block is the HTTP head only; the payload is the original's.
        block = ex.response_head.to_vec();
    } else {
        revisit = false;
        fields[0].1 = "response".into();
        let d = payload_digest
            .map(str::to_string)
            .unwrap_or_else(|| digest(ex.payload));
        fields.push(("WARC-Payload-Digest", d));
        block = concat(ex.response_head, ex.payload);
    }
    write_record(&mut bytes, &fields, &block);
    Records {
        bytes,
        count: 2,
        revisit,
    }
}

fn concat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(a.len() + b.len());
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v
}

/// Append one record (header fields, computed `WARC-Block-Digest` and `Content-Length`, the
/// block) to `out` as its own gzip member.
fn write_record(out: &mut Vec<u8>, fields: &[(&str, String)], block: &[u8]) {
    let mut head = String::from("WARC/1.1\r\n");
    for (name, value) in fields {
        // Header values come from our own code and from URLs (no CR/LF in a parsed URL), but
        // a stray line break would corrupt the file: replace it.
        let value = value.replace(['\r', '\n'], " ");
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("WARC-Block-Digest: {}\r\n", digest(block)));
    head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(head.as_bytes());
    let _ = gz.write_all(block);
    let _ = gz.write_all(b"\r\n\r\n");
    let _ = gz.finish();
}

impl Archive {
    /// Claim `digest` for a capture about to be written in full, or get the capture that
    /// already holds it (written, or being written in this run).
    pub fn warc_claim(&self, digest: &str, capture: &Original) -> Result<Option<Original>> {
        let existing = self
            .conn
            .query_row(
                "SELECT record_id, target_uri, date FROM warc_payloads WHERE digest = ?1",
                [digest],
                |r| {
                    Ok(Original {
                        record_id: r.get(0)?,
                        target_uri: r.get(1)?,
                        date: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if existing.is_none() {
            self.exec(
                "INSERT INTO warc_payloads (digest, record_id, target_uri, date, written)
                     VALUES (?1, ?2, ?3, ?4, 0)",
                params![digest, capture.record_id, capture.target_uri, capture.date],
            )
            .map_err(|e| self.err(e))?;
        }
        Ok(existing)
    }

    /// The claimed capture of `digest` is on disk.
    pub fn warc_confirm(&self, digest: &str) -> Result<()> {
        self.exec(
            "UPDATE warc_payloads SET written = 1 WHERE digest = ?1",
            [digest],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    /// Drop claims never confirmed (a crashed run's): their records may not exist.
    pub fn warc_forget_unconfirmed(&self) -> Result<usize> {
        self.exec("DELETE FROM warc_payloads WHERE written = 0", [])
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WarcConfig;
    use std::fs::OpenOptions;
    use std::path::Path;

    fn exchange<'a>(status: u16, head: &'a [u8], payload: &'a [u8]) -> Exchange<'a> {
        Exchange {
            target_uri: "http://127.0.0.2/a.html",
            date: Utc::now(),
            remote_ip: Some("127.0.0.2".parse().unwrap()),
            request_head: b"GET /a.html HTTP/1.1\r\nhost: 127.0.0.2\r\n\r\n",
            request_body: b"",
            status,
            response_head: head,
            payload,
        }
    }

    fn config(dir: &Path, max_bytes: u64) -> WarcConfig {
        WarcConfig {
            dir: dir.to_path_buf(),
            max_bytes,
        }
    }

    #[test]
    fn digests_are_base32_sha1() {
        // sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_eq!(digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn a_fetch_is_a_request_and_a_response_record_with_digests() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(&config(dir.path(), 1 << 20), "ua").unwrap();
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n";
        let d = digest(b"<p>hi</p>");
        let recs = exchange_records(
            &exchange(200, head, b"<p>hi</p>"),
            &record_id(),
            Some(&d),
            None,
        );
        assert!(!recs.revisit);
        w.write(&recs).unwrap();
        w.close().unwrap();
        assert_eq!(w.files.len(), 1);
        let records = read_records(&w.files[0]).unwrap();
        let types: Vec<_> = records
            .iter()
            .map(|r| r.field("WARC-Type").unwrap().to_string())
            .collect();
        assert_eq!(types, ["warcinfo", "request", "response"]);
        let (req, resp) = (&records[1], &records[2]);
        assert_eq!(
            req.field("WARC-Concurrent-To"),
            resp.field("WARC-Record-ID")
        );
        assert_eq!(resp.field("WARC-Payload-Digest"), Some(d.as_str()));
        assert_eq!(
            resp.field("WARC-Block-Digest").unwrap(),
            digest(&resp.block)
        );
        assert!(resp.block.ends_with(b"\r\n\r\n<p>hi</p>"));
        assert_eq!(resp.field("WARC-IP-Address"), Some("127.0.0.2"));
    }

    #[test]
    fn duplicates_and_304s_become_revisits() {
        let head = b"HTTP/1.1 200 OK\r\n\r\n";
        let d = digest(b"same");
        let orig = Original {
            record_id: "<urn:uuid:1>".into(),
            target_uri: "http://127.0.0.2/first.html".into(),
            date: "2026-01-01T00:00:00.000Z".into(),
        };
        let recs = exchange_records(
            &exchange(200, head, b"same"),
            &record_id(),
            Some(&d),
            Some(&orig),
        );
        assert!(recs.revisit);
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(&config(dir.path(), 1 << 20), "ua").unwrap();
        w.write(&recs).unwrap();
        let not_modified = exchange_records(
            &exchange(304, b"HTTP/1.1 304 Not Modified\r\n\r\n", b""),
            &record_id(),
            None,
            None,
        );
        assert!(not_modified.revisit);
        w.write(&not_modified).unwrap();
        w.close().unwrap();
        let records = read_records(&w.files[0]).unwrap();
        let dup = &records[2];
        assert_eq!(dup.field("WARC-Type"), Some("revisit"));
        assert_eq!(dup.field("WARC-Profile"), Some(PROFILE_IDENTICAL));
        assert_eq!(dup.field("WARC-Refers-To"), Some("<urn:uuid:1>"));
        assert_eq!(records[2].block, head);
        let nm = &records[4];
        assert_eq!(nm.field("WARC-Profile"), Some(PROFILE_NOT_MODIFIED));
    }

    #[test]
    fn files_rotate_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(&config(dir.path(), 3000), "ua").unwrap();
        for i in 0..20 {
            let body = format!("page {i} {}", "x".repeat(i * 97));
            let recs = exchange_records(
                &exchange(200, b"HTTP/1.1 200 OK\r\n\r\n", body.as_bytes()),
                &record_id(),
                None,
                None,
            );
            w.write(&recs).unwrap();
        }
        w.close().unwrap();
        assert!(w.files.len() > 2, "{} files", w.files.len());
        let mut responses = 0;
        for f in &w.files {
            let records = read_records(f).unwrap();
            assert_eq!(records[0].field("WARC-Type"), Some("warcinfo"));
            responses += records
                .iter()
                .filter(|r| r.field("WARC-Type") == Some("response"))
                .count();
        }
        assert_eq!(responses, 20);
        assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .path()
            .to_string_lossy()
            .ends_with(".open")));
    }

    #[test]
    fn an_interrupted_file_is_cut_to_its_last_complete_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(&config(dir.path(), 1 << 20), "ua").unwrap();
        for body in ["one", "two"] {
            let recs = exchange_records(
                &exchange(200, b"HTTP/1.1 200 OK\r\n\r\n", body.as_bytes()),
                &record_id(),
                None,
                None,
            );
            w.write(&recs).unwrap();
        }
        // Simulate a kill: a half-written record at the end, the file still `.open`.
        let open = w.current.as_ref().unwrap().open_path.clone();
        let whole = std::fs::metadata(&open).unwrap().len();
        let recs = exchange_records(
            &exchange(200, b"HTTP/1.1 200 OK\r\n\r\n", b"three"),
            &record_id(),
            None,
            None,
        );
        let mut f = OpenOptions::new().append(true).open(&open).unwrap();
        f.write_all(&recs.bytes[..40]).unwrap();
        std::mem::forget(w);

        let w2 = WarcWriter::open(&config(dir.path(), 1 << 20), "ua").unwrap();
        drop(w2);
        let closed = dir.path().join(
            open.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .strip_suffix(".open")
                .unwrap(),
        );
        assert_eq!(std::fs::metadata(&closed).unwrap().len(), whole);
        assert_eq!(read_records(&closed).unwrap().len(), 5);
    }

    #[test]
    fn claims_make_the_first_capture_the_original_and_crashed_claims_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(&dir.path().join("a.db")).unwrap();
        let cap = |id: &str| Original {
            record_id: id.into(),
            target_uri: format!("http://h/{id}"),
            date: "2026-01-01T00:00:00.000Z".into(),
        };
        assert_eq!(a.warc_claim("d1", &cap("a")).unwrap(), None);
        // Being written: a second copy already refers to it.
        assert_eq!(a.warc_claim("d1", &cap("b")).unwrap(), Some(cap("a")));
        a.warc_confirm("d1").unwrap();
        assert_eq!(a.warc_claim("d2", &cap("c")).unwrap(), None);
        // A crash before d2 was confirmed: the next run forgets it.
        assert_eq!(a.warc_forget_unconfirmed().unwrap(), 1);
        assert_eq!(a.warc_claim("d2", &cap("e")).unwrap(), None);
        assert_eq!(a.warc_claim("d1", &cap("f")).unwrap(), Some(cap("a")));
    }

    #[test]
    fn an_open_file_with_nothing_complete_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.warc.gz.open");
        std::fs::write(&path, b"\x1f\x8b\x08garbage").unwrap();
        let done = recover(dir.path()).unwrap();
        assert_eq!(done.len(), 1);
        assert!(!path.exists() && !dir.path().join("x.warc.gz").exists());
    }
}
