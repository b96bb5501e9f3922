//! Every page and JSON endpoint of the web UI, through the router (`oneshot`, no socket), on
//! the hand-built archive of `fixture.rs`: content, filters, search, escaping of hostile
//! text, 404/405, and that the server's connection cannot write.

use axum::http::{header, Method, StatusCode};

use super::fixture::{AGENCY, PDF_BYTES, XSS_ATTR, XSS_CELL, XSS_TITLE};
use super::{get, request, setup};

#[tokio::test]
async fn every_page_answers_in_html_and_json() {
    let (b, s) = setup();
    for path in [
        "/",
        "/reports",
        &format!("/reports/{}", b.a2023),
        &format!("/agencies/{AGENCY}"),
        "/runs",
    ] {
        let html = get(&s, path).await;
        assert!(
            html.content_type().starts_with("text/html"),
            "{path}: {}",
            html.content_type()
        );
        let text = html.text();
        assert!(text.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(
            !text.contains("<script"),
            "{path}: our pages carry no script"
        );
        let csp = html
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        let json_path = if path == "/" {
            "/index.json".to_string()
        } else {
            format!("{path}.json")
        };
        let j = get(&s, &json_path).await;
        assert_eq!(j.content_type(), "application/json", "{json_path}");
        j.json();
        let q = get(&s, &format!("{path}?format=json")).await;
        assert_eq!(q.json(), j.json(), "{path}?format=json equals {json_path}");
    }
    get(&s, "/.json").await.json();
    assert!(get(&s, "/style.css")
        .await
        .content_type()
        .starts_with("text/css"));
}

#[tokio::test]
async fn overview_totals_and_charts() {
    let (_b, s) = setup();
    let o = get(&s, "/index.json").await.json();
    assert_eq!(o["totals"]["reports"], 4);
    assert_eq!(o["totals"]["agencies"], 3);
    assert_eq!(o["by_status"]["pass"], 1);
    assert_eq!(o["by_status"]["fail"], 1);
    assert_eq!(o["by_status"]["legacy"], 1);
    assert_eq!(o["by_status"]["unparsed"], 1);
    let years: Vec<i64> = o["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2014, 2023, 2024]);
    let y2023 = &o["years"][1];
    assert_eq!(y2023["figures"]["received"], 9);
    assert_eq!(y2023["figures"]["refused"], 2);
    assert_eq!(y2023["refused_by_reason"]["denied_third_party"], 2);
    assert_eq!(o["years"][2]["failing"], 1);
    assert_eq!(o["unknown_year"], 1);
    let html = get(&s, "/").await.text();
    assert_eq!(html.matches("<svg").count(), 4, "four charts");
    assert!(html.contains("Refusals by reason"));
    assert!(
        html.contains("4.保护第三方合法权益"),
        "refusal reasons use the official labels"
    );
}

#[tokio::test]
async fn report_json_is_the_export_record() {
    let (b, s) = setup();
    let r = get(&s, &format!("/reports/{}.json", b.a2023)).await.json();
    assert_eq!(r["id"], b.a2023);
    assert_eq!(r["agency"], AGENCY);
    assert_eq!(r["year"], 2023);
    assert_eq!(r["format"], "2021");
    assert_eq!(r["source"], "html");
    assert_eq!(r["tables"]["requests"]["new_received"]["total"], 9);
    assert_eq!(r["tables"]["requests"].as_object().unwrap().len(), 26);
    assert_eq!(r["tables"]["appeals"]["review"]["upheld"], 1);
    assert!(r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true));
    assert_eq!(r["urls"][0], "http://127.0.0.9/xxgk/nb/1.html");
    assert_eq!(
        r["documents"][0]["original"],
        format!("/reports/{}/original?doc=1", b.a2023)
    );
    assert_eq!(r["check_status"], "pass");
    let legacy = get(&s, &format!("/reports/{}.json", b.legacy)).await.json();
    assert!(legacy["tables"]["requests"].is_null());
}

#[tokio::test]
async fn report_page_lays_out_the_official_form_and_marks_failures() {
    let (b, s) = setup();
    let html = get(&s, &format!("/reports/{}", b.b2024)).await.text();
    for label in [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "（七）总计",
        "四、结转下年度继续办理",
        "行政复议",
        "未经复议直接起诉",
        "复议后起诉",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    assert!(
        html.contains("rowspan=\"22\""),
        "2021 form: 三、本年度办理结果 spans 22 rows"
    );
    let cell = |key: &str| {
        let at = html
            .find(&format!("data-cell=\"{key}\""))
            .unwrap_or_else(|| panic!("no cell {key}"));
        let start = html[..at].rfind("<td").unwrap();
        html[start..at].to_string()
    };
    assert!(
        cell("requests.total_processed.total").contains("fail"),
        "results_sum.total reads total_processed.total"
    );
    assert!(cell("requests.granted.total").contains("fail"));
    assert!(
        cell("requests.carried_over.total").contains("fail"),
        "cross_year marks this year's carried_over"
    );
    assert!(!cell("requests.new_received.total").contains("fail"));
    assert!(cell("requests.carried_forward.total").contains("inferred"));
    assert!(
        cell("requests.carried_forward.natural_person").contains("doubted"),
        "a doubted row marks its cells"
    );
    assert!(!cell("requests.granted.total").contains("doubted"));
    assert!(
        html.contains("<h2>Doubts</h2>"),
        "doubts listed with their reasons"
    );
    assert!(html.contains("requests.results_sum.total"));
    assert!(html.contains("cross_year.carried_over"));
    assert!(html.contains("id=\"check-1\""));
    assert!(
        html.contains("<td class=\"n\">12</td><td class=\"n\">10</td>"),
        "left and right of results_sum.total"
    );
    assert!(
        html.contains("/original?doc="),
        "link to the archived original"
    );
    assert!(html.contains("http://127.0.0.9/xxgk/nb/2.pdf"));
    assert!(!html.contains("Replaced by"));
}

#[tokio::test]
async fn hostile_text_renders_inert() {
    let (b, s) = setup();
    let pages = [
        format!("/reports/{}", b.b2024),
        "/reports".to_string(),
        "/reports?q=alert(1)".to_string(),
        format!("/agencies/{AGENCY}"),
        "/".to_string(),
    ];
    for p in &pages {
        let html = get(&s, p).await.text();
        assert!(!html.contains("<script"), "{p}: unescaped script");
        assert!(!html.contains(XSS_ATTR), "{p}: unescaped attribute breaker");
        assert!(!html.contains(XSS_CELL), "{p}: unescaped cell text");
        assert!(!html.contains("onmouseover=\""), "{p}");
    }
    let html = get(&s, &format!("/reports/{}", b.b2024)).await.text();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title shown as text"
    );
    assert!(
        html.contains("&quot; onmouseover=&quot;alert(2)"),
        "text shown as text"
    );
    assert!(
        html.contains("&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"),
        "raw cell text shown as text"
    );
    let list = get(&s, "/reports?q=alert(1)").await.text();
    assert!(
        list.contains("<mark>alert(1)</mark>"),
        "search term highlighted in the snippet"
    );
    let j = get(&s, &format!("/reports/{}.json", b.b2024)).await.json();
    assert_eq!(
        j["doubts"][0],
        serde_json::json!({"table": "requests", "row": "carried_forward", "column": null,
            "kind": "elimination", "detail": "2 of 7 cells printed & placed by the identities"}),
        "doubts in the record"
    );
    assert_eq!(
        j["title"].as_str().unwrap(),
        format!("西夏区人民政府办公室2024年政府信息公开工作年度报告{XSS_TITLE}"),
        "JSON keeps text verbatim"
    );
}

#[tokio::test]
async fn agency_page_shows_years_deltas_and_cross_year_check() {
    let (b, s) = setup();
    let ag = get(&s, &format!("/agencies/{AGENCY}.json")).await.json();
    assert_eq!(ag["agency"], AGENCY);
    let years = ag["years"].as_array().unwrap();
    assert_eq!(years.len(), 2);
    assert_eq!(years[0]["id"], b.a2023);
    let keys: Vec<&str> = ag["figure_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    assert_eq!(years[1]["figures"][at("received")], 10);
    assert_eq!(years[1]["deltas"][at("received")], 1);
    assert_eq!(
        years[1]["deltas"][at("refused")],
        serde_json::Value::Null,
        "2024 prints no refusal"
    );
    assert_eq!(years[1]["deltas"][at("granted")], 5);
    assert!(years[0]["deltas"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.is_null()));
    assert_eq!(years[1]["cross_year"]["ok"], false);
    assert_eq!(years[1]["cross_year"]["left"], 2);
    assert_eq!(years[1]["cross_year"]["right"], 1);
    let html = get(&s, &format!("/agencies/{AGENCY}")).await.text();
    assert!(html.contains("+1"));
    assert!(html.contains("✗ 上年结转 2 ≠ 去年结转下年 1"));
}

#[tokio::test]
async fn runs_page_lists_runs_failures_and_hosts() {
    let (_b, s) = setup();
    let r = get(&s, "/runs.json").await.json();
    assert_eq!(r["runs"][0]["status"], "done");
    assert_eq!(r["runs"][0]["counts"]["reports_new"], 4);
    assert_eq!(r["runs"][0]["failures"]["timeout"], 1);
    let hosts = r["hosts"].as_array().unwrap();
    assert_eq!(hosts[0]["host"], "127.0.0.10");
    assert_eq!(hosts[0]["status"], "blocked");
    assert_eq!(hosts[1]["status"], "ok");
    let html = get(&s, "/runs").await.text();
    assert!(html.contains("http 404: 1"));
    assert!(html.contains("anti-bot challenge (412)"));
}

#[tokio::test]
async fn originals_are_served_from_the_archive() {
    let (b, s) = setup();
    let pdf = get(&s, &format!("/reports/{}/original", b.b2024)).await;
    assert_eq!(pdf.body, PDF_BYTES);
    assert_eq!(pdf.content_type(), "application/pdf");
    let html = get(&s, &format!("/reports/{}/original", b.a2023)).await;
    assert!(html.text().contains("<pre>西夏区人民政府办公室2023年"));
    assert_eq!(html.content_type(), "text/html; charset=utf-8");
    let csp = html
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.starts_with("sandbox"),
        "archived HTML cannot run scripts in our origin: {csp}"
    );
    assert_eq!(
        html.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    // A document of another report is not served under this one.
    let other = request(
        &s,
        Method::GET,
        &format!("/reports/{}/original?doc=2", b.a2023),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_things_are_404_and_json_errors_are_json() {
    let (_b, s) = setup();
    for p in [
        "/reports/0000",
        "/agencies/nobody",
        "/nothing/here",
        "/reports/0000/original",
    ] {
        assert_eq!(
            request(&s, Method::GET, p).await.status,
            StatusCode::NOT_FOUND,
            "{p}"
        );
    }
    let j = request(&s, Method::GET, "/reports/0000.json").await;
    assert_eq!(j.status, StatusCode::NOT_FOUND);
    assert_eq!(j.json()["error"], "Not Found");
}

#[tokio::test]
async fn only_get_and_head_are_allowed() {
    let (b, s) = setup();
    for m in [
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ] {
        for p in [
            "/",
            "/reports",
            &format!("/reports/{}", b.a2023),
            "/runs.json",
            "/nothing",
        ] {
            let r = request(&s, m.clone(), p).await;
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{m} {p}");
            assert_eq!(r.headers.get(header::ALLOW).unwrap(), "GET, HEAD");
        }
    }
    let head = request(&s, Method::HEAD, "/reports").await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

#[tokio::test]
async fn the_servers_connection_cannot_write() {
    let (b, s) = setup();
    for sql in [
        "INSERT INTO seeds (url, added_at) VALUES ('http://x/', 'now')",
        "DELETE FROM reports",
        "UPDATE reports SET title = 'x'",
        "DROP TABLE reports",
        "CREATE TABLE evil (x)",
        "INSERT INTO reports_fts(reports_fts) VALUES ('delete-all')",
    ] {
        let result = s
            .pool
            .run(move |a| Ok(a.conn().execute_batch(sql)))
            .await
            .unwrap();
        assert!(
            result.is_err(),
            "{sql} must fail on the server's connection"
        );
    }
    // A query string crafted as SQL is only ever a bound parameter.
    let r = get(
        &s,
        "/reports.json?q=x'); DELETE FROM reports; --&agency=' OR 1=1 --",
    )
    .await
    .json();
    assert_eq!(r["total"], 0);
    let a = nianbao::archive::Archive::open_read_only(&b.db).unwrap();
    let n: i64 = a
        .conn()
        .query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 4, "nothing changed");
}

#[tokio::test]
async fn the_overview_follows_a_crawl_that_adds_reports() {
    let (b, s) = setup();
    assert_eq!(get(&s, "/index.json").await.json()["totals"]["reports"], 4);
    // Another process (a crawl) adds a report while the server runs.
    let w = nianbao::archive::Archive::open(&b.db).unwrap();
    w.conn()
        .execute(
            "INSERT INTO reports (id, source, status, text, first_seen_at, last_seen_at) VALUES ('ab', 'html', 'needs_ocr', '扫描件', 0, 0)",
            [],
        )
        .unwrap();
    drop(w);
    let o = get(&s, "/index.json").await.json();
    assert_eq!(
        o["totals"]["reports"], 5,
        "a new report invalidates the cached overview"
    );
    assert_eq!(o["by_status"]["unparsed"], 2);
}
