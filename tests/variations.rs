//! End to end on generated portals (the mock's Variations layout): every exported record is
//! one planted report, read right, whatever the CMS family, the page shape (report on its page,
//! report on its page and attached, announcement of one or three attached reports), the
//! announcement's wording, the notices about reports (trainings, meetings, corrections,
//! explanations, summary notes) and how the listing cuts their titles, junk under report titles
//! and the neighbours of reports.
//!
//! `every_kind` crawls a fixed portal holding every item kind on every family; `props` builds
//! random portals with proptest (`NIANBAO_VARIATION_CASES`, default 4, for more);
//! `reparse` turns a crawled archive back into what the old analysis stored and checks that
//! `nianbao reparse` repairs it.

mod every_kind;
mod props;
mod reparse;

use std::collections::{BTreeMap, BTreeSet};

use mock_portal::{Expected, Layout, Portal, PortalOptions, Variations};

use crate::util::{assert_ok, workdir, Workdir};

/// Start a Variations portal on 127.0.0.{first_ip}….
pub(crate) async fn start(spec: Variations, first_ip: u8) -> Portal {
    Portal::start(PortalOptions {
        first_ip,
        layout: Layout::Variations(spec),
        ..Default::default()
    })
    .await
    .expect("start portal")
}

/// Crawl the portal to the end.
pub(crate) async fn crawl(p: &Portal) -> Workdir {
    let w = workdir(200.0, &p.extra_hosts(), "");
    let out = w.crawl(&p.seeds(), &[]).await;
    assert_ok(&out);
    w
}

/// How an export compares with the ground truth.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Reports planted.
    pub(crate) planted: usize,
    /// Records exported.
    pub(crate) exported: usize,
    /// Pages planted that are no report (notices, junk, neighbours, announcement-only pages
    /// are not counted: their URLs belong to their files' reports).
    pub(crate) not_reports_planted: usize,
    /// Records holding a URL of a page that is no report.
    pub(crate) non_reports: usize,
    /// Records beyond the first of one planted report, and records of no planted report.
    pub(crate) duplicates: usize,
    /// Planted reports without a record.
    pub(crate) missing: usize,
    /// Planted URLs missing from their report's record.
    pub(crate) urls_missing: usize,
    /// Records whose `published` differs from the planted date.
    pub(crate) published_wrong: usize,
    /// Records whose agency differs from the planted one.
    pub(crate) agency_wrong: usize,
    /// Records whose title is not a report title (a fragment, a notice's title).
    pub(crate) title_wrong: usize,
    /// Planted corrections the corrected report's record does not list.
    pub(crate) corrections_missing: usize,
    /// What went wrong, one line each.
    pub(crate) problems: Vec<String>,
}

impl Tally {
    /// True when every record is one planted report, read right.
    pub(crate) fn exact(&self) -> bool {
        self.problems.is_empty() && self.exported == self.planted
    }

    /// Add `other`'s counts to these.
    pub(crate) fn add(&mut self, other: &Tally) {
        self.planted += other.planted;
        self.exported += other.exported;
        self.not_reports_planted += other.not_reports_planted;
        self.non_reports += other.non_reports;
        self.duplicates += other.duplicates;
        self.missing += other.missing;
        self.urls_missing += other.urls_missing;
        self.published_wrong += other.published_wrong;
        self.agency_wrong += other.agency_wrong;
        self.title_wrong += other.title_wrong;
        self.corrections_missing += other.corrections_missing;
    }

    /// One line for the measurement log.
    pub(crate) fn line(&self) -> String {
        format!(
            "planted {} exported {} (non-report pages planted {}) non-reports exported {} \
             duplicates {} missing {} urls-missing {} published-wrong {} agency-wrong {} \
             title-wrong {} corrections-missing {}",
            self.planted,
            self.exported,
            self.not_reports_planted,
            self.non_reports,
            self.duplicates,
            self.missing,
            self.urls_missing,
            self.published_wrong,
            self.agency_wrong,
            self.title_wrong,
            self.corrections_missing
        )
    }
}

/// A title that names a report and nothing more (compared without spaces).
fn report_like(title: &str) -> bool {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    (t.ends_with("年度报告") || t.ends_with("年报"))
        && t.chars().any(|c| c.is_ascii_digit())
        && !["关于", "现发布", "现将", "召开", "编制了", "结合"]
            .iter()
            .any(|w| t.starts_with(w) || t.contains(&format!("{w}2")))
}

/// The URLs of an exported record.
fn urls_of(r: &serde_json::Value) -> BTreeSet<String> {
    r["urls"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Compare exported records with the portal's ground truth.
pub(crate) fn tally(e: &Expected, records: &[serde_json::Value]) -> Tally {
    let mut t = Tally {
        planted: e.reports.len(),
        exported: records.len(),
        not_reports_planted: e.non_reports.len(),
        ..Default::default()
    };
    let record_urls: Vec<BTreeSet<String>> = records.iter().map(urls_of).collect();
    let non_reports: BTreeSet<String> = e.non_reports.iter().map(|u| u.to_string()).collect();
    for (r, urls) in records.iter().zip(&record_urls) {
        if let Some(u) = urls.iter().find(|u| non_reports.contains(*u)) {
            t.non_reports += 1;
            t.problems
                .push(format!("record {} holds non-report {u}", r["title"]));
        }
        let title = r["title"].as_str().unwrap_or("");
        if !report_like(title) {
            t.title_wrong += 1;
            t.problems
                .push(format!("record title {title:?} is no report title"));
        }
    }
    let claimed = match_reports(e, records, &record_urls, &mut t);
    for (i, n) in &claimed {
        if *n > 1 {
            t.duplicates += n - 1;
            t.problems.push(format!(
                "record {} holds {n} planted reports",
                records[*i]["title"]
            ));
        }
    }
    for i in (0..records.len()).filter(|i| !claimed.contains_key(i)) {
        t.duplicates += 1;
        t.problems.push(format!(
            "record {} {:?} is no planted report",
            records[i]["title"], record_urls[i]
        ));
    }
    check_corrections(e, records, &record_urls, &mut t);
    t
}

/// Find each planted report's record (by the URLs no other planted report shares: a page
/// announcing several reports belongs to each) and check its URLs, date and agency; how many
/// planted reports each record holds.
fn match_reports(
    e: &Expected,
    records: &[serde_json::Value],
    record_urls: &[BTreeSet<String>],
    t: &mut Tally,
) -> BTreeMap<usize, usize> {
    let mut shared: BTreeMap<String, usize> = BTreeMap::new();
    for p in &e.reports {
        for u in &p.urls {
            *shared.entry(u.to_string()).or_default() += 1;
        }
    }
    let mut claimed: BTreeMap<usize, usize> = BTreeMap::new();
    for p in &e.reports {
        let planted: BTreeSet<String> = p.urls.iter().map(|u| u.to_string()).collect();
        let own: BTreeSet<String> = planted
            .iter()
            .filter(|u| shared.get(*u) == Some(&1))
            .cloned()
            .collect();
        let own = if own.is_empty() { planted.clone() } else { own };
        let holders: Vec<usize> = (0..records.len())
            .filter(|i| !record_urls[*i].is_disjoint(&own))
            .collect();
        let Some(&i) = holders.first() else {
            t.missing += 1;
            t.problems
                .push(format!("no record of {} ({:?})", p.title, planted));
            continue;
        };
        if holders.len() > 1 {
            t.duplicates += holders.len() - 1;
            t.problems.push(format!(
                "{} is split over {} records",
                p.title,
                holders.len()
            ));
        }
        *claimed.entry(i).or_default() += 1;
        let r = &records[i];
        for u in planted.difference(&record_urls[i]) {
            t.urls_missing += 1;
            t.problems.push(format!("{}: URL {u} missing", p.title));
        }
        if p.published.is_some() && r["published"].as_str() != p.published.as_deref() {
            t.published_wrong += 1;
            t.problems.push(format!(
                "{}: published {} != {:?}",
                p.title, r["published"], p.published
            ));
        }
        if r["agency"].as_str() != Some(p.agency.as_str()) {
            t.agency_wrong += 1;
            t.problems.push(format!(
                "{}: agency {} != {}",
                p.title, r["agency"], p.agency
            ));
        }
    }
    claimed
}

/// Every planted correction is listed by the record of the report it corrects.
fn check_corrections(
    e: &Expected,
    records: &[serde_json::Value],
    record_urls: &[BTreeSet<String>],
    t: &mut Tally,
) {
    for c in &e.corrections {
        let Some(p) = e.reports.iter().find(|p| p.title == c.report) else {
            continue;
        };
        // Its own URL: the file of an announced report (the page may announce others).
        let first = p.urls.last().map(|u| u.to_string()).unwrap_or_default();
        let listed = records
            .iter()
            .zip(record_urls)
            .find(|(_, urls)| urls.contains(&first))
            .and_then(|(r, _)| r["corrections"].as_array())
            .is_some_and(|cs| cs.iter().any(|x| x["url"].as_str() == Some(c.url.as_str())));
        if !listed {
            t.corrections_missing += 1;
            t.problems
                .push(format!("{}: correction {} not listed", c.report, c.url));
        }
    }
}
