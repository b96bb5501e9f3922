//! The polite HTTP client: per-host rate limits and concurrency, robots.txt, retries with
//! backoff, `Retry-After`, scope-checked redirects, a body size cap, conditional requests and
//! anti-bot page detection.
//!
//! - [`client`]: one request → one [`client::Response`] or a typed [`client::FetchError`].
//! - [`scope`]: which hosts may be fetched.
//! - [`robots`]: robots.txt rules per host.
//! - [`politeness`]: the per-host limiter (rate, Crawl-delay, pauses, back-off after blocks).
//! - [`retry`]: which failures are retried, and when.
//! - [`antibot`]: challenge pages.

pub mod antibot;
pub mod client;
pub mod politeness;
pub mod retry;
pub mod robots;
pub mod scope;
