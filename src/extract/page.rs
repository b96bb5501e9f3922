//! Detail pages: the report body without page furniture, and the page's metadata (title,
//! publish date, agency, report year, attachment links).
//!
//! Layout: `body` picks the container, `render` turns it into HTML and pipe-row text,
//! `meta` reads title/date/agency; this file ties them together and finds attachments.

mod body;
mod meta;
mod render;

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::extract::attachment::{document_ext, file_name_from_url};
use crate::title;

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
    /// Images in the body (a report printed as images has little text and many).
    pub images: usize,
    /// Where a `<meta http-equiv="refresh">` sends the reader, if the page has one.
    pub refresh: Option<Url>,
}

/// Extract the report body and metadata of a detail page at `url`.
pub fn extract_detail(html: &str, url: &Url) -> DetailPage {
    let doc = Html::parse_document(html);
    let skips = render::Skips::of(doc.root_element());
    let (body_html, body_text) = match body::marked_fragment(html) {
        Some(frag) => {
            let frag = Html::parse_fragment(frag);
            let root = frag.root_element();
            let skips = render::Skips::of(root);
            (render::inner_html(root, &skips), render::text(root, &skips))
        }
        None => {
            let weights = render::Weights::of(doc.root_element(), &skips);
            let el = body::known_container(&doc, &weights)
                .unwrap_or_else(|| body::densest(&doc, &skips, &weights));
            (render::inner_html(el, &skips), render::text(el, &skips))
        }
    };
    let (body_html, body_text) = match config_content(html) {
        Some(frag) if body_text.chars().count() < 50 => {
            let frag = Html::parse_fragment(&frag);
            let root = frag.root_element();
            let skips = render::Skips::of(root);
            (render::inner_html(root, &skips), render::text(root, &skips))
        }
        _ => (body_html, body_text),
    };
    let page_text = page_text(&doc, &skips);
    let m = meta::read(&doc, &page_text);
    let year = m
        .title
        .as_deref()
        .and_then(title::year)
        .or_else(|| period_year(&body_text));
    DetailPage {
        title: m.title,
        published: m.published,
        agency: m.agency,
        year,
        images: body_html.matches("<img").count(),
        body_html,
        body_text,
        attachments: attachments(&doc, url),
        refresh: refresh(&doc, url),
    }
}

/// The target of `<meta http-equiv="refresh" content="0;url=…">` (a redirect page, "跳转中").
fn refresh(doc: &Html, page: &Url) -> Option<Url> {
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)url\s*=\s*['"]?([^'";\s]+)"#).expect("constant regex"));
    let sel = Selector::parse("meta[http-equiv][content]").ok()?;
    let content = doc
        .select(&sel)
        .find(|m| {
            m.attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        })?
        .attr("content")?;
    let target = URL.captures(content)?.get(1)?.as_str();
    page.join(target).ok()
}

/// The report files the detail page at `url` links to: the attachments [`extract_detail`]
/// finds, without extracting the body — what a fetch-only crawl needs to go on.
pub fn attachment_links(html: &str, url: &Url) -> Vec<AttachmentLink> {
    // A page past the parser's size limits is not read (its DOM would grow with it).
    if !may_link_documents(html)
        || crate::parse::check_size(crate::parse::Input::Html(html)).is_err()
    {
        return Vec::new();
    }
    attachments(&Html::parse_document(html), url)
}

/// False only when no link on the page can name a report file, so the DOM parse can be
/// skipped: no `.pdf`, `.doc`, … (any case) anywhere in the text, and nothing that could spell
/// one once decoded (a percent-encoded dot, a numeric character reference, `&period;`).
/// [`crate::extract::attachment::document_ext`] only accepts names ending in such an extension.
fn may_link_documents(html: &str) -> bool {
    use crate::extract::attachment::DOCUMENT_EXTS;
    if html.contains("&#") || html.contains("&per") {
        return true;
    }
    let bytes = html.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        let after = &bytes[i + 1..];
        match b {
            b'.' => {
                after.first() == Some(&b'%')
                    || DOCUMENT_EXTS.iter().any(|ext| {
                        after.len() >= ext.len()
                            && after[..ext.len()].eq_ignore_ascii_case(ext.as_bytes())
                    })
            }
            b'%' => after.len() >= 2 && after[..2].eq_ignore_ascii_case(b"2e"),
            _ => false,
        }
    })
}

/// gkmlpt pages rendered by script: the article HTML as a JSON string in
/// `window._CONFIG = { …, DETAIL: { "content": "\u003Cp\u003E…" } }`.
fn config_content(html: &str) -> Option<String> {
    static CONTENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""content"\s*:\s*("(?:[^"\\]|\\.)*")"#).expect("constant regex")
    });
    let at = html.find("_CONFIG")?;
    let quoted = CONTENT.captures(html.get(at..)?)?.get(1)?.as_str();
    let content: String = serde_json::from_str(quoted).ok()?;
    (!content.trim().is_empty()).then_some(content)
}

/// The whole page as text (for "信息来源：" and "发布日期：" lines outside the body).
fn page_text(doc: &Html, skips: &render::Skips) -> String {
    Selector::parse("body")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|b| render::raw_text(b, skips))
        .unwrap_or_default()
}

/// The report year from the statistics period in the body ("统计期限自2023年1月1日至…",
/// "本报告所列数据从2024年1月1日至12月31日"), for titles without a year.
fn period_year(text: &str) -> Option<i32> {
    static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)")
            .expect("constant regex")
    });
    let head: String = text.chars().take(3000).collect();
    PERIOD
        .captures(&head)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse().ok())
}

/// id/class fragments of page regions whose links are not the article's attachments.
const CHROME_MARKS: &[&str] = &[
    "header", "footer", "foot", "nav", "menu", "sidebar", "yqlj", "links", "bottom",
];

fn in_chrome(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        let name = v.name();
        let marks = |s: &str| {
            let s = s.to_ascii_lowercase();
            CHROME_MARKS.iter().any(|m| s.contains(m))
        };
        matches!(name, "header" | "footer" | "nav")
            || v.id().is_some_and(marks)
            || v.classes().any(marks)
    })
}

/// pdf.js and similar viewers: `viewer.html?file=/a/b.pdf` → the file itself.
fn unwrap_viewer(url: Url) -> Url {
    let last = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("")
        .to_string();
    if crate::extract::attachment::ext_of(&last).is_some() {
        return url;
    }
    let inner = url
        .query_pairs()
        .find(|(k, v)| {
            k.eq_ignore_ascii_case("file") && crate::extract::attachment::ext_of(v).is_some()
        })
        .and_then(|(_, v)| url.join(&v).ok());
    inner.unwrap_or(url)
}

/// Report files linked from the page (outside header, footer and navigation).
fn attachments(doc: &Html, page: &Url) -> Vec<AttachmentLink> {
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|b| b.attr("href"))
                .and_then(|h| page.join(h).ok())
        })
        .unwrap_or_else(|| page.clone());
    let mut out: Vec<AttachmentLink> = Vec::new();
    let Ok(sel) = Selector::parse("a[href], iframe[src], embed[src], object[data]") else {
        return out;
    };
    for el in doc.select(&sel) {
        let href = el
            .attr("href")
            .or_else(|| el.attr("src"))
            .or_else(|| el.attr("data"))
            .unwrap_or("");
        let href = href.trim().replace("&amp;", "&");
        let lower = href.to_ascii_lowercase();
        if href.is_empty()
            || lower.starts_with("javascript:")
            || lower.starts_with("mailto:")
            || href.starts_with('#')
        {
            continue;
        }
        let Ok(mut url) = base.join(&href) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https")
            || document_ext(&url).is_none()
            || in_chrome(el)
        {
            continue;
        }
        url.set_fragment(None);
        let url = unwrap_viewer(url);
        if out.iter().any(|a| a.url == url) {
            continue;
        }
        let text = el
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let text = if text.is_empty() {
            el.attr("title")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .or_else(|| file_name_from_url(&url))
                .unwrap_or_default()
        } else {
            text
        };
        out.push(AttachmentLink { url, text });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn attachment_links_are_the_attachments_extract_detail_finds() {
        let page = u("http://127.0.0.1/col/art/2024/art_1_2.html");
        for link in [
            r#"<a href="/files/report.pdf">年报.pdf</a>"#,
            r#"<a href="/files/REPORT.DOCX">年报</a>"#,
            r#"<a href="/module/download/downfile.jsp?classid=0&amp;filename=ab.wps">下载</a>"#,
            r#"<a href="/files/report%2Epdf">percent-encoded dot</a>"#,
            r#"<a href="/files/report&#46;pdf">character reference</a>"#,
            r#"<a href="/files/report&period;pdf">named reference</a>"#,
            r#"<iframe src="/pdfjs/web/viewer.html?file=/files/r.pdf"></iframe>"#,
        ] {
            let html = format!(
                "<html><body><div class=\"header\"><a href=\"/guide.pdf\">指南</a></div>\
                 <div id=\"zoom\"><p>一、总体情况</p>{link}</div></body></html>"
            );
            let full = extract_detail(&html, &page).attachments;
            assert_eq!(full.len(), 1, "{link}: {full:?}");
            assert_eq!(attachment_links(&html, &page), full, "{link}");
        }
    }

    #[test]
    fn pages_without_document_names_skip_the_parse() {
        let plain = "<html><body><a href=\"/a/t20240101_1.html\">2023年年报</a>\
                     <p style=\"width:100%\">本局 www.gov.cn</p></body></html>";
        assert!(!may_link_documents(plain));
        assert!(attachment_links(plain, &u("http://127.0.0.1/")).is_empty());
        for maybe in [
            "x.pdf", "X.Pdf", "a.et", "b.%70df", "c%2Epdf", "&#112;", "&period;",
        ] {
            assert!(may_link_documents(maybe), "{maybe}");
        }
    }

    #[test]
    fn hanweb_detail() {
        let html = r#"<html><head><title>某县人民政府_政府信息公开年报_某县统计局2023年政府信息公开工作年度报告</title>
        <meta name="ArticleTitle" content="某县统计局2023年政府信息公开工作年度报告"><meta name="PubDate" content="2024-01-26 10:18">
        <meta name="ContentSource" content="某县统计局"></head><body>
        <div class="header"><a href="/">首页</a><a href="/guide.pdf">政府信息公开指南.pdf</a></div>
        <div class="position">您当前的位置：首页 &gt; 信息公开 &gt; 年报</div>
        <div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
        <p>一、总体情况</p><p>2023年，本局主动公开政府信息120条。</p><table><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>
        <a href="/module/download/downfile.jsp?classid=0&amp;filename=3f2a9c0d4b6e4f1a8c7d2e5b9a0c1d2e.pdf">某县统计局2023年年报.pdf</a>
        <meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--><div class="bdshare">分享到：</div></div>
        <div class="footer">主办单位：某县人民政府办公室</div></body></html>"#;
        let d = extract_detail(
            html,
            &u("https://www.example.gov.cn/art/2024/1/26/art_12377_1486865.html"),
        );
        assert_eq!(
            d.title.as_deref(),
            Some("某县统计局2023年政府信息公开工作年度报告")
        );
        assert_eq!(d.year, Some(2023));
        assert_eq!(d.agency.as_deref(), Some("某县统计局"));
        assert_eq!(d.published.as_deref(), Some("2024-01-26"));
        assert!(
            d.body_text.starts_with("一、总体情况\n2023年，本局"),
            "{}",
            d.body_text
        );
        assert!(d.body_text.contains("规章 | 0 | 0 | 0"));
        assert!(!d.body_text.contains("分享") && !d.body_text.contains("位置"));
        assert!(d.body_html.contains("<table>"));
        assert_eq!(d.attachments.len(), 1, "{:?}", d.attachments);
        assert_eq!(d.attachments[0].text, "某县统计局2023年年报.pdf");
        assert_eq!(
            d.attachments[0].url.as_str(),
            "https://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=3f2a9c0d4b6e4f1a8c7d2e5b9a0c1d2e.pdf"
        );
    }

    #[test]
    fn gkmlpt_script_rendered_body() {
        let html = r#"<html><head><title>东湖区教育局2023年政府信息公开工作年度报告</title></head><body><div id="app"></div>
        <script>window._CONFIG = { SID: '752001', DETAIL: {"id": 1, "title": "x", "content": "\u003Cp\u003E一、总体情况\u003C/p\u003E\u003Ctable\u003E\u003Ctr\u003E\u003Ctd\u003E规章\u003C/td\u003E\u003Ctd\u003E0\u003C/td\u003E\u003C/tr\u003E\u003C/table\u003E"} };</script></body></html>"#;
        let d = extract_detail(html, &u("http://a.gov.cn/gkmlpt/content/0/1/post_1.html"));
        assert_eq!(d.body_text, "一、总体情况\n规章 | 0");
        assert!(d.body_html.contains("<table>"));
        assert_eq!(d.year, Some(2023));
    }

    #[test]
    fn redirect_pages() {
        let html = r#"<html><head><meta http-equiv="Refresh" content="0; URL='../202401/t20240126_7.html'"></head><body>跳转中</body></html>"#;
        let d = extract_detail(html, &u("http://a.gov.cn/col/202402/t20240201_1.html"));
        assert_eq!(
            d.refresh.map(|u| u.to_string()).as_deref(),
            Some("http://a.gov.cn/col/202401/t20240126_7.html")
        );
        assert_eq!(d.body_text, "跳转中");
    }

    #[test]
    fn year_from_period_when_title_has_none() {
        assert_eq!(
            period_year("本年度报告中所列数据的统计期限:2024年1月1日至2024年12月31日。"),
            Some(2024)
        );
        assert_eq!(period_year("发布时间：2017-10-23"), None);
    }

    #[test]
    fn viewer_and_trs_links() {
        let html = r#"<div class="TRS_Editor"><p>正文内容正文内容正文内容正文内容正文内容</p></div>
        <div class="list_fj"><a href="./P020240126512345678901.pdf">附件：2023年年报</a>
        <iframe src="/pdfjs/web/viewer.html?file=/attach/a.pdf"></iframe></div>"#;
        let d = extract_detail(html, &u("http://a.gov.cn/col/202401/t20240126_1.html"));
        let urls: Vec<&str> = d.attachments.iter().map(|a| a.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "http://a.gov.cn/col/202401/P020240126512345678901.pdf",
                "http://a.gov.cn/attach/a.pdf"
            ]
        );
    }
}
