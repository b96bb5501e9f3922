//! Fuzz target: robots.txt handling (`fetch::robots::interpret`, then `allowed` and
//! `crawl_delay` as the crawler asks them).
//!
//! Input: the first byte picks the response status and `Content-Type`; the next line is a URL
//! path (or a whole URL) to ask about; the rest is the robots.txt body. Nothing may panic, and:
//! - the status text matches the rules (`parsed`, `allow_all …`, `disallow_all …`);
//! - allow-all allows and disallow-all refuses every URL;
//! - a crawl delay, when given, is a finite number of seconds above zero.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::fetch::robots::{interpret, RobotsOutcome, RobotsRules};

const STATUSES: [u16; 8] = [200, 200, 200, 204, 403, 404, 503, 301];
const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("text/plain"),
    Some("text/plain; charset=gbk"),
    Some("text/html; charset=utf-8"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(mode & 7)];
    let content_type = CONTENT_TYPES[usize::from(mode >> 3 & 3)];
    let (path, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (String::from_utf8_lossy(&rest[..i]), &rest[i + 1..]),
        None => ("/".into(), rest),
    };
    let url = if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else if path.starts_with('/') {
        format!("http://www.example.gov.cn{path}")
    } else {
        format!("http://www.example.gov.cn/{path}")
    };

    let RobotsOutcome::Rules(rules, what) = interpret(Some(status), body, content_type, None)
    else {
        // 3xx (redirects are followed before this), 5xx: try again later.
        assert!(
            !(200..300).contains(&status) && !(400..500).contains(&status),
            "{status} must give rules"
        );
        return;
    };
    let allowed = rules.allowed(&url);
    let _ = rules.allowed(&path);
    let delay = rules.crawl_delay();
    if let Some(d) = delay {
        assert!(d.is_finite() && d > 0.0, "crawl delay {d}");
    }
    match rules {
        RobotsRules::AllowAll => {
            assert!(what.starts_with("allow_all"), "{what}");
            assert!(allowed);
            assert!(delay.is_none());
        }
        RobotsRules::DisallowAll => {
            assert!(what.starts_with("disallow_all"), "{what}");
            assert!(!allowed);
        }
        RobotsRules::Parsed(_) => {
            assert_eq!(what, "parsed");
            assert!((200..300).contains(&status));
        }
    }
});
