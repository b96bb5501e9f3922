//! What to do with each response: retry it, record a failure, an anti-bot block or a redirect,
//! or hand its content to [`super::listing`] (listing pages) or [`super::document`] (detail
//! pages and attachments), on a processing thread. Every outcome is one archive job that also
//! counts it in the run's tally, so the summary holds what was stored.

use std::sync::Arc;
use std::time::Duration;

use super::Ctx;
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::now_ms;
use crate::archive::runs::RunTally;
use crate::archive::store::NewPage;
use crate::discover::{LinkKind, Method, Request};
use crate::fetch::antibot::Block;
use crate::fetch::client::{FetchError, Response};
use crate::fetch::politeness::HostPace;
use crate::fetch::retry::{backoff, parse_retry_after, status_is_retryable};

/// Handle the result of fetching `item`.
pub async fn handle(
    ctx: &Arc<Ctx>,
    pace: &mut HostPace,
    item: FrontierItem,
    result: Result<Response, FetchError>,
) {
    let resp = match result {
        Ok(resp) => resp,
        Err(e) => {
            let (retryable, class) = (e.is_retryable(), e.class());
            return failed_attempt(
                ctx,
                &item,
                RunTally::default(),
                retryable,
                class,
                &e.to_string(),
            );
        }
    };
    if !super::warc::record(ctx, &item.url, &resp).await {
        return;
    }
    if settle(ctx, pace, &item, &resp) {
        return;
    }
    pace.ok();
    process_content(ctx, item, resp).await;
}

/// Responses without content to process: 304, an anti-bot page, a redirect, `Retry-After`, an
/// error status. True when `resp` was one of them (and is recorded).
fn settle(ctx: &Arc<Ctx>, pace: &mut HostPace, item: &FrontierItem, resp: &Response) -> bool {
    let tally = RunTally::response_of(resp.body.len());
    let (id, run, status) = (item.id, ctx.run_id, resp.status);
    if status == 304 {
        pace.ok();
        let _ = ctx.writer.send_tallied(move |a, t| {
            t.add(&tally);
            t.counts.not_modified += 1;
            t.archived += 1;
            a.finish(id, State::NotModified, Some(304), None, None, None, run)
        });
        return true;
    }
    if let Some(block) = crate::fetch::antibot::detect(status, &resp.headers, &resp.body) {
        blocked(ctx, pace, item, status, &block, tally);
        return true;
    }
    if let Some(target) = resp
        .location
        .clone()
        .filter(|_| matches!(status, 301 | 302 | 303 | 307 | 308))
    {
        redirect(ctx, item, status, target, tally);
        return true;
    }
    if matches!(status, 429 | 503) {
        if let Some(delay) = resp.header("retry-after").and_then(parse_retry_after) {
            retry_after(ctx, pace, item, status, delay, tally);
            return true;
        }
    }
    if status_is_retryable(status) {
        let (class, msg) = (format!("http_{status}"), format!("http {status}"));
        failed_attempt(ctx, item, tally, true, &class, &msg);
        return true;
    }
    if status >= 300 {
        let _ = ctx.writer.send_tallied(move |a, t| {
            t.add(&tally);
            t.fail(&format!("http_{status}"));
            let msg = format!("http {status}");
            a.finish(id, State::Failed, Some(status), Some(&msg), None, None, run)
        });
        return true;
    }
    false
}

/// An anti-bot page: record it, back off, and stop the host after too many in a row.
fn blocked(
    ctx: &Ctx,
    pace: &mut HostPace,
    item: &FrontierItem,
    status: u16,
    block: &Block,
    tally: RunTally,
) {
    let stopped = pace.blocked(ctx.config.max_blocks_per_host);
    tracing::warn!(
        "{}: anti-bot page ({}){}",
        item.url,
        block.evidence,
        if stopped {
            "; host left for the next run"
        } else {
            ""
        }
    );
    let (id, run, host) = (item.id, ctx.run_id, item.host.clone());
    let msg = format!("blocked: {} ({})", block.kind, block.evidence);
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&tally);
        t.counts.blocked += 1;
        a.update_host(&host, None, None, None, "blocked", Some(&msg))?;
        a.finish(
            id,
            State::Blocked,
            Some(status),
            Some(&msg),
            None,
            None,
            run,
        )
    });
}

/// 429/503 with `Retry-After`: pause the host and retry then, or, beyond
/// `max_retry_after_secs`, defer the host to the next run (the request stays queued, due when
/// the server asked).
fn retry_after(
    ctx: &Ctx,
    pace: &mut HostPace,
    item: &FrontierItem,
    status: u16,
    delay: Duration,
    tally: RunTally,
) {
    if delay > ctx.config.max_retry_after {
        let why = format!(
            "Retry-After {} s is longer than max_retry_after_secs ({} s)",
            delay.as_secs(),
            ctx.config.max_retry_after.as_secs_f64()
        );
        super::host::defer(ctx, pace, &item.host, why);
    } else {
        pace.pause(delay);
    }
    let due = now_ms().saturating_add(delay.as_millis().min(i64::MAX as u128) as i64);
    retry_at(ctx, item, due, &format!("http {status} retry-after"), tally);
}

/// A redirect: queue the target as its own request (scope, robots and pace apply to every
/// hop; a target already known — a loop — is not fetched again).
fn redirect(ctx: &Ctx, item: &FrontierItem, status: u16, target: url::Url, tally: RunTally) {
    let (id, run) = (item.id, ctx.run_id);
    if !ctx.scope.contains(&target) {
        let req = Request {
            url: target.clone(),
            method: Method::Get,
            body: None,
            referer: None,
            kind: item.kind,
            title: item.title.clone(),
        };
        let depth = item.depth;
        let msg = format!("redirect out of scope to {target}");
        let _ = ctx.writer.send_tallied(move |a, t| {
            t.add(&tally);
            t.counts.offscope += 1;
            t.fail("redirect_offscope");
            a.enqueue(
                &req,
                depth,
                Some(id),
                State::Offscope,
                Some("redirect out of scope"),
            )?;
            a.finish(id, State::Failed, Some(status), Some(&msg), None, None, run)
        });
        return;
    }
    if item.redirects >= ctx.config.max_redirects as u32 {
        let msg = format!(
            "more than {} redirects (last to {target})",
            ctx.config.max_redirects
        );
        let _ = ctx.writer.send_tallied(move |a, t| {
            t.add(&tally);
            t.fail("too_many_redirects");
            a.finish(id, State::Failed, Some(status), Some(&msg), None, None, run)
        });
        return;
    }
    let from = item.clone();
    let keep_method = matches!(status, 307 | 308);
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&tally);
        let new = a.enqueue_redirect(&from, &target, keep_method)?;
        let msg = if new {
            format!("redirected to {target}")
        } else {
            format!("redirected to {target} (already known: loop or duplicate)")
        };
        a.finish(id, State::Done, Some(status), Some(&msg), None, None, run)
    });
}

/// A failed attempt: retry later with backoff if allowed, else record the failure. `tally`
/// holds the response, if one came.
fn failed_attempt(
    ctx: &Ctx,
    item: &FrontierItem,
    tally: RunTally,
    retryable: bool,
    class: &str,
    message: &str,
) {
    if retryable && item.attempts < ctx.config.retries {
        let delay = backoff(
            item.attempts + 1,
            ctx.config.backoff_base,
            ctx.config.backoff_max,
        );
        return retry_at(
            ctx,
            item,
            now_ms() + delay.as_millis() as i64,
            message,
            tally,
        );
    }
    tracing::debug!("{}: giving up: {message}", item.url);
    let (id, run, class) = (item.id, ctx.run_id, class.to_string());
    let msg = if retryable {
        format!("{message} (after {} attempts)", item.attempts + 1)
    } else {
        message.to_string()
    };
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&tally);
        t.fail(&class);
        a.finish(id, State::Failed, None, Some(&msg), None, None, run)
    });
}

fn retry_at(ctx: &Ctx, item: &FrontierItem, due_ms: i64, message: &str, tally: RunTally) {
    let (id, attempts, msg) = (item.id, item.attempts + 1, message.to_string());
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&tally);
        t.retries += 1;
        a.retry_later(id, attempts, due_ms, &msg)
    });
}

/// A page with content: discovery for listings, analysis (or archiving, fetch-only) for
/// documents.
///
/// Decoding, discovery, extraction and parsing are CPU work (and attachments run external
/// converters): keep them off the async threads, whose promptness the per-host pacing
/// relies on (a request delayed after its pace check lands too close to the next one).
///
/// At most `ctx.cpu` (one per core) of them run at once: without a cap, dozens ran and the
/// archive writer thread (the crawl's one serial stage) waited for a core behind them. One
/// less than the cores was tried and was slower (180 against 207–252 pages/s on 2 cores)
/// once the writer's queue was bounded, which makes processing wait for the writer.
async fn process_content(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
    let Ok(permit) = ctx.cpu.clone().acquire_owned().await else {
        return;
    };
    let ctx = ctx.clone();
    let url = item.url.clone();
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match item.kind {
            LinkKind::Listing | LinkKind::HanwebProxy | LinkKind::JsonApi => {
                super::listing::listing(&ctx, item, resp)
            }
            LinkKind::Detail | LinkKind::Attachment if ctx.config.fetch_only => {
                super::document::archive_document(&ctx, item, resp)
            }
            LinkKind::Detail | LinkKind::Attachment => super::document::document(&ctx, item, resp),
        }
    });
    if let Err(e) = work.await {
        tracing::error!("{url}: processing failed: {e}");
    }
}

/// Record links found on `item`'s page that are out of scope (kept, never fetched).
pub(super) fn record_offscope(
    a: &crate::archive::Archive,
    item: &FrontierItem,
    links: &[Request],
) -> crate::archive::Result<()> {
    for req in links {
        a.enqueue(
            req,
            item.depth + 1,
            Some(item.id),
            State::Offscope,
            Some("off scope"),
        )?;
    }
    Ok(())
}

/// What is stored about a response besides its body, taken once from its headers.
pub(super) struct PageMeta {
    headers: String,
    pub(super) content_type: Option<String>,
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
    /// The body compressed here, on a processing thread, rather than by the archive writer,
    /// the crawl's one serial stage.
    raw_zstd: Option<Vec<u8>>,
    /// The body's SHA-256, likewise computed here rather than by the writer.
    raw_sha256: String,
}

impl PageMeta {
    pub(super) fn of(resp: &Response) -> PageMeta {
        let header = |name| resp.header(name).map(str::to_string);
        PageMeta {
            headers: resp.headers_json(),
            content_type: header("content-type"),
            etag: header("etag"),
            last_modified: header("last-modified"),
            raw_zstd: crate::archive::store::compress(&resp.body).ok(),
            raw_sha256: crate::archive::store::sha256_hex(&resp.body),
        }
    }

    /// The page row for `resp`, which answered `item`.
    pub(super) fn page<'a>(
        &'a self,
        item: &'a FrontierItem,
        resp: &'a Response,
        run_id: i64,
        encoding: Option<&'a str>,
        text: Option<&'a str>,
    ) -> NewPage<'a> {
        NewPage {
            frontier_id: item.id,
            run_id,
            url: &item.url,
            final_url: resp.final_url.as_str(),
            status: resp.status,
            headers_json: &self.headers,
            content_type: self.content_type.as_deref(),
            etag: self.etag.as_deref(),
            last_modified: self.last_modified.as_deref(),
            raw: &resp.body,
            raw_zstd: self.raw_zstd.as_deref(),
            raw_sha256: Some(&self.raw_sha256),
            encoding,
            text,
        }
    }
}
