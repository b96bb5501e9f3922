//! JSON list APIs: Guangdong gkmlpt (`window._CONFIG` with `SID` and a `TREE` node named like
//! 政府信息公开年报 → `/gkmlpt/api/all/{cat}?page=1&sid={sid}`, then each JSON page's articles
//! and the next page) and Zhejiang jpaas responses (`{"data":{"html":"<li>…"}}`).

use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;
use serde_json::Value;
use url::Url;

use super::links;
use super::{Discovery, LinkKind, Method, Rejected, Request};
use crate::extract::attachment::document_ext;
use crate::title::{self, TitleClass};

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static SID: LazyLock<Regex> = LazyLock::new(|| re(r#"["']?SID["']?\s*:\s*["'](\d+)["']"#));
/// A TREE node: `{id: 368, name: '政府信息公开年报'` (keys may be quoted, `name` may come first).
static NODE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"["']?id["']?\s*:\s*["']?(\d+)["']?\s*,\s*["']?name["']?\s*:\s*["']([^"']+)["']|["']?name["']?\s*:\s*["']([^"']+)["']\s*,\s*["']?id["']?\s*:\s*["']?(\d+)"#,
    )
});

fn get(url: Url, kind: LinkKind, title: Option<String>) -> Request {
    Request {
        url,
        method: Method::Get,
        body: None,
        referer: None,
        kind,
        title,
    }
}

/// A gkmlpt index page: one API request per 年报 category of the TREE.
pub(super) fn index_page(url: &Url, body: &str, out: &mut Discovery) {
    let Some(at) = body.find("_CONFIG") else {
        return;
    };
    let config = &body[at..];
    let Some(sid) = SID.captures(config).and_then(|c| c.get(1)) else {
        return;
    };
    for c in NODE.captures_iter(config) {
        let (id, name) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(id), Some(name), _, _) => (id, name),
            (_, _, Some(name), Some(id)) => (id, name),
            _ => continue,
        };
        let name = name.as_str();
        let is_report_node = (name.contains("年报") || name.contains("年度报告"))
            && !["通知", "解读", "要点"].iter().any(|w| name.contains(w));
        if !is_report_node {
            continue;
        }
        let path = format!(
            "/gkmlpt/api/all/{}?page=1&sid={}",
            id.as_str(),
            sid.as_str()
        );
        if let Ok(api) = url.join(&path) {
            out.requests
                .push(get(api, LinkKind::JsonApi, Some(name.to_string())));
        }
    }
}

/// Strip a JSONP wrapper `cb({...});`.
fn unwrap_jsonp(body: &str) -> &str {
    let t = body.trim().trim_start_matches('\u{feff}');
    if t.starts_with('{') || t.starts_with('[') {
        return t;
    }
    match (t.find('('), t.rfind(')')) {
        (Some(a), Some(b)) if a < b => &t[a + 1..b],
        _ => t,
    }
}

fn as_u64(v: Option<&Value>) -> Option<u64> {
    v.and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    })
}

/// A JSON list response.
pub(super) fn response(url: &Url, body: &str, out: &mut Discovery) {
    let Ok(json) = serde_json::from_str::<Value>(unwrap_jsonp(body)) else {
        return;
    };
    // jpaas: {"success":true,"data":{"html":"<li>…"}}
    if let Some(html) = json.pointer("/data/html").and_then(Value::as_str) {
        let frag = Html::parse_fragment(html);
        links::classify_anchors(&links::anchors(&frag, url), url, out);
        return;
    }
    let articles = json
        .get("articles")
        .or_else(|| json.pointer("/data/articles"))
        .or_else(|| json.pointer("/data/list"))
        .and_then(Value::as_array);
    let Some(articles) = articles else { return };
    for a in articles {
        let title = a
            .get("title")
            .and_then(Value::as_str)
            .map(links::collapse)
            .unwrap_or_default();
        let Some(link) = a
            .get("url")
            .and_then(Value::as_str)
            .and_then(|h| links::resolve(url, h))
        else {
            continue;
        };
        match title::classify(&title) {
            class if class.worth_fetching() => {
                let kind = if document_ext(&link).is_some() {
                    LinkKind::Attachment
                } else {
                    LinkKind::Detail
                };
                out.requests.push(get(link, kind, Some(title)));
            }
            class @ (TitleClass::Rejected(_) | TitleClass::Notice(_)) => {
                out.rejected.push(Rejected {
                    url: link,
                    title,
                    reason: class.reason().unwrap_or("not a report").into(),
                })
            }
            TitleClass::Report | TitleClass::Candidate | TitleClass::Other => {}
        }
    }
    if articles.is_empty() {
        return;
    }
    let total = as_u64(json.get("total"))
        .or_else(|| as_u64(json.pointer("/classify/post_count")))
        .or_else(|| as_u64(json.pointer("/data/total")));
    let page: u64 = url
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let size = as_u64(json.get("page_size"))
        .or_else(|| as_u64(json.get("pagesize")))
        .unwrap_or(articles.len() as u64);
    let more = match total {
        Some(total) => page.saturating_mul(size) < total,
        None => false,
    };
    if more && page < u64::from(links::MAX_PAGES) {
        let mut next = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        next.query_pairs_mut()
            .clear()
            .append_pair("page", &(page + 1).to_string())
            .extend_pairs(pairs);
        out.requests.push(get(next, LinkKind::JsonApi, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gkmlpt_index() {
        let url = Url::parse("http://www.example.gov.cn/gkmlpt/index").expect("url");
        let body = "<script>window._CONFIG = { SID: '752001', TREE: [{id: 360, name: '机构职能', children: []}, {id: 368, name: '政府信息公开年报', children: []}], DETAIL: {} };</script>";
        let mut out = Discovery::default();
        index_page(&url, body, &mut out);
        assert_eq!(out.requests.len(), 1);
        assert_eq!(
            out.requests[0].url.as_str(),
            "http://www.example.gov.cn/gkmlpt/api/all/368?page=1&sid=752001"
        );
        assert_eq!(out.requests[0].kind, LinkKind::JsonApi);
    }

    #[test]
    fn gkmlpt_pages() {
        let url = Url::parse("http://www.example.gov.cn/gkmlpt/api/all/368?page=1&sid=752001")
            .expect("url");
        let body = r#"{"total": 3, "articles": [
            {"id": 1, "title": "某区某局2023年政府信息公开工作年度报告", "url": "http://www.example.gov.cn/gkmlpt/content/4/4942/post_4942475.html"},
            {"id": 2, "title": "某区2023年政府信息公开工作年度报告解读", "url": "/gkmlpt/content/4/4942/post_4942476.html"}]}"#;
        let mut out = Discovery::default();
        response(&url, body, &mut out);
        assert_eq!(out.requests.len(), 2);
        assert_eq!(out.requests[0].kind, LinkKind::Detail);
        assert_eq!(
            out.requests[1].url.as_str(),
            "http://www.example.gov.cn/gkmlpt/api/all/368?page=2&sid=752001"
        );
        assert_eq!(out.rejected.len(), 1);
        let last = Url::parse("http://www.example.gov.cn/gkmlpt/api/all/368?page=2&sid=752001")
            .expect("url");
        let mut out = Discovery::default();
        response(
            &last,
            r#"{"total": 3, "articles": [{"title": "x", "url": "/a.html"}, {"title": "y", "url": "/b.html"}]}"#,
            &mut out,
        );
        assert!(out.requests.is_empty(), "2*2 >= 3 is the last page");
        let mut out = Discovery::default();
        response(&url, r#"{"total": 300, "articles": []}"#, &mut out);
        assert!(out.requests.is_empty());
    }
}
