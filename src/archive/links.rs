//! What pages that are not reports say about reports, and where a report's identifying fields
//! came from (migration 7).
//!
//! An announcement page's report files are stored in `page_links` with the metadata the page
//! gives each file; [`Archive::apply_page_links`] adds the page's URL to each file's report and
//! fills the title, agency and publication date the report lacks (the page's date always; a
//! title or agency only where the page gives one for that file), noting disagreements as
//! doubts. It runs whichever of the two is stored last, so the order in which page and file
//! are fetched does not matter. Corrections (`notices`) are matched to reports when a record
//! is read. [`Archive::delete_report`] removes a report that turned out not to be one.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Archive, Result};
use crate::analyse::identity::{self, Identity};
use crate::analyse::Analysis;
use crate::model::DocumentRole;
use crate::title::{compact, is_report_title};

/// A correction of a report, as its record lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The correction's page.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its publication date.
    pub published: Option<String>,
}

/// What [`Archive::apply_page_links`] changed on a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Announcing pages' URLs added.
    pub urls: usize,
    /// Title, agency or publication date filled in.
    pub metadata: bool,
}

/// A `notices` row: url, title, published, report title, agency.
type NoticeRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// One `page_links` row as applied.
struct Link {
    page_url: String,
    title: Option<String>,
    agency: Option<String>,
    published: Option<String>,
}

impl Archive {
    /// Record what the page fetched for `url` says about reports: the files an announcement
    /// links to (replacing what an earlier version said) and a correction; then apply the
    /// announcement to the reports of files already archived.
    pub fn record_page_notes(&self, url: &str, analysis: &Analysis) -> Result<()> {
        self.exec("DELETE FROM page_links WHERE page_url = ?1", [url])
            .map_err(|e| self.err(e))?;
        self.exec("DELETE FROM notices WHERE url = ?1", [url])
            .map_err(|e| self.err(e))?;
        for a in &analysis.announces {
            self.exec(
                "INSERT OR REPLACE INTO page_links (page_url, file_url, title, agency, published)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![url, a.url.as_str(), a.title, a.agency, a.published],
            )
            .map_err(|e| self.err(e))?;
        }
        if let Some(n) = &analysis.notice {
            self.exec(
                "INSERT OR REPLACE INTO notices (url, kind, title, report_title, agency, year, published)
                 VALUES (?1, 'correction', ?2, ?3, ?4, ?5, ?6)",
                params![
                    url,
                    n.title,
                    n.report_title.as_deref().map(compact),
                    n.agency,
                    n.year,
                    n.published
                ],
            )
            .map_err(|e| self.err(e))?;
        }
        for a in &analysis.announces {
            if let Some(report) = self.report_at_url(a.url.as_str())? {
                self.apply_page_links(&report)?;
            }
        }
        Ok(())
    }

    /// Add the URLs of the pages announcing `report_id`'s files to it, and fill what it lacks
    /// from what those pages say about its files.
    pub fn apply_page_links(&self, report_id: &str) -> Result<Applied> {
        let links: Vec<Link> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT l.page_url, l.title, l.agency, l.published FROM page_links l
                 JOIN report_urls u ON u.url = l.file_url
                 WHERE u.report_id = ?1 ORDER BY l.page_url",
            )
            .and_then(|mut st| {
                st.query_map([report_id], |r| {
                    Ok(Link {
                        page_url: r.get(0)?,
                        title: r.get(1)?,
                        agency: r.get(2)?,
                        published: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))?;
        let mut applied = Applied::default();
        if links.is_empty() {
            return Ok(applied);
        }
        for l in &links {
            let added = self
                .exec(
                    "INSERT OR IGNORE INTO report_urls (report_id, url, kind, first_seen_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        report_id,
                        l.page_url,
                        DocumentRole::Detail.as_str(),
                        super::now_ms()
                    ],
                )
                .map_err(|e| self.err(e))?;
            applied.urls += added;
        }
        let Some((title, agency, published, mut id)) = self.identity_row(report_id)? else {
            return Ok(applied);
        };
        let (mut title2, mut agency2, mut published2) =
            (title.clone(), agency.clone(), published.clone());
        let page_date = links.iter().filter_map(|l| l.published.clone()).min();
        if published2.is_none() {
            published2 = page_date.clone();
        }
        if id.published.is_none() && published2.is_some() && published2 == page_date {
            id.published = Some(identity::ANNOUNCEMENT.into());
        }
        if !title2.as_deref().is_some_and(is_report_title) {
            if let Some(t) = links
                .iter()
                .filter_map(|l| l.title.clone())
                .find(|t| is_report_title(t))
            {
                title2 = Some(t);
                id.title = Some(identity::ANNOUNCEMENT.into());
                id.doubts.retain(|d| !d.starts_with("no report title"));
            }
        }
        let page_agencies: Vec<&String> = links.iter().filter_map(|l| l.agency.as_ref()).collect();
        match &agency2 {
            None => {
                if let Some(a) = page_agencies.first() {
                    agency2 = Some((*a).clone());
                    id.agency = Some(identity::ANNOUNCEMENT.into());
                    id.doubts.retain(|d| !d.starts_with("agency unknown"));
                }
            }
            Some(own) => {
                for a in page_agencies {
                    let (x, y) = (compact(own), compact(a));
                    if !x.contains(&y) && !y.contains(&x) {
                        id.doubt(format!(
                            "agency: the report names {own}, the page announcing it {a}"
                        ));
                    }
                }
            }
        }
        applied.metadata = (&title2, &agency2, &published2) != (&title, &agency, &published);
        self.exec(
            "UPDATE reports SET title = ?2, agency = ?3, published = ?4, identity = ?5 WHERE id = ?1",
            params![
                report_id,
                title2,
                agency2,
                published2,
                serde_json::to_string(&id).ok()
            ],
        )
        .map_err(|e| self.err(e))?;
        Ok(applied)
    }

    /// A report's title, agency, publication date and identity.
    #[allow(clippy::type_complexity)]
    fn identity_row(
        &self,
        report_id: &str,
    ) -> Result<Option<(Option<String>, Option<String>, Option<String>, Identity)>> {
        let row: Option<(
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = self
            .conn
            .query_row(
                "SELECT title, agency, published, identity FROM reports WHERE id = ?1",
                [report_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(row.map(|(t, a, p, id)| {
            let id = id
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            (t, a, p, id)
        }))
    }

    /// Store where a report's title, agency and date came from (and the doubts).
    pub fn save_identity(&self, report_id: &str, id: &Identity) -> Result<()> {
        self.exec(
            "UPDATE reports SET identity = ?2 WHERE id = ?1",
            params![report_id, serde_json::to_string(id).ok()],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Where a report's title, agency and date came from (and the doubts).
    pub fn identity(&self, report_id: &str) -> Result<Identity> {
        Ok(self
            .identity_row(report_id)?
            .map(|(_, _, _, id)| id)
            .unwrap_or_default())
    }

    /// The corrections that name a report with this title, agency and year.
    pub fn corrections_of(
        &self,
        title: Option<&str>,
        agency: Option<&str>,
        year: Option<i32>,
    ) -> Result<Vec<Correction>> {
        let rows: Vec<NoticeRow> = self
            .conn
            .prepare_cached(
                "SELECT url, title, published, report_title, agency FROM notices
                 WHERE kind = 'correction' AND (year = ?1 OR year IS NULL) ORDER BY url",
            )
            .and_then(|mut st| {
                st.query_map([year], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))?;
        let title = title.map(compact);
        let agency = agency.map(compact);
        Ok(rows
            .into_iter()
            .filter(|(_, _, _, rt, ra)| {
                let by_title = title.is_some() && rt.as_deref() == title.as_deref();
                let by_agency =
                    agency.is_some() && ra.as_deref().map(compact).as_deref() == agency.as_deref();
                by_title || by_agency
            })
            .map(|(url, title, published, _, _)| Correction {
                url,
                title,
                published,
            })
            .collect())
    }

    /// Remove a report and everything stored under it (cells, checks, warnings, URLs, search
    /// index entry); its documents stay, marked `not_report` with `reason` (as do the
    /// requests of its URLs), and the cross-year check of its agency's neighbours is redone.
    pub fn delete_report(&self, report_id: &str, reason: &str) -> Result<()> {
        let (agency, year): (Option<String>, Option<i32>) = self
            .conn
            .query_row(
                "SELECT agency, year FROM reports WHERE id = ?1",
                [report_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .unwrap_or((None, None));
        self.exec(
            "UPDATE frontier SET state = 'not_report', last_error = ?2
             WHERE state = 'done' AND key IN (SELECT url FROM report_urls WHERE report_id = ?1)",
            params![report_id, reason],
        )
        .map_err(|e| self.err(e))?;
        for sql in [
            "DELETE FROM cells WHERE report_id = ?1",
            "DELETE FROM checks WHERE report_id = ?1",
            "DELETE FROM warnings WHERE report_id = ?1",
            "DELETE FROM report_urls WHERE report_id = ?1",
            "UPDATE documents SET report_id = NULL, status = 'not_report' WHERE report_id = ?1",
            "UPDATE reports SET previous_id = NULL WHERE previous_id = ?1",
            "UPDATE reports SET main_document_id = NULL WHERE id = ?1",
            "DELETE FROM reports WHERE id = ?1",
        ] {
            self.exec(sql, [report_id]).map_err(|e| self.err(e))?;
        }
        if let (Some(agency), Some(year)) = (agency, year) {
            for y in [year, year + 1] {
                if let Some(other) = self.report_of(&agency, y)? {
                    self.update_cross_year(&other, &agency, y)?;
                }
            }
        }
        Ok(())
    }

    /// Take `url` off report `report_id` (a document found there turned out to be no report);
    /// the report goes when no URL is left. True when the report was deleted.
    pub fn unlink_url(&self, report_id: &str, url: &str, reason: &str) -> Result<bool> {
        self.exec(
            "DELETE FROM report_urls WHERE report_id = ?1 AND url = ?2",
            params![report_id, url],
        )
        .map_err(|e| self.err(e))?;
        self.exec(
            "UPDATE frontier SET state = 'not_report', last_error = ?2 WHERE key = ?1 AND state = 'done'",
            params![url, reason],
        )
        .map_err(|e| self.err(e))?;
        let left: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM report_urls WHERE report_id = ?1",
                [report_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if left == 0 {
            self.delete_report(report_id, reason)?;
        }
        Ok(left == 0)
    }
}
