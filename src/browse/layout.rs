//! The page shell (head, navigation, footer), the style sheet, and small rendering helpers
//! shared by every page.

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use maud::{html, Markup, DOCTYPE};

use crate::model::Number;

/// A whole HTML page around `body`. `title` is escaped like everything else.
pub fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · nianbao" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "nianbao 年报" }
                    nav {
                        a href="/" { "Overview" }
                        a href="/reports" { "Reports" }
                        a href="/reports?status=fail" { "Failing checks" }
                        a href="/runs" { "Runs" }
                    }
                    form.search action="/reports" method="get" role="search" {
                        input type="search" name="q" placeholder="全文搜索 search report text" aria-label="Search report text";
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
                footer { "Read-only view of the archive. Every page is also JSON: append " code { ".json" } " to its path." }
            }
        }
    }
}

/// The page for an error status.
pub fn error_page(status: StatusCode) -> Markup {
    let reason = status.canonical_reason().unwrap_or("Error");
    shell(
        reason,
        html! { h1 { (status.as_u16()) " " (reason) } p { a href="/" { "Back to the overview" } } },
    )
}

/// `/style.css`.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
}

/// A number as printed in tables (blank for `None`).
pub fn num(n: Option<Number>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// A signed delta: `+3`, `−2`, `0`.
pub fn delta(n: Option<Number>) -> String {
    match n {
        None => String::new(),
        Some(n) if n.as_f64() > 0.0 => format!("+{n}"),
        Some(n) if n.as_f64() < 0.0 => format!("−{}", n.to_string().trim_start_matches('-')),
        Some(n) => n.to_string(),
    }
}

/// `path?k=v&…` with values percent-encoded.
pub fn href(path: &str, params: &[(&str, String)]) -> String {
    if params.is_empty() {
        return path.to_string();
    }
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    format!("{path}?{}", ser.finish())
}

/// A path segment percent-encoded (agency names in `/agencies/{agency}`).
pub fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Link to a report page.
pub fn report_href(id: &str) -> String {
    format!("/reports/{}", segment(id))
}

/// Link to an agency page.
pub fn agency_href(agency: &str) -> String {
    format!("/agencies/{}", segment(agency))
}

/// A short form of a content id for display.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM` (UTC).
pub fn time_ms(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// A check status badge.
pub fn badge(status: super::query::CheckStatus) -> Markup {
    html! { span class={ "badge " (status.as_str()) } { (status.label()) } }
}

const STYLE: &str = r#"
:root { --fg: #1d2330; --muted: #5d6677; --line: #d6dbe4; --bg: #fff; --soft: #f4f6f9; --accent: #1f5fae;
        --fail: #b3261e; --failbg: #fde7e5; --pass: #1e7b34; --passbg: #e3f4e7; --inf: #7a4fb3; --infbg: #f0e9fb;
        --doubt: #b26a00; --doubtbg: #fff3dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top .brand { font-weight: 700; color: var(--fg); }
header.top nav a { margin-right: .9rem; }
form.search { margin-left: auto; display: flex; gap: .3rem; }
input, select, button { font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
footer { padding: 1rem 1.2rem; color: var(--muted); border-top: 1px solid var(--line); font-size: 13px; }
h1 { font-size: 1.45rem; margin: .3rem 0 .8rem; } h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; } h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.muted { color: var(--muted); } .small { font-size: 13px; }
table.list { border-collapse: collapse; width: 100%; }
table.list th, table.list td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
table.list th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.layout { display: grid; grid-template-columns: 240px 1fr; gap: 1.4rem; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
aside.facets h3 { margin: .9rem 0 .3rem; font-size: .9rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
aside.facets ul { list-style: none; margin: 0; padding: 0; max-height: 18rem; overflow: auto; }
aside.facets li { display: flex; justify-content: space-between; gap: .4rem; padding: .05rem 0; }
aside.facets li.sel a { font-weight: 700; } aside.facets .count { color: var(--muted); font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 9px; font-size: 12px; white-space: nowrap; background: var(--soft); color: var(--muted); }
.badge.pass { background: var(--passbg); color: var(--pass); } .badge.fail { background: var(--failbg); color: var(--fail); }
.snippet { color: var(--muted); font-size: 13px; } mark { background: #ffe58a; color: inherit; }
.pager { margin: .8rem 0; display: flex; gap: .8rem; align-items: center; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .8rem; }
.chips a { display: inline-block; margin-right: .3rem; padding: 0 .5rem; border: 1px solid var(--line); border-radius: 10px; font-size: 13px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-all; }
table.form { border-collapse: collapse; margin: .4rem 0 1rem; font-size: 14px; }
table.form th, table.form td { border: 1px solid #9aa3b2; padding: .25rem .5rem; }
table.form th { background: var(--soft); font-weight: 500; text-align: center; }
table.form th.label { text-align: left; }
table.form th.caption { background: #e9edf3; text-align: left; font-weight: 600; }
table.form td { text-align: right; min-width: 3.2rem; font-variant-numeric: tabular-nums; }
table.form td.blank { color: #aab; }
table.form td.inferred { background: var(--infbg); color: var(--inf); }
table.form td.doubted { background: var(--doubtbg); box-shadow: inset 0 -3px 0 var(--doubt); }
table.form td.fail { background: var(--failbg); outline: 2px solid var(--fail); outline-offset: -2px; }
table.form td sup a { color: var(--fail); font-size: 10px; margin-left: 1px; }
table.form td .raw { display: block; color: var(--muted); font-size: 11px; }
.legend span { display: inline-block; padding: 0 .45rem; margin-right: .5rem; border-radius: 3px; font-size: 13px; }

.legend .doubted { background: var(--doubtbg); box-shadow: inset 0 -3px 0 var(--doubt); }
.legend .inferred { background: var(--infbg); color: var(--inf); } .legend .fail { background: var(--failbg); outline: 2px solid var(--fail); }
tr.failing td { background: var(--failbg); } tr:target td { outline: 2px solid var(--accent); }
pre.text { white-space: pre-wrap; word-break: break-word; background: var(--soft); padding: 1rem; border-radius: 6px; max-height: 40rem; overflow: auto; font: 14px/1.6 inherit; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1.2rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin-bottom: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .9rem; min-width: 8rem; }
.card b { display: block; font-size: 1.4rem; }
.pos { color: var(--fail); } .neg { color: var(--pass); }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_links_are_escaped() {
        let p = shell("<script>x</script>", html! { p { "a" } }).into_string();
        assert!(p.contains("&lt;script&gt;x&lt;/script&gt; · nianbao"));
        assert!(!p.contains("<script>x"));
        assert_eq!(
            href("/reports", &[("q", "行政 复议&x=1".into())]),
            "/reports?q=%E8%A1%8C%E6%94%BF+%E5%A4%8D%E8%AE%AE%26x%3D1"
        );
        assert_eq!(agency_href("a/b c"), "/agencies/a%2Fb%20c");
    }

    #[test]
    fn deltas_are_signed() {
        assert_eq!(delta(Some(Number::Int(3))), "+3");
        assert_eq!(delta(Some(Number::Int(-2))), "−2");
        assert_eq!(delta(Some(Number::Int(0))), "0");
        assert_eq!(delta(None), "");
    }
}
