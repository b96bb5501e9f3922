//! `/runs`: the crawl history (counts and failures by reason per run) and the status of each
//! host: robots.txt outcome, blocked by anti-bot pages, failing, and its URLs by state.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Serialize;

use super::layout::shell;
use super::{json, AppState, Error, Want};
use crate::archive::runs::RunRow;
use crate::archive::Archive;

/// A run with its summary decoded.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// The stored row.
    #[serde(flatten)]
    pub row: RunRow,
    /// Failures by reason, from the summary.
    pub failures: BTreeMap<String, u64>,
    /// Hosts the run stopped crawling (blocked, failing), from the summary.
    pub stopped_hosts: serde_json::Value,
}

/// One host.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Host {
    /// Host name.
    pub host: String,
    /// `ok`, `blocked`, `robots-disallowed`, `failing`, or `unknown` (seen, never fetched).
    pub status: String,
    /// robots.txt outcome (`allow_all`, `parsed`, `disallow_all`, `unreachable`).
    pub robots: Option<String>,
    /// Crawl-delay from robots.txt.
    pub crawl_delay_secs: Option<f64>,
    /// Last error.
    pub last_error: Option<String>,
    /// Frontier URLs by state.
    pub urls: BTreeMap<String, i64>,
}

/// The page's data.
#[derive(Debug, Clone, Serialize)]
pub struct Runs {
    /// Most recent runs first.
    pub runs: Vec<Run>,
    /// Hosts with problems first, then by name.
    pub hosts: Vec<Host>,
}

/// Load the last runs and every host.
pub fn load(a: &Archive, limit: usize) -> Result<Runs, Error> {
    let runs = a
        .runs(limit)?
        .into_iter()
        .map(|row| {
            let summary: serde_json::Value = row
                .summary
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            let failures = summary
                .get("failures")
                .and_then(|f| serde_json::from_value(f.clone()).ok())
                .unwrap_or_default();
            let stopped_hosts = summary.get("stopped_hosts").cloned().unwrap_or_default();
            Run {
                row,
                failures,
                stopped_hosts,
            }
        })
        .collect();
    let mut hosts: BTreeMap<String, Host> = BTreeMap::new();
    {
        let mut st = a.conn().prepare(
            "SELECT host, robots_status, state, last_error, crawl_delay_secs FROM hosts",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let host: String = r.get(0)?;
            let state: Option<String> = r.get(2)?;
            hosts.insert(
                host.clone(),
                Host {
                    host,
                    robots: r.get(1)?,
                    status: state.unwrap_or_default(),
                    last_error: r.get(3)?,
                    crawl_delay_secs: r.get(4)?,
                    urls: BTreeMap::new(),
                },
            );
        }
    }
    {
        let mut st = a
            .conn()
            .prepare("SELECT host, state, count(*) FROM frontier GROUP BY host, state")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let host: String = r.get(0)?;
            let entry = hosts.entry(host.clone()).or_insert_with(|| Host {
                host,
                ..Host::default()
            });
            entry.urls.insert(r.get(1)?, r.get(2)?);
        }
    }
    let mut hosts: Vec<Host> = hosts
        .into_values()
        .map(|mut h| {
            h.status = host_status(&h).to_string();
            h
        })
        .collect();
    hosts.sort_by(|a, b| (a.status == "ok", &a.host).cmp(&(b.status == "ok", &b.host)));
    Ok(Runs { runs, hosts })
}

fn host_status(h: &Host) -> &'static str {
    let n = |s: &str| h.urls.get(s).copied().unwrap_or(0);
    let fetched = n("done") + n("not_modified") + n("not_report");
    if h.status == "blocked" || n("blocked") > 0 {
        "blocked"
    } else if h.robots.as_deref() == Some("disallow_all") || (n("disallowed") > 0 && fetched == 0) {
        "robots-disallowed"
    } else if matches!(h.status.as_str(), "failing" | "robots_unreachable")
        || (n("failed") > 0 && fetched == 0)
    {
        "failing"
    } else if h.status.is_empty() && fetched == 0 {
        if n("offscope") > 0 {
            "off-scope"
        } else {
            "unknown"
        }
    } else {
        "ok"
    }
}

/// `GET /runs` (or JSON with `?format=json`).
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let want = Want::split("", raw.as_deref()).1;
    let runs = state.pool.run(|a| load(a, 100)).await?;
    if want == Want::Json {
        return Ok(json(&runs));
    }
    Ok(render(&runs).into_response())
}

/// `GET /runs.json`.
pub async fn json_page(State(state): State<AppState>) -> Result<Response, Error> {
    Ok(json(&state.pool.run(|a| load(a, 100)).await?))
}

fn render(r: &Runs) -> Markup {
    let body = html! {
        h1 { "Crawl runs" }
        p.muted { a href="/runs.json" { "JSON" } }
        @if r.runs.is_empty() { p.muted { "No crawl has run on this archive." } } @else {
            div style="overflow-x:auto" {
                table.list {
                    tr {
                        th { "#" } th { "Started" } th { "Ended" } th { "Status" } th.n { "Fetched" } th.n { "304" }
                        th.n { "New reports" } th.n { "Known" } th.n { "Failed" } th.n { "Blocked" } th.n { "Disallowed" } th.n { "Off-scope" } th.n { "MB" } th { "Failures by reason" }
                    }
                    @for run in &r.runs {
                        @let c = &run.row.counts;
                        tr {
                            td { (run.row.id) } td.small { (run.row.started_at) } td.small { (run.row.ended_at.as_deref().unwrap_or("…")) } td { (run.row.status) }
                            td.n { (c.fetched) } td.n { (c.not_modified) } td.n { (c.reports_new) } td.n { (c.reports_seen) } td.n { (c.failed) }
                            td.n { (c.blocked) } td.n { (c.disallowed) } td.n { (c.offscope) } td.n { (format!("{:.1}", c.bytes as f64 / 1_048_576.0)) }
                            td.small { @for (reason, n) in &run.failures { div { (reason) ": " (n) } } }
                        }
                    }
                }
            }
        }
        h2 { "Hosts" }
        @if r.hosts.is_empty() { p.muted { "No host contacted yet." } } @else {
            table.list {
                tr { th { "Host" } th { "Status" } th { "robots.txt" } th.n { "Crawl-delay" } th { "URLs by state" } th { "Last error" } }
                @for h in &r.hosts {
                    tr class=[(h.status != "ok").then_some("failing")] {
                        td { (h.host) } td { (h.status) } td { (h.robots.as_deref().unwrap_or("")) }
                        td.n { (h.crawl_delay_secs.map(|d| format!("{d}s")).unwrap_or_default()) }
                        td.small { @for (s, n) in &h.urls { span { (s) " " (n) "  " } } }
                        td.small { (h.last_error.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    shell("Runs", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(state: &str, robots: Option<&str>, urls: &[(&str, i64)]) -> Host {
        Host {
            host: "h".into(),
            status: state.into(),
            robots: robots.map(str::to_string),
            urls: urls.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..Host::default()
        }
    }

    #[test]
    fn host_statuses() {
        assert_eq!(
            host_status(&host("ok", Some("parsed"), &[("done", 3)])),
            "ok"
        );
        assert_eq!(
            host_status(&host("blocked", None, &[("done", 3)])),
            "blocked"
        );
        assert_eq!(
            host_status(&host("ok", Some("disallow_all"), &[])),
            "robots-disallowed"
        );
        assert_eq!(
            host_status(&host("failing", None, &[("failed", 2)])),
            "failing"
        );
        assert_eq!(
            host_status(&host("", None, &[("offscope", 2)])),
            "off-scope"
        );
    }
}
