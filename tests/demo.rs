//! The mock portal itself, over real HTTP (reqwest): each family's pages have the real shapes,
//! GBK bytes decode right, conditional requests get 304, robots.txt variants, the Hanweb proxy
//! needs a Referer and returns the look-ahead record, challenges and 503s, faults, determinism,
//! and `publish_new_reports`. Each test starts its own portal on its own 127.0.0.x block.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use nianbao::demo::{Layout, Portal, PortalOptions};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use url::Url;

/// A reqwest builder (the crate's rustls has no default crypto provider: install ring's).
fn builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

fn client() -> reqwest::Client {
    builder()
        .no_proxy()
        .no_gzip()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .user_agent("nianbao-demo-test/1")
        .build()
        .expect("client")
}

async fn portal(first_ip: u8) -> Portal {
    Portal::start(PortalOptions {
        first_ip,
        ..Default::default()
    })
    .await
    .expect("start portal")
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

async fn get(c: &reqwest::Client, url: &str) -> Got {
    let r = c
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.bytes().await.expect("body").to_vec();
    Got {
        status,
        headers,
        body,
    }
}

fn seed(p: &Portal, path_part: &str) -> Url {
    p.seeds()
        .into_iter()
        .find(|u| u.as_str().contains(path_part))
        .unwrap_or_else(|| panic!("no seed with {path_part}"))
}

fn hrefs(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"href="([^"]+)""#).expect("regex");
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

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
async fn static_pages_answer_conditional_requests_with_304() {
    let p = portal(141).await;
    let c = client();
    let index = seed(&p, "/zfxxgk/zfxxgknb/index.html");
    let first = get(&c, index.as_str()).await;
    let etag = first.header("etag").expect("etag");
    let lm = first.header("last-modified").expect("last-modified");
    let r = c
        .get(index.as_str())
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(
        r.headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string()),
        Some(etag.clone())
    );
    assert!(r.bytes().await.unwrap().is_empty());
    let r = c
        .get(index.as_str())
        .header("If-Modified-Since", &lm)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let r = c
        .get(index.as_str())
        .header("If-None-Match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let log = p.requests();
    assert_eq!(log.iter().filter(|e| e.status == 304).count(), 2);
    assert!(log
        .iter()
        .any(|e| e.if_none_match.as_deref() == Some(etag.as_str())));
    assert!(log
        .iter()
        .any(|e| e.if_modified_since.as_deref() == Some(lm.as_str())));
    assert!(log
        .iter()
        .all(|e| e.user_agent.as_deref() == Some("nianbao-demo-test/1")));
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
async fn robots_variants() {
    let p = portal(161).await;
    let c = client();
    let hosts = p.hosts();
    let robots = |i: usize| format!("http://{}/robots.txt", hosts[i]);
    let trs = get(&c, &robots(0)).await;
    assert!(trs.text().contains("Disallow: /zfxxgk/zfxxgknb/bak/"));
    assert_eq!(
        get(&c, &robots(1)).await.status,
        404,
        "Hanweb host has no robots.txt"
    );
    let gbk = get(&c, &robots(2)).await;
    assert!(encoding_rs::GB18030
        .decode(&gbk.body)
        .0
        .contains("# 旧城区人民政府门户网站"));
    let files = get(&c, &robots(5)).await;
    assert!(files.text().contains("Crawl-delay: 1"));
    assert_eq!(p.extra_hosts(), vec![hosts[5].clone()]);
    // The disallowed URL is linked from a listing and really holds a report.
    let forbidden = p.expected().forbidden;
    let bak = forbidden
        .iter()
        .find(|u| u.path().contains("/bak/"))
        .expect("disallowed link");
    let listing = get(&c, seed(&p, "/zfxxgk/zfxxgknb/index.html").as_str())
        .await
        .text();
    let listing2 = get(
        &c,
        seed(&p, "/zfxxgk/zfxxgknb/index.html")
            .join("index_1.html")
            .unwrap()
            .as_str(),
    )
    .await
    .text();
    assert!((listing + &listing2).contains("./bak/"));
    assert!(forbidden
        .iter()
        .any(|u| u.host_str() == Some("www.example.com")));
    let mirror_host = hosts[6].clone();
    assert!(
        forbidden.iter().any(|u| u.as_str().contains(&mirror_host)),
        "off-scope running host"
    );
    assert_eq!(get(&c, bak.as_str()).await.status, 200);
    assert_eq!(
        p.requests()
            .iter()
            .filter(|r| r.path_and_query == "/robots.txt")
            .count(),
        4
    );
    p.shutdown().await;
}

fn form_post(
    c: &reqwest::Client,
    url: &str,
    referer: Option<&str>,
    form: &str,
) -> reqwest::RequestBuilder {
    let mut rb = c
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_string());
    if let Some(r) = referer {
        rb = rb.header("Referer", r);
    }
    rb
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

#[tokio::test]
async fn challenges_traps_and_missing_pages() {
    let p = portal(191).await;
    let c = client();
    let e = p.expected();
    let mut statuses = Vec::new();
    for u in &e.blocked {
        let r = get(&c, u.as_str()).await;
        statuses.push(r.status.as_u16());
        match r.status.as_u16() {
            412 => assert!(r.text().contains("$_ts=window['$_ts']")),
            521 => assert!(
                r.text().contains("__jsl_clearance") || r.text().contains("('_')+('_')+('j')")
            ),
            302 => {
                let loc = r.header("location").unwrap();
                assert!(loc.contains("wzwschallenge"));
                assert!(get(&c, u.join(&loc).unwrap().as_str())
                    .await
                    .text()
                    .contains("wzwstemplate"));
            }
            s => panic!("unexpected {s} for {u}"),
        }
    }
    statuses.sort();
    assert_eq!(statuses, vec![302, 412, 521]);
    assert_eq!(get(&c, e.missing[0].as_str()).await.status, 404);
    // Traps: a gzip bomb (small on the wire), an endless body, a redirect loop.
    let bomb = e
        .traps
        .iter()
        .find(|u| u.path() == "/trap/gzip-bomb")
        .unwrap();
    let r = get(&c, bomb.as_str()).await;
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    assert!(r.body.len() < 1_000_000);
    let endless = e
        .traps
        .iter()
        .find(|u| u.path() == "/trap/endless")
        .unwrap();
    let mut resp = c.get(endless.as_str()).send().await.unwrap();
    let mut read = 0;
    while read < 2_000_000 {
        match resp.chunk().await.unwrap() {
            Some(b) => read += b.len(),
            None => panic!("the endless body ended after {read} bytes"),
        }
    }
    drop(resp);
    let lp = e.traps.iter().find(|u| u.path() == "/trap/loop").unwrap();
    let first = get(&c, lp.as_str()).await;
    let second = get(
        &c,
        lp.join(&first.header("location").unwrap())
            .unwrap()
            .as_str(),
    )
    .await;
    assert_eq!(second.header("location").as_deref(), Some("/trap/loop"));
    p.shutdown().await;
}

/// Replace every `127.0.0.x:PORT` of `hosts` by `H{i}`.
fn normalise(bytes: &[u8], hosts: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (i, h) in hosts.iter().enumerate() {
        let needle = h.as_bytes();
        let mut next = Vec::with_capacity(out.len());
        let mut k = 0;
        while k < out.len() {
            if out[k..].starts_with(needle) {
                next.extend_from_slice(format!("H{i}").as_bytes());
                k += needle.len();
            } else {
                next.push(out[k]);
                k += 1;
            }
        }
        out = next;
    }
    out
}

#[tokio::test]
async fn same_options_serve_the_same_bytes() {
    let a = portal(201).await;
    let b = portal(211).await;
    let c = client();
    let paths = |p: &Portal| -> Vec<String> {
        let e = p.expected();
        let mut v: Vec<Url> = p.seeds();
        v.extend(e.reports.iter().flat_map(|r| r.urls.clone()));
        v.extend(e.non_reports);
        v.iter()
            .map(|u| {
                format!(
                    "{}{}",
                    u.path(),
                    u.query().map(|q| format!("?{q}")).unwrap_or_default()
                )
            })
            .collect()
    };
    let (pa, pb) = (paths(&a), paths(&b));
    assert_eq!(pa, pb);
    let ea = a.expected();
    let eb = b.expected();
    assert_eq!(ea.reports.len(), eb.reports.len());
    let host_index = |p: &Portal, u: &Url| {
        p.hosts()
            .iter()
            .position(|h| u.as_str().contains(h.as_str()))
            .unwrap()
    };
    let mut urls_a: Vec<Url> = a.seeds();
    urls_a.extend(ea.reports.iter().flat_map(|r| r.urls.clone()));
    urls_a.extend(ea.non_reports.clone());
    let mut compared = 0;
    for ua in &urls_a {
        let i = host_index(&a, ua);
        let ub = Url::parse(&ua.as_str().replace(&a.hosts()[i], &b.hosts()[i])).unwrap();
        let ga = get(&c, ua.as_str()).await;
        let gb = get(&c, ub.as_str()).await;
        assert_eq!(ga.status, gb.status, "{ua}");
        assert!(
            normalise(&ga.body, &a.hosts()) == normalise(&gb.body, &b.hosts()),
            "bytes differ at {ua}"
        );
        compared += 1;
    }
    assert!(compared > 60, "{compared}");
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn publishing_changes_listings_validators_and_ground_truth() {
    let p = portal(221).await;
    let c = client();
    let trs = seed(&p, "/zfxxgk/zfxxgknb/index.html");
    let hanweb = seed(&p, "/col/col12377/index.html");
    let gbk = seed(&p, "/xxgk/zfxxgknb/index.htm");
    let before: BTreeMap<&str, Got> = BTreeMap::from([
        ("trs", get(&c, trs.as_str()).await),
        ("hanweb", get(&c, hanweb.as_str()).await),
        ("gbk", get(&c, gbk.as_str()).await),
    ]);
    let n = p.expected().reports.len();
    p.publish_new_reports(3);
    let e = p.expected();
    assert_eq!(e.reports.len(), n + 3);
    for (name, url, title) in [
        ("trs", &trs, "云溪县民政局2024年政府信息公开工作年度报告"),
        (
            "hanweb",
            &hanweb,
            "临江市民政局2024年政府信息公开工作年度报告",
        ),
    ] {
        let old = &before[name];
        let r = c
            .get(url.as_str())
            .header("If-None-Match", old.header("etag").unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name} changed");
        let new_etag = r
            .headers()
            .get("etag")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_ne!(Some(new_etag), old.header("etag"));
        let html = r.text().await.unwrap();
        let new_at = html
            .find(title)
            .unwrap_or_else(|| panic!("{name}: {title} listed"));
        assert!(
            new_at < html.find("2023年").unwrap(),
            "{name}: new report on top"
        );
        assert!(e.reports.iter().any(|r| r.title == title));
    }
    let generic = get(&c, seed(&p, "/xxgk/gknb/list.html").as_str())
        .await
        .text();
    assert!(
        generic.find("北塘区民政局2024年").unwrap()
            < generic.find("西夏区人民政府办公室2024年").unwrap()
    );
    // An untouched column still answers 304.
    let r = c
        .get(gbk.as_str())
        .header("If-None-Match", before["gbk"].header("etag").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // New reports are served.
    for r in e
        .reports
        .iter()
        .filter(|r| r.year == 2024 && r.title.contains("2024年"))
    {
        assert_eq!(get(&c, r.urls[0].as_str()).await.status, 200, "{}", r.title);
    }
    p.shutdown().await;
}

#[tokio::test]
async fn faults_are_deterministic_and_retries_get_through() {
    let opts = PortalOptions {
        first_ip: 231,
        fault_rate: 1.0,
        ..Default::default()
    };
    let p = Portal::start(opts).await.unwrap();
    let c = builder()
        .no_proxy()
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let url = seed(&p, "/zfxxgk/zfxxgknb/index.html");
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        outcomes.push(match c.get(url.as_str()).send().await {
            Ok(resp) if resp.status() == 500 => "500".to_string(),
            Ok(resp) if resp.status() == 200 => match resp.bytes().await {
                Ok(b) if b.len() > 1000 => "ok".to_string(),
                Ok(_) => "short".to_string(),
                Err(_) => "truncated".to_string(),
            },
            Ok(resp) => format!("{}", resp.status()),
            Err(e) if e.is_timeout() => "stall".to_string(),
            Err(_) => "reset".to_string(),
        });
    }
    assert!(outcomes[..3].iter().all(|o| o != "ok"), "{outcomes:?}");
    assert_eq!(outcomes[3], "ok", "{outcomes:?}");
    // robots.txt is never faulted.
    let robots = c
        .get(url.join("/robots.txt").unwrap().as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(robots.status(), 200);
    p.shutdown().await;
}

#[tokio::test]
async fn synthetic_layout_serves_every_host() {
    let opts = PortalOptions {
        first_ip: 241,
        layout: Layout::Synthetic {
            hosts: 4,
            reports_per_host: 50,
        },
        ..Default::default()
    };
    let p = Portal::start(opts).await.unwrap();
    let c = client();
    assert_eq!(p.seeds().len(), 4);
    assert!(p.extra_hosts().is_empty());
    let e = p.expected();
    assert_eq!(e.reports.len(), 200);
    for s in p.seeds() {
        let r = get(&c, s.as_str()).await;
        assert_eq!(r.status, 200, "{s}");
        assert!(r.header("etag").is_some(), "{s}");
    }
    for r in e.reports.iter().step_by(37) {
        let d = get(&c, r.urls[0].as_str()).await;
        assert_eq!(d.status, 200);
        assert!(d.text().contains(&r.text_marker));
        assert!(d.body.len() < 20_000);
    }
    let robots = get(&c, &format!("http://{}/robots.txt", p.hosts()[3])).await;
    assert!(robots.text().contains("Disallow:\n"));
    p.shutdown().await;
}
