//! Key figures and aggregates: the overview's totals and per-year series, one agency's
//! reports across years with year-over-year deltas, shared by the web pages and `nianbao stats`.
//!
//! Sums leave out reports that a newer version of the same page replaced upstream
//! (`reports.previous_id`), so a corrected report is not counted twice.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::query::{number, CheckStatus};
use crate::archive::{Archive, ArchiveError};
use crate::model::{Number, REQUESTS};

/// Condition on `reports r`: not replaced by a newer version.
const CURRENT: &str = "r.id NOT IN (SELECT previous_id FROM reports WHERE previous_id IS NOT NULL)";

/// The key figures of a report, in display order: (key, label).
pub const KEY_FIGURES: &[(&str, &str)] = &[
    ("received", "新收申请"),
    ("carried_over", "上年结转"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("refused", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
    ("total_processed", "办理总计"),
    ("carried_forward", "结转下年"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
];

/// Which key figure a `requests` row (total column) or `appeals` group adds to.
fn figure_of(tbl: &str, row: &str) -> Option<&'static str> {
    Some(match (tbl, row) {
        ("requests", "new_received") => "received",
        ("requests", "carried_over") => "carried_over",
        ("requests", "granted") => "granted",
        ("requests", "partially_granted") => "partially_granted",
        ("requests", r) if r.starts_with("denied_") => "refused",
        ("requests", r) if r.starts_with("unavailable_") => "unavailable",
        ("requests", r) if r.starts_with("not_processed_") => "not_processed",
        ("requests", r) if r == "other" || r.starts_with("other_") => "other",
        ("requests", "total_processed") => "total_processed",
        ("requests", "carried_forward") => "carried_forward",
        ("appeals", "review") => "review",
        ("appeals", _) => "litigation",
        _ => return None,
    })
}

fn add(a: Option<Number>, b: Option<Number>) -> Option<Number> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(Number::Int(x)), Some(Number::Int(y))) => Some(Number::Int(x.saturating_add(y))),
        (Some(x), Some(y)) => Some(Number::Decimal(x.as_f64() + y.as_f64())),
    }
}

fn sub(a: Option<Number>, b: Option<Number>) -> Option<Number> {
    match (a?, b?) {
        (Number::Int(x), Number::Int(y)) => Some(Number::Int(x.saturating_sub(y))),
        (x, y) => Some(Number::Decimal(x.as_f64() - y.as_f64())),
    }
}

/// A report's key figures, aligned with [`KEY_FIGURES`] (`None` where every input is blank).
pub fn key_figures(a: &Archive, report_id: &str) -> Result<Vec<Option<Number>>, ArchiveError> {
    let mut st = a
        .conn()
        .prepare_cached(
            "SELECT tbl, row, value FROM cells WHERE report_id = ?1 AND col = 'total' AND tbl IN ('requests', 'appeals')",
        )
        .map_err(|e| a.err(e))?;
    let rows = st
        .query_map([report_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                number(r.get(2)?),
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| a.err(e))?;
    let mut out = vec![None; KEY_FIGURES.len()];
    for (tbl, row, value) in rows {
        let Some(key) = figure_of(&tbl, &row) else {
            continue;
        };
        if let Some(i) = KEY_FIGURES.iter().position(|(k, _)| *k == key) {
            out[i] = add(out[i], value);
        }
    }
    Ok(out)
}

/// A consistency check as shown on pages.
#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    /// Whether it holds.
    pub ok: bool,
    /// Left side.
    pub left: Number,
    /// Right side.
    pub right: Number,
}

/// One year of an agency.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyYear {
    /// The report shown for the year (parsed first, most recently seen).
    pub id: String,
    /// Report year, `None` when unknown.
    pub year: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// Format.
    pub format: Option<String>,
    /// Check status.
    pub check_status: CheckStatus,
    /// Failing checks.
    pub failing: i64,
    /// Key figures (see [`KEY_FIGURES`]).
    pub figures: Vec<Option<Number>>,
    /// Change of each figure since the previous archived year (consecutive years only).
    pub deltas: Vec<Option<Number>>,
    /// `cross_year.carried_over` of this report, when both years are archived.
    pub cross_year: Option<CheckView>,
    /// Other reports of the agency for the same year (older versions, duplicates).
    pub others: Vec<String>,
}

/// An agency across years.
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    /// Agency name.
    pub agency: String,
    /// Labels of the figures, in order.
    pub figure_labels: Vec<&'static str>,
    /// Keys of the figures, in order.
    pub figure_keys: Vec<&'static str>,
    /// Years, oldest first.
    pub years: Vec<AgencyYear>,
}

/// The agency's reports across years; `None` when the archive has none.
pub fn agency(a: &Archive, name: &str) -> Result<Option<Agency>, ArchiveError> {
    let mut st = a
        .conn()
        .prepare(
            "SELECT r.id, r.year, r.title, r.format, r.status,
                    (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.ok = 0)
             FROM reports r WHERE r.agency = ?1
             ORDER BY r.year IS NULL, r.year, r.format IN ('2019', '2021') DESC, r.last_seen_at DESC, r.id",
        )
        .map_err(|e| a.err(e))?;
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        String,
        i64,
    );
    let rows: Vec<Row> = st
        .query_map([name], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| a.err(e))?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut years: Vec<AgencyYear> = Vec::new();
    for (id, year, title, format, status, failing) in rows {
        // Reports of an unknown year are each their own row; a known year shows its first report.
        if let Some(prev) = years
            .last_mut()
            .filter(|p| year.is_some() && p.year == year)
        {
            prev.others.push(id);
            continue;
        }
        let figures = key_figures(a, &id)?;
        let cross_year = a
            .conn()
            .query_row(
                "SELECT ok, left, right FROM checks WHERE report_id = ?1 AND rule = 'cross_year.carried_over'",
                [&id],
                |r| Ok((r.get::<_, bool>(0)?, r.get::<_, Value>(1)?, r.get::<_, Value>(2)?)),
            )
            .optional()
            .map_err(|e| a.err(e))?
            .map(|(ok, l, r)| CheckView {
                ok,
                left: number(l).unwrap_or(Number::Int(0)),
                right: number(r).unwrap_or(Number::Int(0)),
            });
        let check_status =
            CheckStatus::of(&crate::model::ReportStatus::from_stored(&status), failing);
        years.push(AgencyYear {
            id,
            year,
            title,
            format,
            check_status,
            failing,
            deltas: vec![None; figures.len()],
            figures,
            cross_year,
            others: Vec::new(),
        });
    }
    for i in 1..years.len() {
        let (before, after) = years.split_at_mut(i);
        let (Some(prev), Some(cur)) = (before.last(), after.first_mut()) else {
            continue;
        };
        if let (Some(py), Some(cy)) = (prev.year, cur.year) {
            if cy == py + 1 {
                cur.deltas = cur
                    .figures
                    .iter()
                    .zip(&prev.figures)
                    .map(|(c, p)| sub(*c, *p))
                    .collect();
            }
        }
    }
    Ok(Some(Agency {
        agency: name.to_string(),
        figure_labels: KEY_FIGURES.iter().map(|(_, l)| *l).collect(),
        figure_keys: KEY_FIGURES.iter().map(|(k, _)| *k).collect(),
        years,
    }))
}

/// Totals of the archive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Unique reports.
    pub reports: i64,
    /// Distinct agencies.
    pub agencies: i64,
    /// Report documents (pages and attachments).
    pub documents: i64,
    /// Stored responses.
    pub pages: i64,
    /// Crawl runs.
    pub runs: i64,
}

/// Aggregates of one report year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearStats {
    /// Report year.
    pub year: i64,
    /// Reports per format (`2021`, `2019`, `legacy`, `none`).
    pub formats: BTreeMap<String, i64>,
    /// Reports with parsed tables.
    pub parsed: i64,
    /// Parsed reports with at least one failing check.
    pub failing: i64,
    /// Sum of key figures (see [`KEY_FIGURES`]).
    pub figures: BTreeMap<String, Number>,
    /// Refusals by reason: `denied_*` row key → sum of totals.
    pub refused_by_reason: BTreeMap<String, Number>,
}

/// A report that stands out, for the overview's top lists.
#[derive(Debug, Clone, Serialize)]
pub struct Notable {
    /// Report id.
    pub id: String,
    /// Agency.
    pub agency: Option<String>,
    /// Year.
    pub year: Option<i64>,
    /// The figure it stands out by.
    pub value: Number,
}

/// Everything on the overview page and in `nianbao stats`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overview {
    /// Archive totals.
    pub totals: Totals,
    /// Reports by check status.
    pub by_status: BTreeMap<String, i64>,
    /// Reports by source.
    pub by_source: BTreeMap<String, i64>,
    /// Per report year, oldest first (current versions only).
    pub years: Vec<YearStats>,
    /// Reports without a known year.
    pub unknown_year: i64,
    /// Reports that refused the most requests.
    pub most_refused: Vec<Notable>,
    /// Reports with the most failing checks.
    pub most_failing: Vec<Notable>,
}

fn pairs(a: &Archive, sql: &str) -> Result<Vec<(Value, Value, Value)>, ArchiveError> {
    let mut st = a.conn().prepare(sql).map_err(|e| a.err(e))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| a.err(e))?;
    Ok(rows)
}

fn text(v: Value) -> String {
    match v {
        Value::Text(t) => t,
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        Value::Real(r) => *r as i64,
        _ => 0,
    }
}

/// Compute the overview.
pub fn overview(a: &Archive) -> Result<Overview, ArchiveError> {
    let totals = a
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(DISTINCT agency) FROM reports),
                    (SELECT count(*) FROM documents), (SELECT count(*) FROM pages),
                    (SELECT count(*) FROM runs)",
            [],
            |r| {
                Ok(Totals {
                    reports: r.get(0)?,
                    agencies: r.get(1)?,
                    documents: r.get(2)?,
                    pages: r.get(3)?,
                    runs: r.get(4)?,
                })
            },
        )
        .map_err(|e| a.err(e))?;
    let mut o = Overview {
        totals,
        ..Overview::default()
    };
    let status_sql = format!(
        "SELECT CASE WHEN r.status NOT IN ('parsed', 'legacy') THEN 'unparsed'
                     WHEN EXISTS (SELECT 1 FROM checks k WHERE k.report_id = r.id AND k.ok = 0) THEN 'fail'
                     WHEN r.status = 'legacy' THEN 'legacy' ELSE 'pass' END, count(*), NULL
         FROM reports r WHERE {CURRENT} GROUP BY 1"
    );
    for (s, n, _) in pairs(a, &status_sql)? {
        o.by_status.insert(text(s), int(&n));
    }
    for (s, n, _) in pairs(
        a,
        &format!("SELECT r.source, count(*), NULL FROM reports r WHERE {CURRENT} GROUP BY 1"),
    )? {
        o.by_source.insert(text(s), int(&n));
    }
    let mut years: BTreeMap<i64, YearStats> = BTreeMap::new();
    let formats = format!(
        "SELECT r.year, coalesce(r.format, 'none'), count(*) FROM reports r WHERE {CURRENT} GROUP BY 1, 2"
    );
    for (y, f, n) in pairs(a, &formats)? {
        match y {
            Value::Integer(y) => {
                let ys = years.entry(y).or_insert_with(|| YearStats {
                    year: y,
                    ..YearStats::default()
                });
                ys.formats.insert(text(f), int(&n));
            }
            _ => o.unknown_year += int(&n),
        }
    }
    let quality = format!(
        "SELECT r.year, count(*), sum(EXISTS (SELECT 1 FROM checks k WHERE k.report_id = r.id AND k.ok = 0))
         FROM reports r WHERE r.status = 'parsed' AND r.year IS NOT NULL AND {CURRENT} GROUP BY 1"
    );
    for (y, parsed, failing) in pairs(a, &quality)? {
        if let Some(ys) = years.get_mut(&int(&y)) {
            ys.parsed = int(&parsed);
            ys.failing = int(&failing);
        }
    }
    let sums = format!(
        "SELECT r.year, c.tbl || '.' || c.row, sum(c.value) FROM reports r CROSS JOIN cells c ON c.report_id = r.id
         WHERE c.col = 'total' AND c.tbl IN ('requests', 'appeals') AND r.year IS NOT NULL AND {CURRENT}
         GROUP BY 1, 2"
    );
    for (y, key, sum) in pairs(a, &sums)? {
        let Some(ys) = years.get_mut(&int(&y)) else {
            continue;
        };
        let key = text(key);
        let Some((tbl, row)) = key.split_once('.') else {
            continue;
        };
        let Some(value) = number(sum) else { continue };
        if let Some(fig) = figure_of(tbl, row) {
            let slot = ys.figures.get(fig).copied();
            if let Some(v) = add(slot, Some(value)) {
                ys.figures.insert(fig.to_string(), v);
            }
        }
        if tbl == "requests" && row.starts_with("denied_") {
            ys.refused_by_reason.insert(row.to_string(), value);
        }
    }
    o.years = years.into_values().collect();
    o.most_refused = notable(
        a,
        &format!(
            "SELECT r.id, r.agency, r.year, (SELECT sum(value) FROM cells c WHERE c.report_id = r.id
               AND c.tbl = 'requests' AND c.col = 'total' AND c.row > 'denied_' AND c.row < 'denied`') AS v
             FROM reports r WHERE r.status = 'parsed' AND {CURRENT} AND v > 0 ORDER BY v DESC, r.id LIMIT 10"
        ),
    )?;
    o.most_failing = notable(
        a,
        &format!(
            "SELECT r.id, r.agency, r.year, (SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.ok = 0) AS v
             FROM reports r WHERE {CURRENT} AND v > 0 ORDER BY v DESC, r.id LIMIT 10"
        ),
    )?;
    Ok(o)
}

fn notable(a: &Archive, sql: &str) -> Result<Vec<Notable>, ArchiveError> {
    let mut st = a.conn().prepare(sql).map_err(|e| a.err(e))?;
    let rows = st
        .query_map([], |r| {
            Ok(Notable {
                id: r.get(0)?,
                agency: r.get(1)?,
                year: r.get(2)?,
                value: number(r.get(3)?).unwrap_or(Number::Int(0)),
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| a.err(e))?;
    Ok(rows)
}

/// The official label of a `requests` row key (for the refusal reasons chart).
pub fn request_label(key: &str) -> &'static str {
    REQUESTS
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.label)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_map_to_figures() {
        assert_eq!(figure_of("requests", "denied_third_party"), Some("refused"));
        assert_eq!(figure_of("requests", "other"), Some("other"));
        assert_eq!(figure_of("requests", "other_unpaid_fee"), Some("other"));
        assert_eq!(
            figure_of("appeals", "litigation_after_review"),
            Some("litigation")
        );
        assert_eq!(figure_of("active", "fees"), None);
    }

    #[test]
    fn sums_and_differences_keep_integers() {
        assert_eq!(
            add(Some(Number::Int(2)), Some(Number::Int(3))),
            Some(Number::Int(5))
        );
        assert_eq!(add(None, Some(Number::Int(3))), Some(Number::Int(3)));
        assert_eq!(
            sub(Some(Number::Int(2)), Some(Number::Int(5))),
            Some(Number::Int(-3))
        );
        assert_eq!(sub(Some(Number::Int(2)), None), None);
        assert_eq!(
            add(Some(Number::Int(i64::MAX)), Some(Number::Int(1))),
            Some(Number::Int(i64::MAX))
        );
    }
}
