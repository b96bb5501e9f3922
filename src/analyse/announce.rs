//! Pages about reports that are not reports themselves, and what they say about which report.
//!
//! - An **announcement** ("现将《…年度报告》全文公布（详见附件）", a link, page furniture) keeps
//!   its report in attachments. Its URL belongs to each attached report, and what the page
//!   says about each file enriches that report's record: the page's date for every file; the
//!   title and agency only where they belong to that file — the file's own link text, the
//!   《》 title listed in the same position, or (one file only) the page's title and agency.
//!   One page announcing three agencies' reports never hands its single title to all three.
//! - A **correction** (关于…年度报告有关数据的更正说明) is linked from the report it corrects:
//!   the report it names (title, agency, year) and the page's date.

use url::Url;

use crate::extract::page::{AttachmentLink, DetailPage};
use crate::title::{self, NoticeKind, TitleClass};

/// What an announcement page says about one of the report files it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announced {
    /// The file.
    pub url: Url,
    /// The report title that belongs to this file, when the page gives one.
    pub title: Option<String>,
    /// The agency that belongs to this file.
    pub agency: Option<String>,
    /// The page's publication date.
    pub published: Option<String>,
}

/// A notice about a report (a correction), with the report it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What kind of notice.
    pub kind: NoticeKind,
    /// Its title, as the page gives it in full.
    pub title: String,
    /// The report title it names.
    pub report_title: Option<String>,
    /// The agency of that report.
    pub agency: Option<String>,
    /// That report's year.
    pub year: Option<i32>,
    /// The notice's publication date.
    pub published: Option<String>,
}

/// Most report files one announcement page links to; a page linking more is a listing.
pub const MAX_ANNOUNCED: usize = 12;

/// A link text as a report title: without "附件1：", the file extension and brackets.
fn link_title(link: &AttachmentLink) -> Option<String> {
    let t = title::compact(&link.text);
    let t = t
        .trim_start_matches(|c: char| !c.is_alphanumeric() || c.is_ascii_digit())
        .to_string();
    let t = t
        .strip_prefix("附件")
        .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit() || "：:、.-_ ".contains(c)))
        .map(str::to_string)
        .unwrap_or(t);
    let lower = t.to_ascii_lowercase();
    let t = [".pdf", ".docx", ".doc", ".wps", ".ofd", ".xlsx", ".xls"]
        .iter()
        .find_map(|ext| lower.ends_with(ext).then(|| &t[..t.len() - ext.len()]))
        .unwrap_or(&t);
    title::mentions_report(t).then(|| t.trim_matches(['《', '》']).to_string())
}

/// The 《》-quoted report titles of a text, in order.
fn quoted_titles(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let inner = &rest[open + '《'.len_utf8()..];
        let Some(close) = inner.find('》') else {
            break;
        };
        let quoted = title::compact(&inner[..close]);
        if title::is_report_title(&quoted) && !out.contains(&quoted) {
            out.push(quoted);
        }
        rest = &inner[close..];
    }
    out
}

/// The report title a page's own title gives (the title itself, or the report title it
/// wraps: 关于发布《…》的公告).
fn page_report_title(page_title: &str) -> Option<String> {
    match title::classify(page_title) {
        TitleClass::Report | TitleClass::Candidate => Some(title::compact(page_title)),
        TitleClass::Notice(_) => title::embedded_report(page_title),
        _ => None,
    }
}

/// What an announcement page says about each report file it links to.
pub fn announced(detail: &DetailPage, page_title: Option<&str>) -> Vec<Announced> {
    let files: Vec<&AttachmentLink> = detail.attachments.iter().collect();
    let listed = quoted_titles(&detail.body_text);
    let single = files.len() == 1;
    files
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let title = link_title(link)
                .or_else(|| (listed.len() == files.len()).then(|| listed[i].clone()))
                .or_else(|| {
                    single
                        .then(|| page_title.and_then(page_report_title))
                        .flatten()
                })
                .or_else(|| (single && listed.len() == 1).then(|| listed[0].clone()));
            let agency = title.as_deref().and_then(title::agency_of).or_else(|| {
                single
                    .then(|| {
                        detail
                            .agency
                            .clone()
                            .filter(|a| title::agency_name(a).is_some())
                    })
                    .flatten()
            });
            Announced {
                url: link.url.clone(),
                title,
                agency,
                published: detail.published.clone(),
            }
        })
        .collect()
}

/// The notice a page whose (fullest) title is `page_title` is, when it is a correction.
pub fn correction(detail: &DetailPage, page_title: &str) -> Option<Notice> {
    let TitleClass::Notice(kind @ NoticeKind::Correction) = title::classify(page_title) else {
        return None;
    };
    let report_title = title::embedded_report(page_title);
    let agency = report_title
        .as_deref()
        .and_then(title::agency_of)
        .or_else(|| detail.agency.clone());
    Some(Notice {
        kind,
        title: page_title.to_string(),
        year: report_title.as_deref().and_then(title::year),
        report_title,
        agency,
        published: detail.published.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, text: &str) -> AttachmentLink {
        AttachmentLink {
            url: Url::parse(href).expect("url"),
            text: text.into(),
        }
    }

    fn page(body: &str, links: Vec<AttachmentLink>) -> DetailPage {
        DetailPage {
            body_text: body.into(),
            attachments: links,
            agency: Some("云溪县人民政府办公室".into()),
            published: Some("2024-01-26".into()),
            ..Default::default()
        }
    }

    #[test]
    fn one_file_takes_the_page_title_and_agency() {
        let d = page(
            "现将《2023年度政府信息公开工作年度报告》全文公布（详见附件）。",
            vec![link("http://a/1.pdf", "附件.pdf")],
        );
        let a = announced(&d, Some("关于发布2023年度政府信息公开工作年度报告的公告"));
        assert_eq!(a.len(), 1);
        assert_eq!(
            a[0].title.as_deref(),
            Some("2023年度政府信息公开工作年度报告")
        );
        assert_eq!(a[0].agency.as_deref(), Some("云溪县人民政府办公室"));
        assert_eq!(a[0].published.as_deref(), Some("2024-01-26"));
    }

    #[test]
    fn several_files_get_their_own_titles_only() {
        let d = page(
            "现将《云溪县民政局2023年政府信息公开工作年度报告》《云溪县财政局2023年政府信息公开工作年度报告》《云溪县教育局2023年政府信息公开工作年度报告》予以公布。",
            vec![
                link("http://a/1.pdf", "附件1"),
                link("http://a/2.pdf", "附件2"),
                link("http://a/3.pdf", "附件3"),
            ],
        );
        let a = announced(&d, Some("云溪县部门2023年政府信息公开工作年度报告"));
        let agencies: Vec<_> = a.iter().map(|x| x.agency.as_deref()).collect();
        assert_eq!(
            agencies,
            [
                Some("云溪县民政局"),
                Some("云溪县财政局"),
                Some("云溪县教育局")
            ]
        );
        // Without titles in the body, the three files get only the date.
        let d = page("详见附件。", d.attachments.clone());
        let a = announced(&d, Some("云溪县部门2023年政府信息公开工作年度报告"));
        assert!(a.iter().all(|x| x.title.is_none() && x.agency.is_none()));
        assert!(a.iter().all(|x| x.published.is_some()));
        // Link texts that are titles win.
        let d = page(
            "详见附件。",
            vec![
                link(
                    "http://a/1.pdf",
                    "附件1：云溪县民政局2023年政府信息公开工作年度报告.pdf",
                ),
                link(
                    "http://a/2.pdf",
                    "云溪县财政局2023年政府信息公开工作年度报告.docx",
                ),
            ],
        );
        let a = announced(&d, None);
        assert_eq!(
            a[0].title.as_deref(),
            Some("云溪县民政局2023年政府信息公开工作年度报告")
        );
        assert_eq!(a[1].agency.as_deref(), Some("云溪县财政局"));
    }

    #[test]
    fn corrections_name_their_report() {
        let d = page("经核查，表三数据有误，现更正如下。", vec![]);
        let n = correction(
            &d,
            "关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明",
        )
        .expect("a correction");
        assert_eq!(n.agency.as_deref(), Some("云溪县民政局"));
        assert_eq!(n.year, Some(2023));
        assert!(correction(&d, "云溪县2023年度政府信息公开工作年度报告编制工作培训会").is_none());
    }
}
