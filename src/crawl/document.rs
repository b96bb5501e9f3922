//! A detail page or attachment: analyse it ([`crate::analyse`]: extract, parse, check) and
//! store the result with the report files it links, in one archive job; or, in a fetch-only
//! crawl, archive it and queue it for [`super::backlog`].

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::process::{record_offscope, PageMeta};
use super::{Ctx, Stats};
use crate::analyse::{self, Analysis};
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::ingest::Stored;
use crate::archive::runs::RunTally;
use crate::discover::{LinkKind, Method, Request};
use crate::extract::charset;
use crate::extract::sniff::{sniff, DocKind};
use crate::fetch::client::Response;
use crate::model::DocumentRole;

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

/// Split `requests` into those in scope and those out of it.
fn by_scope(ctx: &Ctx, requests: Vec<Request>) -> (Vec<Request>, Vec<Request>) {
    requests
        .into_iter()
        .partition(|r| ctx.scope.contains(&r.url))
}

/// A detail page or attachment: extract, parse, check, store; queue a detail page's attachments.
pub fn document(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
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
    let (run, stats) = (ctx.run_id, ctx.stats.clone());
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&RunTally::response_of(resp.body.len()));
        t.archived += 1;
        t.counts.offscope += out_of_scope.len() as u64;
        let (encoding, text) = analysis.page_text();
        let page = meta.page(&item, &resp, run, encoding, text);
        let stored = a.store_analysed(&page, &item.url, region.as_deref(), &analysis)?;
        for req in &in_scope {
            a.enqueue(req, item.depth + 1, Some(item.id), State::Queued, None)?;
        }
        record_offscope(a, &item, &out_of_scope)?;
        count_stored(a, &stats, t, stored)?;
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
pub fn archive_document(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
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
    let _ = ctx.writer.send_tallied(move |a, t| {
        t.add(&RunTally::response_of(resp.body.len()));
        t.archived += 1;
        t.counts.offscope += out_of_scope.len() as u64;
        let page_id = a.store_page(&meta.page(&item, &resp, run, None, None))?;
        a.queue_for_analysis(page_id, disposition.as_deref())?;
        t.analysis_queued += 1;
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

/// Count a stored document in `stats` and the batch's `tally`, indexing new reports for
/// search every [`crate::archive::fts::FLUSH_EVERY`].
pub fn count_stored(
    a: &crate::archive::Archive,
    stats: &Stats,
    tally: &mut RunTally,
    stored: Stored,
) -> crate::archive::Result<()> {
    match stored {
        Stored::NewReport => {
            tally.counts.reports_new += 1;
            let n = stats.reports_new.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(crate::archive::fts::FLUSH_EVERY) {
                a.flush_search_index()?;
            }
        }
        Stored::KnownReport => {
            tally.counts.reports_seen += 1;
            stats.reports_seen.fetch_add(1, Ordering::Relaxed);
        }
        Stored::NotReport => {}
    }
    Ok(())
}
