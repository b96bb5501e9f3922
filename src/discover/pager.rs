//! `?page=N`-style pagers (`page`, `pageIndex`, `cur_page`, `currpage`, `pageNo` …): every
//! page of the listing, generated up to the printed or scripted total ("共5页",
//! `totalPage = 5`) or the highest page linked.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::links::{is_pager, request, same_host, Anchor, MAX_PAGES};
use super::{Discovery, LinkKind};

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// Query parameters that number pages.
const PAGE_PARAMS: &[&str] = &[
    "page",
    "pageIndex",
    "pageindex",
    "cur_page",
    "currpage",
    "curPage",
    "pageNo",
    "pageno",
    "pageNum",
    "pagenum",
    "currentPage",
    "pn",
];

/// The URL carries a numeric page parameter (`?page=7`).
pub(crate) fn has_page_param(url: &Url) -> bool {
    page_param(url).is_some()
}

fn page_param(url: &Url) -> Option<(String, u32)> {
    url.query_pairs().find_map(|(k, v)| {
        PAGE_PARAMS
            .contains(&k.as_ref())
            .then(|| v.parse::<u32>().ok().map(|n| (k.into_owned(), n)))
            .flatten()
    })
}

fn with_param(url: &Url, name: &str, n: u32) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            if k == name {
                (k.into_owned(), n.to_string())
            } else {
                (k.into_owned(), v.into_owned())
            }
        })
        .collect();
    let mut out = url.clone();
    out.query_pairs_mut().clear().extend_pairs(pairs);
    out
}

static TOTAL_PAGES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?:共\s*(\d{1,4})\s*页|(?:totalPage|pageCount|totalpage|pagecount|page_count|pageTotal|totalPages|countPage|logicTotalPage)\s*[=:]\s*["']?(\d{1,4})|\d{1,4}\s*/\s*(\d{1,4})\s*页)"#,
    )
});

/// The total page count printed or scripted on a pager ("共5页", `totalPage = 5`, "1/5页").
pub(crate) fn total_pages(body: &str) -> Option<u32> {
    TOTAL_PAGES.captures_iter(body).find_map(|c| {
        (1..=3)
            .find_map(|i| c.get(i))
            .and_then(|m| m.as_str().parse::<u32>().ok())
            .filter(|n| *n > 0)
    })
}

/// `?page=N` / `pageIndex=N` / `cur_page=N` pagers: every page up to the total (or the highest
/// page linked when no total is printed).
pub(crate) fn query_pager(anchors: &[Anchor], page: &Url, body: &str, out: &mut Discovery) {
    // Candidates: same host and path, a numeric page parameter. The template is the page
    // itself when it carries the parameter, else a link whose other parameters are the
    // page's (not a sidebar link to another column on the same script), else a pager link.
    let candidates: Vec<(&Url, String, u32, bool)> = anchors
        .iter()
        .map(|a| (&a.url, is_pager(a, page)))
        .chain(std::iter::once((page, false)))
        .filter(|(u, _)| same_host(u, page) && u.path() == page.path())
        .filter_map(|(u, pager)| page_param(u).map(|(name, n)| (u, name, n, pager)))
        .collect();
    let page_rest = other_params(page, None);
    let template = candidates
        .iter()
        .find(|(u, ..)| *u == page)
        .or_else(|| {
            candidates
                .iter()
                .find(|(u, name, ..)| other_params(u, Some(name)) == page_rest)
        })
        .or_else(|| candidates.iter().find(|(.., pager)| *pager));
    let Some((template, name, ..)) = template else {
        return;
    };
    let rest = other_params(template, Some(name));
    let highest = candidates
        .iter()
        .filter(|(u, n, ..)| n == name && other_params(u, Some(name)) == rest)
        .map(|(_, _, n, _)| *n)
        .max()
        .unwrap_or(0);
    let total = total_pages(body).unwrap_or(highest).min(MAX_PAGES);
    for n in 1..=total {
        let url = with_param(template, name, n);
        if url != *page {
            out.requests.push(request(url, LinkKind::Listing, None));
        }
    }
}

/// The query pairs of `url` other than the page parameter `skip` (any page parameter when
/// `None`), sorted.
fn other_params(url: &Url, skip: Option<&str>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| match skip {
            Some(s) => k != s,
            None => !PAGE_PARAMS.contains(&k.as_ref()),
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::links::anchors;
    use scraper::Html;

    #[test]
    fn query_pages_from_total() {
        let p = Url::parse("http://a.gov.cn/InfoPublic.aspx?cid=1019&page=1").expect("url");
        let doc = Html::parse_document(r#"<a href="InfoPublic.aspx?cid=1019&page=2">2</a> 共4页"#);
        let mut out = Discovery::default();
        query_pager(&anchors(&doc, &p), &p, "共4页", &mut out);
        let got: Vec<String> = out
            .requests
            .iter()
            .map(|r| r.url.query().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            got,
            ["cid=1019&page=2", "cid=1019&page=3", "cid=1019&page=4"]
        );
        assert_eq!(total_pages("var totalPage = 12;"), Some(12));
        // A sidebar link to another column on the same script is not the template.
        let p = Url::parse("http://a.gov.cn/InfoPublic.aspx?cid=1019").expect("url");
        let doc = Html::parse_document(
            r#"<a href="InfoPublic.aspx?cid=2000&page=1">其他栏目</a><a href="InfoPublic.aspx?cid=1019&page=2">下一页</a> 共3页"#,
        );
        let mut out = Discovery::default();
        query_pager(&anchors(&doc, &p), &p, "共3页", &mut out);
        let got: Vec<String> = out
            .requests
            .iter()
            .map(|r| r.url.query().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            got,
            ["cid=1019&page=1", "cid=1019&page=2", "cid=1019&page=3"]
        );
        assert_eq!(total_pages("1/7页"), Some(7));
    }
}
