//! Listing pages → the requests to make next: report detail pages, report files linked
//! directly, further listing pages (pagination, year folders, sub-columns) and the list APIs
//! of the CMS families (TRS, Hanweb, gkmlpt, `?page=N`).
//!
//! Takes a listing's decoded text, its URL and the kind of request it answered; gives
//! [`Request`]s (with the link text as the title, for the analysis) and the links it rejected
//! with the reason. Pure: scope, robots and deduplication are the crawler's job.

use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;
use url::Url;

pub mod filter;
mod hanweb;
mod json_api;
mod links;
mod pager;
mod trs;

/// HTTP method of a discovered request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST with a form body (Hanweb `dataproxy.jsp`).
    Post,
}

/// What a URL is expected to be, which decides how its response is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// A listing page (HTML): run [`discover`] on it.
    Listing,
    /// A Hanweb `dataproxy.jsp` response (XML with `<record>` CDATA rows).
    HanwebProxy,
    /// A JSON list API (gkmlpt `api/all/{cat}?page=N`).
    JsonApi,
    /// A report detail page (HTML).
    Detail,
    /// A report file (PDF, DOC, DOCX, WPS, XLS) linked from a listing or detail page.
    Attachment,
}

impl LinkKind {
    /// Short name stored in the frontier.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Listing => "listing",
            LinkKind::HanwebProxy => "hanweb_proxy",
            LinkKind::JsonApi => "json_api",
            LinkKind::Detail => "detail",
            LinkKind::Attachment => "attachment",
        }
    }

    /// Inverse of [`LinkKind::as_str`].
    pub fn parse(s: &str) -> Option<LinkKind> {
        [
            LinkKind::Listing,
            LinkKind::HanwebProxy,
            LinkKind::JsonApi,
            LinkKind::Detail,
            LinkKind::Attachment,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A request to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Absolute URL.
    pub url: Url,
    /// GET or POST.
    pub method: Method,
    /// Form body for POST (`application/x-www-form-urlencoded`).
    pub body: Option<String>,
    /// Referer to send (Hanweb proxies require the column page).
    pub referer: Option<Url>,
    /// How to handle the response.
    pub kind: LinkKind,
    /// Title from the listing (the `title` attribute or link text), if any.
    pub title: Option<String>,
}

/// A link looked at and deliberately not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Absolute URL.
    pub url: Url,
    /// Link title.
    pub title: String,
    /// Why (e.g. "not a report: 通知").
    pub reason: String,
}

/// The result of reading one listing response.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Requests to make.
    pub requests: Vec<Request>,
    /// Links with a report-like context that were not followed, with the reason.
    pub rejected: Vec<Rejected>,
}

/// Whether `url` is shaped like a listing or folder (`…/`, `index_2.html`, `list.html`) rather
/// than an article: a page at such a URL that was reached as a detail page is a listing.
pub fn is_listing_url(url: &Url) -> bool {
    links::is_folder_url(url)
}

/// Read a listing response of `kind` fetched from `url` (`body` decoded).
///
/// `Listing` bodies are HTML (a JSON or Hanweb-XML body is recognised and read as such);
/// `HanwebProxy` bodies are `dataproxy.jsp` XML; `JsonApi` bodies are gkmlpt (or jpaas) JSON.
/// `Detail` and `Attachment` discover nothing: their links come from `extract::page`.
pub fn discover(kind: LinkKind, url: &Url, body: &str) -> Discovery {
    let mut out = Discovery::default();
    let head = body.trim_start_matches('\u{feff}').trim_start();
    match kind {
        LinkKind::Listing if head.starts_with('{') || head.starts_with('[') => {
            json_api::response(url, body, &mut out)
        }
        LinkKind::Listing if head.starts_with("<?xml") && body.contains("<recordset") => {
            hanweb::proxy_response(url, body, &mut out)
        }
        LinkKind::Listing => listing(url, body, &mut out),
        LinkKind::HanwebProxy => hanweb::proxy_response(url, body, &mut out),
        LinkKind::JsonApi => json_api::response(url, body, &mut out),
        LinkKind::Detail | LinkKind::Attachment => {}
    }
    dedupe(url, &mut out);
    out
}

/// An HTML listing page of any family.
fn listing(url: &Url, body: &str, out: &mut Discovery) {
    match end_of_listing(url, body) {
        End::Past => return,
        End::Redirect(target) => {
            out.requests.push(Request {
                url: target,
                method: Method::Get,
                body: None,
                referer: None,
                kind: LinkKind::Listing,
                title: None,
            });
            return;
        }
        End::No => {}
    }
    let doc = Html::parse_document(body);
    let anchors = links::anchors(&doc, url);
    links::classify_anchors(&anchors, url, out);
    links::frames(&doc, url, out);
    hanweb::column_page(url, body, out);
    json_api::index_page(url, body, out);
    trs::pager(url, body, out);
    pager::query_pager(&anchors, url, body, out);
}

/// What a listing response says about the listing itself.
enum End {
    /// An ordinary page.
    No,
    /// Beyond the last page: a soft 404 or a refresh back to the column (`./`).
    Past,
    /// A refresh (`<meta http-equiv=refresh>`) to another page.
    Redirect(Url),
}

fn end_of_listing(url: &Url, body: &str) -> End {
    let lower_head: String = prefix(body, 4096).to_lowercase();
    if let Some(target) = meta_refresh(body).or_else(|| script_redirect(body)) {
        let t = target.trim().trim_matches(['\'', '"']);
        let Some(to) = links::resolve(url, t).filter(|_| !t.is_empty()) else {
            return End::Past;
        };
        // From a numbered page (`index_7.html`, `?page=7`) back into its own folder: the
        // listing ended (mohrss.gov.cn refreshes to `./`).
        let numbered = trs::is_numbered_page(url) || pager::has_page_param(url);
        if to == *url
            || (numbered
                && links::dir_of(to.path()) == links::dir_of(url.path())
                && to.query().is_none())
        {
            return End::Past;
        }
        return End::Redirect(to);
    }
    let short = body.len() < 6000;
    let missing = [
        "页面不存在",
        "页面未找到",
        "找不到页面",
        "您访问的页面不存在",
        "您所访问的页面不存在",
        "404 not found",
    ]
    .iter()
    .any(|w| lower_head.contains(w) || (short && body.contains(w)));
    let title_404 = lower_head.contains("<title>404") || lower_head.contains("<title>页面不存在");
    if (missing && short) || title_404 {
        return End::Past;
    }
    End::No
}

/// The target of `<meta http-equiv="refresh" content="0;url=…">` in the first 4 KB.
fn meta_refresh(body: &str) -> Option<String> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?is)<meta[^>]*http-equiv\s*=\s*["']?refresh[^>]*>"#).expect("constant regex")
    });
    static TARGET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)url\s*=\s*['"]?([^'">\s]*)"#).expect("constant regex"));
    let head = prefix(body, 4096);
    let tag = TAG.find(head)?;
    TARGET
        .captures(tag.as_str())
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// A tiny page whose only job is `location.href = "…"` / `location.replace("…")`.
fn script_redirect(body: &str) -> Option<String> {
    static JS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"location(?:\.href)?\s*=\s*["']([^"']+)["']|location\.replace\(\s*["']([^"']+)["']"#,
        )
        .expect("constant regex")
    });
    if body.len() > 2048 {
        return None;
    }
    let c = JS.captures(body)?;
    c.get(1)
        .or_else(|| c.get(2))
        .map(|m| m.as_str().to_string())
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub(crate) fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Most requests one response may yield: a guard against hostile pagers and configs.
const MAX_REQUESTS: usize = 5000;

/// Drop links back to `page` itself and repeated requests (same URL, method and body),
/// keeping the first.
fn dedupe(page: &Url, out: &mut Discovery) {
    out.requests
        .retain(|r| r.url != *page || r.method == Method::Post);
    let mut seen = std::collections::HashSet::new();
    out.requests
        .retain(|r| seen.insert((r.url.clone(), r.method, r.body.clone())));
    let mut seen_rejected = std::collections::HashSet::new();
    out.rejected.retain(|r| seen_rejected.insert(r.url.clone()));
    out.requests.truncate(MAX_REQUESTS);
    let requested: std::collections::HashSet<Url> =
        out.requests.iter().map(|r| r.url.clone()).collect();
    out.rejected.retain(|r| !requested.contains(&r.url));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn past_the_last_page() {
        let page = u("http://a.gov.cn/col/index_9.html");
        let refresh = r#"<html><head><meta http-equiv="refresh" content="0;url=./"></head></html>"#;
        assert!(discover(LinkKind::Listing, &page, refresh)
            .requests
            .is_empty());
        let soft = "<html><body><h1>页面不存在</h1><a href='index_1.html'>下一页</a></body></html>";
        assert!(discover(LinkKind::Listing, &page, soft).requests.is_empty());
        let js = r#"<script>window.location.href = "/zfxxgknb/2023/index.html";</script>"#;
        let d = discover(LinkKind::Listing, &u("http://a.gov.cn/zfxxgknb/"), js);
        assert_eq!(d.requests.len(), 1);
        assert_eq!(d.requests[0].url.path(), "/zfxxgknb/2023/index.html");
        let root = r#"<meta http-equiv="refresh" content="0;url=index.html">"#;
        let d = discover(LinkKind::Listing, &u("http://a.gov.cn/zfxxgknb/"), root);
        assert_eq!(
            d.requests.len(),
            1,
            "a folder refreshing to its list is a redirect"
        );
        let moved = r#"<meta http-equiv="Refresh" content="0; URL=/zfxxgknb/2023/index.html">"#;
        let d = discover(LinkKind::Listing, &page, moved);
        assert_eq!(d.requests.len(), 1);
        assert_eq!(d.requests[0].url.path(), "/zfxxgknb/2023/index.html");
    }

    #[test]
    fn details_discover_nothing() {
        let page = u("http://a.gov.cn/art/1.html");
        let html = "<a href='/x.html'>2023年政府信息公开工作年度报告</a>";
        assert!(discover(LinkKind::Detail, &page, html).requests.is_empty());
    }
}
