//! `nianbao serve`: the read-only web UI over the archive ([`crate::browse`]).

use std::path::PathBuf;

use super::{load_config, Failure};
use crate::browse::AppState;
use crate::config::Overrides;

/// `serve` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
}

/// `nianbao serve`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let state = AppState::open(&config.db_path)?;
    let addr: std::net::SocketAddr = args.bind.parse().map_err(|e| Failure {
        code: super::EXIT_CONFIG,
        message: format!("--bind {}: {e}", args.bind),
    })?;
    let rt = super::runtime()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::fatal(format!("bind {addr}: {e}")))?;
        let local = listener.local_addr().map_err(Failure::fatal)?;
        if !local.ip().is_loopback() {
            eprintln!("nianbao: warning: serving on {local}, reachable from other machines");
        }
        eprintln!(
            "nianbao: serving {} read-only at http://{local}/ (Ctrl-C to stop)",
            config.db_path.display()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        crate::browse::serve(listener, state, shutdown)
            .await
            .map_err(Failure::fatal)
    })
}
