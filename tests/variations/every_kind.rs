//! A fixed portal with every item kind on every CMS family, in several wordings and
//! truncations: the export holds exactly the planted reports, read right.

use mock_portal::Variations;

use super::{crawl, start, tally};
use crate::util::count;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_on_every_family_exports_exactly_the_planted_reports() {
    let p = start(Variations::every_kind(), 200).await;
    let w = crawl(&p).await;
    let e = p.expected();
    let records = w.export();
    let t = tally(&e, &records);
    eprintln!("every_kind: {}", t.line());
    assert!(t.exact(), "{}\n{}", t.line(), t.problems.join("\n"));
    assert!(e.reports.len() >= 30 && !e.corrections.is_empty());

    // Files announced by a page take the page's date and URL; where it came from is said.
    let announced: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["provenance"]["published"] == "announcement")
        .collect();
    assert!(announced.len() >= 5 * 5, "{}", announced.len());
    for r in &announced {
        assert!(r["urls"].as_array().is_some_and(|u| u.len() >= 2), "{r}");
    }
    // Pages that are no report are archived as documents, not as reports.
    let a = w.archive();
    let not_reports = count(
        &a,
        "SELECT count(*) FROM documents WHERE status = 'not_report'",
    );
    assert!(
        not_reports as usize >= e.non_reports.len() / 2,
        "{not_reports}"
    );
    assert_eq!(
        count(&a, "SELECT count(*) FROM reports WHERE status = 'legacy'"),
        0,
        "no report of 2019 or later is legacy"
    );
    p.shutdown().await;
}

/// The same measure on the Standard portal (`nianbao demo`'s): its reports, notices,
/// companions, template, legacy report, GBK site and attachments.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standard_portal_exports_exactly_its_reports() {
    let p = crate::util::portal(225).await;
    let w = crate::util::workdir(50.0, &p.extra_hosts(), "");
    crate::util::assert_ok(&w.crawl(&p.seeds(), &[]).await);
    let t = tally(&p.expected(), &w.export());
    eprintln!("standard: {}", t.line());
    assert!(t.exact(), "{}\n{}", t.line(), t.problems.join("\n"));
    p.shutdown().await;
}
