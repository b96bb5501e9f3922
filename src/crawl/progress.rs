//! The progress line while crawling (indicatif): pages fetched, reports found, failures, and
//! the request rate, as committed to the archive. Drawn only when stderr is a terminal.

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ctx;

/// A running progress display; [`Progress::finish`] clears it.
pub struct Progress {
    bar: ProgressBar,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    /// Start refreshing from `ctx`'s counters four times a second.
    pub fn start(ctx: Arc<Ctx>) -> Progress {
        use std::io::IsTerminal;
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let task = if bar.is_hidden() {
            None
        } else {
            let bar = bar.clone();
            Some(tokio::spawn(async move {
                let started = std::time::Instant::now();
                loop {
                    let t = ctx.writer.committed();
                    let c = &t.counts;
                    let rate = c.fetched as f64 / started.elapsed().as_secs_f64().max(0.001);
                    bar.set_message(format!(
                        "fetched {} ({rate:.1}/s) · 304 {} · reports {} new, {} known · failed {} · blocked {} · retries {}",
                        c.fetched, c.not_modified, c.reports_new, c.reports_seen, c.failed, c.blocked, t.retries,
                    ));
                    bar.tick();
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }))
        };
        Progress { bar, task }
    }

    /// Stop and clear the display.
    pub fn finish(self) {
        if let Some(t) = self.task {
            t.abort();
        }
        self.bar.finish_and_clear();
    }
}
