//! The ways real portals misbehave, as responses: injected faults (500, reset, truncated body,
//! stall), 503 + `Retry-After`, anti-bot challenge pages (瑞数 412, 加速乐 521, wzws 302), and
//! the robustness traps (`/trap/gzip-bomb`, `/trap/endless`, `/trap/loop`).
//!
//! Which URL gets which quirk is decided by the site layout (`site.rs`); this file only builds
//! the responses and makes the fault decisions.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::http::{Body, Reply};
use super::util::{fnv1a, mix64};

/// Attempts from this number on are never faulted, so a crawler that retries a few times
/// always gets through (with `fault_rate` 0.3 the chance of three faults in a row is 2.7 %).
pub(crate) const MAX_FAULTY_ATTEMPTS: u32 = 3;

/// An injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Fault {
    /// `500 Internal Server Error`.
    ServerError,
    /// The connection is reset (RST) after the request was read; no response.
    Reset,
    /// Headers declare the full length, half the body is sent, then the connection closes.
    Truncate,
    /// The response is held back for [`super::server::STALL`] and then sent.
    Stall,
}

/// The fault for attempt `attempt` at request key `key`, when `rate` says there is one.
/// Deterministic: the same (key, attempt) always gives the same answer.
pub(crate) fn fault_for(rate: f64, key: u64, attempt: u32) -> Option<Fault> {
    if rate <= 0.0 || attempt >= MAX_FAULTY_ATTEMPTS {
        return None;
    }
    let h = mix64(key ^ u64::from(attempt).wrapping_mul(0xA24B_AED4_963E_E407));
    let u = (h >> 11) as f64 / (1u64 << 53) as f64;
    if u >= rate {
        return None;
    }
    Some(match h & 3 {
        0 => Fault::ServerError,
        1 => Fault::Reset,
        2 => Fault::Truncate,
        _ => Fault::Stall,
    })
}

/// A Tomcat-style 500 page.
pub(crate) fn server_error() -> Reply {
    Reply::html(
        500,
        "<html><head><title>500 Internal Server Error</title></head><body><h1>HTTP Status 500 – Internal Server Error</h1><p>服务器繁忙，请稍后再试。</p></body></html>".into(),
    )
}

/// `503` with `Retry-After: 1`.
pub(crate) fn retry_later() -> Reply {
    Reply::html(
        503,
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>".into(),
    )
    .with_header("Retry-After", "1")
}

/// Kinds of anti-bot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")] // names in data/standard.toml
pub(crate) enum Challenge {
    /// 瑞数 Ruishu: 412 with an inline `$_ts` script.
    Ruishu,
    /// 加速乐: 521 with a `__jsl_clearance` cookie script.
    Jsl,
    /// wzws: 302 to a `WZWSREL…?wzwschallenge=` page (200 challenge).
    Wzws,
}

/// The challenge response for `path` (content varies with the path, deterministically).
pub(crate) fn challenge(kind: Challenge, path: &str) -> Reply {
    let h = fnv1a(path.as_bytes());
    match kind {
        Challenge::Ruishu => {
            let cd = token(h, 180);
            let meta = token(h ^ 1, 40);
            let body = format!(
                "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\
<meta id=\"aB3xZ{id}\" content=\"{meta}\" r='m'>\
<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=49187;$_ts.cd=\"{cd}\";</script>\
<script type=\"text/javascript\" src=\"/c8Fq/Xk2a.{ver}.js\" r='m'></script></head><body></body></html>",
                id = h % 1000,
                ver = h % 97,
            );
            Reply::new(412, "text/html", body.into_bytes())
                .with_header("Server", "nginx")
                .with_header(
                    "Set-Cookie",
                    format!("FSSBBIl1UgzbN7N80S={}; Path=/; HttpOnly", token(h ^ 2, 60)),
                )
        }
        Challenge::Jsl => {
            let body = format!(
                "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+(+new Date()/1000|0)+'.{}|0|'+('{}');location.href=location.pathname+location.search</script>",
                h % 1000,
                token(h ^ 3, 24)
            );
            Reply::new(521, "text/html", body.into_bytes())
                .with_header("Server", "jsl")
                .with_header(
                    "Set-Cookie",
                    format!(
                        "__jsluid_h={}; max-age=31536000; path=/; HttpOnly",
                        token(h ^ 4, 32)
                    ),
                )
        }
        Challenge::Wzws => {
            let location = format!(
                "/WZWSREL{}?wzwschallenge=V1pXU19DT05GSVJNX1BSRUZJWF9MQUJFTDU{}",
                token(h, 24),
                h % 10_000
            );
            Reply::html(302, String::new()).with_header("Location", location)
        }
    }
}

/// The wzws challenge page the 302 leads to.
pub(crate) fn wzws_page(path: &str) -> Reply {
    let h = fnv1a(path.as_bytes());
    let body = format!(
        "<html><head><meta charset=\"utf-8\"><title></title></head><body>\
<script type=\"text/javascript\">var wzwstemplate=\"{t}\";var wzwschallenge=\"{c}\";var dynamicurl=\"{p}\";\
var WZWS_CONFIRM_PREFIX_LABEL1={n};document.cookie=\"wzwsconfirm=\"+wzwstemplate+\"; path=/\";location.href=dynamicurl;</script></body></html>",
        t = token(h, 32),
        c = token(h ^ 5, 32),
        p = super::util::esc(path),
        n = h % 100_000,
    );
    Reply::html(200, body).with_header(
        "Set-Cookie",
        format!("wzws_cid={}; path=/", token(h ^ 6, 40)),
    )
}

/// A base-62-ish token of `len` characters derived from `seed`.
fn token(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::with_capacity(len);
    let mut x = seed;
    for i in 0..len {
        x = mix64(x.wrapping_add(i as u64));
        s.push(char::from(ALPHABET[(x % ALPHABET.len() as u64) as usize]));
    }
    s
}

/// The robustness traps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")] // names in data/standard.toml
pub(crate) enum Trap {
    /// `Content-Encoding: gzip` body that inflates to more than 100 MB.
    GzipBomb,
    /// An infinite chunked body.
    Endless,
    /// A redirect cycle.
    Loop,
}

/// Uncompressed size of the gzip bomb.
pub(crate) const GZIP_BOMB_SIZE: usize = 128 * 1024 * 1024;

/// The gzip bomb bytes, compressed once per process (about 130 KB).
fn gzip_bomb() -> Arc<[u8]> {
    static BOMB: OnceLock<Arc<[u8]>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let block = vec![b' '; 1024 * 1024];
        let mut ok = enc.write_all(b"<html><body>").is_ok();
        for _ in 0..GZIP_BOMB_SIZE / block.len() {
            ok = ok && enc.write_all(&block).is_ok();
        }
        let bytes = if ok {
            enc.finish().unwrap_or_default()
        } else {
            Vec::new()
        };
        Arc::from(bytes)
    })
    .clone()
}

/// The response of trap `kind` at `path`.
pub(crate) fn trap(kind: Trap, path: &str) -> Reply {
    match kind {
        Trap::GzipBomb => Reply::new(200, "text/html; charset=utf-8", gzip_bomb())
            .with_header("Content-Encoding", "gzip"),
        Trap::Endless => {
            let mut r = Reply::html(200, String::new());
            r.body = Body::Endless;
            r
        }
        Trap::Loop => {
            let next = if path.ends_with("/again") {
                "/trap/loop"
            } else {
                "/trap/loop/again"
            };
            Reply::html(302, String::new()).with_header("Location", next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_deterministic_and_bounded() {
        assert_eq!(fault_for(0.0, 1, 0), None);
        let mut faulted = 0;
        for key in 0..2000u64 {
            assert_eq!(fault_for(0.3, key, 0), fault_for(0.3, key, 0));
            assert_eq!(fault_for(1.0, key, MAX_FAULTY_ATTEMPTS), None);
            if fault_for(0.3, key, 0).is_some() {
                faulted += 1;
            }
        }
        assert!((450..750).contains(&faulted), "{faulted}");
        let kinds: std::collections::HashSet<_> =
            (0..200u64).filter_map(|k| fault_for(1.0, k, 1)).collect();
        assert_eq!(kinds.len(), 4);
    }

    #[test]
    fn challenges_have_signatures() {
        let r = challenge(Challenge::Ruishu, "/a");
        assert_eq!(r.status, 412);
        assert!(String::from_utf8_lossy(r.bytes()).contains("$_ts=window['$_ts']"));
        let j = challenge(Challenge::Jsl, "/a");
        assert_eq!(j.status, 521);
        assert!(String::from_utf8_lossy(j.bytes()).contains("('_')+('_')+('j')"));
        let w = challenge(Challenge::Wzws, "/a");
        assert_eq!(w.status, 302);
        assert!(String::from_utf8_lossy(wzws_page("/x").bytes()).contains("wzwschallenge"));
        assert_eq!(challenge(Challenge::Ruishu, "/a").bytes(), r.bytes());
    }

    #[test]
    fn gzip_bomb_inflates_past_100_mb() {
        use std::io::Read;
        let bomb = gzip_bomb();
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        let mut dec = flate2::read::GzDecoder::new(&bomb[..]);
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0usize;
        loop {
            match dec.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
        }
        assert!(total > 100_000_000, "{total}");
    }

    #[test]
    fn loop_cycles() {
        let a = trap(Trap::Loop, "/trap/loop");
        let loc = a
            .headers
            .iter()
            .find(|(n, _)| *n == "Location")
            .map(|(_, v)| v.clone());
        assert_eq!(loc.as_deref(), Some(&b"/trap/loop/again"[..]));
        let b = trap(Trap::Loop, "/trap/loop/again");
        let loc = b
            .headers
            .iter()
            .find(|(n, _)| *n == "Location")
            .map(|(_, v)| v.clone());
        assert_eq!(loc.as_deref(), Some(&b"/trap/loop"[..]));
    }
}
