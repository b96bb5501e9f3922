//! `nianbao search`: full-text search over report text, printed as `list` prints reports, with
//! the context of each match.

use std::path::PathBuf;

use super::list::{json, rows};
use super::output::{emit, emit_json, open};
use super::Failure;
use crate::browse::query::{self, ListFilter};

/// `search` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text to find (terms of 3+ characters use the full-text index; all terms must match).
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Only reports for this year.
    #[arg(long)]
    pub year: Option<i64>,
    /// Most results to print.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `nianbao search`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let f = ListFilter {
        q: Some(args.text.join(" ")),
        year: args.year,
        page: 1,
        ..ListFilter::default()
    };
    let a = open(config, db)?;
    let page = query::list(&a, &f, args.limit.clamp(1, 10_000))?;
    if args.json {
        return emit_json(&json(&f, &page));
    }
    let terms = crate::browse::search::terms(f.q.as_deref().unwrap_or(""));
    emit(&rows(&page, Some(&terms)))
}
