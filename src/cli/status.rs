//! `nianbao status`: what the archive holds.

use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::Archive;
use crate::config::Overrides;

/// `status` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(config: &Option<PathBuf>, db: &Option<PathBuf>, args: Args) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let a = Archive::open_read_only(&config.db_path)?;
    let seeds = a.seeds()?;
    let frontier = a.frontier_counts()?;
    let (reports, documents, pages, cells) = a.totals()?;
    let by_status = query_pairs(
        &a,
        "SELECT status, count(*) FROM reports GROUP BY status ORDER BY 2 DESC",
    )?;
    let by_format = query_pairs(
        &a,
        "SELECT coalesce(format, 'none'), count(*) FROM reports GROUP BY 1 ORDER BY 2 DESC",
    )?;
    let hosts = query_pairs(&a, "SELECT host || ' ' || coalesce(state, '') || ' ' || coalesce(last_error, ''), 0 FROM hosts WHERE state <> 'ok' ORDER BY host")?;
    let runs = a.runs(5)?;
    // An archive from before the analysis queue (opened read-only, so not migrated) has none.
    let analysis_backlog = a.analysis_backlog().unwrap_or(0);
    if args.json {
        let v = serde_json::json!({
            "archive": a.path(),
            "seeds": seeds.iter().map(|s| serde_json::json!({"url": s.url, "portal": s.portal, "region": s.region})).collect::<Vec<_>>(),
            "frontier": frontier.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
            "reports": reports, "documents": documents, "pages": pages, "cells": cells,
            "analysis_backlog": analysis_backlog,
            "reports_by_status": by_status.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
            "reports_by_format": by_format.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
            "runs": runs,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(());
    }
    println!("archive   {}", a.path().display());
    println!("seeds     {}", seeds.len());
    for s in &seeds {
        println!(
            "  {}  {}  {}",
            s.url,
            s.portal.as_deref().unwrap_or(""),
            s.region.as_deref().unwrap_or("")
        );
    }
    let frontier_text: Vec<String> = frontier.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("frontier  {}", frontier_text.join(", "));
    println!("reports   {reports} ({documents} documents, {pages} pages, {cells} cells)");
    if analysis_backlog > 0 {
        println!("analysis  {analysis_backlog} pages archived by `crawl --fetch-only` await `nianbao analyse`");
    }
    let status_text: Vec<String> = by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("  by status: {}", status_text.join(", "));
    let format_text: Vec<String> = by_format.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("  by format: {}", format_text.join(", "));
    if !hosts.is_empty() {
        println!("hosts with problems");
        for (h, _) in &hosts {
            println!("  {h}");
        }
    }
    println!("last runs");
    for r in &runs {
        let c = &r.counts;
        println!(
            "  #{} {} {} → {}: fetched {}, 304 {}, reports {} new/{} known, failed {}, blocked {}",
            r.id,
            r.status,
            r.started_at,
            r.ended_at.as_deref().unwrap_or("…"),
            c.fetched,
            c.not_modified,
            c.reports_new,
            c.reports_seen,
            c.failed,
            c.blocked
        );
    }
    Ok(())
}

fn query_pairs(a: &Archive, sql: &str) -> Result<Vec<(String, i64)>, Failure> {
    let mut st = a.conn().prepare(sql).map_err(Failure::fatal)?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Failure::fatal)?;
    Ok(rows)
}
