//! The polite HTTP client: per-host rate limits and concurrency, robots.txt, retries with
//! backoff, `Retry-After`, scope-checked redirects, a body size cap, conditional requests and
//! anti-bot page detection.
//!
//! - [`client`]: one request → one [`client::Response`] or a typed [`client::FetchError`].
//! - [`content_coding`]: gzip/deflate/br bodies decoded under the size cap.
//! - [`scope`]: which hosts may be fetched.
//! - [`robots`]: robots.txt rules per host.
//! - [`politeness`]: the per-host limiter (rate, Crawl-delay, pauses, back-off after blocks).
//! - [`retry`]: which failures are retried, and when.
//! - [`antibot`]: challenge pages.

pub mod antibot;
pub mod client;
pub mod content_coding;
pub mod politeness;
pub mod retry;
pub mod robots;
pub mod scope;
