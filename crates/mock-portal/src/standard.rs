//! The Standard layout's content, host by host: which reports and companion pages each 年报
//! column lists, in which order, and where each quirk of the brief sits (412/521/wzws
//! challenges, the robots-disallowed link, off-scope links, the dead link, the slow, 503-once
//! and mislabelled pages, duplicates on one host and across hosts, the template under a
//! report-like title, the legacy 2014 report, the PDF-only report, detail pages with attached
//! PDFs, the traps).

use super::catalog::{gbk_site, hanweb_site, trs_site, Catalog, Docs, DEPTS, FILES, MIRROR};
use super::families::generic::GenericSite;
use super::families::gkmlpt::GkmlptSite;
use super::families::hanweb::HanwebSite;
use super::quirks::{Challenge, Trap};
use super::report::{self, Companion};
use super::seeds;
use super::site::{Entry, Link, PageQuirk};
use super::util::{fnv1a, Date};

pub(crate) fn d(y: i32, m: u32, day: u32) -> Date {
    Date::at(y, m, day, 9, 30)
}

pub(crate) fn sort(entries: &mut [Entry]) {
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
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
}
