//! Protocol behaviour: conditional requests, robots.txt variants, challenges and traps,
//! determinism, publishing, injected faults, the synthetic layout.

use std::collections::BTreeMap;
use std::time::Duration;

use mock_portal::{Layout, Portal, PortalOptions};
use url::Url;

use super::{builder, client, get, normalise, seed, Got};
use crate::util::portal;

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
    // A stall holds the response back 3 s, so a client that gives up sooner sees it as a
    // timeout. Only the first three attempts are faulted: the fourth is asked without a
    // timeout, so a slow machine cannot turn its "ok" into a "stall".
    let impatient = builder()
        .no_proxy()
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let c = builder().no_proxy().build().unwrap();
    let url = seed(&p, "/zfxxgk/zfxxgknb/index.html");
    let mut outcomes = Vec::new();
    for attempt in 0..4 {
        let client = if attempt < 3 { &impatient } else { &c };
        outcomes.push(match client.get(url.as_str()).send().await {
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
