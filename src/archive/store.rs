//! Storing what was fetched: pages (every response with content), documents (report bodies
//! and attachment files, by byte hash), reports (by normalised-text hash, with every URL they
//! were found at) and their parsed cells, checks, warnings and doubts.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{now_ms, Archive, ArchiveError, Result};
use crate::model::{Check, DocumentRole, Number, ParsedReport, ReportStatus, Source, TableName};

/// A response to store.
#[derive(Debug)]
pub struct NewPage<'a> {
    /// Frontier row it answers.
    pub frontier_id: i64,
    /// Current run.
    pub run_id: i64,
    /// Requested URL.
    pub url: &'a str,
    /// URL after redirects.
    pub final_url: &'a str,
    /// HTTP status.
    pub status: u16,
    /// Response headers as a JSON object.
    pub headers_json: &'a str,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `ETag`.
    pub etag: Option<&'a str>,
    /// `Last-Modified`.
    pub last_modified: Option<&'a str>,
    /// Body bytes as received.
    pub raw: &'a [u8],
    /// `raw` already compressed with [`compress`] (else it is compressed here).
    pub raw_zstd: Option<&'a [u8]>,
    /// [`sha256_hex`] of `raw`, already computed (else it is computed here).
    pub raw_sha256: Option<&'a str>,
    /// Encoding used to decode `text`.
    pub encoding: Option<&'a str>,
    /// Decoded text for textual responses.
    pub text: Option<&'a str>,
}

impl NewPage<'_> {
    /// [`sha256_hex`] of the body: the caller's when given, else computed now.
    pub fn sha256(&self) -> std::borrow::Cow<'_, str> {
        match self.raw_sha256 {
            Some(sha) => sha.into(),
            None => sha256_hex(self.raw).into(),
        }
    }
}

/// A report document (detail page body or attachment) to store.
#[derive(Debug)]
pub struct NewDocument<'a> {
    /// The page row holding its bytes.
    pub page_id: i64,
    /// Where it was fetched.
    pub url: &'a str,
    /// `html`, `pdf`, `docx`, …
    pub kind: &'a str,
    /// File name from the link text or `Content-Disposition`.
    pub filename: Option<&'a str>,
    /// SHA-256 of the raw bytes.
    pub sha256: &'a str,
    /// Extracted text.
    pub text: Option<&'a str>,
    /// What the analysis made of it; stored as `report` once a report links it.
    pub status: &'a ReportStatus,
}

/// A unique report to store.
#[derive(Debug)]
pub struct NewReport<'a> {
    /// Content id (SPEC §4 `id`).
    pub id: &'a str,
    /// Where its text came from.
    pub source: Source,
    /// How far reading it went.
    pub status: &'a ReportStatus,
    /// Publication date from the page.
    pub published: Option<&'a str>,
    /// Region of the seed it was found under.
    pub region: Option<&'a str>,
    /// The document it was read from.
    pub document_id: i64,
    /// Report text (for search and reparse).
    pub text: &'a str,
    /// Title, agency, year and format as parsed, so the row (and its search index entry) is
    /// written once.
    pub parsed: Option<&'a ParsedReport>,
}

/// SHA-256 in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// zstd level of stored page bytes.
pub const ZSTD_LEVEL: i32 = 3;

/// `raw` compressed with zstd at [`ZSTD_LEVEL`], as stored in `pages.raw_zstd`.
///
/// Compression contexts are reused from a small shared pool: making a fresh one per page (as
/// `zstd::encode_all` does) allocated and cleared ≈1 MB of tables every time, a tenth of the
/// cost of compressing a 36 KB report. A pool rather than one context per thread because
/// pages are compressed on tokio's blocking threads, which come and go: per-thread contexts
/// piled up to 4 MB of a 40 MB crawl, while the pool holds only as many contexts as pages
/// were ever compressed at once (the CPU permits bound that to the core count).
pub fn compress(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    static POOL: std::sync::Mutex<Vec<zstd::bulk::Compressor<'static>>> =
        std::sync::Mutex::new(Vec::new());
    let taken = POOL.lock().map(|mut pool| pool.pop()).unwrap_or(None);
    let mut compressor = match taken {
        Some(c) => c,
        None => zstd::bulk::Compressor::new(ZSTD_LEVEL)?,
    };
    let compressed = compressor.compress(raw);
    if let Ok(mut pool) = POOL.lock() {
        pool.push(compressor);
    }
    compressed
}

impl Archive {
    /// Store one response; returns the page id.
    pub fn store_page(&self, p: &NewPage<'_>) -> Result<i64> {
        let compressed = match p.raw_zstd {
            Some(c) => std::borrow::Cow::Borrowed(c),
            None => {
                std::borrow::Cow::Owned(compress(p.raw).map_err(|source| ArchiveError::Io {
                    path: self.path.clone(),
                    source,
                })?)
            }
        };
        self.conn
            .prepare_cached(
                "INSERT INTO pages (frontier_id, run_id, url, final_url, status, fetched_at, headers, content_type,
                                    etag, last_modified, raw_sha256, raw_len, raw_zstd, encoding, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    p.frontier_id,
                    p.run_id,
                    p.url,
                    p.final_url,
                    p.status,
                    now_ms(),
                    p.headers_json,
                    p.content_type,
                    p.etag,
                    p.last_modified,
                    p.sha256(),
                    p.raw.len() as i64,
                    compressed.as_ref(),
                    p.encoding,
                    p.text,
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The raw bytes of a stored page.
    pub fn page_raw(&self, page_id: i64) -> Result<Option<Vec<u8>>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT raw_zstd FROM pages WHERE id = ?1", [page_id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        match blob {
            None => Ok(None),
            Some(b) => zstd::decode_all(&b[..])
                .map(Some)
                .map_err(|source| ArchiveError::Io {
                    path: self.path.clone(),
                    source,
                }),
        }
    }

    /// Store a document unless its bytes are known; returns its id and the report it
    /// already belongs to, if any.
    pub fn upsert_document(&self, d: &NewDocument<'_>) -> Result<(i64, Option<String>)> {
        let existing: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT id, report_id FROM documents WHERE sha256 = ?1",
                [d.sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some(found) = existing {
            return Ok(found);
        }
        let text_sha = d.text.map(|t| sha256_hex(t.as_bytes()));
        self.exec(
                "INSERT INTO documents (sha256, page_id, url, kind, filename, text, text_sha256, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![d.sha256, d.page_id, d.url, d.kind, d.filename, d.text, text_sha, d.status.as_str(), now_ms()],
            )
            .map_err(|e| self.err(e))?;
        Ok((self.conn.last_insert_rowid(), None))
    }

    /// Insert a report if its id is new (returns true), else mark it seen again. Either way
    /// the document is linked to it.
    pub fn upsert_report(&self, r: &NewReport<'_>) -> Result<bool> {
        let now = now_ms();
        let inserted = self.exec(
                "INSERT OR IGNORE INTO reports (id, source, status, published, region, main_document_id, text,
                                                first_seen_at, last_seen_at, title, agency, year, format)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)",
                params![
                    r.id,
                    r.source.as_str(),
                    r.status.as_str(),
                    r.published,
                    r.region,
                    r.document_id,
                    r.text,
                    now,
                    r.parsed.and_then(|p| p.title.as_deref()),
                    r.parsed.and_then(|p| p.agency.as_deref()),
                    r.parsed.and_then(|p| p.year),
                    r.parsed.and_then(|p| p.format).map(|f| f.as_str()),
                ],
            )
            .map_err(|e| self.err(e))?;
        if inserted == 0 {
            self.exec(
                    // Keep the earliest publication date and the first region in name order, so
                    // the result does not depend on which copy was fetched first.
                    "UPDATE reports SET last_seen_at = ?2,
                            published = CASE WHEN ?3 IS NOT NULL AND (published IS NULL OR ?3 < published) THEN ?3 ELSE published END,
                            region = CASE WHEN ?4 IS NOT NULL AND (region IS NULL OR ?4 < region) THEN ?4 ELSE region END
                     WHERE id = ?1",
                    params![r.id, now, r.published, r.region],
                )
                .map_err(|e| self.err(e))?;
        }
        self.exec(
            "UPDATE documents SET report_id = ?2, status = 'report' WHERE id = ?1",
            params![r.document_id, r.id],
        )
        .map_err(|e| self.err(e))?;
        Ok(inserted > 0)
    }

    /// Remember that `report_id` was found at `url`, as a detail page or an attachment.
    pub fn add_report_url(&self, report_id: &str, url: &str, role: DocumentRole) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO report_urls (report_id, url, kind, first_seen_at) VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut st| st.execute(params![report_id, url, role.as_str(), now_ms()]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The report currently stored for a URL (the most recent one), if any.
    pub fn report_at_url(&self, url: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT report_id FROM report_urls WHERE url = ?1 ORDER BY first_seen_at DESC LIMIT 1",
                [url],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Link a report to the older version of the same page it replaces upstream.
    pub fn set_previous_version(&self, report_id: &str, previous_id: &str) -> Result<()> {
        self.exec(
                "UPDATE reports SET previous_id = ?2 WHERE id = ?1 AND previous_id IS NULL AND id <> ?2",
                params![report_id, previous_id],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Replace a report's parse results (metadata, cells, checks, warnings). Returns the
    /// number of cells whose value or raw text changed compared with what was stored.
    pub fn save_parse(
        &self,
        report_id: &str,
        status: &ReportStatus,
        parsed: &ParsedReport,
        checks: &[Check],
    ) -> Result<usize> {
        let old = self.cell_values(report_id)?;
        self.exec(
                "UPDATE reports SET title = ?2, agency = ?3, year = ?4, format = ?5, status = ?6, parsed_at = ?7 WHERE id = ?1",
                params![
                    report_id,
                    parsed.title,
                    parsed.agency,
                    parsed.year,
                    parsed.format.map(|f| f.as_str()),
                    status.as_str(),
                    now_ms()
                ],
            )
            .map_err(|e| self.err(e))?;
        for sql in [
            "DELETE FROM cells WHERE report_id = ?1",
            "DELETE FROM checks WHERE report_id = ?1",
            "DELETE FROM warnings WHERE report_id = ?1",
            "DELETE FROM doubts WHERE report_id = ?1",
        ] {
            self.exec(sql, [report_id]).map_err(|e| self.err(e))?;
        }
        let mut new = Vec::new();
        {
            let mut st = self
                .conn
                .prepare_cached("INSERT INTO cells (report_id, tbl, row, col, value, raw, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .map_err(|e| self.err(e))?;
            for name in TableName::ALL {
                let Some(table) = parsed.tables.get(name) else {
                    continue;
                };
                for (row, col, cell) in table.iter() {
                    let value = cell.value.map(number_sql);
                    let origin = match cell.origin {
                        crate::model::Origin::Read => "read",
                        crate::model::Origin::Inferred => "inferred",
                    };
                    st.execute(params![
                        report_id,
                        name.as_str(),
                        row,
                        col,
                        value,
                        cell.raw,
                        origin
                    ])
                    .map_err(|e| self.err(e))?;
                    // What changed is only asked for when re-parsing a stored report.
                    if !old.is_empty() {
                        new.push((
                            format!("{}.{row}.{col}", name.as_str()),
                            cell.value.map(|v| v.to_string()),
                            cell.raw.clone(),
                        ));
                    }
                }
            }
        }
        {
            let mut st = self
                .conn
                .prepare_cached("INSERT OR REPLACE INTO checks (report_id, rule, ok, left, right, cells) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(|e| self.err(e))?;
            for c in checks {
                let cells = serde_json::to_string(&c.cells).unwrap_or_default();
                st.execute(params![
                    report_id,
                    c.rule,
                    c.ok,
                    number_sql(c.left),
                    number_sql(c.right),
                    cells
                ])
                .map_err(|e| self.err(e))?;
            }
            let mut st = self
                .conn
                .prepare_cached("INSERT INTO warnings (report_id, message) VALUES (?1, ?2)")
                .map_err(|e| self.err(e))?;
            for w in &parsed.warnings {
                st.execute(params![report_id, w]).map_err(|e| self.err(e))?;
            }
            let mut st = self
                .conn
                .prepare_cached("INSERT INTO doubts (report_id, tbl, row, col, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(|e| self.err(e))?;
            for d in &parsed.doubts {
                st.execute(params![
                    report_id,
                    d.table.as_str(),
                    d.row,
                    d.column,
                    d.kind.as_str(),
                    d.detail
                ])
                .map_err(|e| self.err(e))?;
            }
        }
        let changed = if old.is_empty() {
            0
        } else {
            diff_count(&old, &new)
        };
        Ok(changed)
    }

    fn cell_values(&self, report_id: &str) -> Result<Vec<(String, Option<String>, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT tbl || '.' || row || '.' || col, CAST(value AS TEXT), raw FROM cells WHERE report_id = ?1")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([report_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Counts of what the archive holds: (reports, documents, pages, cells).
    pub fn totals(&self) -> Result<(i64, i64, i64, i64)> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM documents),
                        (SELECT count(*) FROM pages), (SELECT count(*) FROM cells)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.err(e))
    }
}

/// A number as SQLite stores it (integers stay integers).
fn number_sql(n: Number) -> rusqlite::types::Value {
    match n {
        Number::Int(i) => rusqlite::types::Value::Integer(i),
        Number::Decimal(d) => rusqlite::types::Value::Real(d),
    }
}

fn diff_count(
    old: &[(String, Option<String>, String)],
    new: &[(String, Option<String>, String)],
) -> usize {
    use std::collections::HashMap;
    let old: HashMap<&str, (&Option<String>, &str)> = old
        .iter()
        .map(|(k, v, r)| (k.as_str(), (v, r.as_str())))
        .collect();
    let mut changed = new
        .iter()
        .filter(|(k, v, r)| {
            old.get(k.as_str())
                .is_none_or(|(ov, or)| *ov != v || *or != r.as_str())
        })
        .count();
    let new_keys: std::collections::HashSet<&str> =
        new.iter().map(|(k, _, _)| k.as_str()).collect();
    changed += old.keys().filter(|k| !new_keys.contains(*k)).count();
    changed
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A new archive with a run and one fetched detail request for http://127.0.0.2/a.html:
    /// (its directory, the archive, the run id, the request's frontier id).
    pub(crate) fn archive_with_one_request() -> (tempfile::TempDir, Archive, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(&dir.path().join("a.db")).unwrap();
        let run_id = a.start_run(1).unwrap();
        a.conn
            .execute(
                "INSERT INTO frontier (key, url, kind, host, depth, state, discovered_at)
                 VALUES ('k', 'http://127.0.0.2/a.html', 'detail', '127.0.0.2', 1, 'done', 0)",
                [],
            )
            .unwrap();
        let frontier_id = a.conn.last_insert_rowid();
        (dir, a, run_id, frontier_id)
    }

    /// A 200 response of that request carrying `raw` (hash and compression left to the store).
    pub(crate) fn page_of_the_request(run_id: i64, frontier_id: i64, raw: &[u8]) -> NewPage<'_> {
        NewPage {
            frontier_id,
            run_id,
            url: "http://127.0.0.2/a.html",
            final_url: "http://127.0.0.2/a.html",
            status: 200,
            headers_json: "{}",
            content_type: Some("text/html"),
            etag: None,
            last_modified: None,
            raw,
            raw_zstd: None,
            raw_sha256: None,
            encoding: None,
            text: None,
        }
    }

    #[test]
    fn compress_round_trips_and_reuses_its_context() {
        let report = "某县2023年政府信息公开工作年度报告 | 120 | 43.788 |\n".repeat(400);
        let small = b"<html>short</html>";
        for _ in 0..3 {
            let c = compress(report.as_bytes()).unwrap();
            assert!(c.len() < report.len() / 10);
            assert_eq!(zstd::decode_all(&c[..]).unwrap(), report.as_bytes());
            // A context reused after a large input still frames a small one on its own.
            let c = compress(small).unwrap();
            assert_eq!(zstd::decode_all(&c[..]).unwrap(), small);
        }
    }

    #[test]
    fn pages_keep_the_hash_and_compression_made_by_the_caller_or_make_their_own() {
        let (_dir, a, run_id, frontier_id) = archive_with_one_request();
        let raw = b"<html><body>report</body></html>";
        let (zipped, sha) = (compress(raw).unwrap(), sha256_hex(raw));
        let page = |raw_zstd, raw_sha256| NewPage {
            raw_zstd,
            raw_sha256,
            ..page_of_the_request(run_id, frontier_id, raw)
        };
        let given = a.store_page(&page(Some(&zipped), Some(&sha))).unwrap();
        let made = a.store_page(&page(None, None)).unwrap();
        for id in [given, made] {
            assert_eq!(a.page_raw(id).unwrap().unwrap(), raw);
            let stored: String = a
                .conn
                .query_row("SELECT raw_sha256 FROM pages WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(stored, sha);
        }
    }
}
