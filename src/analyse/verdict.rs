//! Is it a report? The verdict on one analysed document: a report with its [`ReportStatus`]
//! (`parsed`, `legacy`, `unparsed: …`, `needs_ocr`), or not a report and why.
//!
//! The verdict is taken on the fullest title known (the page's heading or `ArticleTitle`
//! rather than a link text cut after 年度报告) and on the body itself, never on a title alone:
//! - a title wrapping a report title (a meeting, a 更正说明, an explanation, an English
//!   version) or naming a companion item (解读, 统计表 alone, 样表 …) is no report;
//! - tables in the 2019/2021 layout with values make a report whatever the title;
//! - without them, the body must read as a report (its section headings) — a redirect page,
//!   an error page, a listing, or an announcement whose report is in its attachments is not;
//! - a report body of 2019 or later without the statutory tables is `unparsed` with the
//!   reason, never `legacy`; `legacy` is for report years before 2019.

use crate::extract::normalize::normalize;
use crate::model::{Format, ParsedReport, ReportStatus};
use crate::title::{self, NoticeKind, TitleClass};

/// Fewer normalised characters than this and a page is no report body.
pub const MIN_REPORT_CHARS: usize = 200;

/// How many kinds of report section headings make a report body (一、总体情况, 二、主动公开…,
/// 三、…申请…, 四、…复议…, 五、…问题…).
pub const MIN_SECTIONS: usize = 3;

/// The reason given to pages that announce a report kept in their attachments.
pub const ANNOUNCEMENT: &str = "announcement: the report is in its attachment";

/// The first report year whose reports carry the statutory tables (国办公开办函〔2019〕60号).
pub const FIRST_TABLE_YEAR: i32 = 2019;

/// The verdict on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A report, with how far reading it went (never [`ReportStatus::NotReport`]).
    Report(ReportStatus),
    /// Not a report, with the reason (recorded on the request that fetched it).
    NotReport(String),
}

impl Verdict {
    /// True for a report.
    pub fn is_report(&self) -> bool {
        matches!(self, Verdict::Report(_))
    }

    /// The status stored for the document: the report's, or `not_report`.
    pub fn status(&self) -> ReportStatus {
        match self {
            Verdict::Report(status) => status.clone(),
            Verdict::NotReport(_) => ReportStatus::NotReport,
        }
    }

    /// Why it is not a report.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::NotReport(why) => Some(why),
            Verdict::Report(_) => None,
        }
    }

    /// True for a page that announces a report kept in its attachments.
    pub fn is_announcement(&self) -> bool {
        self.reason().is_some_and(|r| r.starts_with(ANNOUNCEMENT))
    }
}

/// What the verdict on a document whose text was read looks at.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The text as extracted (a page's body, a file's text).
    pub text: &'a str,
    /// What the parser made of it.
    pub parsed: &'a ParsedReport,
    /// The fullest title known: the page's heading or `ArticleTitle`, a listing's link text, a
    /// file's link text.
    pub title: &'a str,
    /// Report files the page links to (0 for a file).
    pub attachments: usize,
    /// Images in the page's body.
    pub images: usize,
    /// The page only sends the reader elsewhere (`<meta http-equiv="refresh">`).
    pub redirect: bool,
    /// The page's URL is shaped like a listing (`index.html`, `list.html?page=2`, `…/`).
    pub listing_url: bool,
}

/// The verdict on a document whose text was read.
pub fn of_read(e: &Evidence<'_>) -> Verdict {
    let class = title::classify(e.title);
    match class {
        TitleClass::Notice(kind)
            if kind != NoticeKind::Announcement
                && (!kind.may_be_report() || !has_values(e.parsed)) =>
        {
            return Verdict::NotReport(format!("{}: {}", kind.reason(), e.title));
        }
        TitleClass::Rejected(reason) if reason != title::NO_YEAR => {
            return Verdict::NotReport(format!("{reason}: {}", e.title));
        }
        _ => {}
    }
    let tables: Vec<_> = [
        &e.parsed.tables.active,
        &e.parsed.tables.requests,
        &e.parsed.tables.appeals,
    ]
    .into_iter()
    .flatten()
    .collect();
    if !tables.is_empty() && tables.iter().all(|t| t.is_blank()) {
        return Verdict::NotReport("template: every table cell is blank".into());
    }
    let chars = normalize(e.text).chars().count();
    let body = title::report_sections(e.text) >= MIN_SECTIONS && chars >= MIN_REPORT_CHARS;
    match e.parsed.format {
        Some(Format::F2021 | Format::F2019) if !tables.is_empty() => {
            return Verdict::Report(ReportStatus::Parsed);
        }
        Some(Format::F2021 | Format::F2019) if body => {
            return Verdict::Report(ReportStatus::Unparsed(
                "tables announced but none could be read".into(),
            ));
        }
        _ => {}
    }
    if !body {
        return not_a_body(e, chars, class);
    }
    if class == TitleClass::Candidate {
        return Verdict::NotReport(format!(
            "a 政务公开 report without the statutory tables: {}",
            e.title
        ));
    }
    match e.parsed.year {
        Some(y) if y >= FIRST_TABLE_YEAR => Verdict::Report(ReportStatus::Unparsed(format!(
            "no {} tables found in a {y} report",
            if y >= 2021 { "2021" } else { "2019" }
        ))),
        Some(_) => Verdict::Report(ReportStatus::Legacy),
        None => Verdict::Report(ReportStatus::Unparsed(
            "no tables found and no report year".into(),
        )),
    }
}

/// True when a table holds at least one value.
fn has_values(parsed: &ParsedReport) -> bool {
    [
        &parsed.tables.active,
        &parsed.tables.requests,
        &parsed.tables.appeals,
    ]
    .into_iter()
    .flatten()
    .any(|t| !t.is_blank())
}

/// The verdict on a document without tables whose text does not read as a report body.
fn not_a_body(e: &Evidence<'_>, chars: usize, class: TitleClass) -> Verdict {
    if e.redirect && chars < MIN_REPORT_CHARS {
        return Verdict::NotReport("a redirect page (meta refresh)".into());
    }
    if e.listing_url {
        return Verdict::NotReport("a listing page reached as a detail page".into());
    }
    if e.attachments > 0 {
        return Verdict::NotReport(format!("{ANNOUNCEMENT}: {}", e.title));
    }
    if class == TitleClass::Report && e.images > 0 && chars < MIN_REPORT_CHARS {
        return Verdict::Report(ReportStatus::Unparsed(
            "a report printed as images: no text to read".into(),
        ));
    }
    if chars < MIN_REPORT_CHARS {
        return Verdict::NotReport("no report body (too short)".into());
    }
    Verdict::NotReport("no report body: neither report tables nor report sections".into())
}

/// The verdict on a file whose text could not be read (`status` is `needs_ocr` or
/// `unparsed: …`): a report when the link that led to it says so, else not one.
pub fn of_unread(status: ReportStatus, title: Option<&str>) -> Verdict {
    let reportish = |t: &str| {
        matches!(
            title::classify(t),
            TitleClass::Report | TitleClass::Notice(NoticeKind::Other)
        )
    };
    if title.is_some_and(reportish) {
        Verdict::Report(status)
    } else {
        Verdict::NotReport(format!("{status}; title is not a report title"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence<'a>(text: &'a str, parsed: &'a ParsedReport, title: &'a str) -> Evidence<'a> {
        Evidence {
            text,
            parsed,
            title,
            attachments: 0,
            images: 0,
            redirect: false,
            listing_url: false,
        }
    }

    const BODY: &str = "一、总体情况\n本机关认真贯彻落实条例，主动公开政府信息，依法办理依申请公开，做好政府信息管理与平台建设工作，监督保障有力，全年未发生责任追究情况。本机关认真贯彻落实条例，主动公开政府信息，依法办理依申请公开，做好政府信息管理与平台建设工作，监督保障有力。\n二、主动公开政府信息情况\n本年主动公开信息一百二十条。\n三、依申请公开政府信息办理情况\n全年未收到申请。\n四、政府信息公开的收费及减免情况\n未收取费用。\n五、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n六、存在的主要问题及改进措施\n宣传不够。";

    fn legacy(year: i32) -> ParsedReport {
        ParsedReport {
            year: Some(year),
            format: Some(Format::Legacy),
            ..Default::default()
        }
    }

    #[test]
    fn a_report_body_without_tables_is_legacy_only_before_2019() {
        let title = "某县民政局2014年政府信息公开工作年度报告";
        let p = legacy(2014);
        assert_eq!(
            of_read(&evidence(BODY, &p, title)),
            Verdict::Report(ReportStatus::Legacy)
        );
        let p = legacy(2023);
        match of_read(&evidence(BODY, &p, title)) {
            Verdict::Report(ReportStatus::Unparsed(why)) => assert!(why.contains("2023"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pages_that_only_name_a_report_are_none() {
        let title = "某县民政局2023年政府信息公开工作年度报告";
        let p = legacy(2023);
        let text = "现将《某县民政局2023年政府信息公开工作年度报告》全文公布（详见附件）。";
        let mut e = evidence(text, &p, title);
        e.attachments = 1;
        assert!(of_read(&e).is_announcement());
        let mut e = evidence("跳转中", &p, title);
        e.redirect = true;
        assert!(!of_read(&e).is_report());
        assert!(!of_read(&evidence("文件不存在或已被删除", &p, title)).is_report());
    }

    #[test]
    fn notices_are_decided_on_the_whole_title() {
        let p = legacy(2023);
        for t in [
            "云溪县2023年度政府信息公开工作年度报告编制工作培训会",
            "关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明",
            "云溪县2023年度政府信息公开工作年度报告汇总发布说明",
            "云溪县2023年政府信息公开工作年度报告（英文版）",
            "云溪县2023年政府信息公开工作年度报告统计表",
        ] {
            assert!(!of_read(&evidence(BODY, &p, t)).is_report(), "{t}");
        }
    }
}
