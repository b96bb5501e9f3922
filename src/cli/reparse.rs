//! `nianbao reparse`: run the current extractors and parser over every archived report's
//! stored bytes (no network) and report what changed — the step after a parser upgrade.

use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::lock::ArchiveLock;
use crate::archive::Archive;
use crate::config::Overrides;
use crate::crawl::report::{self, read_attachment, AttachmentText, Verdict};

/// `reparse` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only reports whose id starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub only: Option<String>,
}

struct Row {
    id: String,
    url: String,
    kind: String,
    page_id: i64,
    title: Option<String>,
    old_format: Option<String>,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let _lock = ArchiveLock::acquire(&config.db_path)?;
    let a = Archive::open(&config.db_path)?;
    // Reports an interrupted crawl left unindexed are indexed now, and re-parsed ones at once.
    a.flush_search_index()?;
    a.defer_search_index(false)?;
    let rows: Vec<Row> = {
        let mut st = a
            .conn()
            .prepare(
                "SELECT r.id, d.url, d.kind, d.page_id, r.title, r.format FROM reports r
                 JOIN documents d ON d.id = r.main_document_id ORDER BY r.id",
            )
            .map_err(Failure::fatal)?;
        let rows = st
            .query_map([], |r| {
                Ok(Row {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    kind: r.get(2)?,
                    page_id: r.get(3)?,
                    title: r.get(4)?,
                    old_format: r.get(5)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(Failure::fatal)?;
        rows
    };
    let (mut done, mut changed_reports, mut changed_cells, mut format_changes, mut errors) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    a.conn().execute_batch("BEGIN").map_err(Failure::fatal)?;
    for row in rows
        .iter()
        .filter(|r| args.only.as_deref().is_none_or(|p| r.id.starts_with(p)))
    {
        let Some(bytes) = a.page_raw(row.page_id)? else {
            errors += 1;
            continue;
        };
        let analysis = if row.kind == "html" {
            let text = crate::extract::charset::decode(&bytes, None).text;
            let Ok(url) = url::Url::parse(&row.url) else {
                errors += 1;
                continue;
            };
            let detail = crate::extract::page::extract_detail(&text, &url);
            report::analyse_html(&detail, row.title.as_deref())
        } else {
            let kind = crate::extract::sniff::sniff(&bytes, &row.url, None);
            match read_attachment(kind, &bytes) {
                AttachmentText::Text(t) => report::analyse_text(&t, row.title.as_deref()),
                AttachmentText::Grids(g, t) => report::analyse_grids(&g, &t, row.title.as_deref()),
                AttachmentText::NeedsOcr | AttachmentText::Unparsed(_) => continue,
            }
        };
        let status = match &analysis.verdict {
            Verdict::Report { status } => status.clone(),
            Verdict::NotReport(why) => format!("not_report: {why}"),
        };
        let n = a.save_parse(&row.id, &status, &analysis.parsed, &analysis.checks)?;
        if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
            a.update_cross_year(&row.id, agency, year)?;
        }
        if n > 0 {
            changed_reports += 1;
            changed_cells += n;
        }
        if analysis.parsed.format.map(|f| f.as_str().to_string()) != row.old_format {
            format_changes += 1;
        }
        done += 1;
    }
    a.conn().execute_batch("COMMIT").map_err(Failure::fatal)?;
    eprintln!(
        "nianbao: re-parsed {done} reports: {changed_reports} with changed cells ({changed_cells} cells), \
         {format_changes} with a changed format, {errors} without stored bytes"
    );
    Ok(())
}
