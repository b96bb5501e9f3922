//! DOCX attachment → running text and tables as [`Grid`]s.

use crate::parse::grid::Grid;

/// Text and tables of a DOCX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxContent {
    /// Paragraphs, one per line (table cells excluded).
    pub text: String,
    /// Tables in document order.
    pub grids: Vec<Grid>,
}

/// Why a DOCX file gave no content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// Not a readable zip, or no `word/document.xml`.
    #[error("malformed DOCX: {0}")]
    Malformed(String),
}

/// Extract a DOCX file.
pub fn extract(bytes: &[u8]) -> Result<DocxContent, DocxError> {
    let _ = bytes;
    Err(DocxError::Malformed("not implemented".into()))
}
