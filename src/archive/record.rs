//! The read model: one archived report as its users read it. [`Record`] is SPEC §4's export
//! record (typed, `Serialize` writes exactly the export's JSON), built here and only here, and
//! used by `export` (JSONL and CSV), the web page `/reports/{id}` and its `.json`, and
//! `nianbao show`. [`Details`] is what the web page shows beside it (the documents, when each
//! URL was found, the versions it replaces or is replaced by, the text).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::links::Correction;
use super::{Archive, Result};
use crate::model::{
    Check, DocumentRole, Doubt, Finding, Format, ParsedReport, ReportStatus, Source, Tables,
};

/// One report as exported (SPEC §4, plus `status`, `published`, `region`, `warnings`).
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Content id (hash of the normalised text).
    pub id: String,
    /// Report title.
    pub title: Option<String>,
    /// Publishing agency.
    pub agency: Option<String>,
    /// The year the report covers.
    pub year: Option<i32>,
    /// Table layout; `None` when no layout was recognised.
    pub format: Option<Format>,
    /// Every URL the report was found at, in URL order.
    pub urls: Vec<String>,
    /// Where its text came from.
    pub source: Source,
    /// Its tables (`null` where absent).
    pub tables: Tables,
    /// Every rule that could be evaluated.
    #[serde(serialize_with = "spec_checks")]
    pub checks: Vec<Check>,
    /// What a reviewer must know beyond the tables' own rules (SPEC §6); empty when nothing.
    pub findings: Vec<Finding>,
    /// How far reading it went.
    pub status: ReportStatus,
    /// Publication date the page states.
    pub published: Option<String>,
    /// Region of the seed it was found under.
    pub region: Option<String>,
    /// Parser warnings.
    pub warnings: Vec<String>,
    /// Where `title`, `agency` and `published` came from: `document` (the report's own text),
    /// `page` (the detail page's metadata), `link` (the link text that led to it),
    /// `announcement` (the page announcing the report file), or null when unknown.
    pub provenance: Provenance,
    /// What the analysis was unsure about (the title or agency, whether it is a report at
    /// all), one sentence each; empty when sure.
    pub uncertain: Vec<String>,
    /// Published corrections of this report (更正说明): their pages, titles and dates.
    pub corrections: Vec<Correction>,
    /// Cells, rows and tables the parser read with less than full certainty, and why.
    pub doubts: Vec<Doubt>,
}

/// Sources of a record's identifying fields (see [`Record::provenance`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// Source of `title`.
    pub title: Option<String>,
    /// Source of `agency`.
    pub agency: Option<String>,
    /// Source of `published`.
    pub published: Option<String>,
}

/// SPEC §4 `checks`: rule, ok, left, right (the cells a rule reads are for the web page).
fn spec_checks<S: serde::Serializer>(
    checks: &[Check],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct SpecCheck<'a> {
        rule: &'a str,
        ok: bool,
        left: crate::model::Number,
        right: crate::model::Number,
    }
    s.collect_seq(checks.iter().map(|c| SpecCheck {
        rule: &c.rule,
        ok: c.ok,
        left: c.left,
        right: c.right,
    }))
}

impl Record {
    /// What the parser made of the report, as `parse::render` prints it.
    pub fn parsed(&self) -> ParsedReport {
        ParsedReport {
            title: self.title.clone(),
            agency: self.agency.clone(),
            year: self.year,
            format: self.format,
            tables: self.tables.clone(),
            warnings: self.warnings.clone(),
            doubts: self.doubts.clone(),
        }
    }
}

/// A URL a report was found at.
#[derive(Debug, Clone, Serialize)]
pub struct FoundAt {
    /// The URL.
    pub url: String,
    /// As a detail page or an attachment.
    pub role: DocumentRole,
    /// When (unix ms).
    pub first_seen_at: i64,
}

/// A document (page body or attachment) a report was read from or found with.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Document id.
    pub id: i64,
    /// `html`, `pdf`, …
    pub kind: String,
    /// Where it was fetched.
    pub url: String,
    /// File name, when known.
    pub filename: Option<String>,
    /// Bytes.
    pub size: i64,
    /// When it was fetched (unix ms).
    pub fetched_at: i64,
    /// The document the report's text was read from.
    pub main: bool,
}

/// What the report page shows beside the [`Record`].
#[derive(Debug, Clone)]
pub struct Details {
    /// Every URL, in the order found.
    pub found_at: Vec<FoundAt>,
    /// Its documents, the main one among them.
    pub documents: Vec<Document>,
    /// The report text, or its first `max_text_bytes` (see [`Archive::details`]).
    pub text: String,
    /// The length of the whole text in bytes (more than `text.len()` when it was cut).
    pub text_bytes: usize,
    /// The older version of the same page this one replaced.
    pub previous_id: Option<String>,
    /// Newer versions that replaced this one.
    pub newer_ids: Vec<String>,
    /// First and last time a crawl saw it (unix ms).
    pub first_seen_at: i64,
    /// See `first_seen_at`.
    pub last_seen_at: i64,
}

/// The `reports` columns a [`Record`] is built from.
struct Row {
    title: Option<String>,
    agency: Option<String>,
    year: Option<i32>,
    format: Option<String>,
    source: String,
    status: String,
    published: Option<String>,
    region: Option<String>,
    identity: Option<String>,
}

impl Archive {
    /// Report ids in export order (agency, year, id), so two exports of equal archives are
    /// byte-identical.
    pub fn record_ids(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM reports ORDER BY coalesce(agency, ''), coalesce(year, 0), id")
            .map_err(|e| self.err(e))?;
        let ids = st
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(ids)
    }

    /// The record of report `id`, if archived.
    pub fn record(&self, id: &str) -> Result<Option<Record>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT title, agency, year, format, source, status, published, region, identity
                 FROM reports WHERE id = ?1",
            )
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(Row {
                        title: r.get(0)?,
                        agency: r.get(1)?,
                        year: r.get(2)?,
                        format: r.get(3)?,
                        source: r.get(4)?,
                        status: r.get(5)?,
                        published: r.get(6)?,
                        region: r.get(7)?,
                        identity: r.get(8)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))?;
        let Some(row) = row else { return Ok(None) };
        let identity: crate::analyse::Identity = row
            .identity
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        let corrections =
            self.corrections_of(row.title.as_deref(), row.agency.as_deref(), row.year)?;
        Ok(Some(Record {
            id: id.to_string(),
            title: row.title,
            agency: row.agency,
            year: row.year,
            format: row.format.as_deref().and_then(Format::parse),
            urls: self.strings(
                "SELECT url FROM report_urls WHERE report_id = ?1 ORDER BY url",
                id,
            )?,
            source: Source::parse(&row.source).unwrap_or(Source::Text),
            tables: self.load_tables(id)?,
            checks: self.load_checks(id)?,
            findings: self.load_findings(id)?,
            status: ReportStatus::from_stored(&row.status),
            published: row.published,
            region: row.region,
            warnings: self.strings(
                "SELECT message FROM warnings WHERE report_id = ?1 ORDER BY rowid",
                id,
            )?,
            provenance: Provenance {
                title: identity.title,
                agency: identity.agency,
                published: identity.published,
            },
            uncertain: identity.doubts,
            corrections,
            doubts: self.load_doubts(id)?,
        }))
    }

    /// What the report page shows beside the record of `id`, with at most the first
    /// `max_text_bytes` of its text (cut at a character boundary; only that much is read from
    /// the file, however long the text).
    pub fn details(&self, id: &str, max_text_bytes: usize) -> Result<Details> {
        let (rowid, main, previous_id, first_seen_at, last_seen_at): (i64, Option<i64>, _, i64, i64) = self
            .conn
            .query_row(
                "SELECT rowid, main_document_id, previous_id, first_seen_at, last_seen_at FROM reports WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .map_err(|e| self.err(e))?;
        let (text, text_bytes) = self.text_prefix(rowid, max_text_bytes)?;
        let found_at = self
            .conn
            .prepare_cached(
                "SELECT url, kind, first_seen_at FROM report_urls WHERE report_id = ?1 ORDER BY first_seen_at, url",
            )
            .and_then(|mut st| {
                st.query_map([id], |r| {
                    let kind: String = r.get(1)?;
                    Ok(FoundAt {
                        url: r.get(0)?,
                        role: DocumentRole::parse(&kind).unwrap_or(DocumentRole::Detail),
                        first_seen_at: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))?;
        let main = main.unwrap_or(-1);
        let documents = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.kind, d.url, d.filename, p.raw_len, p.fetched_at FROM documents d JOIN pages p ON p.id = d.page_id
                 WHERE d.report_id = ?1 OR d.id = ?2 ORDER BY d.id",
            )
            .and_then(|mut st| {
                st.query_map(params![id, main], |r| {
                    let doc: i64 = r.get(0)?;
                    Ok(Document {
                        id: doc,
                        kind: r.get(1)?,
                        url: r.get(2)?,
                        filename: r.get(3)?,
                        size: r.get(4)?,
                        fetched_at: r.get(5)?,
                        main: doc == main,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))?;
        Ok(Details {
            found_at,
            documents,
            text,
            text_bytes,
            previous_id,
            newer_ids: self.strings(
                "SELECT id FROM reports WHERE previous_id = ?1 ORDER BY first_seen_at",
                id,
            )?,
            first_seen_at,
            last_seen_at,
        })
    }

    /// The report whose id is `id` or starts with it (at least 6 hex digits); `Ok(Err(why))`
    /// when there is none or more than one.
    pub fn resolve_report_id(&self, id: &str) -> Result<std::result::Result<String, String>> {
        if id.len() < 6 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(Err(format!(
                "{id}: not a report id (hex, at least 6 characters)"
            )));
        }
        let mut st = self
            .conn
            .prepare("SELECT id FROM reports WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2")
            .map_err(|e| self.err(e))?;
        let ids: Vec<String> = st
            .query_map([id.to_ascii_lowercase()], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(format!("no report {id}")),
            _ => Err(format!("{id}: more than one report has this prefix")),
        })
    }

    /// The first `max` bytes of the text of the report in row `rowid` (cut back to a character
    /// boundary) and the text's whole length, read through SQLite's incremental I/O so a long
    /// text is never loaded whole.
    fn text_prefix(&self, rowid: i64, max: usize) -> Result<(String, usize)> {
        let blob = self
            .conn
            .blob_open(rusqlite::MAIN_DB, "reports", "text", rowid, true)
            .map_err(|e| self.err(e))?;
        let len = blob.len();
        let mut buf = vec![0u8; len.min(max)];
        blob.read_at_exact(&mut buf, 0).map_err(|e| self.err(e))?;
        let text = match String::from_utf8(buf) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                bytes.truncate(valid);
                String::from_utf8(bytes).unwrap_or_default()
            }
        };
        Ok((text, len))
    }

    /// The one-column text result of `sql` for report `id`.
    fn strings(&self, sql: &str, id: &str) -> Result<Vec<String>> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
