//! Is it a report? The verdict on one analysed document: a report with its [`ReportStatus`]
//! (`parsed`, `legacy`, `unparsed: …`, `needs_ocr`), or not a report and why (a companion
//! page such as a 解读 or 通知, a blank template, a page without a report body).

use crate::extract::normalize::normalize;
use crate::model::{Format, ParsedReport, ReportStatus};
use crate::title::is_report_title;

/// Fewer normalised characters than this and a page is no report body (e.g. a note that
/// points at an attachment).
pub const MIN_REPORT_CHARS: usize = 200;

/// Titles of pages that accompany reports but are not reports.
const COMPANION_WORDS: &[&str] = &[
    "解读", "图解", "通知", "要点", "方案", "格式", "半年", "季度", "考核",
];

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
}

/// The verdict on a document whose text was read: `text` as extracted, `parsed` what the
/// parser made of it, `title` the best title known (the parsed one, else the page's or the
/// listing's).
pub fn of_read(text: &str, parsed: &ParsedReport, title: Option<&str>) -> Verdict {
    let title = parsed.title.as_deref().or(title).unwrap_or("");
    let tables: Vec<_> = [
        &parsed.tables.active,
        &parsed.tables.requests,
        &parsed.tables.appeals,
    ]
    .into_iter()
    .flatten()
    .collect();
    if COMPANION_WORDS.iter().any(|w| title.contains(w)) && !is_report_title(title) {
        return Verdict::NotReport(format!("companion page: {title}"));
    }
    if !tables.is_empty() && tables.iter().all(|t| t.is_blank()) {
        return Verdict::NotReport("template: every table cell is blank".into());
    }
    match parsed.format {
        Some(Format::F2021 | Format::F2019) => Verdict::Report(ReportStatus::Parsed),
        Some(Format::Legacy) => Verdict::Report(ReportStatus::Legacy),
        None if normalize(text).chars().count() < MIN_REPORT_CHARS => {
            Verdict::NotReport("no report body (too short)".into())
        }
        None if is_report_title(title) => {
            Verdict::Report(ReportStatus::Unparsed("no tables found".into()))
        }
        None => Verdict::NotReport("neither a report title nor report tables".into()),
    }
}

/// The verdict on a file whose text could not be read (`status` is `needs_ocr` or
/// `unparsed: …`): a report when the link that led to it says so, else not one.
pub fn of_unread(status: ReportStatus, title: Option<&str>) -> Verdict {
    if title.is_some_and(is_report_title) {
        Verdict::Report(status)
    } else {
        Verdict::NotReport(format!("{status}; title is not a report title"))
    }
}
