//! `nianbao list`: reports matching filters, as an aligned table (or, with `--json`, the same
//! object as `/reports.json`).

use std::path::PathBuf;

use super::output::{emit, emit_json, open};
use super::Failure;
use crate::browse::query::{self, CheckStatus, ListFilter, Sort};
use crate::browse::terminal::{self, left, right};

/// `list` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only reports for this year.
    #[arg(long)]
    pub year: Option<i64>,
    /// Only agencies whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub agency: Option<String>,
    /// Only reports with a failing consistency check.
    #[arg(long)]
    pub failing: bool,
    /// Only this check status: pass, fail, unparsed, legacy.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only this format: 2021, 2019, legacy, none.
    #[arg(long)]
    pub format: Option<String>,
    /// Sort: year, agency, title, published, seen, received, refused, failing; `-` for descending.
    #[arg(long, default_value = "-year", allow_hyphen_values = true)]
    pub sort: String,
    /// Reports per page.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Page (1-based).
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// The snippet starting a few characters before the first term, so the term shows in a
/// narrow column.
fn around(snippet: &str, terms: &[String]) -> String {
    let Some(at) = terms.iter().filter_map(|t| snippet.find(t.as_str())).min() else {
        return snippet.to_string();
    };
    let before: Vec<char> = snippet[..at].chars().collect();
    let start: String = before[before.len().saturating_sub(8)..].iter().collect();
    format!("{start}{}", &snippet[at..])
}

/// The reports of `page` as an aligned table; with `terms`, a column of context around them.
pub(super) fn rows(page: &query::ListPage, terms: Option<&[String]>) -> String {
    let with_snippet = terms.is_some();
    let mut cols = vec![
        left("ID", 12),
        right("Year"),
        left("Agency", 28),
        left("Title", 44),
        left("Format", 6),
        right("Received"),
        right("Refused"),
        left("Checks", 12),
    ];
    if with_snippet {
        cols.push(left("Context", 50));
    }
    let rows: Vec<Vec<String>> = page
        .reports
        .iter()
        .map(|r| {
            let mut row = vec![
                r.id.get(..12).unwrap_or(&r.id).to_string(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                r.agency.clone().unwrap_or_default(),
                r.title.clone().unwrap_or_default(),
                r.format.clone().unwrap_or_else(|| "–".into()),
                r.received.map(|n| n.to_string()).unwrap_or_default(),
                r.refused.map(|n| n.to_string()).unwrap_or_default(),
                match r.check_status {
                    CheckStatus::Fail => format!("fail {}/{}", r.failing, r.checks),
                    s => s.as_str().to_string(),
                },
            ];
            if let Some(terms) = terms {
                row.push(around(r.snippet.as_deref().unwrap_or(""), terms));
            }
            row
        })
        .collect();
    let mut out = terminal::table(&cols, &rows);
    out.push_str(&format!(
        "{} reports; page {} of {}\n",
        page.total,
        page.page,
        page.pages.max(1)
    ));
    out
}

/// `page` as `/reports.json` answers it.
pub(super) fn json(f: &ListFilter, page: &query::ListPage) -> serde_json::Value {
    let filter: serde_json::Map<String, serde_json::Value> = f
        .to_params()
        .into_iter()
        .filter(|(k, _)| *k != "page" && *k != "sort")
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    let mut v = serde_json::to_value(page).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("filter".into(), filter.into());
        obj.insert("sort".into(), f.sort.as_param().into());
    }
    v
}

/// `nianbao list`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let usage = |m: String| Failure {
        code: super::EXIT_CONFIG,
        message: m,
    };
    let status = match (&args.status, args.failing) {
        (_, true) => Some(CheckStatus::Fail),
        (Some(s), false) => Some(CheckStatus::parse(s).ok_or_else(|| {
            usage(format!(
                "--status {s}: expected pass, fail, unparsed or legacy"
            ))
        })?),
        (None, false) => None,
    };
    let sort = Sort::parse(&args.sort)
        .ok_or_else(|| usage(format!("--sort {}: unknown key", args.sort)))?;
    let f = ListFilter {
        year: args.year,
        agency_like: args.agency.clone(),
        format: args.format.clone(),
        status,
        sort,
        page: args.page.max(1),
        ..ListFilter::default()
    };
    let a = open(config, db)?;
    let page = query::list(&a, &f, args.limit.clamp(1, 10_000))?;
    if args.json {
        return emit_json(&json(&f, &page));
    }
    emit(&rows(&page, None))
}

#[cfg(test)]
mod tests {
    use super::around;

    #[test]
    fn context_starts_near_the_term() {
        let s = "一二三四五六七八九十甲乙丙丁依申请公开工作";
        assert_eq!(
            around(s, &["依申请公开".to_string()]),
            "七八九十甲乙丙丁依申请公开工作"
        );
        assert_eq!(around("短文依申请", &["依申请".to_string()]), "短文依申请");
        assert_eq!(around("没有", &["依申请".to_string()]), "没有");
    }
}
