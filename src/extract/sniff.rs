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

/// How far into a file the `%PDF-` signature may be preceded by junk (BOMs, blank lines,
/// HTTP debris): Acrobat accepts it within the first 1024 bytes.
const PDF_WINDOW: usize = 1024;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn name_ext(name: &str) -> String {
    let path = name.split(['?', '#']).next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    last.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The first bytes look like HTML markup.
fn looks_html(bytes: &[u8]) -> bool {
    let head = bytes.get(..1024.min(bytes.len())).unwrap_or(bytes);
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head.get(start..).unwrap_or(&[]);
    if head.first() != Some(&b'<') {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<script",
        "<title",
        "<div",
        "<table",
        "<p>",
        "<p ",
        "<!--",
        "<style",
        "<link",
        "<br",
        "<a ",
        "<h1",
        "<center",
        "<form",
        "<iframe",
    ]
    .iter()
    .any(|m| lower.starts_with(m.as_bytes()))
        || (lower.starts_with(b"<?xml") && contains(&lower, b"<html"))
}

/// Sniff `bytes`; `name` is the file name or URL path, `content_type` the HTTP header.
pub fn sniff(bytes: &[u8], name: &str, content_type: Option<&str>) -> DocKind {
    let ext = name_ext(name);
    let window = bytes.get(..PDF_WINDOW.min(bytes.len())).unwrap_or(bytes);
    if bytes.starts_with(b"%PDF") || contains(window, b"%PDF-") {
        return DocKind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The local file headers carry the member names in clear.
        return if contains(bytes, b"word/") {
            DocKind::Docx
        } else if contains(bytes, b"xl/") {
            DocKind::Xlsx
        } else {
            match ext.as_str() {
                "docx" => DocKind::Docx,
                "xlsx" => DocKind::Xlsx,
                _ => DocKind::Other,
            }
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return match ext.as_str() {
            "wps" => DocKind::Wps,
            "xls" | "et" => DocKind::Xls,
            _ => DocKind::Doc,
        };
    }
    if bytes.starts_with(b"{\\rtf") {
        return DocKind::Rtf;
    }
    let image = bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.starts_with(b"BM")
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"));
    if image {
        return DocKind::Image;
    }
    if looks_html(bytes) {
        return DocKind::Html;
    }
    if bytes.is_empty() {
        return DocKind::Other;
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let textual = std::str::from_utf8(bytes.get(..4096.min(bytes.len())).unwrap_or(bytes)).is_ok()
        || !bytes.iter().take(4096).any(|b| *b == 0);
    if ct.contains("html") && textual {
        return DocKind::Html;
    }
    if textual
        && (ct.starts_with("text/")
            || ct.contains("json")
            || ct.contains("xml")
            || matches!(ext.as_str(), "txt" | "xml" | "json" | "csv")
            || ct.is_empty())
    {
        return DocKind::Text;
    }
    DocKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff(b"%PDF-1.7\n", "x", None), DocKind::Pdf);
        assert_eq!(
            sniff(
                b"\r\n\r\n  %PDF-1.4\n",
                "a.pdf",
                Some("application/octet-stream")
            ),
            DocKind::Pdf
        );
        let docx = b"PK\x03\x04\x14\0\0\0[Content_Types].xmlPK\x03\x04word/document.xml";
        assert_eq!(sniff(docx, "download.jsp", None), DocKind::Docx);
        assert_eq!(
            sniff(b"PK\x03\x04....xl/workbook.xml", "a", None),
            DocKind::Xlsx
        );
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(sniff(&ole, "/a/b.wps", None), DocKind::Wps);
        assert_eq!(sniff(&ole, "/a/b.xls", None), DocKind::Xls);
        assert_eq!(
            sniff(&ole, "/a/downfile.jsp?filename=x", None),
            DocKind::Doc
        );
        assert_eq!(sniff(b"{\\rtf1\\ansi", "a.rtf", None), DocKind::Rtf);
        assert_eq!(sniff(b"\x89PNG\r\n", "a.png", None), DocKind::Image);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "a", None), DocKind::Image);
    }

    #[test]
    fn html_and_text() {
        let fake = "\u{feff}\n<!DOCTYPE html><html><title>页面不存在</title>";
        assert_eq!(
            sniff(fake.as_bytes(), "report.pdf", Some("application/pdf")),
            DocKind::Html
        );
        assert_eq!(
            sniff(b"<html><body>x</body></html>", "a", None),
            DocKind::Html
        );
        assert_eq!(
            sniff(b"{\"total\": 1}", "api", Some("application/json")),
            DocKind::Text
        );
        assert_eq!(
            sniff(
                b"<?xml version=\"1.0\"?><datastore/>",
                "p.jsp",
                Some("text/xml")
            ),
            DocKind::Text
        );
        assert_eq!(
            sniff(
                b"User-agent: *\nDisallow: /",
                "robots.txt",
                Some("text/plain")
            ),
            DocKind::Text
        );
        assert_eq!(
            sniff(
                &[0, 1, 2, 3, 0, 0],
                "a.bin",
                Some("application/octet-stream")
            ),
            DocKind::Other
        );
        assert_eq!(sniff(b"", "a.pdf", None), DocKind::Other);
    }
}
