//! robots.txt (RFC 9309) per host, parsed by `texting_robots`.
//!
//! Policy: 2xx → parse (UTF-8 or GBK, BOM tolerated); 404/410 and other 4xx except 401/403 →
//! allow all; a 3xx that could not be followed (no usable `Location`; the crawl follows the
//! others, [`crate::crawl::robots`]) → unavailable, allow all, as RFC 9309 says of redirects
//! beyond the limit; 401/403 → disallow all (the conservative reading: a host that refuses us its
//! robots.txt is not asking to be crawled); 5xx, timeouts and challenge pages → "unreachable":
//! the host is not crawled until robots.txt can be read (retried later in the run, then the
//! next run). A 200 HTML page served for `/robots.txt` (a soft 404) is not a robots file and
//! allows all.

use texting_robots::Robot;

/// The product token matched against `User-agent:` lines.
pub const AGENT: &str = "nianbao";

/// What robots.txt says about a host.
#[derive(Debug)]
pub enum RobotsRules {
    /// No usable robots.txt (404, soft 404): everything allowed.
    AllowAll,
    /// 401/403: nothing allowed.
    DisallowAll,
    /// A parsed robots.txt.
    Parsed(Box<Robot>),
}

/// The outcome of fetching robots.txt.
#[derive(Debug)]
pub enum RobotsOutcome {
    /// Rules to apply, with a short status for the hosts table (`parsed`, `allow_all (404)`, …).
    Rules(RobotsRules, String),
    /// Could not be read now (5xx, timeout, challenge); do not crawl the host meanwhile.
    Unreachable(String),
}

impl RobotsRules {
    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            RobotsRules::AllowAll => true,
            RobotsRules::DisallowAll => false,
            RobotsRules::Parsed(robot) => robot.allowed(url),
        }
    }

    /// `Crawl-delay` in seconds, if given.
    pub fn crawl_delay(&self) -> Option<f64> {
        match self {
            RobotsRules::Parsed(robot) => robot
                .delay
                .map(f64::from)
                .filter(|d| d.is_finite() && *d > 0.0),
            _ => None,
        }
    }
}

/// Interpret a robots.txt response (`None` status = the request failed with `error`).
pub fn interpret(
    status: Option<u16>,
    body: &[u8],
    content_type: Option<&str>,
    error: Option<&str>,
) -> RobotsOutcome {
    let Some(status) = status else {
        return RobotsOutcome::Unreachable(error.unwrap_or("request failed").to_string());
    };
    match status {
        200..=299 => {
            let text = crate::extract::charset::decode(body, content_type).text;
            let looks_html = content_type.is_some_and(|c| c.contains("html"))
                || text
                    .trim_start()
                    .get(..200.min(text.trim_start().len()))
                    .is_some_and(|head| {
                        let h = head.to_ascii_lowercase();
                        h.starts_with("<!doctype")
                            || h.starts_with("<html")
                            || h.contains("<script")
                    });
            if looks_html {
                return RobotsOutcome::Rules(
                    RobotsRules::AllowAll,
                    "allow_all (html served as robots.txt)".into(),
                );
            }
            let text = text.trim_start_matches('\u{feff}');
            match Robot::new(AGENT, text.as_bytes()) {
                Ok(robot) => {
                    RobotsOutcome::Rules(RobotsRules::Parsed(Box::new(robot)), "parsed".into())
                }
                Err(_) => {
                    RobotsOutcome::Rules(RobotsRules::AllowAll, "allow_all (unparseable)".into())
                }
            }
        }
        401 | 403 => {
            RobotsOutcome::Rules(RobotsRules::DisallowAll, format!("disallow_all ({status})"))
        }
        300..=499 => RobotsOutcome::Rules(RobotsRules::AllowAll, format!("allow_all ({status})")),
        _ => RobotsOutcome::Unreachable(format!("robots.txt answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(status: u16, body: &str) -> RobotsRules {
        match interpret(Some(status), body.as_bytes(), Some("text/plain"), None) {
            RobotsOutcome::Rules(r, _) => r,
            RobotsOutcome::Unreachable(e) => panic!("unreachable: {e}"),
        }
    }

    #[test]
    fn disallow_and_crawl_delay() {
        let r = rules(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n");
        assert!(r.allowed("http://h/zfxxgk/index.html"));
        assert!(!r.allowed("http://h/private/report.html"));
        assert_eq!(r.crawl_delay(), Some(2.0));
    }

    #[test]
    fn status_policy() {
        assert!(rules(404, "").allowed("http://h/x"));
        assert!(!rules(403, "").allowed("http://h/x"));
        assert!(matches!(
            interpret(Some(503), b"", None, None),
            RobotsOutcome::Unreachable(_)
        ));
        assert!(matches!(
            interpret(None, b"", None, Some("timeout")),
            RobotsOutcome::Unreachable(_)
        ));
        assert!(
            rules(200, "<!DOCTYPE html><html><body>页面不存在</body></html>").allowed("http://h/x")
        );
    }

    #[test]
    fn a_redirect_without_location_is_unavailable() {
        assert!(rules(302, "").allowed("http://h/x"));
    }

    #[test]
    fn disallow_all_for_everyone() {
        let r = rules(200, "\u{feff}User-agent: *\nDisallow: /\n");
        assert!(!r.allowed("http://h/anything"));
    }
}
