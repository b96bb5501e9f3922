//! The crawl engine: a coordinator, one scheduling task per host, fetch tasks, and the single
//! archive writer.
//!
//! Data flow (Scrapy's architecture in miniature): the frontier in the archive is the
//! scheduler's queue. The [`run`] coordinator starts a [`host`] task for every host with queued
//! requests; a host task takes that host's due requests one by one, checks robots.txt, waits
//! for the host's pace ([`crate::fetch::politeness`]) and a global concurrency permit, and
//! spawns the fetch. Responses go to [`process`], which runs the pure stages (discover for
//! listings in [`listing`], [`crate::analyse`] for documents in [`document`]) and sends one
//! archive job per response, so each response is stored with the requests it discovered
//! atomically; with WARC output on, [`warc`] writes each exchange to the WARC files first.
//! [`robots`] reads a host's robots.txt before its first request, and [`budget`] stops a
//! seed's paging when its listing pages keep adding nothing (crawler traps).
//!
//! The run ends when no host has due requests and nothing is in flight; when the `shutdown`
//! future completes (Ctrl-C) or `--max-pages` is reached, after the requests in flight finish,
//! abandoning hosts that are only waiting; or at once when the archive cannot be written any
//! more (a full disk: [`stop`]). Its summary counts what the archive committed
//! ([`crate::archive::runs::RunTally`]), never what was merely attempted.
//!
//! In fetch-only mode ([`crate::config::Config::fetch_only`]) [`process`] stores detail pages
//! and attachments and queues them for analysis instead of extracting and parsing them;
//! [`backlog`] works through that queue later, and at the start of every other crawl.

pub mod backlog;
pub mod budget;
pub mod document;
pub mod host;
pub mod listing;
pub mod process;
pub mod progress;
pub mod robots;
pub mod stop;
pub mod warc;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use crate::archive::lock::ArchiveLock;
use crate::archive::runs::{RunCounts, RunTally};
use crate::archive::warc::WarcWriter;
use crate::archive::writer::{Writer, WriterHandle};
use crate::archive::{Archive, ArchiveError};
use crate::config::Config;
use crate::fetch::client::Fetcher;
use crate::fetch::politeness::HostPace;
use crate::fetch::robots::RobotsRules;
use crate::fetch::scope::Scope;
use crate::model::RunStatus;
use stop::{Stop, StopSignal};

/// A crawl could not run at all, or had to stop (per-URL failures are recorded, not errors).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// Archive problem (locked, unwritable, corrupt).
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// No seeds given and none remembered.
    #[error(
        "no seeds: give --seed URL or --seeds-file FILE (seeds are remembered in the archive)"
    )]
    NoSeeds,
    /// A seed is not an http(s) URL.
    #[error("invalid seed URL {0:?}")]
    BadSeed(String),
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    Client(String),
    /// The WARC directory could not be prepared.
    #[error("WARC output {dir}: {source}")]
    Warc {
        /// The WARC directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The archive could not be written any more (disk full, read-only, I/O error): the crawl
    /// stopped at once. What was not stored stays queued for the next run.
    #[error(
        "{reason}; the crawl stopped (free space or make the archive writable, then run `nianbao crawl` again to resume)"
    )]
    WriteFailed {
        /// What the archive said.
        reason: String,
        /// What the run did store.
        summary: Box<Summary>,
    },
}

/// A seed to add before crawling.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Listing URL.
    pub url: String,
    /// Portal name.
    pub portal: Option<String>,
    /// Region (province/city/county).
    pub region: Option<String>,
}

/// What a finished run reports: counts of what the archive committed.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Run id in the archive.
    pub run_id: i64,
    /// True when this run finished an interrupted one.
    pub resumed: bool,
    /// How the run ended; the next crawl resumes anything but `done`.
    pub status: RunStatus,
    /// Counts.
    pub counts: RunCounts,
    /// Pages with content archived, or confirmed unchanged (304): what the run crawled.
    pub archived: u64,
    /// Failures by reason.
    pub failures: BTreeMap<String, u64>,
    /// Hosts left alone for this run, with the reason.
    pub stopped_hosts: BTreeMap<String, String>,
    /// Seeds whose paging stopped (listing budget spent), with the reason.
    pub paging_stopped: Vec<(String, String)>,
    /// Hosts crawled.
    pub hosts: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// What went into the WARC files, when they are on.
    pub warc: Option<WarcSummary>,
    /// Documents this (fetch-only) run archived and queued for `nianbao analyse`.
    pub analysis_queued: u64,
    /// The analysis of pages an earlier fetch-only run left, done before fetching.
    pub analysed: Option<backlog::AnalyseSummary>,
}

/// The WARC output of one run.
#[derive(Debug, Clone)]
pub struct WarcSummary {
    /// Records written (warcinfo, request, response, revisit).
    pub records: u64,
    /// Of the responses, how many became revisit records.
    pub revisits: u64,
    /// Files written and closed.
    pub files: Vec<PathBuf>,
    /// The first write error, which stopped the crawl.
    pub error: Option<String>,
}

/// Counters of analysis work (the run's totals are the writer's committed
/// [`RunTally`]; these serve the analysis backlog and the search-index cadence).
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests started (for --max-pages).
    pub started: AtomicU64,
    /// New reports stored.
    pub reports_new: AtomicU64,
    /// Known reports seen again.
    pub reports_seen: AtomicU64,
}

/// Per-host memory kept across host tasks of one run (a host task ends when its queue is
/// empty and restarts when another page links to it): robots.txt is fetched once per run and
/// the pace carries over.
#[derive(Default)]
pub struct HostMemo {
    /// Parsed robots.txt, once fetched.
    pub robots: Option<Arc<RobotsRules>>,
    /// The host's pace, while no task runs for it.
    pub pace: Option<HostPace>,
}

/// Everything the tasks of one run share.
pub struct Ctx {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// HTTP client.
    pub fetcher: Fetcher,
    /// Hosts in scope.
    pub scope: Arc<Scope>,
    /// Sends jobs to the archive writer.
    pub writer: WriterHandle,
    /// This run's id.
    pub run_id: i64,
    /// Global cap on requests in flight.
    pub global: Arc<Semaphore>,
    /// Cap on responses being processed (decoded, extracted, parsed) at once: one per core.
    pub cpu: Arc<Semaphore>,
    /// Counters.
    pub stats: Arc<Stats>,
    /// Whether and how the run is stopping.
    pub stop: StopSignal,
    /// Per-host memory.
    pub hosts: Mutex<HashMap<String, HostMemo>>,
    /// Region of each seed host, for report metadata.
    pub regions: Arc<HashMap<String, String>>,
    /// Barren listing pages per seed.
    pub budget: budget::ListingBudget,
    /// The WARC output, when on.
    pub warc: Option<warc::Output>,
}

impl Ctx {
    /// True once no new request may start (shutdown, --max-pages reached, archive failure).
    pub fn stopping(&self) -> bool {
        self.stop.stopping()
    }

    /// Claim a slot under --max-pages; false when the budget is spent.
    pub fn claim_page(&self) -> bool {
        let n = self.stats.started.fetch_add(1, Ordering::Relaxed) + 1;
        match self.config.max_pages {
            Some(max) if n > max => {
                self.stop.raise(Stop::Graceful);
                false
            }
            _ => true,
        }
    }
}

/// The archive opened for a run, with the run's row started.
struct Opened {
    archive: Archive,
    run_id: i64,
    resumed: bool,
    seeds: Vec<crate::archive::frontier::SeedRow>,
}

/// Run one crawl on the archive of `config`: add `seeds`, then fetch until nothing is left or
/// `shutdown` completes.
pub async fn run(
    config: Arc<Config>,
    seeds: Vec<Seed>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Summary, CrawlError> {
    let started = Instant::now();
    let _lock = ArchiveLock::acquire(&config.db_path)?;
    let opened = open(&config, &seeds)?;
    let (run_id, resumed) = (opened.run_id, opened.resumed);
    let (ctx, writer) = context(config, opened)?;

    let progress = progress::Progress::start(ctx.clone());
    let stop_ctx = ctx.clone();
    let stop_task = tokio::spawn(async move {
        shutdown.await;
        tracing::warn!(
            "stopping: finishing requests in flight (press Ctrl-C again to exit at once)"
        );
        stop_ctx.stop.raise(Stop::Graceful);
    });
    let analysed = if ctx.config.fetch_only {
        None
    } else {
        analyse_backlog(&ctx).await?
    };
    let (hosts, stopped_hosts) = coordinate(&ctx).await?;
    stop_task.abort();
    progress.finish();

    // Everything sent so far committed (or refused), so the tally is the run's.
    let _ = ctx.writer.commit().await;
    let tally = ctx.writer.committed();
    let mut summary = Summary {
        run_id,
        resumed,
        status: run_status(&ctx),
        counts: tally.counts.clone(),
        archived: tally.archived,
        failures: tally.failures.clone(),
        stopped_hosts,
        paging_stopped: ctx.budget.cut(),
        hosts,
        elapsed: Duration::ZERO,
        warc: None,
        analysis_queued: tally.analysis_queued,
        analysed,
    };
    let failure = ctx.writer.failure();
    let summary_json = summary_json(&summary, &tally);
    if failure.is_none() {
        let (status, counts) = (summary.status, summary.counts.clone());
        ctx.writer
            .call(move |a| {
                a.flush_search_index()?;
                a.defer_search_index(false)?;
                a.finish_run(run_id, status, &counts, &summary_json)
            })
            .await?;
    }
    summary.warc = ctx.warc.as_ref().map(warc::Output::finish);
    drop(ctx);
    let archive = writer.close();
    summary.elapsed = started.elapsed();
    match failure {
        None => Ok(summary),
        Some(reason) => {
            record_failed_run(archive, &summary, &tally);
            Err(CrawlError::WriteFailed {
                reason,
                summary: Box::new(summary),
            })
        }
    }
}

/// Open the archive, add `seeds`, and start the run's row (resuming an unfinished run).
fn open(config: &Config, seeds: &[Seed]) -> Result<Opened, CrawlError> {
    let archive = Archive::open(&config.db_path)?;
    if let Some(pages) = config.test_max_page_count {
        archive
            .conn()
            .execute_batch(&format!("PRAGMA max_page_count = {pages};"))
            .map_err(|e| CrawlError::Client(format!("test_max_page_count: {e}")))?;
    }
    for seed in seeds {
        let url = Url::parse(&seed.url).map_err(|_| CrawlError::BadSeed(seed.url.clone()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CrawlError::BadSeed(seed.url.clone()));
        }
        archive.add_seed(url.as_str(), seed.portal.as_deref(), seed.region.as_deref())?;
    }
    let known_seeds = archive.seeds()?;
    if known_seeds.is_empty() {
        return Err(CrawlError::NoSeeds);
    }
    let resumed = archive.unfinished_run()?.is_some();
    archive.mark_interrupted()?;
    if !resumed {
        archive.requeue_for_new_run(
            config.revisit_listings.as_millis() as i64,
            config.revisit_reports.as_millis() as i64,
        )?;
    }
    archive.reprioritise_queue()?;
    let run_id = archive.start_run(known_seeds.len())?;
    // Index what an interrupted run left pending, then defer indexing for this run.
    archive.flush_search_index()?;
    archive.defer_search_index(true)?;
    Ok(Opened {
        archive,
        run_id,
        resumed,
        seeds: known_seeds,
    })
}

/// The run's shared context and its archive writer.
fn context(config: Arc<Config>, opened: Opened) -> Result<(Arc<Ctx>, Writer), CrawlError> {
    let seed_urls: Vec<Url> = opened
        .seeds
        .iter()
        .filter_map(|s| Url::parse(&s.url).ok())
        .collect();
    let scope = Arc::new(Scope::new(seed_urls.iter(), &config.allowed_hosts));
    let fetcher = Fetcher::new(&config).map_err(|e| CrawlError::Client(e.to_string()))?;
    let archive = opened.archive;
    let warc = match &config.warc {
        Some(w) => Some({
            let forgotten = archive.warc_forget_unconfirmed()?;
            if forgotten > 0 {
                tracing::info!("WARC: {forgotten} payload claims of an interrupted run dropped");
            }
            warc::Output::new(WarcWriter::open(w, &config.user_agent).map_err(|source| {
                CrawlError::Warc {
                    dir: w.dir.clone(),
                    source,
                }
            })?)
        }),
        None => None,
    };
    let writer = if config.fetch_only {
        Writer::with_cache(archive, crate::archive::writer::FETCH_ONLY_CACHE_KIB)
    } else {
        Writer::spawn(archive)
    };
    let ctx = Arc::new(Ctx {
        global: Arc::new(Semaphore::new(config.concurrency)),
        cpu: Arc::new(Semaphore::new(
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        )),
        budget: budget::ListingBudget::new(config.barren_listings_per_seed),
        config,
        fetcher,
        scope,
        writer: writer.handle(),
        run_id: opened.run_id,
        stats: Arc::new(Stats::default()),
        stop: StopSignal::default(),
        hosts: Mutex::new(HashMap::new()),
        regions: Arc::new(seed_regions(&opened.seeds)),
        warc,
    });
    Ok((ctx, writer))
}

/// How the run ended.
fn run_status(ctx: &Ctx) -> RunStatus {
    let budget_spent = ctx
        .config
        .max_pages
        .is_some_and(|m| ctx.stats.started.load(Ordering::Relaxed) > m);
    if ctx.writer.failure().is_some() {
        RunStatus::Failed
    } else if !ctx.stopping() {
        RunStatus::Done
    } else if budget_spent {
        RunStatus::Partial
    } else {
        RunStatus::Interrupted
    }
}

/// The `runs.summary` JSON.
fn summary_json(s: &Summary, tally: &RunTally) -> String {
    serde_json::json!({
        "failures": s.failures,
        "stopped_hosts": s.stopped_hosts,
        "paging_stopped": s.paging_stopped,
        "retries": tally.retries,
        "robots": tally.robots,
        "archived": tally.archived,
        "resumed": s.resumed,
        "hosts": s.hosts,
    })
    .to_string()
}

/// Record a run the archive failure stopped as `failed`, when the archive still takes that
/// one small write (if not, the run stays `running` and the next crawl resumes it all the
/// same).
fn record_failed_run(archive: Option<Archive>, s: &Summary, tally: &RunTally) {
    let Some(archive) = archive else { return };
    if let Err(e) = archive.finish_run(
        s.run_id,
        RunStatus::Failed,
        &s.counts,
        &summary_json(s, tally),
    ) {
        tracing::warn!("could not record run {} as failed: {e}", s.run_id);
    }
}

/// The region of each seed's host, for report metadata.
pub fn seed_regions(seeds: &[crate::archive::frontier::SeedRow]) -> HashMap<String, String> {
    seeds
        .iter()
        .filter_map(|s| {
            let url = Url::parse(&s.url).ok()?;
            Some((crate::archive::frontier::host_key(&url), s.region.clone()?))
        })
        .collect()
}

/// Analyse what an earlier fetch-only run left in the analysis queue, before fetching: the
/// run's reports then include them. `None` when nothing was queued.
async fn analyse_backlog(ctx: &Arc<Ctx>) -> Result<Option<backlog::AnalyseSummary>, CrawlError> {
    let backlog = ctx.writer.call(|a| a.analysis_backlog()).await?;
    if backlog == 0 {
        return Ok(None);
    }
    tracing::info!("analysing {backlog} pages an earlier fetch-only crawl archived");
    let summary = backlog::run(&ctx.writer, ctx.regions.clone(), ctx.stop.flag()).await?;
    tracing::info!("{summary}");
    Ok(Some(summary))
}

/// Start a host task for every host with queued requests until none is left; stop every
/// host at once when the archive can no longer be written.
async fn coordinate(ctx: &Arc<Ctx>) -> Result<(usize, BTreeMap<String, String>), CrawlError> {
    let mut active: HashSet<String> = HashSet::new();
    let mut stopped: BTreeMap<String, String> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut tasks: JoinSet<(String, Option<String>)> = JoinSet::new();
    loop {
        if ctx.writer.failure().is_some() {
            ctx.stop.raise(Stop::Abort);
        }
        if !ctx.stopping() {
            let hosts = match ctx.writer.call(|a| a.queued_hosts()).await {
                Ok(hosts) => hosts,
                Err(e) if ctx.writer.failure().is_some() => {
                    tracing::debug!("{e}");
                    Vec::new()
                }
                Err(e) => return Err(e.into()),
            };
            for h in hosts {
                if active.contains(&h) || stopped.contains_key(&h) {
                    continue;
                }
                seen.insert(h.clone());
                active.insert(h.clone());
                let ctx = ctx.clone();
                tasks.spawn(async move {
                    let why = host::crawl_host(ctx, h.clone()).await;
                    (h, why)
                });
            }
        }
        if tasks.is_empty() {
            break;
        }
        tokio::select! {
            done = tasks.join_next() => {
                if let Some(Ok((h, why))) = done {
                    active.remove(&h);
                    if let Some(why) = why {
                        stopped.insert(h, why);
                    }
                } else if let Some(Err(e)) = done {
                    tracing::error!("host task failed: {e}");
                }
            }
            _ = tokio::time::sleep(Duration::from_millis(300)) => {}
        }
    }
    Ok((seen.len(), stopped))
}
