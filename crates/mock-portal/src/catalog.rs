//! The Standard layout's catalog: seven hosts (TRS, Hanweb, GBK TRS, generic, gkmlpt, an
//! attachment host and an off-scope mirror) and their sites, the documents and the 年报
//! columns that list them (loaded by `standard.rs` from `data/standard.toml`), the ground
//! truth ([`Expected`]) derived from the same entries, and `publish_new_reports`.

use std::collections::BTreeMap;

use url::Url;

use super::families::generic::GenericSite;
use super::families::gkmlpt::GkmlptSite;
use super::families::hanweb::HanwebSite;
use super::families::trs::TrsSite;
use super::report::{self, Companion, ReportSpec};
use super::seeds::RealReport;
use super::site::{Doc, Entry, Link, PageQuirk, ReportFacts};
use super::util::{fnv1a, Date, Rng};
use super::{Expected, ExpectedReport};
use nianbao_model::Format;

/// Host indices of the Standard layout (host `i` listens on 127.0.0.{first_ip + i}).
pub(crate) const TRS: usize = 0;
/// Hanweb host.
pub(crate) const HANWEB: usize = 1;
/// Older TRS site serving GB18030 bytes.
pub(crate) const GBK: usize = 2;
/// Generic CMS with `?page=N` lists and year folders.
pub(crate) const GENERIC: usize = 3;
/// Guangdong gkmlpt.
pub(crate) const GKMLPT: usize = 4;
/// Attachment host (in scope, not a seed host; `Crawl-delay: 1`).
pub(crate) const FILES: usize = 5;
/// Spam mirror: running, but never in scope.
pub(crate) const MIRROR: usize = 6;
/// Number of hosts.
pub(crate) const HOSTS: usize = 7;

/// The TRS site.
pub(crate) fn trs_site() -> TrsSite {
    TrsSite {
        name: "云溪县人民政府".into(),
        column: "政府信息公开年报".into(),
        dir: "/zfxxgk/zfxxgknb/".into(),
        ext: "html",
        charset: "utf-8",
        legacy: false,
    }
}

/// The GBK (older TRS) site.
pub(crate) fn gbk_site() -> TrsSite {
    TrsSite {
        name: "旧城区人民政府".into(),
        column: "政府信息公开年度报告".into(),
        dir: "/xxgk/zfxxgknb/".into(),
        ext: "htm",
        charset: "gb2312",
        legacy: true,
    }
}

/// The Hanweb site.
pub(crate) fn hanweb_site() -> HanwebSite {
    HanwebSite {
        name: "临江市人民政府".into(),
        column: "政府信息公开年报".into(),
        column_id: 12377,
        unit_id: 4_021_671,
        web_id: 27,
        per_page: 4,
    }
}

/// The generic site.
pub(crate) fn generic_site() -> GenericSite {
    GenericSite {
        name: "北塘区人民政府".into(),
        column: "政府信息公开年报".into(),
        list_dir: "/xxgk/gknb/".into(),
    }
}

/// The gkmlpt site.
pub(crate) fn gkmlpt_site() -> GkmlptSite {
    GkmlptSite {
        name: "东湖区人民政府".into(),
        sid: "752001".into(),
        category: 368,
        page_size: 5,
        hidden: 2,
    }
}

/// Departments of a county or city, for generated reports.
pub(crate) const DEPTS: &[&str] = &[
    "民政局",
    "统计局",
    "财政局",
    "教育局",
    "卫生健康局",
    "交通运输局",
    "自然资源局",
    "市场监督管理局",
    "司法局",
    "人力资源和社会保障局",
    "农业农村局",
    "生态环境局",
    "应急管理局",
    "文化广电和旅游局",
    "医疗保障局",
    "退役军人事务局",
    "水利局",
    "审计局",
    "林业局",
    "住房和城乡建设局",
    "商务局",
    "发展和改革局",
    "科学技术局",
    "工业和信息化局",
    "城市管理局",
    "体育局",
    "信访局",
    "档案馆",
    "政务服务管理局",
    "公安局",
];

const CONTACTS: &[&str] = &[
    "李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐强", "孙丽",
];

/// Everything the Standard portal publishes.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    /// `http://127.0.0.x:PORT` of each host.
    pub(crate) bases: Vec<String>,
    /// All documents; entries refer to them by index.
    pub(crate) docs: Vec<Doc>,
    /// TRS column, newest first.
    pub(crate) trs: Vec<Entry>,
    /// Hanweb column, newest first.
    pub(crate) hanweb: Vec<Entry>,
    /// GBK column, newest first.
    pub(crate) gbk: Vec<Entry>,
    /// Generic `list.html` column, newest first.
    pub(crate) generic: Vec<Entry>,
    /// Generic year folders, newest year first.
    pub(crate) generic_years: Vec<(i32, Vec<Entry>)>,
    /// gkmlpt category feed, newest first.
    pub(crate) gkmlpt: Vec<Entry>,
    /// Files on the attachment host: (path, doc).
    pub(crate) files: Vec<(String, usize)>,
    /// Pages on the mirror host: (path, doc).
    pub(crate) mirror: Vec<(String, usize)>,
    /// Reports added by `publish`.
    pub(crate) published: usize,
}

/// Adds documents with stable ids.
pub(crate) struct Docs(pub(crate) Vec<Doc>);

impl Docs {
    pub(crate) fn push(
        &mut self,
        title: String,
        agency: &str,
        year: i32,
        body: report::Body,
        report: Option<ReportFacts>,
    ) -> usize {
        let i = self.0.len();
        let id = 3_456_701 + 37 * i as u64;
        self.0.push(Doc {
            id,
            title,
            agency: agency.into(),
            year,
            body,
            report,
        });
        i
    }

    /// A generated 2021-format report; `title` defaults to `{agency}{year}年政府信息公开工作年度报告`.
    pub(crate) fn generated(
        &mut self,
        agency: &str,
        year: i32,
        site: &str,
        area: u16,
        contact: Option<&str>,
        title: Option<String>,
    ) -> usize {
        let seed = fnv1a(format!("{agency}|{year}").as_bytes());
        let contact = contact
            .map(str::to_string)
            .unwrap_or_else(|| Rng::new(seed).pick(CONTACTS).to_string());
        let spec = ReportSpec {
            agency: agency.into(),
            year,
            seed,
            prev_seed: fnv1a(format!("{agency}|{}", year - 1).as_bytes()),
            phone: report::phone(area, self.0.len() as u64 + u64::from(area) * 1000),
            contact,
            site: format!("{site}网站"),
        };
        let (body, tables, marker) = report::generated(&spec);
        let title = title.unwrap_or_else(|| format!("{agency}{year}年政府信息公开工作年度报告"));
        self.push(
            title,
            agency,
            year,
            body,
            Some(ReportFacts {
                format: Format::F2021,
                tables: Some(tables),
                marker,
            }),
        )
    }

    pub(crate) fn real(&mut self, r: RealReport) -> usize {
        let format = match r.year {
            y if y >= 2021 => Format::F2021,
            2019 | 2020 => Format::F2019,
            _ => Format::Legacy,
        };
        let facts = ReportFacts {
            format,
            tables: r.tables,
            marker: r.marker.to_string(),
        };
        self.push(r.title.to_string(), r.agency, r.year, r.body, Some(facts))
    }

    pub(crate) fn companion(
        &mut self,
        kind: Companion,
        title: &str,
        agency: &str,
        year: i32,
    ) -> usize {
        let body = report::companion(kind, agency, year, fnv1a(title.as_bytes()));
        self.push(title.to_string(), agency, year, body, None)
    }

    pub(crate) fn get(&self, i: usize) -> Option<&Doc> {
        self.0.get(i)
    }
}

impl Catalog {
    /// Add `n` new reports at the top of the TRS, Hanweb and generic columns (round-robin,
    /// TRS first), each a new agency's 2024 report published after everything else.
    pub(crate) fn publish(&mut self, n: usize) {
        let mut docs = Docs(std::mem::take(&mut self.docs));
        for _ in 0..n {
            let k = self.published;
            self.published += 1;
            let date = Date::at(2025, 2, 3, 9, 0).plus_hours(k as i64 * 26);
            let dept = DEPTS
                .get((k / 3) % DEPTS.len())
                .copied()
                .unwrap_or("民政局");
            let round = k / 3 / DEPTS.len();
            let suffix = if round == 0 {
                String::new()
            } else {
                format!("第{}分局", round + 1)
            };
            let (place, site, area) = match k % 3 {
                0 => ("云溪县", "云溪县人民政府", 773),
                1 => ("临江市", "临江市人民政府", 517),
                _ => ("北塘区", "北塘区人民政府", 510),
            };
            let doc = docs.generated(
                &format!("{place}{dept}{suffix}"),
                2024,
                site,
                area,
                None,
                None,
            );
            let id = docs.get(doc).map_or(0, |x| x.id);
            let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
            let (column, path) = match k % 3 {
                0 => (&mut self.trs, trs_site().detail_path(date, id)),
                1 => (&mut self.hanweb, hanweb_site().detail_path(date, id)),
                _ => (&mut self.generic, GenericSite::detail_path(id)),
            };
            column.insert(
                0,
                Entry {
                    title,
                    date,
                    link: Link::Detail {
                        doc,
                        path,
                        quirk: PageQuirk::None,
                        attachment: None,
                    },
                },
            );
        }
        self.docs = docs.0;
    }

    /// Every column with the index of its host.
    pub(crate) fn columns(&self) -> Vec<(usize, &[Entry])> {
        let mut v: Vec<(usize, &[Entry])> = vec![
            (TRS, &self.trs),
            (HANWEB, &self.hanweb),
            (GBK, &self.gbk),
            (GENERIC, &self.generic),
            (GKMLPT, &self.gkmlpt),
        ];
        for (_, entries) in &self.generic_years {
            v.push((GENERIC, entries));
        }
        v
    }

    fn url(&self, host: usize, path: &str) -> Option<Url> {
        Url::parse(&format!("{}{path}", self.bases.get(host)?)).ok()
    }

    /// Ground truth for the current catalog.
    pub(crate) fn expected(&self) -> Expected {
        let mut reports: BTreeMap<usize, ExpectedReport> = BTreeMap::new();
        let mut e = Expected::default();
        let mut add = |doc: usize, url: Option<Url>, e: &mut Expected| {
            let (Some(url), Some(d)) = (url, self.docs.get(doc)) else {
                return;
            };
            match &d.report {
                None => e.non_reports.push(url),
                Some(facts) => {
                    let r = reports.entry(doc).or_insert_with(|| ExpectedReport {
                        title: d.title.clone(),
                        agency: d.agency.clone(),
                        year: d.year,
                        urls: Vec::new(),
                        text_marker: facts.marker.clone(),
                        format: facts.format,
                        tables: facts.tables.clone(),
                        published: None,
                    });
                    if !r.urls.contains(&url) {
                        r.urls.push(url);
                    }
                }
            }
        };
        for (host, entries) in self.columns() {
            for entry in entries {
                match &entry.link {
                    Link::Detail {
                        doc,
                        path,
                        attachment,
                        ..
                    } => {
                        add(*doc, self.url(host, path), &mut e);
                        if let Some(a) = attachment {
                            add(*doc, self.url(host, a), &mut e);
                        }
                    }
                    Link::File { doc, url } => add(*doc, Url::parse(url).ok(), &mut e),
                    Link::Challenge { path, .. } => e.blocked.extend(self.url(host, path)),
                    Link::Missing { path } => e.missing.extend(self.url(host, path)),
                    Link::Trap { path, .. } => e.traps.extend(self.url(host, path)),
                    Link::Disallowed { path, .. } => e.forbidden.extend(self.url(host, path)),
                    Link::OffScope { url } => e.forbidden.extend(Url::parse(url).ok()),
                }
            }
        }
        e.reports = reports.into_values().collect();
        for list in [
            &mut e.non_reports,
            &mut e.forbidden,
            &mut e.blocked,
            &mut e.traps,
            &mut e.missing,
        ] {
            let mut seen = std::collections::HashSet::new();
            list.retain(|u| seen.insert(u.clone()));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::standard(
            (0..HOSTS)
                .map(|i| format!("http://127.0.0.{}:80{i}", 2 + i))
                .collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn ground_truth_covers_every_quirk() {
        let e = catalog().expected();
        assert!(e.reports.len() >= 50, "{}", e.reports.len());
        let county = e
            .reports
            .iter()
            .find(|r| r.title == "云溪县人民政府2023年政府信息公开工作年度报告");
        assert_eq!(
            county.map(|r| r.urls.len()),
            Some(2),
            "same report on two hosts"
        );
        let district = e
            .reports
            .iter()
            .find(|r| r.title == "北塘区人民政府2023年政府信息公开工作年度报告");
        assert_eq!(
            district.map(|r| r.urls.len()),
            Some(2),
            "same report at two URLs on one host"
        );
        assert!(e
            .reports
            .iter()
            .any(|r| r.urls.iter().any(|u| u.path().ends_with(".pdf")) && r.urls.len() == 2));
        assert!(e
            .reports
            .iter()
            .any(|r| r.urls.len() == 1 && r.urls.iter().all(|u| u.path().starts_with("/files/"))));
        assert!(e
            .reports
            .iter()
            .any(|r| r.format == Format::Legacy && r.year == 2014));
        assert!(e.reports.iter().any(|r| r.text_marker.contains('堃')));
        assert_eq!(e.blocked.len(), 3);
        assert_eq!(e.traps.len(), 3);
        assert_eq!(e.forbidden.len(), 3);
        assert_eq!(e.missing.len(), 1);
        assert!(e.non_reports.len() >= 9);
        assert!(e
            .forbidden
            .iter()
            .any(|u| u.host_str() == Some("www.example.com")));
        let markers: std::collections::HashSet<_> =
            e.reports.iter().map(|r| r.text_marker.clone()).collect();
        assert_eq!(markers.len(), e.reports.len(), "markers are unique");
        let titles: std::collections::HashSet<_> =
            e.reports.iter().map(|r| r.title.clone()).collect();
        assert_eq!(titles.len(), e.reports.len(), "titles are unique");
    }

    #[test]
    fn same_agency_consecutive_years_pass_the_cross_year_rule() {
        let e = catalog().expected();
        let total = |r: &ExpectedReport, row: &str| {
            r.tables
                .as_ref()
                .and_then(|t| t.requests.as_ref())
                .and_then(|t| t.value(row, "total"))
        };
        let mut pairs = 0;
        for a in &e.reports {
            for b in e
                .reports
                .iter()
                .filter(|b| b.agency == a.agency && b.year == a.year + 1)
            {
                assert_eq!(
                    total(a, "carried_forward"),
                    total(b, "carried_over"),
                    "{} {}",
                    a.agency,
                    b.year
                );
                pairs += 1;
            }
        }
        assert!(pairs >= 8, "{pairs}");
    }

    #[test]
    fn publish_adds_reports_on_top() {
        let mut c = catalog();
        let before = c.expected().reports.len();
        c.publish(4);
        assert_eq!(c.expected().reports.len(), before + 4);
        assert!(c.trs.first().is_some_and(|e| e.title.contains("2024年")));
        assert!(c.hanweb.first().is_some_and(|e| e.title.contains("2024年")));
        assert!(c
            .generic
            .first()
            .is_some_and(|e| e.title.contains("2024年")));
        assert_eq!(
            c.trs
                .iter()
                .filter(|e| e.title.contains("2024年政府信息"))
                .count(),
            2
        );
    }

    #[test]
    fn catalog_is_deterministic() {
        let a = catalog().expected();
        let b = catalog().expected();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}
