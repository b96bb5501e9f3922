//! What to do with each response: retry, record a failure or block, or run the pure stages
//! (discover for listings; [`crate::analyse`] for detail pages and attachments) and store the
//! result with one archive job.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::Ctx;
use crate::analyse::{self, Analysis};
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::ingest::Stored;
use crate::archive::now_ms;
use crate::archive::store::NewPage;
use crate::discover::{self, LinkKind, Method, Request};
use crate::extract::charset;
use crate::extract::sniff::{sniff, DocKind};
use crate::fetch::client::{FetchError, Response};
use crate::fetch::politeness::HostPace;
use crate::fetch::retry::{backoff, parse_retry_after, status_is_retryable};
use crate::model::DocumentRole;

/// Handle the result of fetching `item`.
pub async fn handle(
    ctx: &Arc<Ctx>,
    pace: &mut HostPace,
    item: FrontierItem,
    result: Result<Response, FetchError>,
) {
    let resp = match result {
        Ok(resp) => resp,
        Err(e) => return failed_attempt(ctx, &item, e.is_retryable(), e.class(), &e.to_string()),
    };
    if !super::warc::record(ctx, &item.url, &resp).await {
        return;
    }
    ctx.stats.fetched.fetch_add(1, Ordering::Relaxed);
    ctx.stats
        .bytes
        .fetch_add(resp.body.len() as u64, Ordering::Relaxed);
    let (id, run) = (item.id, ctx.run_id);

    if resp.status == 304 {
        pace.ok();
        ctx.stats.not_modified.fetch_add(1, Ordering::Relaxed);
        let _ = ctx
            .writer
            .send(move |a| a.finish(id, State::NotModified, Some(304), None, None, None, run));
        return;
    }
    if let Some(block) = crate::fetch::antibot::detect(resp.status, &resp.headers, &resp.body) {
        ctx.stats.blocked.fetch_add(1, Ordering::Relaxed);
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
        let (host, status) = (item.host.clone(), resp.status);
        let msg = format!("blocked: {} ({})", block.kind, block.evidence);
        let _ = ctx.writer.send(move |a| {
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
        return;
    }
    if let Some(target) = resp
        .location
        .clone()
        .filter(|_| matches!(resp.status, 301 | 302 | 303 | 307 | 308))
    {
        return redirect(ctx, &item, resp.status, target);
    }
    if matches!(resp.status, 429 | 503) {
        if let Some(delay) = resp.header("retry-after").and_then(parse_retry_after) {
            if delay > ctx.config.max_retry_after {
                pace.stop(format!(
                    "Retry-After {}s is longer than max_retry_after",
                    delay.as_secs()
                ));
            } else {
                pace.pause(delay);
            }
            return retry_at(
                ctx,
                &item,
                now_ms() + delay.as_millis() as i64,
                &format!("http {} retry-after", resp.status),
            );
        }
    }
    if status_is_retryable(resp.status) {
        return failed_attempt(
            ctx,
            &item,
            true,
            &format!("http_{}", resp.status),
            &format!("http {}", resp.status),
        );
    }
    if resp.status >= 300 {
        ctx.stats.fail(&format!("http_{}", resp.status));
        let status = resp.status;
        let _ = ctx.writer.send(move |a| {
            a.finish(
                id,
                State::Failed,
                Some(status),
                Some(&format!("http {status}")),
                None,
                None,
                run,
            )
        });
        return;
    }
    pace.ok();
    // Decoding, discovery, extraction and parsing are CPU work (and attachments run external
    // converters): keep them off the async threads, whose promptness the per-host pacing
    // relies on (a request delayed after its pace check lands too close to the next one).
    //
    // At most `ctx.cpu` (one per core) of them run at once: without a cap, dozens ran and the
    // archive writer thread (the crawl's one serial stage) waited for a core behind them. One
    // less than the cores was tried and was slower (180 against 207–252 pages/s on 2 cores)
    // once the writer's queue was bounded, which makes processing wait for the writer.
    let Ok(permit) = ctx.cpu.clone().acquire_owned().await else {
        return;
    };
    let ctx = ctx.clone();
    let url = item.url.clone();
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match item.kind {
            LinkKind::Listing | LinkKind::HanwebProxy | LinkKind::JsonApi => {
                listing(&ctx, item, resp)
            }
            LinkKind::Detail | LinkKind::Attachment if ctx.config.fetch_only => {
                archive_document(&ctx, item, resp)
            }
            LinkKind::Detail | LinkKind::Attachment => document(&ctx, item, resp),
        }
    });
    if let Err(e) = work.await {
        tracing::error!("{url}: processing failed: {e}");
    }
}

/// A redirect: queue the target as its own request (scope, robots and pace apply to every
/// hop; a target already known — a loop — is not fetched again).
fn redirect(ctx: &Arc<Ctx>, item: &FrontierItem, status: u16, target: url::Url) {
    let (id, run) = (item.id, ctx.run_id);
    if !ctx.scope.contains(&target) {
        ctx.stats.offscope.fetch_add(1, Ordering::Relaxed);
        ctx.stats.fail("redirect_offscope");
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
        let _ = ctx.writer.send(move |a| {
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
        ctx.stats.fail("too_many_redirects");
        let msg = format!(
            "more than {} redirects (last to {target})",
            ctx.config.max_redirects
        );
        let _ = ctx
            .writer
            .send(move |a| a.finish(id, State::Failed, Some(status), Some(&msg), None, None, run));
        return;
    }
    let from = item.clone();
    let keep_method = matches!(status, 307 | 308);
    let _ = ctx.writer.send(move |a| {
        let new = a.enqueue_redirect(&from, &target, keep_method)?;
        let msg = if new {
            format!("redirected to {target}")
        } else {
            format!("redirected to {target} (already known: loop or duplicate)")
        };
        a.finish(id, State::Done, Some(status), Some(&msg), None, None, run)
    });
}

/// Record links found on `item`'s page that are out of scope (kept, never fetched).
fn record_offscope(
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
struct PageMeta {
    headers: String,
    content_type: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    /// The body compressed here, on a processing thread, rather than by the archive writer,
    /// the crawl's one serial stage.
    raw_zstd: Option<Vec<u8>>,
    /// The body's SHA-256, likewise computed here rather than by the writer.
    raw_sha256: String,
}

impl PageMeta {
    fn of(resp: &Response) -> PageMeta {
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
    fn page<'a>(
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

/// A failed attempt: retry later with backoff if allowed, else record the failure.
fn failed_attempt(
    ctx: &Arc<Ctx>,
    item: &FrontierItem,
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
        return retry_at(ctx, item, now_ms() + delay.as_millis() as i64, message);
    }
    tracing::debug!("{}: giving up: {message}", item.url);
    ctx.stats.fail(class);
    let (id, run) = (item.id, ctx.run_id);
    let msg = if retryable {
        format!("{message} (after {} attempts)", item.attempts + 1)
    } else {
        message.to_string()
    };
    let _ = ctx
        .writer
        .send(move |a| a.finish(id, State::Failed, None, Some(&msg), None, None, run));
}

fn retry_at(ctx: &Arc<Ctx>, item: &FrontierItem, due_ms: i64, message: &str) {
    ctx.stats.retries.fetch_add(1, Ordering::Relaxed);
    let (id, attempts, msg) = (item.id, item.attempts + 1, message.to_string());
    let _ = ctx
        .writer
        .send(move |a| a.retry_later(id, attempts, due_ms, &msg));
}

/// A listing response: store it, discover requests, queue the in-scope ones and record the rest.
fn listing(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
    let decoded = charset::decode(&resp.body, resp.header("content-type"));
    let discovery = discover::discover(item.kind, &resp.final_url, &decoded.text);
    let mut queued = Vec::new();
    let mut offscope = Vec::new();
    for req in discovery.requests {
        if ctx.scope.contains(&req.url) {
            // Listing → listing hops (pagination, sub-columns) do not add depth.
            let depth = if req.kind == LinkKind::Detail || req.kind == LinkKind::Attachment {
                item.depth + 1
            } else {
                item.depth
            };
            if depth <= ctx.config.max_depth {
                queued.push((req, depth));
            }
        } else {
            offscope.push(req);
        }
    }
    ctx.stats
        .offscope
        .fetch_add(offscope.len() as u64, Ordering::Relaxed);
    let run = ctx.run_id;
    let meta = PageMeta::of(&resp);
    let encoding = decoded.encoding.name();
    let _ = ctx.writer.send(move |a| {
        a.store_page(&meta.page(&item, &resp, run, Some(encoding), Some(&decoded.text)))?;
        for (req, depth) in &queued {
            a.enqueue(req, *depth, Some(item.id), State::Queued, None)?;
        }
        record_offscope(a, &item, &offscope)?;
        a.finish(
            item.id,
            State::Done,
            Some(resp.status),
            None,
            meta.etag.as_deref(),
            meta.last_modified.as_deref(),
            run,
        )
    });
}

/// A detail page or attachment as the analysis needs it: just fetched, or read back from the
/// archive by [`super::backlog`] after a fetch-only crawl.
pub struct Fetched<'a> {
    /// The request it answered.
    pub item: &'a FrontierItem,
    /// URL after redirects.
    pub final_url: &'a url::Url,
    /// Body as received (decompressed).
    pub body: &'a [u8],
    /// `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// `Content-Disposition` header, raw (it may be GBK).
    pub content_disposition: Option<&'a [u8]>,
}

impl Fetched<'_> {
    /// Analyse it ([`analyse::document`]).
    pub fn analyse(&self) -> Analysis {
        analyse::document(&analyse::Document {
            url: self.final_url,
            bytes: self.body,
            content_type: self.content_type,
            content_disposition: self.content_disposition,
            listing_title: self.item.title.as_deref(),
            linked_as: Some(role_of(self.item.kind)),
            linked_from: self.item.referer.as_deref(),
        })
    }
}

/// How a request's link presents the document it leads to.
fn role_of(kind: LinkKind) -> DocumentRole {
    if kind == LinkKind::Attachment {
        DocumentRole::Attachment
    } else {
        DocumentRole::Detail
    }
}

/// The frontier state and note a stored document leaves its request in.
pub fn finished_state(analysis: &Analysis, stored: Stored) -> (State, Option<&str>) {
    let state = match stored {
        Stored::NewReport | Stored::KnownReport => State::Done,
        Stored::NotReport => State::NotReport,
    };
    (state, analysis.verdict.reason())
}

/// Whether a response to `item` is read as an HTML page (its report files looked for) rather
/// than as a file; as [`analyse::document`] decides.
fn is_html_page(item: &FrontierItem, kind: DocKind) -> bool {
    kind == DocKind::Html || (kind == DocKind::Text && item.kind == LinkKind::Detail)
}

/// The report files an HTML page links to, as requests (referer = the page).
fn attachment_requests(
    links: &[crate::extract::page::AttachmentLink],
    page: &url::Url,
    page_title: Option<&String>,
) -> Vec<Request> {
    links
        .iter()
        .map(|l| Request {
            url: l.url.clone(),
            method: Method::Get,
            body: None,
            referer: Some(page.clone()),
            kind: LinkKind::Attachment,
            title: Some(l.text.clone())
                .filter(|t| !t.trim().is_empty())
                .or_else(|| page_title.cloned()),
        })
        .collect()
}

/// Split `requests` into those in scope and those out of it (counted).
fn by_scope(ctx: &Ctx, requests: Vec<Request>) -> (Vec<Request>, Vec<Request>) {
    let (inside, outside): (Vec<Request>, Vec<Request>) = requests
        .into_iter()
        .partition(|r| ctx.scope.contains(&r.url));
    ctx.stats
        .offscope
        .fetch_add(outside.len() as u64, Ordering::Relaxed);
    (inside, outside)
}

/// A detail page or attachment: extract, parse, check, store; queue a detail page's attachments.
fn document(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
    let meta = PageMeta::of(&resp);
    let fetched = Fetched {
        item: &item,
        final_url: &resp.final_url,
        body: &resp.body,
        content_type: meta.content_type.as_deref(),
        content_disposition: resp
            .headers
            .get(reqwest::header::CONTENT_DISPOSITION)
            .map(|v| v.as_bytes()),
    };
    let mut analysis = fetched.analyse();
    let links = std::mem::take(&mut analysis.attachments);
    let attachments = attachment_requests(&links, &resp.final_url, None);
    let region = ctx.regions.get(&item.host).cloned();
    let (in_scope, out_of_scope) = by_scope(ctx, attachments);
    let run = ctx.run_id;
    let stats_ctx = ctx.clone();
    let _ = ctx.writer.send(move |a| {
        let (encoding, text) = analysis.page_text();
        let page = meta.page(&item, &resp, run, encoding, text);
        let stored = a.store_analysed(&page, &item.url, region.as_deref(), &analysis)?;
        for req in &in_scope {
            a.enqueue(req, item.depth + 1, Some(item.id), State::Queued, None)?;
        }
        record_offscope(a, &item, &out_of_scope)?;
        count_stored(a, &stats_ctx.stats, stored)?;
        let (state, note) = finished_state(&analysis, stored);
        a.finish(
            item.id,
            state,
            Some(resp.status),
            note,
            meta.etag.as_deref(),
            meta.last_modified.as_deref(),
            run,
        )
    });
}

/// A detail page or attachment in a fetch-only crawl: archive it, queue the report files it
/// links to, and leave extraction, parsing and checks to [`super::backlog`].
fn archive_document(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
    let meta = PageMeta::of(&resp);
    let kind = sniff(
        &resp.body,
        resp.final_url.path(),
        meta.content_type.as_deref(),
    );
    let attachments = if is_html_page(&item, kind) {
        let decoded = charset::decode(&resp.body, meta.content_type.as_deref());
        let links = crate::extract::page::attachment_links(&decoded.text, &resp.final_url);
        if links.iter().any(|l| l.text.trim().is_empty()) {
            // A nameless link takes the page's title, which only the full extraction reads.
            let detail = crate::extract::page::extract_detail(&decoded.text, &resp.final_url);
            attachment_requests(&detail.attachments, &resp.final_url, detail.title.as_ref())
        } else {
            attachment_requests(&links, &resp.final_url, None)
        }
    } else {
        Vec::new()
    };
    let (in_scope, out_of_scope) = by_scope(ctx, attachments);
    let disposition = resp
        .headers
        .get(reqwest::header::CONTENT_DISPOSITION)
        .map(|v| v.as_bytes().to_vec());
    let run = ctx.run_id;
    let stats_ctx = ctx.clone();
    let _ = ctx.writer.send(move |a| {
        let page_id = a.store_page(&meta.page(&item, &resp, run, None, None))?;
        a.queue_for_analysis(page_id, disposition.as_deref())?;
        stats_ctx
            .stats
            .analysis_queued
            .fetch_add(1, Ordering::Relaxed);
        for req in &in_scope {
            a.enqueue(req, item.depth + 1, Some(item.id), State::Queued, None)?;
        }
        record_offscope(a, &item, &out_of_scope)?;
        a.finish(
            item.id,
            State::Done,
            Some(resp.status),
            None,
            meta.etag.as_deref(),
            meta.last_modified.as_deref(),
            run,
        )
    });
}

/// Count a stored document in `stats`, indexing new reports for search every
/// [`crate::archive::fts::FLUSH_EVERY`].
pub fn count_stored(
    a: &crate::archive::Archive,
    stats: &super::Stats,
    stored: Stored,
) -> crate::archive::Result<()> {
    match stored {
        Stored::NewReport => {
            let n = stats.reports_new.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(crate::archive::fts::FLUSH_EVERY) {
                a.flush_search_index()?;
            }
        }
        Stored::KnownReport => {
            stats.reports_seen.fetch_add(1, Ordering::Relaxed);
        }
        Stored::NotReport => {}
    }
    Ok(())
}
