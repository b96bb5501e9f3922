//! Integration tests: attachments — PDF, DOCX and DOC/WPS files to the text and grids the
//! table parser reads.
//!
//! Fixtures (`tests/fixtures/attachments/`, see its README): the two real corpus PDFs with every
//! table value written out below from the rendered pages; LibreOffice conversions (PDF, DOCX)
//! of the Shanghai 2019 HTML report; hand-built PDFs (GBK-EUC-H and UniGB-UCS2-H fonts, a scan,
//! a Flate bomb, a truncated file, HTML named .pdf, user- and owner-password encryption).
//!
//! Tests that run `pdftotext` or LibreOffice start with `util::require_tool`: skipped where the
//! program is missing, failed under CI.

mod expected;
mod office;
mod pdf_hostile;

use std::time::{Duration, Instant};

use nianbao::extract::pdf::{self, PdfText};
use nianbao::model::{Number, Table};
use nianbao::parse::{self, Hints, Input};

use expected::{Expected, B, HONGZE, HUAIAN};

/// Bytes of a fixture file.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = crate::util::fixture("attachments").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Text of a fixture PDF; the test fails if extraction does.
pub(crate) fn pdf_text(name: &str) -> PdfText {
    pdf::extract_text(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The cells of the first line whose first non-value cell, whitespace removed, contains
/// `fragment`.
pub(crate) fn row<'t>(text: &'t str, fragment: &str) -> Vec<&'t str> {
    text.lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|cells| {
            cells.len() > 1
                && cells.iter().any(|c| {
                    let c: String = c.chars().filter(|c| !c.is_whitespace()).collect();
                    c.contains(fragment)
                })
        })
        .unwrap_or_else(|| panic!("no line with {fragment:?} in\n{text}"))
}

/// The trailing value fields of a row, blank fields kept as "", units ("元") and spaces
/// dropped.
pub(crate) fn values(cells: &[&str]) -> Vec<String> {
    let norm = |c: &str| -> String {
        let c: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
        c.trim_end_matches('元').to_string()
    };
    let is_value = |c: &str| norm(c).chars().all(|ch| ch.is_ascii_digit() || ch == '.');
    let first = cells
        .iter()
        .position(|c| is_value(c))
        .unwrap_or(cells.len());
    cells
        .get(first..)
        .unwrap_or_default()
        .iter()
        .map(|c| norm(c))
        .collect()
}

/// Expected values as printed: blanks as "".
fn printed(v: &[i64]) -> Vec<String> {
    v.iter()
        .map(|&x| if x == B { String::new() } else { x.to_string() })
        .collect()
}

/// Expected values as parsed: blanks as `None`.
fn parsed(v: i64) -> Option<f64> {
    (v != B).then_some(v as f64)
}

fn as_strings(v: &[f64]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// (a) The extracted text has one line per table row with exactly the printed values.
pub(crate) fn assert_rows(text: &str, exp: &Expected) {
    for (fragment, _, _, want) in exp.active {
        let got = values(&row(text, fragment));
        assert_eq!(got, as_strings(want), "active row {fragment}");
    }
    for (fragment, _, want) in exp.requests {
        let got = values(&row(text, fragment));
        assert_eq!(got, printed(want), "requests row {fragment}");
    }
    let appeals = text
        .lines()
        .find(|l| l.split('\t').count() == 15)
        .unwrap_or_else(|| panic!("no 15-value appeals line in\n{text}"));
    assert_eq!(
        appeals.split('\t').collect::<Vec<_>>(),
        printed(&exp.appeals),
        "appeals row"
    );
}

/// (b) The parser reads every cell of the extracted text as printed.
pub(crate) fn assert_parsed(input: Input<'_>, exp: &Expected) {
    let report = parse::parse(input, &Hints::default());
    let tables = &report.tables;
    let active = tables.active.as_ref().expect("active table");
    for (key, cols, want) in exp.active_keys() {
        for (col, v) in cols.iter().zip(want) {
            assert_value(active, key, col, Some(*v));
        }
    }
    let requests = tables.requests.as_ref().expect("requests table");
    for (_, key, want) in exp.requests {
        for (col, v) in nianbao::model::REQUEST_COLUMNS.iter().zip(want.iter()) {
            assert_value(requests, key, col, parsed(*v));
        }
    }
    for key in exp.absent_rows {
        for col in nianbao::model::REQUEST_COLUMNS {
            assert_value(requests, key, col, None);
        }
    }
    let appeals = tables.appeals.as_ref().expect("appeals table");
    let groups = ["review", "litigation_direct", "litigation_after_review"];
    for (i, v) in exp.appeals.iter().enumerate() {
        let col = nianbao::model::APPEAL_COLUMNS[i % 5];
        assert_value(appeals, groups[i / 5], col, parsed(*v));
    }
}

pub(crate) fn assert_value(table: &Table, row: &str, col: &str, want: Option<f64>) {
    let got = table.value(row, col).map(Number::as_f64);
    assert_eq!(got, want, "{:?}.{row}.{col}", table.name);
}

#[test]
fn huaian_rows_come_out_row_by_row() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = pdf_text("huaian-2024-city.pdf");
    assert_eq!(t.pages, 6);
    assert!(!t.needs_ocr);
    assert_rows(&t.text, &HUAIAN);
}

#[test]
fn hongze_rows_come_out_row_by_row() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = pdf_text("hongze-2024-district.pdf");
    assert_eq!(t.pages, 5);
    assert!(!t.needs_ocr);
    assert_rows(&t.text, &HONGZE);
}

#[test]
fn wrapped_labels_are_joined_to_their_row() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = pdf_text("huaian-2024-city.pdf");
    // Two lines with the numbers between them, and three lines with the numbers in the middle.
    let r = row(&t.text, "部分公开");
    assert_eq!(
        r[0],
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    let r = row(&t.text, "逾期不补正");
    assert_eq!(
        r[0],
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    );
    let r = row(&t.text, "确认或重新出具");
    assert_eq!(r[0], "5.要求行政机关确认或重新出具已获取信息");
    let t = pdf_text("hongze-2024-district.pdf");
    let r = row(&t.text, "确认或重");
    assert_eq!(values(&r), ["0", "0", "0", "0", "0", "0", "0"]);
    assert!(r[0].contains("已获取信息"), "{r:?}");
}

#[test]
fn vertical_labels_stand_alone() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    for name in ["huaian-2024-city.pdf", "hongze-2024-district.pdf"] {
        let t = pdf_text(name);
        let line = t
            .text
            .lines()
            .find(|l| l.contains("本年度办理结果"))
            .unwrap_or_else(|| panic!("{name}: vertical label lost"));
        assert_eq!(line, "三、本年度办理结果", "{name}");
        // No row starts with a lone character of it.
        for l in t.text.lines() {
            let first = l.split('\t').next().unwrap_or_default();
            assert!(
                !(first.chars().count() == 1 && "本年度办理结果".contains(first)),
                "{name}: {l:?}"
            );
        }
    }
}

#[test]
fn page_numbers_are_dropped_and_pages_marked() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let t = pdf_text("huaian-2024-city.pdf");
    assert_eq!(t.text.matches("\n\u{c}\n").count(), 5);
    for l in t.text.lines() {
        assert!(
            !matches!(l.trim(), "-1-" | "-2-" | "-3-" | "-4-" | "-5-" | "-6-"),
            "{l:?}"
        );
    }
    // Prose keeps its numbers inside the line, not as cells.
    let prose = t
        .text
        .lines()
        .find(|l| l.contains("全市共受理政府信息公开申请"))
        .unwrap_or("");
    assert!(!prose.contains('\t'), "{prose:?}");
}

#[test]
fn corpus_pdfs_parse_cell_by_cell() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    assert_parsed(Input::Text(&pdf_text("huaian-2024-city.pdf").text), &HUAIAN);
    assert_parsed(
        Input::Text(&pdf_text("hongze-2024-district.pdf").text),
        &HONGZE,
    );
}

#[test]
fn extraction_is_quick() {
    if !crate::util::require_tool("pdftotext") {
        return;
    }
    let start = Instant::now();
    let _ = pdf_text("huaian-2024-city.pdf");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
