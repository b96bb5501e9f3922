//! Analysis: what a fetched document is and what it says.
//!
//! Takes one document's bytes with what the fetch knew about them ([`Document`]: its URL,
//! `Content-Type` and `Content-Disposition`, the listing's link text, whether it was linked as
//! a detail page or as an attachment) and gives an [`Analysis`]: whether it is a report and
//! why ([`verdict`]), its text and content id, its tables read into the SPEC cells, their
//! consistency checks, and what is stored beside the report (title, agency, year, publication
//! date, file name, the report files a page links to), where its title, agency and date came
//! from and what the analysis doubted ([`identity`]), and — for a page that is no report —
//! what it says about reports ([`announce`]: the files an announcement carries, the report a
//! correction names). HTML pages are read in `page.rs`, files here.
//!
//! One entry point, [`document`], for everything that reads a document: the crawl as each
//! response arrives, the backlog a fetch-only crawl leaves ([`crate::crawl::backlog`]),
//! `nianbao parse FILE` and `nianbao reparse`. It is pure apart from the external converters
//! report files go through ([`crate::extract::file`]): nothing here fetches or stores. The
//! archive stores an analysis ([`crate::archive::ingest`]).
//!
//! The stage runs extract (bytes → text and page metadata) and parse (text → tables, checks)
//! and judges the result; judgements about a report that look beyond its own tables (the
//! findings of SPEC §6) belong here too, one module each.

pub mod announce;
pub mod findings;
pub mod identity;
mod page;
pub mod verdict;

use url::Url;

use crate::extract::attachment;
use crate::extract::file::{self, FileText};
use crate::extract::normalize::{bytes_id, content_id};
use crate::extract::page::AttachmentLink;
use crate::extract::sniff::{sniff, DocKind};
use crate::model::{Check, DocumentRole, ParsedReport, ReportStatus, Source};
use crate::parse::{self, Hints, Input};
pub use announce::{Announced, Notice};
pub use identity::Identity;
pub use verdict::Verdict;

/// A document to analyse, with what its fetch knew about it.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// Where the bytes came from (after redirects); a `file:` URL for a local file.
    pub url: &'a Url,
    /// The body as received (transfer coding removed).
    pub bytes: &'a [u8],
    /// `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// `Content-Disposition` header, raw (an attachment's file name may be GBK).
    pub content_disposition: Option<&'a [u8]>,
    /// The text of the link that led here (a listing's title, an attachment's link text).
    pub listing_title: Option<&'a str>,
    /// How it was linked; `None` for a local file, read as what its bytes are.
    pub linked_as: Option<DocumentRole>,
    /// For a linked file: the page that linked it.
    pub linked_from: Option<&'a str>,
}

/// Why a file's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// No text layer: a scan.
    NeedsOcr,
    /// A format or file the extractors cannot read, or a page too large to parse, and why.
    Unreadable(String),
}

/// What the analysis made of one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Content id: the hash of the normalised text (of the bytes when no text was read).
    pub id: String,
    /// The report text as stored (search, reparse, findings).
    pub text: String,
    /// Title, agency, year, format, tables and parse warnings.
    pub parsed: ParsedReport,
    /// The consistency checks of this report alone (SPEC §3).
    pub checks: Vec<Check>,
    /// Report or not.
    pub verdict: Verdict,
    /// What the bytes are.
    pub kind: DocKind,
    /// Detail page or attachment.
    pub role: DocumentRole,
    /// SPEC §4 `source`.
    pub source: Source,
    /// A file's own name (`Content-Disposition`, the link text, the URL).
    pub filename: Option<String>,
    /// Publication date the page states.
    pub published: Option<String>,
    /// For a file: the page that linked it.
    pub parent_url: Option<String>,
    /// For an HTML page: the encoding it was decoded from and the decoded page (stored with it).
    pub page_text: Option<(&'static str, String)>,
    /// Report files an HTML page links to; a link without text is named after the page.
    pub attachments: Vec<AttachmentLink>,
    /// For a file whose text could not be read: why.
    pub unread: Option<Unread>,
    /// For a page announcing reports kept in its attachments: what it says about each file
    /// (the archive adds the page's URL and this metadata to each file's report).
    pub announces: Vec<Announced>,
    /// For a notice about a report (a correction): the report it names.
    pub notice: Option<Notice>,
    /// Where the title, agency and publication date came from, and doubts.
    pub identity: Identity,
}

impl Analysis {
    /// For an HTML page: the encoding it was decoded from and the decoded page, as stored on
    /// the page row.
    pub fn page_text(&self) -> (Option<&'static str>, Option<&str>) {
        match &self.page_text {
            Some((encoding, text)) => (Some(*encoding), Some(text.as_str())),
            None => (None, None),
        }
    }
}

/// Analyse one document.
pub fn document(doc: &Document<'_>) -> Analysis {
    let kind = sniff(doc.bytes, doc.url.path(), doc.content_type);
    let as_page = kind == DocKind::Html
        || (kind == DocKind::Text && doc.linked_as == Some(DocumentRole::Detail));
    let mut out = if as_page {
        page::analyse(doc)
    } else {
        file(doc, kind)
    };
    if out.role == DocumentRole::Attachment {
        // The file's own name: Content-Disposition (GBK and RFC 5987 forms decoded), else the
        // link text, else the URL's last segment or `filename=` parameter.
        out.filename = doc
            .content_disposition
            .and_then(attachment::content_disposition_filename)
            .or_else(|| doc.listing_title.map(str::to_string))
            .or_else(|| attachment::file_name_from_url(doc.url));
        out.parent_url = doc.linked_from.map(str::to_string);
    }
    out
}

/// A report file (PDF, DOCX, DOC, WPS, text): its text and tables, or why they cannot be read.
fn file(doc: &Document<'_>, kind: DocKind) -> Analysis {
    let title = doc.listing_title;
    let hints = Hints {
        title: title.map(str::to_string),
        agency: None,
    };
    // A file without readable text is identified by its bytes.
    let unread = |why: Unread, status: ReportStatus| {
        let parsed = ParsedReport {
            title: title.map(str::to_string),
            ..Default::default()
        };
        let verdict = verdict::of_unread(status, title);
        (
            bytes_id(doc.bytes),
            String::new(),
            parsed,
            verdict,
            Some(why),
        )
    };
    let parse_file = |input: Input<'_>| {
        let mut parsed = parse::parse(input, &hints);
        fill_from_hints(&mut parsed, &hints, None);
        parsed
    };
    let judge = |text: &str, parsed: &ParsedReport| {
        verdict::of_read(&verdict::Evidence {
            text,
            parsed,
            title: title.unwrap_or(""),
            attachments: 0,
            images: 0,
            redirect: false,
            listing_url: false,
        })
    };
    let (id, text, parsed, verdict, unread) = match file::read(kind, doc.bytes) {
        FileText::Text(text) => {
            let parsed = parse_file(Input::Text(&text));
            let verdict = judge(&text, &parsed);
            (content_id(&text), text, parsed, verdict, None)
        }
        FileText::Grids(grids, text) => {
            let parsed = parse_file(Input::Grids {
                grids: &grids,
                text: &text,
            });
            let verdict = judge(&text, &parsed);
            (content_id(&text), text, parsed, verdict, None)
        }
        FileText::NeedsOcr => unread(Unread::NeedsOcr, ReportStatus::NeedsOcr),
        FileText::Unreadable(why) => {
            let status = ReportStatus::Unparsed(why.clone());
            unread(Unread::Unreadable(why), status)
        }
    };
    let mut parsed = parsed;
    let mut identity = identity::of(
        &parsed,
        &identity::Sources {
            link: title,
            text: &text,
            ..Default::default()
        },
    );
    settle(&mut parsed, &verdict, title, &mut identity);
    Analysis {
        id,
        checks: parse::checks::evaluate(&parsed.tables),
        text,
        parsed,
        verdict,
        kind,
        role: DocumentRole::Attachment,
        source: source_of(kind),
        filename: None,
        published: None,
        parent_url: None,
        page_text: None,
        attachments: Vec::new(),
        unread,
        announces: Vec::new(),
        notice: None,
        identity,
    }
}

/// Title and agency the body does not name come from the page or the listing; the year from
/// the page's title. A hint that names no report ("附件1.pdf", "点击下载") is no title.
fn fill_from_hints(parsed: &mut ParsedReport, hints: &Hints, year: Option<i32>) {
    if parsed.title.is_none() {
        parsed.title = hints
            .title
            .clone()
            .filter(|t| crate::title::mentions_report(t));
    }
    if parsed.agency.is_none() {
        parsed.agency = hints.agency.clone();
    }
    if parsed.year.is_none() {
        parsed.year = year;
    }
}

/// What a verdict implies for the parse: no `legacy` layout for a report year of 2019 or later
/// (the status says what is missing), and a doubt on a report kept on its tables although its
/// (fullest) `title` reads as a notice or names only 政务公开.
fn settle(
    parsed: &mut ParsedReport,
    verdict: &Verdict,
    title: Option<&str>,
    identity: &mut Identity,
) {
    use crate::title::{classify, TitleClass};
    let from_2019 = parsed.year.is_some_and(|y| y >= verdict::FIRST_TABLE_YEAR);
    if parsed.format == Some(crate::model::Format::Legacy) && from_2019 {
        parsed.format = None;
    }
    if !verdict.is_report() {
        return;
    }
    match title.map(|t| (t, classify(t))) {
        Some((t, TitleClass::Notice(kind))) => identity.doubt(format!(
            "kept as a report on its tables although its title reads as a notice ({}): {t}",
            kind.reason()
        )),
        Some((_, TitleClass::Candidate)) => {
            identity.doubt("titled a 政务公开 report: kept because it has the statutory tables")
        }
        _ => {}
    }
}

/// SPEC §4 `source` of a document of `kind`.
pub fn source_of(kind: DocKind) -> Source {
    match kind {
        DocKind::Pdf => Source::Pdf,
        DocKind::Docx => Source::Docx,
        DocKind::Doc => Source::Doc,
        DocKind::Wps => Source::Wps,
        DocKind::Html => Source::Html,
        _ => Source::Text,
    }
}
