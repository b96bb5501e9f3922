//! Integration tests: extract — charset decoding, detail-page bodies and metadata, the content
//! id across hosts, file sniffing, and anti-bot detection, on the pages in
//! `tests/fixtures/pages/` (hand-written in the shapes of real portals) and on the real
//! Shanghai 2019 report and the five seed texts, shared with the parser tests in
//! `tests/fixtures/parse/`.

use std::path::PathBuf;

use nianbao::extract::charset::{self, CharsetSource};
use nianbao::extract::normalize::{content_id, normalize};
use nianbao::extract::page::{extract_detail, DetailPage};
use nianbao::extract::sniff::{sniff, DocKind};
use nianbao::fetch::antibot;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::util::url;

/// Page `name` of `tests/fixtures/pages/`.
fn path(name: &str) -> PathBuf {
    crate::util::fixture("pages").join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(name: &str) -> String {
    String::from_utf8(bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn detail(name: &str, at: &str) -> DetailPage {
    extract_detail(&text(name), &url(at))
}

/// The real report `name` of `tests/fixtures/parse/`.
fn report(name: &str) -> String {
    let p = crate::util::fixture("parse").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Seed `prefix` (`tests/fixtures/parse/seed{prefix}-….txt`), and the same without the
/// furniture lines listed for it in `seed_furniture.txt`.
fn seed_core(prefix: &str) -> (String, String) {
    let dir = crate::util::fixture("parse");
    let file = std::fs::read_dir(&dir)
        .expect("parse fixtures dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("seed{prefix}-")) && n.ends_with(".txt"))
        })
        .expect("seed file");
    let raw = std::fs::read_to_string(file).expect("seed");
    let furniture: Vec<String> = text("seed_furniture.txt")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(k, _)| *k == prefix)
        .map(|(_, v)| v.to_string())
        .collect();
    let core = raw
        .split('\n')
        .filter(|l| !furniture.iter().any(|f| f == l.trim()))
        .collect::<Vec<_>>()
        .join("\n");
    (raw, core)
}

/// Phrases of page furniture none of the extracted bodies may keep.
const FURNITURE: &[&str] = &[
    "扫一扫",
    "字号",
    "打印本页",
    "关闭窗口",
    "当前位置",
    "您当前的位置",
    "分享到",
    "账号+密码登录",
    "立即注册",
    "文件下载",
    "关联文件",
    "主办单位",
    "ICP备",
    "- 1 -",
    "新闻中心",
    "浏览次数",
];

fn assert_clean(d: &DetailPage, name: &str) {
    for f in FURNITURE {
        assert!(
            !d.body_text.contains(f),
            "{name}: body keeps {f:?}:\n{}",
            d.body_text
        );
    }
    assert!(
        !d.body_html.contains("<script"),
        "{name}: script in body_html"
    );
}

#[test]
fn seeds_lose_only_their_furniture() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let (raw, core) = seed_core(prefix);
        assert_ne!(raw.len(), 0);
        assert_eq!(
            normalize(&raw),
            normalize(&core),
            "seed {prefix}: furniture left in the normalised text"
        );
        // Everything else survives: every digit of the core is still there.
        let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit()).count();
        assert_eq!(
            digits(&normalize(&core)),
            digits(&core),
            "seed {prefix}: digits lost"
        );
    }
    let ids: std::collections::HashSet<String> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| content_id(&seed_core(p).1))
        .collect();
    assert_eq!(ids.len(), 5, "different reports, different ids");
}

#[test]
fn one_report_on_two_hosts_has_one_id() {
    let a = detail(
        "hanweb_detail.html",
        "https://www.xixia.gov.cn/art/2025/1/20/art_123_456.html",
    );
    let b = detail(
        "mirror_detail.html",
        "http://xxq.yinchuan.gov.cn/xxgk/zfxxgknb/202501/t20250121_1.html",
    );
    assert_clean(&a, "hanweb");
    assert_clean(&b, "mirror");
    assert_eq!(b.title, a.title);
    assert_eq!(b.year, Some(2024));
    assert_eq!(b.published.as_deref(), Some("2025-01-21"));
    let (_, core) = seed_core("000");
    assert_eq!(
        content_id(&a.body_text),
        content_id(&core),
        "hanweb body != seed:\n{}",
        a.body_text
    );
    assert_eq!(
        content_id(&b.body_text),
        content_id(&core),
        "mirror body != seed:\n{}",
        b.body_text
    );
    let other = detail(
        "trs_detail.html",
        "http://www.jiangyang.gov.cn/zwgk/zfxxgknb/202401/t20240129_1.html",
    );
    assert_ne!(content_id(&other.body_text), content_id(&a.body_text));
}

#[test]
fn hanweb_detail_metadata_and_attachment() {
    let d = detail(
        "hanweb_detail.html",
        "https://www.xixia.gov.cn/art/2025/1/20/art_123_456.html",
    );
    assert_eq!(
        d.title.as_deref(),
        Some("西夏区人民政府办公室2024年政府信息公开工作年度报告")
    );
    assert_eq!(d.year, Some(2024));
    assert_eq!(d.published.as_deref(), Some("2025-01-20"));
    assert_eq!(d.agency.as_deref(), Some("西夏区人民政府办公室"));
    assert!(
        d.body_text
            .contains("一、本年新收政府信息公开申请数量 | 9 | 0 | 0 | 0 | 0 | 0 | 9"),
        "{}",
        d.body_text
    );
    assert_eq!(d.body_html.matches("<table").count(), 3, "tables kept");
    assert_eq!(d.attachments.len(), 1, "{:?}", d.attachments);
    assert_eq!(
        d.attachments[0].text,
        "西夏区人民政府办公室2024年政府信息公开工作年度报告.pdf"
    );
    assert_eq!(d.attachments[0].url.path(), "/module/download/downfile.jsp");
}

#[test]
fn trs_detail_with_style_block_and_list_fj() {
    let d = detail(
        "trs_detail.html",
        "http://www.jiangyang.gov.cn/zwgk/zfxxgknb/202401/t20240129_1.html",
    );
    assert_clean(&d, "trs");
    assert_eq!(
        d.title.as_deref(),
        Some("泸州市江阳区人民政府办公室2023年政府信息公开工作年度报告")
    );
    assert_eq!(d.year, Some(2023));
    assert_eq!(d.agency.as_deref(), Some("江阳区人民政府办公室"));
    assert_eq!(d.published.as_deref(), Some("2024-01-29"));
    assert!(!d.body_text.contains("line-height") && !d.body_text.contains("索引号"));
    assert!(
        d.body_text.starts_with("泸州市江阳区人民政府办公室2023年"),
        "{}",
        &d.body_text[..200.min(d.body_text.len())]
    );
    let (_, core) = seed_core("001");
    assert_eq!(content_id(&d.body_text), content_id(&core));
    let urls: Vec<&str> = d.attachments.iter().map(|a| a.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://www.jiangyang.gov.cn/zwgk/zfxxgknb/202401/P020240129512345678901.pdf",
            "http://www.jiangyang.gov.cn/zwgk/zfxxgknb/202401/P020240129512345678902.docx",
        ]
    );
}

#[test]
fn govcn_detail_metadata_table() {
    let d = detail(
        "govcn_detail.html",
        "https://www.beihai.gov.cn/zhengce/content/202501/content_123.htm",
    );
    assert_clean(&d, "govcn");
    assert_eq!(
        d.title.as_deref(),
        Some("北海高新区管委会2024年度政府信息公开工作年度报告")
    );
    assert_eq!(d.agency.as_deref(), Some("北海高新区管委会"));
    assert_eq!(d.published.as_deref(), Some("2025-01-15"));
    assert_eq!(d.year, Some(2024));
    assert!(
        !d.body_text.contains("000014349"),
        "metadata table stays out of the body"
    );
    let (_, core) = seed_core("003");
    assert_eq!(content_id(&d.body_text), content_id(&core));
}

#[test]
fn gkmlpt_detail_spaced_title_and_attachment() {
    let d = detail(
        "gkmlpt_detail.html",
        "http://www.huangzhong.gov.cn/gkmlpt/content/4/4942/post_4942475.html",
    );
    assert_eq!(
        d.title.as_deref(),
        Some("湟中区 2023 年度政府信息公开 工作年度报告")
    );
    assert_eq!(d.year, Some(2023));
    assert_eq!(d.agency.as_deref(), Some("西宁市湟中区人民政府办公室"));
    assert_eq!(d.published.as_deref(), Some("2024-01-26"));
    let (_, core) = seed_core("004");
    assert_eq!(content_id(&d.body_text), content_id(&core));
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(
        d.attachments[0].url.as_str(),
        "http://www.huangzhong.gov.cn/attachment/7/7387/7387273/7756059.pdf"
    );
}

#[test]
fn vsb_legacy_report_year_is_the_title_year() {
    let d = detail(
        "vsb_detail.html",
        "http://www.hsb.gov.cn/info/1025/61695.htm",
    );
    assert_clean(&d, "vsb");
    assert_eq!(
        d.title.as_deref(),
        Some("吴忠市红寺堡区人民政府2014年政府信息公开工作年度报告")
    );
    assert_eq!(d.year, Some(2014), "never the 2017 publication date");
    assert_eq!(d.published.as_deref(), Some("2017-10-23"));
    assert_eq!(d.agency.as_deref(), Some("红寺堡区人民政府办公室"));
    assert!(d.body_text.contains("一、概述"));
}

#[test]
fn shanghai_2019_body_by_density() {
    let d = extract_detail(
        &report("shanghai-2019-office.html"),
        &url("https://www.shanghai.gov.cn/nw12344/20200131/abc.html"),
    );
    assert_eq!(
        d.title.as_deref(),
        Some("2019年上海市人民政府办公厅政府信息公开工作年度报告")
    );
    assert_eq!(d.year, Some(2019));
    assert_eq!(d.published.as_deref(), Some("2020-01-31"));
    assert_eq!(d.body_html.matches("<table").count(), 3);
    assert!(d.body_text.contains("一、总体情况"));
    assert!(d.body_text.contains("251000元"), "procurement cell kept");
    assert!(d.body_text.contains("第二十条第（九）项"));
    // The 2019 header cell with <br /> stays one cell.
    assert!(d
        .body_text
        .lines()
        .any(|l| l.contains("本年新 制作数量") || l.contains("本年新制作数量")));
    let rows = d.body_text.lines().filter(|l| l.contains(" | ")).count();
    assert!(rows >= 18 + 26 + 4 - 2, "pipe rows: {rows}");
}

#[test]
fn gbk_pages_decode() {
    const NAMES: &str = "朱镕基、王堃、张喆、李昇";
    let d = charset::decode(&bytes("gbk_gb2312_detail.html"), Some("text/html"));
    assert!(d.text.contains(NAMES), "{}", d.text);
    assert_eq!(d.source, CharsetSource::Meta);
    assert!(!d.had_errors);
    let page = extract_detail(&d.text, &url("http://www.a.gov.cn/col/t20240101_1.html"));
    assert!(page.body_text.contains(NAMES));
    assert_eq!(
        page.title.as_deref(),
        Some("某县档案局2023年政府信息公开工作年度报告")
    );

    let d = charset::decode(
        &bytes("gbk_labelled_utf8.html"),
        Some("text/html; charset=UTF-8"),
    );
    assert!(d.text.contains(NAMES), "{}", d.text);
    assert!(!d.had_errors);
    assert_ne!(d.source, CharsetSource::Header);
}

#[test]
fn sniffing_attachments() {
    assert_eq!(
        sniff(
            &bytes("short_real_page.html"),
            "/P020240126.pdf",
            Some("application/pdf")
        ),
        DocKind::Html
    );
    assert_eq!(
        sniff(
            b"%PDF-1.5\n%\xe2\xe3\xcf\xd3",
            "/module/download/downfile.jsp",
            Some("application/octet-stream")
        ),
        DocKind::Pdf
    );
    assert_eq!(
        sniff(&bytes("robots.txt"), "/robots.txt", Some("text/plain")),
        DocKind::Text
    );
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        let name: reqwest::header::HeaderName = k.parse().expect("header name");
        h.append(name, HeaderValue::from_str(v).expect("header value"));
    }
    h
}

#[test]
fn antibot_pages_are_blocks() {
    let none = HeaderMap::new();
    let html = headers(&[("content-type", "text/html")]);
    let cases: &[(&str, u16, &HeaderMap, &str)] = &[
        ("antibot_ruishu_412.html", 412, &html, "ruishu"),
        ("antibot_wzws.html", 200, &html, "wzws"),
        ("antibot_jsl_521.html", 521, &none, "jsl"),
        ("antibot_jsl_521.html", 200, &none, "jsl"),
        ("antibot_js_shell.html", 200, &html, "js_shell"),
        ("antibot_aliyun.html", 200, &html, "aliyun_waf"),
    ];
    for (name, status, h, kind) in cases {
        let b = antibot::detect(*status, h, &bytes(name));
        assert_eq!(
            b.as_ref().map(|b| b.kind),
            Some(*kind),
            "{name} {status}: {b:?}"
        );
    }
    let b = antibot::detect(412, &html, &bytes("antibot_ruishu_412.html")).expect("block");
    assert_eq!(b.evidence, "412 + $_ts");
    let wz = headers(&[
        ("location", "/WZWSREL2NvbC9jb2w=?wzwschallenge=x"),
        ("set-cookie", "wzws_cid=1; path=/"),
    ]);
    assert_eq!(antibot::detect(302, &wz, b"").map(|b| b.kind), Some("wzws"));
    let eo = headers(&[("set-cookie", "__tst_status=1; path=/")]);
    assert_eq!(
        antibot::detect(200, &eo, b"<html><script src='/a.js'></script></html>").map(|b| b.kind),
        Some("edgeone")
    );
}

#[test]
fn legitimate_tiny_pages_are_not_blocks() {
    let html = headers(&[("content-type", "text/html; charset=utf-8")]);
    for name in [
        "redirect_tiny.html",
        "script_redirect_tiny.html",
        "short_real_page.html",
        "trs_past_last.html",
        "soft404.html",
    ] {
        assert_eq!(antibot::detect(200, &html, &bytes(name)), None, "{name}");
    }
    let txt = headers(&[("content-type", "text/plain")]);
    assert_eq!(antibot::detect(200, &txt, &bytes("robots.txt")), None);
    let xml = headers(&[("content-type", "text/xml")]);
    assert_eq!(antibot::detect(200, &xml, &bytes("hanweb_proxy.xml")), None);
    let json = headers(&[("content-type", "application/json")]);
    assert_eq!(
        antibot::detect(200, &json, &bytes("gkmlpt_page3.json")),
        None
    );
    // Real pages of every family.
    for name in [
        "hanweb_detail.html",
        "trs_detail.html",
        "trs_listing.html",
        "hanweb_column.html",
        "gkmlpt_index.html",
    ] {
        assert_eq!(antibot::detect(200, &html, &bytes(name)), None, "{name}");
    }
}

mod no_panics {
    //! Arbitrary bytes and markup never panic any extract stage.
    use super::*;
    use proptest::prelude::*;

    /// HTML-ish strings built from the pieces real pages are made of.
    fn markup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<div id=\"zoom\">".to_string()),
            Just("</div>".to_string()),
            Just("<table><tr><td colspan=\"999\">".to_string()),
            Just("</td></tr></table>".to_string()),
            Just("<meta name=\"ContentStart\">".to_string()),
            Just("<meta name=\"ContentEnd\">".to_string()),
            Just("<!--ZJEG_RSS.content.begin-->".to_string()),
            Just("<a href=\"./P0.pdf\">".to_string()),
            Just("<a href=\"javascript:x\">".to_string()),
            Just("</a>".to_string()),
            Just("<td><b>索引号：</b></td><td>".to_string()),
            Just("发布日期：2024-13-45".to_string()),
            Just("2023年政府信息公开工作年度报告".to_string()),
            Just("<br>".to_string()),
            Just("<script>document.cookie=1;location.reload()</script>".to_string()),
            "\\PC{0,12}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn decode_sniff_detect_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..2048), ct in "\\PC{0,40}") {
            let d = charset::decode(&b, Some(&ct));
            prop_assert!(d.text.len() <= b.len() * 3 + 3);
            let _ = sniff(&b, &ct, Some(&ct));
            let _ = antibot::detect(200, &HeaderMap::new(), &b);
            let _ = nianbao::extract::attachment::content_disposition_filename(&b);
        }

        #[test]
        fn extract_any_markup(html in markup()) {
            let d = extract_detail(&html, &url("http://a.gov.cn/x/y.html"));
            let _ = content_id(&d.body_text);
            let _ = antibot::detect(412, &HeaderMap::new(), html.as_bytes());
        }
    }
}
