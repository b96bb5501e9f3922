//! `nianbao demo`: start the bundled mock portal on 127.0.0.x and crawl it into the archive —
//! the whole pipeline without internet access. `--serve` only runs the portal.

use std::path::PathBuf;
use std::sync::Arc;

use super::{load_config, runtime, Failure};
use crate::config::Overrides;
use crate::crawl::Seed;
use crate::demo::{Portal, PortalOptions};

/// `demo` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only start the portal and print its seed URLs; stop with Ctrl-C.
    #[arg(long)]
    pub serve: bool,
    /// Requests per second per host for the demo crawl (the portal is local, so be quick).
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let portal = Portal::start(PortalOptions::default()).await.map_err(|e| Failure::fatal(format!("starting the demo portal: {e}")))?;
        if args.serve {
            println!("demo portal running; seeds:");
            for s in portal.seeds() {
                println!("  {s}");
            }
            println!("crawl it with: nianbao crawl {} (Ctrl-C stops the portal)", portal.seeds().iter().map(|s| format!("--seed {s}")).collect::<Vec<_>>().join(" "));
            let _ = tokio::signal::ctrl_c().await;
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
