//! The polite HTTP client: per-host rate limits and concurrency, robots.txt, retries with
//! backoff, `Retry-After`, scope-checked redirects, a body size cap, conditional requests and
//! anti-bot page detection.

pub mod antibot;
