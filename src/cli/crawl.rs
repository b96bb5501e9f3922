//! `nianbao crawl`: add seeds, crawl, print the summary.

use std::path::PathBuf;
use std::sync::Arc;

use super::{load_config, runtime, Failure, EXIT_CONFIG, EXIT_NOTHING_CRAWLED};
use crate::config::Overrides;
use crate::crawl::{self, CrawlError, Seed, Summary};
use crate::model::RunStatus;

/// `crawl` arguments (SPEC §1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A listing page to crawl (repeatable); remembered in the archive for later runs.
    #[arg(long = "seed", value_name = "URL")]
    pub seeds: Vec<String>,
    /// A seed list file (see seeds/README.md).
    #[arg(long, value_name = "FILE")]
    pub seeds_file: Option<PathBuf>,
    /// Requests per second per host (fractional allowed; 0 = unlimited).
    #[arg(long, value_name = "R")]
    pub rate: Option<f64>,
    /// Requests in flight at once, all hosts together.
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Stop after this many requests; the rest stays queued for the next run.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
    /// Also write WARC files (request, response and revisit records) into DIR.
    #[arg(long, value_name = "DIR")]
    pub warc: Option<PathBuf>,
    /// Fetch and archive only; extraction, parsing and checks wait for `nianbao analyse` (or
    /// the next crawl without --fetch-only).
    #[arg(long)]
    pub fetch_only: bool,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let overrides = Overrides {
        rate: args.rate,
        concurrency: args.concurrency,
        max_pages: args.max_pages,
        warc_dir: args.warc.clone(),
        fetch_only: args.fetch_only,
        ..Default::default()
    };
    let config = Arc::new(load_config(config, db, overrides)?);
    let mut seeds: Vec<Seed> = args
        .seeds
        .iter()
        .map(|url| Seed {
            url: url.clone(),
            portal: None,
            region: None,
        })
        .collect();
    if let Some(file) = &args.seeds_file {
        seeds.extend(crate::seeds::load(file).map_err(|e| Failure {
            code: EXIT_CONFIG,
            message: e.to_string(),
        })?);
    }
    let rt = runtime()?;
    let summary = match rt.block_on(crawl::run(config.clone(), seeds, shutdown_signal())) {
        Ok(summary) => summary,
        Err(CrawlError::WriteFailed { reason, summary }) => {
            // The summary counts what was stored before the archive failed.
            print_summary(&summary, &config.db_path);
            return Err(Failure::fatal(CrawlError::WriteFailed { reason, summary }));
        }
        Err(e) => return Err(failure(e)),
    };
    print_summary(&summary, &config.db_path);
    if let Some(e) = summary.warc.as_ref().and_then(|w| w.error.as_ref()) {
        return Err(Failure::fatal(format!(
            "WARC output failed ({e}); the crawl stopped, run it again to resume"
        )));
    }
    if nothing_crawled(&summary) {
        return Err(Failure {
            code: EXIT_NOTHING_CRAWLED,
            message: "nothing crawled: every host failed or was deferred before a page could be archived; the work stays queued".into(),
        });
    }
    Ok(())
}

/// The exit code and message of a crawl that could not run.
fn failure(e: CrawlError) -> Failure {
    match e {
        CrawlError::Archive(a) => Failure::from(a),
        CrawlError::NoSeeds | CrawlError::BadSeed(_) => Failure {
            code: EXIT_CONFIG,
            message: e.to_string(),
        },
        other => Failure::fatal(other),
    }
}

/// A run that had work and archived no page at all: every host with queued requests was
/// stopped before a page could be archived (connection refused, robots.txt unreachable, a
/// Crawl-delay or Retry-After beyond the maximum, anti-bot pages).
fn nothing_crawled(s: &Summary) -> bool {
    s.archived == 0 && !s.stopped_hosts.is_empty() && s.status != RunStatus::Interrupted
}

/// Completes on the first Ctrl-C or SIGTERM; a second one exits at once (the archive is
/// still consistent: uncommitted work is fetched again on resume).
pub(super) async fn shutdown_signal() {
    wait_signal().await;
    tokio::spawn(async {
        wait_signal().await;
        eprintln!("nianbao: second interrupt, exiting now (run `nianbao crawl` to resume)");
        std::process::exit(130);
    });
}

async fn wait_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_summary(s: &Summary, db: &std::path::Path) {
    let c = &s.counts;
    let secs = s.elapsed.as_secs_f64();
    eprintln!(
        "nianbao: run {} {}{} in {:.1}s: {} hosts, {} responses ({:.1}/s, {} not modified, {:.1} MB), \
         reports {} new + {} known, failed {}, blocked {}, robots-disallowed {}, off-scope {}",
        s.run_id,
        s.status,
        if s.resumed { " (resumed)" } else { "" },
        secs,
        s.hosts,
        c.fetched,
        c.fetched as f64 / secs.max(0.001),
        c.not_modified,
        c.bytes as f64 / 1e6,
        c.reports_new,
        c.reports_seen,
        c.failed,
        c.blocked,
        c.disallowed,
        c.offscope
    );
    if let Some(a) = &s.analysed {
        eprintln!("nianbao: before fetching, {a}");
    }
    if s.analysis_queued > 0 {
        eprintln!(
            "nianbao: {} documents archived for analysis (fetch-only); run `nianbao analyse`",
            s.analysis_queued
        );
    }
    if !s.failures.is_empty() {
        let reasons: Vec<String> = s.failures.iter().map(|(k, v)| format!("{k} {v}")).collect();
        eprintln!("nianbao: failures by reason: {}", reasons.join(", "));
    }
    for (host, why) in &s.stopped_hosts {
        eprintln!("nianbao: host {host} left for the next run: {why}");
    }
    for (seed, why) in &s.paging_stopped {
        eprintln!("nianbao: seed {seed}: paging stopped ({why})");
    }
    if s.status != RunStatus::Done {
        eprintln!("nianbao: work remains queued; run `nianbao crawl` again to continue");
    }
    if let Some(w) = &s.warc {
        let dir = w
            .files
            .first()
            .and_then(|f| f.parent())
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        eprintln!(
            "nianbao: WARC: {} records ({} revisits) in {} file(s) in {dir}",
            w.records,
            w.revisits,
            w.files.len()
        );
        if let Some(e) = &w.error {
            eprintln!("nianbao: WARC output failed: {e}");
        }
    }
    eprintln!("nianbao: archive {}", db.display());
}
