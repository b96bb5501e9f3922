//! The web UI against hostile input (beyond `http.rs`'s escaping checks): an archive whose
//! agency, title, region, date, file name, URLs and warnings are markup or script URLs and
//! whose text runs to megabytes; hostile values for every route and query parameter of SPEC
//! §5; path traversal in `/reports/{id}/original`. Nothing may answer 5xx, reflect markup
//! unescaped, or link a `javascript:`/`data:` URL; the report page of a huge text stays small.

use axum::http::{Method, StatusCode};

use super::fixture::{
    build_hostile, EVIL_AGENCY, EVIL_TITLE, LONG_TEXT_BYTES, LONG_TEXT_END, PATHY_AGENCY,
};
use super::{encode_component, get, request, Resp};
use nianbao::browse::AppState;

/// The tags of an HTML page (`<…>`); escaped text never holds a raw `<`.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .collect()
}

/// A tag's name and attributes (names lower-cased, values as written, quotes removed).
fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let mut chars = tag.chars().peekable();
    let name: String = chars
        .by_ref()
        .take_while(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let mut attr = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            attr.push(c);
            chars.next();
        }
        if attr.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    value = chars.by_ref().take_while(|c| *c != q).collect();
                }
                _ => {
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        attrs.push((attr.to_ascii_lowercase(), value));
    }
    (name.trim_end_matches('/').to_string(), attrs)
}

/// No 5xx; in HTML, no element the archive or the query put there: no script, img, iframe,
/// object or embed element, no event-handler attribute, no `javascript:`/`data:` URL in an
/// `href`, `src` or `action`; JSON parses.
fn assert_inert(path: &str, r: &Resp) {
    assert!(
        !r.status.is_server_error(),
        "{path}: {} {}",
        r.status,
        r.text()
    );
    if r.content_type().starts_with("text/html") {
        let html = r.text();
        for tag in tags(&html) {
            let (name, attrs) = parse_tag(tag);
            assert!(
                !matches!(
                    name.as_str(),
                    "script" | "img" | "iframe" | "object" | "embed"
                ),
                "{path}: <{tag}> in the page"
            );
            for (attr, value) in attrs {
                assert!(!attr.starts_with("on"), "{path}: <{tag}> in the page");
                let v = value.trim_start().to_ascii_lowercase();
                if matches!(attr.as_str(), "href" | "src" | "action") {
                    assert!(
                        !v.starts_with("javascript:") && !v.starts_with("data:"),
                        "{path}: <{tag}> in the page"
                    );
                }
            }
        }
        assert!(!html.contains("<b>宁夏"), "{path}: the region's markup");
    }
    if r.content_type() == "application/json" && !r.body.is_empty() {
        r.json();
    }
}

#[test]
fn the_tag_reader_sees_attributes_not_text() {
    let (name, attrs) =
        parse_tag("input type=\"search\" value=\"a onerror=x\" data-x='y z' hidden");
    assert_eq!(name, "input");
    assert_eq!(
        attrs,
        [
            ("type".into(), "search".into()),
            ("value".into(), "a onerror=x".into()),
            ("data-x".into(), "y z".into()),
            ("hidden".into(), String::new())
        ]
    );
    assert_eq!(parse_tag("img src=x onerror=alert(1)").1[1].0, "onerror");
}

#[tokio::test]
async fn hostile_archive_text_renders_inert() {
    let h = build_hostile();
    let s = AppState::open(&h.built.db).unwrap();
    let evil_page = get(&s, &format!("/reports/{}", h.evil)).await;
    assert_inert("evil report", &evil_page);
    let html = evil_page.text();
    assert!(
        html.contains("&lt;img src=x onerror=alert(4)&gt;财政局"),
        "agency as text"
    );
    assert!(
        html.contains("&quot;&gt;&lt;svg onload=alert(5)&gt;"),
        "title as text"
    );
    assert!(
        html.contains("&lt;script&gt;alert(11)&lt;/script&gt;"),
        "warning as text"
    );
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;.pdf"));
    assert!(
        html.contains("javascript:alert(8)"),
        "the URL is listed, as text"
    );
    assert!(
        html.contains(
            "href=\"http://evil.example/&quot;&gt;&lt;script&gt;alert(10)&lt;/script&gt;\""
        ),
        "an http URL is a link, its quote escaped"
    );

    // Every page that shows these reports.
    for path in [
        "/".to_string(),
        "/reports".to_string(),
        "/reports?q=alert".to_string(),
        "/reports?q=onerror".to_string(),
        format!("/reports?agency={}", encode_component(EVIL_AGENCY)),
        format!("/agencies/{}", encode_component(EVIL_AGENCY)),
        format!("/agencies/{}.json", encode_component(EVIL_AGENCY)),
        format!("/reports/{}.json", h.evil),
        "/reports.json?q=script".to_string(),
    ] {
        let r = get(&s, &path).await;
        assert_inert(&path, &r);
    }
    let j = get(&s, &format!("/reports/{}.json", h.evil)).await.json();
    assert_eq!(j["title"], EVIL_TITLE, "JSON keeps the text verbatim");
    assert_eq!(j["agency"], EVIL_AGENCY);
}

#[tokio::test]
async fn an_agency_made_of_path_characters_has_a_working_page() {
    let h = build_hostile();
    let s = AppState::open(&h.built.db).unwrap();
    let report = get(&s, &format!("/reports/{}", h.pathy)).await.text();
    // The agency link as the report page writes it.
    let at = report.find("href=\"/agencies/").expect("agency link");
    let href = report[at + 6..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(!href.contains("/../"), "{href}");
    let page = request(&s, Method::GET, &href).await;
    assert_eq!(page.status, StatusCode::OK, "{href}: {}", page.text());
    let j = get(&s, &format!("{href}.json")).await.json();
    assert_eq!(j["agency"], PATHY_AGENCY);
}

#[tokio::test]
async fn the_page_of_a_huge_report_text_is_cut_with_a_link_to_the_original() {
    let h = build_hostile();
    let s = AppState::open(&h.built.db).unwrap();
    let page = get(&s, &format!("/reports/{}", h.evil)).await;
    let html = page.text();
    assert!(
        page.body.len() < LONG_TEXT_BYTES / 4,
        "the page holds a fraction of the {LONG_TEXT_BYTES}-byte text ({} bytes)",
        page.body.len()
    );
    assert!(
        html.contains("本机关依申请公开工作稳步推进"),
        "the text begins"
    );
    assert!(!html.contains(LONG_TEXT_END), "the text is cut");
    assert!(
        html.contains(&format!("href=\"/reports/{}/original", h.evil)),
        "a link to the whole original"
    );
    assert!(html.contains("text-cut"), "the cut is said");
    // A short text is shown whole.
    let short = get(&s, &format!("/reports/{}", h.built.legacy))
        .await
        .text();
    assert!(short.contains("2014年无政府信息公开的收费。"));
    assert!(!short.contains("text-cut"));
}

/// Values that have broken web apps: markup, SQL, FTS5 and LIKE syntax, huge and negative
/// numbers, long strings, invalid percent-encoding, control characters.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' OR 1=1 --",
        "x'); DROP TABLE reports; --",
        "\"",
        "*",
        "NEAR(a b",
        "AND OR NOT",
        "%",
        "_",
        "%%25",
        "\\",
        "-1",
        "0",
        "99999999999999999999999",
        "-9223372036854775808",
        "9223372036854775807",
        "1e308",
        "NaN",
        "2024.5",
        "",
        " ",
        "json",
        "../../etc/passwd",
        "%00",
        "\u{0}",
        "\u{202e}",
        "政府",
        "政府信息公开",
    ]
    .iter()
    .map(|s| encode_component(s))
    .collect();
    v.push("%FF%FE".into()); // not UTF-8
    v.push("%".into()); // a bare percent sign
    v.push("%zz".into());
    v.push(encode_component(&"长".repeat(5_000)));
    v
}

#[tokio::test]
async fn hostile_query_values_for_every_route_and_parameter() {
    let h = build_hostile();
    let s = AppState::open(&h.built.db).unwrap();
    let id = &h.built.a2023;
    let params = [
        "q", "year", "format", "agency", "region", "source", "status", "page", "sort", "doc",
    ];
    let routes = [
        "/".to_string(),
        "/index.json".to_string(),
        "/reports".to_string(),
        "/reports.json".to_string(),
        format!("/reports/{id}"),
        format!("/reports/{id}.json"),
        format!("/reports/{id}/original"),
        format!("/agencies/{}", encode_component(super::fixture::AGENCY)),
        "/runs".to_string(),
        "/runs.json".to_string(),
    ];
    let values = hostile_values();
    let mut requests = 0;
    for route in &routes {
        for p in params {
            for v in &values {
                let path = format!("{route}?{p}={v}");
                let r = request(&s, Method::GET, &path).await;
                assert_inert(&path, &r);
                requests += 1;
            }
        }
        // All at once, repeated, and with the JSON switch.
        let all: String = params
            .iter()
            .map(|p| format!("{p}={}&{p}={}", values[0], values[6]))
            .collect::<Vec<_>>()
            .join("&");
        for path in [
            format!("{route}?{all}"),
            format!("{route}?{all}&format=json"),
        ] {
            let r = request(&s, Method::GET, &path).await;
            assert_inert(&path, &r);
        }
    }
    assert!(requests > 3000);
    // Reflected search terms are escaped, and the list still works.
    let r = get(&s, &format!("/reports?q={}", encode_component("<script>x"))).await;
    assert!(r.text().contains("&lt;script&gt;x"));
}

#[tokio::test]
async fn hostile_path_segments_and_traversal() {
    let h = build_hostile();
    let s = AppState::open(&h.built.db).unwrap();
    let id = &h.built.a2023;
    let long = "a".repeat(30_000);
    for seg in [
        "..",
        "%2e%2e",
        "..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "....//....//etc/passwd",
        "%00",
        "%FF%FE",
        "%zz",
        "%",
        &long,
        "0000000000000000000000000000000000000000000000000000000000000000",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        ".json",
        "x.json.json",
    ] {
        for path in [
            format!("/reports/{seg}"),
            format!("/reports/{seg}.json"),
            format!("/reports/{seg}/original"),
            format!("/reports/{id}/original/{seg}"),
            format!("/reports/{id}/{seg}"),
            format!("/agencies/{seg}"),
            format!("/agencies/{seg}.json"),
            format!("/{seg}"),
            format!("/style.css/{seg}"),
            format!("/runs/{seg}"),
        ] {
            for method in [Method::GET, Method::HEAD] {
                let r = request(&s, method.clone(), &path).await;
                assert_inert(&path, &r);
                assert!(
                    matches!(
                        r.status,
                        StatusCode::OK | StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
                    ),
                    "{method} {path}: {}",
                    r.status
                );
                assert!(
                    !r.text().contains("root:x:0:0"),
                    "{path}: a file outside the archive"
                );
            }
        }
    }
    // `doc` names only documents of the report itself, whatever its spelling.
    let b2024_doc: i64 = {
        let a = nianbao::archive::Archive::open_read_only(&h.built.db).unwrap();
        a.conn()
            .query_row(
                "SELECT main_document_id FROM reports WHERE id = ?1",
                [&h.built.b2024],
                |r| r.get(0),
            )
            .unwrap()
    };
    for doc in [
        format!("{b2024_doc}"),
        format!("+{b2024_doc}"),
        format!("0{b2024_doc}"),
        format!("{b2024_doc}%20OR%201=1"),
        "-1".into(),
        "99999999999999999999".into(),
        "1e3".into(),
    ] {
        let r = request(
            &s,
            Method::GET,
            &format!("/reports/{id}/original?doc={doc}"),
        )
        .await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::OK),
            "doc={doc}: {}",
            r.status
        );
        assert_ne!(
            r.body,
            super::fixture::PDF_BYTES,
            "doc={doc}: another report's file"
        );
    }
}
