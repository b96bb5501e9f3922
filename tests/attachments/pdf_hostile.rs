//! PDFs that are not what they claim, or are built to hurt, and PDFs in legacy CJK encodings:
//! clean errors or text, in bounded time.

use std::time::{Duration, Instant};

use nianbao::extract::pdf::{self, PdfError, PdfOptions};
use nianbao::parse::Input;

use super::expected::SHANGHAI;
use super::{assert_parsed, fixture, pdf_text, row, values};

/// Extract with a stopwatch; every case must end well within the default limits.
fn timed(name: &str) -> Result<pdf::PdfText, PdfError> {
    let start = Instant::now();
    let r = pdf::extract_text(&fixture(name));
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{name}: {:?}",
        start.elapsed()
    );
    r
}

#[test]
fn html_named_pdf() {
    let r = timed("html-named.pdf");
    assert!(matches!(r, Err(PdfError::Malformed(_))), "{r:?}");
}

#[test]
fn truncated_pdf() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let r = timed("truncated.pdf");
    assert!(matches!(r, Err(PdfError::Malformed(_))), "{r:?}");
}

#[test]
fn scanned_pdf_needs_ocr() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = timed("scanned.pdf").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.pages, 1);
    assert!(t.needs_ocr);
    assert!(t.text.trim().is_empty(), "{:?}", t.text);
}

#[test]
fn flate_bomb_is_bounded() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    // 210 MB of inflated content: poppler streams it; the text is one word, so no text layer.
    let t = timed("flate-bomb.pdf").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.text.trim(), "bomb");
    assert!(t.needs_ocr);
    // A tight clock turns it into a clean timeout.
    let opts = PdfOptions {
        timeout: Duration::from_millis(300),
        ..PdfOptions::default()
    };
    let r = pdf::extract_text_with(&fixture("flate-bomb.pdf"), &opts);
    assert!(matches!(r, Err(PdfError::Timeout(_))), "{r:?}");
    // And a tight memory limit into an error, not a crashed crawler.
    let opts = PdfOptions {
        max_memory_bytes: 8 << 20,
        ..PdfOptions::default()
    };
    let r = pdf::extract_text_with(&fixture("flate-bomb.pdf"), &opts);
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn encrypted_pdfs() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let r = timed("encrypted.pdf");
    assert!(matches!(r, Err(PdfError::Encrypted)), "{r:?}");
    // Only an owner password (copy/print restrictions): readable, as in many agency PDFs.
    let t = timed("owner-password-only.pdf").unwrap_or_else(|e| panic!("{e}"));
    assert!(t.text.contains("三、收到和处理政府信息公开申请情况"));
}

#[test]
fn gbk_and_ucs2_cmaps() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    for name in ["gbk-euc-h-table.pdf", "ucs2-table.pdf"] {
        let t = timed(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = nfkc_digits(&t.text);
        let r = row(&text, "本年新收");
        assert_eq!(values(&r), ["821", "35", "", "", "2", "1", "859"], "{name}");
        let r = row(&text, "上年结转");
        assert_eq!(values(&r), ["18", "", "", "", "", "", "18"], "{name}");
        let r = row(&text, "予以公开");
        assert_eq!(values(&r), ["258", "12", "", "", "1", "1", ""], "{name}");
        // The stacked label stands alone; the page number is gone.
        assert!(text.lines().any(|l| l == "本年度结果"), "{name}: {text}");
        assert!(
            !text.lines().any(|l| l.contains('1') && l.contains('-')),
            "{name}: {text}"
        );
    }
}

/// GBK-EUC-H maps ASCII bytes to full-width CIDs: "８２１". The parser folds them (NFKC);
/// here only digits and the point need folding.
fn nfkc_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .collect()
}

#[test]
fn libreoffice_pdf_parses_cell_by_cell() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = pdf_text("shanghai-2019-libreoffice.pdf");
    assert_eq!(t.pages, 7);
    let r = row(&t.text, "不掌握");
    // On the page after the break, the columns carried over from the header.
    assert_eq!(values(&r), ["252", "12", "", "", "1", "", ""]);
    let appeals = t.text.lines().find(|l| l.starts_with("5\t")).unwrap_or("");
    assert_eq!(appeals, "5\t\t\t2\t7\t8\t\t\t1\t9\t\t\t\t\t");
    assert_parsed(Input::Text(&t.text), &SHANGHAI);
}
