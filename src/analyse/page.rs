//! An HTML page: its body and metadata, the tables in the body, the files it links to, and
//! the verdict on the fullest title known (the page's `ArticleTitle`/`<h1>`, or the listing's
//! link text when that goes further). A page that is no report may still say something about
//! reports: an announcement names the report files it links to, a correction the report it
//! corrects ([`super::announce`]).

use crate::extract::charset;
use crate::extract::normalize::{bytes_id, content_id};
use crate::extract::page::extract_detail;
use crate::extract::sniff::DocKind;
use crate::model::{DocumentRole, ParsedReport, ReportStatus, Source};
use crate::parse::{self, Hints, Input};
use crate::title;

use super::announce::{self, MAX_ANNOUNCED};
use super::identity::{self, Sources};
use super::verdict::{self, Evidence};
use super::{fill_from_hints, Analysis, Document, Unread};

/// The fullest title of an item known by its page title and its link text.
fn fullest_title(page: Option<&str>, link: Option<&str>) -> Option<String> {
    match (page, link) {
        (Some(p), Some(l)) => {
            // The page's title unless only the link names a report; then whichever of the
            // two goes on where the other was cut.
            let primary = if !title::mentions_report(p) && title::mentions_report(l) {
                l
            } else {
                p
            };
            Some(title::fullest(primary, [p, l]).to_string())
        }
        (Some(p), None) => Some(p.to_string()),
        (None, l) => l.map(str::to_string),
    }
}

/// Analyse an HTML page (a detail page, or an HTML page served where a file was linked).
pub(super) fn analyse(doc: &Document<'_>) -> Analysis {
    let decoded = charset::decode(doc.bytes, doc.content_type);
    // Checked before the page's DOM is built: its memory grows with the page (parse::size).
    if let Err(too_large) = parse::check_size(Input::Html(&decoded.text)) {
        return too_large_page(doc, decoded, too_large);
    }
    let detail = extract_detail(&decoded.text, doc.url);
    let link = doc.listing_title.map(str::trim).filter(|t| !t.is_empty());
    let title = fullest_title(detail.title.as_deref(), link);
    let hints = Hints {
        title: title.clone(),
        agency: detail.agency.clone(),
    };
    let mut parsed = parse::parse(Input::Html(&detail.body_html), &hints);
    fill_from_hints(&mut parsed, &hints, detail.year);
    let files = detail.attachments.len();
    let verdict = verdict::of_read(&Evidence {
        text: &detail.body_text,
        parsed: &parsed,
        title: title.as_deref().unwrap_or(""),
        attachments: files,
        images: detail.images,
        redirect: detail.refresh.is_some(),
        listing_url: crate::discover::is_listing_url(doc.url) || files > MAX_ANNOUNCED,
    });
    let announces = if verdict.is_announcement() {
        announce::announced(&detail, title.as_deref())
    } else {
        Vec::new()
    };
    let notice = match (&verdict, title.as_deref()) {
        (verdict::Verdict::NotReport(_), Some(t)) => announce::correction(&detail, t),
        _ => None,
    };
    let mut identity = identity::of(
        &parsed,
        &Sources {
            page_title: detail.title.as_deref(),
            page_agency: detail.agency.as_deref(),
            page_published: detail.published.as_deref(),
            link,
            text: &detail.body_text,
        },
    );
    super::settle(&mut parsed, &verdict, title.as_deref(), &mut identity);
    let attachments = detail
        .attachments
        .iter()
        .cloned()
        .map(|mut link| {
            if link.text.trim().is_empty() {
                link.text = detail.title.clone().unwrap_or_default();
            }
            link
        })
        .collect();
    Analysis {
        id: content_id(&detail.body_text),
        checks: parse::checks::evaluate(&parsed.tables),
        text: detail.body_text,
        parsed,
        verdict,
        kind: DocKind::Html,
        role: doc.linked_as.unwrap_or(DocumentRole::Detail),
        source: Source::Html,
        filename: None,
        published: detail.published,
        parent_url: None,
        page_text: Some((decoded.encoding.name(), decoded.text)),
        attachments,
        unread: None,
        announces,
        notice,
        identity,
    }
}

/// An HTML page past the parser's size limits: not read, identified by its bytes, a report
/// `unparsed: too large to parse: …` when the link that led to it has a report title.
fn too_large_page(
    doc: &Document<'_>,
    decoded: charset::Decoded,
    too_large: parse::TooLarge,
) -> Analysis {
    let why = too_large.to_string();
    let title = doc.listing_title;
    let parsed = ParsedReport {
        title: title.map(str::to_string),
        year: title.and_then(crate::title::year),
        warnings: vec![why.clone()],
        ..Default::default()
    };
    let identity = identity::of(
        &parsed,
        &Sources {
            link: title,
            ..Default::default()
        },
    );
    Analysis {
        id: bytes_id(doc.bytes),
        text: String::new(),
        parsed,
        checks: Vec::new(),
        verdict: verdict::of_unread(ReportStatus::Unparsed(why.clone()), title),
        kind: DocKind::Html,
        role: doc.linked_as.unwrap_or(DocumentRole::Detail),
        source: Source::Html,
        filename: None,
        published: None,
        parent_url: None,
        page_text: Some((decoded.encoding.name(), decoded.text)),
        attachments: Vec::new(),
        unread: Some(Unread::Unreadable(why)),
        announces: Vec::new(),
        notice: None,
        identity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_text_extends_a_cut_page_title() {
        assert_eq!(
            fullest_title(
                Some("云溪县2023年度政府信息公开工作年度报告"),
                Some("云溪县2023年度政府信息公开工作年度报告编制工作培训会")
            )
            .as_deref(),
            Some("云溪县2023年度政府信息公开工作年度报告编制工作培训会")
        );
        assert_eq!(
            fullest_title(
                Some("云溪县2023年度政府信息公开工作年度报告编制工作培训会"),
                Some("云溪县2023年度政府信息公开工作年度报告")
            )
            .as_deref(),
            Some("云溪县2023年度政府信息公开工作年度报告编制工作培训会")
        );
        assert_eq!(fullest_title(None, Some("x")).as_deref(), Some("x"));
    }
}
