//! Per-host politeness: a governor rate limiter at the configured rate (or slower when
//! robots.txt asks for a Crawl-delay, or after anti-bot pages), pauses from `Retry-After`, and
//! "leave this host alone for the rest of the run".
//!
//! The limiter reads tokio's clock ([`TokioClock`]) and the waits are tokio's sleeps, so the
//! tests run the pace on a paused clock, exactly and without waiting. One [`HostPace`] belongs
//! to the one task that schedules a host's requests, so it needs no locking.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::time::Instant;

use crate::config::Rate;

/// governor's clock on tokio's time: the time since a fixed start, so a paused test clock
/// drives the limiter exactly as it drives the sleeps (governor's own clock reads the wall
/// clock, which a paused runtime cannot move).
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    origin: Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A one-request-at-a-time limiter of one host on [`TokioClock`].
type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// Longest spacing anti-bot back-off grows to.
const MAX_BLOCK_SPACING: Duration = Duration::from_secs(60);

/// The pace of one host.
pub struct HostPace {
    /// Spacing between request starts; `None` = unlimited.
    spacing: Option<Duration>,
    /// The limiter enforcing `spacing` (rebuilt when the spacing changes).
    limiter: Option<Limiter>,
    /// Its clock.
    clock: TokioClock,
    /// No request before this instant (`Retry-After`).
    paused_until: Option<Instant>,
    /// When the last request was let through: the next starts one spacing later at the
    /// earliest, whatever the spacing is by then.
    last_start: Option<Instant>,
    /// Anti-bot pages in a row.
    consecutive_blocks: u32,
    /// Why the host is done for this run, if it is.
    stopped: Option<String>,
}

impl HostPace {
    /// A host paced at `rate`.
    pub fn new(rate: Rate) -> HostPace {
        let mut pace = HostPace {
            spacing: None,
            limiter: None,
            clock: TokioClock {
                origin: Instant::now(),
            },
            paused_until: None,
            last_start: None,
            consecutive_blocks: 0,
            stopped: None,
        };
        pace.set_spacing(rate.spacing());
        pace
    }

    /// A new spacing. A rebuilt limiter starts with a full burst, so the next request still
    /// waits one new spacing after the last one.
    fn set_spacing(&mut self, spacing: Option<Duration>) {
        self.spacing = spacing;
        if let (Some(last), Some(spacing)) = (self.last_start, spacing) {
            self.pause_until(last + spacing);
        }
        self.limiter = spacing
            .and_then(Quota::with_period)
            .map(|q| RateLimiter::direct_with_clock(q.allow_burst(NonZeroU32::MIN), self.clock));
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
            tokio::time::sleep_until(until).await;
        }
        if let Some(limiter) = &self.limiter {
            while let Err(not_until) = limiter.check() {
                tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
            }
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

    // On a paused clock, time moves only when every task waits, straight to the next timer:
    // `elapsed` is exactly the time the pace made the test wait.

    #[tokio::test(start_paused = true)]
    async fn slower_spacing_applies_from_the_last_request() {
        let mut pace = HostPace::new(Rate::PerSecond(100.0));
        pace.ready().await;
        let start = Instant::now();
        pace.apply_crawl_delay(0.2);
        pace.ready().await;
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        let start = Instant::now();
        pace.blocked(5);
        pace.ready().await;
        // Doubled spacing: 400 ms, raised to the 1 s floor of the anti-bot back-off.
        assert_eq!(start.elapsed(), Duration::from_secs(1), "doubled spacing");
    }

    #[tokio::test(start_paused = true)]
    async fn spacing_is_enforced() {
        let mut pace = HostPace::new(Rate::PerSecond(20.0));
        let start = Instant::now();
        for _ in 0..4 {
            pace.ready().await;
        }
        // First request is immediate, the next three wait 50 ms each.
        assert_eq!(start.elapsed(), Duration::from_millis(150));
    }

    #[test]
    fn crawl_delay_only_slows_down() {
        let mut pace = HostPace::new(Rate::PerSecond(1.0));
        pace.apply_crawl_delay(0.5);
        assert_eq!(pace.spacing(), Some(Duration::from_secs(1)));
        pace.apply_crawl_delay(3.0);
        assert_eq!(pace.spacing(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn blocks_back_off_then_stop() {
        let mut pace = HostPace::new(Rate::Unlimited);
        assert!(!pace.blocked(3));
        assert_eq!(pace.spacing(), Some(Duration::from_secs(1)));
        assert!(!pace.blocked(3));
        assert_eq!(pace.spacing(), Some(Duration::from_secs(2)));
        assert!(pace.blocked(3));
        assert!(pace.stopped().is_some());
    }
}
