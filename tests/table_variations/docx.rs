//! A generated report as a DOCX file with real merged cells (`gridSpan`, `vMerge`), written
//! by hand (a zip of three parts). Quirks that matter once LibreOffice lays it out as a PDF:
//! column widths (narrow label columns wrap long labels onto two to nine lines, narrow value
//! columns wrap headers), font size, values centred or at the top of their rows, prose before
//! the tables (so page breaks fall anywhere inside them), header rows repeated after a page
//! break or not, a heading on one page and its table on the next, rows allowed to break across
//! pages or not, labels merged or repeated, table 三 split in two.

use std::io::Write;

use super::form::{self, occupancy, FormTable, Labels, HEADINGS, PROSE};
use super::world::{Report, Rng};
use nianbao::model::TableName;

/// The choices one document is rendered with.
#[derive(Debug, Clone)]
pub struct Quirks {
    /// Width of each of table 三's three label columns, in twips.
    pub label_widths: [u32; 3],
    /// Width of table 二's label column.
    pub active_label_width: u32,
    /// Width of a value column of table 三.
    pub value_width: u32,
    /// Width of a column of table 四.
    pub appeal_width: u32,
    /// Font size in half-points.
    pub half_points: u32,
    /// Values centred vertically (else at the top).
    pub centred: bool,
    /// Prose paragraphs before tables 二, 三 and 四.
    pub filler: [usize; 3],
    /// Header rows repeated after a page break.
    pub repeat_header: bool,
    /// A page break between the heading and the table, per table.
    pub heading_split: [bool; 3],
    /// Rows may not break across pages.
    pub cant_split: bool,
    pub labels: Labels,
    /// Table 三 as two tables, header repeated before （一）.
    pub split: bool,
    /// Left and right cell padding in twips: Word's default (108) or LibreOffice's (57).
    pub padding: u32,
}

impl Quirks {
    pub fn random(rng: &mut Rng) -> Quirks {
        let split_one = rng.below(5) as usize; // 3 and 4: no split heading
        Quirks {
            label_widths: [
                *rng.pick(&[500, 700, 1000]),
                *rng.pick(&[800, 1100, 1500]),
                *rng.pick(&[1300, 1800, 2600, 3400]),
            ],
            active_label_width: *rng.pick(&[900, 1400, 2400]),
            value_width: *rng.pick(&[560, 700, 850]),
            appeal_width: *rng.pick(&[560, 620, 660]),
            half_points: *rng.pick(&[18, 21, 21, 24]),
            centred: rng.chance(70),
            filler: [
                rng.below(14) as usize,
                rng.below(10) as usize,
                rng.below(6) as usize,
            ],
            repeat_header: rng.chance(50),
            heading_split: [split_one == 0, split_one == 1, split_one == 2],
            cant_split: rng.chance(30),
            labels: *rng.pick(&[
                Labels::Merged,
                Labels::Merged,
                Labels::Merged,
                Labels::Repeated,
            ]),
            split: rng.chance(15),
            padding: *rng.pick(&[57, 108, 108]),
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn run(text: &str, half_points: u32) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/>\
         <w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    )
}

fn para(text: &str, q: &Quirks, centred: bool) -> String {
    let jc = if centred {
        "<w:jc w:val=\"center\"/>"
    } else {
        ""
    };
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/>{jc}</w:pPr>{}</w:p>",
        if text.is_empty() {
            String::new()
        } else {
            run(text, q.half_points)
        }
    )
}

const PAGE_BREAK: &str = "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";

/// Column widths of `t`: the chosen ones, value columns widened so the widest number fits on
/// one line (a wrapped number is a different number; real forms size their columns for them).
fn widths(t: &FormTable, q: &Quirks) -> Vec<u32> {
    let widest = t
        .rows
        .iter()
        .flatten()
        .filter(|c| !c.label)
        .map(|c| c.text.chars().count() as u32)
        .max()
        .unwrap_or(1);
    let fit = |w: u32| w.max(widest * q.half_points * 6 + 2 * q.padding + 40);
    match t.name {
        TableName::Requests => q
            .label_widths
            .iter()
            .copied()
            .chain(std::iter::repeat_n(fit(q.value_width), 7))
            .collect(),
        TableName::Active => {
            let rest = (q.value_width * 7 + q.label_widths.iter().sum::<u32>())
                .saturating_sub(q.active_label_width)
                .clamp(2400, 7500)
                / 3;
            std::iter::once(q.active_label_width)
                .chain(std::iter::repeat_n(fit(rest), 3))
                .collect()
        }
        TableName::Appeals => vec![fit(q.appeal_width); 15],
    }
}

/// One table as `w:tbl`; `rows` picks the rows drawn (header rows of a split part included by
/// the caller).
fn table_xml(t: &FormTable, rows: &[usize], q: &Quirks) -> String {
    let widths = widths(t, q);
    let grid = occupancy(t);
    let mut s = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>\
         </w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"{pad}\" w:type=\"dxa\"/>\
         <w:right w:w=\"{pad}\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
        pad = q.padding
    );
    for w in &widths {
        s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    s.push_str("</w:tblGrid>");
    for &r in rows {
        let header = r < t.header_rows;
        s.push_str("<w:tr><w:trPr>");
        if header && q.repeat_header {
            s.push_str("<w:tblHeader/>");
        }
        if q.cant_split {
            s.push_str("<w:cantSplit/>");
        }
        s.push_str("</w:trPr>");
        let mut c = 0;
        while c < t.cols {
            let Some((or, oi, start)) = grid[r][c] else {
                c += 1;
                continue;
            };
            let cell = &t.rows[or][oi];
            let span = cell.colspan.min(t.cols - c);
            let width: u32 = widths[c..c + span].iter().sum();
            let mut pr = format!("<w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
            if span > 1 {
                pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
            }
            // A rowspan drawn in a part that starts below the cell's first row restarts there.
            let restart = start || !rows.contains(&or) || rows.first() == Some(&r) && or < r;
            if cell.rowspan > 1 {
                pr.push_str(if restart {
                    "<w:vMerge w:val=\"restart\"/>"
                } else {
                    "<w:vMerge/>"
                });
            }
            let valign = if q.centred || cell.label {
                "center"
            } else {
                "top"
            };
            pr.push_str(&format!("<w:vAlign w:val=\"{valign}\"/>"));
            let text = if restart { cell.text.as_str() } else { "" };
            s.push_str(&format!(
                "<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>",
                para(text, q, !cell.label || cell.text.chars().count() <= 8)
            ));
            c += span;
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

/// `word/document.xml` of `report`.
pub fn document_xml(report: &Report, q: &Quirks) -> String {
    let mut body = para(&report.title(), q, true);
    body.push_str(&para(HEADINGS[0], q, false));
    let tables = [
        form::active(report),
        form::requests(report, q.labels),
        form::appeals(report),
    ];
    for (i, t) in tables.iter().enumerate() {
        for _ in 0..q.filler[i] {
            body.push_str(&para(PROSE, q, false));
        }
        body.push_str(&para(HEADINGS[i + 1], q, false));
        if q.heading_split[i] {
            body.push_str(PAGE_BREAK);
        }
        let all: Vec<usize> = (0..t.rows.len()).collect();
        if q.split && t.name == TableName::Requests {
            let at = t.header_rows + 2;
            body.push_str(&table_xml(t, &all[..at], q));
            body.push_str(&para("", q, false));
            let second: Vec<usize> = (0..t.header_rows).chain(at..t.rows.len()).collect();
            body.push_str(&table_xml(t, &second, q));
        } else {
            body.push_str(&table_xml(t, &all, q));
        }
    }
    for h in &HEADINGS[4..] {
        body.push_str(&para(h, q, false));
        body.push_str(&para("无。", q, false));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1300\" w:right=\"900\" \
         w:bottom=\"1300\" w:left=\"900\" w:header=\"600\" w:footer=\"600\" w:gutter=\"0\"/></w:sectPr>\
         </w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// The DOCX file of `report`.
pub fn docx(report: &Report, q: &Quirks) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/document.xml", document_xml(report, q)),
    ] {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}
