//! Hanweb 大汉 JCMS listings: the first group of records inline in `<datastore>`, further
//! groups from POST `dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` (3 pages per group,
//! form body = the page's `param_<id>` object, Referer = the column page), the XML proxy
//! responses, older GET `nextgroup` proxies, and Zhejiang jpaas `queryData` list APIs.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

use super::links::{self, MAX_PAGES};
use super::{Discovery, LinkKind, Method, Request};

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static RECORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?s)<record[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>"));
static NEXTGROUP: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?s)<nextgroup>\s*<!\[CDATA\[.*?href\s*=\s*["']([^"']+)["']"#));
static JPAGE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?s)\$\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage\(\s*\{(.*?)\}\s*\)"#));
static PAIR: LazyLock<Regex> =
    LazyLock::new(|| re(r#"['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s'"]+))"#));

/// Default proxy of current Hanweb deployments.
const DEFAULT_PROXY: &str = "/module/web/jpage/dataproxy.jsp";

/// `key: value` pairs of a JavaScript object literal body, in order.
fn pairs(object: &str) -> Vec<(String, String)> {
    PAIR.captures_iter(object)
        .filter_map(|c| {
            let key = c.get(1)?.as_str().to_string();
            let value = c
                .get(2)
                .or_else(|| c.get(3))
                .or_else(|| c.get(4))
                .map_or("", |m| m.as_str());
            Some((key, value.to_string()))
        })
        .collect()
}

fn number(config: &[(String, String)], key: &str) -> Option<u64> {
    config
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// The HTML rows inside `<record><![CDATA[…]]></record>`, joined.
fn records(body: &str) -> (String, usize) {
    let mut html = String::new();
    let mut n = 0;
    for c in RECORD.captures_iter(body) {
        if let Some(m) = c.get(1) {
            html.push_str(m.as_str());
            html.push('\n');
            n += 1;
        }
    }
    (html, n)
}

/// Classify the links of the records of a page or proxy response.
fn record_links(url: &Url, body: &str, out: &mut Discovery) -> usize {
    let (html, n) = records(body);
    if n > 0 {
        let frag = Html::parse_fragment(&html);
        links::classify_anchors(&links::anchors(&frag, url), url, out);
    }
    n
}

fn nextgroup(url: &Url, body: &str) -> Option<Url> {
    let href = NEXTGROUP.captures(body)?.get(1)?.as_str();
    links::resolve(url, href)
}

/// A column page: inline records, then one POST proxy request per group of pages.
pub(super) fn column_page(url: &Url, body: &str, out: &mut Discovery) {
    if !body.contains("<datastore") && !body.contains(".jpage(") && !body.contains("queryData") {
        return;
    }
    let inline = record_links(url, body, out);
    let next = nextgroup(url, body);
    let mut any_jpage = false;
    for c in JPAGE.captures_iter(body) {
        let (Some(id), Some(cfg)) = (c.get(1), c.get(2)) else {
            continue;
        };
        any_jpage = true;
        let config = pairs(cfg.as_str());
        let param_re = format!(
            r"(?s)var\s+param_{}\s*=\s*\{{(.*?)\}}",
            regex::escape(id.as_str())
        );
        let params = Regex::new(&param_re)
            .ok()
            .and_then(|r| {
                r.captures(body)
                    .and_then(|c| c.get(1))
                    .map(|m| pairs(m.as_str()))
            })
            .unwrap_or_default();
        let proxy = config
            .iter()
            .find(|(k, _)| k == "proxyUrl" || k == "dataUrl")
            .map(|(_, v)| v.clone())
            .or_else(|| {
                next.as_ref()
                    .filter(|u| u.path().contains("dataproxy"))
                    .map(|u| u.path().to_string())
            })
            .unwrap_or_else(|| DEFAULT_PROXY.to_string());
        let total = number(&config, "totalRecord").unwrap_or(0);
        let per = number(&config, "perPage").filter(|p| *p > 0).unwrap_or(15);
        let group = number(&config, "groupSize").filter(|g| *g > 0).unwrap_or(3);
        proxy_requests(url, &proxy, &params, total, per, group, inline, out);
    }
    if !any_jpage {
        if let Some(next) = next {
            out.requests
                .push(get(next, LinkKind::HanwebProxy, Some(url.clone())));
        }
    }
    jpaas(url, body, out);
}

#[allow(clippy::too_many_arguments)]
fn proxy_requests(
    page: &Url,
    proxy: &str,
    params: &[(String, String)],
    total: u64,
    per: u64,
    group: u64,
    inline: usize,
    out: &mut Discovery,
) {
    // `resolve`, not `join`: a `proxyUrl` of `ftp:…` or `data:…` is no request to make.
    let Some(base) = links::resolve(page, proxy) else {
        return;
    };
    let step = per.saturating_mul(group);
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let mut prev_end = 0u64;
    for g in 0..u64::from(MAX_PAGES) {
        // Saturating: `perPage`/`groupSize` come from the page and may be absurd.
        let start = g.saturating_mul(step).saturating_add(1);
        let end = (g + 1).saturating_mul(step);
        if start > total || (g > 0 && start <= prev_end) {
            break;
        }
        prev_end = end;
        if end <= inline as u64 {
            continue; // already inline
        }
        let mut u = base.clone();
        u.set_query(Some(&format!(
            "startrecord={start}&endrecord={end}&perpage={per}"
        )));
        out.requests.push(Request {
            url: u,
            method: Method::Post,
            body: Some(form.clone()),
            referer: Some(page.clone()),
            kind: LinkKind::HanwebProxy,
            title: None,
        });
    }
}

fn get(url: Url, kind: LinkKind, referer: Option<Url>) -> Request {
    Request {
        url,
        method: Method::Get,
        body: None,
        referer,
        kind,
        title: None,
    }
}

/// A `dataproxy.jsp` XML response: report links from its records; older GET variants name
/// the next group in `<nextgroup>`.
pub(super) fn proxy_response(url: &Url, body: &str, out: &mut Discovery) {
    let n = record_links(url, body, out);
    if n > 0 {
        if let Some(next) = nextgroup(url, body).filter(|n| n != url) {
            out.requests.push(get(next, LinkKind::HanwebProxy, None));
        }
    }
}

/// Zhejiang jpaas: `<div count="386" rows="15" queryData="{'webId':…}">` → the JSON list API,
/// one GET per page.
fn jpaas(url: &Url, body: &str, out: &mut Discovery) {
    if !body.contains("queryData") {
        return;
    }
    let doc = Html::parse_document(body);
    let Ok(sel) = Selector::parse("[querydata]") else {
        return;
    };
    for el in doc.select(&sel) {
        let data = pairs(el.attr("querydata").unwrap_or(""));
        let count: u64 = el
            .attr("count")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let rows: u64 = el
            .attr("rows")
            .and_then(|v| v.trim().parse().ok())
            .filter(|r| *r > 0)
            .unwrap_or(15);
        let get_key = |k: &str| {
            data.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let Ok(base) = url.join("/api-gateway/jpaas-publish-server/front/page/build/unit") else {
            return;
        };
        let pages = count.div_ceil(rows).min(u64::from(MAX_PAGES));
        for n in 1..=pages {
            let mut u = base.clone();
            u.query_pairs_mut()
                .append_pair("webId", &get_key("webId"))
                .append_pair("pageId", &get_key("pageId"))
                .append_pair("parseType", "bulidstatic")
                .append_pair("pageType", "column")
                .append_pair("tagId", &get_key("tagId"))
                .append_pair("tplSetId", &get_key("tplSetId"))
                .append_pair("rows", &rows.to_string())
                .append_pair("pageNo", &n.to_string());
            out.requests
                .push(get(u, LinkKind::JsonApi, Some(url.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMN: &str = r#"<div id="4021671"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=27&path=/&columnid=12377&unitid=4021671&webname=%E6%9F%90%E5%8E%BF&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li class="clearfix"><a href="/art/2024/1/26/art_12377_1486865.html" title="某县统计局2023年政府信息公开工作年度报告" target="_blank">某县统计局2023年政府信息…</a><b>2024-01-26</b></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/1/10/art_12377_1486000.html" title="关于做好2023年政府信息公开工作年度报告的通知">关于…</a></li>]]></record>
</recordset></datastore></script></div>
<script>var param_4021671 = {col:1,appid:1,webid:27,path:'/',columnid:12377,sourceContentType:1,unitid:'4021671',webname:'某县人民政府',permissiontype:0};
$('#4021671').jpage({totalRecord:128, perPage:15});</script>"#;

    #[test]
    fn column_groups() {
        let url = Url::parse("https://www.example.gov.cn/col/col12377/index.html").expect("url");
        let mut out = Discovery::default();
        column_page(&url, COLUMN, &mut out);
        let details: Vec<_> = out
            .requests
            .iter()
            .filter(|r| r.kind == LinkKind::Detail)
            .collect();
        assert_eq!(details.len(), 1);
        assert_eq!(
            details[0].url.path(),
            "/art/2024/1/26/art_12377_1486865.html"
        );
        assert_eq!(out.rejected.len(), 1);
        let proxies: Vec<_> = out
            .requests
            .iter()
            .filter(|r| r.kind == LinkKind::HanwebProxy)
            .collect();
        // 2 inline records < 45, so group 0 too: 1-45, 46-90, 91-135.
        let q: Vec<_> = proxies
            .iter()
            .map(|r| r.url.query().unwrap_or(""))
            .collect();
        assert_eq!(
            q,
            [
                "startrecord=1&endrecord=45&perpage=15",
                "startrecord=46&endrecord=90&perpage=15",
                "startrecord=91&endrecord=135&perpage=15",
            ]
        );
        let p = proxies[1];
        assert_eq!(p.method, Method::Post);
        assert_eq!(p.url.path(), "/module/web/jpage/dataproxy.jsp");
        assert_eq!(p.referer.as_ref(), Some(&url));
        assert_eq!(
            p.body.as_deref(),
            Some("col=1&appid=1&webid=27&path=%2F&columnid=12377&sourceContentType=1&unitid=4021671&webname=%E6%9F%90%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0")
        );
    }

    #[test]
    fn absurd_sizes_do_not_overflow() {
        let url = Url::parse("https://a.gov.cn/col/col1/index.html").expect("url");
        let body = "<datastore></datastore><script>var param_1 = {a:1};\n$('#1').jpage({totalRecord:18446744073709551615, perPage:18446744073709551615, groupSize:9});</script>";
        let mut out = Discovery::default();
        column_page(&url, body, &mut out);
        assert_eq!(out.requests.len(), 1);
    }

    #[test]
    fn proxy_url_must_be_http() {
        // Caught by the `discover` fuzz target's http(s) check: the proxy URL was only joined.
        let url = Url::parse("https://a.gov.cn/col/col1/index.html").expect("url");
        for proxy in ["ftp://a.gov.cn/x", "data:text/html,x", "javascript:void(0)"] {
            let body =
                format!("<script>$('#1').jpage({{proxyUrl:'{proxy}', totalRecord:100}});</script>");
            let mut out = Discovery::default();
            column_page(&url, &body, &mut out);
            assert!(out.requests.is_empty(), "{proxy}: {:?}", out.requests);
        }
    }

    #[test]
    fn proxy_xml() {
        let url = Url::parse("https://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15").expect("url");
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<datastore><totalrecord>128</totalrecord><totalpage>9</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2023/3/1/art_12377_1400001.html" title="某县2022年政府信息公开工作年度报告">…</a><span>2023-03-01</span></li>]]></record>
<record><![CDATA[<tr><td><a href='/art/2023/3/2/art_12377_1400002.html'>某县教育局2022年政府信息公开工作年度报告</a></td></tr>]]></record>
</recordset></datastore>"#;
        let mut out = Discovery::default();
        proxy_response(&url, xml, &mut out);
        let got: Vec<_> = out
            .requests
            .iter()
            .map(|r| (r.url.path(), r.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("/art/2023/3/1/art_12377_1400001.html", LinkKind::Detail),
                ("/art/2023/3/2/art_12377_1400002.html", LinkKind::Detail),
            ]
        );
    }

    #[test]
    fn jpaas_pages() {
        let url = Url::parse("https://www.a.gov.cn/col/col1/index.html").expect("url");
        let html = r#"<div class="list" count="31" rows="15" pageNo="1" queryData="{'webId':'3185','pageId':'77','tagId':'信息列表','tplSetId':'9'}"></div>"#;
        let mut out = Discovery::default();
        column_page(&url, html, &mut out);
        assert_eq!(out.requests.len(), 3);
        assert!(out.requests.iter().all(|r| r.kind == LinkKind::JsonApi));
        assert!(out.requests[2]
            .url
            .query()
            .unwrap_or("")
            .contains("pageNo=3"));
        assert!(out.requests[0]
            .url
            .query()
            .unwrap_or("")
            .contains("webId=3185"));
    }
}
