//! The frontier: every request ever discovered, its kind, and its state. It is the crawl's
//! to-do list and seen-set at once, kept on disk so memory stays flat and a killed crawl
//! resumes where it stopped.
//!
//! States: `queued` (to fetch; `next_attempt_at` delays retries), then one of `done`,
//! `not_modified` (304), `not_report` (a detail page that is no report), `failed`, `blocked`
//! (anti-bot page), `disallowed` (robots.txt), `offscope` (recorded, never fetched),
//! `skipped` (a listing page past its seed's budget of barren listing pages; queued again by
//! the next new run).
//!
//! Order: report pages and files before listing pages, then shallow before deep. Fetching a
//! report as soon as its link is found keeps the queue short and finds reports even when a
//! listing turns out to be endless (a crawler trap); listing pages still go breadth-first.

use rusqlite::{params, OptionalExtension, Row};

use super::{now_ms, Archive, Result};
use crate::discover::{LinkKind, Method, Request};

/// One frontier row, as the crawler needs it.
#[derive(Debug, Clone)]
pub struct FrontierItem {
    /// Row id.
    pub id: i64,
    /// URL.
    pub url: String,
    /// GET or POST.
    pub method: Method,
    /// POST form body.
    pub body: Option<String>,
    /// Referer to send.
    pub referer: Option<String>,
    /// What the response is expected to be.
    pub kind: LinkKind,
    /// `host[:port]`, the politeness key.
    pub host: String,
    /// Hops from a seed.
    pub depth: u32,
    /// Title from the listing.
    pub title: Option<String>,
    /// Attempts so far in this episode.
    pub attempts: u32,
    /// `ETag` of the last good response, for `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last good response, for `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Id of the frontier row that linked here.
    pub parent_id: Option<i64>,
    /// Redirect hops that led to this URL.
    pub redirects: u32,
}

/// A remembered seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRow {
    /// Listing URL.
    pub url: String,
    /// Portal name.
    pub portal: Option<String>,
    /// Region.
    pub region: Option<String>,
}

/// Final state of a request in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting to be fetched.
    Queued,
    /// Fetched and processed.
    Done,
    /// 304: unchanged since the last fetch.
    NotModified,
    /// A detail page that turned out not to be a report.
    NotReport,
    /// Gave up: HTTP error, retries exhausted, too large, …
    Failed,
    /// An anti-bot challenge was served.
    Blocked,
    /// robots.txt disallows it.
    Disallowed,
    /// Outside the crawl's scope.
    Offscope,
    /// A listing page not fetched: its seed's listing pages kept adding no new report link.
    Skipped,
}

impl State {
    /// Name stored in the `state` column.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Done => "done",
            State::NotModified => "not_modified",
            State::NotReport => "not_report",
            State::Failed => "failed",
            State::Blocked => "blocked",
            State::Disallowed => "disallowed",
            State::Offscope => "offscope",
            State::Skipped => "skipped",
        }
    }
}

/// The key that makes a request unique: method, URL (without fragment) and POST body.
pub fn request_key(method: Method, url: &str, body: Option<&str>) -> String {
    let url = url.split('#').next().unwrap_or(url);
    match method {
        Method::Get => url.to_string(),
        Method::Post => format!("POST {url}\n{}", body.unwrap_or("")),
    }
}

/// `host[:port]` of a URL, the unit of scope and politeness.
pub fn host_key(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

/// Scheduling priority of a kind: report pages and files first (fetched as soon as a listing
/// links them), then listings. (Archives before this order stored 0 for listings; see
/// [`Archive::reprioritise_queue`].)
fn priority(kind: LinkKind) -> i64 {
    match kind {
        LinkKind::Detail | LinkKind::Attachment => 0,
        LinkKind::Listing | LinkKind::HanwebProxy | LinkKind::JsonApi => 1,
    }
}

/// The SQL of [`priority`] over the `kind` column.
const PRIORITY_SQL: &str = "CASE WHEN kind IN ('detail', 'attachment') THEN 0 ELSE 1 END";

/// The `kind` values of listing requests, as an SQL list.
const LISTING_KINDS_SQL: &str = "('listing', 'hanweb_proxy', 'json_api')";

fn method_str(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Post => "POST",
    }
}

pub(super) const ITEM_COLUMNS: &str =
    "id, url, method, body, referer, kind, host, depth, title, attempts, etag, last_modified, parent_id, redirects";

pub(super) fn item_from_row(r: &Row<'_>) -> rusqlite::Result<FrontierItem> {
    let method: String = r.get(2)?;
    let kind: String = r.get(5)?;
    Ok(FrontierItem {
        id: r.get(0)?,
        url: r.get(1)?,
        method: if method == "POST" {
            Method::Post
        } else {
            Method::Get
        },
        body: r.get(3)?,
        referer: r.get(4)?,
        kind: LinkKind::parse(&kind).unwrap_or(LinkKind::Detail),
        host: r.get(6)?,
        depth: r.get::<_, i64>(7)?.max(0) as u32,
        title: r.get(8)?,
        attempts: r.get::<_, i64>(9)?.max(0) as u32,
        etag: r.get(10)?,
        last_modified: r.get(11)?,
        parent_id: r.get(12)?,
        redirects: r.get::<_, i64>(13)?.max(0) as u32,
    })
}

impl Archive {
    /// Remember a seed listing URL and queue it. Returns true if it is new.
    pub fn add_seed(&self, url: &str, portal: Option<&str>, region: Option<&str>) -> Result<bool> {
        let new = self
            .exec(
                "INSERT INTO seeds (url, portal, region, added_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(url) DO UPDATE SET portal = coalesce(excluded.portal, portal),
                                                region = coalesce(excluded.region, region)",
                params![url, portal, region, super::now_text()],
            )
            .map_err(|e| self.err(e))?;
        if let Ok(parsed) = url::Url::parse(url) {
            let req = Request {
                url: parsed,
                method: Method::Get,
                body: None,
                referer: None,
                kind: LinkKind::Listing,
                title: portal.map(str::to_string),
            };
            self.enqueue(&req, 0, None, State::Queued, None)?;
        }
        Ok(new > 0)
    }

    /// The remembered seeds.
    pub fn seeds(&self) -> Result<Vec<SeedRow>> {
        let mut st = self
            .conn
            .prepare("SELECT url, portal, region FROM seeds ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(SeedRow {
                    url: r.get(0)?,
                    portal: r.get(1)?,
                    region: r.get(2)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Add a request to the frontier in `state` unless its key is already there. Returns
    /// true when it was new.
    pub fn enqueue(
        &self,
        req: &Request,
        depth: u32,
        parent_id: Option<i64>,
        state: State,
        reason: Option<&str>,
    ) -> Result<bool> {
        let url = req.url.as_str();
        let key = request_key(req.method, url, req.body.as_deref());
        let n = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO frontier
                   (key, url, method, body, referer, kind, host, depth, title, parent_id, state, last_error, discovered_at, priority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    key,
                    url,
                    method_str(req.method),
                    req.body,
                    req.referer.as_ref().map(|u| u.as_str()),
                    req.kind.as_str(),
                    host_key(&req.url),
                    depth,
                    req.title,
                    parent_id,
                    state.as_str(),
                    reason,
                    now_ms(),
                    priority(req.kind),
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// Queue the target of a redirect from `from` (same kind, title and referer; POST becomes
    /// GET unless `keep_method`). Returns false when the target was already known — which is
    /// also how redirect loops end.
    pub fn enqueue_redirect(
        &self,
        from: &FrontierItem,
        target: &url::Url,
        keep_method: bool,
    ) -> Result<bool> {
        let (method, body) = if keep_method {
            (from.method, from.body.as_deref())
        } else {
            (Method::Get, None)
        };
        let key = request_key(method, target.as_str(), body);
        let n = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO frontier
                   (key, url, method, body, referer, kind, host, depth, title, parent_id, state, redirects, discovered_at, priority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', ?11, ?12, ?13)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    key,
                    target.as_str(),
                    method_str(method),
                    body,
                    from.referer,
                    from.kind.as_str(),
                    host_key(target),
                    from.depth,
                    from.title,
                    from.id,
                    from.redirects + 1,
                    now_ms(),
                    priority(from.kind),
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// Hosts with queued requests.
    pub fn queued_hosts(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT host FROM frontier INDEXED BY frontier_state WHERE state = 'queued'")
            .map_err(|e| self.err(e))?;
        let hosts = st
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(|e| self.err(e))?;
        Ok(hosts)
    }

    /// Up to `limit` queued requests of `host` that are due now, skipping ids in `exclude`
    /// (in flight). Report pages and files before listings, shallow before deep, old before
    /// new.
    pub fn next_for_host(
        &self,
        host: &str,
        exclude: &[i64],
        limit: usize,
    ) -> Result<Vec<FrontierItem>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM frontier
             WHERE host = ?1 AND state = 'queued' AND next_attempt_at <= ?2
             ORDER BY priority, depth, id
             LIMIT ?3"
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = st
            .query_map(
                params![host, now_ms(), (limit + exclude.len()) as i64],
                item_from_row,
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .filter(|i| !exclude.contains(&i.id))
            .take(limit)
            .collect())
    }

    /// When the next queued request of `host` becomes due (unix ms), if any is queued.
    pub fn next_due_at(&self, host: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT min(next_attempt_at) FROM frontier WHERE state = 'queued' AND host = ?1",
                [host],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// Record the final outcome of a request.
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        &self,
        id: i64,
        state: State,
        status: Option<u16>,
        error: Option<&str>,
        etag: Option<&str>,
        last_modified: Option<&str>,
        run_id: i64,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE frontier SET state = ?2, last_status = coalesce(?3, last_status), last_error = ?4,
                        etag = coalesce(?5, etag), last_modified = coalesce(?6, last_modified),
                        fetched_at = ?7, run_id = ?8, attempts = 0, next_attempt_at = 0
                 WHERE id = ?1",
            )
            .and_then(|mut st| st.execute(params![id, state.as_str(), status, error, etag, last_modified, now_ms(), run_id]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Put a request back in the queue, due at `due_ms`, after a failed attempt.
    pub fn retry_later(&self, id: i64, attempts: u32, due_ms: i64, error: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE frontier SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 WHERE id = ?1")
            .and_then(|mut st| st.execute(params![id, attempts, due_ms, error]))
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Prepare the frontier for a new (non-resuming) run: failed, blocked and skipped requests
    /// get another chance, and listing and report pages older than the revisit intervals are
    /// queued again (they will be asked for conditionally). Returns how many were requeued.
    pub fn requeue_for_new_run(
        &self,
        revisit_listings_ms: i64,
        revisit_reports_ms: i64,
    ) -> Result<usize> {
        let now = now_ms();
        let n = self
            .exec(
                "UPDATE frontier SET state = 'queued', attempts = 0, next_attempt_at = 0
                 WHERE state IN ('failed', 'blocked', 'disallowed', 'skipped')
                    OR (state IN ('done', 'not_modified')
                        AND kind IN ('listing', 'hanweb_proxy', 'json_api')
                        AND coalesce(fetched_at, 0) <= ?1)
                    OR (state IN ('done', 'not_modified', 'not_report')
                        AND kind IN ('detail', 'attachment')
                        AND coalesce(fetched_at, 0) <= ?2)",
                params![now - revisit_listings_ms, now - revisit_reports_ms],
            )
            .map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Give queued requests the current scheduling [`priority`] (archives written before
    /// report pages went first hold the old numbers). Returns how many changed.
    pub fn reprioritise_queue(&self) -> Result<usize> {
        self.exec(
            &format!(
                "UPDATE frontier SET priority = {PRIORITY_SQL}
                 WHERE state = 'queued' AND priority <> {PRIORITY_SQL}"
            ),
            [],
        )
        .map_err(|e| self.err(e))
    }

    /// The seed request `id` descends from: the first row up its chain of parents.
    pub fn seed_of(&self, id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "WITH RECURSIVE up(id, parent_id, n) AS (
                     SELECT id, parent_id, 0 FROM frontier WHERE id = ?1
                     UNION ALL
                     SELECT f.id, f.parent_id, up.n + 1 FROM frontier f JOIN up ON f.id = up.parent_id
                     WHERE up.n < 100000
                 )
                 SELECT id FROM up ORDER BY n DESC LIMIT 1",
            )
            .and_then(|mut st| st.query_row([id], |r| r.get(0)))
            .optional()
            .map(|root| root.unwrap_or(id))
            .map_err(|e| self.err(e))
    }

    /// Mark the queued listing requests descending from seed request `seed` as skipped, with
    /// `reason`. Returns how many.
    pub fn skip_queued_listings_of(&self, seed: i64, reason: &str, run_id: i64) -> Result<usize> {
        let queued: Vec<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT id FROM frontier INDEXED BY frontier_kind
                 WHERE kind IN {LISTING_KINDS_SQL} AND state = 'queued'"
            ))
            .and_then(|mut st| {
                st.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()
            })
            .map_err(|e| self.err(e))?;
        let mut skipped = 0;
        for id in queued {
            if self.seed_of(id)? == seed {
                self.exec(
                    "UPDATE frontier SET state = 'skipped', last_error = ?2, run_id = ?3 WHERE id = ?1",
                    params![id, reason, run_id],
                )
                .map_err(|e| self.err(e))?;
                skipped += 1;
            }
        }
        Ok(skipped)
    }

    /// Frontier counts by state.
    pub fn frontier_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut st = self
            .conn
            .prepare("SELECT state, count(*) FROM frontier GROUP BY state ORDER BY state")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Record robots.txt and politeness state of a host.
    pub fn update_host(
        &self,
        host: &str,
        robots_status: Option<&str>,
        robots_txt: Option<&str>,
        crawl_delay_secs: Option<f64>,
        state: &str,
        last_error: Option<&str>,
    ) -> Result<()> {
        self.exec(
                "INSERT INTO hosts (host, robots_status, robots_txt, robots_fetched_at, crawl_delay_secs, state, last_error, updated_at)
                 VALUES (?1, ?2, ?3, CASE WHEN ?2 IS NULL THEN NULL ELSE ?7 END, ?4, ?5, ?6, ?7)
                 ON CONFLICT(host) DO UPDATE SET
                   robots_status = coalesce(excluded.robots_status, robots_status),
                   robots_txt = coalesce(excluded.robots_txt, robots_txt),
                   robots_fetched_at = coalesce(excluded.robots_fetched_at, robots_fetched_at),
                   crawl_delay_secs = coalesce(excluded.crawl_delay_secs, crawl_delay_secs),
                   state = excluded.state, last_error = excluded.last_error, updated_at = excluded.updated_at",
                params![host, robots_status, robots_txt, crawl_delay_secs, state, last_error, now_ms()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}
