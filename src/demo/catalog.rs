//! What the Standard layout publishes, and where: seven hosts (TRS, Hanweb, GBK TRS, generic,
//! gkmlpt, an attachment host and an off-scope mirror), their 年报 columns entry by entry with
//! every quirk of the brief placed on a concrete URL, the ground truth ([`Expected`]) derived
//! from the same entries, and `publish_new_reports`.

use std::collections::BTreeMap;

use url::Url;

use super::families::generic::GenericSite;
use super::families::gkmlpt::GkmlptSite;
use super::families::hanweb::HanwebSite;
use super::families::trs::TrsSite;
use super::quirks::{Challenge, Trap};
use super::report::{self, Companion, ReportSpec};
use super::seeds::{self, RealReport};
use super::site::{Doc, Entry, Link, PageQuirk, ReportFacts};
use super::util::{fnv1a, Date, Rng};
use super::{Expected, ExpectedReport};
use crate::model::Format;

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
    published: usize,
}

/// Adds documents with stable ids.
struct Docs(Vec<Doc>);

impl Docs {
    fn push(
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
    fn generated(
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

    fn real(&mut self, r: RealReport) -> usize {
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

    fn companion(&mut self, kind: Companion, title: &str, agency: &str, year: i32) -> usize {
        let body = report::companion(kind, agency, year, fnv1a(title.as_bytes()));
        self.push(title.to_string(), agency, year, body, None)
    }

    fn get(&self, i: usize) -> Option<&Doc> {
        self.0.get(i)
    }
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::at(y, m, day, 9, 30)
}

fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| b.date.cmp(&a.date));
}

impl Catalog {
    /// The Standard site for hosts at `bases` (one per host index).
    pub(crate) fn standard(bases: Vec<String>) -> Catalog {
        let base = |i: usize| bases.get(i).cloned().unwrap_or_default();
        let mut docs = Docs(Vec::new());
        let (trs, gbk, hw) = (trs_site(), gbk_site(), hanweb_site());

        // Shared by the county TRS portal and the city Hanweb portal.
        let county_2023 = docs.generated("云溪县人民政府", 2023, "云溪县人民政府", 773, None, None);

        // ---- TRS (云溪县) ----
        let mut t = Vec::new();
        let trs_detail = |docs: &Docs, doc: usize, date: Date, attachment: bool| {
            let id = docs.get(doc).map_or(0, |x| x.id);
            let attachment = attachment.then(|| trs.attachment_path(date, id));
            let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
            Entry {
                title,
                date,
                link: Link::Detail {
                    doc,
                    path: trs.detail_path(date, id),
                    quirk: PageQuirk::None,
                    attachment,
                },
            }
        };
        t.push(trs_detail(&docs, county_2023, d(2024, 3, 20), false));
        let wp = docs.companion(
            Companion::WorkPoints,
            "云溪县2024年政务公开工作要点",
            "云溪县人民政府办公室",
            2024,
        );
        t.push(trs_detail(&docs, wp, d(2024, 3, 15), false));
        t.push(Entry {
            title: "云溪县水利局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 2, 2),
            link: Link::Challenge {
                path: trs.detail_path(d(2024, 2, 2), 3_461_234),
                kind: Challenge::Ruishu,
            },
        });
        let minzheng = docs.generated("云溪县民政局", 2023, "云溪县人民政府", 773, None, None);
        t.push(trs_detail(&docs, minzheng, d(2024, 1, 30), true));
        for (i, dept) in ["统计局", "财政局"].iter().enumerate() {
            let doc = docs.generated(
                &format!("云溪县{dept}"),
                2023,
                "云溪县人民政府",
                773,
                None,
                None,
            );
            t.push(trs_detail(&docs, doc, d(2024, 1, 29 - i as u32), false));
        }
        t.push(Entry {
            title: "云溪县林业局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 27),
            link: Link::Missing {
                path: trs.detail_path(d(2024, 1, 27), 3_459_999),
            },
        });
        let edu = docs.generated("云溪县教育局", 2023, "云溪县人民政府", 773, None, None);
        t.push(trs_detail(&docs, edu, d(2024, 1, 26), false));
        let no_agency = docs.generated(
            "云溪县农业农村局",
            2023,
            "云溪县人民政府",
            773,
            None,
            Some("2023年度政府信息公开工作年度报告".into()),
        );
        t.push(trs_detail(&docs, no_agency, d(2024, 1, 25), false));
        let audit = docs.generated("云溪县审计局", 2023, "云溪县人民政府", 773, None, None);
        t.push(Entry {
            title: "云溪县审计局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 24),
            link: Link::Disallowed {
                doc: audit,
                path: format!("{}bak/202401/t20240124_3458801.html", trs.dir),
            },
        });
        let health = docs.generated("云溪县卫生健康局", 2023, "云溪县人民政府", 773, None, None);
        t.push(trs_detail(&docs, health, d(2024, 1, 23), false));
        t.push(Entry {
            title: "国务院办公厅2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 22),
            link: Link::OffScope {
                url: "http://www.example.com/zhengce/content/202403/content_6940001.htm".into(),
            },
        });
        let transport = docs.generated("云溪县交通运输局", 2023, "云溪县人民政府", 773, None, None);
        t.push(trs_detail(&docs, transport, d(2024, 1, 22), false));
        let spaced = docs.generated(
            "云溪县自然资源局",
            2023,
            "云溪县人民政府",
            773,
            None,
            Some("云溪县自然资源局 2023 年度政府信息公开 工作年度报告".into()),
        );
        t.push(trs_detail(&docs, spaced, d(2024, 1, 19), false));
        let notice = docs.companion(
            Companion::Notice,
            "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
            "云溪县人民政府办公室",
            2023,
        );
        t.push(trs_detail(&docs, notice, d(2024, 1, 10), false));
        for (y, date) in [(2022, d(2023, 3, 25)), (2021, d(2022, 3, 28))] {
            let doc = docs.generated("云溪县人民政府", y, "云溪县人民政府", 773, None, None);
            t.push(trs_detail(&docs, doc, date, false));
        }
        for (i, dept) in ["民政局", "统计局", "市场监督管理局"].iter().enumerate() {
            let doc = docs.generated(
                &format!("云溪县{dept}"),
                2022,
                "云溪县人民政府",
                773,
                None,
                None,
            );
            t.push(trs_detail(&docs, doc, d(2023, 1, 30 - 3 * i as u32), false));
        }
        let template = docs.push(
            "2021年度政府信息公开工作年度报告（样表）".into(),
            "云溪县人民政府办公室",
            2021,
            report::template(),
            None,
        );
        t.push(trs_detail(&docs, template, d(2021, 10, 12), false));
        sort(&mut t);

        // ---- Hanweb (临江市) ----
        let mut h = Vec::new();
        let hw_detail =
            |docs: &Docs, doc: usize, date: Date, quirk: PageQuirk, attachment: bool| {
                let id = docs.get(doc).map_or(0, |x| x.id);
                let attachment = attachment.then(|| {
                    HanwebSite::download_href(&format!(
                        "{:032x}",
                        u128::from(fnv1a(&id.to_le_bytes())) << 64 | u128::from(id)
                    ))
                });
                let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
                Entry {
                    title,
                    date,
                    link: Link::Detail {
                        doc,
                        path: hw.detail_path(date, id),
                        quirk,
                        attachment,
                    },
                }
            };
        let city = docs.generated("临江市人民政府", 2023, "临江市人民政府", 517, None, None);
        h.push(hw_detail(
            &docs,
            city,
            d(2024, 3, 25),
            PageQuirk::None,
            true,
        ));
        h.push(hw_detail(
            &docs,
            county_2023,
            d(2024, 3, 21),
            PageQuirk::None,
            false,
        ));
        let interp = docs.companion(
            Companion::Interpretation,
            "临江市人民政府2023年政府信息公开工作年度报告解读",
            "临江市人民政府办公室",
            2023,
        );
        h.push(hw_detail(
            &docs,
            interp,
            d(2024, 3, 26),
            PageQuirk::None,
            false,
        ));
        let half = docs.companion(
            Companion::HalfYear,
            "临江市2024年上半年政府信息公开统计情况",
            "临江市人民政府办公室",
            2024,
        );
        h.push(hw_detail(
            &docs,
            half,
            d(2024, 7, 10),
            PageQuirk::None,
            false,
        ));
        for (i, dept) in DEPTS.iter().take(14).enumerate() {
            let doc = docs.generated(
                &format!("临江市{dept}"),
                2023,
                "临江市人民政府",
                517,
                None,
                None,
            );
            h.push(hw_detail(
                &docs,
                doc,
                d(2024, 1, 30).plus_hours(-(i as i64) * 30),
                PageQuirk::None,
                false,
            ));
        }
        h.push(Entry {
            title: "临江市审计局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 12),
            link: Link::Challenge {
                path: hw.detail_path(d(2024, 1, 12), 1_486_001),
                kind: Challenge::Jsl,
            },
        });
        let hw_notice = docs.companion(
            Companion::Notice,
            "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
            "临江市人民政府办公室",
            2023,
        );
        h.push(hw_detail(
            &docs,
            hw_notice,
            d(2023, 12, 20),
            PageQuirk::None,
            false,
        ));
        for (i, dept) in DEPTS.iter().take(5).enumerate() {
            let doc = docs.generated(
                &format!("临江市{dept}"),
                2022,
                "临江市人民政府",
                517,
                None,
                None,
            );
            h.push(hw_detail(
                &docs,
                doc,
                d(2023, 1, 28).plus_hours(-(i as i64) * 30),
                PageQuirk::None,
                false,
            ));
        }
        for (y, date) in [(2022, d(2023, 3, 27)), (2021, d(2022, 3, 29))] {
            let doc = docs.generated("临江市人民政府", y, "临江市人民政府", 517, None, None);
            h.push(hw_detail(&docs, doc, date, PageQuirk::None, false));
        }
        sort(&mut h);

        // ---- GBK (旧城区) ----
        let mut g = Vec::new();
        let gbk_detail = |docs: &Docs, doc: usize, date: Date, quirk: PageQuirk| {
            let id = docs.get(doc).map_or(0, |x| x.id);
            let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
            Entry {
                title,
                date,
                link: Link::Detail {
                    doc,
                    path: gbk.detail_path(date, id),
                    quirk,
                    attachment: None,
                },
            }
        };
        let gbk_reports: [(&str, i32, &str, Date, PageQuirk); 6] = [
            (
                "旧城区人民政府",
                2023,
                "刘镕",
                d(2024, 3, 18),
                PageQuirk::Slow,
            ),
            (
                "旧城区昇平镇人民政府",
                2023,
                "张昇",
                d(2024, 2, 20),
                PageQuirk::MislabelledUtf8,
            ),
            (
                "旧城区堃园街道办事处",
                2023,
                "王堃",
                d(2024, 2, 18),
                PageQuirk::None,
            ),
            (
                "旧城区民政局",
                2023,
                "李喆",
                d(2024, 1, 25),
                PageQuirk::None,
            ),
            (
                "旧城区教育局",
                2022,
                "赵镕",
                d(2023, 1, 28),
                PageQuirk::None,
            ),
            (
                "旧城区人民政府",
                2022,
                "周堃",
                d(2023, 3, 20),
                PageQuirk::None,
            ),
        ];
        for (agency, year, contact, date, quirk) in gbk_reports {
            let doc = docs.generated(agency, year, "旧城区人民政府", 662, Some(contact), None);
            g.push(gbk_detail(&docs, doc, date, quirk));
        }
        let gbk_half = docs.companion(
            Companion::HalfYear,
            "旧城区2023年上半年政府信息公开统计",
            "旧城区人民政府办公室",
            2023,
        );
        g.push(gbk_detail(&docs, gbk_half, d(2023, 7, 12), PageQuirk::None));
        let legacy = docs.real(seeds::hongsibu_2014());
        g.push(gbk_detail(&docs, legacy, d(2017, 10, 23), PageQuirk::None));
        sort(&mut g);

        // ---- Generic (北塘区) ----
        let mut n = Vec::new();
        let gen_detail = |docs: &Docs, doc: usize, date: Date| {
            let id = docs.get(doc).map_or(0, |x| x.id);
            let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
            Entry {
                title,
                date,
                link: Link::Detail {
                    doc,
                    path: GenericSite::detail_path(id),
                    quirk: PageQuirk::None,
                    attachment: None,
                },
            }
        };
        let xixia = docs.real(seeds::xixia_2024());
        n.push(gen_detail(&docs, xixia, d(2025, 1, 20)));
        let jiangyang = docs.real(seeds::jiangyang_2023());
        n.push(gen_detail(&docs, jiangyang, d(2024, 1, 31)));
        let district = docs.generated("北塘区人民政府", 2023, "北塘区人民政府", 510, None, None);
        n.push(gen_detail(&docs, district, d(2024, 3, 26)));
        let graphic = docs.companion(
            Companion::Graphic,
            "一图读懂北塘区2023年政府信息公开工作年度报告",
            "北塘区人民政府办公室",
            2023,
        );
        n.push(gen_detail(&docs, graphic, d(2024, 3, 27)));
        let wp2 = docs.companion(
            Companion::WorkPoints,
            "北塘区2024年政务公开工作要点",
            "北塘区人民政府办公室",
            2024,
        );
        n.push(gen_detail(&docs, wp2, d(2024, 3, 1)));
        let stats = docs.generated("北塘区统计局", 2023, "北塘区人民政府", 510, None, None);
        let pdf_url = format!("{}/files/2024/01/btqtjj2023nb.pdf", base(FILES));
        n.push(Entry {
            title: "北塘区统计局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 29),
            link: Link::File {
                doc: stats,
                url: pdf_url,
            },
        });
        let bt_minzheng = docs.generated("北塘区民政局", 2023, "北塘区人民政府", 510, None, None);
        n.push(gen_detail(&docs, bt_minzheng, d(2024, 1, 28)));
        n.push(Entry {
            title: "（转载）北塘区民政局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 30),
            link: Link::OffScope {
                url: format!("{}/html/2024/0130/1001.html", base(MIRROR)),
            },
        });
        for (i, dept) in ["财政局", "教育局", "卫生健康局"].iter().enumerate() {
            let doc = docs.generated(
                &format!("北塘区{dept}"),
                2023,
                "北塘区人民政府",
                510,
                None,
                None,
            );
            n.push(gen_detail(&docs, doc, d(2024, 1, 27 - 2 * i as u32)));
        }
        n.push(Entry {
            title: "北塘区审计局2023年政府信息公开工作年度报告".into(),
            date: d(2024, 1, 24),
            link: Link::Challenge {
                path: GenericSite::detail_path(61_690),
                kind: Challenge::Wzws,
            },
        });
        for (title, path, kind, day) in [
            (
                "北塘区交通运输局2023年政府信息公开工作年度报告",
                "/trap/gzip-bomb",
                Trap::GzipBomb,
                22,
            ),
            (
                "北塘区司法局2023年政府信息公开工作年度报告",
                "/trap/endless",
                Trap::Endless,
                21,
            ),
            (
                "北塘区水利局2023年政府信息公开工作年度报告",
                "/trap/loop",
                Trap::Loop,
                20,
            ),
        ] {
            n.push(Entry {
                title: title.into(),
                date: d(2024, 1, day),
                link: Link::Trap {
                    path: path.into(),
                    kind,
                },
            });
        }
        for (i, dept) in ["民政局", "统计局"].iter().enumerate() {
            let doc = docs.generated(
                &format!("北塘区{dept}"),
                2022,
                "北塘区人民政府",
                510,
                None,
                None,
            );
            n.push(gen_detail(&docs, doc, d(2023, 1, 28 - i as u32)));
        }
        sort(&mut n);
        let year_entry = |docs: &Docs, doc: usize, year: i32, date: Date| {
            let id = docs.get(doc).map_or(0, |x| x.id);
            let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
            Entry {
                title,
                date,
                link: Link::Detail {
                    doc,
                    path: GenericSite::year_detail_path(year, id),
                    quirk: PageQuirk::None,
                    attachment: None,
                },
            }
        };
        let office = docs.generated(
            "北塘区人民政府办公室",
            2023,
            "北塘区人民政府",
            510,
            None,
            None,
        );
        let district_2022 =
            docs.generated("北塘区人民政府", 2022, "北塘区人民政府", 510, None, None);
        let shanghai = docs.real(seeds::shanghai_2019());
        let generic_years = vec![
            (
                2023,
                vec![
                    year_entry(&docs, district, 2023, d(2024, 3, 26)),
                    year_entry(&docs, office, 2023, d(2024, 1, 31)),
                ],
            ),
            (
                2022,
                vec![year_entry(&docs, district_2022, 2022, d(2023, 3, 28))],
            ),
            (
                2019,
                vec![year_entry(&docs, shanghai, 2019, d(2020, 1, 31))],
            ),
        ];

        // ---- gkmlpt (东湖区) ----
        let mut k = Vec::new();
        let gk_detail =
            |docs: &Docs, doc: usize, date: Date, quirk: PageQuirk, attachment: bool| {
                let id = docs.get(doc).map_or(0, |x| x.id);
                let attachment = attachment.then(|| GkmlptSite::attachment_path(id + 4_300_000));
                let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
                Entry {
                    title,
                    date,
                    link: Link::Detail {
                        doc,
                        path: GkmlptSite::detail_path(id),
                        quirk,
                        attachment,
                    },
                }
            };
        let dh = docs.generated("东湖区人民政府", 2023, "东湖区人民政府", 752, None, None);
        k.push(gk_detail(&docs, dh, d(2024, 3, 22), PageQuirk::None, true));
        for (i, dept) in DEPTS.iter().skip(3).take(8).enumerate() {
            let doc = docs.generated(
                &format!("东湖区{dept}"),
                2023,
                "东湖区人民政府",
                752,
                None,
                None,
            );
            let quirk = if i == 2 {
                PageQuirk::RetryOnce
            } else {
                PageQuirk::None
            };
            k.push(gk_detail(
                &docs,
                doc,
                d(2024, 1, 28).plus_hours(-(i as i64) * 26),
                quirk,
                false,
            ));
        }
        let gk_notice = docs.companion(
            Companion::Notice,
            "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
            "东湖区人民政府办公室",
            2023,
        );
        k.push(gk_detail(
            &docs,
            gk_notice,
            d(2023, 12, 15),
            PageQuirk::None,
            false,
        ));
        let gk_wp = docs.companion(
            Companion::WorkPoints,
            "东湖区2024年政务公开工作要点",
            "东湖区人民政府办公室",
            2024,
        );
        k.push(gk_detail(
            &docs,
            gk_wp,
            d(2024, 2, 28),
            PageQuirk::None,
            false,
        ));
        for (i, dept) in DEPTS.iter().skip(3).take(3).enumerate() {
            let doc = docs.generated(
                &format!("东湖区{dept}"),
                2022,
                "东湖区人民政府",
                752,
                None,
                None,
            );
            k.push(gk_detail(
                &docs,
                doc,
                d(2023, 1, 20).plus_hours(-(i as i64) * 26),
                PageQuirk::None,
                false,
            ));
        }
        sort(&mut k);

        let files = vec![("/files/2024/01/btqtjj2023nb.pdf".to_string(), stats)];
        let mirror = vec![("/html/2024/0130/1001.html".to_string(), bt_minzheng)];
        Catalog {
            bases,
            docs: docs.0,
            trs: t,
            hanweb: h,
            gbk: g,
            generic: n,
            generic_years,
            gkmlpt: k,
            files,
            mirror,
            published: 0,
        }
    }

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
            match k % 3 {
                0 => {
                    let doc = docs.generated(
                        &format!("云溪县{dept}{suffix}"),
                        2024,
                        "云溪县人民政府",
                        773,
                        None,
                        None,
                    );
                    let id = docs.get(doc).map_or(0, |x| x.id);
                    let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
                    let path = trs_site().detail_path(date, id);
                    self.trs.insert(
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
                1 => {
                    let doc = docs.generated(
                        &format!("临江市{dept}{suffix}"),
                        2024,
                        "临江市人民政府",
                        517,
                        None,
                        None,
                    );
                    let id = docs.get(doc).map_or(0, |x| x.id);
                    let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
                    let path = hanweb_site().detail_path(date, id);
                    self.hanweb.insert(
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
                _ => {
                    let doc = docs.generated(
                        &format!("北塘区{dept}{suffix}"),
                        2024,
                        "北塘区人民政府",
                        510,
                        None,
                        None,
                    );
                    let id = docs.get(doc).map_or(0, |x| x.id);
                    let title = docs.get(doc).map(|x| x.title.clone()).unwrap_or_default();
                    let path = GenericSite::detail_path(id);
                    self.generic.insert(
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
            }
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
