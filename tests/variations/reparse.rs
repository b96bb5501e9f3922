//! `nianbao reparse` on an archive the old analysis made: announcement pages, notices and junk
//! pages stored as `legacy` reports of their own, files announced by a page without the page's
//! URL or date. Re-analysing the stored pages (no network) removes the non-reports, moves the
//! announcement pages' URLs and dates to their files' reports, says how many records changed
//! and how, and leaves the archive as a crawl with the current analysis leaves it.

use mock_portal::Variations;

use super::{crawl, start, tally};
use crate::util::{assert_ok, bin, by_id, count, export_diff};

/// Make the archive look as the old analysis left it.
fn regress(db: &std::path::Path) -> usize {
    let a = nianbao::archive::Archive::open(db).expect("open");
    let c = a.conn();
    // Every page that is no report became a `legacy` report of year 2023 at its URL.
    let pages: Vec<(i64, String, String)> = {
        let mut st = c
            .prepare("SELECT id, url, coalesce(text, '') FROM documents WHERE status = 'not_report' AND kind = 'html'")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    for (doc, url, text) in &pages {
        let id = format!("{:064x}", doc);
        c.execute(
            "INSERT INTO reports (id, title, agency, year, format, source, status, main_document_id, text, first_seen_at, last_seen_at)
             VALUES (?1, '某县2023年政府信息公开工作年度报告', '办公室编制了', 2023, 'legacy', 'html', 'legacy', ?2, ?3, 0, 0)",
            rusqlite::params![id, doc, text],
        )
        .unwrap();
        c.execute(
            "INSERT OR IGNORE INTO report_urls (report_id, url, kind, first_seen_at) VALUES (?1, ?2, 'detail', 0)",
            rusqlite::params![id, url],
        )
        .unwrap();
        c.execute(
            "UPDATE documents SET report_id = ?1, status = 'report' WHERE id = ?2",
            rusqlite::params![id, doc],
        )
        .unwrap();
    }
    // Announced files knew nothing of their pages.
    c.execute_batch(
        "DELETE FROM report_urls WHERE url IN (SELECT page_url FROM page_links)
           AND report_id NOT IN (SELECT report_id FROM documents WHERE report_id IS NOT NULL AND kind = 'html' AND url = report_urls.url);
         UPDATE reports SET published = NULL, identity = NULL
           WHERE main_document_id IN (SELECT id FROM documents WHERE kind <> 'html');
         DELETE FROM page_links; DELETE FROM notices;",
    )
    .unwrap();
    pages.len()
}

fn reparse(w: &crate::util::Workdir) -> String {
    let out = std::process::Command::new(bin())
        .args(w.base_args())
        .arg("reparse")
        .output()
        .expect("run reparse");
    assert_ok(&out);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The number before `what` in a summary line.
fn number_before(line: &str, what: &str) -> usize {
    let head = &line[..line.find(what).unwrap_or_else(|| panic!("{what}: {line}"))];
    head.split(|c: char| !c.is_ascii_digit())
        .rfind(|s| !s.is_empty())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{what}: {line}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reparse_removes_non_reports_and_moves_announcements_to_their_files() {
    let p = start(Variations::every_kind(), 210).await;
    let w = crawl(&p).await;
    let good = by_id(w.export());
    let junk = regress(&w.db);
    assert!(junk >= 20, "{junk}");
    let before = w.export();
    assert_eq!(before.len(), good.len() + junk);
    assert!(!tally(&p.expected(), &before).exact());

    let said = reparse(&w);
    let line = said
        .lines()
        .find(|l| l.contains("records changed"))
        .unwrap_or(&said);
    eprintln!("reparse: {line}");
    let removed = number_before(line, "removed as non-reports");
    let merged = number_before(line, "merged into the reports");
    assert_eq!(removed + merged, junk, "{line}");
    assert!(
        merged >= 5 * 3,
        "announcement pages of every family: {line}"
    );
    assert!(number_before(line, "with changed metadata") > 0, "{line}");
    let after = by_id(w.export());
    let diff = export_diff(&good, &after);
    assert!(
        diff.is_empty(),
        "reparse left the archive unlike a fresh crawl:\n{diff}"
    );
    assert!(tally(&p.expected(), &w.export()).exact());

    // Consistent: nothing left under the removed records, and a second reparse changes nothing.
    let a = w.archive();
    for table in ["report_urls", "cells", "checks", "warnings"] {
        assert_eq!(
            count(
                &a,
                &format!(
                    "SELECT count(*) FROM {table} WHERE report_id NOT IN (SELECT id FROM reports)"
                )
            ),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &a,
            "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '办公室编制了'"
        ),
        0,
        "search index"
    );
    drop(a);
    let again = reparse(&w);
    let line = again
        .lines()
        .find(|l| l.contains("records changed"))
        .unwrap_or(&again);
    assert_eq!(number_before(line, "records changed"), 0, "{line}");
    p.shutdown().await;
}
