//! The benchmark layout: many hosts, each a plain TRS, Hanweb or generic site (by host index
//! modulo 3) whose 年报 column lists `reports_per_host` reports, 20 rows per page. Nothing is
//! stored: every page is generated from its path, so 100k pages cost no memory, and a report
//! page (~10 KB, plain-markup official tables) takes tens of microseconds to build.
//!
//! Report `i` of host `h` (0 = oldest) has id `1_000_000 + i`, is published at
//! 2022-01-04 09:00 + 2·i hours, and covers the year before; its numbers come from a seed
//! mixing `h` and `i`. `publish` appends reports (newest, so on top) to hosts in turn.

use std::sync::atomic::{AtomicUsize, Ordering};

use url::Url;

use super::families::generic::GenericSite;
use super::families::hanweb::{self, HanwebSite};
use super::families::trs::TrsSite;
use super::families::{index_no, Detail, Row};
use super::http::{Handler, Reply, Request};
use super::report::{self, Body, ReportSpec};
use super::tables::CellStyle;
use super::util::{mix64, Date};
use super::{Expected, ExpectedReport};
use nianbao_model::Format;

/// Rows per listing page.
const PER_PAGE: usize = 20;
/// First report id.
const ID_BASE: u64 = 1_000_000;

const COUNTIES: &[&str] = &[
    "云溪县",
    "临江市",
    "北塘区",
    "东湖区",
    "青石县",
    "白沙县",
    "长乐县",
    "清水县",
    "安平县",
    "龙泉市",
    "柳河县",
    "桃源县",
    "永宁县",
    "凤山县",
    "石门县",
    "红星区",
    "南湖区",
    "西山区",
    "金川县",
    "玉屏县",
];

/// The CMS family of host `h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Trs,
    Hanweb,
    Generic,
}

fn family(h: usize) -> Family {
    match h % 3 {
        0 => Family::Trs,
        1 => Family::Hanweb,
        _ => Family::Generic,
    }
}

fn region(h: usize) -> String {
    let name = COUNTIES
        .get(h % COUNTIES.len())
        .copied()
        .unwrap_or("云溪县");
    match h / COUNTIES.len() {
        0 => name.to_string(),
        n => {
            format!(
                "{name}{}",
                ["", "东", "西", "南", "北", "中"]
                    .get(n % 6)
                    .copied()
                    .unwrap_or("")
            ) + &"新".repeat(n / 6)
        }
    }
}

fn trs_site(h: usize) -> TrsSite {
    TrsSite {
        name: format!("{}人民政府", region(h)),
        column: "政府信息公开年报".into(),
        dir: "/zfxxgk/zfxxgknb/".into(),
        ext: "html",
        charset: "utf-8",
        legacy: false,
    }
}

fn hanweb_site(h: usize) -> HanwebSite {
    HanwebSite {
        name: format!("{}人民政府", region(h)),
        column: "政府信息公开年报".into(),
        column_id: 12_000 + h as u32,
        unit_id: 4_000_000 + h as u32,
        web_id: 27,
        per_page: PER_PAGE,
    }
}

fn generic_site(h: usize) -> GenericSite {
    GenericSite {
        name: format!("{}人民政府", region(h)),
        column: "政府信息公开年报".into(),
        list_dir: "/xxgk/gknb/".into(),
    }
}

/// Publication time of report `i`.
fn date(i: usize) -> Date {
    Date::at(2022, 1, 4, 9, 0).plus_hours(2 * i as i64)
}

/// The agency of report `i` on host `h`: unique per (h, i).
fn agency(h: usize, i: usize) -> String {
    let depts = super::catalog::DEPTS;
    let dept = depts.get(i % depts.len()).copied().unwrap_or("民政局");
    match i / depts.len() {
        0 => format!("{}{dept}", region(h)),
        n => format!("{}第{n}片区{dept}", region(h)),
    }
}

fn title(h: usize, i: usize) -> String {
    format!(
        "{}{}年政府信息公开工作年度报告",
        agency(h, i),
        date(i).y - 1
    )
}

/// Shared state of a Synthetic portal.
#[derive(Debug)]
pub(crate) struct SyntheticState {
    /// `http://127.0.0.x:PORT` per host.
    bases: Vec<String>,
    /// Reports each host starts with.
    per_host: usize,
    /// Reports published since start, per host.
    published: Vec<AtomicUsize>,
    /// Total published (round-robin cursor).
    cursor: AtomicUsize,
}

impl SyntheticState {
    /// State for hosts at `bases` with `per_host` reports each.
    pub(crate) fn new(bases: Vec<String>, per_host: usize) -> SyntheticState {
        let published = bases.iter().map(|_| AtomicUsize::new(0)).collect();
        SyntheticState {
            bases,
            per_host,
            published,
            cursor: AtomicUsize::new(0),
        }
    }

    /// Reports on host `h` now.
    fn count(&self, h: usize) -> usize {
        self.per_host
            + self
                .published
                .get(h)
                .map_or(0, |a| a.load(Ordering::Relaxed))
    }

    /// The listing path a user would seed on host `h`.
    pub(crate) fn seed_path(&self, h: usize) -> String {
        match family(h) {
            Family::Trs => trs_site(h).listing_path(0),
            Family::Hanweb => hanweb_site(h).column_path(),
            Family::Generic => generic_site(h).list_path(),
        }
    }

    fn detail_path(h: usize, i: usize) -> String {
        let id = ID_BASE + i as u64;
        match family(h) {
            Family::Trs => trs_site(h).detail_path(date(i), id),
            Family::Hanweb => hanweb_site(h).detail_path(date(i), id),
            Family::Generic => GenericSite::detail_path(id),
        }
    }

    /// Rows `a..b` of host `h`'s column (0 = newest) when it holds `n` reports.
    fn rows(h: usize, n: usize, a: usize, b: usize) -> Vec<Row> {
        let site = trs_site(h);
        (a..b.min(n))
            .map(|p| {
                let i = n - 1 - p;
                let path = Self::detail_path(h, i);
                let href = if family(h) == Family::Trs {
                    site.relative(&path)
                } else {
                    path
                };
                Row::new(title(h, i), date(i), href)
            })
            .collect()
    }

    /// Add `n` reports, one host after another.
    pub(crate) fn publish(&self, n: usize) {
        let hosts = self.published.len().max(1);
        for _ in 0..n {
            let k = self.cursor.fetch_add(1, Ordering::Relaxed);
            if let Some(a) = self.published.get(k % hosts) {
                a.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Ground truth: every report of every host (one URL each).
    pub(crate) fn expected(&self) -> Expected {
        let mut e = Expected::default();
        for (h, base) in self.bases.iter().enumerate() {
            for i in 0..self.count(h) {
                let Ok(url) = Url::parse(&format!("{base}{}", Self::detail_path(h, i))) else {
                    continue;
                };
                e.reports.push(ExpectedReport {
                    title: title(h, i),
                    agency: agency(h, i),
                    year: date(i).y - 1,
                    urls: vec![url],
                    text_marker: marker(h, i),
                    format: Format::F2021,
                    tables: Some(super::tables::generate(seed(h, i), mix64(seed(h, i)))),
                    published: None,
                });
            }
        }
        e
    }

    /// The report body of report `i` on host `h`.
    fn body(h: usize, i: usize) -> String {
        let (mut body, _, _) = report::generated(&spec(h, i));
        if let Body::Blocks { style, .. } = &mut body {
            *style = CellStyle::Plain;
        }
        body.html()
    }

    fn answer(&self, h: usize, req: &Request) -> Reply {
        let n = self.count(h);
        let newest = date(n.saturating_sub(1));
        let page = |html: String, modified: Date| {
            Reply::html(200, html)
                .with_header("Server", "nginx")
                .cacheable_by_mtime(modified.system_time())
        };
        if req.path == "/robots.txt" {
            return Reply::new(200, "text/plain", b"User-agent: *\nDisallow:\n".to_vec())
                .cacheable(Date::at(2021, 1, 1, 0, 0).system_time());
        }
        let pages = n.div_ceil(PER_PAGE).max(1);
        match family(h) {
            Family::Trs => {
                let site = trs_site(h);
                if let Some(p) = site.parse_listing(&req.path).filter(|p| *p < pages) {
                    let rows = Self::rows(h, n, p * PER_PAGE, (p + 1) * PER_PAGE);
                    return page(site.listing(&rows, p, pages), newest);
                }
            }
            Family::Hanweb => {
                let site = hanweb_site(h);
                if req.path == site.column_path() {
                    return page(
                        site.column_page_with(n, &Self::rows(h, n, 0, 3 * PER_PAGE)),
                        newest,
                    );
                }
                if req.path == hanweb::PROXY_PATH {
                    return site.proxy(n, |a, b| Self::rows(h, n, a, b), req);
                }
            }
            Family::Generic => {
                let site = generic_site(h);
                if req.path == site.list_path() {
                    let p = req
                        .query_param("page")
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(1)
                        .max(1);
                    let rows = Self::rows(
                        h,
                        n,
                        (p - 1).saturating_mul(PER_PAGE),
                        p.saturating_mul(PER_PAGE),
                    );
                    return page(site.list_page(&rows, p, pages), newest);
                }
            }
        }
        match self.report_at(h, n, &req.path) {
            Some(i) => {
                let t = title(h, i);
                let a = agency(h, i);
                let detail = Detail {
                    title: &t,
                    agency: &a,
                    date: date(i),
                    body: Self::body(h, i),
                    index_no: index_no("11451023MB1234567X", date(i).y, ID_BASE + i as u64),
                    attachments: Vec::new(),
                };
                let html = match family(h) {
                    Family::Trs => trs_site(h).detail(&detail),
                    Family::Hanweb => hanweb_site(h).detail(&detail, ID_BASE + i as u64),
                    Family::Generic => generic_site(h).detail(&detail),
                };
                page(html, date(i))
            }
            None => Reply::not_found(),
        }
    }

    /// The report index a detail path names, if it exists on host `h` (holding `n` reports).
    fn report_at(&self, h: usize, n: usize, path: &str) -> Option<usize> {
        let stem = path.rsplit('/').next()?.split('.').next()?;
        let digits: String = stem
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let id: u64 = digits.parse().ok()?;
        let i = usize::try_from(id.checked_sub(ID_BASE)?).ok()?;
        (i < n && Self::detail_path(h, i) == path).then_some(i)
    }
}

fn seed(h: usize, i: usize) -> u64 {
    mix64((h as u64) << 32 | i as u64)
}

fn spec(h: usize, i: usize) -> ReportSpec {
    ReportSpec {
        agency: agency(h, i),
        year: date(i).y - 1,
        seed: seed(h, i),
        prev_seed: mix64(seed(h, i)),
        phone: report::phone(700 + h as u16, i as u64),
        contact: "李明".into(),
        site: format!("{}人民政府网站", region(h)),
    }
}

fn marker(h: usize, i: usize) -> String {
    spec(h, i).marker()
}

/// The request handler of one Synthetic host.
#[derive(Debug)]
pub(crate) struct SyntheticHost {
    /// Shared state.
    pub(crate) state: std::sync::Arc<SyntheticState>,
    /// Host index.
    pub(crate) index: usize,
}

impl Handler for SyntheticHost {
    fn handle(&self, req: &Request) -> Reply {
        self.state.answer(self.index, req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(hosts: usize, per_host: usize) -> SyntheticState {
        SyntheticState::new(
            (0..hosts)
                .map(|h| format!("http://127.0.0.{}:9{h}", 2 + h))
                .collect(),
            per_host,
        )
    }

    fn get(s: &SyntheticState, h: usize, target: &str) -> Reply {
        s.answer(h, &Request::get(target))
    }

    #[test]
    fn every_report_url_is_served_and_listed() {
        let s = state(3, 45);
        let e = s.expected();
        assert_eq!(e.reports.len(), 135);
        for r in &e.reports {
            let u = &r.urls[0];
            let h = s
                .bases
                .iter()
                .position(|b| u.as_str().starts_with(b.as_str()))
                .unwrap_or(99);
            let reply = get(&s, h, u.path());
            assert_eq!(reply.status, 200, "{u}");
            let size = reply.bytes().len();
            assert!((5_000..20_000).contains(&size), "{u}: {size} bytes");
            assert!(String::from_utf8_lossy(reply.bytes()).contains(&r.text_marker));
        }
        // TRS host: 3 pages of 20.
        let p0 =
            String::from_utf8_lossy(get(&s, 0, "/zfxxgk/zfxxgknb/index.html").bytes()).into_owned();
        assert!(p0.contains("var countPage = 3;"));
        assert_eq!(p0.matches("<tr>").count(), 20);
        assert_eq!(get(&s, 0, "/zfxxgk/zfxxgknb/index_2.html").status, 200);
        assert_eq!(get(&s, 0, "/zfxxgk/zfxxgknb/index_3.html").status, 404);
        // Generic host pages.
        let g3 =
            String::from_utf8_lossy(get(&s, 2, "/xxgk/gknb/list.html?page=3").bytes()).into_owned();
        assert_eq!(g3.matches("<li><span class=\"time\">").count(), 5);
        // Unknown ids and wrong shapes are 404.
        assert_eq!(get(&s, 2, "/info/1025/1000045.htm").status, 404);
        assert_eq!(get(&s, 2, "/info/1025/999.htm").status, 404);
        assert_eq!(get(&s, 0, "/info/1025/1000001.htm").status, 404);
    }

    #[test]
    fn hanweb_column_and_proxy() {
        let s = state(2, 130);
        let col =
            String::from_utf8_lossy(get(&s, 1, &hanweb_site(1).column_path()).bytes()).into_owned();
        assert_eq!(col.matches("<record>").count(), 60);
        assert!(col.contains("jpage({totalRecord:130, perPage:20})"));
        let mut req = Request::get(&format!(
            "{}?startrecord=61&endrecord=120&perpage=20",
            hanweb::PROXY_PATH
        ));
        req.method = "POST".into();
        req.headers.push((
            "referer".into(),
            format!("http://x{}", hanweb_site(1).column_path()),
        ));
        req.body = hanweb_site(1).proxy_form().into_bytes();
        let xml = String::from_utf8_lossy(s.answer(1, &req).bytes()).into_owned();
        assert_eq!(xml.matches("<record>").count(), 61);
    }

    /// Not a benchmark proper: prints the in-process cost of a report page (run with
    /// `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn report_page_cost() {
        let s = state(1, 2000);
        let e = s.expected();
        let t = std::time::Instant::now();
        let mut bytes = 0;
        for r in &e.reports {
            bytes += get(&s, 0, r.urls[0].path()).bytes().len();
        }
        let per = t.elapsed() / e.reports.len() as u32;
        println!(
            "{per:?} per page, {} bytes average",
            bytes / e.reports.len()
        );
    }

    #[test]
    fn publish_puts_new_reports_on_top() {
        let s = state(3, 10);
        let before = get(&s, 0, "/zfxxgk/zfxxgknb/index.html");
        s.publish(4);
        let after = get(&s, 0, "/zfxxgk/zfxxgknb/index.html");
        assert_ne!(before.validators, after.validators);
        assert_eq!(s.expected().reports.len(), 34);
        let top = title(0, 11);
        assert!(String::from_utf8_lossy(after.bytes()).contains(&top));
        assert_eq!(get(&s, 2, "/robots.txt").status, 200);
        assert_eq!(region(5), "白沙县");
        assert_eq!(region(45), "白沙县西");
        assert_ne!(agency(0, 5), agency(0, 35));
    }
}
