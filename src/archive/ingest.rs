//! Storing an analysed document ([`crate::analyse::Analysis`]): its document row (by byte hash),
//! and — when it is a report — the report under its content id with the URL it was found at,
//! its cells, checks and warnings, the cross-year check, and the link to the version of the
//! same URL it replaces. One call per document, inside the writer's transaction.

use rusqlite::params;

use super::store::{NewDocument, NewPage, NewReport};
use super::{Archive, Result};
use crate::analyse::Analysis;
use crate::model::{DocumentRole, ParsedReport, Table, TableName, Tables};
use crate::title::compact;

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A report the archive did not hold.
    NewReport,
    /// A report already archived (found again, at this or another URL).
    KnownReport,
    /// Not a report: only the document was stored.
    NotReport,
}

/// Whether two reports' tables hold the same numbers: at least one table with values on both
/// sides, and no table present on both sides whose values differ.
pub fn tables_agree(a: &Tables, b: &Tables) -> bool {
    let mut compared = 0;
    for name in TableName::ALL {
        let (Some(x), Some(y)) = (a.get(name), b.get(name)) else {
            continue;
        };
        if x.is_blank() || y.is_blank() {
            continue;
        }
        let values = |t: &Table| {
            t.iter()
                .map(|(r, c, cell)| (r, c, cell.value.map(|v| v.as_f64())))
                .collect::<Vec<_>>()
        };
        if values(x) != values(y) {
            return false;
        }
        compared += 1;
    }
    compared > 0
}

/// Whether any table holds a value.
fn has_values(t: &Tables) -> bool {
    TableName::ALL
        .into_iter()
        .filter_map(|n| t.get(n))
        .any(|t| !t.is_blank())
}

/// Whether two optional names (agencies) can be one: either unknown, or one holds the other.
fn names_agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (compact(a), compact(b));
            a.contains(&b) || b.contains(&a)
        }
        _ => true,
    }
}

impl Archive {
    /// Whether `analysis` (a file found on the page of report `parent`) is the same report:
    /// their tables agree, or one of the two has no numbers (a page with the report's prose and
    /// its tables in the attached file; a file that cannot be read) and they name the same year
    /// and agency.
    fn same_report(&self, parent: &str, analysis: &Analysis) -> Result<bool> {
        let tables = self.load_tables(parent)?;
        if tables_agree(&tables, &analysis.parsed.tables) {
            return Ok(true);
        }
        if has_values(&tables) && has_values(&analysis.parsed.tables) {
            return Ok(false);
        }
        self.same_identity(parent, analysis)
    }

    /// Whether `analysis` is another page of the article whose report is `part`: no table
    /// holds other numbers, and they name the same year and agency.
    fn same_part(&self, part: &str, analysis: &Analysis) -> Result<bool> {
        let tables = self.load_tables(part)?;
        if super::parts::tables_conflict(&tables, &analysis.parsed.tables) {
            return Ok(false);
        }
        self.same_identity(part, analysis)
    }

    /// Whether report `id` and `analysis` name the same year and agency (either unknown
    /// counts as the same).
    fn same_identity(&self, id: &str, analysis: &Analysis) -> Result<bool> {
        let parent = id;
        let (agency, year): (Option<String>, Option<i32>) = self
            .conn()
            .query_row(
                "SELECT agency, year FROM reports WHERE id = ?1",
                [parent],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let own_year = analysis.parsed.year.or_else(|| {
            analysis
                .parsed
                .title
                .as_deref()
                .and_then(crate::title::year)
        });
        let years = own_year.is_none() || year.is_none() || own_year == year;
        Ok(years && names_agree(agency.as_deref(), analysis.parsed.agency.as_deref()))
    }

    /// Report `id` (read so far without numbers) takes the tables of `analysis`, another
    /// document of it, which becomes its main document; its title and agency stay unless it
    /// had none.
    fn take_tables(&self, id: &str, doc_id: i64, analysis: &Analysis) -> Result<()> {
        if has_values(&self.load_tables(id)?) {
            return Ok(());
        }
        let (title, agency, year): (Option<String>, Option<String>, Option<i32>) = self
            .conn()
            .query_row(
                "SELECT title, agency, year FROM reports WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.err(e))?;
        let p = &analysis.parsed;
        let merged = ParsedReport {
            title: title.or_else(|| p.title.clone()),
            agency: agency.or_else(|| p.agency.clone()),
            year: year.or(p.year),
            format: p.format,
            tables: p.tables.clone(),
            warnings: p.warnings.clone(),
            doubts: p.doubts.clone(),
        };
        self.save_parse(id, &analysis.verdict.status(), &merged, &analysis.checks)?;
        self.exec(
            "UPDATE reports SET main_document_id = ?2, source = ?3 WHERE id = ?1",
            params![id, doc_id, analysis.source.as_str()],
        )
        .map_err(|e| self.err(e))?;
        if let (Some(agency), Some(year)) = (&merged.agency, merged.year) {
            self.update_cross_year(id, agency, year)?;
        }
        Ok(())
    }

    /// Store the page that answered a request for `url`, its document and — if it is one —
    /// the report. `region` is the region of the seed the page was found under.
    pub fn store_analysed(
        &self,
        page: &NewPage<'_>,
        url: &str,
        region: Option<&str>,
        analysis: &Analysis,
    ) -> Result<Stored> {
        let page_id = self.store_page(page)?;
        self.store_document(page_id, &page.sha256(), url, region, analysis)
    }

    /// Store the document of the archived page `page_id` (whose bytes hash to `sha`), fetched
    /// for `url`, and — if it is one — the report: the second half of
    /// [`Archive::store_analysed`], also used for pages a fetch-only crawl archived.
    pub fn store_document(
        &self,
        page_id: i64,
        sha: &str,
        url: &str,
        region: Option<&str>,
        analysis: &Analysis,
    ) -> Result<Stored> {
        let status = analysis.verdict.status();
        let doc = NewDocument {
            page_id,
            url,
            kind: analysis.kind.as_str(),
            filename: analysis.filename.as_deref(),
            sha256: sha,
            text: Some(&analysis.text),
            status: &status,
        };
        let (doc_id, _) = self.upsert_document(&doc)?;
        if !analysis.verdict.is_report() {
            // An announcement's files, a correction's report.
            self.record_page_notes(url, analysis)?;
            return Ok(Stored::NotReport);
        }
        let previous = self.report_at_url(url)?;
        // A file of a detail page that holds the same report (its tables agree, or one of the
        // two has no numbers and both name the same year and agency) is another document of
        // that report, not a report of its own.
        let parent = analysis
            .parent_url
            .as_deref()
            .map(|u| self.report_at_url(u))
            .transpose()?
            .flatten()
            .filter(|p| *p != analysis.id);
        let same_parent = match parent {
            Some(parent) if self.same_report(&parent, analysis)? => Some(parent),
            _ => None,
        };
        // Another page of an article split over pages.
        let part = match &same_parent {
            None if analysis.role == DocumentRole::Detail => self
                .article_report(url)?
                .filter(|p| *p != analysis.id)
                .map(|p| self.same_part(&p, analysis).map(|same| same.then_some(p)))
                .transpose()?
                .flatten(),
            _ => None,
        };
        let id = same_parent
            .or_else(|| part.clone())
            .unwrap_or_else(|| analysis.id.clone());
        let new = self.upsert_report(&NewReport {
            id: &id,
            source: analysis.source,
            status: &status,
            published: analysis.published.as_deref(),
            region,
            document_id: doc_id,
            text: &analysis.text,
            parsed: Some(&analysis.parsed),
        })?;
        self.add_report_url(&id, url, analysis.role)?;
        if new {
            self.save_parse(&id, &status, &analysis.parsed, &analysis.checks)?;
            self.save_identity(&id, &analysis.identity)?;
            if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
                self.update_cross_year(&id, agency, year)?;
            }
        } else if part.is_some() {
            self.merge_part(&id, analysis)?;
        } else if id != analysis.id && has_values(&analysis.parsed.tables) {
            self.take_tables(&id, doc_id, analysis)?;
        }
        self.apply_page_links(&id)?;
        if let Some(previous) = previous.filter(|p| *p != id) {
            self.set_previous_version(&id, &previous)?;
        }
        Ok(if new {
            Stored::NewReport
        } else {
            Stored::KnownReport
        })
    }
}
