//! Fuzz target: link discovery on listing responses (`discover::discover`: generic links and
//! frames, TRS `createPageHTML`/`countPage` pagers, `?page=N` pagers, Hanweb column pages and
//! `dataproxy.jsp` XML, gkmlpt `_CONFIG` and JSON pages, jpaas `queryData`, refreshes and soft
//! 404s) and the title filter it applies.
//!
//! Input: the first byte picks the page URL and the kind of response (a TRS column, a numbered
//! page, a Hanweb column, a Hanweb proxy, a gkmlpt JSON page, a `?page=` list, a gkmlpt index,
//! a detail page); the rest is the body, lossily decoded as UTF-8. Nothing may panic, and the
//! result keeps the promises of `Discovery`:
//! - every URL (requests, referers, rejected links) is absolute http(s) with a host, and reads
//!   back to itself;
//! - POST requests, and only they, carry a form body;
//! - no GET back to the page itself, no request twice, at most 5000 requests;
//! - rejected links are listed once and never also requested;
//! - detail pages discover nothing.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use nianbao::discover::{discover, filter, LinkKind, Method};
use url::Url;

const PAGES: [(&str, LinkKind); 8] = [
    (
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/index.html",
        LinkKind::Listing,
    ),
    (
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/index_2.html",
        LinkKind::Listing,
    ),
    (
        "https://www.example.gov.cn/col/col12377/index.html",
        LinkKind::Listing,
    ),
    (
        "https://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15",
        LinkKind::HanwebProxy,
    ),
    (
        "http://www.example.gov.cn/gkmlpt/api/all/368?page=1&sid=752001",
        LinkKind::JsonApi,
    ),
    (
        "http://www.example.gov.cn/InfoPublic.aspx?cid=1019&page=2",
        LinkKind::Listing,
    ),
    ("http://www.example.gov.cn/gkmlpt/index", LinkKind::Listing),
    (
        "http://www.example.gov.cn/art/2024/1/26/art_1229_456.html",
        LinkKind::Detail,
    ),
];

/// Most requests one response may yield (`discover::MAX_REQUESTS`).
const MAX_REQUESTS: usize = 5000;

fn check_url(u: &Url, what: &str) {
    assert!(
        matches!(u.scheme(), "http" | "https"),
        "{what} with scheme {}: {u}",
        u.scheme()
    );
    assert!(
        u.host_str().is_some_and(|h| !h.is_empty()),
        "{what} without host: {u}"
    );
    assert_eq!(
        Url::parse(u.as_str()).as_ref(),
        Ok(u),
        "{what} does not read back"
    );
}

fn check_title(title: &str) {
    let c = filter::compact(title);
    assert!(!c.chars().any(char::is_whitespace));
    if let Some(y) = filter::title_year(title) {
        assert!((1900..=2099).contains(&y), "year {y}");
    }
    let _ = filter::is_column_title(title);
    let _ = filter::looks_truncated_report(title);
    if filter::is_report_title(title) {
        assert_eq!(filter::classify_title(title), filter::TitleClass::Report);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (page, kind) = PAGES[usize::from(mode & 7)];
    let page = Url::parse(page).expect("constant URL");
    let body = String::from_utf8_lossy(rest);
    let found = discover(kind, &page, &body);

    if kind == LinkKind::Detail {
        assert!(found.requests.is_empty() && found.rejected.is_empty());
    }
    assert!(found.requests.len() <= MAX_REQUESTS);
    let mut seen = HashSet::new();
    for r in &found.requests {
        check_url(&r.url, "request");
        if let Some(referer) = &r.referer {
            check_url(referer, "referer");
        }
        assert_eq!(
            r.method == Method::Post,
            r.body.is_some(),
            "a form body goes with POST: {r:?}"
        );
        assert!(
            r.method == Method::Post || r.url != page,
            "GET back to the page itself"
        );
        assert!(
            seen.insert((r.url.as_str(), r.method, r.body.as_deref())),
            "requested twice: {r:?}"
        );
        if let Some(t) = &r.title {
            check_title(t);
        }
        assert_eq!(LinkKind::parse(r.kind.as_str()), Some(r.kind));
    }
    let requested: HashSet<&str> = found.requests.iter().map(|r| r.url.as_str()).collect();
    let mut rejected = HashSet::new();
    for r in &found.rejected {
        check_url(&r.url, "rejected link");
        assert!(rejected.insert(r.url.as_str()), "rejected twice: {}", r.url);
        assert!(
            !requested.contains(r.url.as_str()),
            "both rejected and requested: {}",
            r.url
        );
        assert!(!r.reason.is_empty());
        check_title(&r.title);
    }
    if body.len() <= 256 {
        check_title(&body);
    }
});
