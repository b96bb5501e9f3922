//! Analysis of the pages a fetch-only crawl archived (`crawl --fetch-only`): read them back
//! from the archive's analysis queue ([`crate::archive::analysis`]), extract, parse and check
//! them on the processing threads, and store what they hold exactly as a crawl that analyses as
//! it fetches would have ([`crate::analyse::document`], [`crate::archive::Archive::store_document`]).
//!
//! Runs as `nianbao analyse` and at the start of every crawl that is not fetch-only. Each page
//! leaves the queue in the transaction that stores its analysis, so an interrupted analysis
//! resumes where it stopped.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::document::{self, Fetched};
use super::Stats;
use crate::analyse::Analysis;
use crate::archive::analysis::PendingPage;
use crate::archive::ingest::Stored;
use crate::archive::writer::WriterHandle;
use crate::archive::Result;

/// Pages read from the queue at a time (their compressed bytes are held until analysed).
const BATCH: usize = 64;

/// What one analysis pass did.
#[derive(Debug, Clone, Default)]
pub struct AnalyseSummary {
    /// Pages analysed.
    pub pages: u64,
    /// New reports stored.
    pub reports_new: u64,
    /// Reports already in the archive (another URL or copy of one).
    pub reports_seen: u64,
    /// Pages that are no report.
    pub not_reports: u64,
    /// Pages whose stored bytes could not be read back (left out, with a warning).
    pub unreadable: u64,
    /// Pages still queued (the pass was stopped).
    pub left: i64,
    /// Wall time.
    pub elapsed: Duration,
}

impl std::fmt::Display for AnalyseSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "analysed {} pages in {:.1}s: reports {} new + {} known, {} not reports",
            self.pages,
            self.elapsed.as_secs_f64(),
            self.reports_new,
            self.reports_seen,
            self.not_reports
        )?;
        if self.unreadable > 0 {
            write!(f, ", {} unreadable", self.unreadable)?;
        }
        if self.left > 0 {
            write!(f, "; {} still queued", self.left)?;
        }
        Ok(())
    }
}

/// Analyse every page in the queue, one per core at a time, until the queue is empty or
/// `stopping` is set (pages in progress finish). `regions` maps a host to its seed's region.
/// Search indexing of the new reports is left to the caller's
/// [`crate::archive::Archive::flush_search_index`].
pub async fn run(
    writer: &WriterHandle,
    regions: Arc<HashMap<String, String>>,
    stopping: &AtomicBool,
) -> Result<AnalyseSummary> {
    let started = Instant::now();
    let cpu = Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    ));
    let stats = Arc::new(Stats::default());
    let not_reports = Arc::new(AtomicU64::new(0));
    let unreadable = Arc::new(AtomicU64::new(0));
    let mut pages = 0u64;
    let mut tasks = JoinSet::new();
    // Requests with a page in progress: a second version of the same page waits until the
    // first is stored, so versions are linked in the order they were fetched.
    let mut in_progress: HashSet<i64> = HashSet::new();
    let mut after = 0;
    'queue: loop {
        let batch = writer
            .call(move |a| a.pending_analysis(after, BATCH))
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.page_id;
        for page in batch {
            if stopping.load(Ordering::Relaxed) {
                break 'queue;
            }
            while let Some(done) = tasks.try_join_next() {
                if let Some(request) = finished(done) {
                    in_progress.remove(&request);
                }
            }
            if in_progress.contains(&page.item.id) {
                while let Some(done) = tasks.join_next().await {
                    finished(done);
                }
                in_progress.clear();
            }
            in_progress.insert(page.item.id);
            let Ok(permit) = cpu.clone().acquire_owned().await else {
                break 'queue;
            };
            pages += 1;
            let (writer, regions, stats) = (writer.clone(), regions.clone(), stats.clone());
            let (not_reports, unreadable) = (not_reports.clone(), unreadable.clone());
            tasks.spawn_blocking(move || {
                let _permit = permit;
                let request = page.item.id;
                if let Err(why) = analyse_one(&writer, &regions, stats, not_reports, page) {
                    tracing::warn!("{why}");
                    unreadable.fetch_add(1, Ordering::Relaxed);
                }
                request
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        finished(done);
    }
    let left = writer.call(|a| a.analysis_backlog()).await?;
    Ok(AnalyseSummary {
        pages,
        reports_new: stats.reports_new.load(Ordering::Relaxed),
        reports_seen: stats.reports_seen.load(Ordering::Relaxed),
        not_reports: not_reports.load(Ordering::Relaxed),
        unreadable: unreadable.load(Ordering::Relaxed),
        left,
        elapsed: started.elapsed(),
    })
}

/// The request of a finished analysis task; a task that panicked is logged (its page stays
/// queued for the next pass) and gives none.
fn finished(done: std::result::Result<i64, tokio::task::JoinError>) -> Option<i64> {
    done.map_err(|e| tracing::error!("analysis task failed, its page stays queued: {e}"))
        .ok()
}

/// Analyse one queued page and send its storage to the writer. An `Err` is a page whose bytes
/// cannot be read back; it is taken off the queue (its page row stays, for inspection).
fn analyse_one(
    writer: &WriterHandle,
    regions: &HashMap<String, String>,
    stats: Arc<Stats>,
    not_reports: Arc<AtomicU64>,
    page: PendingPage,
) -> std::result::Result<(), String> {
    let mut analysis = match analyse_stored(&page) {
        Ok(analysis) => analysis,
        Err(why) => return Err(drop_page(writer, &page, &why)),
    };
    // The fetch-only crawl queued the page's attachments when it fetched it.
    analysis.attachments.clear();
    let region = regions.get(&page.item.host).cloned();
    let _ = writer.send_tallied(move |a, t| {
        let (url, sha) = (&page.item.url, &page.sha256);
        let stored = a.store_document(page.page_id, sha, url, region.as_deref(), &analysis)?;
        document::count_stored(a, &stats, t, stored)?;
        if stored == Stored::NotReport {
            not_reports.fetch_add(1, Ordering::Relaxed);
        }
        let (state, note) = document::finished_state(&analysis, stored);
        let (encoding, text) = analysis.page_text();
        a.finish_analysis(&page, encoding, text, state, note)
    });
    Ok(())
}

/// Analyse an archived page as the crawl analysed it when it was fetched; an `Err` says why its
/// stored bytes or URL cannot be read back.
pub fn analyse_stored(page: &PendingPage) -> std::result::Result<Analysis, String> {
    let raw = zstd::decode_all(&page.raw_zstd[..]).map_err(|e| format!("stored bytes: {e}"))?;
    let final_url = url::Url::parse(&page.final_url).map_err(|e| format!("stored URL: {e}"))?;
    Ok(Fetched {
        item: &page.item,
        final_url: &final_url,
        body: &raw,
        content_type: page.content_type.as_deref(),
        content_disposition: page.content_disposition.as_deref(),
    }
    .analyse())
}

/// Take an unreadable page off the queue; the message for the log.
fn drop_page(writer: &WriterHandle, page: &PendingPage, why: &str) -> String {
    let id = page.page_id;
    let _ = writer.send(move |a| a.drop_from_analysis(id));
    format!("{} (page {id}): not analysed: {why}", page.item.url)
}
