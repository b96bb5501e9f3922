//! Archived pages read back for analysis: the analysis queue (detail pages and attachments a
//! `crawl --fetch-only` archived whose extraction, parsing and checks are still to run;
//! [`crate::crawl::backlog`] works through it in `nianbao analyse` and at the start of every
//! crawl that is not fetch-only), and the documents of archived reports (`nianbao reparse`).
//!
//! A queued page stays queued until its analysis is stored, in the same transaction, so an
//! interrupted analysis loses nothing and repeats nothing that was stored.

use rusqlite::{params, OptionalExtension};

use super::frontier::{item_from_row, FrontierItem, State, ITEM_COLUMNS};
use super::{Archive, Result};

/// An archived page to analyse, with what the analysis needs.
#[derive(Debug, Clone)]
pub struct PendingPage {
    /// `pages.id`.
    pub page_id: i64,
    /// SHA-256 of the raw bytes.
    pub sha256: String,
    /// The raw bytes, zstd-compressed as stored.
    pub raw_zstd: Vec<u8>,
    /// URL after redirects.
    pub final_url: String,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// `Content-Disposition` header, raw.
    pub content_disposition: Option<Vec<u8>>,
    /// The request it answered.
    pub item: FrontierItem,
}

/// A [`PendingPage`] from a row holding the request's [`ITEM_COLUMNS`], then (from column `n`)
/// the page's id, hash, bytes, final URL, Content-Type and Content-Disposition.
fn pending_from_row(r: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<PendingPage> {
    Ok(PendingPage {
        item: item_from_row(r)?,
        page_id: r.get(n)?,
        sha256: r.get(n + 1)?,
        raw_zstd: r.get(n + 2)?,
        final_url: r.get(n + 3)?,
        content_type: r.get(n + 4)?,
        content_disposition: r.get(n + 5)?,
    })
}

impl Archive {
    /// Queue the archived page `page_id` for analysis.
    pub fn queue_for_analysis(
        &self,
        page_id: i64,
        content_disposition: Option<&[u8]>,
    ) -> Result<()> {
        self.exec(
            "INSERT OR REPLACE INTO analysis_queue (page_id, content_disposition) VALUES (?1, ?2)",
            params![page_id, content_disposition],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Up to `limit` queued pages with ids above `after`, oldest first (so versions of a page
    /// are analysed in the order they were fetched).
    pub fn pending_analysis(&self, after: i64, limit: usize) -> Result<Vec<PendingPage>> {
        let item_columns: Vec<String> =
            ITEM_COLUMNS.split(", ").map(|c| format!("f.{c}")).collect();
        let sql = format!(
            "SELECT {}, p.id, p.raw_sha256, p.raw_zstd, p.final_url, p.content_type, q.content_disposition
             FROM analysis_queue q JOIN pages p ON p.id = q.page_id JOIN frontier f ON f.id = p.frontier_id
             WHERE q.page_id > ?1 ORDER BY q.page_id LIMIT ?2",
            item_columns.join(", ")
        );
        let n = item_columns.len();
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![after, limit as i64], |r| pending_from_row(r, n))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Record the analysis of a queued page: its decoded text (HTML), its request's state when
    /// the analysis changed it (not a report), and take it off the queue.
    pub fn finish_analysis(
        &self,
        page: &PendingPage,
        encoding: Option<&str>,
        text: Option<&str>,
        state: State,
        note: Option<&str>,
    ) -> Result<()> {
        if text.is_some() {
            self.exec(
                "UPDATE pages SET encoding = ?2, text = ?3 WHERE id = ?1",
                params![page.page_id, encoding, text],
            )
            .map_err(|e| self.err(e))?;
        }
        if state != State::Done {
            // Only while the request still stands where this page left it: a later fetch of
            // the same URL has its own say.
            self.exec(
                "UPDATE frontier SET state = ?2, last_error = ?3
                 WHERE id = ?1 AND state = 'done'
                   AND NOT EXISTS (SELECT 1 FROM pages WHERE frontier_id = ?1 AND id > ?4)",
                params![page.item.id, state.as_str(), note, page.page_id],
            )
            .map_err(|e| self.err(e))?;
        }
        self.exec(
            "DELETE FROM analysis_queue WHERE page_id = ?1",
            [page.page_id],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Take a page off the queue without analysis (its bytes could not be read back).
    pub fn drop_from_analysis(&self, page_id: i64) -> Result<()> {
        self.exec("DELETE FROM analysis_queue WHERE page_id = ?1", [page_id])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The reports to re-parse (those whose id starts with `prefix`, when given): each
    /// report's id, its stored format and the page its main document was read from.
    pub fn reports_to_reparse(
        &self,
        prefix: Option<&str>,
    ) -> Result<Vec<(String, Option<String>, i64)>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT r.id, r.format, d.page_id FROM reports r
                 JOIN documents d ON d.id = r.main_document_id
                 WHERE ?1 IS NULL OR substr(r.id, 1, length(?1)) = ?1 ORDER BY r.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// An archived page with the request it answered, as the analysis needs it (its
    /// `Content-Disposition` taken from the stored headers).
    pub fn stored_page(&self, page_id: i64) -> Result<Option<PendingPage>> {
        let item_columns: Vec<String> =
            ITEM_COLUMNS.split(", ").map(|c| format!("f.{c}")).collect();
        let sql = format!(
            "SELECT {}, p.id, p.raw_sha256, p.raw_zstd, p.final_url, p.content_type,
                    CAST(json_extract(p.headers, '$.\"content-disposition\"') AS BLOB)
             FROM pages p JOIN frontier f ON f.id = p.frontier_id WHERE p.id = ?1",
            item_columns.join(", ")
        );
        let n = item_columns.len();
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        st.query_row([page_id], |r| pending_from_row(r, n))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// How many pages wait for analysis.
    pub fn analysis_backlog(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM analysis_queue", [], |r| r.get(0))
            .optional()
            .map(|n| n.unwrap_or(0))
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::store::tests::{archive_with_one_request, page_of_the_request};
    use crate::archive::store::{compress, sha256_hex};

    /// An archive with one detail request and `versions` fetched pages of it.
    fn archive_with_pages(versions: usize) -> (tempfile::TempDir, Archive, Vec<i64>) {
        let (dir, a, run_id, frontier_id) = archive_with_one_request();
        let ids = (0..versions)
            .map(|v| {
                let raw = format!("<html><body>version {v}</body></html>");
                a.store_page(&page_of_the_request(run_id, frontier_id, raw.as_bytes()))
                    .unwrap()
            })
            .collect();
        (dir, a, ids)
    }

    #[test]
    fn queued_pages_come_back_in_fetch_order_with_their_bytes_and_request() {
        let (_dir, a, ids) = archive_with_pages(3);
        // Queued out of order; one page twice (a re-queue replaces, never duplicates).
        a.queue_for_analysis(ids[2], None).unwrap();
        a.queue_for_analysis(ids[0], Some(b"attachment; filename=\"a.pdf\""))
            .unwrap();
        a.queue_for_analysis(ids[1], None).unwrap();
        a.queue_for_analysis(ids[0], Some(b"attachment; filename=\"a.pdf\""))
            .unwrap();
        assert_eq!(a.analysis_backlog().unwrap(), 3);

        let first = a.pending_analysis(0, 2).unwrap();
        assert_eq!(
            first.iter().map(|p| p.page_id).collect::<Vec<_>>(),
            ids[..2]
        );
        let p = &first[0];
        assert_eq!(p.item.url.as_str(), "http://127.0.0.2/a.html");
        assert_eq!(p.final_url, "http://127.0.0.2/a.html");
        assert_eq!(p.content_type.as_deref(), Some("text/html"));
        assert_eq!(
            p.content_disposition.as_deref(),
            Some(&b"attachment; filename=\"a.pdf\""[..])
        );
        let raw = zstd::decode_all(&p.raw_zstd[..]).unwrap();
        assert_eq!(raw, b"<html><body>version 0</body></html>");
        assert_eq!(p.sha256, sha256_hex(&raw));
        assert_eq!(compress(&raw).map(|c| !c.is_empty()).ok(), Some(true));

        // Paging on from the last id seen.
        let rest = a.pending_analysis(ids[1], 10).unwrap();
        assert_eq!(rest.iter().map(|p| p.page_id).collect::<Vec<_>>(), [ids[2]]);
    }

    #[test]
    fn finishing_stores_the_text_takes_the_page_off_and_only_the_newest_version_sets_state() {
        let (_dir, a, ids) = archive_with_pages(2);
        for id in &ids {
            a.queue_for_analysis(*id, None).unwrap();
        }
        let pending = a.pending_analysis(0, 10).unwrap();
        let state = |a: &Archive| -> (String, Option<String>) {
            a.conn
                .query_row("SELECT state, last_error FROM frontier", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap()
        };

        // The older version is "not a report": a newer fetch exists, so the request's state
        // stays as the newer page will leave it.
        a.finish_analysis(
            &pending[0],
            Some("UTF-8"),
            Some("old text"),
            State::NotReport,
            Some("not a report"),
        )
        .unwrap();
        assert_eq!(state(&a), ("done".into(), None));
        let text: Option<String> = a
            .conn
            .query_row("SELECT text FROM pages WHERE id = ?1", [ids[0]], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(text.as_deref(), Some("old text"));
        assert_eq!(a.analysis_backlog().unwrap(), 1);

        a.finish_analysis(
            &pending[1],
            Some("UTF-8"),
            Some("new text"),
            State::NotReport,
            Some("not a report"),
        )
        .unwrap();
        assert_eq!(
            state(&a),
            ("not_report".into(), Some("not a report".to_string()))
        );
        assert_eq!(a.analysis_backlog().unwrap(), 0);
        assert!(a.pending_analysis(0, 10).unwrap().is_empty());
    }

    #[test]
    fn dropping_takes_a_page_off_without_touching_it() {
        let (_dir, a, ids) = archive_with_pages(1);
        a.queue_for_analysis(ids[0], None).unwrap();
        a.drop_from_analysis(ids[0]).unwrap();
        assert_eq!(a.analysis_backlog().unwrap(), 0);
        let text: Option<String> = a
            .conn
            .query_row("SELECT text FROM pages WHERE id = ?1", [ids[0]], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(text, None);
    }
}
