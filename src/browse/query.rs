//! The report list: one page of reports and the facets with their counts, shared by
//! `/reports` and `nianbao list`/`nianbao search`; the filters are in [`super::filter`].

use rusqlite::types::Value;
use serde::Serialize;

use super::filter::{where_sql, FAILING_SQL, GRANTED_SQL, RECEIVED_SQL, REFUSED_SQL};
pub use super::filter::{CheckStatus, Dim, ListFilter, Sort, SortKey};
use super::search;
use crate::archive::{Archive, ArchiveError};
use crate::model::Number;

/// Reports per page.
pub const PER_PAGE: u32 = 50;

/// One report in the list.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    /// Content id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Agency.
    pub agency: Option<String>,
    /// Report year.
    pub year: Option<i64>,
    /// `2021`, `2019`, `legacy` or null.
    pub format: Option<String>,
    /// Where the text came from.
    pub source: String,
    /// Archive status (`parsed`, `legacy`, `unparsed: …`, `needs_ocr`).
    pub status: String,
    /// Check status.
    pub check_status: CheckStatus,
    /// Rules evaluated.
    pub checks: i64,
    /// Rules failing.
    pub failing: i64,
    /// Region of the seed.
    pub region: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// `requests.new_received.total`.
    pub received: Option<Number>,
    /// `requests.granted.total`.
    pub granted: Option<Number>,
    /// Sum of `requests.denied_*.total`.
    pub refused: Option<Number>,
    /// Text around the first search term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// One page of the list.
#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    /// Reports matching the filters.
    pub total: i64,
    /// This page (1-based).
    pub page: u32,
    /// Page size.
    pub per_page: u32,
    /// Number of pages.
    pub pages: u32,
    /// How `q` was searched, when given.
    pub search_mode: Option<search::Mode>,
    /// The reports of this page.
    pub reports: Vec<ReportRow>,
}

/// A SQLite value as a [`Number`].
pub fn number(v: Value) -> Option<Number> {
    match v {
        Value::Integer(i) => Some(Number::Int(i)),
        Value::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => Some(Number::Int(r as i64)),
        Value::Real(r) => Some(Number::Decimal(r)),
        _ => None,
    }
}

/// One page of reports matching `f`; `per_page` is usually [`PER_PAGE`].
pub fn list(a: &Archive, f: &ListFilter, per_page: u32) -> Result<ListPage, ArchiveError> {
    let fts = search::fts_available(a.conn());
    let plan = f.q.as_deref().and_then(|q| search::plan(q, fts));
    let (conds, mut params) = f.conditions(None, fts);
    let wh = where_sql(&conds);
    let total: i64 = a
        .conn()
        .query_row(
            &format!("SELECT count(*) FROM reports r {wh}"),
            rusqlite::params_from_iter(params.iter()),
            |r| r.get(0),
        )
        .map_err(|e| a.err(e))?;
    let per_page = per_page.max(1);
    let page = f.page.max(1);
    // Two steps: the page's ids first (only the sort key is computed for every matching
    // report), then the columns of those ids. One query would make SQLite's sorter compute
    // every column, subqueries included, for every matching report.
    let dir = if f.sort.desc { "DESC" } else { "ASC" };
    let key = f.sort.key.sql();
    let ids_sql = format!(
        "SELECT r.id FROM reports r {wh}
         ORDER BY {key} IS NULL, {key} {dir}, r.agency, r.year DESC, r.id
         LIMIT ? OFFSET ?"
    );
    params.push(Value::Integer(per_page as i64));
    params.push(Value::Integer((page as i64 - 1) * per_page as i64));
    let ids: Vec<String> = {
        let mut st = a.conn().prepare(&ids_sql).map_err(|e| a.err(e))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| a.err(e))?;
        rows
    };
    let term = plan.as_ref().and_then(|p| p.terms.first()).cloned();
    let snippet = if term.is_some() {
        "substr(r.text, max(1, instr(r.text, ?2) - 30), 100)"
    } else {
        "NULL"
    };
    let row_sql = format!(
        "SELECT r.id, r.title, r.agency, r.year, r.format, r.source, r.status, r.region, r.published,
                (SELECT count(*) FROM checks k WHERE k.report_id = r.id), {FAILING_SQL},
                {RECEIVED_SQL}, {GRANTED_SQL}, {REFUSED_SQL}, {snippet}
         FROM reports r WHERE r.id = ?1"
    );
    let mut st = a.conn().prepare(&row_sql).map_err(|e| a.err(e))?;
    let mut reports = Vec::with_capacity(ids.len());
    for id in &ids {
        let mut row_params = vec![Value::Text(id.clone())];
        if let Some(t) = &term {
            row_params.push(Value::Text(t.clone()));
        }
        let row = st
            .query_row(rusqlite::params_from_iter(row_params.iter()), |r| {
                let status: String = r.get(6)?;
                let failing: i64 = r.get(10)?;
                Ok(ReportRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    agency: r.get(2)?,
                    year: r.get(3)?,
                    format: r.get(4)?,
                    source: r.get(5)?,
                    check_status: CheckStatus::of(
                        &crate::model::ReportStatus::from_stored(&status),
                        failing,
                    ),
                    status,
                    region: r.get(7)?,
                    published: r.get(8)?,
                    checks: r.get(9)?,
                    failing,
                    received: number(r.get(11)?),
                    granted: number(r.get(12)?),
                    refused: number(r.get(13)?),
                    snippet: r.get(14)?,
                })
            })
            .map_err(|e| a.err(e))?;
        reports.push(row);
    }
    let pages = ((total.max(0) as u64).div_ceil(per_page as u64)) as u32;
    Ok(ListPage {
        total,
        page,
        per_page,
        pages,
        search_mode: plan.map(|p| p.mode),
        reports,
    })
}

/// One value of a facet with its count.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    /// The filter value (URL spelling); `None` for "no value" (shown, not clickable).
    pub value: Option<String>,
    /// Reports with this value under the other filters.
    pub count: i64,
    /// Whether the filter is currently set to it.
    pub selected: bool,
}

/// A facet: one filter dimension and its values.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// URL parameter.
    pub name: &'static str,
    /// Values, most common first (years newest first).
    pub values: Vec<FacetValue>,
    /// More values exist than are listed.
    pub truncated: bool,
}

/// Values listed per facet.
const FACET_LIMIT: usize = 30;

/// The facets of the list under `f` (each facet ignores its own filter).
pub fn facets(a: &Archive, f: &ListFilter) -> Result<Vec<Facet>, ArchiveError> {
    let fts = search::fts_available(a.conn());
    let mut out = Vec::new();
    for dim in Dim::ALL {
        let (conds, mut params) = f.conditions(Some(dim), fts);
        let order = match dim {
            Dim::Year => "v IS NULL, v DESC",
            _ => "n DESC, v",
        };
        let sql = format!(
            "SELECT {g} AS v, count(*) AS n FROM reports r {w} GROUP BY 1 ORDER BY {order} LIMIT ?",
            g = dim.group_sql(),
            w = where_sql(&conds)
        );
        params.push(Value::Integer(FACET_LIMIT as i64 + 1));
        let mut st = a.conn().prepare(&sql).map_err(|e| a.err(e))?;
        let current = f.value_of(dim);
        let mut values = st
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                let v: Value = r.get(0)?;
                let value = match v {
                    Value::Integer(i) => Some(i.to_string()),
                    Value::Text(t) => Some(t),
                    _ => None,
                };
                Ok(FacetValue {
                    selected: value.is_some() && value == current,
                    value,
                    count: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| a.err(e))?;
        let truncated = values.len() > FACET_LIMIT;
        values.truncate(FACET_LIMIT);
        out.push(Facet {
            name: dim.param(),
            values,
            truncated,
        });
    }
    Ok(out)
}
