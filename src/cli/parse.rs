//! `nianbao parse FILE`: parse one local report (.html/.htm, .txt, or an attachment file) and
//! print its tables and checks — for checking a single report by hand.

use std::path::PathBuf;

use super::Failure;
use crate::crawl::report::{self, read_attachment, Analysis, AttachmentText};
use crate::extract::sniff::{sniff, DocKind};

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
    let name = args.file.to_string_lossy().to_string();
    let analysis = analyse_file(&bytes, &name).map_err(Failure::fatal)?;
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
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(Failure::fatal)?
        );
    } else {
        print!(
            "{}",
            crate::parse::render::terminal(&analysis.parsed, &analysis.checks)
        );
    }
    Ok(())
}

/// Analyse a local file by what its bytes are.
pub fn analyse_file(bytes: &[u8], name: &str) -> Result<Analysis, String> {
    let kind = sniff(bytes, name, None);
    let is_text_name = [".txt", ".text", ".md"]
        .iter()
        .any(|e| name.to_ascii_lowercase().ends_with(e));
    Ok(match kind {
        _ if is_text_name => {
            report::analyse_text(&crate::extract::charset::decode(bytes, None).text, None)
        }
        DocKind::Html => {
            let text = crate::extract::charset::decode(bytes, None).text;
            let url = url::Url::parse("file:///local").map_err(|e| e.to_string())?;
            let detail = crate::extract::page::extract_detail(&text, &url);
            report::analyse_html(&detail, None)
        }
        other => match read_attachment(other, bytes) {
            AttachmentText::Text(t) => report::analyse_text(&t, None),
            AttachmentText::Grids(g, t) => report::analyse_grids(&g, &t, None),
            AttachmentText::NeedsOcr => {
                return Err(format!("{name}: no text layer (scanned); needs OCR"))
            }
            AttachmentText::Unparsed(why) => {
                return Err(format!("{name}: cannot read {why} files"))
            }
        },
    })
}
