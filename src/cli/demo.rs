//! `nianbao demo`: start the bundled mock portal on 127.0.0.x and crawl it into the archive —
//! the whole pipeline without internet access. `--serve` only runs the portal.

use std::path::PathBuf;
use std::sync::Arc;

use super::{load_config, runtime, Failure};
use crate::config::Overrides;
use crate::crawl::Seed;
use mock_portal::{Layout, Portal, PortalOptions};

/// `demo` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only start the portal and print its seed URLs; stop with Ctrl-C.
    #[arg(long)]
    pub serve: bool,
    /// Requests per second per host for the demo crawl (the portal is local, so be quick).
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    /// Serve the synthetic benchmark site with this many hosts instead of the standard one.
    #[arg(long, value_name = "N")]
    pub hosts: Option<usize>,
    /// Reports per host of the synthetic site.
    #[arg(long, value_name = "N", default_value_t = 250)]
    pub reports_per_host: usize,
    /// Inject faults (500s, resets, truncated bodies, stalls) into this fraction of requests.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub fault_rate: f64,
    /// First loopback address (127.0.0.N) of the portal's hosts.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub first_ip: u8,
    /// With --serve: write the seed URLs here, one per line (for scripts).
    #[arg(long, value_name = "FILE")]
    pub seeds_out: Option<PathBuf>,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let layout = match args.hosts {
            Some(hosts) => Layout::Synthetic { hosts, reports_per_host: args.reports_per_host },
            None => Layout::Standard,
        };
        let opts = PortalOptions { first_ip: args.first_ip, layout, fault_rate: args.fault_rate, ..Default::default() };
        let portal = Portal::start(opts).await.map_err(|e| Failure::fatal(format!("starting the demo portal: {e}")))?;
        if args.serve {
            println!("demo portal running; seeds:");
            for s in portal.seeds() {
                println!("  {s}");
            }
            if let Some(path) = &args.seeds_out {
                let lines: String = portal.seeds().iter().map(|s| format!("{s}\n")).collect();
                // Write then rename, so a script polling for the file never reads half of it.
                let tmp = path.with_extension("tmp");
                std::fs::write(&tmp, lines).and_then(|_| std::fs::rename(&tmp, path)).map_err(|e| Failure::fatal(format!("{}: {e}", path.display())))?;
            }
            println!("crawl it with: nianbao crawl {} (Ctrl-C stops the portal)", portal.seeds().iter().map(|s| format!("--seed {s}")).collect::<Vec<_>>().join(" "));
            wait_for_stop().await;
            portal.shutdown().await;
            return Ok(());
        }
        let overrides = Overrides { rate: Some(args.rate), ..Default::default() };
        let mut config = load_config(config, db, overrides)?;
        config.allowed_hosts.extend(portal.extra_hosts());
        config.retries = config.retries.min(2);
        config.backoff_base = std::time::Duration::from_millis(200);
        let seeds = portal.seeds().into_iter().map(|u| Seed { url: u.to_string(), portal: Some("demo portal".into()), region: Some("演示省/演示市".into()) }).collect();
        let db_path = config.db_path.clone();
        let result = crate::crawl::run(Arc::new(config), seeds, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        portal.shutdown().await;
        let summary = result.map_err(Failure::fatal)?;
        let c = &summary.counts;
        eprintln!(
            "nianbao demo: {} responses, {} new reports, {} known, {} failed, {} blocked, {} robots-disallowed in {:.1}s",
            c.fetched, c.reports_new, c.reports_seen, c.failed, c.blocked, c.disallowed, summary.elapsed.as_secs_f64()
        );
        eprintln!("nianbao demo: archive {} — try `nianbao status`, `nianbao export --format jsonl`", db_path.display());
        Ok(())
    })
}

/// Ctrl-C or SIGTERM (scripts stop the benchmark portal with `kill`).
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
