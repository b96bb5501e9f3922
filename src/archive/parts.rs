//! Long articles split over pages (`t20171117_5577604.html`, `t20171117_5577604_1.html`, …):
//! each page is a document of the one report, never a report of its own. The first page
//! stored is the report; a later page adds its URL, its text (for search) and the tables the
//! report lacks (the tables usually sit on a later page), and the checks are evaluated again
//! over the whole.

use std::sync::LazyLock;

use regex::Regex;
use rusqlite::params;

use super::{Archive, Result};
use crate::analyse::Analysis;
use crate::model::{ParsedReport, ReportStatus, TableName, Tables};

/// How many further pages of one article are looked for.
const MAX_PARTS: u32 = 6;

/// Article file names that take a page suffix: TRS `t20171117_5577604`, Hanweb `art_1_2`,
/// gkmlpt `post_123`, numeric ids (JEECMS, VSB); then the optional `_N` page and the extension.
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(t\d{8}_\d+|art_\d+_\d+|post_\d+|\d{4,})(?:_(\d{1,2}))?(\.(?:s|j)?html?)$")
        .expect("constant regex")
});

/// The URLs of the other pages of the article whose page is at `url` (none when `url` is no
/// article page, or has a query).
pub fn article_parts(url: &str) -> Vec<String> {
    if url.contains('?') {
        return Vec::new();
    }
    let cut = url.rfind('/').map_or(0, |i| i + 1);
    let (dir, name) = url.split_at(cut);
    let Some(c) = PART.captures(name) else {
        return Vec::new();
    };
    let (Some(stem), Some(ext)) = (c.get(1), c.get(3)) else {
        return Vec::new();
    };
    let me: u32 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
    (0..=MAX_PARTS)
        .filter(|k| *k != me)
        .map(|k| match k {
            0 => format!("{dir}{}{}", stem.as_str(), ext.as_str()),
            k => format!("{dir}{}_{k}{}", stem.as_str(), ext.as_str()),
        })
        .collect()
}

/// Whether a table present with values on both sides differs.
pub fn tables_conflict(a: &Tables, b: &Tables) -> bool {
    TableName::ALL
        .into_iter()
        .any(|n| match (a.get(n), b.get(n)) {
            (Some(x), Some(y)) if !x.is_blank() && !y.is_blank() => {
                let values = |t: &crate::model::Table| {
                    t.iter()
                        .map(|(r, c, cell)| (r, c, cell.value.map(|v| v.as_f64())))
                        .collect::<Vec<_>>()
                };
                values(x) != values(y)
            }
            _ => false,
        })
}

/// `slot` takes `other` when it has no values and `other` has.
fn fill(slot: &mut Option<crate::model::Table>, other: &Option<crate::model::Table>) -> bool {
    let empty = slot.as_ref().is_none_or(|t| t.is_blank());
    match other {
        Some(t) if empty && !t.is_blank() => {
            *slot = Some(t.clone());
            true
        }
        _ => false,
    }
}

impl Archive {
    /// The report another page of the article at `url` belongs to, if one is archived.
    pub fn article_report(&self, url: &str) -> Result<Option<String>> {
        for part in article_parts(url) {
            if let Some(id) = self.report_at_url(&part)? {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Report `id` takes what another page of its article adds: the text (once) and the
    /// tables it lacks, with the checks evaluated again over the whole.
    pub fn merge_part(&self, id: &str, analysis: &Analysis) -> Result<()> {
        if !analysis.text.is_empty() {
            self.exec(
                "UPDATE reports SET text = text || char(10) || ?2 WHERE id = ?1 AND instr(text, ?2) = 0",
                params![id, analysis.text],
            )
            .map_err(|e| self.err(e))?;
        }
        let mut tables = self.load_tables(id)?;
        let p = &analysis.parsed;
        let mut changed = fill(&mut tables.active, &p.tables.active);
        changed |= fill(&mut tables.requests, &p.tables.requests);
        changed |= fill(&mut tables.appeals, &p.tables.appeals);
        if !changed {
            return Ok(());
        }
        let (title, agency, year, format): (
            Option<String>,
            Option<String>,
            Option<i32>,
            Option<String>,
        ) = self
            .conn()
            .query_row(
                "SELECT title, agency, year, format FROM reports WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut warnings = self.warnings_of(id)?;
        warnings.extend(p.warnings.iter().cloned());
        let merged = ParsedReport {
            title: title.or_else(|| p.title.clone()),
            agency: agency.or_else(|| p.agency.clone()),
            year: year.or(p.year),
            format: format
                .as_deref()
                .and_then(crate::model::Format::parse)
                .filter(|f| *f != crate::model::Format::Legacy)
                .or(p.format),
            tables,
            warnings,
            doubts: {
                let mut doubts = self.load_doubts(id)?;
                doubts.extend(p.doubts.iter().cloned());
                doubts
            },
        };
        let checks = crate::parse::checks::evaluate(&merged.tables);
        self.save_parse(id, &ReportStatus::Parsed, &merged, &checks)?;
        if let (Some(agency), Some(year)) = (&merged.agency, merged.year) {
            self.update_cross_year(id, agency, year)?;
        }
        Ok(())
    }

    /// A report's stored warnings.
    fn warnings_of(&self, id: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT message FROM warnings WHERE report_id = ?1 ORDER BY rowid")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_one_article() {
        let parts = article_parts("http://a/col/201711/t20171117_5577604_1.html");
        assert_eq!(parts[0], "http://a/col/201711/t20171117_5577604.html");
        assert_eq!(parts[1], "http://a/col/201711/t20171117_5577604_2.html");
        assert!(!parts.iter().any(|p| p.ends_with("_1.html")));
        assert_eq!(
            article_parts("http://a/art/2024/1/2/art_12_345.html")[0],
            "http://a/art/2024/1/2/art_12_345_1.html"
        );
        assert_eq!(
            article_parts("http://a/xxgk/gknb/6000040_1.jhtml")[0],
            "http://a/xxgk/gknb/6000040.jhtml"
        );
        assert!(article_parts("http://a/list.html?page=2").is_empty());
        assert!(article_parts("http://a/index_1.html").is_empty());
    }
}
