//! Unit tests of [`super`] on DOCX files built in memory.

use std::io::Write;

use super::*;

/// A DOCX holding `body` (the inside of `w:body`).
fn docx(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &xml),
    ])
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(*name, opts).expect("zip entry");
        zip.write_all(data.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish");
    out.into_inner()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn tc(props: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

fn texts(g: &Grid) -> Vec<Vec<String>> {
    g.rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| format!("{}{}", if c.spanned { "~" } else { "" }, c.text))
                .collect()
        })
        .collect()
}

#[test]
fn paragraphs_become_lines() {
    let body = format!(
        "{}{}<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
         <w:r><w:t>一、</w:t></w:r><w:r><w:tab/><w:t>总体情况</w:t></w:r>\
         <w:r><w:delText>删除</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>",
        p("2024年  政府信息公开&amp;年度报告"),
        p("")
    );
    let d = extract(&docx(&body)).expect("docx");
    assert_eq!(d.text, "2024年 政府信息公开&年度报告\n一、 总体情况\n");
    assert!(d.grids.is_empty());
}

#[test]
fn spans_resolve_like_html() {
    let span2 = "<w:gridSpan w:val=\"2\"/>";
    let restart = "<w:vMerge w:val=\"restart\"/>";
    let cont = "<w:vMerge/>";
    let body = format!(
        "<w:tbl><w:tblGrid/>\
         <w:tr>{}{}</w:tr>\
         <w:tr>{}{}{}</w:tr>\
         <w:tr>{}{}{}</w:tr>\
         <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr>\
         </w:tbl>{}",
        tc(span2, "三、本年度办理结果"),
        tc("", "总计"),
        tc(restart, "（三）不予公开"),
        tc("", "1.属于国家秘密"),
        tc("", "2"),
        tc(cont, ""),
        tc("", "2.其他"),
        tc("", ""),
        tc("", "a"),
        tc("", "b"),
        p("after"),
    );
    let d = extract(&docx(&body)).expect("docx");
    assert_eq!(d.grids.len(), 1);
    assert_eq!(
        texts(&d.grids[0]),
        [
            ["三、本年度办理结果", "~三、本年度办理结果", "总计"],
            ["（三）不予公开", "1.属于国家秘密", "2"],
            ["~（三）不予公开", "2.其他", ""],
            ["~", "a", "b"],
        ]
    );
    assert_eq!(
        d.text,
        "三、本年度办理结果 | 总计 |\n（三）不予公开 | 1.属于国家秘密 | 2 |\n2.其他 |  |\na | b |\nafter\n"
    );
}

#[test]
fn nested_tables_follow_their_outer_table() {
    let inner = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", "inner"));
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{inner}</w:tc>{}</w:tr></w:tbl>",
        p("outer"),
        tc("", "x")
    );
    let d = extract(&docx(&body)).expect("docx");
    assert_eq!(d.grids.len(), 2);
    assert_eq!(texts(&d.grids[0]), [["outer", "x"]]);
    assert_eq!(texts(&d.grids[1]), [["inner"]]);
}

#[test]
fn cells_join_their_paragraphs() {
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{}</w:tc></w:tr></w:tbl>",
        p("本年新"),
        p("制作数量")
    );
    let d = extract(&docx(&body)).expect("docx");
    assert_eq!(texts(&d.grids[0]), [["本年新 制作数量"]]);
}

#[test]
fn hostile_spans_and_broken_xml_are_bounded() {
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}</w:tr>",
        tc("<w:gridSpan w:val=\"99999999\"/>", "wide"),
        tc("<w:gridSpan w:val=\"-3\"/>", "neg"),
        tc("<w:vMerge/>", "orphan"),
    );
    let d = extract(&docx(&body)).expect("docx");
    let g = &d.grids[0];
    assert!(g.rows.iter().all(|r| r.len() == g.rows[0].len()));
    assert!(g.rows[0].len() <= MAX_COLS);
}

#[test]
fn not_a_docx() {
    assert!(matches!(
        extract(b"not a zip"),
        Err(DocxError::Malformed(_))
    ));
    let xlsx = zip_of(&[("xl/workbook.xml", "<workbook/>")]);
    assert!(matches!(extract(&xlsx), Err(DocxError::Malformed(_))));
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert!(matches!(extract(&ole), Err(DocxError::Malformed(_))));
}

#[test]
fn inflating_past_the_cap_is_refused() {
    let big = docx(&p(&"零".repeat(20_000)));
    assert!(big.len() < 10_000, "compresses well: {}", big.len());
    let r = extract_capped(&big, 10_000);
    assert!(matches!(r, Err(DocxError::TooLarge(_))), "{r:?}");
    assert!(extract_capped(&big, 1 << 20).is_ok());
}
