//! `nianbao show`: one report — its tables as on the official form, failing checks, warnings,
//! every URL it was found at; `--text` adds the report text, `--json` prints the export record.

use std::path::PathBuf;

use super::output::{emit, emit_json, open};
use super::Failure;
use crate::browse::terminal;

/// `show` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report id (or a unique prefix of at least 6 characters).
    pub id: String,
    /// Also print the report text.
    #[arg(long)]
    pub text: bool,
    /// Print the SPEC §4 JSON record.
    #[arg(long)]
    pub json: bool,
}

/// `nianbao show`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let a = open(config, db)?;
    let id = a.resolve_report_id(&args.id)?.map_err(Failure::fatal)?;
    let record = a
        .record(&id)?
        .ok_or_else(|| Failure::fatal(format!("no report {id}")))?;
    if args.json {
        return emit_json(&record);
    }
    let mut out = format!(
        "id: {id}\nsource: {}   status: {}\n",
        record.source.as_str(),
        record.status
    );
    for url in &record.urls {
        out.push_str(&format!("url: {}\n", terminal::fit(url, 400)));
    }
    out.push_str(&crate::parse::render::terminal(
        &record.parsed(),
        &record.checks,
    ));
    if args.text {
        let text = a.details(&id, usize::MAX)?.text;
        out.push_str("\n---- text ----\n");
        out.extend(text.chars().map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        }));
        out.push('\n');
    }
    emit(&out)
}
