//! Command-line definitions (clap) and one handler per subcommand, each in its own file.
//!
//! Exit codes (also in the README): 0 done; 1 fatal error (including an archive that cannot be
//! written any more: the crawl stops at once); 2 configuration or usage error; 3 archive
//! locked by another running crawl; 4 nothing crawled: every host with work failed or was
//! deferred before a single page could be archived.

mod analyse;
mod crawl;
mod demo;
mod export;
mod list;
mod output;
mod parse;
mod reparse;
mod runs;
mod search;
mod serve;
mod show;
mod stats;
mod status;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, Overrides};

/// Exit code: configuration or usage error.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code: the archive is locked by another crawl.
pub const EXIT_LOCKED: u8 = 3;
/// Exit code: nothing crawled. Every host with work was stopped before a single page could be
/// archived (connection refused, robots.txt unreachable, a Crawl-delay or Retry-After beyond
/// the maximum, anti-bot pages); the work stays queued. A scheduled run that achieved nothing
/// must not look like success.
pub const EXIT_NOTHING_CRAWLED: u8 = 4;

/// nianbao: crawl, parse and archive 政府信息公开工作年度报告.
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: ./config.toml if present, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Archive file (overrides `[archive] path`; default data/archive.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl seed listing pages and archive every report found (resumes an interrupted crawl).
    Crawl(crawl::Args),
    /// Show what the archive holds: seeds, frontier by state, reports, hosts, last runs.
    Status(status::Args),
    /// Export reports as JSON lines (SPEC §4) or CSV (one row per cell).
    Export(export::Args),
    /// Parse one local report file (.html, .htm, .txt) and print its tables and checks.
    Parse(parse::Args),
    /// Re-parse every archived report from its stored text, without fetching.
    Reparse(reparse::Args),
    /// Extract, parse and check the pages a `crawl --fetch-only` archived, without fetching.
    Analyse(analyse::Args),
    /// Start the bundled local mock portal and crawl it into the archive (no internet needed).
    Demo(demo::Args),
    /// Serve the read-only web UI over the archive.
    Serve(serve::Args),
    /// List reports (filters: --year, --agency, --failing, --status, --format).
    List(list::Args),
    /// Show one report: its tables as on the official form, failing checks, warnings.
    Show(show::Args),
    /// Full-text search over report text (Chinese substrings of 3+ characters use the index).
    Search(search::Args),
    /// Totals and key figures of the archive.
    Stats(stats::Args),
    /// Past crawl runs with their counts.
    Runs(runs::Args),
}

/// A failure a handler reports; carries its exit code.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub code: u8,
    /// One-line message for stderr.
    pub message: String,
}

impl Failure {
    /// A fatal error (exit 1).
    pub fn fatal(e: impl std::fmt::Display) -> Failure {
        Failure {
            code: 1,
            message: e.to_string(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure {
            code: EXIT_CONFIG,
            message: e.to_string(),
        }
    }
}

impl From<crate::archive::ArchiveError> for Failure {
    fn from(e: crate::archive::ArchiveError) -> Failure {
        let code = if matches!(e, crate::archive::ArchiveError::Locked { .. }) {
            EXIT_LOCKED
        } else {
            1
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

/// Load the configuration with the global flags and per-command overrides.
fn load_config(
    cli_config: &Option<PathBuf>,
    db: &Option<PathBuf>,
    mut overrides: Overrides,
) -> Result<Config, Failure> {
    overrides.db_path = db.clone();
    Ok(Config::load(cli_config.as_deref(), &overrides)?)
}

/// Parse the command line, run the command, and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let result = match cli.command {
        Command::Crawl(args) => crawl::run(&cli.config, &cli.db, args),
        Command::Status(args) => status::run(&cli.config, &cli.db, args),
        Command::Export(args) => export::run(&cli.config, &cli.db, args),
        Command::Parse(args) => parse::run(args),
        Command::Reparse(args) => reparse::run(&cli.config, &cli.db, args),
        Command::Analyse(args) => analyse::run(&cli.config, &cli.db, args),
        Command::Demo(args) => demo::run(&cli.config, &cli.db, args),
        Command::Serve(args) => serve::run(&cli.config, &cli.db, args),
        Command::List(args) => list::run(&cli.config, &cli.db, args),
        Command::Show(args) => show::run(&cli.config, &cli.db, args),
        Command::Search(args) => search::run(&cli.config, &cli.db, args),
        Command::Stats(args) => stats::run(&cli.config, &cli.db, args),
        Command::Runs(args) => runs::run(&cli.config, &cli.db, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("nianbao: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .try_init();
}

/// A multi-threaded tokio runtime for the async commands.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Failure::fatal)
}
