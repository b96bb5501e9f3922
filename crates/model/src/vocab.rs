//! The vocabularies the archive stores as text and every stage speaks as types: where a
//! report's text came from ([`Source`]), how far reading it went ([`ReportStatus`]), how a
//! document relates to its report ([`DocumentRole`]), how a crawl run ended ([`RunStatus`]).

use serde::{Deserialize, Serialize};

/// Where a report's text came from (SPEC §4 `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An HTML detail page.
    Html,
    /// A PDF attachment.
    Pdf,
    /// A DOCX attachment.
    Docx,
    /// A legacy binary Word attachment.
    Doc,
    /// A WPS attachment.
    Wps,
    /// A plain text file (`nianbao parse FILE.txt`).
    Text,
}

impl Source {
    /// SPEC spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Html => "html",
            Source::Pdf => "pdf",
            Source::Docx => "docx",
            Source::Doc => "doc",
            Source::Wps => "wps",
            Source::Text => "text",
        }
    }

    /// Inverse of [`Source::as_str`].
    pub fn parse(s: &str) -> Option<Source> {
        [
            Source::Html,
            Source::Pdf,
            Source::Docx,
            Source::Doc,
            Source::Wps,
            Source::Text,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What a stored report is, as far as reading it went (archive `reports.status`, the export's
/// `status`). Spelled as text only where it is stored or exported ([`ReportStatus::as_str`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// Its tables were read in the 2019 or 2021 layout.
    Parsed,
    /// A report from before 2019: narrative and local tables, no fixed form.
    Legacy,
    /// A report whose tables could not be read, and why (`no tables found`, `pdf (…)`).
    Unparsed(String),
    /// A scanned attachment without a text layer.
    NeedsOcr,
    /// Not a report (a page that accompanies reports, a template, a notice).
    NotReport,
}

impl ReportStatus {
    /// The stored spelling: `parsed`, `legacy`, `unparsed: <why>`, `needs_ocr`, `not_report`.
    pub fn as_str(&self) -> std::borrow::Cow<'static, str> {
        match self {
            ReportStatus::Parsed => "parsed".into(),
            ReportStatus::Legacy => "legacy".into(),
            ReportStatus::Unparsed(why) => format!("unparsed: {why}").into(),
            ReportStatus::NeedsOcr => "needs_ocr".into(),
            ReportStatus::NotReport => "not_report".into(),
        }
    }

    /// Inverse of [`ReportStatus::as_str`]; `None` for text it never writes.
    pub fn parse(s: &str) -> Option<ReportStatus> {
        Some(match s {
            "parsed" => ReportStatus::Parsed,
            "legacy" => ReportStatus::Legacy,
            "needs_ocr" => ReportStatus::NeedsOcr,
            "not_report" => ReportStatus::NotReport,
            "unparsed" => ReportStatus::Unparsed(String::new()),
            _ => ReportStatus::Unparsed(s.strip_prefix("unparsed: ")?.to_string()),
        })
    }

    /// A stored status, read leniently: text this version never writes (an older archive's
    /// `not_report: why`, say) is read for what it says.
    pub fn from_stored(s: &str) -> ReportStatus {
        ReportStatus::parse(s).unwrap_or_else(|| {
            if s.starts_with("not_report") {
                ReportStatus::NotReport
            } else {
                ReportStatus::Unparsed(s.to_string())
            }
        })
    }

    /// True for the statuses of a report whose tables were read (`parsed`, `legacy`).
    pub fn is_read(&self) -> bool {
        matches!(self, ReportStatus::Parsed | ReportStatus::Legacy)
    }
}

impl std::fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl Serialize for ReportStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

/// How a document relates to the report it holds (archive `report_urls.kind`): the detail page
/// a listing links to, or a file attached to such a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentRole {
    /// A detail page (HTML) linked from a listing.
    Detail,
    /// A file (PDF, DOCX, …) linked from a detail page or a listing.
    Attachment,
}

impl DocumentRole {
    /// The stored spelling: `detail` or `attachment`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentRole::Detail => "detail",
            DocumentRole::Attachment => "attachment",
        }
    }

    /// Inverse of [`DocumentRole::as_str`].
    pub fn parse(s: &str) -> Option<DocumentRole> {
        match s {
            "detail" => Some(DocumentRole::Detail),
            "attachment" => Some(DocumentRole::Attachment),
            _ => None,
        }
    }
}

/// How a crawl run ended (archive `runs.status`, the crawl's summary). Anything but
/// [`RunStatus::Done`] leaves work that the next `nianbao crawl` resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Still running, or killed (the next crawl marks it interrupted).
    Running,
    /// Nothing left to fetch.
    Done,
    /// Stopped at `--max-pages`.
    Partial,
    /// Stopped by Ctrl-C or a signal.
    Interrupted,
    /// Stopped by an error that would not go away (a full disk, an unwritable archive).
    Failed,
}

impl RunStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Partial => "partial",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Failed => "failed",
        }
    }

    /// Inverse of [`RunStatus::as_str`].
    pub fn parse(s: &str) -> Option<RunStatus> {
        [
            RunStatus::Running,
            RunStatus::Done,
            RunStatus::Partial,
            RunStatus::Interrupted,
            RunStatus::Failed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
