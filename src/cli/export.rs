//! `nianbao export --format jsonl|csv [--out FILE]`.

use std::io::Write;
use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::Archive;
use crate::config::Overrides;

/// Output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// One SPEC §4 JSON object per report.
    Jsonl,
    /// One row per table cell.
    Csv,
}

/// `export` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// jsonl or csv.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let a = Archive::open_read_only(&config.db_path)?;
    // An archive from before the analysis queue (read-only, so not migrated) has none.
    let backlog = a.analysis_backlog().unwrap_or(0);
    if backlog > 0 {
        eprintln!(
            "nianbao: warning: {backlog} pages archived by `crawl --fetch-only` are not analysed \
             yet; their reports are missing from this export (run `nianbao analyse` first)"
        );
    }
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .map_err(|e| Failure::fatal(format!("{}: {e}", p.display())))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let result = match args.format {
        Format::Jsonl => crate::export::jsonl(&a, &mut out),
        Format::Csv => crate::export::csv(&a, &mut out),
    };
    match result {
        Ok(_) => out.flush().map_err(Failure::fatal),
        // A closed pipe (`| head`) is not an error.
        Err(crate::export::ExportError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(())
        }
        Err(e) => Err(Failure::fatal(e)),
    }
}
