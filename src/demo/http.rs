//! A small HTTP/1.1 server for the mock hosts: one accept loop per host, keep-alive
//! connections, conditional requests (`If-None-Match`/`If-Modified-Since` → 304), simulated
//! latency, and byte-level fault injection.
//!
//! Why not axum or hyper: a mock portal has to misbehave the way real portals do — reset a
//! connection after reading the request, declare a `Content-Length` and then hang up, stream an
//! endless chunked body, send header bytes that are GBK rather than ASCII. hyper is designed to
//! make each of those impossible from inside a service, so the mock writes responses itself.
//! Request heads are parsed with `httparse` (the parser hyper uses); responses are plain bytes.
//!
//! Every request ends up in the [`RequestLog`](super::log::RequestLog), robots.txt included.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::log::{LoggedRequest, RequestLog};
use super::quirks::{self, Fault};
use super::util::fnv1a;

/// Largest request head accepted (bytes); bigger heads get 431 and the connection is closed.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted (bytes); bigger bodies get 413.
const MAX_BODY: usize = 1024 * 1024;
/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an injected stall holds a response back.
pub(crate) const STALL: Duration = Duration::from_secs(3);

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

fn split_target(target: &str) -> (String, String) {
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
    fault_rate: f64,
    /// Added before every response.
    latency: Duration,
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
    fn bump(&self, key: u64) -> u32 {
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

/// Serve `listener` until shutdown: one task per connection, drained (up to 1 s) and then
/// aborted on shutdown.
pub(crate) async fn serve(
    listener: TcpListener,
    host: String,
    handler: Arc<dyn Handler>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = wait_shutdown(&mut shutdown) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let conn = Connection {
                        host: host.clone(),
                        handler: handler.clone(),
                        shared: shared.clone(),
                        shutdown: shutdown.clone(),
                    };
                    conns.spawn(conn.run(stream));
                }
                // EMFILE and friends: back off briefly instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while conns.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
    conns.shutdown().await;
}

/// One accepted connection.
struct Connection {
    host: String,
    handler: Arc<dyn Handler>,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
}

/// Outcome of reading one request head and body.
enum Read {
    Request(Request, bool),
    Closed,
    Bad(u16),
}

impl Connection {
    async fn run(mut self, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let mut buf: Vec<u8> = Vec::with_capacity(4096);
        loop {
            let mut shutdown = self.shutdown.clone();
            let read = tokio::select! {
                _ = wait_shutdown(&mut shutdown) => return,
                r = tokio::time::timeout(IDLE_TIMEOUT, read_request(&mut stream, &mut buf)) => match r {
                    Ok(r) => r,
                    Err(_) => return,
                },
            };
            match read {
                Read::Closed => return,
                Read::Bad(status) => {
                    let reply = Reply::html(
                        status,
                        format!("<html><body><h1>{status}</h1></body></html>"),
                    );
                    let _ = write_reply(&mut stream, &reply, false, false).await;
                    return;
                }
                Read::Request(req, keep_alive) => {
                    if !self.respond(&mut stream, req, keep_alive).await {
                        return;
                    }
                }
            }
        }
    }

    /// Answer one request; false when the connection must be closed afterwards.
    async fn respond(&mut self, stream: &mut TcpStream, req: Request, keep_alive: bool) -> bool {
        let at = self.shared.log.elapsed();
        let key = fnv1a(format!("{}|{}|{}", self.host, req.method, req.target).as_bytes());
        let attempt = self.shared.bump(key);
        let exempt = req.path == "/robots.txt" || req.path.starts_with("/trap/");
        let fault = if exempt {
            None
        } else {
            quirks::fault_for(self.shared.fault_rate, key, attempt)
        };

        let mut reply = self.handler.handle(&req);
        if reply.retry_after_once && attempt == 0 {
            reply = quirks::retry_later();
        }
        if req.is_get() && reply.status == 200 {
            if let Some((etag, modified)) = &reply.validators {
                if not_modified(&req, etag, *modified) {
                    reply = not_modified_reply(&reply);
                }
            }
        }
        let wait = self.shared.latency + reply.delay;
        if !wait.is_zero() && !self.sleep(wait).await {
            return false;
        }

        let mut entry = LoggedRequest {
            at,
            host: self.host.clone(),
            method: req.method.clone(),
            path_and_query: req.target.clone(),
            status: reply.status,
            user_agent: req.header("user-agent").map(str::to_string),
            referer: req.header("referer").map(str::to_string),
            if_none_match: req.header("if-none-match").map(str::to_string),
            if_modified_since: req.header("if-modified-since").map(str::to_string),
            body: (!req.body.is_empty()).then(|| String::from_utf8_lossy(&req.body).into_owned()),
        };
        let head_only = req.method == "HEAD";
        match fault {
            None => {}
            Some(Fault::ServerError) => {
                reply = quirks::server_error();
                entry.status = reply.status;
            }
            Some(Fault::Stall) => {
                if !self.sleep(STALL).await {
                    return false;
                }
            }
            Some(Fault::Reset) => {
                entry.status = 0;
                self.shared.log.push(entry);
                // SO_LINGER 0 turns the close into a TCP RST.
                let _ = stream.set_zero_linger();
                return false;
            }
            Some(Fault::Truncate) => {
                self.shared.log.push(entry);
                let _ = write_truncated(stream, &reply).await;
                return false;
            }
        }
        self.shared.log.push(entry);
        if let Body::Endless = reply.body {
            let mut shutdown = self.shutdown.clone();
            tokio::select! {
                _ = wait_shutdown(&mut shutdown) => {}
                _ = write_endless(stream, &reply) => {}
            }
            return false;
        }
        write_reply(stream, &reply, keep_alive, head_only)
            .await
            .is_ok()
            && keep_alive
    }

    /// Sleep `d` unless the portal shuts down first (then false).
    async fn sleep(&self, d: Duration) -> bool {
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            _ = wait_shutdown(&mut shutdown) => false,
            _ = tokio::time::sleep(d) => true,
        }
    }
}

/// Read one request from `stream`, buffering in `buf` (which may hold the start of the next).
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Read {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(buf) {
            Ok(httparse::Status::Complete(head_len)) => {
                let method = parsed.method.unwrap_or("GET").to_string();
                let target = parsed.path.unwrap_or("/").to_string();
                let version = parsed.version.unwrap_or(1);
                let headers: Vec<(String, String)> = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                let find = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
                if find("transfer-encoding").is_some() {
                    return Read::Bad(411);
                }
                let body_len = match find("content-length").map(|v| v.trim().parse::<usize>()) {
                    None => 0,
                    Some(Ok(n)) if n <= MAX_BODY => n,
                    Some(Ok(_)) => return Read::Bad(413),
                    Some(Err(_)) => return Read::Bad(400),
                };
                let connection = find("connection").unwrap_or_default().to_ascii_lowercase();
                let keep_alive = if version == 0 {
                    connection.contains("keep-alive")
                } else {
                    !connection.contains("close")
                };
                let total = head_len + body_len;
                while buf.len() < total {
                    match read_more(stream, buf).await {
                        Ok(0) | Err(_) => return Read::Closed,
                        Ok(_) => {}
                    }
                }
                let body = buf
                    .get(head_len..total)
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                buf.drain(..total);
                let (path, query) = split_target(&target);
                let req = Request {
                    method,
                    target,
                    path,
                    query,
                    headers,
                    body,
                };
                return Read::Request(req, keep_alive);
            }
            Ok(httparse::Status::Partial) => {
                if buf.len() > MAX_HEAD {
                    return Read::Bad(431);
                }
                match read_more(stream, buf).await {
                    Ok(0) | Err(_) => return Read::Closed,
                    Ok(_) => {}
                }
            }
            Err(httparse::Error::TooManyHeaders) => return Read::Bad(431),
            Err(_) => return Read::Bad(400),
        }
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    Ok(n)
}

/// Does a conditional GET match the current validators?
fn not_modified(req: &Request, etag: &str, modified: SystemTime) -> bool {
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

fn not_modified_reply(full: &Reply) -> Reply {
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

/// Standard reason phrases (521 is the CDN convention used by 加速乐).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        521 => "Web Server Is Down",
        _ => "Unknown",
    }
}

/// The status line and headers; `content_length` None means chunked.
fn head(reply: &Reply, content_length: Option<usize>, keep_alive: bool) -> Vec<u8> {
    let mut h = Vec::with_capacity(512);
    h.extend_from_slice(
        format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status)).as_bytes(),
    );
    h.extend_from_slice(
        format!("Date: {}\r\n", httpdate::fmt_http_date(SystemTime::now())).as_bytes(),
    );
    for (name, value) in &reply.headers {
        if reply.status == 304 && *name == "Content-Type" {
            continue;
        }
        h.extend_from_slice(name.as_bytes());
        h.extend_from_slice(b": ");
        h.extend_from_slice(value);
        h.extend_from_slice(b"\r\n");
    }
    if let Some((etag, modified)) = &reply.validators {
        h.extend_from_slice(format!("ETag: {etag}\r\n").as_bytes());
        h.extend_from_slice(
            format!("Last-Modified: {}\r\n", httpdate::fmt_http_date(*modified)).as_bytes(),
        );
    }
    match content_length {
        Some(n) if reply.status != 304 => {
            h.extend_from_slice(format!("Content-Length: {n}\r\n").as_bytes())
        }
        Some(_) => {}
        None => h.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
    }
    h.extend_from_slice(if keep_alive {
        b"Connection: keep-alive\r\n"
    } else {
        b"Connection: close\r\n"
    });
    h.extend_from_slice(b"\r\n");
    h
}

async fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<()> {
    let body = reply.bytes();
    let mut out = head(reply, Some(body.len()), keep_alive);
    if !head_only && reply.status != 304 {
        out.extend_from_slice(body);
    }
    stream.write_all(&out).await?;
    stream.flush().await
}

/// Declare the full length, send half the body, then close.
async fn write_truncated(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let body = reply.bytes();
    let mut out = head(reply, Some(body.len().max(2048)), false);
    out.extend_from_slice(body.get(..body.len() / 2).unwrap_or(&[]));
    stream.write_all(&out).await?;
    stream.flush().await?;
    stream.shutdown().await
}

/// An infinite chunked body of HTML-looking filler, until the client gives up.
async fn write_endless(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    stream.write_all(&head(reply, None, false)).await?;
    let line = "<p>一、总体情况 本年度政府信息公开工作年度报告 …………………………………………</p>\n".repeat(128);
    let chunk = format!("{:x}\r\n{}\r\n", line.len(), line);
    loop {
        stream.write_all(chunk.as_bytes()).await?;
    }
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

    #[test]
    fn head_has_validators_and_length() {
        let r = Reply::html(200, "abc".into()).cacheable(SystemTime::UNIX_EPOCH);
        let h = String::from_utf8(head(&r, Some(3), true)).unwrap_or_default();
        assert!(h.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(h.contains("ETag: \"3-"));
        assert!(h.contains("Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT"));
        assert!(h.contains("Content-Length: 3\r\n"));
        assert!(h.ends_with("Connection: keep-alive\r\n\r\n"));
    }
}
