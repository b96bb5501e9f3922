//! The report list's filters: check status, sort orders, facet dimensions, and the WHERE
//! clause they make, shared by `/reports` and `nianbao list`/`nianbao search`.
//!
//! Filters come from URL query parameters (SPEC §5: `q`, `year`, `format`, `agency`, `region`,
//! `source`, `status`, `page`, `sort`) or CLI flags and are read leniently: a value that does not
//! parse is ignored rather than answered with an error, so hand-edited links still work. All SQL
//! is built from fixed fragments; user text only ever travels as a bound parameter.

use rusqlite::types::Value;
use serde::Serialize;

use super::search;
use crate::model::ReportStatus;

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
    pub fn of(status: &ReportStatus, failing: i64) -> CheckStatus {
        if !status.is_read() {
            CheckStatus::Unparsed
        } else if failing > 0 {
            CheckStatus::Fail
        } else if *status == ReportStatus::Legacy {
            CheckStatus::Legacy
        } else {
            CheckStatus::Pass
        }
    }
}

/// The same classification in SQL, on `reports r`.
pub(super) const CHECK_STATUS_SQL: &str =
    "CASE WHEN r.status NOT IN ('parsed', 'legacy') THEN 'unparsed' \
     WHEN EXISTS (SELECT 1 FROM checks k WHERE k.report_id = r.id AND k.ok = 0) THEN 'fail' \
     WHEN r.status = 'legacy' THEN 'legacy' ELSE 'pass' END";

/// `requests.new_received.total` of `reports r`.
pub(super) const RECEIVED_SQL: &str =
    "(SELECT value FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.row = 'new_received' AND c.col = 'total')";
/// `requests.granted.total` of `reports r`.
pub(super) const GRANTED_SQL: &str =
    "(SELECT value FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.row = 'granted' AND c.col = 'total')";
/// Sum of `requests.denied_*.total` of `reports r`: a range of the `cells_totals` index
/// (`` ` `` follows `_` in ASCII, so the range is exactly the keys starting `denied_`).
pub(super) const REFUSED_SQL: &str =
    "(SELECT sum(value) FROM cells c WHERE c.report_id = r.id AND c.tbl = 'requests' \
     AND c.col = 'total' AND c.row > 'denied_' AND c.row < 'denied`')";
/// Number of failing checks of `reports r` (reads the `checks_failing` index).
pub(super) const FAILING_SQL: &str =
    "(SELECT count(*) FROM checks k WHERE k.report_id = r.id AND k.ok = 0)";

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
    pub(super) fn sql(self) -> &'static str {
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

    pub(super) fn group_sql(self) -> String {
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
    pub(super) fn conditions(&self, skip: Option<Dim>, fts: bool) -> (Vec<String>, Vec<Value>) {
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

pub(super) fn where_sql(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
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
            ("format", "json"),
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
        let of = |s: &str, failing| CheckStatus::of(&ReportStatus::from_stored(s), failing);
        assert_eq!(of("parsed", 0), CheckStatus::Pass);
        assert_eq!(of("parsed", 2), CheckStatus::Fail);
        assert_eq!(of("legacy", 0), CheckStatus::Legacy);
        assert_eq!(of("unparsed: doc", 0), CheckStatus::Unparsed);
        assert_eq!(of("needs_ocr", 0), CheckStatus::Unparsed);
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
