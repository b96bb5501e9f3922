//! The crawl engine: a coordinator, one scheduling task per host, fetch tasks, and the single
//! archive writer.
//!
//! Data flow (Scrapy's architecture in miniature): the frontier in the archive is the
//! scheduler's queue. The [`run`] coordinator starts a [`host`] task for every host with queued
//! requests; a host task takes that host's due requests one by one, checks robots.txt, waits
//! for the host's pace ([`crate::fetch::politeness`]) and a global concurrency permit, and
//! spawns the fetch. Responses go to [`process`], which runs the pure stages (discover for
//! listings, [`crate::analyse`] for documents) and sends one archive job per response, so each response is stored with the
//! requests it discovered atomically; with WARC output on, [`warc`] writes each exchange to the
//! WARC files first. The run ends when no host has due requests and nothing
//! is in flight, or when the `shutdown` future completes (Ctrl-C), after in-flight requests finish.
//!
//! In fetch-only mode ([`crate::config::Config::fetch_only`]) [`process`] stores detail pages
//! and attachments and queues them for analysis instead of extracting and parsing them;
//! [`backlog`] works through that queue later, and at the start of every other crawl.

pub mod backlog;
pub mod host;
pub mod process;
pub mod progress;
pub mod warc;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use crate::archive::lock::ArchiveLock;
use crate::archive::runs::RunCounts;
use crate::archive::warc::WarcWriter;
use crate::archive::writer::{Writer, WriterHandle};
use crate::archive::{Archive, ArchiveError};
use crate::config::Config;
use crate::fetch::client::Fetcher;
use crate::fetch::politeness::HostPace;
use crate::fetch::robots::RobotsRules;
use crate::fetch::scope::Scope;
use crate::model::RunStatus;

/// A crawl could not run at all (per-URL failures are recorded, not errors).
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

/// What a finished run reports.
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
    /// Failures by reason.
    pub failures: BTreeMap<String, u64>,
    /// Hosts left alone for this run, with the reason.
    pub stopped_hosts: BTreeMap<String, String>,
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

/// Live counters shared by all tasks (also read by the progress bar).
#[derive(Debug, Default)]
pub struct Stats {
    /// Responses received.
    pub fetched: AtomicU64,
    /// 304s.
    pub not_modified: AtomicU64,
    /// New reports.
    pub reports_new: AtomicU64,
    /// Known reports seen again.
    pub reports_seen: AtomicU64,
    /// Given up.
    pub failed: AtomicU64,
    /// Anti-bot pages.
    pub blocked: AtomicU64,
    /// robots.txt said no.
    pub disallowed: AtomicU64,
    /// Off-scope links recorded.
    pub offscope: AtomicU64,
    /// Body bytes.
    pub bytes: AtomicU64,
    /// Retries scheduled.
    pub retries: AtomicU64,
    /// Requests started (for --max-pages).
    pub started: AtomicU64,
    /// Documents archived by a fetch-only crawl and queued for analysis.
    pub analysis_queued: AtomicU64,
    /// Failures by reason class.
    pub failures: Mutex<BTreeMap<String, u64>>,
}

impl Stats {
    /// Count one failure of `reason`.
    pub fn fail(&self, reason: &str) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut f) = self.failures.lock() {
            *f.entry(reason.to_string()).or_default() += 1;
        }
    }

    fn counts(&self) -> RunCounts {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RunCounts {
            fetched: g(&self.fetched),
            not_modified: g(&self.not_modified),
            reports_new: g(&self.reports_new),
            reports_seen: g(&self.reports_seen),
            failed: g(&self.failed),
            blocked: g(&self.blocked),
            disallowed: g(&self.disallowed),
            offscope: g(&self.offscope),
            bytes: g(&self.bytes),
        }
    }
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
    /// Live counters.
    pub stats: Stats,
    /// Set when the run should stop taking new requests.
    pub stopping: AtomicBool,
    /// Per-host memory.
    pub hosts: Mutex<HashMap<String, HostMemo>>,
    /// Region of each seed host, for report metadata.
    pub regions: Arc<HashMap<String, String>>,
    /// The WARC output, when on.
    pub warc: Option<warc::Output>,
}

impl Ctx {
    /// True once no new request may start (shutdown, or --max-pages reached).
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Claim a slot under --max-pages; false when the budget is spent.
    pub fn claim_page(&self) -> bool {
        let n = self.stats.started.fetch_add(1, Ordering::Relaxed) + 1;
        match self.config.max_pages {
            Some(max) if n > max => {
                self.stopping.store(true, Ordering::Relaxed);
                false
            }
            _ => true,
        }
    }
}

/// Run one crawl on the archive of `config`: add `seeds`, then fetch until nothing is left or
/// `shutdown` completes.
pub async fn run(
    config: Arc<Config>,
    seeds: Vec<Seed>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Summary, CrawlError> {
    let started = std::time::Instant::now();
    let db: PathBuf = config.db_path.clone();
    let _lock = ArchiveLock::acquire(&db)?;
    let archive = Archive::open(&db)?;

    for seed in &seeds {
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
    let run_id = archive.start_run(known_seeds.len())?;
    // Index what an interrupted run left pending, then defer indexing for this run.
    archive.flush_search_index()?;
    archive.defer_search_index(true)?;

    let seed_urls: Vec<Url> = known_seeds
        .iter()
        .filter_map(|s| Url::parse(&s.url).ok())
        .collect();
    let regions = Arc::new(seed_regions(&known_seeds));
    let scope = Arc::new(Scope::new(seed_urls.iter(), &config.allowed_hosts));
    let fetcher = Fetcher::new(&config).map_err(|e| CrawlError::Client(e.to_string()))?;
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
        config,
        fetcher,
        scope,
        writer: writer.handle(),
        run_id,
        stats: Stats::default(),
        stopping: AtomicBool::new(false),
        hosts: Mutex::new(HashMap::new()),
        regions,
        warc,
    });

    let progress = progress::Progress::start(ctx.clone());
    let stop_ctx = ctx.clone();
    let stop_task = tokio::spawn(async move {
        shutdown.await;
        tracing::warn!(
            "stopping: finishing requests in flight (press Ctrl-C again to exit at once)"
        );
        stop_ctx.stopping.store(true, Ordering::Relaxed);
    });

    let analysed = if ctx.config.fetch_only {
        None
    } else {
        analyse_backlog(&ctx).await?
    };
    let (hosts_crawled, stopped_hosts) = coordinate(&ctx).await?;
    stop_task.abort();
    progress.finish();

    let budget_spent = ctx
        .config
        .max_pages
        .is_some_and(|m| ctx.stats.started.load(Ordering::Relaxed) > m);
    let status = match (ctx.stopping(), budget_spent) {
        (false, _) => RunStatus::Done,
        (true, true) => RunStatus::Partial,
        (true, false) => RunStatus::Interrupted,
    };
    let counts = ctx.stats.counts();
    let counts_analysis_queued = ctx.stats.analysis_queued.load(Ordering::Relaxed);
    let failures = ctx
        .stats
        .failures
        .lock()
        .map(|f| f.clone())
        .unwrap_or_default();
    let summary_json = serde_json::json!({
        "failures": failures,
        "stopped_hosts": stopped_hosts,
        "retries": ctx.stats.retries.load(Ordering::Relaxed),
        "resumed": resumed,
        "hosts": hosts_crawled,
    })
    .to_string();
    {
        let counts = counts.clone();
        ctx.writer
            .call(move |a| {
                a.flush_search_index()?;
                a.defer_search_index(false)?;
                a.finish_run(run_id, status, &counts, &summary_json)
            })
            .await?;
    }
    let warc = ctx.warc.as_ref().map(warc::Output::finish);
    let ctx = Arc::try_unwrap(ctx).ok();
    drop(ctx);
    writer.close();
    Ok(Summary {
        run_id,
        resumed,
        status,
        counts,
        failures,
        stopped_hosts,
        hosts: hosts_crawled,
        elapsed: started.elapsed(),
        warc,
        analysis_queued: counts_analysis_queued,
        analysed,
    })
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
    let summary = backlog::run(&ctx.writer, ctx.regions.clone(), &ctx.stopping).await?;
    tracing::info!("{summary}");
    ctx.stats
        .reports_new
        .fetch_add(summary.reports_new, Ordering::Relaxed);
    ctx.stats
        .reports_seen
        .fetch_add(summary.reports_seen, Ordering::Relaxed);
    Ok(Some(summary))
}

/// Start a host task for every host with queued requests until none is left.
async fn coordinate(ctx: &Arc<Ctx>) -> Result<(usize, BTreeMap<String, String>), CrawlError> {
    let mut active: HashSet<String> = HashSet::new();
    let mut stopped: BTreeMap<String, String> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut tasks: JoinSet<(String, Option<String>)> = JoinSet::new();
    loop {
        if !ctx.stopping() {
            let hosts = ctx.writer.call(|a| a.queued_hosts()).await?;
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
