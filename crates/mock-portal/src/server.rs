//! The HTTP/1.1 server of the mock hosts: one accept loop per host, keep-alive
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

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::http::{
    not_modified, not_modified_reply, split_target, wait_shutdown, Body, Handler, Reply, Request,
    Shared,
};
use super::log::LoggedRequest;
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
        let key = request_key(&self.host, &req.method, &req.target);
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
            Some(Fault::Stall) if !self.sleep(STALL).await => return false,
            None | Some(Fault::Stall) => {}
            Some(Fault::ServerError) => {
                reply = quirks::server_error();
                entry.status = reply.status;
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
        if matches!(reply.body, Body::Endless) && !head_only {
            let mut shutdown = self.shutdown.clone();
            tokio::select! {
                _ = wait_shutdown(&mut shutdown) => {}
                _ = write_endless(stream, &reply) => {}
            }
            return false;
        }
        if self.handler.gzips() && accepts_gzip(&req) {
            gzip_reply(&mut reply);
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

fn accepts_gzip(req: &Request) -> bool {
    req.header("accept-encoding")
        .is_some_and(|v| v.split(',').any(|c| c.trim().starts_with("gzip")))
}

/// Compress a 200 text reply (HTML, JSON, JavaScript) as nginx's `gzip on` would.
fn gzip_reply(reply: &mut Reply) {
    use std::io::Write;
    let textual = reply.headers.iter().any(|(n, v)| {
        *n == "Content-Type" && (v.starts_with(b"text/") || v.starts_with(b"application/json"))
    });
    let coded = reply.headers.iter().any(|(n, _)| *n == "Content-Encoding");
    if reply.status != 200 || !textual || coded || !matches!(reply.body, Body::Bytes(_)) {
        return;
    }
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if e.write_all(reply.bytes()).is_err() {
        return;
    }
    let Ok(gz) = e.finish() else { return };
    reply.body = Body::Bytes(gz.into());
    reply.headers.push(("Content-Encoding", b"gzip".to_vec()));
    reply.headers.push(("Vary", b"Accept-Encoding".to_vec()));
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

/// The key of a request for attempt counting and fault choice: host, method and target.
/// It leaves out the port of `host` (`127.0.0.x:PORT`), which the OS picks anew at each
/// start, so the same portal (same first IP) faults the same requests in every run.
fn request_key(host: &str, method: &str, target: &str) -> u64 {
    let ip = host.rsplit_once(':').map_or(host, |(ip, _)| ip);
    fnv1a(format!("{ip}|{method}|{target}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keys_ignore_the_port_but_not_the_ip_method_or_target() {
        let k = request_key("127.0.0.160:41234", "GET", "/a.html");
        assert_eq!(k, request_key("127.0.0.160:39001", "GET", "/a.html"));
        assert_ne!(k, request_key("127.0.0.161:41234", "GET", "/a.html"));
        assert_ne!(k, request_key("127.0.0.160:41234", "POST", "/a.html"));
        assert_ne!(k, request_key("127.0.0.160:41234", "GET", "/b.html"));
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
