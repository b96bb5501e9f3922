//! Where a report's title, agency and publication date came from, and the doubts about them
//! and about the verdict, so a record says when it is unsure rather than guessing silently.
//!
//! Sources, best first for each field: the document's own title line (`document`), the detail
//! page's metadata (`page`: `ArticleTitle`, `<h1>`, `ContentSource`, 发布机构, `PubDate`), the
//! link that led to the document (`link`: a listing's or attachment's link text) and, for a
//! report file, the page that announces it (`announcement`). The archive stores an
//! [`Identity`] as JSON beside the report and the export shows it (`provenance`, `uncertain`).

use serde::{Deserialize, Serialize};

use crate::model::ParsedReport;
use crate::title::{agency_of, compact, mentions_report};

/// The document's own text (its title line, the first sentence naming the report).
pub const DOCUMENT: &str = "document";
/// The detail page's metadata.
pub const PAGE: &str = "page";
/// The link text that led to the document.
pub const LINK: &str = "link";
/// The page announcing a report file.
pub const ANNOUNCEMENT: &str = "announcement";

/// Where the identifying fields of a report came from, and the doubts about them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Source of the title (`document`, `page`, `link`, `announcement`), `None` when unknown.
    pub title: Option<String>,
    /// Source of the agency.
    pub agency: Option<String>,
    /// Source of the publication date.
    pub published: Option<String>,
    /// What the analysis was unsure about, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

impl Identity {
    /// Add a doubt unless it is already there.
    pub fn doubt(&mut self, doubt: impl Into<String>) {
        let d = doubt.into();
        if !self.doubts.contains(&d) {
            self.doubts.push(d);
        }
    }
}

/// What a document's analysis knew besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sources<'a> {
    /// The detail page's title (`None` for a file).
    pub page_title: Option<&'a str>,
    /// The detail page's agency metadata.
    pub page_agency: Option<&'a str>,
    /// The detail page's publication date.
    pub page_published: Option<&'a str>,
    /// The link text that led here.
    pub link: Option<&'a str>,
    /// The document's text.
    pub text: &'a str,
}

/// True when `whole` (compacted) contains `part` (compacted).
fn holds(whole: Option<&str>, part: &str) -> bool {
    whole.is_some_and(|w| compact(w).contains(&compact(part)))
}

/// The identity of a parsed report: which source its title and agency match, and doubts.
pub fn of(parsed: &ParsedReport, sources: &Sources<'_>) -> Identity {
    let mut id = Identity::default();
    if let Some(title) = parsed.title.as_deref() {
        let head: String = sources.text.chars().take(4000).collect();
        id.title = Some(
            if holds(sources.page_title, title) {
                PAGE
            } else if holds(Some(head.as_str()), title) || !holds(sources.link, title) {
                DOCUMENT
            } else {
                LINK
            }
            .to_string(),
        );
        if id.title.as_deref() == Some(LINK) {
            id.doubt("the title comes only from the link text");
        }
        if !mentions_report(title) {
            id.doubt(format!("the title {title:?} does not name a report"));
        }
    } else {
        id.doubt("no report title found in the document or its page");
    }
    match parsed.agency.as_deref() {
        Some(agency) => {
            let from_title = parsed
                .title
                .as_deref()
                .and_then(agency_of)
                .is_some_and(|a| a == agency);
            id.agency = Some(if from_title {
                id.title.clone().unwrap_or_else(|| DOCUMENT.into())
            } else if sources.page_agency == Some(agency) {
                PAGE.into()
            } else {
                DOCUMENT.into()
            });
            if let Some(page) = sources.page_agency {
                let (a, p) = (compact(agency), compact(page));
                if !a.contains(&p) && !p.contains(&a) {
                    id.doubt(format!(
                        "agency: the report names {agency}, the page's metadata {page}"
                    ));
                }
            }
        }
        None => id.doubt("agency unknown: neither a title nor the page's metadata names it"),
    }
    if sources.page_published.is_some() {
        id.published = Some(PAGE.into());
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_doubts() {
        let parsed = ParsedReport {
            title: Some("云溪县民政局2023年政府信息公开工作年度报告".into()),
            agency: Some("云溪县民政局".into()),
            ..Default::default()
        };
        let id = of(
            &parsed,
            &Sources {
                page_title: Some("云溪县民政局2023年政府信息公开工作年度报告"),
                page_agency: Some("云溪县人民政府办公室"),
                page_published: Some("2024-01-26"),
                link: None,
                text: "",
            },
        );
        assert_eq!(id.title.as_deref(), Some(PAGE));
        assert_eq!(id.agency.as_deref(), Some(PAGE));
        assert_eq!(id.published.as_deref(), Some(PAGE));
        assert_eq!(id.doubts.len(), 1, "{:?}", id.doubts);
        let id = of(&ParsedReport::default(), &Sources::default());
        assert_eq!(id.title, None);
        assert_eq!(id.doubts.len(), 2);
    }
}
