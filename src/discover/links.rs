//! Generic listing pages: the `<a>` links of any CMS, classified into report detail pages,
//! report files, pager links (下一页, numbered pages), 年报 columns and their year / unit-type
//! folders; listing frames.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::filter;
use super::{Discovery, LinkKind, Method, Rejected, Request};
use crate::extract::attachment::document_ext;
use crate::title::{self, TitleClass};

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// Most pages one pager may generate; a guard against absurd totals on hostile pages.
pub(crate) const MAX_PAGES: u32 = 1000;

/// One `<a href>` of a page: absolute URL and the best title (the `title` attribute over a
/// truncated text).
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    /// Absolute URL without fragment.
    pub url: Url,
    /// `title` attribute or link text, whitespace collapsed.
    pub title: String,
    /// The link text alone.
    pub text: String,
}

/// Collapse runs of whitespace (incl. U+3000 and NBSP) into one space and trim.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Resolve `href` against `base`; `None` for `javascript:`, `mailto:`, fragments and non-HTTP.
pub(crate) fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim().replace("&amp;", "&");
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || href.starts_with('#')
        || ["javascript:", "mailto:", "tel:", "data:", "about:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let mut url = base.join(&href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// The document's `<base href>` if any, else `page`.
pub(crate) fn base_url(doc: &Html, page: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|b| b.attr("href"))
                .and_then(|h| page.join(h).ok())
        })
        .unwrap_or_else(|| page.clone())
}

/// All anchors of `doc`.
pub(crate) fn anchors(doc: &Html, page: &Url) -> Vec<Anchor> {
    let base = base_url(doc, page);
    let Ok(sel) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    doc.select(&sel).filter_map(|a| anchor(a, &base)).collect()
}

fn anchor(a: ElementRef<'_>, base: &Url) -> Option<Anchor> {
    let url = resolve(base, a.attr("href")?)?;
    let text = collapse(&a.text().collect::<String>());
    let attr = a.attr("title").map(collapse).unwrap_or_default();
    let title = if !attr.is_empty()
        && (text.is_empty()
            || title::compact(&attr).chars().count() >= title::compact(&text).chars().count())
    {
        attr
    } else {
        text.clone()
    };
    Some(Anchor { url, title, text })
}

/// Links never worth following from a listing: home, login, search, accessibility modes.
fn is_unwanted(a: &Anchor) -> bool {
    let path = a.url.path().to_ascii_lowercase();
    let root =
        (path == "/" || path == "/index.html" || path == "/index.shtml" || path == "/index.htm")
            && a.url.query().is_none();
    let bad_path = [
        "login",
        "register",
        "logout",
        "/search",
        "was5",
        "was40",
        "jsearch",
        "sso/",
        "/passport",
    ]
    .iter()
    .any(|p| path.contains(p));
    let bad_text = [
        "登录",
        "注册",
        "搜索",
        "无障碍",
        "长者模式",
        "关怀版",
        "English",
        "网站地图",
        "繁體",
    ]
    .iter()
    .any(|w| a.text.contains(w));
    root || bad_path || bad_text
}

static DETAIL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^t\d{8}_\d+|^art_\d+_\d+|^post_\d+|^mpost_\d+|^content_\d+|^[0-9a-f]{32}|^\d{4,}|^c\d+_\d+)(?:_\d+)?\.(?:s|j)?html?$",
    )
});

/// The URL looks like an article (TRS `t20240125_1.html`, Hanweb `art_1_2.html`, …).
pub(crate) fn is_detail_url(url: &Url) -> bool {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    DETAIL_NAME.is_match(name) || url.path().contains("/art/")
}

/// The URL looks like a folder or list page (`…/`, `index_2.html`, `list.shtml`, no extension).
pub(crate) fn is_folder_url(url: &Url) -> bool {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name.is_empty() || !name.contains('.') {
        return true;
    }
    [
        "index",
        "list",
        "default",
        "common_list",
        "col",
        "more",
        "gknb",
    ]
    .iter()
    .any(|p| name.starts_with(p))
        && !is_detail_url(url)
}

/// Directory part of a path (up to the last `/`).
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("/", |i| &path[..=i])
}

pub(crate) fn same_host(a: &Url, b: &Url) -> bool {
    a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

static PAGER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:下一页|下页|下一頁|尾页|末页|最后一页|上一页|上页|首页|第\d+页|\d{1,4}|>|>>|»|›)$")
});

/// A pager link: "下一页", "尾页", a page number, pointing into the same folder or path.
pub(crate) fn is_pager(a: &Anchor, page: &Url) -> bool {
    let t = title::compact(&a.text);
    if !PAGER_WORD.is_match(&t) || !same_host(&a.url, page) || is_detail_url(&a.url) {
        return false;
    }
    a.url.path() == page.path() || dir_of(a.url.path()) == dir_of(page.path())
}

pub(crate) fn request(url: Url, kind: LinkKind, title: Option<String>) -> Request {
    Request {
        url,
        method: Method::Get,
        body: None,
        referer: None,
        kind,
        title,
    }
}

/// Classify the anchors of a listing into `out`.
pub(crate) fn classify_anchors(anchors: &[Anchor], page: &Url, out: &mut Discovery) {
    let in_column = filter::is_report_column_path(page.path());
    for a in anchors {
        if is_unwanted(a) {
            continue;
        }
        let doc = document_ext(&a.url).is_some();
        let file_kind = if doc {
            LinkKind::Attachment
        } else {
            LinkKind::Detail
        };
        match title::classify(&a.title) {
            // Reports, 政务公开 reports and notices that may carry or correct one (an
            // announcement with the report attached, a 更正说明): the page decides.
            class if class.worth_fetching() => {
                out.requests
                    .push(request(a.url.clone(), file_kind, Some(a.title.clone())));
                continue;
            }
            TitleClass::Notice(kind) => {
                out.rejected.push(Rejected {
                    url: a.url.clone(),
                    title: a.title.clone(),
                    reason: kind.reason().into(),
                });
                continue;
            }
            // A column link ("政府信息公开年报") matches the report phrase but has no year.
            TitleClass::Rejected(_)
                if !doc && filter::is_column_title(&a.title) && !is_detail_url(&a.url) =>
            {
                out.requests.push(request(
                    a.url.clone(),
                    LinkKind::Listing,
                    Some(a.title.clone()),
                ));
                continue;
            }
            // "某局政府信息公开工作年度报告" inside a 年报 column whose folder gives the year:
            // followed (the crawler confirms on the body), not dropped for the missing year.
            TitleClass::Rejected(reason)
                if reason == title::NO_YEAR
                    && (in_column || filter::is_report_column_path(a.url.path())) =>
            {
                out.requests
                    .push(request(a.url.clone(), file_kind, Some(a.title.clone())));
                continue;
            }
            TitleClass::Rejected(reason) => {
                out.rejected.push(Rejected {
                    url: a.url.clone(),
                    title: a.title.clone(),
                    reason: reason.into(),
                });
                continue;
            }
            TitleClass::Report | TitleClass::Candidate | TitleClass::Other => {}
        }
        if title::looks_truncated_report(&a.title) {
            out.requests
                .push(request(a.url.clone(), file_kind, Some(a.title.clone())));
        } else if doc {
            continue;
        } else if is_pager(a, page) {
            out.requests
                .push(request(a.url.clone(), LinkKind::Listing, None));
        } else if filter::is_column_title(&a.title) && !is_detail_url(&a.url) {
            let column_name = a.title.contains("年报") || a.title.contains("年度报告");
            let scoped = in_column
                || filter::is_report_column_path(a.url.path())
                || (same_host(&a.url, page) && a.url.path().starts_with(dir_of(page.path())));
            if column_name || scoped {
                out.requests.push(request(
                    a.url.clone(),
                    LinkKind::Listing,
                    Some(a.title.clone()),
                ));
            }
        } else if in_column
            && same_host(&a.url, page)
            && a.url.path() != page.path()
            && a.url.path().starts_with(dir_of(page.path()))
            && is_folder_url(&a.url)
            && !a.title.is_empty()
        {
            // A sub-folder of the 年报 column (one unit's list: "民政局", "中山镇").
            out.requests.push(request(
                a.url.clone(),
                LinkKind::Listing,
                Some(a.title.clone()),
            ));
        }
    }
}

/// Frames of old listing pages whose list lives in an `<iframe>`/`<frame>`: followed as
/// listings when on the same host and inside a 年报 column.
pub(crate) fn frames(doc: &Html, page: &Url, out: &mut Discovery) {
    let Ok(sel) = Selector::parse("iframe[src], frame[src]") else {
        return;
    };
    let base = base_url(doc, page);
    for f in doc.select(&sel) {
        let Some(url) = f.attr("src").and_then(|s| resolve(&base, s)) else {
            continue;
        };
        let in_column =
            filter::is_report_column_path(page.path()) || filter::is_report_column_path(url.path());
        if same_host(&url, page)
            && in_column
            && document_ext(&url).is_none()
            && !is_detail_url(&url)
        {
            out.requests.push(request(url, LinkKind::Listing, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("http://www.example.gov.cn/zfxxgk/zfxxgknb/index.html").expect("url")
    }

    #[test]
    fn resolves_and_skips() {
        let p = page();
        assert_eq!(
            resolve(&p, "./202401/t1.html")
                .map(|u| u.to_string())
                .as_deref(),
            Some("http://www.example.gov.cn/zfxxgk/zfxxgknb/202401/t1.html")
        );
        assert!(resolve(&p, "javascript:void(0)").is_none());
        assert!(resolve(&p, "mailto:a@b.cn").is_none());
        assert!(resolve(&p, "#top").is_none());
    }

    #[test]
    fn classifies() {
        let html = r#"<ul>
            <li><a href="/">首页</a></li>
            <li><a href="./202401/t20240126_1.html" title="某县民政局2023年政府信息公开工作年度报告">某县民政局2023年政府信息…</a></li>
            <li><a href="./202401/t20240110_2.html">关于做好2023年度政府信息公开工作年度报告编制发布工作的通知</a></li>
            <li><a href="./P020240126.pdf">某县2022年政府信息公开工作年度报告.pdf</a></li>
            <li><a href="./2022n/">2022年</a></li>
            <li><a href="index_1.html">下一页</a></li>
            <li><a href="/xwzx/t20240101_9.html">县长会见客商</a></li>
            <li><a href="/login.html">登录</a></li>
        </ul>"#;
        let doc = Html::parse_document(html);
        let mut out = Discovery::default();
        classify_anchors(&anchors(&doc, &page()), &page(), &mut out);
        let got: Vec<(String, LinkKind)> = out
            .requests
            .iter()
            .map(|r| (r.url.path().to_string(), r.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/zfxxgk/zfxxgknb/202401/t20240126_1.html".to_string(),
                    LinkKind::Detail
                ),
                (
                    "/zfxxgk/zfxxgknb/P020240126.pdf".to_string(),
                    LinkKind::Attachment
                ),
                ("/zfxxgk/zfxxgknb/2022n/".to_string(), LinkKind::Listing),
                (
                    "/zfxxgk/zfxxgknb/index_1.html".to_string(),
                    LinkKind::Listing
                ),
            ]
        );
        assert_eq!(
            out.requests[0].title.as_deref(),
            Some("某县民政局2023年政府信息公开工作年度报告")
        );
        assert_eq!(out.rejected.len(), 1);
        assert!(out.rejected[0].reason.contains("通知"));
    }

    #[test]
    fn column_links_without_year_are_listings() {
        let p = Url::parse("http://a.gov.cn/art/2024/1/1/art_1_2.html").expect("url");
        let doc = Html::parse_document(
            r#"<a href="/col/col12377/index.html">政府信息公开年报</a><a href="/x/gzbg.pdf">政府信息公开年报</a>"#,
        );
        let mut out = Discovery::default();
        classify_anchors(&anchors(&doc, &p), &p, &mut out);
        assert_eq!(out.requests.len(), 1);
        assert_eq!(out.requests[0].kind, LinkKind::Listing);
        assert_eq!(out.requests[0].url.path(), "/col/col12377/index.html");
        assert_eq!(
            out.rejected.len(),
            1,
            "a file without a year is not followed"
        );
    }

    #[test]
    fn yearless_items_in_a_year_folder_are_followed() {
        let p = Url::parse("http://a.gov.cn/zfxxgknb/2023n/xzjd/index.shtml").expect("url");
        let doc = Html::parse_document(
            r#"<a href="./t20240201_1.shtml">永乐店镇政府信息公开工作年度报告</a><a href="/zfxxgknb/">政府信息公开年报</a>"#,
        );
        let mut out = Discovery::default();
        classify_anchors(&anchors(&doc, &p), &p, &mut out);
        let got: Vec<(&str, LinkKind)> = out
            .requests
            .iter()
            .map(|r| (r.url.path(), r.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("/zfxxgknb/2023n/xzjd/t20240201_1.shtml", LinkKind::Detail),
                ("/zfxxgknb/", LinkKind::Listing)
            ]
        );
        let elsewhere = Url::parse("http://a.gov.cn/xwzx/index.html").expect("url");
        let mut out = Discovery::default();
        classify_anchors(&anchors(&doc, &elsewhere), &elsewhere, &mut out);
        assert_eq!(
            out.rejected.len(),
            1,
            "outside a 年报 column a yearless title is only recorded"
        );
    }

    #[test]
    fn listing_frames() {
        let p = Url::parse("http://a.gov.cn/zfxxgknb/index.html").expect("url");
        let doc = Html::parse_document(
            r#"<iframe src="list.jsp?col=12"></iframe><iframe src="http://map.example.com/x"></iframe><iframe src="/a/b.pdf"></iframe>"#,
        );
        let mut out = Discovery::default();
        frames(&doc, &p, &mut out);
        let got: Vec<String> = out.requests.iter().map(|r| r.url.to_string()).collect();
        assert_eq!(got, ["http://a.gov.cn/zfxxgknb/list.jsp?col=12"]);
    }
}
