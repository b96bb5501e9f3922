//! Crawl runs: one row per `nianbao crawl`, opened at start, closed with its counts.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Archive, Result};
use crate::model::RunStatus;

/// Counts of one run, also printed as the crawl summary.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RunCounts {
    /// Responses received (any status).
    pub fetched: u64,
    /// 304 answers.
    pub not_modified: u64,
    /// Reports stored for the first time.
    pub reports_new: u64,
    /// Known reports found again.
    pub reports_seen: u64,
    /// Requests given up on.
    pub failed: u64,
    /// Anti-bot pages.
    pub blocked: u64,
    /// Requests robots.txt forbade.
    pub disallowed: u64,
    /// Links outside scope (recorded, not fetched).
    pub offscope: u64,
    /// Body bytes received.
    pub bytes: u64,
}

impl RunCounts {
    /// Add `other`'s counts to these.
    pub fn add(&mut self, other: &RunCounts) {
        self.fetched += other.fetched;
        self.not_modified += other.not_modified;
        self.reports_new += other.reports_new;
        self.reports_seen += other.reports_seen;
        self.failed += other.failed;
        self.blocked += other.blocked;
        self.disallowed += other.disallowed;
        self.offscope += other.offscope;
        self.bytes += other.bytes;
    }
}

/// What a run's archive jobs count, kept apart per batch by the archive writer and added to
/// the run's total only when the batch commits, so a run's summary says what the archive
/// holds, never what was merely attempted (see [`super::writer::WriterHandle::send_tallied`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunTally {
    /// The counts stored in `runs`.
    pub counts: RunCounts,
    /// Of `counts.fetched`, robots.txt responses.
    pub robots: u64,
    /// Pages with content stored (listings, documents) or confirmed unchanged (304): what
    /// the run actually crawled.
    pub archived: u64,
    /// Requests given up on, by reason class (`timeout`, `http_404`, …).
    pub failures: BTreeMap<String, u64>,
    /// Retries scheduled.
    pub retries: u64,
    /// Documents a fetch-only crawl archived and queued for analysis.
    pub analysis_queued: u64,
}

impl RunTally {
    /// A tally of one response of `bytes` body bytes.
    pub fn response_of(bytes: usize) -> RunTally {
        let mut t = RunTally::default();
        t.response(bytes);
        t
    }

    /// One response of `bytes` body bytes.
    pub fn response(&mut self, bytes: usize) {
        self.counts.fetched += 1;
        self.counts.bytes += bytes as u64;
    }

    /// One request given up on for `reason`.
    pub fn fail(&mut self, reason: &str) {
        self.counts.failed += 1;
        *self.failures.entry(reason.to_string()).or_default() += 1;
    }

    /// Add `other` to this tally.
    pub fn add(&mut self, other: &RunTally) {
        self.counts.add(&other.counts);
        self.robots += other.robots;
        self.archived += other.archived;
        for (k, v) in &other.failures {
            *self.failures.entry(k.clone()).or_default() += v;
        }
        self.retries += other.retries;
        self.analysis_queued += other.analysis_queued;
    }
}

/// A past run.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    /// Run id.
    pub id: i64,
    /// Start time (RFC 3339).
    pub started_at: String,
    /// End time, if it ended.
    pub ended_at: Option<String>,
    /// How it ended.
    pub status: RunStatus,
    /// Its counts.
    pub counts: RunCounts,
    /// JSON summary (failures by reason, hosts).
    pub summary: Option<String>,
}

impl Archive {
    /// The last run, if it did not finish its work (killed, interrupted, or cut by
    /// --max-pages): the next crawl resumes it instead of starting a new pass.
    pub fn unfinished_run(&self) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id, status FROM runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
            .map(|last| {
                last.filter(|(_, status)| RunStatus::parse(status) != Some(RunStatus::Done))
                    .map(|(id, _)| id)
            })
            .map_err(|e| self.err(e))
    }

    /// Close runs left open by a killed process as `interrupted`.
    pub fn mark_interrupted(&self) -> Result<usize> {
        self.exec(
            "UPDATE runs SET status = 'interrupted' WHERE status = 'running'",
            [],
        )
        .map_err(|e| self.err(e))
    }

    /// Open a run; returns its id.
    pub fn start_run(&self, seeds: usize) -> Result<i64> {
        self.exec(
            "INSERT INTO runs (started_at, status, pid, seeds) VALUES (?1, 'running', ?2, ?3)",
            params![super::now_text(), std::process::id(), seeds as i64],
        )
        .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Close a run with its counts.
    pub fn finish_run(
        &self,
        id: i64,
        status: RunStatus,
        c: &RunCounts,
        summary: &str,
    ) -> Result<()> {
        self.exec(
                "UPDATE runs SET ended_at = ?2, status = ?3, fetched = ?4, not_modified = ?5, reports_new = ?6,
                        reports_seen = ?7, failed = ?8, blocked = ?9, disallowed = ?10, offscope = ?11, bytes = ?12,
                        summary = ?13
                 WHERE id = ?1",
                params![
                    id,
                    super::now_text(),
                    status.as_str(),
                    c.fetched as i64,
                    c.not_modified as i64,
                    c.reports_new as i64,
                    c.reports_seen as i64,
                    c.failed as i64,
                    c.blocked as i64,
                    c.disallowed as i64,
                    c.offscope as i64,
                    c.bytes as i64,
                    summary
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The most recent runs, newest first.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRow>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started_at, ended_at, status, fetched, not_modified, reports_new, reports_seen, failed,
                        blocked, disallowed, offscope, bytes, summary
                 FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([limit as i64], |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok(RunRow {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    ended_at: r.get(2)?,
                    status: {
                        let s: String = r.get(3)?;
                        RunStatus::parse(&s).unwrap_or(RunStatus::Interrupted)
                    },
                    counts: RunCounts {
                        fetched: n(4)?,
                        not_modified: n(5)?,
                        reports_new: n(6)?,
                        reports_seen: n(7)?,
                        failed: n(8)?,
                        blocked: n(9)?,
                        disallowed: n(10)?,
                        offscope: n(11)?,
                        bytes: n(12)?,
                    },
                    summary: r.get(13)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
