//! Stopping a run. Two levels: [`Stop::Graceful`] (Ctrl-C, `--max-pages`): no request
//! starts any more, requests in flight finish and are stored, and hosts that are only waiting
//! (for their pace, a `Crawl-delay`, a `Retry-After`, a retry's backoff, a global slot) are
//! abandoned at once; [`Stop::Abort`] (the archive cannot be written): requests in flight are
//! dropped too, since nothing they bring could be stored. Whatever was not stored stays
//! queued in the archive for the next run.
//!
//! Every wait of a host task races [`StopSignal::reached`], so a stop never waits for a timer.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

/// How far a run is from stopping; levels only go up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    /// Crawling.
    Running,
    /// No new requests; those in flight finish.
    Graceful,
    /// Nothing more is stored: requests in flight are dropped.
    Abort,
}

/// The run's stop level, shared by every task.
#[derive(Debug)]
pub struct StopSignal {
    level: watch::Sender<Stop>,
    /// Mirrors "at least graceful", for code that polls a flag (the analysis backlog).
    flag: AtomicBool,
}

impl Default for StopSignal {
    fn default() -> StopSignal {
        StopSignal {
            level: watch::Sender::new(Stop::Running),
            flag: AtomicBool::new(false),
        }
    }
}

impl StopSignal {
    /// Raise the level to `to` (never lowers it).
    pub fn raise(&self, to: Stop) {
        if to > Stop::Running {
            self.flag.store(true, Ordering::Relaxed);
        }
        self.level.send_if_modified(|level| {
            let higher = to > *level;
            if higher {
                *level = to;
            }
            higher
        });
    }

    /// The current level.
    pub fn level(&self) -> Stop {
        *self.level.borrow()
    }

    /// True once no new request may start.
    pub fn stopping(&self) -> bool {
        self.level() >= Stop::Graceful
    }

    /// The flag form of [`StopSignal::stopping`].
    pub fn flag(&self) -> &AtomicBool {
        &self.flag
    }

    /// Completes once the level is at least `level`.
    pub async fn reached(&self, level: Stop) {
        let mut rx = self.level.subscribe();
        let _ = rx.wait_for(|l| *l >= level).await;
    }

    /// Run `fut` unless the level reaches `Graceful` first; `None` when it did.
    pub async fn unless_stopped<F: std::future::Future>(&self, fut: F) -> Option<F::Output> {
        tokio::select! {
            out = fut => Some(out),
            _ = self.reached(Stop::Graceful) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_a_long_wait_at_once() {
        let stop = std::sync::Arc::new(StopSignal::default());
        let waiter = {
            let stop = stop.clone();
            tokio::spawn(async move {
                stop.unless_stopped(tokio::time::sleep(Duration::from_secs(86_400)))
                    .await
            })
        };
        tokio::task::yield_now().await;
        let start = tokio::time::Instant::now();
        stop.raise(Stop::Graceful);
        assert_eq!(waiter.await.unwrap(), None, "the wait was abandoned");
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert!(stop.stopping());
        assert!(stop.flag().load(Ordering::Relaxed));
    }

    #[tokio::test]
    async fn levels_only_go_up() {
        let stop = StopSignal::default();
        assert_eq!(stop.unless_stopped(async { 7 }).await, Some(7));
        stop.raise(Stop::Abort);
        stop.raise(Stop::Graceful);
        assert_eq!(stop.level(), Stop::Abort);
        stop.reached(Stop::Abort).await;
    }
}
