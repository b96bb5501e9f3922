//! End to end: every report the mock portal publishes with known tables (generated reports in
//! every table style the mock renders: HTML tables, PDF attachments, pasted pipe text) must come
//! out of `crawl` + `export` with exactly those cells, its format, agency and year.

use std::collections::HashMap;

use crate::util::{assert_ok, portal, workdir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_tables_equal_the_published_ones() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let p = portal(30).await;
    let w = workdir(50.0, &p.extra_hosts(), "");
    assert_ok(&w.crawl(&p.seeds(), &[]).await);
    let exported = w.export();
    let by_url: HashMap<String, &serde_json::Value> = exported
        .iter()
        .flat_map(|r| {
            r["urls"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u.as_str())
                .map(move |u| (u.to_string(), r))
        })
        .collect();
    let mut checked = 0;
    let mut problems = Vec::new();
    for want in p.expected().reports {
        let Some(tables) = &want.tables else { continue };
        let Some(got) = want.urls.iter().find_map(|u| by_url.get(u.as_str())) else {
            problems.push(format!("{}: not exported", want.title));
            continue;
        };
        checked += 1;
        if got["format"] != want.format.as_str() {
            problems.push(format!(
                "{}: format {} != {}",
                want.title,
                got["format"],
                want.format.as_str()
            ));
        }
        if got["agency"] != want.agency.as_str() || got["year"] != want.year {
            problems.push(format!(
                "{}: agency/year {} {} != {} {}",
                want.title, got["agency"], got["year"], want.agency, want.year
            ));
        }
        let want_json = tables.to_json();
        for name in ["active", "requests", "appeals"] {
            if got["tables"][name] != want_json[name] {
                problems.push(format!(
                    "{} ({}): {name} differs\n  got  {}\n  want {}",
                    want.title, want.urls[0], got["tables"][name], want_json[name]
                ));
            }
        }
    }
    assert!(
        checked > 0,
        "the portal published no report with known tables"
    );
    assert!(
        problems.is_empty(),
        "{checked} reports checked:\n{}",
        problems.join("\n")
    );
}
