//! `nianbao reparse`: run the current analysis over every archived report's stored bytes (no
//! network) and report what changed — the step after a parser upgrade.
//!
//! Each report's main document is analysed exactly as the crawl analysed it
//! ([`crate::analyse::document`], with the page's stored `Content-Type`, so a GBK page decodes
//! as it did when fetched, and the request's link text and role).

use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::lock::ArchiveLock;
use crate::archive::Archive;
use crate::config::Overrides;
use crate::crawl::backlog::analyse_stored;
use crate::model::Format;

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
    done: usize,
    reports: usize,
    cells: usize,
    formats: usize,
    unreadable: usize,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let _lock = ArchiveLock::acquire(&config.db_path)?;
    let a = Archive::open(&config.db_path)?;
    // Reports an interrupted crawl left unindexed are indexed now, and re-parsed ones at once.
    a.flush_search_index()?;
    a.defer_search_index(false)?;
    let reports = a.reports_to_reparse(args.only.as_deref())?;
    let mut changes = Changes::default();
    a.conn().execute_batch("BEGIN").map_err(Failure::fatal)?;
    for (id, old_format, page_id) in &reports {
        let Some(Ok(analysis)) = a.stored_page(*page_id)?.as_ref().map(analyse_stored) else {
            changes.unreadable += 1;
            continue;
        };
        if analysis.unread.is_some() {
            // Still unreadable: nothing new to store.
            continue;
        }
        let status = analysis.verdict.status();
        let n = a.save_parse(id, &status, &analysis.parsed, &analysis.checks)?;
        if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
            a.update_cross_year(id, agency, year)?;
        }
        if n > 0 {
            changes.reports += 1;
            changes.cells += n;
        }
        if analysis.parsed.format.map(Format::as_str) != old_format.as_deref() {
            changes.formats += 1;
        }
        changes.done += 1;
    }
    a.conn().execute_batch("COMMIT").map_err(Failure::fatal)?;
    eprintln!(
        "nianbao: re-parsed {} reports: {} with changed cells ({} cells), \
         {} with a changed format, {} without stored bytes",
        changes.done, changes.reports, changes.cells, changes.formats, changes.unreadable
    );
    Ok(())
}
