//! The text of a report file: a PDF through poppler, a DOCX's tables and text, a DOC or WPS
//! through LibreOffice (catdoc for the text alone), plain text decoded by its charset. Blocking:
//! the external converters run in limited subprocesses ([`super::pdf`], [`super::doc`]).

use super::sniff::DocKind;
use super::{charset, doc, docx, pdf};
use crate::parse::grid::Grid;

/// What a file's bytes yielded.
#[derive(Debug)]
pub enum FileText {
    /// Flattened text for the text parser (PDF, plain text).
    Text(String),
    /// Tables already laid out as grids, and the running text (DOCX, DOC, WPS).
    Grids(Vec<Grid>, String),
    /// No text layer (a scan).
    NeedsOcr,
    /// Could not be read; why (`pdf (encrypted)`, `xls`).
    Unreadable(String),
}

/// Read the text of a file of `kind`.
pub fn read(kind: DocKind, bytes: &[u8]) -> FileText {
    match kind {
        DocKind::Image => FileText::NeedsOcr,
        DocKind::Text => FileText::Text(charset::decode(bytes, None).text),
        DocKind::Pdf => match pdf::extract_text(bytes) {
            Ok(t) if t.needs_ocr => FileText::NeedsOcr,
            Ok(t) => FileText::Text(t.text),
            Err(e) => FileText::Unreadable(format!("pdf ({e})")),
        },
        DocKind::Docx => match docx::extract(bytes) {
            Ok(c) => FileText::Grids(c.grids, c.text),
            Err(e) => FileText::Unreadable(format!("docx ({e})")),
        },
        DocKind::Doc | DocKind::Wps => match doc::extract(bytes, kind) {
            Ok(c) => FileText::Grids(c.grids, c.text),
            Err(e) => FileText::Unreadable(format!("{} ({e})", kind.as_str())),
        },
        other => FileText::Unreadable(other.as_str().to_string()),
    }
}
