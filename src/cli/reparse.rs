//! `nianbao reparse`: run the current analysis over every archived document's stored bytes
//! (no network) and report what changed — the step after a parser upgrade.
//!
//! Each document is analysed exactly as the crawl analysed it ([`crate::analyse::document`],
//! with the page's stored `Content-Type`, so a GBK page decodes as it did when fetched, and the
//! request's link text and role), in the order the pages were fetched, and the archive is
//! brought to what a crawl with the current analysis would have stored:
//! - a report's main document is parsed again (cells, checks, warnings, title, agency, year);
//! - a document that is no longer a report leaves its report (which goes when it has no URL
//!   left): announcement pages, notices, redirects, error pages stored as reports before;
//! - what pages say about reports is recorded again (an announcement's files and their
//!   metadata, a correction's report), and every report takes its announcing pages' URLs and
//!   the metadata it lacks;
//! - a document no report held that now is one is stored as a crawl would store it.
//!
//! Reports keep their ids. The summary counts records removed as non-reports, records merged
//! into others (announcement pages whose URL moved to their files' reports), and records whose
//! metadata, URLs or cells changed (comparing the archive before and after).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{load_config, Failure};
use crate::analyse::Analysis;
use crate::archive::lock::ArchiveLock;
use crate::archive::reparse::{Snapshot, StoredDocument};
use crate::archive::Archive;
use crate::config::Overrides;
use crate::crawl::backlog::analyse_stored;

/// `reparse` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only reports whose id starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub only: Option<String>,
}

/// What a reparse changed.
#[derive(Debug, Default)]
struct Changes {
    documents: usize,
    unreadable: usize,
    /// Records that went because their document is no report.
    removed: usize,
    /// Records that went because their document announces another report's file.
    merged: usize,
    /// Records a document no report held became.
    added: usize,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let _lock = ArchiveLock::acquire(&config.db_path)?;
    let a = Archive::open(&config.db_path)?;
    // Reports an interrupted crawl left unindexed are indexed now, and re-parsed ones at once.
    a.flush_search_index()?;
    a.defer_search_index(false)?;
    let before = a.snapshot()?;
    let documents = a.documents_to_reanalyse(args.only.as_deref())?;
    let mut changes = Changes::default();
    a.conn().execute_batch("BEGIN").map_err(Failure::fatal)?;
    for doc in &documents {
        let Some(page) = a.stored_page(doc.page_id)? else {
            changes.unreadable += 1;
            continue;
        };
        let Ok(analysis) = analyse_stored(&page) else {
            changes.unreadable += 1;
            continue;
        };
        changes.documents += 1;
        let urls = a.urls_of_bytes(&doc.sha256)?;
        reanalysed(&a, doc, &urls, &page.item.url, &analysis, &mut changes)?;
    }
    // Every report takes its announcing pages' URLs and the metadata it lacks.
    for id in a.record_ids()? {
        a.apply_page_links(&id)?;
    }
    a.conn().execute_batch("COMMIT").map_err(Failure::fatal)?;
    let after = a.snapshot()?;
    let (metadata, urls, cells) = compare(&before, &after);
    let kept: BTreeSet<&String> = metadata
        .iter()
        .chain(&urls)
        .chain(&cells)
        .copied()
        .collect();
    eprintln!(
        "nianbao: re-analysed {} documents: {} records changed — {} removed as non-reports, \
         {} merged into the reports they announce, {} new, {} with changed metadata \
         (title, agency, year, format, status or date), {} with changed URLs, {} with changed \
         cells; {} without stored bytes",
        changes.documents,
        changes.removed + changes.merged + changes.added + kept.len(),
        changes.removed,
        changes.merged,
        changes.added,
        metadata.len(),
        urls.len(),
        cells.len(),
        changes.unreadable
    );
    Ok(())
}

/// Bring the archive in line with the new analysis of one document.
fn reanalysed(
    a: &Archive,
    doc: &StoredDocument,
    urls: &[String],
    request_url: &str,
    analysis: &Analysis,
    changes: &mut Changes,
) -> Result<(), Failure> {
    match (&doc.report_id, analysis.verdict.is_report()) {
        (Some(id), true) => {
            if !doc.main && analysis.role == crate::model::DocumentRole::Detail {
                // Another page of an article split over pages adds its tables again.
                if urls
                    .iter()
                    .any(|u| a.article_report(u).ok().flatten().as_ref() == Some(id))
                {
                    a.merge_part(id, analysis)?;
                }
                return Ok(());
            }
            if analysis.unread.is_some() || !doc.main {
                // Still unreadable, or another document of the report: nothing new to store.
                return Ok(());
            }
            let status = analysis.verdict.status();
            a.save_parse(id, &status, &analysis.parsed, &analysis.checks)?;
            a.save_identity(id, &analysis.identity)?;
            if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
                a.update_cross_year(id, agency, year)?;
            }
        }
        (Some(id), false) => {
            let reason = analysis.verdict.reason().unwrap_or("not a report");
            let report_urls = a.report_urls(id)?;
            let mut deleted = false;
            for url in urls.iter().filter(|u| report_urls.contains(u)) {
                deleted |= a.unlink_url(id, url, reason)?;
            }
            if !deleted {
                a.set_document_not_report(doc.id)?;
            }
            for url in urls {
                a.record_page_notes(url, analysis)?;
            }
            if deleted && analysis.verdict.is_announcement() {
                changes.merged += 1;
            } else if deleted {
                changes.removed += 1;
            }
        }
        (None, true) => {
            let stored = a.store_document(doc.page_id, &doc.sha256, request_url, None, analysis)?;
            if stored == crate::archive::ingest::Stored::NewReport {
                changes.added += 1;
            }
        }
        (None, false) => {
            for url in urls {
                a.record_page_notes(url, analysis)?;
            }
        }
    }
    Ok(())
}

/// The reports present before and after whose identifying fields, URLs and cells changed.
fn compare<'a>(
    before: &'a BTreeMap<String, Snapshot>,
    after: &BTreeMap<String, Snapshot>,
) -> (
    BTreeSet<&'a String>,
    BTreeSet<&'a String>,
    BTreeSet<&'a String>,
) {
    let mut metadata = BTreeSet::new();
    let mut urls = BTreeSet::new();
    let mut cells = BTreeSet::new();
    for (id, b) in before {
        if let Some(x) = after.get(id) {
            if x.fields != b.fields {
                metadata.insert(id);
            }
            if x.urls != b.urls {
                urls.insert(id);
            }
            if x.cells != b.cells {
                cells.insert(id);
            }
        }
    }
    (metadata, urls, cells)
}
