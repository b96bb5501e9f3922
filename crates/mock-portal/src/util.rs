//! Small deterministic helpers shared by the mock portal: a seeded random number generator,
//! a stable string hash, publication dates, HTML escaping and entity tags.
//!
//! Everything here must give the same output on every run and every platform, because two
//! portals started with the same options must serve the same bytes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// SplitMix64, a tiny seeded generator.
///
/// Hand-rolled on purpose: `rand`'s `StdRng`/`SmallRng` document that their output may change
/// between `rand` versions, and the mock's pages must stay byte-identical across builds.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A value in `lo..=hi` (`lo` when the range is empty).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty constant pool.
    pub(crate) fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        let i = self.below(pool.len() as u64) as usize;
        pool.get(i).copied().unwrap_or("")
    }
}

/// The SplitMix64 finaliser: a good 64-bit mixing function.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: a stable hash for seeds and fault decisions (std's `DefaultHasher` is
/// randomly keyed per process).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A publication timestamp in China Standard Time (UTC+8), minute precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date {
    /// Year.
    pub(crate) y: i32,
    /// Month 1–12.
    pub(crate) m: u32,
    /// Day 1–31.
    pub(crate) d: u32,
    /// Hour 0–23.
    pub(crate) hh: u32,
    /// Minute 0–59.
    pub(crate) mm: u32,
}

impl Date {
    /// A date at `hh:mm`.
    pub(crate) const fn at(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> Date {
        Date { y, m, d, hh, mm }
    }

    /// `h` hours after `self` (calendar-correct).
    pub(crate) fn plus_hours(self, h: i64) -> Date {
        let t = self.unix() + h * 3600;
        Date::from_unix(t)
    }

    fn from_unix(t: i64) -> Date {
        let local = t + 8 * 3600;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Date {
            y,
            m,
            d,
            hh: (secs / 3600) as u32,
            mm: ((secs % 3600) / 60) as u32,
        }
    }

    /// Seconds since the Unix epoch.
    pub(crate) fn unix(self) -> i64 {
        let days = days_from_civil(self.y, self.m, self.d);
        days * 86_400 + i64::from(self.hh) * 3600 + i64::from(self.mm) * 60 - 8 * 3600
    }

    /// As a `SystemTime` (for `Last-Modified`).
    pub(crate) fn system_time(self) -> SystemTime {
        let t = self.unix().max(0) as u64;
        UNIX_EPOCH + Duration::from_secs(t)
    }

    /// `2024-01-26`.
    pub(crate) fn ymd(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    /// `2024-01-26 10:18`.
    pub(crate) fn ymd_hm(self) -> String {
        format!("{} {:02}:{:02}", self.ymd(), self.hh, self.mm)
    }

    /// `20240126`.
    pub(crate) fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.y, self.m, self.d)
    }

    /// `202401` (TRS month folders).
    pub(crate) fn yyyymm(self) -> String {
        format!("{:04}{:02}", self.y, self.m)
    }
}

// Howard Hinnant's civil-date algorithms (public domain); chrono would do, but these two
// functions keep `Date` a plain `Copy` value with exact, documented arithmetic.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Escape text for HTML element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An nginx-style strong entity tag derived from the body bytes.
pub(crate) fn etag_for(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    format!("\"{:x}-{}\"", body.len(), hex::encode(&digest[..6]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.range(3, 9);
            assert_eq!(x, b.range(3, 9));
            assert!((3..=9).contains(&x));
        }
        assert_eq!(Rng::new(1).below(0), 0);
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn dates_round_trip_and_add() {
        let d = Date::at(2024, 1, 26, 10, 18);
        assert_eq!(Date::from_unix(d.unix()), d);
        assert_eq!(d.plus_hours(24 * 6).ymd(), "2024-02-01");
        assert_eq!(
            Date::at(2024, 2, 28, 23, 0).plus_hours(2).ymd_hm(),
            "2024-02-29 01:00"
        );
        assert_eq!(d.compact(), "20240126");
        // 2024-01-26 10:18 +08:00 = 02:18 UTC.
        assert_eq!(
            httpdate::fmt_http_date(d.system_time()),
            "Fri, 26 Jan 2024 02:18:00 GMT"
        );
    }

    #[test]
    fn escaping_and_etags() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(etag_for(b"x"), etag_for(b"x"));
        assert_ne!(etag_for(b"x"), etag_for(b"y"));
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
