//! The request log: every request any mock host received (robots.txt included), in arrival
//! order, so tests can assert politeness, scope, conditional requests and retries.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One request as the mock portal saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// Time since the portal started when the request head had been read.
    pub at: Duration,
    /// `127.0.0.x:PORT` of the host that received it.
    pub host: String,
    /// `GET`, `POST`, `HEAD`, ….
    pub method: String,
    /// Path and query as sent, e.g. `/module/web/jpage/dataproxy.jsp?startrecord=13&…`.
    pub path_and_query: String,
    /// Status sent; `0` when the connection was dropped without a response (injected reset).
    pub status: u16,
    /// `User-Agent` header.
    pub user_agent: Option<String>,
    /// `Referer` header.
    pub referer: Option<String>,
    /// `If-None-Match` header.
    pub if_none_match: Option<String>,
    /// `If-Modified-Since` header.
    pub if_modified_since: Option<String>,
    /// The request body (POST forms), lossily decoded as UTF-8.
    pub body: Option<String>,
}

/// A thread-safe, append-only request log.
#[derive(Debug)]
pub(crate) struct RequestLog {
    /// When the portal started; `LoggedRequest::at` is measured from here.
    started: Instant,
    /// The entries; a std mutex is enough because it is held only to push or clone.
    entries: Mutex<Vec<LoggedRequest>>,
    /// The number of entries, for tests that wait for the log to reach a length.
    len: tokio::sync::watch::Sender<usize>,
}

impl RequestLog {
    /// An empty log starting now.
    pub(crate) fn new() -> RequestLog {
        RequestLog {
            started: Instant::now(),
            entries: Mutex::new(Vec::new()),
            len: tokio::sync::watch::Sender::new(0),
        }
    }

    /// Time since the log was created.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Append one entry.
    pub(crate) fn push(&self, entry: LoggedRequest) {
        let mut v = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        v.push(entry);
        // Under the lock, so lengths are published in order.
        self.len.send_replace(v.len());
    }

    /// Wait until the log holds at least `n` entries.
    pub(crate) async fn reached(&self, n: usize) {
        let mut rx = self.len.subscribe();
        let _ = rx.wait_for(|len| *len >= n).await;
    }

    /// A copy of every entry so far.
    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        match self.entries.lock() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Forget every entry.
    pub(crate) fn clear(&self) {
        match self.entries.lock() {
            Ok(mut v) => v.clear(),
            Err(poisoned) => poisoned.into_inner().clear(),
        }
        self.len.send_replace(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> LoggedRequest {
        LoggedRequest {
            at: Duration::ZERO,
            host: "127.0.0.2:1".into(),
            method: "GET".into(),
            path_and_query: path.into(),
            status: 200,
            user_agent: None,
            referer: None,
            if_none_match: None,
            if_modified_since: None,
            body: None,
        }
    }

    #[test]
    fn keeps_order_and_clears() {
        let log = RequestLog::new();
        log.push(entry("/a"));
        log.push(entry("/b"));
        let paths: Vec<_> = log
            .snapshot()
            .into_iter()
            .map(|e| e.path_and_query)
            .collect();
        assert_eq!(paths, ["/a", "/b"]);
        log.clear();
        assert!(log.snapshot().is_empty());
    }
}
