//! One task per host: robots.txt first, then the host's due requests one at a time, each
//! after the host's pace allows it and a global permit is free, with at most
//! `per_host_concurrency` in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use super::{process, Ctx, HostMemo};
use crate::archive::frontier::{FrontierItem, State};
use crate::archive::now_ms;
use crate::discover::Method;
use crate::fetch::client::{FetchError, FetchRequest, Response};
use crate::fetch::politeness::HostPace;
use crate::fetch::retry::backoff;
use crate::fetch::robots::{self, RobotsOutcome, RobotsRules};

/// Attempts at robots.txt before the host is left for the next run.
const ROBOTS_ATTEMPTS: u32 = 3;
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
        None => fetch_robots(&ctx, &host, &mut pace).await,
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

async fn work(ctx: &Arc<Ctx>, host: &str, pace: &mut HostPace, robots: &Arc<RobotsRules>) {
    let per_host = ctx.config.per_host_concurrency;
    let mut in_flight: JoinSet<(FrontierItem, Result<Response, FetchError>)> = JoinSet::new();
    let mut in_flight_ids: Vec<i64> = Vec::new();
    // Taken from the frontier, not yet sent (their ids are in `in_flight_ids` too, so they
    // are not taken twice).
    let mut ready: std::collections::VecDeque<FrontierItem> = Default::default();
    loop {
        // Fill the host's slots with due requests.
        while in_flight.len() < per_host && !ctx.stopping() && pace.stopped().is_none() {
            if ready.is_empty() {
                let exclude = in_flight_ids.clone();
                let h = host.to_string();
                match ctx
                    .writer
                    .call(move |a| a.next_for_host(&h, &exclude, PREFETCH))
                    .await
                {
                    Ok(items) => {
                        in_flight_ids.extend(items.iter().map(|i| i.id));
                        ready.extend(items);
                    }
                    Err(e) => {
                        tracing::error!("{e}");
                        ctx.stopping
                            .store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            let Some(item) = ready.pop_front() else { break };
            if !robots.allowed(&item.url) {
                in_flight_ids.retain(|id| *id != item.id);
                ctx.stats
                    .disallowed
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let (id, run) = (item.id, ctx.run_id);
                let _ = ctx.writer.send(move |a| {
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
                continue;
            }
            if !ctx.claim_page() {
                in_flight_ids.retain(|id| *id != item.id);
                break;
            }
            pace.ready().await;
            let asked = std::time::Instant::now();
            let Ok(permit) = ctx.global.clone().acquire_owned().await else {
                break;
            };
            if asked.elapsed() > Duration::from_millis(5) {
                // Waiting for a global slot delayed this request past its pace check; check
                // again so it does not land too close to the host's next one.
                pace.ready().await;
            }
            tracing::debug!(target: "nianbao::pace", host, url = %item.url, "released");
            let fetcher = ctx.fetcher.clone();
            let released = std::time::Instant::now();
            in_flight.spawn(async move {
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
        if in_flight.is_empty() {
            if ctx.stopping() || pace.stopped().is_some() {
                return;
            }
            let h = host.to_string();
            match ctx.writer.call(move |a| a.next_due_at(&h)).await {
                Ok(Some(due)) => {
                    let wait = (due - now_ms()).clamp(10, 1000) as u64;
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                    continue;
                }
                _ => return,
            }
        }
        if let Some(Ok((item, result))) = in_flight.join_next().await {
            in_flight_ids.retain(|id| *id != item.id);
            process::handle(ctx, pace, item, result).await;
        }
    }
}

/// Fetch and interpret robots.txt, retrying a few times; `None` when it stays unreachable
/// (the host is then stopped for this run).
async fn fetch_robots(ctx: &Arc<Ctx>, host: &str, pace: &mut HostPace) -> Option<Arc<RobotsRules>> {
    let scheme = {
        let h = host.to_string();
        ctx.writer
            .call(move |a| {
                a.conn()
                    .query_row(
                        "SELECT url FROM frontier WHERE host = ?1 ORDER BY id LIMIT 1",
                        [h],
                        |r| r.get::<_, String>(0),
                    )
                    .map_err(|e| a.err(e))
            })
            .await
            .ok()
            .and_then(|u| url::Url::parse(&u).ok())
            .map(|u| u.scheme().to_string())
            .unwrap_or_else(|| "http".into())
    };
    let Ok(url) = url::Url::parse(&format!("{scheme}://{host}/robots.txt")) else {
        pace.stop(format!("bad host {host}"));
        return None;
    };
    for attempt in 1..=ROBOTS_ATTEMPTS {
        pace.ready().await;
        let req = FetchRequest {
            url: &url,
            method: Method::Get,
            body: None,
            referer: None,
            etag: None,
            last_modified: None,
        };
        let outcome = match ctx.fetcher.fetch(&req).await {
            Ok(resp) => {
                super::warc::record(ctx, url.as_str(), &resp).await;
                ctx.stats
                    .fetched
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if let Some(block) =
                    crate::fetch::antibot::detect(resp.status, &resp.headers, &resp.body)
                {
                    RobotsOutcome::Unreachable(format!(
                        "anti-bot page for robots.txt: {}",
                        block.evidence
                    ))
                } else {
                    robots::interpret(
                        Some(resp.status),
                        &resp.body,
                        resp.header("content-type"),
                        None,
                    )
                }
            }
            Err(e) => robots::interpret(None, b"", None, Some(&e.to_string())),
        };
        match outcome {
            RobotsOutcome::Rules(rules, status) => {
                if let Some(delay) = rules.crawl_delay() {
                    pace.apply_crawl_delay(delay);
                }
                let (h, delay) = (host.to_string(), rules.crawl_delay());
                let _ = ctx
                    .writer
                    .send(move |a| a.update_host(&h, Some(&status), None, delay, "ok", None));
                return Some(Arc::new(rules));
            }
            RobotsOutcome::Unreachable(why) => {
                tracing::warn!(
                    "{host}: robots.txt unreachable ({why}), attempt {attempt}/{ROBOTS_ATTEMPTS}"
                );
                if attempt == ROBOTS_ATTEMPTS {
                    let h = host.to_string();
                    let msg = format!("robots.txt unreachable: {why}");
                    let _ = ctx.writer.send(move |a| {
                        a.update_host(
                            &h,
                            Some("unreachable"),
                            None,
                            None,
                            "robots_unreachable",
                            Some(&msg),
                        )
                    });
                    pace.stop(format!("robots.txt unreachable: {why}"));
                    return None;
                }
                tokio::time::sleep(backoff(
                    attempt,
                    ctx.config.backoff_base,
                    ctx.config.backoff_max,
                ))
                .await;
            }
        }
    }
    None
}
