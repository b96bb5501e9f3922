//! A listing response (column page, Hanweb proxy group, JSON API page): store it, discover
//! the requests it links, queue the in-scope ones within `max_depth` and record the rest.
//!
//! Every hop adds one to the depth, listing to listing included (pagination, sub-columns,
//! year folders), so an endless chain of listing pages ends at `max_depth`; and each page
//! counts for its seed's listing budget ([`super::budget`]): once a seed's listing pages keep
//! adding no new report link, its remaining listing pages are skipped for this run.

use std::sync::Arc;

use super::budget::Paging;
use super::process::{record_offscope, PageMeta};
use super::Ctx;
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::runs::RunTally;
use crate::archive::Archive;
use crate::discover::{self, LinkKind, Request};
use crate::extract::charset;
use crate::fetch::client::Response;

/// Whether requests of `kind` are listing pages (they lead to reports) rather than documents.
pub fn is_listing(kind: LinkKind) -> bool {
    matches!(
        kind,
        LinkKind::Listing | LinkKind::HanwebProxy | LinkKind::JsonApi
    )
}

/// What a listing page links to, sorted for queueing.
#[derive(Default)]
struct Links {
    /// Report pages and files in scope.
    reports: Vec<Request>,
    /// Listing pages in scope.
    listings: Vec<Request>,
    /// Out of scope: recorded, never fetched.
    offscope: Vec<Request>,
}

/// Store a listing response and queue what it links.
pub fn listing(ctx: &Arc<Ctx>, item: FrontierItem, resp: Response) {
    let decoded = charset::decode(&resp.body, resp.header("content-type"));
    let discovery = discover::discover(item.kind, &resp.final_url, &decoded.text);
    let depth = item.depth + 1;
    let mut links = Links::default();
    for req in discovery.requests {
        if !ctx.scope.contains(&req.url) {
            links.offscope.push(req);
        } else if depth > ctx.config.max_depth {
            continue;
        } else if is_listing(req.kind) {
            links.listings.push(req);
        } else {
            links.reports.push(req);
        }
    }
    let meta = PageMeta::of(&resp);
    let encoding = decoded.encoding.name();
    let ctx = ctx.clone();
    let writer = ctx.writer.clone();
    let _ = writer.send_tallied(move |a, t| {
        t.add(&RunTally::response_of(resp.body.len()));
        t.archived += 1;
        t.counts.offscope += links.offscope.len() as u64;
        a.store_page(&meta.page(
            &item,
            &resp,
            ctx.run_id,
            Some(encoding),
            Some(&decoded.text),
        ))?;
        queue(a, &ctx, &item, depth, &links)?;
        record_offscope(a, &item, &links.offscope)?;
        a.finish(
            item.id,
            State::Done,
            Some(resp.status),
            None,
            meta.etag.as_deref(),
            meta.last_modified.as_deref(),
            ctx.run_id,
        )
    });
}

/// Queue `links` found on `item` (runs in the archive job): report links first, then listing
/// links, queued or skipped as the seed's listing budget says.
fn queue(
    a: &Archive,
    ctx: &Ctx,
    item: &FrontierItem,
    depth: u32,
    links: &Links,
) -> crate::archive::Result<()> {
    let mut fresh = 0;
    for req in &links.reports {
        if a.enqueue(req, depth, Some(item.id), State::Queued, None)? {
            fresh += 1;
        }
    }
    let seed = a.seed_of(item.id)?;
    let paging = ctx.budget.record(seed, fresh);
    let reason = ctx.budget.reason();
    let (state, note) = match paging {
        Paging::Go => (State::Queued, None),
        Paging::SpentNow | Paging::Spent => (State::Skipped, Some(reason.as_str())),
    };
    for req in &links.listings {
        a.enqueue(req, depth, Some(item.id), state, note)?;
    }
    if paging == Paging::SpentNow {
        let skipped = a.skip_queued_listings_of(seed, &reason, ctx.run_id)?;
        let url: String = a
            .conn()
            .query_row("SELECT url FROM frontier WHERE id = ?1", [seed], |r| {
                r.get(0)
            })
            .map_err(|e| a.err(e))?;
        tracing::warn!("{url}: paging stopped, {skipped} listing pages skipped: {reason}");
        ctx.budget.note_cut(url);
    }
    Ok(())
}
