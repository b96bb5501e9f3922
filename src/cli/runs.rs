//! `nianbao runs`: past crawl runs with their counts, and the hosts with problems (with
//! `--json`, as `/runs.json`).

use std::path::PathBuf;

use super::output::{emit, emit_json, open};
use super::Failure;
use crate::browse::terminal::{self, left, right};

/// `runs` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `nianbao runs`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let a = open(config, db)?;
    let runs = crate::browse::runs::load(&a, 50).map_err(Failure::fatal)?;
    if args.json {
        return emit_json(&runs);
    }
    let rows: Vec<Vec<String>> = runs
        .runs
        .iter()
        .map(|r| {
            let c = &r.row.counts;
            let failures: Vec<String> =
                r.failures.iter().map(|(k, n)| format!("{k} {n}")).collect();
            vec![
                r.row.id.to_string(),
                r.row.started_at.clone(),
                r.row.status.to_string(),
                c.fetched.to_string(),
                c.not_modified.to_string(),
                c.reports_new.to_string(),
                c.reports_seen.to_string(),
                c.failed.to_string(),
                c.blocked.to_string(),
                failures.join(", "),
            ]
        })
        .collect();
    let cols = [
        right("Run"),
        left("Started", 20),
        left("Status", 11),
        right("Fetched"),
        right("304"),
        right("New"),
        right("Known"),
        right("Failed"),
        right("Blocked"),
        left("Failures", 60),
    ];
    let mut out = terminal::table(&cols, &rows);
    let problems: Vec<Vec<String>> = runs
        .hosts
        .iter()
        .filter(|h| h.status != "ok")
        .map(|h| {
            vec![
                h.host.clone(),
                h.status.clone(),
                h.last_error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if !problems.is_empty() {
        out.push_str("\nhosts with problems\n");
        out.push_str(&terminal::table(
            &[left("Host", 40), left("Status", 18), left("Last error", 60)],
            &problems,
        ));
    }
    emit(&out)
}
