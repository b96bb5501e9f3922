//! [`Grid`]s (HTML and DOCX tables with spans resolved) → [`Line`]s for the row reader.
//!
//! One grid row becomes one line. A value cell counts once, at the slot where it starts, so
//! values are taken in printed order whatever their colspans (Shanghai's 2019 `active` table has
//! different colspans in header and data rows, formats.md §3). A label cell that reaches this
//! row through a rowspan (三、本年度办理结果, （三）不予公开) is repeated into the row as context,
//! so the row reads as the printed form does; consecutive copies of one label collapse.

use super::cells::is_value_like;
use super::grid::Grid;
use super::rows::{Field, Layout, Line};

/// The lines of one grid; the first is marked as a table start.
pub(crate) fn lines(grid: &Grid) -> Vec<Line> {
    let mut out = Vec::with_capacity(grid.rows.len());
    for (r, row) in grid.rows.iter().enumerate() {
        let mut fields: Vec<Field> = Vec::with_capacity(row.len());
        for (c, slot) in row.iter().enumerate() {
            if !slot.spanned {
                fields.push(Field {
                    text: slot.text.trim().to_string(),
                    col: c,
                });
                continue;
            }
            let text = slot.text.trim();
            let is_copy_of_last = fields.last().is_some_and(|f| f.text == text);
            if !text.is_empty() && !is_value_like(text) && !is_copy_of_last {
                fields.push(Field {
                    text: text.to_string(),
                    col: c,
                });
            }
        }
        if fields.iter().all(|f| f.text.is_empty()) && fields.len() <= 1 {
            continue;
        }
        out.push(Line {
            layout: Layout::Grid,
            fields,
            table_start: r == 0,
        });
    }
    if let Some(first) = out.first_mut() {
        first.table_start = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::grid::GridCell;

    fn g(rows: &[&[(&str, bool)]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|(t, s)| GridCell {
                            text: t.to_string(),
                            spanned: *s,
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn values_count_once_labels_repeat() {
        let grid = g(&[
            &[
                ("三、本年度办理结果", false),
                ("（一）予以公开", false),
                ("（一）予以公开", true),
                ("8", false),
                ("8", true),
            ],
            &[
                ("三、本年度办理结果", true),
                ("（二）部分公开", false),
                ("（二）部分公开", true),
                ("", false),
                ("", true),
            ],
        ]);
        let l = lines(&grid);
        let t: Vec<&str> = l[0].fields.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(t, ["三、本年度办理结果", "（一）予以公开", "8"]);
        let t: Vec<&str> = l[1].fields.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(t, ["三、本年度办理结果", "（二）部分公开", ""]);
        assert!(l[0].table_start && !l[1].table_start);
    }
}
