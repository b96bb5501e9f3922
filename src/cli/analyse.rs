//! `nianbao analyse`: extract, parse and check the pages a `crawl --fetch-only` archived (no
//! network), storing their reports as a crawl that analyses as it fetches would have.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{load_config, runtime, Failure};
use crate::archive::lock::ArchiveLock;
use crate::archive::writer::Writer;
use crate::archive::Archive;
use crate::config::Overrides;
use crate::crawl::backlog;

/// `analyse` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, _args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let _lock = ArchiveLock::acquire(&config.db_path)?;
    let archive = Archive::open(&config.db_path)?;
    let regions = Arc::new(crate::crawl::seed_regions(&archive.seeds()?));
    // Reports an interrupted crawl or analysis left unindexed are indexed with this pass's.
    archive.defer_search_index(true)?;
    let writer = Writer::spawn(archive);
    let handle = writer.handle();
    let stopping = Arc::new(AtomicBool::new(false));
    let rt = runtime()?;
    let summary = rt.block_on(async {
        let stop = stopping.clone();
        let signal = tokio::spawn(async move {
            super::crawl::shutdown_signal().await;
            eprintln!(
                "nianbao: stopping after the pages in progress (run `nianbao analyse` again to go on)"
            );
            stop.store(true, Ordering::Relaxed);
        });
        let summary = backlog::run(&handle, regions, &stopping).await;
        signal.abort();
        let summary = summary?;
        handle
            .call(|a| {
                a.flush_search_index()?;
                a.defer_search_index(false)
            })
            .await?;
        Ok::<_, Failure>(summary)
    })?;
    drop(handle);
    writer.close();
    eprintln!("nianbao: {summary}");
    eprintln!("nianbao: archive {}", config.db_path.display());
    Ok(())
}
