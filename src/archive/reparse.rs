//! What `nianbao reparse` reads and compares: every archived document with its page and
//! report, the URLs a document was found at, and a snapshot of the reports' identifying fields
//! to say afterwards how many records changed and how.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Archive, Result};

/// An archived document to analyse again.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// `documents.id`.
    pub id: i64,
    /// The page holding its bytes.
    pub page_id: i64,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The report it belongs to, if any.
    pub report_id: Option<String>,
    /// Whether it is that report's main document (the one its text was read from).
    pub main: bool,
}

/// title, agency, year, format, status, published.
pub type Fields = (
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<String>,
    String,
    Option<String>,
);

/// A report's identifying fields as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// A digest of its cells (table, row, column, value, raw text).
    pub cells: u64,
    /// title, agency, year, format, status, published.
    pub fields: Fields,
    /// Its URLs, in order.
    pub urls: Vec<String>,
}

impl Archive {
    /// Every document (detail page bodies and files), in the order their pages were fetched;
    /// only those of reports whose id starts with `prefix` when one is given.
    pub fn documents_to_reanalyse(&self, prefix: Option<&str>) -> Result<Vec<StoredDocument>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT d.id, d.page_id, d.sha256, d.report_id, r.main_document_id = d.id
                 FROM documents d LEFT JOIN reports r ON r.id = d.report_id
                 WHERE ?1 IS NULL OR substr(d.report_id, 1, length(?1)) = ?1
                 ORDER BY d.page_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([prefix], |r| {
                Ok(StoredDocument {
                    id: r.get(0)?,
                    page_id: r.get(1)?,
                    sha256: r.get(2)?,
                    report_id: r.get(3)?,
                    main: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The request URLs whose responses carried these bytes (one document, many URLs).
    pub fn urls_of_bytes(&self, sha256: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT f.url FROM pages p JOIN frontier f ON f.id = p.frontier_id
                 WHERE p.raw_sha256 = ?1 ORDER BY f.url",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([sha256], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Mark a document as no report's.
    pub fn set_document_not_report(&self, doc_id: i64) -> Result<()> {
        self.exec(
            "UPDATE documents SET report_id = NULL, status = 'not_report' WHERE id = ?1",
            params![doc_id],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every report's identifying fields and URLs, by id.
    pub fn snapshot(&self) -> Result<BTreeMap<String, Snapshot>> {
        let mut out = BTreeMap::new();
        let mut st = self
            .conn
            .prepare(
                "SELECT id, title, agency, year, format, status, published FROM reports ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ),
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        let mut cells = self.cell_digests()?;
        for (id, fields) in rows {
            let urls = self.report_urls(&id)?;
            let cells = cells.remove(&id).unwrap_or(0);
            out.insert(
                id,
                Snapshot {
                    cells,
                    fields,
                    urls,
                },
            );
        }
        Ok(out)
    }

    /// A digest of each report's cells, read as one stream.
    fn cell_digests(&self) -> Result<BTreeMap<String, u64>> {
        use std::hash::{Hash, Hasher};
        let mut st = self
            .conn
            .prepare(
                "SELECT report_id, tbl, row, col, CAST(value AS TEXT), raw FROM cells
                 ORDER BY report_id, tbl, row, col",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let mut out = BTreeMap::new();
        let mut current: Option<(String, std::collections::hash_map::DefaultHasher)> = None;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let id: String = r.get(0).map_err(|e| self.err(e))?;
            if current.as_ref().is_none_or(|(c, _)| *c != id) {
                if let Some((done, h)) = current.take() {
                    out.insert(done, h.finish());
                }
                current = Some((id, Default::default()));
            }
            if let Some((_, h)) = current.as_mut() {
                for i in 1..6 {
                    let v: Option<String> = r.get(i).map_err(|e| self.err(e))?;
                    v.hash(h);
                }
            }
        }
        if let Some((done, h)) = current {
            out.insert(done, h.finish());
        }
        Ok(out)
    }

    /// A report's URLs in order.
    pub fn report_urls(&self, id: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT url FROM report_urls WHERE report_id = ?1 ORDER BY url")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
