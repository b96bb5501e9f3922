//! `nianbao stats`: totals and key figures per year (with `--json`, as `/index.json`).

use std::path::PathBuf;

use super::output::{emit, emit_json, open};
use super::Failure;
use crate::browse::figures;
use crate::browse::query::CheckStatus;
use crate::browse::terminal::{self, left, right};

/// `stats` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `nianbao stats`.
pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let a = open(config, db)?;
    let o = figures::overview(&a)?;
    if args.json {
        return emit_json(&o);
    }
    emit(&stats_text(&o))
}

fn stats_text(o: &figures::Overview) -> String {
    let t = &o.totals;
    let mut out = format!(
        "reports {}  agencies {}  documents {}  pages {}  runs {}\n",
        t.reports, t.agencies, t.documents, t.pages, t.runs
    );
    let statuses: Vec<String> = CheckStatus::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.label(),
                o.by_status.get(s.as_str()).copied().unwrap_or(0)
            )
        })
        .collect();
    out.push_str(&format!("checks: {}\n", statuses.join(", ")));
    let sources: Vec<String> = o
        .by_source
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    out.push_str(&format!("sources: {}\n\n", sources.join(", ")));
    let fig = |y: &figures::YearStats, k: &str| {
        y.figures.get(k).map(|n| n.to_string()).unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = o
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.formats.values().sum::<i64>().to_string(),
                y.formats.get("2021").copied().unwrap_or(0).to_string(),
                y.formats.get("2019").copied().unwrap_or(0).to_string(),
                y.formats.get("legacy").copied().unwrap_or(0).to_string(),
                y.parsed.to_string(),
                y.failing.to_string(),
                fig(y, "received"),
                fig(y, "granted"),
                fig(y, "refused"),
                fig(y, "review"),
            ]
        })
        .collect();
    let cols = [
        right("Year"),
        right("Reports"),
        right("2021"),
        right("2019"),
        right("Legacy"),
        right("Parsed"),
        right("Failing"),
        right("Received"),
        right("Granted"),
        right("Refused"),
        right("Review"),
    ];
    out.push_str(&terminal::table(&cols, &rows));
    if o.unknown_year > 0 {
        out.push_str(&format!(
            "{} reports without a known year\n",
            o.unknown_year
        ));
    }
    if !o.most_refused.is_empty() {
        out.push_str("\nmost requests refused\n");
        let rows: Vec<Vec<String>> = o
            .most_refused
            .iter()
            .map(|n| {
                vec![
                    n.value.to_string(),
                    n.year.map(|y| y.to_string()).unwrap_or_default(),
                    n.agency.clone().unwrap_or_default(),
                    n.id.get(..12).unwrap_or(&n.id).to_string(),
                ]
            })
            .collect();
        out.push_str(&terminal::table(
            &[
                right("Refused"),
                right("Year"),
                left("Agency", 40),
                left("ID", 12),
            ],
            &rows,
        ));
    }
    out
}
