//! The report list: filters, sort orders, facets and pages, shared by `/reports` and
//! `nianbao list`/`nianbao search`.
//!
//! Filters come from URL query parameters (SPEC §5: `q`, `year`, `format`, `agency`, `region`,
//! `source`, `status`, `page`, `sort`) or CLI flags and are read leniently: a value that does not
//! parse is ignored rather than answered with an error, so hand-edited links still work. All SQL
//! is built from fixed fragments; user text only ever travels as a bound parameter.

use rusqlite::types::Value;
use serde::Serialize;

use super::search;
use crate::archive::{Archive, ArchiveError};
use crate::model::Number;

/// Reports per page.
pub const PER_PAGE: u32 = 50;

/// The check status of a report, as the list's `status` filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// Parsed, and every consistency rule holds.
    Pass,
    /// At least one rule fails.
    Fail,
    /// Not parsed (`unparsed: …`, `needs_ocr`).
    Unparsed,
    /// A pre-2019 report: no fixed tables, nothing to check.
    Legacy,
}

impl CheckStatus {
    /// All values, in display order.
    pub const ALL: [CheckStatus; 4] = [
        CheckStatus::Pass,
        CheckStatus::Fail,
        CheckStatus::Unparsed,
        CheckStatus::Legacy,
    ];

    /// URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Unparsed => "unparsed",
            CheckStatus::Legacy => "legacy",
        }
    }

    /// Inverse of [`CheckStatus::as_str`].
    pub fn parse(s: &str) -> Option<CheckStatus> {
        CheckStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Pass => "all checks pass",
            CheckStatus::Fail => "some checks fail",
            CheckStatus::Unparsed => "not parsed",
            CheckStatus::Legacy => "legacy (no tables)",
        }
    }

    /// From the report's `status` column and its number of failing checks.
    pub fn of(status: &str, failing: i64) -> CheckStatus {
        if status != "parsed" && status != "legacy" {
            CheckStatus::Unparsed
        } else if failing > 0 {
            CheckStatus::Fail
        } else if status == "legacy" {
            CheckStatus::Legacy
        } else {
            CheckStatus::Pass
        }
    }
}

/// The same classification in SQL, on `reports r`.
const CHECK_STATUS_SQL: &str = "CASE WHEN r.status NOT IN ('parsed', 'legacy') THEN 'unparsed' \
     WHEN EXISTS (SELECT 1 FROM checks k WHERE k.report_id = r.id AND k.ok = 0) THEN 'fail' \
     WHEN r.status = 'legacy' THEN 'legacy' ELSE 'pass' END";

/// `requests.new_received.total` of `reports r`.
const RECEIVED_SQL: &str =
    "(SELECT value FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.row = 'new_received' AND c.col = 'total')";
/// `requests.granted.total` of `reports r`.
const GRANTED_SQL: &str =
    "(SELECT value FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.row = 'granted' AND c.col = 'total')";
/// Sum of `requests.denied_*.total` of `reports r`: a range of the `cells_totals` index
/// (`` ` `` follows `_` in ASCII, so the range is exactly the keys starting `denied_`).
const REFUSED_SQL: &str =
    "(SELECT sum(value) FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.col = 'total' AND c.row > 'denied_' AND c.row < 'denied`')";
/// Number of failing checks of `reports r` (reads the `checks_failing` index).
const FAILING_SQL: &str = "(SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.ok = 0)";

/// What the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Report year.
    #[default]
    Year,
    /// Agency name.
    Agency,
    /// Title.
    Title,
    /// Publication date.
    Published,
    /// When the crawler first saw it.
    Seen,
    /// Requests received (`requests.new_received.total`).
    Received,
    /// Requests refused (sum of `requests.denied_*.total`).
    Refused,
    /// Number of failing checks.
    Failing,
}

impl SortKey {
    const ALL: [SortKey; 8] = [
        SortKey::Year,
        SortKey::Agency,
        SortKey::Title,
        SortKey::Published,
        SortKey::Seen,
        SortKey::Received,
        SortKey::Refused,
        SortKey::Failing,
    ];

    /// URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Year => "year",
            SortKey::Agency => "agency",
            SortKey::Title => "title",
            SortKey::Published => "published",
            SortKey::Seen => "seen",
            SortKey::Received => "received",
            SortKey::Refused => "refused",
            SortKey::Failing => "failing",
        }
    }

    /// The ORDER BY expression on `reports r`.
    fn sql(self) -> &'static str {
        match self {
            SortKey::Year => "r.year",
            SortKey::Agency => "r.agency",
            SortKey::Title => "r.title",
            SortKey::Published => "r.published",
            SortKey::Seen => "r.first_seen_at",
            SortKey::Received => RECEIVED_SQL,
            SortKey::Refused => REFUSED_SQL,
            SortKey::Failing => FAILING_SQL,
        }
    }
}

/// A sort order: key and direction (`year`, `-year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// What to sort by.
    pub key: SortKey,
    /// Largest first.
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort {
            key: SortKey::Year,
            desc: true,
        }
    }
}

impl Sort {
    /// `year` ascending, `-year` descending; `None` for anything else.
    pub fn parse(s: &str) -> Option<Sort> {
        let (desc, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortKey::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .map(|key| Sort { key, desc })
    }

    /// URL spelling.
    pub fn as_param(self) -> String {
        format!("{}{}", if self.desc { "-" } else { "" }, self.key.as_str())
    }
}

/// The list's filters, sort and page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Full-text query.
    pub q: Option<String>,
    /// Report year.
    pub year: Option<i64>,
    /// `2021`, `2019`, `legacy` or `none` (not parsed).
    pub format: Option<String>,
    /// Agency, exact (facet links).
    pub agency: Option<String>,
    /// Agency, substring (`nianbao list --agency`).
    pub agency_like: Option<String>,
    /// Region of the seed the report was found under.
    pub region: Option<String>,
    /// `html`, `pdf`, `docx`, …
    pub source: Option<String>,
    /// Check status.
    pub status: Option<CheckStatus>,
    /// 1-based page.
    pub page: u32,
    /// Order.
    pub sort: Sort,
}

/// The facets of the list, each a filter dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// `year`
    Year,
    /// `format`
    Format,
    /// `region`
    Region,
    /// `agency`
    Agency,
    /// `source`
    Source,
    /// `status`
    Status,
}

impl Dim {
    /// Facets in display order.
    pub const ALL: [Dim; 6] = [
        Dim::Status,
        Dim::Year,
        Dim::Format,
        Dim::Region,
        Dim::Source,
        Dim::Agency,
    ];

    /// The URL parameter.
    pub fn param(self) -> &'static str {
        match self {
            Dim::Year => "year",
            Dim::Format => "format",
            Dim::Region => "region",
            Dim::Agency => "agency",
            Dim::Source => "source",
            Dim::Status => "status",
        }
    }

    fn group_sql(self) -> String {
        match self {
            Dim::Year => "r.year".into(),
            Dim::Format => "coalesce(r.format, 'none')".into(),
            Dim::Region => "r.region".into(),
            Dim::Agency => "r.agency".into(),
            Dim::Source => "r.source".into(),
            Dim::Status => CHECK_STATUS_SQL.into(),
        }
    }
}

impl ListFilter {
    /// Read URL query parameters (unknown ones and unparsable values are ignored).
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> ListFilter {
        let mut f = ListFilter {
            page: 1,
            ..ListFilter::default()
        };
        let text = |v: &str| Some(v.trim().to_string()).filter(|s| !s.is_empty());
        for (k, v) in params {
            match k {
                "q" => f.q = text(v),
                "year" => f.year = v.trim().parse().ok(),
                // `format=json` asks for the JSON view (SPEC §5); it is no table format.
                "format" if v.trim() == "json" => {}
                "format" => f.format = text(v),
                "agency" => f.agency = text(v),
                "agency_like" => f.agency_like = text(v),
                "region" => f.region = text(v),
                "source" => f.source = text(v),
                "status" => f.status = CheckStatus::parse(v.trim()),
                "page" => f.page = v.trim().parse::<u32>().unwrap_or(1).clamp(1, 1_000_000),
                "sort" => f.sort = Sort::parse(v.trim()).unwrap_or_default(),
                _ => {}
            }
        }
        f
    }

    /// The filter as URL query pairs (page and sort only when not the default).
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        push("q", self.q.clone());
        push("year", self.year.map(|y| y.to_string()));
        push("format", self.format.clone());
        push("agency", self.agency.clone());
        push("agency_like", self.agency_like.clone());
        push("region", self.region.clone());
        push("source", self.source.clone());
        push("status", self.status.map(|s| s.as_str().to_string()));
        if self.sort != Sort::default() {
            out.push(("sort", self.sort.as_param()));
        }
        if self.page > 1 {
            out.push(("page", self.page.to_string()));
        }
        out
    }

    /// The current value of a facet's filter, as its URL spelling.
    pub fn value_of(&self, dim: Dim) -> Option<String> {
        match dim {
            Dim::Year => self.year.map(|y| y.to_string()),
            Dim::Format => self.format.clone(),
            Dim::Region => self.region.clone(),
            Dim::Agency => self.agency.clone(),
            Dim::Source => self.source.clone(),
            Dim::Status => self.status.map(|s| s.as_str().to_string()),
        }
    }

    /// A copy with one facet set (or cleared) and the page reset.
    pub fn with(&self, dim: Dim, value: Option<&str>) -> ListFilter {
        let mut f = self.clone();
        f.page = 1;
        let v = value.map(str::to_string);
        match dim {
            Dim::Year => f.year = v.and_then(|v| v.parse().ok()),
            Dim::Format => f.format = v,
            Dim::Region => f.region = v,
            Dim::Agency => f.agency = v,
            Dim::Source => f.source = v,
            Dim::Status => f.status = v.as_deref().and_then(CheckStatus::parse),
        }
        f
    }

    /// WHERE conditions and parameters, leaving out facet `skip` (so a facet shows the counts
    /// of its alternatives).
    fn conditions(&self, skip: Option<Dim>, fts: bool) -> (Vec<String>, Vec<Value>) {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(plan) = self.q.as_deref().and_then(|q| search::plan(q, fts)) {
            conds.push(plan.condition);
            params.extend(plan.params);
        }
        if let (Some(y), true) = (self.year, skip != Some(Dim::Year)) {
            conds.push("r.year = ?".into());
            params.push(Value::Integer(y));
        }
        if let (Some(v), true) = (&self.format, skip != Some(Dim::Format)) {
            conds.push("coalesce(r.format, 'none') = ?".into());
            params.push(Value::Text(v.clone()));
        }
        if let (Some(v), true) = (&self.agency, skip != Some(Dim::Agency)) {
            conds.push("r.agency = ?".into());
            params.push(Value::Text(v.clone()));
        }
        if let Some(v) = &self.agency_like {
            conds.push("r.agency LIKE ? ESCAPE '\\'".into());
            params.push(Value::Text(format!("%{}%", search::like_escape(v))));
        }
        if let (Some(v), true) = (&self.region, skip != Some(Dim::Region)) {
            conds.push("r.region = ?".into());
            params.push(Value::Text(v.clone()));
        }
        if let (Some(v), true) = (&self.source, skip != Some(Dim::Source)) {
            conds.push("r.source = ?".into());
            params.push(Value::Text(v.clone()));
        }
        if let (Some(s), true) = (self.status, skip != Some(Dim::Status)) {
            conds.push(format!("({CHECK_STATUS_SQL}) = ?"));
            params.push(Value::Text(s.as_str().into()));
        }
        (conds, params)
    }
}

fn where_sql(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
}

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
                    check_status: CheckStatus::of(&status, failing),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_and_bad_values_are_ignored() {
        let f = ListFilter::from_params([
            ("q", " 复议 "),
            ("year", "2024"),
            ("status", "fail"),
            ("sort", "-refused"),
            ("page", "3"),
            ("bogus", "1"),
        ]);
        assert_eq!(f.q.as_deref(), Some("复议"));
        assert_eq!(f.year, Some(2024));
        assert_eq!(f.status, Some(CheckStatus::Fail));
        assert_eq!(
            f.sort,
            Sort {
                key: SortKey::Refused,
                desc: true
            }
        );
        assert_eq!(f.page, 3);
        let again = ListFilter::from_params(f.to_params().iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(again, f);
        let bad = ListFilter::from_params([
            ("year", "x"),
            ("status", "maybe"),
            ("sort", "-name"),
            ("page", "-2"),
        ]);
        assert_eq!(
            bad,
            ListFilter {
                page: 1,
                ..ListFilter::default()
            }
        );
    }

    #[test]
    fn check_status_classification() {
        assert_eq!(CheckStatus::of("parsed", 0), CheckStatus::Pass);
        assert_eq!(CheckStatus::of("parsed", 2), CheckStatus::Fail);
        assert_eq!(CheckStatus::of("legacy", 0), CheckStatus::Legacy);
        assert_eq!(CheckStatus::of("unparsed: doc", 0), CheckStatus::Unparsed);
        assert_eq!(CheckStatus::of("needs_ocr", 0), CheckStatus::Unparsed);
    }

    #[test]
    fn facet_filters_skip_their_own_dimension() {
        let f = ListFilter {
            year: Some(2023),
            format: Some("2021".into()),
            ..ListFilter::default()
        };
        let (conds, params) = f.conditions(Some(Dim::Year), true);
        assert_eq!(conds.len(), 1);
        assert_eq!(params, vec![Value::Text("2021".into())]);
        let (conds, _) = f.conditions(None, true);
        assert_eq!(conds.len(), 2);
    }
}
