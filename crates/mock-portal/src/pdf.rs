//! Tiny, valid PDF files holding a report's text, written by hand.
//!
//! One font for everything: a non-embedded Type0 font `STSong-Light` (the Adobe-GB1 font every
//! Chinese PDF viewer knows) with `Identity-H` encoding and a `ToUnicode` CMap, so a text
//! extractor maps each 2-byte code straight back to its Unicode character (codes are the UTF-16
//! values). That is the same shape as the real WPS-made reports (`Identity-H` + `ToUnicode`),
//! minus embedded glyphs. Streams are uncompressed and the xref offsets are exact.
//!
//! Lines holding a tab are table rows: the first field (the row label) is set at the left
//! margin and the other fields at fixed column positions, in a smaller size, the way a real
//! report's table comes out of `pdftotext -layout` (aligned columns, one row per line).
//!
//! Hand-written rather than via a PDF crate: the output must be byte-identical across runs
//! (no timestamps, no random IDs), and ~150 lines cover the whole format needed.

use std::collections::BTreeSet;

/// Line width in half-em units (a CJK glyph is 2, an ASCII glyph 1): 495 pt of text at 9 pt.
const MAX_UNITS: usize = 108;
/// From this width on, a line breaks after the next punctuation mark.
const SOFT_UNITS: usize = 64;
/// Text size and leading.
const TEXT_SIZE: f32 = 9.0;
const TEXT_LEADING: f32 = 13.0;
/// Table rows: size and leading.
const CELL_SIZE: f32 = 6.5;
const CELL_LEADING: f32 = 10.0;
/// Left margin, first baseline, lowest baseline.
const LEFT: f32 = 50.0;
const TOP: f32 = 800.0;
const BOTTOM: f32 = 40.0;
/// Value columns of rows with up to 7 values span `VALUES_AT .. VALUES_AT + VALUES_WIDTH`;
/// rows with more values (the 15 of `appeals`) span the whole text width.
const VALUES_AT: f32 = 300.0;
const VALUES_WIDTH: f32 = 196.0;
const FULL_WIDTH: f32 = 495.0;
/// Characters after which a long line prefers to break.
const BREAK_AFTER: &str = "，。；：、）」”";

fn units(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Wrap `line` to [`MAX_UNITS`], breaking after punctuation once past [`SOFT_UNITS`] so
/// that numbers and short phrases stay on one line.
fn wrap(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + units(c) > MAX_UNITS {
            out.push(std::mem::take(&mut cur));
            width = 0;
        }
        cur.push(c);
        width += units(c);
        if width >= SOFT_UNITS && BREAK_AFTER.contains(c) {
            out.push(std::mem::take(&mut cur));
            width = 0;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// A piece of text at a position.
struct Run {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// Place `lines` on pages: text wrapped (see [`wrap`]), tab-separated rows as table cells.
fn layout(lines: &[String]) -> Vec<Vec<Run>> {
    let mut pages: Vec<Vec<Run>> = vec![Vec::new()];
    let mut y = TOP;
    let advance = |pages: &mut Vec<Vec<Run>>, y: &mut f32, leading: f32| {
        if *y < BOTTOM {
            pages.push(Vec::new());
            *y = TOP;
        }
        let at = *y;
        *y -= leading;
        at
    };
    for line in lines {
        if line.contains('\t') {
            let at = advance(&mut pages, &mut y, CELL_LEADING);
            let Some(page) = pages.last_mut() else {
                continue;
            };
            let mut fields = line.split('\t');
            let label = fields.next().unwrap_or("");
            let values: Vec<&str> = fields.collect();
            if !label.is_empty() {
                page.push(Run {
                    x: LEFT,
                    y: at,
                    size: CELL_SIZE,
                    text: label.to_string(),
                });
            }
            let k = values.len().max(1) as f32;
            let (x0, step) = if values.len() > 7 {
                (LEFT, FULL_WIDTH / k)
            } else {
                (VALUES_AT, VALUES_WIDTH / k)
            };
            for (j, v) in values.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                page.push(Run {
                    x: x0 + j as f32 * step,
                    y: at,
                    size: CELL_SIZE,
                    text: (*v).to_string(),
                });
            }
        } else {
            for piece in wrap(line) {
                let at = advance(&mut pages, &mut y, TEXT_LEADING);
                if let Some(page) = pages.last_mut() {
                    page.push(Run {
                        x: LEFT,
                        y: at,
                        size: TEXT_SIZE,
                        text: piece,
                    });
                }
            }
        }
    }
    pages
}

/// A PDF whose pages show `lines` (see [`layout`]), titled `title`.
pub(crate) fn pdf_from_lines(title: &str, lines: &[String]) -> Vec<u8> {
    let pages = layout(lines);
    let mut used_high: BTreeSet<u16> = BTreeSet::new();
    let mut w = Writer::default();
    w.out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    // Object numbers: 1 catalog, 2 pages, 3 Type0 font, 4 CIDFont, 5 descriptor, 6 ToUnicode,
    // 7 info, then (page, content) pairs.
    let first_page_obj = 8;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page_obj + 2 * i))
        .collect();
    w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.obj(
        2,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
    );
    w.obj(
        3,
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>",
    );
    w.obj(
        4,
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 /W [32 126 500] >>",
    );
    w.obj(
        5,
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    );

    let contents: Vec<String> = pages
        .iter()
        .map(|page| content_stream(page, &mut used_high))
        .collect();
    w.stream(6, &to_unicode_cmap(&used_high));

    let title_hex: String = std::iter::once(0xFEFFu16)
        .chain(title.encode_utf16())
        .map(|u| format!("{u:04X}"))
        .collect();
    w.obj(
        7,
        &format!("<< /Title <{title_hex}> /Producer (nianbao demo portal) >>"),
    );

    for (i, content) in contents.iter().enumerate() {
        let page_obj = first_page_obj + 2 * i;
        w.obj(
            page_obj,
            &format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                page_obj + 1
            ),
        );
        w.stream(page_obj + 1, content);
    }
    w.finish()
}

/// The content stream of one page; notes the high bytes of the UTF-16 units it shows.
fn content_stream(page: &[Run], used_high: &mut BTreeSet<u16>) -> String {
    let mut s = String::new();
    for run in page {
        let mut hex = String::with_capacity(run.text.len() * 4);
        for unit in run.text.chars().map(bmp) {
            used_high.insert(unit >> 8);
            hex.push_str(&format!("{unit:04X}"));
        }
        s.push_str(&format!(
            "BT /F1 {} Tf {:.2} {:.2} Td <{hex}> Tj ET\n",
            run.size, run.x, run.y
        ));
    }
    s
}

/// The ToUnicode CMap: Identity-H codes are UTF-16 units, mapped in blocks of 256 (one per
/// high byte used).
fn to_unicode_cmap(used_high: &BTreeSet<u16>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let highs: Vec<u16> = used_high.iter().copied().collect();
    for group in highs.chunks(100) {
        cmap.push_str(&format!("{} beginbfrange\n", group.len()));
        for hb in group {
            cmap.push_str(&format!("<{hb:02X}00> <{hb:02X}FF> <{hb:02X}00>\n"));
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The UTF-16 unit shown for `c`; characters outside the BMP become 〓 (U+3013).
fn bmp(c: char) -> u16 {
    u16::try_from(u32::from(c)).unwrap_or(0x3013)
}

#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    /// (object number, byte offset).
    offsets: Vec<(usize, usize)>,
}

impl Writer {
    fn obj(&mut self, n: usize, dict: &str) {
        self.offsets.push((n, self.out.len()));
        self.out
            .extend_from_slice(format!("{n} 0 obj\n{dict}\nendobj\n").as_bytes());
    }

    fn stream(&mut self, n: usize, data: &str) {
        self.offsets.push((n, self.out.len()));
        self.out.extend_from_slice(
            format!("{n} 0 obj\n<< /Length {} >>\nstream\n", data.len()).as_bytes(),
        );
        self.out.extend_from_slice(data.as_bytes());
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// The file: the objects written, the cross-reference table and the trailer (object 1 the
    /// catalog, 7 the info dictionary), with an ID derived from the bytes.
    fn finish(mut self) -> Vec<u8> {
        let id = super::util::etag_for(&self.out);
        let id_hex = hex::encode(id.as_bytes());
        let xref_at = self.out.len();
        let count = self.offsets.len() + 1;
        let mut xref = format!("xref\n0 {count}\n0000000000 65535 f \n");
        let mut offsets = self.offsets.clone();
        offsets.sort_unstable();
        for (_, off) in offsets {
            xref.push_str(&format!("{off:010} 00000 n \n"));
        }
        xref.push_str(&format!(
            "trailer\n<< /Size {count} /Root 1 0 R /Info 7 0 R /ID [<{id_hex}> <{id_hex}>] >>\nstartxref\n{xref_at}\n%%EOF\n"
        ));
        self.out.extend_from_slice(xref.as_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pdf: &[u8]) -> String {
        String::from_utf8_lossy(pdf).into_owned()
    }

    #[test]
    fn well_formed_with_exact_xref() {
        let lines: Vec<String> = (0..120)
            .map(|i| format!("第{i}行 一、总体情况 ABC"))
            .collect();
        let pdf = pdf_from_lines("某县2023年政府信息公开工作年度报告", &lines);
        let s = text(&pdf);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(s.ends_with("%%EOF\n"));
        assert!(s.contains("/Count 3"));
        // startxref points at "xref".
        let kw = b"startxref\n";
        let at = pdf.windows(kw.len()).rposition(|w| w == kw).unwrap_or(0) + kw.len();
        let digits: String = pdf[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|b| char::from(*b))
            .collect();
        let start: usize = digits.parse().unwrap_or(0);
        assert_eq!(pdf.get(start..start + 4), Some(&b"xref"[..]));
        // Every xref offset points at "N 0 obj".
        let xref = String::from_utf8_lossy(&pdf[start..]).into_owned();
        for (i, line) in xref
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .enumerate()
        {
            let off: usize = line[..10].parse().unwrap_or(0);
            assert!(
                pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        // 一 is U+4E00, in a ToUnicode range.
        assert!(s.contains("4E00"));
        assert!(s.contains("<4E00> <4EFF> <4E00>"));
        assert_eq!(
            pdf,
            pdf_from_lines("某县2023年政府信息公开工作年度报告", &lines)
        );
    }

    #[test]
    fn wrapping_prefers_punctuation_and_keeps_numbers() {
        let prose = "根据条例要求，现发布本单位年度报告。".repeat(6)
            + "如有疑问，请联系（联系人李明，联系电话0773-95728481）。";
        let lines = wrap(&prose);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().any(|l| l.contains("联系电话0773-95728481")),
            "{lines:?}"
        );
        assert!(lines
            .iter()
            .all(|l| l.chars().map(units).sum::<usize>() <= MAX_UNITS));
        assert_eq!(lines.concat(), prose);
        let row = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请  0  0  0  0  0  0  0";
        assert_eq!(wrap(row), vec![row.to_string()]);
        assert_eq!(wrap(""), vec![String::new()]);
    }

    #[test]
    fn table_rows_are_set_in_aligned_columns() {
        let rows: Vec<String> = vec![
            "标题".into(),
            "一、本年新收\t1\t2\t3\t4\t5\t6\t21".into(),
            "（七）总计\t10\t20\t30\t40\t50\t60\t210".into(),
        ];
        let pages = layout(&rows);
        assert_eq!(pages.len(), 1);
        let xs = |t: &str| pages[0].iter().find(|r| r.text == t).map(|r| (r.x, r.y));
        let (x1, y1) = xs("1").unwrap_or_default();
        let (x10, y10) = xs("10").unwrap_or_default();
        assert_eq!(x1, x10, "same column, same x");
        assert!(y10 < y1);
        assert_eq!(xs("21").map(|p| p.0), xs("210").map(|p| p.0));
        let many = layout(&[format!("\t{}", vec!["0"; 15].join("\t"))]);
        assert_eq!(many[0].len(), 15);
        let long: Vec<String> = (0..200).map(|i| format!("第{i}行")).collect();
        assert!(layout(&long).len() >= 3);
    }

    #[test]
    fn content_differs_per_text() {
        assert_ne!(
            pdf_from_lines("a", &["甲".into()]),
            pdf_from_lines("a", &["乙".into()])
        );
        assert_eq!(bmp('😀'), 0x3013);
    }
}
