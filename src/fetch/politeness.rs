//! Per-host politeness: a governor rate limiter at the configured rate (or slower when
//! robots.txt asks for a Crawl-delay, or after anti-bot pages), pauses from `Retry-After`,
//! and "leave this host alone for the rest of the run".
//!
//! One [`HostPace`] belongs to the one task that schedules a host's requests, so it needs no
//! locking.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Longest spacing anti-bot back-off grows to.
const MAX_BLOCK_SPACING: Duration = Duration::from_secs(60);

/// The pace of one host.
pub struct HostPace {
    /// Spacing between request starts; `None` = unlimited.
    spacing: Option<Duration>,
    /// The limiter enforcing `spacing` (rebuilt when the spacing changes).
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    /// No request before this instant (`Retry-After`).
    paused_until: Option<Instant>,
    /// When the last request was let through. A rebuilt limiter starts with a full burst, so
    /// this carries the spacing across rebuilds.
    last_start: Option<Instant>,
    /// Anti-bot pages in a row.
    consecutive_blocks: u32,
    /// Why the host is done for this run, if it is.
    stopped: Option<String>,
}

impl HostPace {
    /// A host limited to `rate` requests per second (`None` = unlimited).
    pub fn new(rate: Option<f64>) -> HostPace {
        let spacing = rate.map(|r| Duration::from_secs_f64(1.0 / r));
        let mut pace = HostPace {
            spacing: None,
            limiter: None,
            paused_until: None,
            last_start: None,
            consecutive_blocks: 0,
            stopped: None,
        };
        pace.set_spacing(spacing);
        pace
    }

    fn set_spacing(&mut self, spacing: Option<Duration>) {
        self.spacing = spacing;
        if let (Some(last), Some(spacing)) = (self.last_start, spacing) {
            self.pause_until(last + spacing);
        }
        self.limiter = spacing
            .and_then(Quota::with_period)
            .map(|q| Arc::new(RateLimiter::direct(q.allow_burst(NonZeroU32::MIN))));
    }

    /// Current spacing between requests.
    pub fn spacing(&self) -> Option<Duration> {
        self.spacing
    }

    /// robots.txt `Crawl-delay`: never go faster than one request per `secs`.
    pub fn apply_crawl_delay(&mut self, secs: f64) {
        if let Ok(delay) = Duration::try_from_secs_f64(secs) {
            if self.spacing.is_none_or(|s| s < delay) {
                self.set_spacing(Some(delay));
            }
        }
    }

    /// Wait until the host may be sent its next request, and count it as sent.
    pub async fn ready(&mut self) {
        if let Some(until) = self.paused_until {
            tokio::time::sleep_until(until.into()).await;
        }
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        self.last_start = Some(Instant::now());
    }

    /// `Retry-After`: no request before `delay` from now.
    pub fn pause(&mut self, delay: Duration) {
        self.pause_until(Instant::now() + delay);
    }

    fn pause_until(&mut self, until: Instant) {
        if self.paused_until.is_none_or(|p| p < until) {
            self.paused_until = Some(until);
        }
    }

    /// An anti-bot page: double the spacing (at least 1 s, at most 60 s); after `max` in a
    /// row, stop the host for this run. Returns true when the host is now stopped.
    pub fn blocked(&mut self, max: u32) -> bool {
        self.consecutive_blocks += 1;
        let doubled = self.spacing.map_or(Duration::from_secs(1), |s| {
            (s * 2).max(Duration::from_secs(1))
        });
        self.set_spacing(Some(doubled.min(MAX_BLOCK_SPACING)));
        if self.consecutive_blocks >= max {
            self.stop(format!(
                "{} anti-bot pages in a row",
                self.consecutive_blocks
            ));
        }
        self.stopped.is_some()
    }

    /// A normal response: the block streak ends.
    pub fn ok(&mut self) {
        self.consecutive_blocks = 0;
    }

    /// Leave the host alone for the rest of the run.
    pub fn stop(&mut self, why: String) {
        self.stopped.get_or_insert(why);
    }

    /// Why the host is stopped, if it is.
    pub fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slower_spacing_applies_from_the_last_request() {
        let mut pace = HostPace::new(Some(100.0));
        pace.ready().await;
        let start = Instant::now();
        pace.apply_crawl_delay(0.2);
        pace.ready().await;
        assert!(
            start.elapsed() >= Duration::from_millis(190),
            "{:?}",
            start.elapsed()
        );
        let start = Instant::now();
        pace.blocked(5);
        pace.ready().await;
        assert!(
            start.elapsed() >= Duration::from_millis(390),
            "doubled spacing: {:?}",
            start.elapsed()
        );
    }

    #[tokio::test]
    async fn spacing_is_enforced() {
        let mut pace = HostPace::new(Some(20.0));
        let start = Instant::now();
        for _ in 0..4 {
            pace.ready().await;
        }
        // First request is immediate, the next three wait 50 ms each.
        assert!(
            start.elapsed() >= Duration::from_millis(140),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn crawl_delay_only_slows_down() {
        let mut pace = HostPace::new(Some(1.0));
        pace.apply_crawl_delay(0.5);
        assert_eq!(pace.spacing(), Some(Duration::from_secs(1)));
        pace.apply_crawl_delay(3.0);
        assert_eq!(pace.spacing(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn blocks_back_off_then_stop() {
        let mut pace = HostPace::new(None);
        assert!(!pace.blocked(3));
        assert_eq!(pace.spacing(), Some(Duration::from_secs(1)));
        assert!(!pace.blocked(3));
        assert_eq!(pace.spacing(), Some(Duration::from_secs(2)));
        assert!(pace.blocked(3));
        assert!(pace.stopped().is_some());
    }
}
