//! `/`: totals and charts — reports per year by format, requests received against granted
//! and refused per year, refusals by reason per year, the share of parsed reports failing a
//! check — plus the reports that refused most and those whose tables add up least.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::figures::{self, Overview};
use super::layout::{agency_href, href, report_href, shell};
use super::query::CheckStatus;
use super::svg::{self, Series, PALETTE};
use super::{json, AppState, Error, Want};
use crate::model::REQUESTS;

/// How long a computed overview is served before it is computed again.
const CACHE_TTL: Duration = Duration::from_secs(60);

/// The last computed overview, with when it was computed and the fingerprint of the reports
/// table it was computed from.
#[derive(Debug, Default)]
pub struct Cache(Mutex<Option<Cached>>);

/// When, from which fingerprint, what.
type Cached = (Instant, (i64, i64), Arc<Overview>);

/// A cheap fingerprint of the set of reports: their number and the largest rowid (both from
/// indexes). A crawl that adds reports changes it; a re-parse does not, hence the TTL too.
fn fingerprint(a: &crate::archive::Archive) -> Result<(i64, i64), Error> {
    Ok(a.conn().query_row(
        "SELECT count(*), coalesce(max(rowid), 0) FROM reports",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

async fn load(state: &AppState) -> Result<Arc<Overview>, Error> {
    let cached = state.overview.0.lock().ok().and_then(|c| c.clone());
    let cache = Arc::clone(&state.overview);
    state
        .pool
        .run(move |a| {
            let print = fingerprint(a)?;
            if let Some((at, p, o)) = cached {
                if p == print && at.elapsed() < CACHE_TTL {
                    return Ok(o);
                }
            }
            let o = Arc::new(figures::overview(a)?);
            if let Ok(mut c) = cache.0.lock() {
                *c = Some((Instant::now(), print, Arc::clone(&o)));
            }
            Ok(o)
        })
        .await
}

/// `GET /` (or JSON with `?format=json`).
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let o = load(&state).await?;
    if Want::split("", raw.as_deref()).1 == Want::Json {
        return Ok(json(&*o));
    }
    Ok(render(&o).into_response())
}

/// `GET /index.json`, `/.json`.
pub async fn json_page(State(state): State<AppState>) -> Result<Response, Error> {
    Ok(json(&*load(&state).await?))
}

fn fig(o: &figures::YearStats, key: &str) -> f64 {
    o.figures.get(key).map(|n| n.as_f64()).unwrap_or(0.0)
}

fn charts(o: &Overview) -> Markup {
    let years: Vec<String> = o.years.iter().map(|y| y.year.to_string()).collect();
    let formats = [
        ("2021", "2021 form"),
        ("2019", "2019 form"),
        ("legacy", "legacy"),
        ("none", "not parsed"),
    ];
    let per_format: Vec<Series> = formats
        .iter()
        .enumerate()
        .map(|(i, (k, label))| Series {
            label: (*label).into(),
            color: PALETTE[i % PALETTE.len()],
            values: o
                .years
                .iter()
                .map(|y| y.formats.get(*k).copied().unwrap_or(0) as f64)
                .collect(),
        })
        .collect();
    let requests: Vec<Series> = [
        ("received", "新收申请 received"),
        ("granted", "予以公开 granted"),
        ("partially_granted", "部分公开 partly"),
        ("refused", "不予公开 refused"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (k, label))| Series {
        label: (*label).into(),
        color: PALETTE[i % PALETTE.len()],
        values: o.years.iter().map(|y| fig(y, k)).collect(),
    })
    .collect();
    let reasons: Vec<Series> = REQUESTS
        .iter()
        .filter(|r| r.key.starts_with("denied_"))
        .enumerate()
        .map(|(i, r)| Series {
            label: r.label.trim_start_matches("（三）").to_string(),
            color: PALETTE[i % PALETTE.len()],
            values: o
                .years
                .iter()
                .map(|y| {
                    y.refused_by_reason
                        .get(r.key)
                        .map(|n| n.as_f64())
                        .unwrap_or(0.0)
                })
                .collect(),
        })
        .collect();
    let failing = vec![Series {
        label: "parsed reports with a failing check".into(),
        color: PALETTE[3],
        values: o
            .years
            .iter()
            .map(|y| {
                if y.parsed > 0 {
                    (1000.0 * y.failing as f64 / y.parsed as f64).round() / 10.0
                } else {
                    0.0
                }
            })
            .collect(),
    }];
    html! {
        div.charts {
            figure { figcaption { "Reports per year and format" } (svg::bars(&years, &per_format, true, "", "Reports per report year, stacked by table format")) }
            figure { figcaption { "Requests received, granted and refused" } (svg::bars(&years, &requests, false, "", "Requests received, granted, partly granted and refused per year (totals column)")) }
            figure { figcaption { "Refusals by reason" } (svg::bars(&years, &reasons, true, "", "Requests refused per year, stacked by reason")) }
            figure { figcaption { "Share of parsed reports failing a check" } (svg::bars(&years, &failing, false, "%", "Percentage of parsed reports with at least one failing consistency rule, per year")) }
        }
    }
}

fn render(o: &Overview) -> Markup {
    let t = &o.totals;
    let status_count = |s: CheckStatus| o.by_status.get(s.as_str()).copied().unwrap_or(0);
    let body = html! {
        h1 { "政府信息公开工作年度报告 archive" }
        div.cards {
            div.card { b { (t.reports) } a href="/reports" { "reports" } }
            div.card { b { (t.agencies) } "agencies" }
            @for s in CheckStatus::ALL {
                div.card { b { (status_count(s)) } a href=(href("/reports", &[("status", s.as_str().to_string())])) { (s.label()) } }
            }
            div.card { b { (t.documents) } "documents" }
            div.card { b { (t.pages) } "pages fetched" }
            div.card { b { (t.runs) } a href="/runs" { "crawl runs" } }
        }
        @if o.years.is_empty() {
            p.muted { "No report with a known year yet." }
        } @else {
            (charts(o))
            h2 { "By year" }
            table.list {
                tr { th { "Year" } th.n { "Reports" } th.n { "Parsed" } th.n { "Failing" } th.n { "Received" } th.n { "Granted" } th.n { "Refused" } th.n { "Appeals (复议)" } }
                @for y in &o.years {
                    tr {
                        td { a href=(href("/reports", &[("year", y.year.to_string())])) { (y.year) } }
                        td.n { (y.formats.values().sum::<i64>()) }
                        td.n { (y.parsed) }
                        td.n { a href=(href("/reports", &[("year", y.year.to_string()), ("status", "fail".into())])) { (y.failing) } }
                        td.n { (fig(y, "received")) }
                        td.n { (fig(y, "granted")) }
                        td.n { (fig(y, "refused")) }
                        td.n { (fig(y, "review")) }
                    }
                }
            }
            @if o.unknown_year > 0 { p.muted.small { (o.unknown_year) " reports have no known year." } }
        }
        div.charts {
            section {
                h2 { "Most requests refused" }
                (notable_list(&o.most_refused, "refused"))
                p.small { a href=(href("/reports", &[("sort", "-refused".into())])) { "all reports by refusals →" } }
            }
            section {
                h2 { "Most failing checks" }
                (notable_list(&o.most_failing, "failing rules"))
                p.small { a href=(href("/reports", &[("status", "fail".into()), ("sort", "-failing".into())])) { "all failing reports →" } }
            }
        }
    };
    shell("Overview", body)
}

fn notable_list(rows: &[figures::Notable], unit: &str) -> Markup {
    html! {
        @if rows.is_empty() { p.muted { "None." } } @else {
            ol {
                @for n in rows {
                    li {
                        a href=(report_href(&n.id)) { (n.year.map(|y| y.to_string()).unwrap_or_default()) " " (n.agency.as_deref().unwrap_or("unknown agency")) }
                        " — " (n.value) " " (unit)
                        @if let Some(ag) = &n.agency { " · " a.small href=(agency_href(ag)) { "agency" } }
                    }
                }
            }
        }
    }
}
