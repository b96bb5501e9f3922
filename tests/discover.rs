//! Integration tests: discover — listing pages of each CMS family (TRS `createPageHTML`,
//! Hanweb `<datastore>` + `jpage` + the POST proxy with its +1 overlap record, gkmlpt
//! `_CONFIG` + JSON pages, `?page=N` pagers, year and unit-type folders, mixed columns) and the
//! pages past the last one, on the fixtures in `tests/fixtures/pages/`.

use nianbao::discover::{discover, Discovery, LinkKind, Method};
use nianbao::title::is_report_title;

use crate::util::url;

/// Page `name` of `tests/fixtures/pages/`.
fn fixture(name: &str) -> String {
    let path = crate::util::fixture("pages").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn of_kind(d: &Discovery, kind: LinkKind) -> Vec<String> {
    d.requests
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.url.to_string())
        .collect()
}

#[test]
fn trs_listing_generates_pages_and_filters_items() {
    let page = url("http://www.example.gov.cn/zfxxgk/zfxxgknb/index.html");
    let d = discover(LinkKind::Listing, &page, &fixture("trs_listing.html"));
    assert_eq!(
        of_kind(&d, LinkKind::Detail),
        [
            "http://www.example.gov.cn/zfxxgk/zfxxgknb/202401/t20240126_3456789.html",
            "http://www.example.gov.cn/zfxxgk/zfxxgknb/202401/t20240125_3456700.html",
        ]
    );
    let first = d
        .requests
        .iter()
        .find(|r| r.kind == LinkKind::Detail)
        .expect("detail");
    assert_eq!(
        first.title.as_deref(),
        Some("某县民政局2023年政府信息公开工作年度报告"),
        "title attribute over truncated text"
    );
    assert_eq!(
        of_kind(&d, LinkKind::Attachment),
        ["http://www.example.gov.cn/zfxxgk/zfxxgknb/202401/P020240124512345678901.pdf"]
    );
    assert_eq!(
        of_kind(&d, LinkKind::Listing),
        [
            "http://www.example.gov.cn/zfxxgk/zfxxgknb/index_1.html",
            "http://www.example.gov.cn/zfxxgk/zfxxgknb/index_2.html",
        ]
    );
    let reasons: Vec<&str> = d.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("通知")) && reasons.iter().any(|r| r.contains("半年"))
    );
    // Home, login, search, nav and footer links are not followed.
    assert!(d.requests.iter().all(|r| !r.url.path().contains("login")
        && r.url.path() != "/"
        && !r.url.path().starts_with("/xwzx")
        && !r.url.path().starts_with("/guide")));
}

#[test]
fn trs_past_the_last_page_discovers_nothing() {
    let page = url("http://www.example.gov.cn/zfxxgk/zfxxgknb/index_3.html");
    assert!(
        discover(LinkKind::Listing, &page, &fixture("trs_past_last.html"))
            .requests
            .is_empty()
    );
    assert!(discover(LinkKind::Listing, &page, &fixture("soft404.html"))
        .requests
        .is_empty());
}

#[test]
fn hanweb_column_inline_records_and_proxy_groups() {
    let page = url("https://www.example.gov.cn/col/col12377/index.html");
    let d = discover(LinkKind::Listing, &page, &fixture("hanweb_column.html"));
    let details = of_kind(&d, LinkKind::Detail);
    assert_eq!(
        details.len(),
        43,
        "45 inline records minus a 通知 and a 图解"
    );
    assert_eq!(d.rejected.len(), 2);
    let proxies: Vec<_> = d
        .requests
        .iter()
        .filter(|r| r.kind == LinkKind::HanwebProxy)
        .collect();
    let ranges: Vec<&str> = proxies
        .iter()
        .map(|r| r.url.query().unwrap_or(""))
        .collect();
    // 128 records, 15 per page, 3 pages per group; group 0 (1–45) is inline.
    assert_eq!(
        ranges,
        [
            "startrecord=46&endrecord=90&perpage=15",
            "startrecord=91&endrecord=135&perpage=15",
        ]
    );
    for p in &proxies {
        assert_eq!(p.method, Method::Post);
        assert_eq!(p.url.path(), "/module/web/jpage/dataproxy.jsp");
        assert_eq!(p.referer.as_ref(), Some(&page));
        let body = p.body.as_deref().unwrap_or("");
        assert!(
            body.starts_with("col=1&appid=1&webid=27&path=%2F&columnid=12377"),
            "{body}"
        );
        assert!(
            body.contains("unitid=4021671") && body.contains("webname=%E6%9F%90%E5%8E%BF"),
            "{body}"
        );
    }
}

#[test]
fn hanweb_proxy_response_with_overlap_record() {
    let page = url("https://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15");
    let d = discover(LinkKind::HanwebProxy, &page, &fixture("hanweb_proxy.xml"));
    // 46 records (45 + the look-ahead one), one of them a 解读.
    assert_eq!(of_kind(&d, LinkKind::Detail).len(), 45);
    assert_eq!(d.rejected.len(), 1);
    assert!(d
        .requests
        .iter()
        .all(|r| r.kind == LinkKind::Detail && r.url.path().starts_with("/art/2023/3/1/")));
}

#[test]
fn gkmlpt_index_and_json_pages() {
    let index = url("http://www.example.gov.cn/gkmlpt/index");
    let d = discover(LinkKind::Listing, &index, &fixture("gkmlpt_index.html"));
    assert_eq!(
        of_kind(&d, LinkKind::JsonApi),
        ["http://www.example.gov.cn/gkmlpt/api/all/368?page=1&sid=752001"]
    );

    let p1 = url("http://www.example.gov.cn/gkmlpt/api/all/368?page=1&sid=752001");
    let d = discover(LinkKind::JsonApi, &p1, &fixture("gkmlpt_page1.json"));
    assert_eq!(of_kind(&d, LinkKind::Detail).len(), 98);
    assert_eq!(d.rejected.len(), 2);
    assert_eq!(
        of_kind(&d, LinkKind::JsonApi),
        ["http://www.example.gov.cn/gkmlpt/api/all/368?page=2&sid=752001"]
    );
    assert_eq!(
        of_kind(&d, LinkKind::Detail)[0],
        "http://www.example.gov.cn/gkmlpt/content/4/4942/post_4942475.html"
    );

    // Page 3 holds the last 14 of 214: no page 4.
    let p3 = url("http://www.example.gov.cn/gkmlpt/api/all/368?page=3&sid=752001");
    let d = discover(LinkKind::JsonApi, &p3, &fixture("gkmlpt_page3.json"));
    assert!(
        of_kind(&d, LinkKind::JsonApi).len() <= 1,
        "at most one probe past the end"
    );
    let empty = discover(
        LinkKind::JsonApi,
        &url("http://www.example.gov.cn/gkmlpt/api/all/368?page=4&sid=752001"),
        r#"{"total":214,"articles":[]}"#,
    );
    assert!(empty.requests.is_empty());
}

#[test]
fn query_pager_generates_every_page() {
    let page = url("http://www.example.gov.cn/InfoPublic.aspx?cid=1019&pid=971&page=1");
    let d = discover(LinkKind::Listing, &page, &fixture("query_listing.html"));
    assert_eq!(of_kind(&d, LinkKind::Detail).len(), 5);
    let pages: Vec<String> = of_kind(&d, LinkKind::Listing);
    for n in 2..=5 {
        let want = format!("http://www.example.gov.cn/InfoPublic.aspx?cid=1019&pid=971&page={n}");
        assert!(pages.contains(&want), "missing {want} in {pages:?}");
    }
    assert!(!pages.contains(&page.to_string()));
}

#[test]
fn year_and_unit_folders_are_listings() {
    let page = url("http://www.example.gov.cn/zfxxgk/zfxxgknb/index.shtml");
    let d = discover(LinkKind::Listing, &page, &fixture("year_folders.html"));
    let listings = of_kind(&d, LinkKind::Listing);
    for want in [
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/2023n/",
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/2022nd/index.shtml",
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/2021n/",
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/bm/index.shtml",
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/xzjd/index.shtml",
        "http://www.example.gov.cn/zfxxgk/zfxxgknb/qzf/index.shtml",
        "http://www.example.gov.cn/zwgk/ndbg/hz.html",
    ] {
        assert!(
            listings.iter().any(|l| l == want),
            "missing {want} in {listings:?}"
        );
    }
    assert!(
        !listings
            .iter()
            .any(|l| l.contains("zcjd") || l.contains("xwzx") || l.ends_with(".gov.cn/")),
        "{listings:?}"
    );
}

#[test]
fn mixed_column_keeps_reports_only() {
    let page = url("http://www.example.gov.cn/zfxxgk/zfxxgknb/index.html");
    let d = discover(LinkKind::Listing, &page, &fixture("mixed_column.html"));
    let titles: Vec<&str> = d
        .requests
        .iter()
        .filter_map(|r| r.title.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "某县民政局2023年政府信息公开工作年度报告",
            "吴忠市红寺堡区人民政府2014年政府信息公开工作年度报告",
            "湟中区 2023 年度政府信息公开 工作年度报告",
        ]
    );
    let mut reasons: Vec<&str> = d.rejected.iter().map(|r| r.reason.as_str()).collect();
    reasons.sort_unstable();
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    for word in ["通知", "解读", "图解", "半年", "季度", "格式"] {
        assert!(
            reasons.iter().any(|r| r.contains(word)),
            "no rejection for {word}: {reasons:?}"
        );
    }
    assert!(is_report_title("湟中区 2023 年度政府信息公开 工作年度报告"));
    assert!(!is_report_title("2024年政务公开工作要点"));
}

mod no_panics {
    //! Arbitrary listing bodies never panic discovery, whatever kind they are read as.
    use super::*;
    use proptest::prelude::*;

    fn body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<a href=\"index_9.html\">下一页</a>".to_string()),
            Just("createPageHTML(".to_string()),
            Just("99999999999".to_string()),
            Just(", 0, \"index\", \"html\")".to_string()),
            Just("var countPage = ".to_string()),
            Just("<record><![CDATA[<a href='/art/1.html' title='2023年政府信息公开工作年度报告'>x</a>]]></record>".to_string()),
            Just("$('#1').jpage({totalRecord:".to_string()),
            Just(", perPage:0});".to_string()),
            Just("var param_1 = {a:'".to_string()),
            Just("window._CONFIG = { SID: '1', TREE: [{id: 3, name: '年报'".to_string()),
            Just("{\"total\": 18446744073709551615, \"articles\": [{\"title\": \"2023年政府信息公开工作年度报告\", \"url\": \"//x\"}]}".to_string()),
            Just("<meta http-equiv=refresh content='0;url=".to_string()),
            Just("共99999页".to_string()),
            Just("<a href=\"?page=7\">7</a>".to_string()),
            "\\PC{0,12}",
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn discover_any_body(b in body()) {
            let page = url("http://a.gov.cn/gknb/index.html?page=1");
            for kind in [LinkKind::Listing, LinkKind::HanwebProxy, LinkKind::JsonApi, LinkKind::Detail] {
                let d = discover(kind, &page, &b);
                prop_assert!(d.requests.len() <= 5000);
            }
        }
    }
}
