//! Report text → the canonical tables of [`crate::model`] (SPEC §2) and their checks (SPEC §3).
//!
//! Pure: takes the report as HTML, flattened text or pre-built grids (DOCX), never touches the
//! network or the archive, so `nianbao reparse` and the fuzzers can call it directly.

pub mod checks;
pub mod grid;

use crate::model::ParsedReport;
use grid::Grid;

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
pub fn parse(input: Input<'_>, hints: &Hints) -> ParsedReport {
    let _ = (input, hints);
    ParsedReport::default()
}
