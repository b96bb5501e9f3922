//! Report text → the canonical tables of [`crate::model`] (SPEC §2) and their checks (SPEC §3).
//!
//! Pure: takes the report as HTML, flattened text or pre-built grids (DOCX), never touches the
//! network or the archive, so `nianbao reparse` and the fuzzers can call it directly.
//!
//! ## How a report is read
//!
//! Every layout is first brought to the same shape, lines of fields (`rows.rs`): HTML and DOCX
//! tables through [`Grid`]s with spans resolved (`html.rs`, `grid_reader.rs`), flattened text by
//! splitting each line on tabs, pipes or runs of spaces (`text.rs`). `rows.rs` turns lines into
//! logical rows (label + values), stitching rows a layout spread over several lines.
//! `assemble.rs` finds the three tables among the rows by their anchors and reads `active` and
//! `appeals`; `requests.rs` reads `requests`. Rows are named by their labels (`labels.rs`),
//! cells read by `cells.rs`; rows that lost cells go to `infer.rs`, which places them by the
//! table's own identities only when the answer is unique; tables printed column by column
//! (pdfminer-style PDF text) are dealt out by `colmajor.rs`. `locate.rs` reads title, agency
//! and year. [`checks`] evaluates the SPEC §3 rules; [`render`] prints the result.
//!
//! ## What comes back
//!
//! Values are never invented: a cell is a number only where one was printed (`Origin::Inferred`
//! marks a printed value whose *column* was reconstructed), tables whose numbers cannot be
//! placed are left `None`, and everything surprising is a line in `ParsedReport::warnings`
//! (stable prefixes: `template: all cells blank`, `prose says`, `<table>.<row>: … cells
//! printed`, `too large to parse`).
//!
//! ## How much is read
//!
//! A document past the limits of [`size`] (table cells, elements, text fields) is not read at
//! all: its tables are `None` and its one warning is the [`TooLarge`] reason, so memory stays
//! bounded per document whatever a page holds.

pub mod checks;
pub mod grid;
pub mod render;
pub mod size;

mod active;
mod appeals;
mod assemble;
mod cells;
mod colmajor;
pub(crate) mod complete;
mod grid_reader;
mod html;
mod infer;
mod labels;
mod locate;
mod notes;
mod plausible;
mod requests;
mod rows;
mod text;

use crate::model::{Format, ParsedReport};
use grid::Grid;
pub use size::{check_size, TooLarge};

/// What the parser is given.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// An HTML page or body fragment; `<table>`s are read as grids, the rest as text.
    Html(&'a str),
    /// Flattened text (HTML-to-text, PDF text, pipe rows, one cell per line, tab-separated).
    Text(&'a str),
    /// Tables already laid out as grids (DOCX) plus the document's running text.
    Grids {
        /// The document's tables in order.
        grids: &'a [Grid],
        /// The document's text, for headings, title, agency and year.
        text: &'a str,
    },
}

/// Metadata found outside the report body (page `<meta>`s, listing titles) that helps to name
/// the agency and year when the body does not.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Title from the page or listing.
    pub title: Option<String>,
    /// Publishing agency from `ContentSource`/发布机构.
    pub agency: Option<String>,
}

/// Parse one report.
///
/// `format` is `None` when the input is not recognisably a report, `Some(Legacy)` for reports
/// without the 2019/2021 tables (all tables `None`). A table printed entirely blank (the
/// reposted 格式 template) is kept and flagged with a warning starting `template: all cells
/// blank`.
pub fn parse(input: Input<'_>, hints: &Hints) -> ParsedReport {
    if let Err(too_large) = check_size(input) {
        return unread(too_large, hints);
    }
    let (mut assembled, text, page_title) = match input {
        Input::Html(html) => {
            let doc = html::read(html);
            let from_grids = assemble_grids(&doc.grids);
            let assembled = if found_any(&from_grids) {
                from_grids
            } else {
                assemble_text(&doc.text)
            };
            (assembled, doc.text, doc.title)
        }
        Input::Text(t) => (assemble_text(t), t.to_string(), None),
        Input::Grids { grids, text } => {
            let from_grids = assemble_grids(grids);
            let assembled = if found_any(&from_grids) {
                from_grids
            } else {
                assemble_text(text)
            };
            (assembled, text.to_string(), None)
        }
    };
    let meta = locate::locate(
        &text,
        page_title.as_deref(),
        hints.title.as_deref(),
        hints.agency.as_deref(),
    );
    let mut warnings = std::mem::take(&mut assembled.warnings);
    let found = assembled.format.is_some();
    let format = if found {
        assembled.format
    } else if assembled.anchors && meta.looks_like_report {
        // Table headings and anchors but nothing readable (tables as images, say): the layout
        // by year, tables null.
        warnings.push("tables announced but none could be read".to_string());
        Some(if meta.year.is_some_and(|y| y <= 2020) {
            Format::F2019
        } else {
            Format::F2021
        })
    } else if meta.looks_like_report && !meta.companion {
        Some(Format::Legacy)
    } else {
        None
    };
    let tables = if found {
        assembled.tables
    } else {
        Default::default()
    };
    if let (Some(said), Some(crate::model::Number::Int(table))) = (
        locate::prose_new_requests(&text),
        tables
            .requests
            .as_ref()
            .and_then(|t| t.value("new_received", "total")),
    ) {
        if said != table {
            warnings.push(format!(
                "prose says {said} applications received, the table {table} \
                 (requests.new_received.total); the table is kept"
            ));
        }
    }
    ParsedReport {
        title: meta.title,
        agency: meta.agency,
        year: meta.year,
        format,
        tables,
        warnings,
        doubts: assembled.doubts,
    }
}

/// A document too large to read: what the hints say, no tables, the reason as its warning.
fn unread(too_large: TooLarge, hints: &Hints) -> ParsedReport {
    let meta = locate::locate("", None, hints.title.as_deref(), hints.agency.as_deref());
    ParsedReport {
        title: meta.title,
        agency: meta.agency,
        year: meta.year,
        format: None,
        tables: Default::default(),
        warnings: vec![too_large.to_string()],
        doubts: Vec::new(),
    }
}

/// HTML tables → grids with rowspan/colspan resolved, in document order (nested tables after
/// the table that holds them); none for a page past the [`size`] limits.
pub fn html_table_grids(html: &str) -> Vec<Grid> {
    if check_size(Input::Html(html)).is_err() {
        return Vec::new();
    }
    html::read(html).grids
}

fn found_any(a: &assemble::Assembled) -> bool {
    a.format.is_some()
}

fn assemble_grids(grids: &[Grid]) -> assemble::Assembled {
    let lines: Vec<rows::Line> = grids.iter().flat_map(grid_reader::lines).collect();
    assemble::assemble(&rows::rows(&lines))
}

fn assemble_text(text: &str) -> assemble::Assembled {
    assemble::assemble(&rows::rows(&text::lines(text)))
}
