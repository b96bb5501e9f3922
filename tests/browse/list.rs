//! `/reports`: filters, facets with counts, sort orders, pages, and full-text search in
//! Chinese (FTS5 trigram for terms of 3+ characters, LIKE for shorter ones).

use super::fixture::AGENCY;
use super::{get, ids, setup};

#[tokio::test]
async fn list_filters_facets_sort_and_pages() {
    let (b, s) = setup();
    let all = get(&s, "/reports.json").await.json();
    assert_eq!(all["total"], 4);
    assert_eq!(all["per_page"], 50);
    assert_eq!(ids(&all)[0], b.b2024, "newest year first");
    let facet = |v: &serde_json::Value, name: &str| -> Vec<(String, i64)> {
        let f = v["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap();
        f["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["value"].as_str().unwrap_or("∅").to_string(),
                    x["count"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        facet(&all, "year"),
        [
            ("2024".into(), 1),
            ("2023".into(), 1),
            ("2014".into(), 1),
            ("∅".into(), 1)
        ]
    );
    assert!(facet(&all, "status").contains(&("fail".into(), 1)));
    assert!(facet(&all, "source").contains(&("pdf".into(), 1)));
    assert!(facet(&all, "region").contains(&("宁夏回族自治区".into(), 3)));
    assert!(facet(&all, "format").contains(&("none".into(), 1)));

    for (q, want) in [
        ("status=fail", vec![b.b2024.clone()]),
        ("status=pass", vec![b.a2023.clone()]),
        ("status=legacy", vec![b.legacy.clone()]),
        ("status=unparsed", vec![b.unparsed.clone()]),
        ("year=2023", vec![b.a2023.clone()]),
        ("format=legacy", vec![b.legacy.clone()]),
        ("format=none", vec![b.unparsed.clone()]),
        ("source=docx", vec![b.unparsed.clone()]),
        (
            "sort=-received&format=2021",
            vec![b.b2024.clone(), b.a2023.clone()],
        ),
        (
            "sort=received&format=2021",
            vec![b.a2023.clone(), b.b2024.clone()],
        ),
        (
            "sort=-refused&format=2021",
            vec![b.a2023.clone(), b.b2024.clone()],
        ),
        (
            "sort=-failing&format=2021",
            vec![b.b2024.clone(), b.a2023.clone()],
        ),
    ] {
        assert_eq!(
            ids(&get(&s, &format!("/reports.json?{q}")).await.json()),
            want,
            "{q}"
        );
    }
    let by_agency = get(&s, &format!("/reports.json?agency={AGENCY}&sort=year"))
        .await
        .json();
    assert_eq!(ids(&by_agency), [b.a2023.clone(), b.b2024.clone()]);
    let year_facet = facet(&get(&s, "/reports.json?year=2023").await.json(), "year");
    assert_eq!(year_facet.len(), 4, "a facet ignores its own filter");
    let page2 = get(&s, "/reports.json?page=2").await.json();
    assert_eq!(page2["total"], 4);
    assert!(ids(&page2).is_empty());
    let junk = get(
        &s,
        "/reports.json?year=abc&status=maybe&sort=%27;drop&page=-1",
    )
    .await
    .json();
    assert_eq!(junk["total"], 4, "bad values are ignored");
    let html = get(&s, "/reports?status=fail").await.text();
    assert!(html.contains("some checks fail"));
    assert!(html.contains("1 reports"));
}

#[tokio::test]
async fn full_text_search_in_chinese() {
    let (b, s) = setup();
    let fts = get(&s, "/reports.json?q=依申请公开").await.json();
    assert_eq!(fts["search_mode"], "fts");
    let mut found = ids(&fts);
    found.sort();
    let mut want = vec![b.a2023.clone(), b.b2024.clone(), b.legacy.clone()];
    want.sort();
    assert_eq!(found, want);
    let short = get(&s, "/reports.json?q=复议").await.json();
    assert_eq!(short["search_mode"], "like");
    assert_eq!(ids(&short), std::slice::from_ref(&b.a2023));
    let mixed = get(&s, "/reports.json?q=依申请公开 收费").await.json();
    assert_eq!(mixed["search_mode"], "mixed");
    assert_eq!(ids(&mixed), std::slice::from_ref(&b.legacy));
    let none = get(&s, "/reports.json?q=不存在的词语").await.json();
    assert_eq!(none["total"], 0);
    let syntax = get(&s, "/reports.json?q=\"AND OR NEAR(*").await.json();
    assert_eq!(
        syntax["total"], 0,
        "FTS syntax in the query is taken literally"
    );
    let in_title = get(&s, "/reports.json?q=红寺堡区").await.json();
    assert_eq!(ids(&in_title), std::slice::from_ref(&b.legacy));
    let snippet = fts["reports"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("依申请公开"), "{snippet}");
}
