//! Each CMS family's pages have the real shapes: TRS, the GBK site, Hanweb, gkmlpt, generic.

use std::time::{Duration, Instant};

use super::{client, form_post, get, hrefs, seed};
use crate::util::portal;

#[tokio::test]
async fn trs_listing_detail_and_attachment_have_real_shapes() {
    let p = portal(131).await;
    let c = client();
    let index = seed(&p, "/zfxxgk/zfxxgknb/index.html");
    let page = get(&c, index.as_str()).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("var countPage = 3;//共多少页"), "JS pager");
    assert!(html.contains("//createPageHTML(3, 0, \"index\", \"html\");"));
    assert!(html.contains("<table class=\"gl_list\""));
    assert!(
        !html.contains("href=\"index_1.html\""),
        "page links exist only inside JS"
    );
    assert!(page.header("etag").is_some() && page.header("last-modified").is_some());
    for n in 1..3 {
        assert_eq!(
            get(&c, index.join(&format!("index_{n}.html")).unwrap().as_str())
                .await
                .status,
            200
        );
    }
    assert_eq!(
        get(&c, index.join("index_3.html").unwrap().as_str())
            .await
            .status,
        404
    );

    // The report with an attachment: detail page → ./P0….pdf.
    let all: String = [
        html.clone(),
        get(&c, index.join("index_1.html").unwrap().as_str())
            .await
            .text(),
        get(&c, index.join("index_2.html").unwrap().as_str())
            .await
            .text(),
    ]
    .concat();
    let detail_hrefs: Vec<String> = hrefs(&all)
        .into_iter()
        .filter(|h| h.starts_with("./20"))
        .collect();
    assert!(detail_hrefs.len() >= 15, "{detail_hrefs:?}");
    let re = regex::Regex::new(r"^\./\d{6}/t\d{8}_\d+\.html$").unwrap();
    assert!(
        detail_hrefs.iter().all(|h| re.is_match(h)),
        "{detail_hrefs:?}"
    );
    let with_pdf = p
        .expected()
        .reports
        .into_iter()
        .find(|r| r.urls.iter().any(|u| u.path().contains("/P0")))
        .expect("TRS attachment");
    let detail = get(&c, with_pdf.urls[0].as_str()).await;
    let d = detail.text();
    for needle in [
        "<div class=\"TRS_Editor\"><style",
        "<meta name=\"ArticleTitle\"",
        "<meta name=\"ContentSource\"",
        "索&nbsp;引&nbsp;号",
        "扫一扫在手机上查看当前页面",
        "<div class=\"list_fj\">",
        "一、总体情况",
        "六、其他需要报告的事项",
    ] {
        assert!(d.contains(needle), "{needle}");
    }
    assert!(d.contains(&with_pdf.text_marker));
    assert_eq!(
        d.matches("<table border=\"1\"").count(),
        3,
        "three official tables"
    );
    let pdf_href = hrefs(&d)
        .into_iter()
        .find(|h| h.ends_with(".pdf"))
        .expect("pdf link");
    assert!(pdf_href.starts_with("./P0"));
    let pdf = get(&c, with_pdf.urls[0].join(&pdf_href).unwrap().as_str()).await;
    assert!(pdf.body.starts_with(b"%PDF-1.4"));
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    p.shutdown().await;
}
#[tokio::test]
async fn gbk_site_bytes_decode_as_gb18030() {
    let p = portal(151).await;
    let c = client();
    let index = seed(&p, "/xxgk/zfxxgknb/index.htm");
    let page = get(&c, index.as_str()).await;
    assert!(
        std::str::from_utf8(&page.body).is_err(),
        "GBK bytes, not UTF-8"
    );
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html"),
        "no charset in the header"
    );
    let (text, _, bad) = encoding_rs::GB18030.decode(&page.body);
    assert!(!bad);
    assert!(text.contains("charset=gb2312"));
    assert!(text.contains("createPageHTML(2, 0, \"index\", \"htm\");"));
    // Beyond the last page: a 200 "页面不存在".
    let past = get(&c, index.join("index_2.htm").unwrap().as_str()).await;
    assert_eq!(past.status, 200);
    assert!(encoding_rs::GB18030
        .decode(&past.body)
        .0
        .contains("页面不存在"));
    // Every GBK-only marker decodes; one page lies about its charset.
    let gbk_reports: Vec<_> = p
        .expected()
        .reports
        .into_iter()
        .filter(|r| r.urls[0].path().starts_with("/xxgk/zfxxgknb/"))
        .collect();
    assert!(gbk_reports.len() >= 6);
    let mut lying = 0;
    for r in gbk_reports
        .iter()
        .filter(|r| r.text_marker.chars().any(|ch| "镕堃喆昇".contains(ch)))
    {
        let start = Instant::now();
        let d = get(&c, r.urls[0].as_str()).await;
        let (text, _, bad) = encoding_rs::GB18030.decode(&d.body);
        assert!(!bad && text.contains(&r.text_marker), "{}", r.title);
        if d.header("content-type").as_deref() == Some("text/html; charset=utf-8") {
            lying += 1;
        }
        if r.agency == "旧城区人民政府" && r.year == 2023 {
            assert!(
                start.elapsed() >= Duration::from_millis(1400),
                "the slow page"
            );
        }
    }
    assert_eq!(lying, 1);
    p.shutdown().await;
}
#[tokio::test]
async fn hanweb_inline_group_then_proxy_with_lookahead() {
    let p = portal(171).await;
    let c = client();
    let col = seed(&p, "/col/col12377/index.html");
    let page = get(&c, col.as_str()).await.text();
    assert_eq!(
        page.matches("<record>").count(),
        12,
        "3 pages × perPage 4 inline"
    );
    let total: usize = regex::Regex::new(r"totalRecord:(\d+)")
        .unwrap()
        .captures(&page)
        .unwrap()[1]
        .parse()
        .unwrap();
    assert!(total > 24);
    let param = regex::Regex::new(r"var param_4021671 = \{([^}]*)\}")
        .unwrap()
        .captures(&page)
        .unwrap()[1]
        .to_string();
    // Build the form the way a browser's jpage does, from `param_…`.
    let form: Vec<String> = param
        .split(',')
        .filter_map(|kv| kv.split_once(':'))
        .map(|(k, v)| {
            format!(
                "{k}={}",
                url::form_urlencoded::byte_serialize(v.trim_matches('\'').as_bytes())
                    .collect::<String>()
            )
        })
        .collect();
    let form = form.join("&");
    let proxy = col
        .join("/module/web/jpage/dataproxy.jsp?startrecord=13&endrecord=24&perpage=4")
        .unwrap();
    let denied = form_post(&c, proxy.as_str(), None, &form)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403, "no Referer");
    let r = form_post(&c, proxy.as_str(), Some(col.as_str()), &form)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("etag").is_none(), "proxies carry no ETag");
    let xml = r.text().await.unwrap();
    assert!(xml.contains(&format!("<totalrecord>{total}</totalrecord>")));
    assert_eq!(
        xml.matches("<record>").count(),
        13,
        "12 + the look-ahead record"
    );
    let next = col
        .join("/module/web/jpage/dataproxy.jsp?startrecord=25&endrecord=36&perpage=4")
        .unwrap();
    let xml2 = form_post(&c, next.as_str(), Some(col.as_str()), &form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let re = regex::Regex::new(r#"<a href="([^"]+)""#).unwrap();
    let last_of_2 = re.captures_iter(&xml).last().unwrap()[1].to_string();
    let first_of_3 = re.captures(&xml2).unwrap()[1].to_string();
    assert_eq!(last_of_2, first_of_3, "overlap record");
    // Wrong form → empty answer; the log keeps the POST body and Referer.
    let empty = form_post(&c, proxy.as_str(), Some(col.as_str()), "col=1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(empty.contains("<totalrecord>0</totalrecord>"));
    let log = p.requests();
    let post = log
        .iter()
        .find(|e| e.method == "POST" && e.status == 200)
        .unwrap();
    assert!(post
        .body
        .as_deref()
        .is_some_and(|b| b.contains("columnid=12377")));
    assert_eq!(post.referer.as_deref(), Some(col.as_str()));
    // A detail page and its downfile.jsp attachment.
    let city = p
        .expected()
        .reports
        .into_iter()
        .find(|r| r.title == "临江市人民政府2023年政府信息公开工作年度报告")
        .unwrap();
    let detail = get(&c, city.urls[0].as_str()).await.text();
    assert!(
        detail.contains("<meta name=\"ContentStart\">")
            && detail.contains("<meta name=\"ContentEnd\">")
    );
    assert!(
        detail.contains("信息来源：<!--<$[信息来源]>begin-->临江市人民政府<!--<$[信息来源]>end-->")
    );
    let dl = get(&c, city.urls[1].as_str()).await;
    assert_eq!(
        dl.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    let cd = dl
        .headers
        .get("content-disposition")
        .unwrap()
        .as_bytes()
        .to_vec();
    assert!(encoding_rs::GBK
        .decode(&cd)
        .0
        .contains("临江市人民政府2023年政府信息公开工作年度报告.pdf"));
    assert!(dl.body.starts_with(b"%PDF"));
    p.shutdown().await;
}
#[tokio::test]
async fn gkmlpt_and_generic_families() {
    let p = portal(181).await;
    let c = client();
    let index = get(&c, seed(&p, "/gkmlpt/index").as_str()).await.text();
    let sid = regex::Regex::new(r"SID:\s*'(\d+)'")
        .unwrap()
        .captures(&index)
        .unwrap()[1]
        .to_string();
    assert_eq!(sid, "752001");
    assert!(index.contains("{id: 368, name: '政府信息公开年报'"));
    let api = |page: usize| {
        seed(&p, "/gkmlpt/index")
            .join(&format!("/gkmlpt/api/all/368?page={page}&sid={sid}"))
            .unwrap()
    };
    let mut urls = Vec::new();
    for page in 1..10 {
        let v: serde_json::Value =
            serde_json::from_slice(&get(&c, api(page).as_str()).await.body).unwrap();
        let articles = v["articles"].as_array().unwrap().clone();
        if articles.is_empty() {
            assert!(
                v["total"].as_u64().unwrap() as usize > urls.len(),
                "the feed hides old items"
            );
            break;
        }
        urls.extend(
            articles
                .iter()
                .map(|a| a["url"].as_str().unwrap().to_string()),
        );
    }
    assert_eq!(urls.len(), 14);
    let d = get(&c, &urls[0]).await.text();
    assert!(d.contains("<div class=\"article-content\">"));
    // One gkmlpt detail answers 503 + Retry-After the first time.
    let mut retried = 0;
    for u in &urls {
        let r = get(&c, u).await;
        if r.status == 503 {
            assert_eq!(r.header("retry-after").as_deref(), Some("1"));
            assert_eq!(get(&c, u).await.status, 200);
            retried += 1;
        }
    }
    assert_eq!(retried, 1);

    let list = seed(&p, "/xxgk/gknb/list.html");
    let p1 = get(&c, list.as_str()).await.text();
    assert!(p1.contains("<a href=\"list.html?page=2\">下一页</a>"));
    let p3 = get(&c, list.join("list.html?page=3").unwrap().as_str())
        .await
        .text();
    assert!(!p3.contains("下一页"));
    let years = get(&c, seed(&p, "/gknb/index.html").as_str()).await.text();
    assert!(
        years.contains("<a href=\"2023/index.html\">2023年度</a>") && years.contains("年报汇总")
    );
    let y2023 = get(
        &c,
        seed(&p, "/gknb/index.html")
            .join("2023/index.html")
            .unwrap()
            .as_str(),
    )
    .await
    .text();
    assert!(y2023.contains("/gknb/2023/c_"));
    p.shutdown().await;
}
