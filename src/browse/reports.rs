//! `/reports`: the report list with full-text search, facets (check status, year, format,
//! region, source, agency) with counts, sortable columns and pages of 50. Every link is a
//! plain URL, so the page works with JavaScript off.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Serialize;

use super::layout::{self, agency_href, badge, href, num, report_href, shell};
use super::query::{self, CheckStatus, Dim, Facet, ListFilter, ListPage, Sort, SortKey, PER_PAGE};
use super::{json, search, AppState, Error, Want};

/// The JSON body of `/reports.json`.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    filter: serde_json::Map<String, serde_json::Value>,
    sort: String,
    #[serde(flatten)]
    list: &'a ListPage,
    facets: &'a [Facet],
}

fn params(query: &Option<String>) -> Vec<(String, String)> {
    query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

async fn load(
    state: &AppState,
    f: ListFilter,
) -> Result<(ListFilter, ListPage, Vec<Facet>), Error> {
    state
        .pool
        .run(move |a| {
            let list = query::list(a, &f, PER_PAGE)?;
            let facets = query::facets(a, &f)?;
            Ok((f, list, facets))
        })
        .await
}

/// `GET /reports` (HTML, or JSON with `?format=json`).
pub async fn page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let want = Want::split("", raw.as_deref()).1;
    respond(state, raw, want).await
}

/// `GET /reports.json`.
pub async fn json_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    respond(state, raw, Want::Json).await
}

async fn respond(state: AppState, raw: Option<String>, want: Want) -> Result<Response, Error> {
    let pairs = params(&raw);
    let f = ListFilter::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (f, list, facets) = load(&state, f).await?;
    if want == Want::Json {
        let filter = f
            .to_params()
            .into_iter()
            .filter(|(k, _)| *k != "page" && *k != "sort")
            .map(|(k, v)| (k.to_string(), v.into()))
            .collect();
        return Ok(json(&ListJson {
            filter,
            sort: f.sort.as_param(),
            list: &list,
            facets: &facets,
        }));
    }
    Ok(render(&f, &list, &facets).into_response())
}

fn facet_title(name: &str) -> &'static str {
    match name {
        "status" => "Checks",
        "year" => "Year",
        "format" => "Format",
        "region" => "Region",
        "source" => "Source",
        "agency" => "Agency",
        _ => "",
    }
}

fn facet_value_label(dim: Dim, v: &str) -> String {
    match (dim, v) {
        (Dim::Status, s) => CheckStatus::parse(s)
            .map(|c| c.label().to_string())
            .unwrap_or_else(|| s.to_string()),
        (Dim::Format, "none") => "not parsed".into(),
        (Dim::Format, f) if f != "legacy" => format!("{f} form"),
        _ => v.to_string(),
    }
}

fn facets_html(f: &ListFilter, facets: &[Facet]) -> Markup {
    html! {
        aside.facets {
            @for (dim, facet) in Dim::ALL.iter().zip(facets) {
                @if !facet.values.is_empty() {
                    h3 { (facet_title(facet.name)) }
                    ul {
                        @for v in &facet.values {
                            @match &v.value {
                                Some(value) => {
                                    li class=[v.selected.then_some("sel")] {
                                        @if v.selected {
                                            a href=(href("/reports", &f.with(*dim, None).to_params())) title="remove this filter" { "✕ " (facet_value_label(*dim, value)) }
                                        } @else {
                                            a href=(href("/reports", &f.with(*dim, Some(value)).to_params())) { (facet_value_label(*dim, value)) }
                                        }
                                        span.count { (v.count) }
                                    }
                                }
                                None => { li { span.muted { "(none)" } span.count { (v.count) } } }
                            }
                        }
                        @if facet.truncated { li.muted.small { "…" } }
                    }
                }
            }
        }
    }
}

fn sort_link(f: &ListFilter, key: SortKey, label: &str) -> Markup {
    let current = f.sort.key == key;
    // Numbers and years sort largest first on the first click; text A→Z.
    let first_desc = !matches!(key, SortKey::Agency | SortKey::Title);
    let next = Sort {
        key,
        desc: if current { !f.sort.desc } else { first_desc },
    };
    let mut g = f.clone();
    g.sort = next;
    g.page = 1;
    let arrow = if current {
        if f.sort.desc {
            " ▼"
        } else {
            " ▲"
        }
    } else {
        ""
    };
    html! { a href=(href("/reports", &g.to_params())) { (label) (arrow) } }
}

fn snippet(text: &str, terms: &[String]) -> Markup {
    html! {
        @for (part, hit) in search::highlight(text, terms) {
            @if hit { mark { (part) } } @else { (part) }
        }
    }
}

fn render(f: &ListFilter, list: &ListPage, facets: &[Facet]) -> Markup {
    let terms = f.q.as_deref().map(search::terms).unwrap_or_default();
    let active: Vec<(Dim, String)> = Dim::ALL
        .iter()
        .filter_map(|d| f.value_of(*d).map(|v| (*d, v)))
        .collect();
    let json_href = href("/reports.json", &f.to_params());
    let title = match &f.q {
        Some(q) => format!("Search: {q}"),
        None => "Reports".to_string(),
    };
    let body = html! {
        h1 { (title) }
        form.filters action="/reports" method="get" {
            input type="search" name="q" value=[f.q.as_deref()] placeholder="全文搜索 (≥3 characters use the index)" aria-label="Full-text search";
            @for (k, v) in f.to_params() {
                @if k != "q" && k != "page" { input type="hidden" name=(k) value=(v); }
            }
            button type="submit" { "Search" }
            @if !active.is_empty() || f.q.is_some() || f.agency_like.is_some() { a href="/reports" { "clear all" } }
        }
        @if !active.is_empty() {
            p.chips { @for (d, v) in &active { a href=(href("/reports", &f.with(*d, None).to_params())) { (facet_title(d.param())) ": " (facet_value_label(*d, v)) " ✕" } } }
        }
        div.layout {
            (facets_html(f, facets))
            section {
                p.muted {
                    (list.total) " reports"
                    @if let Some(mode) = list.search_mode {
                        " · search by " @match mode { search::Mode::Fts => "full-text index", search::Mode::Like => "substring scan", search::Mode::Mixed => "index + substring scan" }
                    }
                    " · " a href=(json_href) { "JSON" }
                }
                table.list id="reports" {
                    tr {
                        th { (sort_link(f, SortKey::Year, "Year")) }
                        th { (sort_link(f, SortKey::Agency, "Agency")) }
                        th { (sort_link(f, SortKey::Title, "Title")) }
                        th { "Format" }
                        th.n { (sort_link(f, SortKey::Received, "Received")) }
                        th.n { "Granted" }
                        th.n { (sort_link(f, SortKey::Refused, "Refused")) }
                        th { (sort_link(f, SortKey::Failing, "Checks")) }
                        th { (sort_link(f, SortKey::Published, "Published")) }
                    }
                    @for r in &list.reports {
                        tr {
                            td { (r.year.map(|y| y.to_string()).unwrap_or_default()) }
                            td { @if let Some(ag) = &r.agency { a href=(agency_href(ag)) { (ag) } } }
                            td {
                                a.report href=(report_href(&r.id)) { (r.title.clone().unwrap_or_else(|| format!("(untitled {})", layout::short_id(&r.id)))) }
                                @if let Some(s) = &r.snippet { div.snippet { "…" (snippet(s, &terms)) "…" } }
                            }
                            td { (r.format.as_deref().unwrap_or("–")) " " span.muted.small { (r.source) } }
                            td.n { (num(r.received)) }
                            td.n { (num(r.granted)) }
                            td.n { (num(r.refused)) }
                            td {
                                (badge(r.check_status))
                                @if r.failing > 0 { " " span.small { (r.failing) "/" (r.checks) } }
                            }
                            td.small { (r.published.as_deref().unwrap_or("")) }
                        }
                    }
                }
                @if list.reports.is_empty() { p.muted { "No report matches." } }
                (pager(f, list))
            }
        }
    };
    shell(&title, body)
}

fn pager(f: &ListFilter, list: &ListPage) -> Markup {
    let at = |p: u32| {
        let mut g = f.clone();
        g.page = p;
        href("/reports", &g.to_params())
    };
    html! {
        @if list.pages > 1 {
            nav.pager aria-label="pages" {
                @if list.page > 1 { a rel="prev" href=(at(list.page - 1)) { "← previous" } }
                span { "page " (list.page) " of " (list.pages) }
                @if list.page < list.pages { a rel="next" href=(at(list.page + 1)) { "next →" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_marks_terms_and_escapes() {
        let s = snippet("<b>依申请公开</b>", &["申请".to_string()]).into_string();
        assert_eq!(s, "&lt;b&gt;依<mark>申请</mark>公开&lt;/b&gt;");
    }

    #[test]
    fn sort_links_toggle_direction() {
        let f = ListFilter {
            page: 3,
            ..ListFilter::default()
        };
        let html = sort_link(&f, SortKey::Year, "Year").into_string();
        assert!(html.contains("sort=year"), "{html}");
        assert!(html.contains("▼"));
        let html = sort_link(&f, SortKey::Agency, "Agency").into_string();
        assert!(html.contains("sort=agency\""), "{html}");
        assert!(!html.contains("page="));
    }
}
