//! `copied`: a report whose text is a near copy of another archived report.
//!
//! Takes report texts (with their agency, region and year) and gives what an archive needs to
//! find near copies without comparing a new report with every other one:
//!
//! 1. [`mask`]: the prose (tables dropped: every report prints the same form labels) with
//!    agency names, region names and every number (years too) replaced by placeholders and
//!    spaces removed — what is compared, so that a report copied from another agency's (or
//!    last year's) looks the same as its source.
//! 2. [`Signature::of`]: a MinHash signature of the masked text's character 5-shingles
//!    ([`HASHES`] = 126 minimums), stored as a 504-byte blob ([`Signature::to_bytes`]).
//! 3. [`Signature::band_keys`]: LSH banding, [`BANDS`] = 21 bands of [`ROWS`] = 6 minimums, each
//!    hashed to a [`BandKey`]. Two reports whose shingle sets have Jaccard similarity `s` share
//!    at least one band key with probability `1 − (1 − s⁶)²¹`: 0.984 at the threshold 0.75,
//!    0.998 at 0.8, 0.93 at 0.7, 0.28 at 0.5, 0.015 at 0.3, 0.0005 at 0.17 (the most similar
//!    distinct reports measured) and 3·10⁻⁷ at 0.05 (typical), so a look-up in an archive of
//!    10⁶ reports returns a handful of candidates to verify. Stored in SQLite as rows
//!    `(band, key, report_id)` with an index on `(band, key)` ([`BandKey::key_i64`] for the
//!    column), the candidates of a new report are one indexed look-up per band (`SELECT
//!    report_id FROM copy_bands WHERE band = ?1 AND key = ?2`), whatever the archive's size.
//!    [`CandidateIndex`] is the same in memory (tests, benchmarks).
//! 4. [`similarity`]: the exact Jaccard similarity of two masked texts' shingle sets (64-bit
//!    shingle hashes), computed only for the candidates. At or above [`THRESHOLD`] the report
//!    is `copied`.
//! 5. [`scope`] and [`finding`]: `other_agency` when the agencies differ; `previous_year` when
//!    it is the same agency's report of the year before and every table cell is unchanged
//!    ([`tables_unchanged`]) — reusing last year's wording with this year's numbers is normal.
//!
//! **Threshold** (`tests::measured_similarities`, `cargo test --lib measured_similarities --
//! --nocapture`). Masking compares the prose only: with the tables kept, any two reports in
//! the 2021 layout shared their form labels and reached 0.23. On the prose, the 28 pairs of
//! distinct real reports (seeds, corpus) reach at most 0.166 — Huaian city and its Hongze
//! district, same city, same year, same PDF producer — and otherwise ≤ 0.07. Variants: seed
//! 001 copied by another district office, names and every number changed: 1.0; a report with
//! one sentence in five replaced by another report's: 0.64–0.82; one in three: 0.51–0.61; one
//! in two (two reports sharing half their wording, as a county template would make them):
//! 0.30–0.46; the same report extracted three ways (PDF layout text, pdfminer, tabs):
//! 0.73–0.85. [`THRESHOLD`] = 0.75 is 4.5 times what distinct reports reach and 0.29 above
//! half-shared wording, and still catches a copy with light edits.
//!
//! **Hand-rolled, on purpose.** Signatures are stored, so every function behind them must stay
//! fixed across builds and dependency updates: shingles are hashed with SipHash-1-3 under fixed
//! keys (`siphasher`, a specified function), and the 126 MinHash permutations are
//! multiply-shift hashes `(a·x + b) >> 32` whose odd `a` and `b` come from SplitMix64 with a fixed
//! seed — not from a random generator whose output may change between `rand` versions, as in
//! the MinHash crates seen (gaoya draws them from `StdRng`, hashes through `std::hash::Hash`).
//! [`SIGNATURE_VERSION`] names this scheme; bump it when anything here changes, and recompute.

use crate::model::{CopyScope, Finding, Severity, Tables, What};
use regex::Regex;
use siphasher::sip::SipHasher13;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Characters per shingle.
pub const SHINGLE: usize = 5;
/// MinHash values per signature.
pub const HASHES: usize = 126;
/// LSH bands.
pub const BANDS: usize = 21;
/// Minimums per band.
pub const ROWS: usize = HASHES / BANDS;
/// Similarity at or above which a report is a near copy.
pub const THRESHOLD: f64 = 0.75;
/// Version of the signature scheme (mask, shingles, hashes, bands); stored beside signatures.
pub const SIGNATURE_VERSION: u32 = 1;

/// Placeholder for an agency name.
const AGENCY: &str = "◆";
/// Placeholder for a region name.
const REGION: &str = "◇";
/// Placeholder for a number.
const NUMBER: &str = "#";

/// A region name at the start of an agency's name: 淮安市, 洪泽区, 某某自治县, 北海高新区.
static REGION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,8}?(?:自治区|自治州|自治县|自治旗|特别行政区|地区|省|市|州|盟|区|县|旗|镇|乡|街道)")
        .expect("static regex")
});

/// A number: digits (ASCII or full-width) with separators.
static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9０-９]+(?:[.,，．][0-9０-９]+)*").expect("static regex"));

/// The region names an agency's name starts with (淮安市洪泽区人民政府 → 淮安市, 洪泽区).
fn regions_of(agency: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = agency;
    while let Some(m) = REGION_PREFIX.find(rest) {
        // Stop at the agency's own kind (人民政府, …): a region is a place before it.
        if rest[m.end()..].is_empty() {
            break;
        }
        out.push(m.as_str().to_string());
        rest = &rest[m.end()..];
    }
    out
}

/// The prose of `text` (tables dropped: every report prints the same form labels) with
/// `agency`, the regions (`region` is `/`-separated, as in the seeds file, and the ones
/// `agency` starts with) and every number masked, spaces removed.
/// `year` is masked with the other numbers; it is taken so that a caller need not know that.
pub fn mask(text: &str, agency: Option<&str>, region: Option<&str>, year: Option<i32>) -> String {
    let _ = year;
    // The prose only: the form's tables print the same labels in every report.
    let mut text: String = super::narrative::prose(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '|')
        .collect();
    let mut names: Vec<(String, &str)> = Vec::new();
    if let Some(a) = agency.map(|a| a.split_whitespace().collect::<String>()) {
        for r in regions_of(&a) {
            names.push((r, REGION));
        }
        names.push((a, AGENCY));
    }
    for r in region.unwrap_or("").split('/').map(str::trim) {
        if r.chars().count() >= 2 {
            names.push((r.to_string(), REGION));
        }
    }
    // Short forms: 淮安市 → 淮安 (a stem of two characters or more).
    let stems: Vec<(String, &str)> = names
        .iter()
        .filter(|(_, p)| *p == REGION)
        .filter_map(|(r, _)| {
            let stem: String = r.chars().take(r.chars().count() - 1).collect();
            (stem.chars().count() >= 2).then_some((stem, REGION))
        })
        .collect();
    names.extend(stems);
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    for (name, placeholder) in &names {
        if !name.is_empty() {
            text = text.replace(name.as_str(), placeholder);
        }
    }
    DIGITS.replace_all(&text, NUMBER).into_owned()
}

/// SipHash-1-3 under fixed keys: the stored hash of shingles and bands.
fn sip() -> SipHasher13 {
    SipHasher13::new_with_keys(0x6e69_616e_6261_6f31, 0x636f_7069_6573_0001)
}

/// The 64-bit hashes of `masked`'s character shingles (a text shorter than a shingle is one).
fn shingles(masked: &str) -> HashSet<u64> {
    let h = sip();
    let bounds: Vec<usize> = masked
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(masked.len()))
        .collect();
    let n = bounds.len() - 1;
    if n == 0 {
        return HashSet::new();
    }
    if n < SHINGLE {
        return std::iter::once(h.hash(masked.as_bytes())).collect();
    }
    (0..=n - SHINGLE)
        .map(|i| h.hash(&masked.as_bytes()[bounds[i]..bounds[i + SHINGLE]]))
        .collect()
}

/// The multiply-shift permutations: odd `a`, any `b`, from SplitMix64 with a fixed seed.
static PERMUTATIONS: LazyLock<[(u64, u64); HASHES]> = LazyLock::new(|| {
    let mut state: u64 = 0x5eed_0fc0_91e5;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    std::array::from_fn(|_| (next() | 1, next()))
});

/// A MinHash signature of a masked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

/// One LSH band's key: the band's number and the hash of its minimums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BandKey {
    /// Band number, `0..BANDS`.
    pub band: u8,
    /// Hash of the band's minimums.
    pub key: u64,
}

impl BandKey {
    /// The key as SQLite's signed 64-bit integer (same bits).
    pub fn key_i64(self) -> i64 {
        i64::from_ne_bytes(self.key.to_ne_bytes())
    }
}

impl Signature {
    /// The signature of a text masked by [`mask`]. An empty text has every minimum at
    /// `u32::MAX` (and matches only other empty texts).
    pub fn of(masked: &str) -> Signature {
        let mut mins = [u32::MAX; HASHES];
        for x in shingles(masked) {
            for (m, (a, b)) in mins.iter_mut().zip(PERMUTATIONS.iter()) {
                let v = (a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Signature(mins)
    }

    /// The LSH band keys, one per band.
    pub fn band_keys(&self) -> [BandKey; BANDS] {
        let h = sip();
        std::array::from_fn(|band| {
            let mut bytes = Vec::with_capacity(1 + 4 * ROWS);
            bytes.push(band as u8);
            for v in &self.0[band * ROWS..(band + 1) * ROWS] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            BandKey {
                band: band as u8,
                key: h.hash(&bytes),
            }
        })
    }

    /// The fraction of equal minimums: an estimate of the Jaccard similarity.
    pub fn estimate(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// The signature as a blob (little-endian `u32`s).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`] back; `None` for a blob of the wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != 4 * HASHES {
            return None;
        }
        let mut mins = [0u32; HASHES];
        for (m, chunk) in mins.iter_mut().zip(bytes.chunks_exact(4)) {
            *m = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature(mins))
    }
}

/// The exact Jaccard similarity (0–1) of two masked texts' shingle sets.
pub fn similarity(masked_a: &str, masked_b: &str) -> f64 {
    let (a, b) = (shingles(masked_a), shingles(masked_b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(&b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Every table present in both and every cell value equal; `false` when neither has a table
/// (a legacy report: its numbers are in the prose, which is masked).
pub fn tables_unchanged(a: &Tables, b: &Tables) -> bool {
    let pairs = [
        (&a.active, &b.active),
        (&a.requests, &b.requests),
        (&a.appeals, &b.appeals),
    ];
    let mut any = false;
    for (x, y) in pairs {
        match (x, y) {
            (None, None) => {}
            (Some(x), Some(y)) => {
                any = true;
                let values = |t: &crate::model::Table| {
                    t.iter()
                        .map(|(r, c, cell)| (r, c, cell.value))
                        .collect::<Vec<_>>()
                };
                if values(x) != values(y) {
                    return false;
                }
            }
            _ => return false,
        }
    }
    any
}

/// What [`scope`] needs of a report.
#[derive(Debug, Clone, Copy)]
pub struct ReportRef<'a> {
    /// Content id.
    pub id: &'a str,
    /// Agency, if known.
    pub agency: Option<&'a str>,
    /// Report year, if known.
    pub year: Option<i32>,
    /// Its tables.
    pub tables: &'a Tables,
}

/// The copy scope of `this` against an earlier `other`: another agency's, or the same agency's
/// previous year's with unchanged tables; `None` otherwise (same agency and year: a re-post;
/// same agency, other years, or changed tables: normal reuse of wording).
pub fn scope(this: &ReportRef<'_>, other: &ReportRef<'_>) -> Option<CopyScope> {
    let (a, b) = (this.agency?, other.agency?);
    let norm = |s: &str| s.split_whitespace().collect::<String>();
    if norm(a) != norm(b) {
        return Some(CopyScope::OtherAgency);
    }
    let previous = this.year?.checked_sub(1)? == other.year?;
    (previous && tables_unchanged(this.tables, other.tables)).then_some(CopyScope::PreviousYear)
}

/// The `copied` finding (`warning`) of `this` against `other` at `similarity`, if the
/// similarity reaches [`THRESHOLD`] and [`scope`] gives a scope.
pub fn finding(this: &ReportRef<'_>, other: &ReportRef<'_>, similarity: f64) -> Option<Finding> {
    if similarity < THRESHOLD || this.id == other.id {
        return None;
    }
    let scope = scope(this, other)?;
    let pct = (similarity * 100.0).round();
    let detail = match scope {
        CopyScope::OtherAgency => format!(
            "本报告正文与{}的报告（{}）在屏蔽机关名称、地名和数字后相似度为{pct}%。",
            other.agency.unwrap_or("另一机关"),
            other.id
        ),
        CopyScope::PreviousYear => format!(
            "本报告正文与本机关上一年度报告（{}）在屏蔽年份和数字后相似度为{pct}%，且表格数据完全相同。",
            other.id
        ),
    };
    Some(Finding {
        severity: Severity::Warning,
        detail,
        what: What::Copied {
            of: other.id.to_string(),
            scope,
            similarity: (similarity * 1000.0).round() / 1000.0,
        },
    })
}

/// An in-memory band index: what the SQLite table `(band, key, report_id)` holds, for tests
/// and benchmarks. Reports are numbered by the caller.
#[derive(Debug, Default)]
pub struct CandidateIndex {
    /// `(band key, report)` pairs sorted by key, for look-up by binary search.
    sorted: Vec<(u64, u32)>,
    /// Pairs added since the last merge.
    fresh: HashMap<u64, Vec<u32>>,
}

/// Fresh pairs kept in the hash map before they are merged into the sorted run.
const MERGE_EVERY: usize = 1 << 16;

impl CandidateIndex {
    /// An index of `signatures` (report number, band keys), built in one sort.
    pub fn build(entries: impl IntoIterator<Item = (u32, [BandKey; BANDS])>) -> CandidateIndex {
        let mut sorted: Vec<(u64, u32)> = entries
            .into_iter()
            .flat_map(|(id, keys)| keys.map(|k| (k.key, id)))
            .collect();
        sorted.sort_unstable();
        CandidateIndex {
            sorted,
            fresh: HashMap::new(),
        }
    }

    /// Adds one report.
    pub fn insert(&mut self, id: u32, keys: &[BandKey; BANDS]) {
        for k in keys {
            self.fresh.entry(k.key).or_default().push(id);
        }
        if self.fresh.len() >= MERGE_EVERY {
            let fresh = std::mem::take(&mut self.fresh);
            self.sorted.extend(
                fresh
                    .into_iter()
                    .flat_map(|(k, ids)| ids.into_iter().map(move |i| (k, i))),
            );
            self.sorted.sort_unstable();
        }
    }

    /// Reports sharing at least one band key with `keys`, each once, in ascending order.
    pub fn candidates(&self, keys: &[BandKey; BANDS]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for k in keys {
            let start = self.sorted.partition_point(|(key, _)| *key < k.key);
            out.extend(
                self.sorted[start..]
                    .iter()
                    .take_while(|(key, _)| *key == k.key)
                    .map(|(_, id)| *id),
            );
            if let Some(ids) = self.fresh.get(&k.key) {
                out.extend(ids);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Band-key entries held.
    pub fn len(&self) -> usize {
        self.sorted.len() + self.fresh.values().map(Vec::len).sum::<usize>()
    }

    /// True when no report was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests;
