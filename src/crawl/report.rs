//! From a fetched document to an archived report: decide whether it is a report, parse it,
//! check it, and store it under its content id with every URL it was found at. The analysis
//! is pure (also used by `nianbao reparse`); storing is one archive job.

use crate::archive::store::{NewDocument, NewPage, NewReport};
use crate::archive::{Archive, Result};
use crate::extract::normalize::{content_id, normalize};
use crate::extract::page::DetailPage;
use crate::extract::sniff::DocKind;
use crate::model::{Check, Format, ParsedReport, Source};
use crate::parse::{self, grid::Grid, Hints, Input};

/// Fewer normalised characters than this and a page is no report body (e.g. a note that
/// points at an attachment).
pub const MIN_REPORT_CHARS: usize = 200;

/// The verdict on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A report; `status` is `parsed`, `legacy` or `unparsed: …`.
    Report {
        /// Archive status.
        status: String,
    },
    /// Not a report, with the reason.
    NotReport(String),
}

/// What the pure stages made of one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Content id (hash of the normalised text).
    pub id: String,
    /// Report text as stored (search, reparse).
    pub text: String,
    /// Parse result.
    pub parsed: ParsedReport,
    /// Consistency checks of this report alone.
    pub checks: Vec<Check>,
    /// Report or not.
    pub verdict: Verdict,
}

/// Titles of pages that accompany reports but are not reports.
const COMPANION_WORDS: &[&str] = &[
    "解读", "图解", "通知", "要点", "方案", "格式", "半年", "季度", "考核",
];

fn finish(text: String, parsed: ParsedReport, title: Option<&str>) -> Analysis {
    let checks = parse::checks::evaluate(&parsed.tables);
    let title = parsed.title.as_deref().or(title).unwrap_or("");
    let tables: Vec<_> = [
        &parsed.tables.active,
        &parsed.tables.requests,
        &parsed.tables.appeals,
    ]
    .into_iter()
    .flatten()
    .collect();
    let verdict = if COMPANION_WORDS.iter().any(|w| title.contains(w))
        && !crate::title::is_report_title(title)
    {
        Verdict::NotReport(format!("companion page: {title}"))
    } else if !tables.is_empty() && tables.iter().all(|t| t.is_blank()) {
        Verdict::NotReport("template: every table cell is blank".into())
    } else {
        match parsed.format {
            Some(Format::F2021 | Format::F2019) => Verdict::Report {
                status: "parsed".into(),
            },
            Some(Format::Legacy) => Verdict::Report {
                status: "legacy".into(),
            },
            None if normalize(&text).chars().count() < MIN_REPORT_CHARS => {
                Verdict::NotReport("no report body (too short)".into())
            }
            None if crate::title::is_report_title(title) => Verdict::Report {
                status: "unparsed: no tables found".into(),
            },
            None => Verdict::NotReport("neither a report title nor report tables".into()),
        }
    };
    Analysis {
        id: content_id(&text),
        text,
        parsed,
        checks,
        verdict,
    }
}

/// Analyse a detail page; `listing_title` is the title the listing gave its link.
pub fn analyse_html(detail: &DetailPage, listing_title: Option<&str>) -> Analysis {
    let hints = Hints {
        title: detail.title.clone().or(listing_title.map(str::to_string)),
        agency: detail.agency.clone(),
    };
    let mut parsed = parse::parse(Input::Html(&detail.body_html), &hints);
    fill_from_hints(&mut parsed, &hints, detail.year);
    finish(detail.body_text.clone(), parsed, hints.title.as_deref())
}

/// Analyse the text of an attachment (PDF, DOC) or a local text file.
pub fn analyse_text(text: &str, title: Option<&str>) -> Analysis {
    let hints = Hints {
        title: title.map(str::to_string),
        agency: None,
    };
    let mut parsed = parse::parse(Input::Text(text), &hints);
    fill_from_hints(&mut parsed, &hints, None);
    finish(text.to_string(), parsed, title)
}

/// Analyse a DOCX: its tables as grids plus its running text.
pub fn analyse_grids(grids: &[Grid], text: &str, title: Option<&str>) -> Analysis {
    let hints = Hints {
        title: title.map(str::to_string),
        agency: None,
    };
    let mut parsed = parse::parse(Input::Grids { grids, text }, &hints);
    fill_from_hints(&mut parsed, &hints, None);
    finish(text.to_string(), parsed, title)
}

fn fill_from_hints(parsed: &mut ParsedReport, hints: &Hints, year: Option<i32>) {
    if parsed.title.is_none() {
        parsed.title = hints.title.clone();
    }
    if parsed.agency.is_none() {
        parsed.agency = hints.agency.clone();
    }
    if parsed.year.is_none() {
        parsed.year = year;
    }
}

/// Where a stored report came from.
#[derive(Debug)]
pub struct Origin<'a> {
    /// URL of the document.
    pub url: &'a str,
    /// `detail` or `attachment`.
    pub url_kind: &'a str,
    /// Document kind (`html`, `pdf`, …).
    pub doc_kind: &'a str,
    /// SPEC source.
    pub source: Source,
    /// File name.
    pub filename: Option<&'a str>,
    /// Publication date.
    pub published: Option<&'a str>,
    /// Region of the seed.
    pub region: Option<&'a str>,
    /// For an attachment: the detail page that linked it.
    pub parent_url: Option<&'a str>,
}

/// Whether two reports' tables hold the same numbers: at least one table with values on both
/// sides, and no table present on both sides whose values differ.
pub fn tables_agree(a: &crate::model::Tables, b: &crate::model::Tables) -> bool {
    use crate::model::TableName;
    let mut compared = 0;
    for name in TableName::ALL {
        let (Some(x), Some(y)) = (a.get(name), b.get(name)) else {
            continue;
        };
        if x.is_blank() || y.is_blank() {
            continue;
        }
        let values = |t: &crate::model::Table| {
            t.iter()
                .map(|(r, c, cell)| (r, c, cell.value.map(|v| v.as_f64())))
                .collect::<Vec<_>>()
        };
        if values(x) != values(y) {
            return false;
        }
        compared += 1;
    }
    compared > 0
}

/// Store the page, its document and — if it is one — the report. Returns `Some(true)` for a
/// new report, `Some(false)` for a known one, `None` for no report.
pub fn store(
    a: &Archive,
    page: &NewPage<'_>,
    origin: &Origin<'_>,
    analysis: &Analysis,
) -> Result<Option<bool>> {
    let page_id = a.store_page(page)?;
    store_document(a, page_id, &page.sha256(), origin, analysis)
}

/// Store the document of the archived page `page_id` (whose bytes hash to `sha`) and — if it
/// is one — the report: the second half of [`store`], also used by [`super::analyse`] for
/// pages a fetch-only crawl archived.
pub fn store_document(
    a: &Archive,
    page_id: i64,
    sha: &str,
    origin: &Origin<'_>,
    analysis: &Analysis,
) -> Result<Option<bool>> {
    let (status, is_report) = match &analysis.verdict {
        Verdict::Report { status } => (status.as_str(), true),
        Verdict::NotReport(_) => ("not_report", false),
    };
    let doc = NewDocument {
        page_id,
        url: origin.url,
        kind: origin.doc_kind,
        filename: origin.filename,
        sha256: sha,
        text: Some(&analysis.text),
        status,
    };
    let (doc_id, _) = a.upsert_document(&doc)?;
    if !is_report {
        return Ok(None);
    }
    let previous = a.report_at_url(origin.url)?;
    // An attachment of a detail page that holds the same report as HTML (its tables agree)
    // is another document of that report, not a report of its own.
    let id = match origin
        .parent_url
        .map(|u| a.report_at_url(u))
        .transpose()?
        .flatten()
    {
        Some(parent)
            if parent != analysis.id
                && tables_agree(&a.load_tables(&parent)?, &analysis.parsed.tables) =>
        {
            parent
        }
        _ => analysis.id.clone(),
    };
    let new = a.upsert_report(&NewReport {
        id: &id,
        source: origin.source,
        status,
        published: origin.published,
        region: origin.region,
        document_id: doc_id,
        text: &analysis.text,
        parsed: Some(&analysis.parsed),
    })?;
    a.add_report_url(&id, origin.url, origin.url_kind)?;
    if new {
        a.save_parse(&id, status, &analysis.parsed, &analysis.checks)?;
        if let (Some(agency), Some(year)) = (&analysis.parsed.agency, analysis.parsed.year) {
            a.update_cross_year(&id, agency, year)?;
        }
    }
    if let Some(previous) = previous.filter(|p| *p != id) {
        a.set_previous_version(&id, &previous)?;
    }
    Ok(Some(new))
}

/// What an attachment's bytes yielded.
pub enum AttachmentText {
    /// Flattened text for the text parser.
    Text(String),
    /// DOCX tables and running text.
    Grids(Vec<crate::parse::grid::Grid>, String),
    /// No text layer (scan).
    NeedsOcr,
    /// Could not be read; the reason.
    Unparsed(String),
}

/// Read the text of an attachment of `kind`. Blocking: PDF, DOC and WPS go through
/// external converters in limited subprocesses (see `extract::pdf`, `extract::doc`).
pub fn read_attachment(kind: DocKind, bytes: &[u8]) -> AttachmentText {
    use crate::extract::{doc, docx, pdf};
    match kind {
        DocKind::Image => AttachmentText::NeedsOcr,
        DocKind::Text => AttachmentText::Text(crate::extract::charset::decode(bytes, None).text),
        DocKind::Pdf => match pdf::extract_text(bytes) {
            Ok(t) if t.needs_ocr => AttachmentText::NeedsOcr,
            Ok(t) => AttachmentText::Text(t.text),
            Err(e) => AttachmentText::Unparsed(format!("pdf ({e})")),
        },
        DocKind::Docx => match docx::extract(bytes) {
            Ok(c) => AttachmentText::Grids(c.grids, c.text),
            Err(e) => AttachmentText::Unparsed(format!("docx ({e})")),
        },
        DocKind::Doc | DocKind::Wps => match doc::extract(bytes, kind) {
            Ok(c) => AttachmentText::Grids(c.grids, c.text),
            Err(e) => AttachmentText::Unparsed(format!("{} ({e})", kind.as_str())),
        },
        other => AttachmentText::Unparsed(other.as_str().to_string()),
    }
}
