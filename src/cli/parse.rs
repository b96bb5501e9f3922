//! `nianbao parse FILE`: parse one local report (.html/.htm, .txt, or an attachment file) and
//! print its tables and checks — for checking a single report by hand.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::analyse::{self, Analysis, Unread};

/// `parse` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report file.
    pub file: PathBuf,
    /// Print the SPEC §4 record as JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| Failure::fatal(format!("{}: {e}", args.file.display())))?;
    let analysis = analyse_file(&bytes, &args.file).map_err(Failure::fatal)?;
    if args.json {
        let checks: Vec<serde_json::Value> = analysis
            .checks
            .iter()
            .map(|c| serde_json::json!({"rule": c.rule, "ok": c.ok, "left": c.left, "right": c.right}))
            .collect();
        let p = &analysis.parsed;
        let v = serde_json::json!({
            "id": analysis.id,
            "title": p.title,
            "agency": p.agency,
            "year": p.year,
            "format": p.format.map(|f| f.as_str()),
            "tables": p.tables.to_json(),
            "checks": checks,
            "warnings": p.warnings,
            "status": analysis.verdict.status().as_str(),
            "not_report": analysis.verdict.reason(),
            "uncertain": analysis.identity.doubts,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(Failure::fatal)?
        );
    } else {
        if let Some(why) = analysis.verdict.reason() {
            println!("not a report: {why}");
        }
        print!(
            "{}",
            crate::parse::render::terminal(&analysis.parsed, &analysis.checks)
        );
    }
    Ok(())
}

/// Analyse a local file by what its bytes are ([`analyse::document`] with a `file:` URL); an
/// error when its text cannot be read.
pub fn analyse_file(bytes: &[u8], path: &Path) -> Result<Analysis, String> {
    let name = path.display();
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let url = url::Url::from_file_path(&absolute)
        .or_else(|()| url::Url::parse("file:///local"))
        .map_err(|e| e.to_string())?;
    let analysis = analyse::document(&analyse::Document {
        url: &url,
        bytes,
        content_type: None,
        content_disposition: None,
        listing_title: None,
        linked_as: None,
        linked_from: None,
    });
    match &analysis.unread {
        None => Ok(analysis),
        Some(Unread::NeedsOcr) => Err(format!("{name}: no text layer (scanned); needs OCR")),
        Some(Unread::Unreadable(why)) => Err(format!("{name}: not read: {why}")),
    }
}
