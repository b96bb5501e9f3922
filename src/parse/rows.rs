//! The common currency of all layouts: lines of fields → logical rows (a label and its values).
//!
//! HTML grids, DOCX grids, pipe rows, tab-separated PDF text, `pdftotext -layout` text and
//! one-cell-per-line text all become [`Line`]s of [`Field`]s (see `text.rs` and
//! `grid_reader.rs`). [`rows`] then splits each line into label fields and value fields and
//! stitches lines together where the layout spread one table row over several lines: a label
//! line followed by value lines (one cell per line, or numbers on the middle line of a wrapped
//! label), and wrapped labels whose start sits on the lines before. Which row a label names is
//! decided later, by `assemble.rs`.

use super::cells::is_value_like;
use super::labels::norm;

/// Where a line came from; decides how positions of its fields can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// A row of an HTML/DOCX grid (spans resolved; value cells in printed order).
    Grid,
    /// Cells joined by `|` (HTML-to-text); trailing empty cells dropped.
    Pipe,
    /// Cells separated by tabs (our PDF text); blank cells are empty fields, some lost.
    Tab,
    /// Cells separated by runs of spaces (`pdftotext -layout`, plain text); blank cells vanish.
    Spaces,
}

/// One cell of a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The cell's text, trimmed.
    pub text: String,
    /// Character column where the field starts (`Spaces`), else the field's index.
    pub col: usize,
}

/// One line of a layout.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// How the fields were separated.
    pub layout: Layout,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// True for the first row of an HTML/DOCX table.
    pub table_start: bool,
}

/// A logical table row: the label and the value cells that follow it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    /// Layout of the line the row came from.
    pub layout: Layout,
    /// Normalised label: every label field of the line, joined.
    pub label: String,
    /// Normalised labels of the value-less lines right before this row (wrapped label starts).
    pub pre: String,
    /// Normalised label of the value-less line right after this row (a wrapped label's end,
    /// when the values sit on the label's middle line).
    pub post: String,
    /// Index of the last label field in the line (`None` for value-only lines).
    pub label_idx: Option<usize>,
    /// Index of a field starting with 自然 (the requests header), for tab alignment.
    pub natural_col: Option<usize>,
    /// The label fields, normalised, with their columns (grid slot for HTML/DOCX).
    pub labels: Vec<Field>,
    /// Value fields after the label.
    pub values: Vec<Field>,
    /// True when this row starts a new HTML/DOCX table.
    pub table_start: bool,
}

impl RawRow {
    /// True when at least one value is non-blank.
    pub(crate) fn has_numbers(&self) -> bool {
        use super::cells::{parse, Parsed, Unit};
        self.values
            .iter()
            .any(|f| matches!(parse(&f.text, Unit::Signed), Parsed::Value(_)))
    }
}

/// Longest label field read (the longest real label, （六）2.申请人逾期未按收费通知要求缴纳费用、
/// 行政机关不再处理其政府信息公开申请, is 46 characters: 138 bytes).
const MAX_LABEL_BYTES: usize = 300;

/// Most value-less lines joined into one wrapped label.
const MAX_PRE_LINES: usize = 4;

/// Splits lines into label and values and stitches multi-line rows (see the module doc).
pub(crate) fn rows(lines: &[Line]) -> Vec<RawRow> {
    let mut out: Vec<RawRow> = Vec::new();
    // True while the last row is collecting values one line at a time.
    let mut collecting = false;
    for line in lines {
        if line.fields.is_empty() {
            continue;
        }
        let last_label = line
            .fields
            .iter()
            .rposition(|f| !f.text.is_empty() && !is_value_like(&f.text));
        match last_label {
            Some(l) => {
                let mut label = String::new();
                let mut labels = Vec::new();
                let mut natural_col = None;
                for (i, f) in line.fields[..=l].iter().enumerate() {
                    // Prose is never a table label; it is not worth normalising.
                    if f.text.is_empty() || f.text.len() > MAX_LABEL_BYTES {
                        continue;
                    }
                    let n = norm(&f.text);
                    if natural_col.is_none() && n.starts_with("自然") {
                        natural_col = Some(i);
                    }
                    label.push_str(&n);
                    labels.push(Field {
                        text: n,
                        col: f.col,
                    });
                }
                let values = line.fields[l + 1..].to_vec();
                collecting = values.is_empty();
                out.push(RawRow {
                    layout: line.layout,
                    label,
                    pre: String::new(),
                    post: String::new(),
                    label_idx: Some(l),
                    natural_col,
                    labels,
                    values,
                    table_start: line.table_start,
                });
            }
            None => {
                if line.layout == Layout::Tab && line.fields.iter().all(|f| f.text.is_empty()) {
                    continue;
                }
                match out.last_mut() {
                    Some(open) if !line.table_start && open.values.is_empty() => {
                        open.values = line.fields.clone();
                        collecting = line.fields.len() == 1;
                    }
                    Some(open) if !line.table_start && collecting && line.fields.len() == 1 => {
                        open.values.extend(line.fields.iter().cloned());
                    }
                    _ => {
                        collecting = false;
                        out.push(RawRow {
                            layout: line.layout,
                            label: String::new(),
                            pre: String::new(),
                            post: String::new(),
                            label_idx: None,
                            natural_col: None,
                            labels: Vec::new(),
                            values: line.fields.clone(),
                            table_start: line.table_start,
                        });
                    }
                }
            }
        }
    }
    // Wrapped label starts: labels of value-less rows right before a row with values.
    for i in 0..out.len() {
        if out[i].values.is_empty() {
            continue;
        }
        if out[i].table_start {
            continue;
        }
        let mut start = i;
        while start > 0 && i - start < MAX_PRE_LINES && out[start - 1].values.is_empty() {
            start -= 1;
            if out[start].table_start {
                break;
            }
        }
        if start < i {
            let pre: String = out[start..i].iter().map(|r| r.label.as_str()).collect();
            out[i].pre = pre;
        }
        if let Some(next) = out.get(i + 1) {
            if next.values.is_empty() && !next.table_start {
                out[i].post = next.label.clone();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(layout: Layout, fields: &[&str]) -> Line {
        Line {
            layout,
            fields: fields
                .iter()
                .enumerate()
                .map(|(i, t)| Field {
                    text: t.to_string(),
                    col: i,
                })
                .collect(),
            table_start: false,
        }
    }

    #[test]
    fn label_then_values_on_one_line() {
        let r = rows(&[line(
            Layout::Pipe,
            &["三、本年度办理结果", "(一)予以公开", "8", "0", "8"],
        )]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].label, "三、本年度办理结果(一)予以公开");
        assert_eq!(r[0].values.len(), 3);
        assert_eq!(r[0].label_idx, Some(1));
    }

    #[test]
    fn one_cell_per_line_is_stitched() {
        let r = rows(&[
            line(Layout::Pipe, &["规章"]),
            line(Layout::Pipe, &["0"]),
            line(Layout::Pipe, &["1"]),
            line(Layout::Pipe, &["2"]),
            line(Layout::Pipe, &["行政规范性文件"]),
            line(Layout::Pipe, &["3"]),
        ]);
        assert_eq!(r.len(), 2);
        let v: Vec<&str> = r[0].values.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(v, ["0", "1", "2"]);
        assert_eq!(r[1].values.len(), 1);
    }

    #[test]
    fn numbers_on_the_middle_line_of_a_wrapped_label() {
        let r = rows(&[
            line(Layout::Spaces, &["（二）部分公开（区分处理的，只计这一情"]),
            line(Layout::Spaces, &["447", "7", "0", "0", "0", "0", "454"]),
            line(Layout::Spaces, &["形，不计其他情形）"]),
            line(
                Layout::Spaces,
                &["1.属于国家秘密", "2", "0", "0", "0", "0", "0", "2"],
            ),
        ]);
        assert_eq!(r[0].values.len(), 7);
        assert!(r[0].label.starts_with("(二)部分公开"));
        assert_eq!(r[2].pre, "形,不计其他情形)");
    }
}
