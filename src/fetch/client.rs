//! One HTTP request → one [`Response`] or a typed [`FetchError`].
//!
//! Built on reqwest with rustls (ring provider) and transparent gzip/brotli/deflate. Redirects
//! are *not* followed here: a 3xx comes back as a response with [`Response::location`], and the
//! crawler queues the target as a request of its own, so every hop passes scope, robots.txt and
//! the host's rate limit, and loops end at the frontier's seen-set. Bodies are read in chunks and
//! cut at the size cap, which also defuses compression bombs (the cap applies to decompressed
//! bytes).

use reqwest::header::{HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, REFERER};
use reqwest::redirect;
use url::Url;

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
}

impl FetchError {
    /// Whether another attempt might succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout(_) | FetchError::Connect(_) | FetchError::Connection(_)
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
    /// Body bytes (transfer encodings removed).
    pub body: Vec<u8>,
    /// For a 3xx: the `Location`, resolved against the request URL.
    pub location: Option<Url>,
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

/// The shared HTTP client.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body: u64,
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
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .pool_max_idle_per_host(config.per_host_concurrency.max(1))
            .tls_backend_rustls()
            .build()
            .map_err(|e| FetchError::Request(error_chain(&e)))?;
        Ok(Fetcher {
            client,
            max_body: config.max_body_bytes,
        })
    }

    /// Send one request and read the whole body (up to the cap).
    pub async fn fetch(&self, req: &FetchRequest<'_>) -> Result<Response, FetchError> {
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
        for (name, value) in [
            (REFERER, req.referer),
            (IF_NONE_MATCH, req.etag),
            (IF_MODIFIED_SINCE, req.last_modified),
        ] {
            if let Some(v) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
                builder = builder.header(name, v);
            }
        }
        let mut resp = builder.send().await.map_err(classify)?;
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
        if let Some(len) = resp.content_length() {
            if len > self.max_body && !is_compressed(&headers) {
                return Err(FetchError::TooLarge(self.max_body));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if body.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            final_url,
            headers,
            body,
            location,
        })
    }
}

fn is_compressed(headers: &HeaderMap) -> bool {
    headers.get(reqwest::header::CONTENT_ENCODING).is_some()
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
