//! PDF attachment → text the table parser reads: one line per visual row, cells separated by
//! `\t`, pages separated by a form-feed line (`\n\f\n`), page numbers removed, vertically
//! printed labels on lines of their own; plus the page count and whether the file is a scan.
//!
//! # Engine: poppler's `pdftotext -bbox`, in a subprocess
//!
//! Two routes were tried on the corpus PDFs (WPS 文字 output, CID TrueType fonts, Identity-H
//! with ToUnicode, one Identity-V font in Hongze):
//!
//! - pure Rust, `pdf-extract` 0.12 (on `lopdf` 0.42) with a custom `OutputDev` collecting glyph
//!   positions: glyphs come out right on both files, but the crate `panic!`s/`todo!`s on any
//!   predefined CJK CMap (UniGB-UCS2-H, GBK-EUC-H: common in older government PDFs), treats
//!   Identity-V as horizontal, and neither crate caps inflated stream sizes, so a Flate bomb
//!   or a reference loop would cost the crawler's own memory and a thread that cannot be
//!   killed (a timeout can only abandon it);
//! - poppler (`pdftotext -bbox` from Debian's `poppler-utils`, CMaps from `poppler-data`):
//!   same words and boxes, vertical fonts placed correctly, all predefined CMaps, encrypted
//!   files with an empty user password, continuously fuzzed upstream. As a separate process
//!   it gets a hard address-space limit (`ulimit -v`) and is killed on timeout, so no input
//!   can hang, crash or exhaust the crawler.
//!
//! Poppler wins; its cost is a runtime dependency (Debian `poppler-utils` and `poppler-data`;
//! a missing `pdftotext` is reported as [`PdfError::EngineMissing`]) and ~10 ms of process
//! start per file. [`extract_text`] blocks until the subprocess ends: call it from
//! `tokio::task::spawn_blocking` in async code. It gives words with boxes; turning them into rows
//! and cells is ours ([`layout`]), because neither `pdftotext -layout` (numbers on the middle
//! line of wrapped labels, vertical labels interleaved) nor pdfminer-style text (column-major
//! tables) keeps table rows together.

pub mod bbox;
mod columns;
pub mod layout;
pub(crate) mod tool;
mod vertical;
mod wrap;

use std::time::Duration;

/// Text of a PDF.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PdfText {
    /// One line per visual row, cells separated by `\t`, pages separated by `\n\f\n`.
    pub text: String,
    /// Pages read (at most [`PdfOptions::max_pages`]).
    pub pages: usize,
    /// No text layer to speak of: a scan, or text drawn as outlines. Needs OCR to be read.
    pub needs_ocr: bool,
}

/// Why a PDF gave no text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The file needs a password to be opened.
    #[error("PDF is encrypted with a user password")]
    Encrypted,
    /// Not a PDF, or too damaged to read (the message says which).
    #[error("malformed PDF: {0}")]
    Malformed(String),
    /// The file, or the text it expands to, is over the configured limit.
    #[error("PDF too large: {0}")]
    TooLarge(String),
    /// The engine ran past the configured time and was killed.
    #[error("PDF text extraction timed out after {0:?}")]
    Timeout(Duration),
    /// The engine died (a signal: out of memory under the limit, or a bug).
    #[error("PDF engine crashed: {0}")]
    Panicked(String),
    /// `pdftotext` is not installed (Debian package `poppler-utils`).
    #[error("`{program}` not found: install Debian package poppler-utils (and poppler-data)")]
    EngineMissing {
        /// The program looked for.
        program: &'static str,
    },
    /// Talking to the engine failed.
    #[error("running the PDF engine failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Limits of one extraction.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Files larger than this are refused.
    pub max_input_bytes: usize,
    /// Pages after this one are not read.
    pub max_pages: usize,
    /// Wall-clock limit of the engine.
    pub timeout: Duration,
    /// Address-space limit of the engine, in bytes.
    pub max_memory_bytes: u64,
    /// Largest engine output accepted (word boxes are ~100 bytes a word).
    pub max_output_bytes: usize,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            max_input_bytes: 100 << 20,
            max_pages: 300,
            timeout: Duration::from_secs(60),
            max_memory_bytes: 1 << 30,
            max_output_bytes: 64 << 20,
        }
    }
}

/// The engine program.
const PDFTOTEXT: &str = "pdftotext";
/// Fewer visible characters per page than this means there is no real text layer.
const MIN_CHARS_PER_PAGE: usize = 20;

/// Extract the text of a PDF with default limits.
pub fn extract_text(bytes: &[u8]) -> Result<PdfText, PdfError> {
    extract_text_with(bytes, &PdfOptions::default())
}

/// Extract the text of a PDF within `opts`.
pub fn extract_text_with(bytes: &[u8], opts: &PdfOptions) -> Result<PdfText, PdfError> {
    if bytes.len() > opts.max_input_bytes {
        return Err(PdfError::TooLarge(format!("{} bytes", bytes.len())));
    }
    if !has_pdf_header(bytes) {
        return Err(PdfError::Malformed("no %PDF- header".into()));
    }
    let limits = tool::Limits {
        timeout: opts.timeout,
        max_memory: opts.max_memory_bytes,
        max_output: opts.max_output_bytes,
    };
    let last = opts.max_pages.max(1).to_string();
    let args = ["-bbox", "-enc", "UTF-8", "-f", "1", "-l", &last, "-", "-"];
    let out = tool::run(PDFTOTEXT, &args, bytes, &limits).map_err(|e| match e {
        tool::RunError::Missing => PdfError::EngineMissing { program: PDFTOTEXT },
        tool::RunError::Timeout => PdfError::Timeout(opts.timeout),
        tool::RunError::OutputTooLarge => {
            PdfError::TooLarge(format!("text over {} bytes", opts.max_output_bytes))
        }
        tool::RunError::Io(e) => PdfError::Io(e),
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(_) if stderr.contains("Incorrect password") => return Err(PdfError::Encrypted),
        Some(code) => return Err(PdfError::Malformed(first_error(&stderr, code))),
        None => return Err(PdfError::Panicked(describe_signal(&out.status))),
    }
    let pages = bbox::parse(&String::from_utf8_lossy(&out.stdout));
    if pages.is_empty() {
        return Err(PdfError::Malformed(first_error(&stderr, 0)));
    }
    let text = layout::lay_out(&pages);
    Ok(PdfText {
        needs_ocr: needs_ocr(&text, pages.len()),
        pages: pages.len(),
        text,
    })
}

/// `%PDF-` within the first KiB (some servers prepend junk; HTML saved as .pdf has none).
pub fn has_pdf_header(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Whether extracted text is too thin for its page count to be a text layer.
pub fn needs_ocr(text: &str, pages: usize) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    pages > 0 && visible < MIN_CHARS_PER_PAGE * pages
}

/// The most telling line of poppler's complaints.
fn first_error(stderr: &str, code: i32) -> String {
    let lines = || stderr.lines().map(str::trim).filter(|l| !l.is_empty());
    let pick = lines()
        .find(|l| l.contains("Couldn't") || l.contains("May not be a PDF"))
        .or_else(|| lines().next_back());
    match pick {
        Some(l) => l.chars().take(200).collect(),
        None => format!("pdftotext exit status {code}, no pages"),
    }
}

#[cfg(unix)]
fn describe_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => "pdftotext aborted (SIGABRT: out of memory under the limit?)".into(),
        Some(9) => "pdftotext killed (SIGKILL)".into(),
        Some(11) => "pdftotext crashed (SIGSEGV)".into(),
        Some(s) => format!("pdftotext died by signal {s}"),
        None => "pdftotext ended abnormally".into(),
    }
}

#[cfg(not(unix))]
fn describe_signal(_status: &std::process::ExitStatus) -> String {
    "pdftotext ended abnormally".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_check() {
        assert!(has_pdf_header(b"%PDF-1.7\n"));
        assert!(has_pdf_header(b"\xef\xbb\xbf  %PDF-1.4"));
        assert!(!has_pdf_header(b"<html><body>404</body></html>"));
        assert!(!has_pdf_header(b""));
    }

    #[test]
    fn html_named_pdf_is_malformed_without_running_anything() {
        let r = extract_text(b"<!DOCTYPE html><html><body>not found</body></html>");
        assert!(matches!(r, Err(PdfError::Malformed(_))), "{r:?}");
    }

    #[test]
    fn too_large_is_refused() {
        let opts = PdfOptions {
            max_input_bytes: 10,
            ..PdfOptions::default()
        };
        let r = extract_text_with(b"%PDF-1.4 and more bytes", &opts);
        assert!(matches!(r, Err(PdfError::TooLarge(_))), "{r:?}");
    }

    #[test]
    fn thin_text_needs_ocr() {
        assert!(needs_ocr("", 3));
        assert!(needs_ocr("- 1 -\n\u{c}\n", 2));
        assert!(!needs_ocr(&"字".repeat(100), 2));
        assert!(!needs_ocr("", 0));
    }
}
