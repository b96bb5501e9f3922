//! Storing an analysed document ([`crate::analyse::Analysis`]): its document row (by byte hash),
//! and — when it is a report — the report under its content id with the URL it was found at,
//! its cells, checks and warnings, the cross-year check, and the link to the version of the
//! same URL it replaces. One call per document, inside the writer's transaction.

use super::store::{NewDocument, NewPage, NewReport};
use super::{Archive, Result};
use crate::analyse::Analysis;
use crate::model::{Table, TableName, Tables};

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

impl Archive {
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
            return Ok(Stored::NotReport);
        }
        let previous = self.report_at_url(url)?;
        // An attachment of a detail page that holds the same report as HTML (its tables agree)
        // is another document of that report, not a report of its own.
        let id = match analysis
            .parent_url
            .as_deref()
            .map(|u| self.report_at_url(u))
            .transpose()?
            .flatten()
        {
            Some(parent)
                if parent != analysis.id
                    && tables_agree(&self.load_tables(&parent)?, &analysis.parsed.tables) =>
            {
                parent
            }
            _ => analysis.id.clone(),
        };
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
            if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
                self.update_cross_year(&id, agency, year)?;
            }
        }
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
