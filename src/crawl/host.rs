//! One task per host: robots.txt first ([`super::robots`]), then the host's due requests one
//! at a time, each after the host's pace allows it and a global permit is free, with at most
//! `per_host_concurrency` in flight. Every wait races the run's stop signal, so a stopping run
//! never waits for a sleeping host; a host whose next request is due too far ahead (an
//! earlier run's `Retry-After`) is deferred to the next run instead of waited for.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinSet;

use super::stop::Stop;
use super::{process, Ctx, HostMemo};
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::now_ms;
use crate::archive::runs::RunTally;
use crate::fetch::client::{FetchError, FetchRequest, Response};
use crate::fetch::politeness::HostPace;
use crate::fetch::robots::RobotsRules;

/// Due requests taken from the frontier at once. Every round trip to the archive writer waits
/// behind the jobs queued before it, so asking one by one left hosts idle; a few at a time
/// keeps the frontier's order (priority, depth) nearly exact.
const PREFETCH: usize = 8;

/// Crawl `host` until it has no due requests. Returns why the host was stopped early, if it was.
pub async fn crawl_host(ctx: Arc<Ctx>, host: String) -> Option<String> {
    let (mut pace, robots) = {
        let mut hosts = ctx.hosts.lock().ok()?;
        let memo = hosts.entry(host.clone()).or_insert_with(HostMemo::default);
        (
            memo.pace
                .take()
                .unwrap_or_else(|| HostPace::new(ctx.config.rate)),
            memo.robots.clone(),
        )
    };
    let robots = match robots {
        Some(r) => Some(r),
        None => super::robots::fetch(&ctx, &host, &mut pace).await,
    };
    if let Some(robots) = robots {
        if let Ok(mut hosts) = ctx.hosts.lock() {
            hosts.entry(host.clone()).or_default().robots = Some(robots.clone());
        }
        work(&ctx, &host, &mut pace, &robots).await;
    }
    let why = pace.stopped().map(str::to_string);
    if let Ok(mut hosts) = ctx.hosts.lock() {
        hosts.entry(host).or_default().pace = Some(pace);
    }
    why
}

/// Leave `host` alone for the rest of the run, and record why in the hosts table (its
/// requests stay queued for the next run).
pub fn defer(ctx: &Ctx, pace: &mut HostPace, host: &str, why: String) {
    tracing::warn!("{host}: {why}; left for the next run");
    let (h, msg) = (host.to_string(), why.clone());
    let _ = ctx
        .writer
        .send(move |a| a.update_host(&h, None, None, None, "deferred", Some(&msg)));
    pace.stop(why);
}

/// The host's requests: taken from the frontier, waiting to be sent, or in flight.
#[derive(Default)]
struct Slots {
    in_flight: JoinSet<(FrontierItem, Result<Response, FetchError>)>,
    /// Ids of requests taken and not yet handled, so they are not taken twice.
    taken: Vec<i64>,
    /// Taken, not yet sent.
    ready: VecDeque<FrontierItem>,
}

impl Slots {
    fn forget(&mut self, id: i64) {
        self.taken.retain(|t| *t != id);
    }

    /// Put back what was taken and not sent, so the next request is chosen afresh (after a
    /// listing page, whose report links go first).
    fn drop_ready(&mut self) {
        for item in std::mem::take(&mut self.ready) {
            self.forget(item.id);
        }
    }

    /// The next due request of `host`, from those taken or from the frontier.
    async fn next(&mut self, ctx: &Ctx, host: &str) -> Option<FrontierItem> {
        if self.ready.is_empty() {
            let (exclude, h) = (self.taken.clone(), host.to_string());
            match ctx
                .writer
                .call(move |a| a.next_for_host(&h, &exclude, PREFETCH))
                .await
            {
                Ok(items) => {
                    self.taken.extend(items.iter().map(|i| i.id));
                    self.ready.extend(items);
                }
                Err(e) => {
                    tracing::error!("{e}");
                    ctx.stop.raise(Stop::Graceful);
                }
            }
        }
        self.ready.pop_front()
    }
}

async fn work(ctx: &Arc<Ctx>, host: &str, pace: &mut HostPace, robots: &Arc<RobotsRules>) {
    let mut slots = Slots::default();
    loop {
        fill(ctx, host, pace, robots, &mut slots).await;
        if slots.in_flight.is_empty() {
            if wait_for_due(ctx, host, pace).await {
                continue;
            }
            return;
        }
        tokio::select! {
            done = slots.in_flight.join_next() => {
                if let Some(Ok((item, result))) = done {
                    slots.forget(item.id);
                    let listing = super::listing::is_listing(item.kind);
                    process::handle(ctx, pace, item, result).await;
                    if listing {
                        slots.drop_ready();
                    }
                }
            }
            _ = ctx.stop.reached(Stop::Abort) => {
                // Nothing more can be stored: what is in flight stays queued for next time.
                slots.in_flight.abort_all();
                return;
            }
        }
    }
}

/// Start due requests while the host has free slots.
async fn fill(
    ctx: &Arc<Ctx>,
    host: &str,
    pace: &mut HostPace,
    robots: &RobotsRules,
    slots: &mut Slots,
) {
    let per_host = ctx.config.per_host_concurrency;
    while slots.in_flight.len() < per_host && !ctx.stopping() && pace.stopped().is_none() {
        let Some(item) = slots.next(ctx, host).await else {
            break;
        };
        if !robots.allowed(&item.url) {
            slots.forget(item.id);
            disallowed(ctx, &item);
            continue;
        }
        if !ctx.claim_page() {
            slots.forget(item.id);
            break;
        }
        let Some(permit) = take_turn(ctx, host, pace, &item).await else {
            slots.forget(item.id);
            break;
        };
        let fetcher = ctx.fetcher.clone();
        let released = std::time::Instant::now();
        slots.in_flight.spawn(async move {
            tracing::debug!(target: "nianbao::pace", url = %item.url, waited_ms = released.elapsed().as_millis() as u64, "sending");
            let result = match url::Url::parse(&item.url) {
                Ok(url) => {
                    let req = FetchRequest {
                        url: &url,
                        method: item.method,
                        body: item.body.as_deref(),
                        referer: item.referer.as_deref(),
                        etag: item.etag.as_deref(),
                        last_modified: item.last_modified.as_deref(),
                    };
                    fetcher.fetch(&req).await
                }
                Err(e) => Err(FetchError::Request(format!("bad URL: {e}"))),
            };
            drop(permit);
            (item, result)
        });
    }
}

/// robots.txt forbids `item`: record it.
fn disallowed(ctx: &Ctx, item: &FrontierItem) {
    let (id, run) = (item.id, ctx.run_id);
    let _ = ctx.writer.send_tallied(move |a, t: &mut RunTally| {
        t.counts.disallowed += 1;
        a.finish(
            id,
            State::Disallowed,
            None,
            Some("robots.txt"),
            None,
            None,
            run,
        )
    });
}

/// Wait for the host's pace and a global slot; `None` when the run stopped meanwhile.
async fn take_turn(
    ctx: &Ctx,
    host: &str,
    pace: &mut HostPace,
    item: &FrontierItem,
) -> Option<OwnedSemaphorePermit> {
    ctx.stop.unless_stopped(pace.ready()).await?;
    let asked = std::time::Instant::now();
    let permit = ctx
        .stop
        .unless_stopped(ctx.global.clone().acquire_owned())
        .await?
        .ok()?;
    if asked.elapsed() > Duration::from_millis(5) {
        // Waiting for a global slot delayed this request past its pace check; check
        // again so it does not land too close to the host's next one.
        ctx.stop.unless_stopped(pace.ready()).await?;
    }
    tracing::debug!(target: "nianbao::pace", host, url = %item.url, "released");
    Some(permit)
}

/// Nothing in flight: wait (at most a second at a time) for the host's next queued request
/// to become due. False when there is none, the run is stopping, or it is due so far ahead
/// that the host is deferred to the next run.
async fn wait_for_due(ctx: &Ctx, host: &str, pace: &mut HostPace) -> bool {
    if ctx.stopping() || pace.stopped().is_some() {
        return false;
    }
    let h = host.to_string();
    let Ok(Some(due)) = ctx.writer.call(move |a| a.next_due_at(&h)).await else {
        return false;
    };
    let wait = due - now_ms();
    // Within a run, requests wait at most a retry's backoff or an accepted Retry-After; one
    // due later was put off by an earlier run (a long Retry-After).
    let horizon = ctx.config.max_retry_after.max(ctx.config.backoff_max) + Duration::from_secs(1);
    if wait > horizon.as_millis() as i64 {
        defer(
            ctx,
            pace,
            host,
            format!("next request due in {} s", wait / 1000),
        );
        return false;
    }
    let nap = Duration::from_millis(wait.clamp(10, 1000) as u64);
    ctx.stop
        .unless_stopped(tokio::time::sleep(nap))
        .await
        .is_some()
}
