//! DOCX and DOC/WPS attachments: LibreOffice conversions of the Shanghai 2019 HTML report
//! (merged cells: rowspan 20 三、本年度办理结果, colspans inside table 二, blank columns).

use nianbao::extract::doc::{self, DocError};
use nianbao::extract::docx::{self, DocxContent, DocxError};
use nianbao::extract::sniff::DocKind;
use nianbao::parse::grid::Grid;
use nianbao::parse::Input;

use super::expected::SHANGHAI;
use super::{assert_parsed, fixture};

fn docx_content() -> DocxContent {
    docx::extract(&fixture("shanghai-2019-libreoffice.docx")).unwrap_or_else(|e| panic!("{e}"))
}

/// The grid holding `label` in some slot.
fn grid_with<'g>(grids: &'g [Grid], label: &str) -> &'g Grid {
    grids
        .iter()
        .find(|g| g.rows.iter().flatten().any(|c| c.text == label))
        .unwrap_or_else(|| panic!("no grid with {label:?}"))
}

/// Slot texts of a row, spanned slots marked with "~".
fn marked(grid: &Grid, r: usize) -> Vec<String> {
    grid.rows[r]
        .iter()
        .map(|c| format!("{}{}", if c.spanned { "~" } else { "" }, c.text))
        .collect()
}

#[test]
fn docx_tables_are_grids_with_spans_resolved() {
    let d = docx_content();
    assert_eq!(d.grids.len(), 3, "tables 二, 三, 四");
    let requests = grid_with(&d.grids, "申请人情况");
    assert_eq!(
        requests.rows.len(),
        26,
        "3 header + 23 data rows (2019 format)"
    );
    assert!(
        requests.rows.iter().all(|r| r.len() == 10),
        "3 label + 7 value columns"
    );
    let head = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    assert_eq!(
        marked(requests, 0),
        [head.to_string(), format!("~{head}"), format!("~{head}")]
            .into_iter()
            .chain(["申请人情况".to_string()])
            .chain((0..6).map(|_| "~申请人情况".to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        marked(requests, 3),
        [
            "一、本年新收政府信息公开申请数量",
            "~一、本年新收政府信息公开申请数量",
            "~一、本年新收政府信息公开申请数量",
            "821",
            "35",
            "",
            "",
            "2",
            "1",
            "859"
        ]
    );
    // Row 8 sits inside the rowspans of 三、本年度办理结果 and （三）不予公开.
    assert_eq!(
        marked(requests, 8),
        [
            "~三、本年度办理结果",
            "~（三）不予公开",
            "2.其他法律行政法规禁止公开",
            "",
            "",
            "",
            "",
            "",
            "",
            ""
        ]
    );
    let appeals = grid_with(&d.grids, "行政复议");
    assert_eq!(
        marked(appeals, 3),
        ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]
    );
}

#[test]
fn docx_text_keeps_headings_and_rows() {
    let d = docx_content();
    let lines: Vec<&str> = d.text.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("2019年上海市人民政府办公厅政府信息公开工作年度报告")
    );
    assert!(lines.contains(&"三、收到和处理政府信息公开申请情况"));
    assert!(lines.contains(&"规章 | 13 | 13 | 524 |"), "{lines:?}");
}

#[test]
fn docx_parses_cell_by_cell() {
    let d = docx_content();
    assert_parsed(
        Input::Grids {
            grids: &d.grids,
            text: &d.text,
        },
        &SHANGHAI,
    );
}

#[test]
fn docx_that_is_not_one() {
    for name in [
        "huaian-2024-city.pdf",
        "html-named.pdf",
        "shanghai-2019-libreoffice.doc",
    ] {
        let r = docx::extract(&fixture(name));
        assert!(matches!(r, Err(DocxError::Malformed(_))), "{name}: {r:?}");
    }
}

#[test]
fn doc_converts_to_the_same_grids() {
    if !crate::util::require_tool("soffice") {
        return;
    }
    let d = doc::extract(&fixture("shanghai-2019-libreoffice.doc"), DocKind::Doc)
        .unwrap_or_else(|e| panic!("needs libreoffice-writer-nogui: {e}"));
    let requests = grid_with(&d.grids, "申请人情况");
    assert_eq!(requests.rows.len(), 26);
    assert_parsed(
        Input::Grids {
            grids: &d.grids,
            text: &d.text,
        },
        &SHANGHAI,
    );
    // A .wps is Word-compatible OLE: read alike.
    let w = doc::extract(&fixture("shanghai-2019-libreoffice.doc"), DocKind::Wps)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(w.grids, d.grids);
}

#[test]
fn doc_garbage_is_a_clean_error() {
    if !crate::util::require_tool("soffice") {
        return;
    }
    let mut truncated = fixture("shanghai-2019-libreoffice.doc");
    truncated.truncate(20_000);
    for bytes in [&b"\xD0\xCF\x11\xE0 not really an OLE file"[..], &truncated] {
        let r = doc::extract(bytes, DocKind::Doc);
        assert!(matches!(r, Err(DocError::Malformed { .. })), "{r:?}");
    }
}
