//! One HTTP request → one [`Response`] or a typed [`FetchError`].
//!
//! Built on reqwest with rustls (ring provider). Redirects are *not* followed here: a 3xx comes
//! back as a response with [`Response::location`], and the crawler queues the target as a
//! request of its own, so every hop passes scope, robots.txt and the host's rate limit, and
//! loops end at the frontier's seen-set. Bodies are read in chunks and cut at the size cap;
//! compressed bodies (gzip, deflate, br) are decoded by [`super::content_coding`], not by
//! reqwest, so the bytes as sent stay available for the WARC output ([`Capture`]) and the cap
//! also applies to the decoded size (compression bombs).

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    REFERER,
};
use reqwest::redirect;
use url::Url;

use super::content_coding::{self, DecodeError};
use crate::config::Config;
use crate::discover::Method;

/// A request failed before a complete response arrived.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer in time (connect, read or total timeout).
    #[error("timeout: {0}")]
    Timeout(String),
    /// Could not connect (refused, DNS, TLS).
    #[error("connect: {0}")]
    Connect(String),
    /// The connection broke mid-response (reset, truncated body).
    #[error("connection: {0}")]
    Connection(String),
    /// The body exceeded the size cap.
    #[error("body larger than {0} bytes")]
    TooLarge(u64),
    /// Redirects went round in circles or exceeded the limit.
    #[error("redirects: {0}")]
    Redirect(String),
    /// The request could not be built (bad URL, header).
    #[error("request: {0}")]
    Request(String),
    /// The body does not decode as its `Content-Encoding` says (often a truncated body).
    #[error("content decoding: {0}")]
    Decoding(String),
}

impl FetchError {
    /// Whether another attempt might succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout(_)
                | FetchError::Connect(_)
                | FetchError::Connection(_)
                | FetchError::Decoding(_)
        )
    }

    /// Short reason class for statistics: `timeout`, `connect`, `connection`, …
    pub fn class(&self) -> &'static str {
        match self {
            FetchError::Timeout(_) => "timeout",
            FetchError::Connect(_) => "connect",
            FetchError::Connection(_) => "connection",
            FetchError::TooLarge(_) => "too_large",
            FetchError::Redirect(_) => "redirect",
            FetchError::Request(_) => "request",
            FetchError::Decoding(_) => "decoding",
        }
    }
}

/// What to ask for.
#[derive(Debug, Clone)]
pub struct FetchRequest<'a> {
    /// URL.
    pub url: &'a Url,
    /// GET or POST.
    pub method: Method,
    /// Form body for POST.
    pub body: Option<&'a str>,
    /// Referer header.
    pub referer: Option<&'a str>,
    /// `If-None-Match` value.
    pub etag: Option<&'a str>,
    /// `If-Modified-Since` value.
    pub last_modified: Option<&'a str>,
}

/// A complete response.
#[derive(Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// URL after redirects.
    pub final_url: Url,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body bytes, transfer and content codings removed.
    pub body: Vec<u8>,
    /// For a 3xx: the `Location`, resolved against the request URL.
    pub location: Option<Url>,
    /// The exchange as it went over the wire, kept when the WARC output is on.
    pub capture: Option<Box<Capture>>,
}

/// One request and its response as exchanged, for the WARC output.
///
/// reqwest does not expose the bytes it writes, so the request head is rebuilt from what the
/// client sends (its default headers, ours, and the `Host` hyper adds). The response head is
/// the status line and headers received; `Transfer-Encoding` is left out because hyper has
/// already removed the chunked framing from the body. Content codings are kept as received.
#[derive(Debug)]
pub struct Capture {
    /// When the request was sent.
    pub date: chrono::DateTime<chrono::Utc>,
    /// The server's address.
    pub remote_ip: Option<std::net::IpAddr>,
    /// Request line and headers, ending with the blank line.
    pub request_head: Vec<u8>,
    /// Request body (POST form).
    pub request_body: Vec<u8>,
    /// Status line and headers, ending with the blank line.
    pub response_head: Vec<u8>,
    /// The body as received when it differs from [`Response::body`] (content-coded).
    pub wire_body: Option<Vec<u8>>,
}

impl Capture {
    /// The response payload as received (content coding kept).
    pub fn payload<'a>(&'a self, resp: &'a Response) -> &'a [u8] {
        self.wire_body.as_deref().unwrap_or(&resp.body)
    }
}

impl Response {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Headers as a JSON object (for the archive).
    pub fn headers_json(&self) -> String {
        let mut map = serde_json::Map::new();
        for (k, v) in &self.headers {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            match map.get_mut(k.as_str()) {
                Some(serde_json::Value::String(s)) => {
                    s.push_str(", ");
                    s.push_str(&v);
                }
                _ => {
                    map.insert(k.as_str().to_string(), serde_json::Value::String(v));
                }
            }
        }
        serde_json::Value::Object(map).to_string()
    }
}

/// What to do with a body longer than a limit (decoded bytes).
#[derive(Debug, Clone, Copy)]
enum Cap {
    /// Fail with [`FetchError::TooLarge`].
    Fail(u64),
    /// Keep the first bytes and stop reading.
    Truncate(u64),
}

/// The shared HTTP client.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body: u64,
    user_agent: String,
    capture: bool,
}

impl Fetcher {
    /// Build the client from the config.
    pub fn new(config: &Config) -> Result<Fetcher, FetchError> {
        // rustls needs a process-wide crypto provider; installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .timeout(config.request_timeout)
            .redirect(redirect::Policy::none())
            .pool_max_idle_per_host(config.per_host_concurrency.max(1))
            .tls_backend_rustls()
            .build()
            .map_err(|e| FetchError::Request(error_chain(&e)))?;
        Ok(Fetcher {
            client,
            max_body: config.max_body_bytes,
            user_agent: config.user_agent.clone(),
            capture: config.warc.is_some(),
        })
    }

    /// Send one request and read the whole body (up to the cap: a larger body is
    /// [`FetchError::TooLarge`]).
    pub async fn fetch(&self, req: &FetchRequest<'_>) -> Result<Response, FetchError> {
        self.fetch_capped(req, Cap::Fail(self.max_body)).await
    }

    /// Send one request and read at most the first `max_bytes` of the body (decoded), cutting
    /// the rest instead of failing: for robots.txt, of which only a prefix is parsed.
    pub async fn fetch_prefix(
        &self,
        req: &FetchRequest<'_>,
        max_bytes: u64,
    ) -> Result<Response, FetchError> {
        self.fetch_capped(req, Cap::Truncate(max_bytes.min(self.max_body)))
            .await
    }

    async fn fetch_capped(&self, req: &FetchRequest<'_>, cap: Cap) -> Result<Response, FetchError> {
        let mut builder = match req.method {
            Method::Get => self.client.get(req.url.clone()),
            Method::Post => self
                .client
                .post(req.url.clone())
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=UTF-8",
                )
                .body(req.body.unwrap_or("").to_string()),
        };
        builder = builder.header(
            ACCEPT_ENCODING,
            HeaderValue::from_static(content_coding::ACCEPT_ENCODING),
        );
        for (name, value) in [
            (REFERER, req.referer),
            (IF_NONE_MATCH, req.etag),
            (IF_MODIFIED_SINCE, req.last_modified),
        ] {
            if let Some(v) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
                builder = builder.header(name, v);
            }
        }
        let request = builder
            .build()
            .map_err(|e| FetchError::Request(error_chain(&e)))?;
        let sent = self.capture.then(|| {
            (
                chrono::Utc::now(),
                self.request_head(&request),
                req.body.unwrap_or("").as_bytes().to_vec(),
            )
        });
        let mut resp = self.client.execute(request).await.map_err(classify)?;
        let status = resp.status().as_u16();
        let final_url = resp.url().clone();
        let headers = resp.headers().clone();
        let location = if resp.status().is_redirection() {
            headers
                .get(reqwest::header::LOCATION)
                .and_then(|l| std::str::from_utf8(l.as_bytes()).ok())
                .and_then(|l| final_url.join(l).ok())
        } else {
            None
        };
        if let (Some(len), Cap::Fail(max)) = (resp.content_length(), cap) {
            if len > max {
                return Err(FetchError::TooLarge(max));
            }
        }
        let remote_ip = resp.remote_addr().map(|a| a.ip());
        let response_head = self.capture.then(|| response_head(&resp));
        let wire = read_body(&mut resp, cap).await?;
        let coding = headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok());
        let decoded = decode_body(coding, &wire, cap)?;
        let (body, wire_body) = match decoded {
            Some(body) => (body, Some(wire)),
            None => (wire, None),
        };
        let capture =
            sent.zip(response_head)
                .map(|((date, request_head, request_body), response_head)| {
                    Box::new(Capture {
                        date,
                        remote_ip,
                        request_head,
                        request_body,
                        response_head,
                        wire_body,
                    })
                });
        Ok(Response {
            status,
            final_url,
            headers,
            body,
            location,
            capture,
        })
    }

    /// The request line and headers as hyper will send them (see [`Capture`]).
    fn request_head(&self, request: &reqwest::Request) -> Vec<u8> {
        let url = request.url();
        let mut target = url.path().to_string();
        if let Some(q) = url.query() {
            target.push('?');
            target.push_str(q);
        }
        let mut head = format!("{} {target} HTTP/1.1\r\n", request.method());
        let host = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        };
        head.push_str(&format!("host: {host}\r\n"));
        head.push_str(&format!("user-agent: {}\r\n", self.user_agent));
        head.push_str("accept: */*\r\n");
        for (name, value) in request.headers() {
            head.push_str(&format!(
                "{name}: {}\r\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        if let Some(len) = request.body().and_then(|b| b.as_bytes()).map(<[u8]>::len) {
            head.push_str(&format!("content-length: {len}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

/// The body as received (content coding kept), read in chunks up to `cap`.
async fn read_body(resp: &mut reqwest::Response, cap: Cap) -> Result<Vec<u8>, FetchError> {
    let mut wire = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(classify)? {
        match cap {
            Cap::Fail(max) if wire.len() as u64 + chunk.len() as u64 > max => {
                return Err(FetchError::TooLarge(max));
            }
            Cap::Truncate(max) if wire.len() as u64 + chunk.len() as u64 >= max => {
                let room = (max as usize).saturating_sub(wire.len());
                wire.extend_from_slice(&chunk[..room.min(chunk.len())]);
                break;
            }
            _ => wire.extend_from_slice(&chunk),
        }
    }
    Ok(wire)
}

/// `wire` with its content `coding` undone under `cap`; `None` when nothing had to be decoded
/// (no coding, or an empty body: a 304).
fn decode_body(coding: Option<&str>, wire: &[u8], cap: Cap) -> Result<Option<Vec<u8>>, FetchError> {
    Ok(match cap {
        _ if wire.is_empty() => None,
        Cap::Truncate(max) => content_coding::decode_prefix(coding, wire, max),
        Cap::Fail(max) => content_coding::decode(coding, wire, max).map_err(|e| match e {
            DecodeError::TooLarge => FetchError::TooLarge(max),
            DecodeError::Corrupt(why) => {
                FetchError::Decoding(format!("{} body: {why}", coding.unwrap_or("")))
            }
        })?,
    })
}

/// The status line and headers received, without `Transfer-Encoding` (see [`Capture`]).
fn response_head(resp: &reqwest::Response) -> Vec<u8> {
    let status = resp.status();
    let version = match resp.version() {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    };
    let mut head = format!(
        "{version} {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in resp.headers() {
        if name == reqwest::header::TRANSFER_ENCODING {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn classify(e: reqwest::Error) -> FetchError {
    let msg = error_chain(&e);
    if e.is_timeout() {
        FetchError::Timeout(msg)
    } else if e.is_redirect() {
        FetchError::Redirect(msg)
    } else if e.is_connect() {
        FetchError::Connect(msg)
    } else if e.is_builder() {
        FetchError::Request(msg)
    } else {
        FetchError::Connection(msg)
    }
}

/// The error and its causes on one line (reqwest's Display omits the cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    msg
}
