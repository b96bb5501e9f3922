//! TRS WCM listings: page links are written by JavaScript (`createPageHTML(n, cur, "index",
//! "html")`, `var countPage = n`), so the pages `index_1.html … index_{n-1}.html` (also
//! `.shtml`, `list_N`, `common_list_N`) are generated from the page count.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::links::MAX_PAGES;
use super::{Discovery, LinkKind, Method, Request};

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// `createPageHTML(3, 0, "index", "html")`, or with variables for the numbers.
static CREATE: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([\w.-]+)["']\s*,\s*["'](\w+)["']"#)
});
/// `createPageHTML('page_div', 5, 0, 'common_list', 'shtml')`.
static CREATE_DIV: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"createPageHTML\(\s*["'][\w-]+["']\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*["']([\w.-]+)["']\s*,\s*["'](\w+)["']"#,
    )
});
/// TRS-specific page-count variables.
static COUNT_VAR: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\b(?:countPage|contenpage|logicTotalPage)\s*=\s*["']?(\d{1,5})"#));
/// Generic page-count variables, used only with TRS-style link building in the script.
static GENERIC_COUNT: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\b(?:totalPage|pageCount|totalpage|pagecount)\s*=\s*["']?(\d{1,5})"#));
/// Shandong: `totalCount = 86; perSize = 15;`.
static TOTAL_COUNT: LazyLock<Regex> = LazyLock::new(|| re(r#"\btotalCount\s*=\s*["']?(\d{1,7})"#));
static PER_SIZE: LazyLock<Regex> = LazyLock::new(|| re(r#"\bperSize\s*=\s*["']?(\d{1,4})"#));
/// `"index_"+nextPage+".html"` in the pager script.
static CONCAT: LazyLock<Regex> =
    LazyLock::new(|| re(r#"["']([\w.-]+)_\\?["']\s*\+\s*[\w()+\- ]+\+\s*["']\.(s?html?)\b"#));

/// A number literal or the value of `var name = N` in the script.
fn number(body: &str, token: &str) -> Option<u32> {
    if let Ok(n) = token.parse() {
        return Some(n);
    }
    let pattern = format!(r#"\b{}\s*=\s*["']?(\d{{1,5}})"#, regex::escape(token));
    Regex::new(&pattern)
        .ok()?
        .captures(body)?
        .get(1)?
        .as_str()
        .parse()
        .ok()
}

/// A numbered list page: `index_7.html`, `list_3.shtml`, `common_list_2.shtml`.
pub(super) fn is_numbered_page(url: &Url) -> bool {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.rsplit_once('_').is_some_and(|(s, n)| {
        !s.is_empty() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
    })
}

/// Stem and extension of the current file (`index_3.html` → `index`, `html`).
fn stem_of(url: &Url) -> (String, String) {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return ("index".into(), "html".into());
    };
    let stem = match stem.rsplit_once('_') {
        Some((s, n)) if !s.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => s,
        _ => stem,
    };
    (stem.to_string(), ext.to_string())
}

/// Page count, file stem and extension of a TRS pager, if the page has one.
fn pager_shape(url: &Url, body: &str) -> Option<(u32, String, String)> {
    for re in [&*CREATE_DIV, &*CREATE] {
        if let Some(c) = re.captures(body) {
            let count = c.get(1).and_then(|m| number(body, m.as_str()));
            if let (Some(count), Some(stem), Some(ext)) = (count, c.get(3), c.get(4)) {
                return Some((count, stem.as_str().to_string(), ext.as_str().to_string()));
            }
        }
    }
    let concat = CONCAT.captures(body).and_then(|c| {
        Some((
            c.get(1)?.as_str().to_string(),
            c.get(2)?.as_str().to_string(),
        ))
    });
    let trs_count = COUNT_VAR
        .captures(body)
        .and_then(|c| c.get(1)?.as_str().parse::<u32>().ok());
    let count = trs_count
        .or_else(|| {
            concat.as_ref()?;
            GENERIC_COUNT
                .captures(body)
                .and_then(|c| c.get(1)?.as_str().parse::<u32>().ok())
        })
        .or_else(|| {
            concat.as_ref()?;
            let total: u32 = TOTAL_COUNT.captures(body)?.get(1)?.as_str().parse().ok()?;
            let per: u32 = PER_SIZE.captures(body)?.get(1)?.as_str().parse().ok()?;
            (per > 0).then(|| total.div_ceil(per))
        })?;
    let (stem, ext) = concat.unwrap_or_else(|| stem_of(url));
    Some((count, stem, ext))
}

/// Generate the other pages of a TRS listing.
pub(super) fn pager(url: &Url, body: &str, out: &mut Discovery) {
    let Some((count, stem, ext)) = pager_shape(url, body) else {
        return;
    };
    for k in 1..count.min(MAX_PAGES) {
        let Ok(page) = url.join(&format!("{stem}_{k}.{ext}")) else {
            continue;
        };
        if page != *url {
            out.requests.push(Request {
                url: page,
                method: Method::Get,
                body: None,
                referer: None,
                kind: LinkKind::Listing,
                title: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(url: &str, body: &str) -> Vec<String> {
        let mut out = Discovery::default();
        pager(&Url::parse(url).expect("url"), body, &mut out);
        out.requests
            .iter()
            .map(|r| r.url.path().to_string())
            .collect()
    }

    #[test]
    fn create_page_html() {
        let got = pages(
            "http://a.cn/col/index.html",
            r#"createPageHTML(3, 0, "index", "html");"#,
        );
        assert_eq!(got, ["/col/index_1.html", "/col/index_2.html"]);
        let got = pages(
            "http://a.cn/c1/common_list.shtml",
            "createPageHTML('page_div', 3, 1, 'common_list', 'shtml');",
        );
        assert_eq!(got, ["/c1/common_list_1.shtml", "/c1/common_list_2.shtml"]);
        let got = pages(
            "http://a.cn/col/",
            "var countPage = 2; createPageHTML(countPage, currentPage, \"index\", \"shtml\");",
        );
        assert_eq!(got, ["/col/index_1.shtml"]);
    }

    #[test]
    fn count_variables() {
        let body = r#"var currentPage = 0; var countPage = 3;
            document.write("<a href=\"index_"+nextPage+".html\">下一页</a>");"#;
        assert_eq!(
            pages("http://a.cn/col/index_2.html", body),
            ["/col/index_1.html"]
        );
        let body = r#"var totalPage = 3; document.write("<a href='list_"+(i)+".html'>");"#;
        assert_eq!(
            pages("http://a.cn/x/list.html", body),
            ["/x/list_1.html", "/x/list_2.html"]
        );
        // A bare `pageCount` without TRS link building is not enough.
        assert!(pages("http://a.cn/x/", "var pageCount = 4;").is_empty());
        assert!(pages("http://a.cn/x/", "var countPage = 1;").is_empty());
    }
}
