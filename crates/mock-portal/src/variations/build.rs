//! A [`Variations`] spec → the items each site lists (titles as listed, pages, files) and the
//! ground truth: every planted report with all its URLs, agency and publication date; every
//! page that is no report; every correction with the report it corrects.

use url::Url;

use nianbao_model::{Format, TableName};

use super::listed::{county, cut, File, Listed, Page};
use super::render::{self, Shape};
use super::words::{self, fill, pick};
use super::{Item, ItemKind, Junk, Neighbour, Notice, Truncation, Variations};
use crate::families::Row;
use crate::pdf;
use crate::report::{self, Block, Body, Companion, ReportSpec};
use crate::site::HostRoutes;
use crate::tables::CellStyle;
use crate::util::{fnv1a, Date};
use crate::{Expected, ExpectedCorrection, ExpectedReport};

/// Every item kind once (the first wording and layout of each).
pub(crate) fn all_kinds() -> Vec<ItemKind> {
    let mut v = vec![
        ItemKind::HtmlReport { attached: false },
        ItemKind::HtmlReport { attached: true },
        ItemKind::SplitReport,
        ItemKind::Announcement {
            files: 1,
            title_in_file: true,
        },
        ItemKind::Announcement {
            files: 1,
            title_in_file: false,
        },
        ItemKind::Announcement {
            files: 3,
            title_in_file: false,
        },
    ];
    v.extend(
        [
            Notice::Training,
            Notice::Meeting,
            Notice::Correction,
            Notice::Explanation,
            Notice::Summary,
        ]
        .map(ItemKind::Notice),
    );
    v.extend([Junk::Redirect, Junk::HtmlAsPdf].map(ItemKind::Junk));
    v.extend(
        [
            Neighbour::Interpretation,
            Neighbour::Graphic,
            Neighbour::WorkPoints,
            Neighbour::Template,
            Neighbour::StatsTable,
            Neighbour::English,
            Neighbour::ListingAsDetail,
            Neighbour::GovAffairsReport,
            Neighbour::GovAffairsSummary,
        ]
        .map(ItemKind::Neighbour),
    );
    v
}

/// The built portal.
pub(crate) struct Built {
    /// One route table per site.
    pub(crate) routes: Vec<HostRoutes>,
    /// Ground truth.
    pub(crate) expected: Expected,
    /// Seed path per site.
    pub(crate) seeds: Vec<String>,
}

/// A report planted on a site (what a correction may refer to).
#[derive(Debug, Clone)]
struct Planted {
    title: String,
    agency: String,
    year: i32,
}

/// Builds one site.
struct SiteBuilder<'a> {
    shape: Shape,
    county: String,
    base: &'a str,
    site_index: usize,
    next_agency: usize,
    first_report: Option<Planted>,
    listed: Vec<Listed>,
    e: &'a mut Expected,
}

impl SiteBuilder<'_> {
    fn agency(&mut self) -> String {
        let depts = crate::catalog::DEPTS;
        let k = self.next_agency;
        self.next_agency += 1;
        let dept = depts.get(k % depts.len()).copied().unwrap_or("民政局");
        match k / depts.len() {
            0 => format!("{}{dept}", self.county),
            n => format!("{}第{}分局{dept}", self.county, n + 1),
        }
    }

    fn url(&self, path: &str) -> Option<Url> {
        Url::parse(&format!("{}{path}", self.base)).ok()
    }

    /// A generated 2021-format report of `agency` for `year`: its body and ground truth.
    fn report(&mut self, agency: &str, year: i32, k: usize) -> (Body, ExpectedReport) {
        let seed = fnv1a(format!("v|{agency}|{year}").as_bytes());
        let n = (self.site_index * 100_000 + k * 100 + self.next_agency) as u64;
        let spec = ReportSpec {
            agency: agency.into(),
            year,
            seed,
            prev_seed: fnv1a(format!("v|{agency}|{}", year - 1).as_bytes()),
            phone: report::phone(735, n),
            contact: "李明".into(),
            site: format!("{}人民政府网站", self.county),
        };
        let (body, tables, marker) = report::generated(&spec);
        let expected = ExpectedReport {
            title: format!("{agency}{year}年政府信息公开工作年度报告"),
            agency: agency.into(),
            year,
            urls: Vec::new(),
            text_marker: marker,
            format: Format::F2021,
            tables: Some(tables),
            published: None,
        };
        (body, expected)
    }

    fn pdf(title: &str, body: &Body, title_line: bool) -> Vec<u8> {
        let mut lines = Vec::new();
        if title_line {
            lines.push(title.to_string());
            lines.push(String::new());
        }
        lines.extend(body.lines());
        pdf::pdf_from_lines(title, &lines)
    }

    fn push(
        &mut self,
        title: String,
        truncation: Truncation,
        date: Date,
        id: u64,
        path: String,
        page: Page,
    ) {
        let mut row = Row::new(title.clone(), date, path.clone());
        row.cut = cut(&title, truncation);
        self.listed.push(Listed {
            row,
            id,
            path,
            page,
        });
    }

    fn non_report(&mut self, path: &str) {
        if let Some(u) = self.url(path) {
            self.e.non_reports.push(u);
        }
    }

    fn plant(&mut self, mut r: ExpectedReport, urls: &[&str], date: Date) {
        r.urls = urls.iter().filter_map(|p| self.url(p)).collect();
        r.published = Some(date.ymd());
        if self.first_report.is_none() {
            self.first_report = Some(Planted {
                title: r.title.clone(),
                agency: r.agency.clone(),
                year: r.year,
            });
        }
        self.e.reports.push(r);
    }

    fn item(&mut self, k: usize, item: &Item) {
        let w = item.wording;
        let year = 2021 + (w % 4) as i32;
        let date = Date::at(year + 1, 1, 3, 9, 0).plus_hours(k as i64 * 25);
        let id = 6_000_000 + (self.site_index as u64) * 10_000 + k as u64 * 10;
        let path = self.shape.detail_path(date, id);
        match item.kind {
            ItemKind::HtmlReport { attached } => {
                let agency = self.agency();
                let (body, truth) = self.report(&agency, year, k);
                let title = if w % 3 == 2 {
                    format!("{year}年度政府信息公开工作年度报告")
                } else {
                    truth.title.clone()
                };
                let mut files = Vec::new();
                if attached {
                    let fpath = self.shape.file_path(date, id, 0);
                    files.push(File {
                        path: fpath,
                        name: format!("{title}.pdf"),
                        pdf: Self::pdf(&truth.title, &body, true),
                    });
                }
                let urls: Vec<String> = std::iter::once(path.clone())
                    .chain(files.iter().map(|f| f.path.clone()))
                    .collect();
                let mut truth = truth;
                truth.title = title.clone();
                self.plant(
                    truth,
                    &urls.iter().map(String::as_str).collect::<Vec<_>>(),
                    date,
                );
                let page = Page::Detail {
                    title: title.clone(),
                    agency,
                    body: body.html(),
                    files,
                };
                self.push(title, item.truncation, date, id, path, page);
            }
            ItemKind::Announcement {
                files,
                title_in_file,
            } => self.announcement(k, item, files.clamp(1, 3), title_in_file, year, date, id),
            ItemKind::SplitReport => self.split_report(k, item, year, date, id, path),
            ItemKind::Notice(n) => self.notice(n, item, year, date, id, path),
            ItemKind::Junk(j) => self.junk(j, item, year, date, id),
            ItemKind::Neighbour(n) => self.neighbour(k, n, item, year, date, id, path),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn announcement(
        &mut self,
        k: usize,
        item: &Item,
        n: u8,
        title_in_file: bool,
        year: i32,
        date: Date,
        id: u64,
    ) {
        let w = item.wording;
        let path = self.shape.detail_path(date, id);
        let c = self.county.clone();
        let mut reports = Vec::new();
        for _ in 0..n {
            let agency = self.agency();
            let (body, truth) = self.report(&agency, year, k);
            reports.push((agency, body, truth));
        }
        let office = format!("{c}人民政府办公室");
        let (title, page_agency, paragraphs) = if n == 1 {
            let (a, _, t) = &reports[0];
            let title = fill(pick(words::ANNOUNCE_TITLES, w), &t.title, a, &c, year);
            let body = fill(pick(words::ANNOUNCE_ONE, w / 2), &t.title, a, &c, year);
            let agency = if w.is_multiple_of(2) {
                a.clone()
            } else {
                office.clone()
            };
            (title, agency, vec![body])
        } else {
            let title = fill(pick(words::ANNOUNCE_MANY_TITLES, w), "", "", &c, year);
            let mut paras = vec![fill(pick(words::ANNOUNCE_MANY, w), "", "", &c, year)];
            if w.is_multiple_of(2) {
                for (i, (_, _, t)) in reports.iter().enumerate() {
                    paras.push(format!("{}.《{}》", i + 1, t.title));
                }
            }
            (title, office.clone(), paras)
        };
        let mut paragraphs = paragraphs;
        let furniture = pick(words::FURNITURE, w);
        if !furniture.is_empty() {
            paragraphs.push(furniture.to_string());
        }
        let mut files = Vec::new();
        for (i, (a, body, truth)) in reports.into_iter().enumerate() {
            let fpath = self.shape.file_path(date, id, i);
            let link = if n == 1 {
                pick(words::FILE_LINKS, w / 3)
            } else if w.is_multiple_of(2) {
                "附件{i}.pdf"
            } else {
                "{t}.pdf"
            };
            let name = fill(link, &truth.title, &a, &c, year).replace("{i}", &(i + 1).to_string());
            files.push(File {
                path: fpath.clone(),
                name,
                pdf: Self::pdf(&truth.title, &body, title_in_file),
            });
            self.plant(truth, &[&path, &fpath], date);
        }
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<p style=\"text-indent:2em\">{}</p>\n", crate::util::esc(p)))
            .collect();
        let page = Page::Detail {
            title: title.clone(),
            agency: page_agency,
            body,
            files,
        };
        self.push(title, item.truncation, date, id, path, page);
    }

    /// A report whose article is split over two pages, both listed (the second as "（二）");
    /// the tables of 三 and 四 are on the second page.
    fn split_report(
        &mut self,
        k: usize,
        item: &Item,
        year: i32,
        date: Date,
        id: u64,
        path: String,
    ) {
        let agency = self.agency();
        let (body, truth) = self.report(&agency, year, k);
        let Body::Blocks {
            blocks,
            tables,
            style,
        } = body
        else {
            return;
        };
        let cut = blocks
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h.starts_with("三、")))
            .unwrap_or(blocks.len());
        let (first, second) = blocks.split_at(cut);
        let half = |blocks: &[Block]| {
            Body::Blocks {
                blocks: blocks.to_vec(),
                tables: tables.clone(),
                style,
            }
            .html()
        };
        let (one, two) = (half(first), half(second));
        let second_path = match path.rfind('.') {
            Some(dot) => format!("{}_1{}", &path[..dot], &path[dot..]),
            None => format!("{path}_1"),
        };
        let title = truth.title.clone();
        self.plant(truth, &[&path, &second_path], date);
        for (p, body, t, n) in [
            (path, one, title.clone(), id),
            (second_path, two, format!("{title}（二）"), id + 1),
        ] {
            let page = Page::Detail {
                title: t.clone(),
                agency: agency.clone(),
                body,
                files: Vec::new(),
            };
            self.push(t, item.truncation, date, n, p, page);
        }
    }

    fn correction_target(&self, year: i32) -> Planted {
        self.first_report.clone().unwrap_or_else(|| Planted {
            title: format!("{}档案馆{year}年政府信息公开工作年度报告", self.county),
            agency: format!("{}档案馆", self.county),
            year,
        })
    }

    fn notice(&mut self, n: Notice, item: &Item, year: i32, date: Date, id: u64, path: String) {
        let w = item.wording;
        let c = self.county.clone();
        let target = self.correction_target(year);
        let (bank, kind) = match n {
            Notice::Training => (words::TRAINING, 0),
            Notice::Meeting => (words::MEETING, 1),
            Notice::Correction => (words::CORRECTION, 2),
            Notice::Explanation => (words::EXPLANATION, 3),
            Notice::Summary => (words::SUMMARY, 4),
        };
        let year = if n == Notice::Correction {
            target.year
        } else {
            year
        };
        let title = fill(pick(bank, w), &target.title, &target.agency, &c, year);
        let body: String = words::notice_body(kind, &target.title, &c, year)
            .iter()
            .map(|p| format!("<p>{}</p>\n", crate::util::esc(p)))
            .collect();
        let agency = if n == Notice::Correction {
            target.agency.clone()
        } else {
            format!("{c}人民政府办公室")
        };
        self.non_report(&path);
        if n == Notice::Correction && self.first_report.is_some() {
            if let Some(url) = self.url(&path) {
                self.e.corrections.push(ExpectedCorrection {
                    url,
                    report: target.title.clone(),
                });
            }
        }
        let page = Page::Detail {
            title: title.clone(),
            agency,
            body,
            files: Vec::new(),
        };
        self.push(title, item.truncation, date, id, path, page);
    }

    fn junk(&mut self, j: Junk, item: &Item, year: i32, date: Date, id: u64) {
        let agency = self.agency();
        let title = format!("{agency}{year}年政府信息公开工作年度报告");
        let (path, page) = match j {
            Junk::Redirect => (self.shape.detail_path(date, id), Page::Redirect),
            Junk::HtmlAsPdf => (
                self.shape.file_path(date, id, 0),
                Page::Html(pick(words::HTML_AS_PDF, item.wording).to_string()),
            ),
        };
        self.non_report(&path);
        self.push(title, item.truncation, date, id, path, page);
    }

    #[allow(clippy::too_many_arguments)]
    fn neighbour(
        &mut self,
        k: usize,
        n: Neighbour,
        item: &Item,
        year: i32,
        date: Date,
        id: u64,
        path: String,
    ) {
        let agency = self.agency();
        let c = self.county.clone();
        let t = format!("{agency}{year}年政府信息公开工作年度报告");
        let seed = fnv1a(t.as_bytes());
        let companion = |kind| report::companion(kind, &agency, year, seed).html();
        let paras = |lines: Vec<String>| -> String {
            lines
                .iter()
                .map(|p| format!("<p>{}</p>\n", crate::util::esc(p)))
                .collect()
        };
        let (title, body, report) = match n {
            Neighbour::Interpretation => (
                format!("《{t}》解读"),
                companion(Companion::Interpretation),
                None,
            ),
            Neighbour::Graphic => (format!("一图读懂{t}"), companion(Companion::Graphic), None),
            Neighbour::WorkPoints => (
                format!("{c}{}年政务公开工作要点", year + 1),
                companion(Companion::WorkPoints),
                None,
            ),
            Neighbour::Template => (
                format!("{year}年度政府信息公开工作年度报告（样表）"),
                report::template().html(),
                None,
            ),
            Neighbour::StatsTable => {
                let (body, _) = self.report(&agency, year, k);
                let Body::Blocks { tables, .. } = body else {
                    return;
                };
                let only = Body::Blocks {
                    blocks: TableName::ALL.into_iter().map(Block::Table).collect(),
                    tables,
                    style: CellStyle::Plain,
                };
                (format!("{t}统计表"), only.html(), None)
            }
            Neighbour::English => (
                format!("{t}（英文版）"),
                paras(words::english_body(&agency, year)),
                None,
            ),
            Neighbour::ListingAsDetail => {
                return self.listing_as_detail(item, year, date, id);
            }
            Neighbour::GovAffairsReport => {
                let (body, truth) = self.report(&agency, year, k);
                (
                    format!("{agency}{year}年度政务公开工作年度报告"),
                    body.html(),
                    Some(truth),
                )
            }
            Neighbour::GovAffairsSummary => (
                format!("{agency}{year}年度政务公开工作报告"),
                paras(words::gov_affairs_summary(&agency, year)),
                None,
            ),
        };
        match report {
            Some(mut truth) => {
                truth.title = title.clone();
                self.plant(truth, &[&path], date);
            }
            None => self.non_report(&path),
        }
        let page = Page::Detail {
            title: title.clone(),
            agency,
            body,
            files: Vec::new(),
        };
        self.push(title, item.truncation, date, id, path, page);
    }

    /// A listing page linked under a report's title (it shows the site's first rows).
    fn listing_as_detail(&mut self, item: &Item, year: i32, date: Date, id: u64) {
        let c = self.county.clone();
        let title = format!("{c}{year}年度政府信息公开工作年度报告");
        let lpath = self.shape.listing_like_path(year);
        let rows: String = self
            .listed
            .iter()
            .take(4)
            .map(|l| {
                format!(
                    "<li><a href=\"{}\">{}</a><span>{}</span></li>\n",
                    l.path,
                    crate::util::esc(&l.row.title),
                    l.row.date.ymd()
                )
            })
            .collect();
        let html = format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{year}年度-政府信息公开年报</title></head><body><div class=\"list\"><ul>\n{rows}</ul><div class=\"page\">共1页</div></div></body></html>");
        self.non_report(&lpath);
        self.push(title, item.truncation, date, id, lpath, Page::Html(html));
    }
}

/// Build every site of `spec` on `bases`.
pub(crate) fn build(spec: &Variations, bases: &[String]) -> Built {
    let mut expected = Expected::default();
    let mut routes = Vec::new();
    let mut seeds = Vec::new();
    for (i, site) in spec.sites.iter().enumerate() {
        let base = bases.get(i).map_or("", String::as_str);
        let shape = Shape::new(site.family, i, &county(i));
        let mut b = SiteBuilder {
            shape,
            county: county(i),
            base,
            site_index: i,
            next_agency: 0,
            first_report: None,
            listed: Vec::new(),
            e: &mut expected,
        };
        for (k, item) in site.items.iter().enumerate() {
            b.item(k, item);
        }
        let (shape, listed) = (b.shape, b.listed);
        seeds.push(shape.seed_path());
        routes.push(render::render(&shape, base, &listed));
    }
    Built {
        routes,
        expected,
        seeds,
    }
}
