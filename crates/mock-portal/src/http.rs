//! Requests and replies of the mock hosts: the parsed [`Request`], the [`Reply`] a handler
//! describes (body, validators, delay, 503-once flag), the [`Handler`] trait, state shared by
//! all hosts ([`Shared`]: request log, attempt counters, fault rate, latency) and the
//! conditional-request rules. The wire side lives in `server.rs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use super::log::RequestLog;

/// A parsed request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// Method as sent (`GET`, `POST`, `HEAD`).
    pub(crate) method: String,
    /// Path and query as sent.
    pub(crate) target: String,
    /// The path part of `target`.
    pub(crate) path: String,
    /// The query part of `target` (without `?`), empty when absent.
    pub(crate) query: String,
    /// Headers with lower-case names; values decoded lossily.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (POST forms).
    pub(crate) body: Vec<u8>,
}

impl Request {
    /// A GET request for `target` without headers (tests and internal rendering).
    #[cfg(test)]
    pub(crate) fn get(target: &str) -> Request {
        let (path, query) = split_target(target);
        Request {
            method: "GET".into(),
            target: target.into(),
            path,
            query,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The first header called `name` (lower-case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first query parameter called `key`, form-decoded.
    pub(crate) fn query_param(&self, key: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }

    /// The body as `application/x-www-form-urlencoded` pairs.
    pub(crate) fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }

    /// True for GET and HEAD.
    pub(crate) fn is_get(&self) -> bool {
        self.method == "GET" || self.method == "HEAD"
    }
}

pub(crate) fn split_target(target: &str) -> (String, String) {
    match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    }
}

/// A response body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// A complete body.
    Bytes(Arc<[u8]>),
    /// An infinite chunked body (the `/trap/endless` page).
    Endless,
}

/// A response as a handler describes it; the connection loop turns it into bytes.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// Status code.
    pub(crate) status: u16,
    /// Headers besides `Date`, `Content-Length`, `Connection`, `ETag`, `Last-Modified`.
    /// Values are raw bytes: a GBK `Content-Disposition` file name is sent as GBK.
    pub(crate) headers: Vec<(&'static str, Vec<u8>)>,
    /// The body.
    pub(crate) body: Body,
    /// Entity tag and modification time of a static page: sent, and checked against
    /// conditional requests.
    pub(crate) validators: Option<(String, SystemTime)>,
    /// Extra time before the response is sent (a slow page).
    pub(crate) delay: Duration,
    /// Answer the first request for this URL with `503` + `Retry-After: 1`.
    pub(crate) retry_after_once: bool,
}

impl Reply {
    /// A response with `content_type` and `body`.
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Arc<[u8]>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.as_bytes().to_vec())],
            body: Body::Bytes(body.into()),
            validators: None,
            delay: Duration::ZERO,
            retry_after_once: false,
        }
    }

    /// A UTF-8 HTML page.
    pub(crate) fn html(status: u16, body: String) -> Reply {
        Reply::new(status, "text/html; charset=utf-8", body.into_bytes())
    }

    /// Add a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<Vec<u8>>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// Mark as a static page: `ETag` from the body, `Last-Modified` = `modified`.
    pub(crate) fn cacheable(mut self, modified: SystemTime) -> Reply {
        if let Body::Bytes(b) = &self.body {
            self.validators = Some((super::util::etag_for(b), modified));
        }
        self
    }

    /// Mark as a static page with an nginx-style `ETag` (`"mtime-length"`, no hashing: for
    /// pages generated on every request) and `Last-Modified` = `modified`.
    pub(crate) fn cacheable_by_mtime(mut self, modified: SystemTime) -> Reply {
        let secs = modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.validators = Some((format!("\"{secs:x}-{:x}\"", self.bytes().len()), modified));
        self
    }

    /// The body bytes (empty for an endless body).
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.body {
            Body::Bytes(b) => b,
            Body::Endless => &[],
        }
    }

    /// A plain 404 page.
    pub(crate) fn not_found() -> Reply {
        Reply::html(
            404,
            "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>".into(),
        )
    }

    /// 405 for a method the resource does not take.
    pub(crate) fn method_not_allowed() -> Reply {
        Reply::html(
            405,
            "<html><body><h1>405 Method Not Allowed</h1></body></html>".into(),
        )
    }
}

/// Something that answers the requests of one mock host.
pub(crate) trait Handler: Send + Sync + 'static {
    /// The response to `req`. Must be cheap: it runs on the connection's task.
    fn handle(&self, req: &Request) -> Reply;

    /// Whether this host gzips text responses for clients that accept it (nginx's
    /// `gzip on`, common on real portals).
    fn gzips(&self) -> bool {
        false
    }
}

/// State shared by all hosts of one portal.
#[derive(Debug)]
pub(crate) struct Shared {
    /// Every request, in arrival order.
    pub(crate) log: RequestLog,
    /// How often each (host, method, target) was requested so far: fault injection and the
    /// 503-once page are deterministic functions of this attempt number.
    attempts: Mutex<HashMap<u64, u32>>,
    /// Fraction of requests answered with an injected fault.
    pub(crate) fault_rate: f64,
    /// Added before every response.
    pub(crate) latency: Duration,
}

impl Shared {
    /// Shared state for a portal with these fault and latency settings.
    pub(crate) fn new(fault_rate: f64, latency: Duration) -> Shared {
        Shared {
            log: RequestLog::new(),
            attempts: Mutex::new(HashMap::new()),
            fault_rate: if fault_rate.is_finite() {
                fault_rate.clamp(0.0, 1.0)
            } else {
                0.0
            },
            latency,
        }
    }

    /// Count one more request for `key`; returns the 0-based attempt number.
    pub(crate) fn bump(&self, key: u64) -> u32 {
        let mut map = match self.attempts.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let n = map.entry(key).or_insert(0);
        let attempt = *n;
        *n = n.saturating_add(1);
        attempt
    }
}

/// Resolves once `rx` says the portal is shutting down (or its sender is gone).
pub(crate) async fn wait_shutdown(rx: &mut watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// Does a conditional GET match the current validators?
pub(crate) fn not_modified(req: &Request, etag: &str, modified: SystemTime) -> bool {
    if let Some(inm) = req.header("if-none-match") {
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        return inm
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag));
    }
    if let Some(ims) = req.header("if-modified-since") {
        if let Ok(since) = httpdate::parse_http_date(ims) {
            return modified <= since;
        }
    }
    false
}

pub(crate) fn not_modified_reply(full: &Reply) -> Reply {
    let mut r = Reply::new(304, "", Vec::new());
    r.headers = full
        .headers
        .iter()
        .filter(|(n, _)| *n == "Server")
        .cloned()
        .collect();
    r.validators = full.validators.clone();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req_with(headers: &[(&str, &str)]) -> Request {
        let mut r = Request::get("/a?b=1&c=%E5%B9%B4");
        r.headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        r
    }

    #[test]
    fn query_and_form_decoding() {
        let mut r = req_with(&[]);
        assert_eq!(r.path, "/a");
        assert_eq!(r.query_param("c").as_deref(), Some("年"));
        assert_eq!(r.query_param("x"), None);
        r.body = b"col=1&path=%2F".to_vec();
        assert_eq!(
            r.form(),
            vec![("col".into(), "1".into()), ("path".into(), "/".into())]
        );
    }

    #[test]
    fn conditional_requests() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert!(not_modified(
            &req_with(&[("if-none-match", "\"x\"")]),
            "\"x\"",
            t
        ));
        assert!(not_modified(
            &req_with(&[("if-none-match", "\"y\", W/\"x\"")]),
            "\"x\"",
            t
        ));
        assert!(!not_modified(
            &req_with(&[("if-none-match", "\"y\"")]),
            "\"x\"",
            t
        ));
        let same = httpdate::fmt_http_date(t);
        assert!(not_modified(
            &req_with(&[("if-modified-since", &same)]),
            "\"x\"",
            t
        ));
        let earlier = httpdate::fmt_http_date(t - Duration::from_secs(60));
        assert!(!not_modified(
            &req_with(&[("if-modified-since", &earlier)]),
            "\"x\"",
            t
        ));
        assert!(!not_modified(
            &req_with(&[("if-modified-since", "garbage")]),
            "\"x\"",
            t
        ));
        assert!(!not_modified(&req_with(&[]), "\"x\"", t));
    }
}
