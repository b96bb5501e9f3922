//! Which failures are worth another attempt, and when: exponential backoff with jitter for
//! timeouts, resets and 5xx; `Retry-After` honoured on 429/503.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// Delay before attempt number `attempt` (1 = first retry): `base · 2^(attempt-1)`, capped at
/// `max`, then a random point in its upper half so many clients do not retry in step.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    let capped = exp.min(max);
    let half = capped / 2;
    half + capped
        .saturating_sub(half)
        .mul_f64(rand::rng().random::<f64>())
}

/// Whether an HTTP status is a temporary server problem worth retrying.
pub fn status_is_retryable(status: u16) -> bool {
    matches!(
        status,
        408 | 429 | 500 | 502 | 503 | 504 | 520 | 522 | 523 | 524
    )
}

/// Parse `Retry-After` (seconds or an HTTP date) into a delay from now.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_secs(1);
        let max = Duration::from_secs(10);
        for _ in 0..50 {
            let d1 = backoff(1, base, max);
            assert!(d1 >= Duration::from_millis(500) && d1 <= base, "{d1:?}");
            let d3 = backoff(3, base, max);
            assert!(
                d3 >= Duration::from_secs(2) && d3 <= Duration::from_secs(4),
                "{d3:?}"
            );
            assert!(backoff(30, base, max) <= max);
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
