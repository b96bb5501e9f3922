//! The Variations layout: portals generated from a [`Variations`] value — sites of every CMS
//! family (TRS, Hanweb, gkmlpt, a JEECMS-like CMS, generic), each listing items of chosen
//! kinds in chosen wordings — with their ground truth. Built for property tests that vary the
//! pages a crawler must tell apart: reports on their page (with or without the same report
//! attached, or split over two pages), pages that only announce reports kept in attachments (one or three agencies),
//! notices about reports (trainings, meetings, corrections, explanations, summary notes),
//! junk under report titles (a redirect page, an HTML page under a `.pdf` name) and the
//! neighbours of reports (解读, 一图读懂, 工作要点, a template, a 统计表 alone, an English
//! version, a listing reached as a detail page, 政务公开 reports with and without tables).
//!
//! Layout: `words.rs` holds the phrase banks, `build.rs` turns a spec into listed items, pages,
//! files and ground truth (`listed.rs`: the placed items and how listings cut titles), `render.rs` lays each site out in its family's URL shapes and
//! templates. Sites are hosts 127.0.0.{first_ip + i}, one per [`SiteSpec`].

mod build;
mod listed;
mod render;
mod words;

use std::sync::Arc;

use super::http::{Handler, Reply, Request};
use super::site::HostRoutes;
use super::Expected;

/// A generated portal: one site per entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variations {
    /// The sites, one host each.
    pub sites: Vec<SiteSpec>,
}

/// One site: its CMS family and the items its 年报 column lists, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSpec {
    /// CMS family.
    pub family: Family,
    /// Listed items.
    pub items: Vec<Item>,
}

/// CMS families of the mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// TRS WCM: JS pager, `./YYYYMM/t…html`, `./P0….pdf`.
    Trs,
    /// Hanweb 大汉: inline datastore + POST proxy, `downfile.jsp` attachments.
    Hanweb,
    /// Guangdong gkmlpt: JSON feed, `post_{id}.html`, `/attachment/…pdf`.
    Gkmlpt,
    /// JEECMS-like: `.jhtml`, no title metas, `/u/cms/www/…pdf`.
    Jeecms,
    /// Generic `list.html?page=N`, `/info/1025/{id}.htm`.
    Generic,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 5] = [
        Family::Trs,
        Family::Hanweb,
        Family::Gkmlpt,
        Family::Jeecms,
        Family::Generic,
    ];
}

/// One listed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Which wording of the phrase banks (titles, announcement sentences, link texts).
    pub wording: u32,
    /// How the listing shows its title.
    pub truncation: Truncation,
}

/// What a listed item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A report on its detail page; `attached`: the same report also attached as a PDF.
    HtmlReport {
        /// The page attaches the same report as a PDF.
        attached: bool,
    },
    /// A report whose article is split over two pages (`…_1` the second), both listed.
    SplitReport,
    /// A page that only announces reports kept in attached PDFs: `files` reports (1–3, each
    /// of its own agency); `title_in_file`: each PDF opens with its report's title line.
    Announcement {
        /// Reports announced (clamped to 1–3).
        files: u8,
        /// The PDFs open with their title line.
        title_in_file: bool,
    },
    /// A notice about reports.
    Notice(Notice),
    /// A page that is no report under a report's title.
    Junk(Junk),
    /// A neighbour of reports.
    Neighbour(Neighbour),
}

/// Notices about reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// …年度报告编制工作培训会.
    Training,
    /// 召开…年度报告…会议.
    Meeting,
    /// 关于…年度报告有关数据的更正说明 (about the site's first report, when it has one).
    Correction,
    /// 关于…年度报告的编制说明.
    Explanation,
    /// …年度报告汇总发布说明.
    Summary,
}

/// Junk under report titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Junk {
    /// A `<meta http-equiv="refresh">` page saying 跳转中.
    Redirect,
    /// An HTML error page served under a `.pdf` name.
    HtmlAsPdf,
}

/// Neighbours of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbour {
    /// 《…年度报告》解读.
    Interpretation,
    /// 一图读懂…年度报告.
    Graphic,
    /// …政务公开工作要点.
    WorkPoints,
    /// The blank 样表 template.
    Template,
    /// …年度报告统计表: the three tables alone.
    StatsTable,
    /// …年度报告（英文版）.
    English,
    /// A listing page linked under a report's title.
    ListingAsDetail,
    /// …政务公开工作年度报告 with the statutory tables: a report.
    GovAffairsReport,
    /// …政务公开工作报告 without tables: a work summary, no report.
    GovAffairsSummary,
}

/// How a listing shows an item's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truncation {
    /// The template's own link text, the full title in `title=` (or the feed's full title).
    Full,
    /// The link text cut right after 年度报告 and no `title` attribute: only the detail page
    /// has the whole title.
    AfterReport,
    /// The link text cut with an ellipsis ("…政府信息…") and no `title` attribute.
    Ellipsis,
}

impl Item {
    /// An item of `kind` with the first wording and the full title.
    pub fn new(kind: ItemKind) -> Item {
        Item {
            kind,
            wording: 0,
            truncation: Truncation::Full,
        }
    }
}

impl Variations {
    /// Every item kind on every family, each in several wordings and truncations: a fixed
    /// portal for end-to-end tests (its ground truth is [`crate::Portal::expected`]).
    pub fn every_kind() -> Variations {
        let kinds = build::all_kinds();
        let truncations = [
            Truncation::Full,
            Truncation::AfterReport,
            Truncation::Ellipsis,
        ];
        let sites = Family::ALL
            .iter()
            .enumerate()
            .map(|(f, &family)| SiteSpec {
                family,
                items: kinds
                    .iter()
                    .enumerate()
                    .map(|(k, &kind)| Item {
                        kind,
                        wording: (f * 3 + k) as u32,
                        truncation: truncations[(f + k) % truncations.len()],
                    })
                    .collect(),
            })
            .collect();
        Variations { sites }
    }
}

/// The rendered sites and their ground truth.
#[derive(Debug)]
pub(crate) struct VariationsState {
    /// One route table per site.
    routes: Vec<HostRoutes>,
    /// Families, per site (for gzip).
    families: Vec<Family>,
    /// Ground truth.
    expected: Expected,
    /// Seed URL paths, per site.
    seeds: Vec<String>,
}

impl VariationsState {
    /// Build `spec` on hosts at `bases` (`http://127.0.0.x:PORT`, one per site).
    pub(crate) fn new(spec: &Variations, bases: &[String]) -> VariationsState {
        let built = build::build(spec, bases);
        VariationsState {
            routes: built.routes,
            families: spec.sites.iter().map(|s| s.family).collect(),
            expected: built.expected,
            seeds: built.seeds,
        }
    }

    /// Seed path of site `i`.
    pub(crate) fn seed_path(&self, i: usize) -> Option<&str> {
        self.seeds.get(i).map(String::as_str)
    }

    /// Ground truth.
    pub(crate) fn expected(&self) -> Expected {
        self.expected.clone()
    }
}

/// The request handler of one Variations site.
#[derive(Debug)]
pub(crate) struct VariationsHost {
    /// Shared state.
    pub(crate) state: Arc<VariationsState>,
    /// Site index.
    pub(crate) index: usize,
}

impl Handler for VariationsHost {
    fn handle(&self, req: &Request) -> Reply {
        match self.state.routes.get(self.index) {
            Some(host) => host.answer(req),
            None => Reply::not_found(),
        }
    }

    fn gzips(&self) -> bool {
        matches!(
            self.state.families.get(self.index),
            Some(Family::Hanweb | Family::Gkmlpt)
        )
    }
}
