//! A host's robots.txt, read before its first request (RFC 9309): redirects followed (at most
//! five, each hop within scope and at the host's pace), the first 500 KiB parsed, a few
//! attempts when it is unreachable, and a `Crawl-delay` beyond `max_crawl_delay_secs` defers the
//! host to the next run instead of being obeyed for days. The rules themselves are
//! [`crate::fetch::robots`].

use std::sync::Arc;
use std::time::Duration;

use super::Ctx;
use crate::archive::runs::RunTally;
use crate::discover::Method;
use crate::fetch::client::FetchRequest;
use crate::fetch::politeness::HostPace;
use crate::fetch::retry::backoff;
use crate::fetch::robots::{self, RobotsOutcome, RobotsRules};

/// Attempts at robots.txt before the host is left for the next run.
const ATTEMPTS: u32 = 3;
/// Redirects followed for robots.txt (RFC 9309 §2.3.1.2: "at least five").
pub const MAX_REDIRECTS: usize = 5;
/// Bytes of robots.txt read and parsed (RFC 9309 §2.5: "at least 500 kibibytes").
pub const MAX_BYTES: u64 = 500 * 1024;

/// Fetch and interpret `host`'s robots.txt, retrying a few times; `None` when the host is not
/// to be crawled in this run (robots.txt unreachable, an excessive Crawl-delay, or the run is
/// stopping), with the reason in `pace`.
pub async fn fetch(ctx: &Arc<Ctx>, host: &str, pace: &mut HostPace) -> Option<Arc<RobotsRules>> {
    let scheme = first_scheme(ctx, host).await;
    let Ok(url) = url::Url::parse(&format!("{scheme}://{host}/robots.txt")) else {
        pace.stop(format!("bad host {host}"));
        return None;
    };
    for attempt in 1..=ATTEMPTS {
        let outcome = fetch_following(ctx, &url, pace).await?;
        match outcome {
            RobotsOutcome::Rules(rules, status) => return accept(ctx, host, pace, rules, status),
            RobotsOutcome::Unreachable(why) => {
                tracing::warn!(
                    "{host}: robots.txt unreachable ({why}), attempt {attempt}/{ATTEMPTS}"
                );
                if attempt == ATTEMPTS {
                    let (h, msg) = (host.to_string(), format!("robots.txt unreachable: {why}"));
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
                let wait = backoff(attempt, ctx.config.backoff_base, ctx.config.backoff_max);
                ctx.stop.unless_stopped(tokio::time::sleep(wait)).await?;
            }
        }
    }
    None
}

/// The scheme of the host's first request (robots.txt is asked for over the same).
async fn first_scheme(ctx: &Ctx, host: &str) -> String {
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
}

/// Rules were read: apply the Crawl-delay (or defer the host when it is beyond the maximum)
/// and record them.
fn accept(
    ctx: &Ctx,
    host: &str,
    pace: &mut HostPace,
    rules: RobotsRules,
    status: String,
) -> Option<Arc<RobotsRules>> {
    let delay = rules.crawl_delay();
    let (h, st) = (host.to_string(), status.clone());
    let _ = ctx
        .writer
        .send(move |a| a.update_host(&h, Some(&st), None, delay, "ok", None));
    if let Some(delay) = delay {
        let max = ctx.config.max_crawl_delay;
        if Duration::try_from_secs_f64(delay).map_or(true, |d| d > max) {
            super::host::defer(
                ctx,
                pace,
                host,
                format!(
                    "robots.txt Crawl-delay {delay} s is longer than max_crawl_delay_secs ({} s)",
                    max.as_secs_f64()
                ),
            );
            return None;
        }
        pace.apply_crawl_delay(delay);
    }
    Some(Arc::new(rules))
}

/// One attempt at `url`, following redirects. `None` when the run stopped meanwhile.
async fn fetch_following(
    ctx: &Arc<Ctx>,
    url: &url::Url,
    pace: &mut HostPace,
) -> Option<RobotsOutcome> {
    let mut url = url.clone();
    for hop in 0..=MAX_REDIRECTS {
        ctx.stop.unless_stopped(pace.ready()).await?;
        let req = FetchRequest {
            url: &url,
            method: Method::Get,
            body: None,
            referer: None,
            etag: None,
            last_modified: None,
        };
        let resp = match ctx.fetcher.fetch_prefix(&req, MAX_BYTES).await {
            Ok(resp) => resp,
            Err(e) => return Some(robots::interpret(None, b"", None, Some(&e.to_string()))),
        };
        super::warc::record(ctx, url.as_str(), &resp).await;
        let _ = ctx.writer.tally(RunTally {
            robots: 1,
            ..RunTally::response_of(resp.body.len())
        });
        if let Some(block) = crate::fetch::antibot::detect(resp.status, &resp.headers, &resp.body) {
            return Some(RobotsOutcome::Unreachable(format!(
                "anti-bot page for robots.txt: {}",
                block.evidence
            )));
        }
        let redirected = (300..400).contains(&resp.status);
        match resp.location.clone().filter(|_| redirected) {
            Some(target) if !ctx.scope.contains(&target) => {
                // We cannot read a robots.txt off scope (scope is never left). RFC 9309
                // §2.3.1.3 lets a crawler treat a robots.txt it cannot get (4xx: "unavailable")
                // as allowing everything, and §2.3.1.2 treats redirects beyond its limit the
                // same way; a redirect out of scope is read likewise: unavailable, allow all.
                return Some(RobotsOutcome::Rules(
                    RobotsRules::AllowAll,
                    format!("allow_all (robots.txt redirects out of scope to {target})"),
                ));
            }
            Some(target) if hop < MAX_REDIRECTS => url = target,
            Some(_) => break,
            None => {
                return Some(robots::interpret(
                    Some(resp.status),
                    &resp.body,
                    resp.header("content-type"),
                    None,
                ))
            }
        }
    }
    Some(RobotsOutcome::Rules(
        RobotsRules::AllowAll,
        format!("allow_all (more than {MAX_REDIRECTS} redirects: unavailable, RFC 9309)"),
    ))
}
