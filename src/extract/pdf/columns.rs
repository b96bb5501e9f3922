//! Blank table cells made visible: a row whose values skip a column gets an empty field there,
//! so "二、上年结转… 18 … 18" comes out as `label\t18\t\t\t\t18` and not `label\t18\t18`.
//!
//! The columns of a table are the x-ranges covered by value cells in the rows around a line,
//! overlapping cells counting as one column (numbers are centred, left- or right-aligned in
//! their cells, and always overlap within one column). The run of rows stops at a header row
//! reaching into the value area ("信息内容 本年处理决定数量" between two blocks of table 二),
//! so blocks with different column grids stay apart. The innermost header cells above the rows
//! add the columns no row fills (科研机构 and 社会公益组织 blank throughout Shanghai's table 三).

use super::layout::{Cell, Line};

/// How far (in lines) around a row its table's other rows are looked for.
const WINDOW: usize = 30;

/// Column x-ranges of a table reaching the bottom of a page, handed to the next page where the
/// table goes on without repeating its header.
pub(crate) type Carry = Vec<(f64, f64)>;

/// Insert empty cells for blank columns in every row of `lines` (one page, in order). `carry`
/// brings the columns of a table left open at the bottom of the previous page and takes those
/// of a table open at the bottom of this one.
pub(crate) fn fill_blanks(lines: &mut [Line], carry: &mut Carry) {
    let incoming = std::mem::take(carry);
    let mut filled: Vec<(usize, Vec<Cell>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = line.cells.iter().filter(|c| c.is_value()).count();
        if n == 0 {
            continue;
        }
        let (lo, hi) = table_run(lines, i);
        let heads = header_leaves(lines, lo, value_x(line));
        let mut cols = columns(lines.get(lo..hi).unwrap_or_default(), &heads);
        if lo == 0 && heads.is_empty() && fits(&cols, &incoming) {
            cols = merge(cols.into_iter().chain(incoming.iter().copied()).collect());
        }
        if hi == lines.len() {
            carry.clone_from(&cols);
        }
        if cols.len() <= n {
            continue;
        }
        if let Some(cells) = align(line, &cols) {
            filled.push((i, cells));
        }
    }
    for (i, cells) in filled {
        if let Some(l) = lines.get_mut(i) {
            l.cells = cells;
        }
    }
}

/// Whether every column of `cols` lies over exactly one of `prev` (the same table's grid).
fn fits(cols: &[(f64, f64)], prev: &[(f64, f64)]) -> bool {
    !prev.is_empty()
        && cols
            .iter()
            .all(|c| prev.iter().filter(|p| c.0 < p.1 && p.0 < c.1).count() == 1)
}

/// The lines around `i` that can share its table columns, as a half-open range: the run
/// stops at a text-only line reaching into the value area (a header row).
fn table_run(lines: &[Line], i: usize) -> (usize, usize) {
    let value_x = lines.get(i).map_or(f64::INFINITY, value_x);
    let blocks = |l: &Line| !l.has_values() && l.cells.iter().any(|c| c.x1 > value_x);
    let mut lo = i;
    while lo > 0 && i - lo < WINDOW && !lines.get(lo - 1).is_none_or(blocks) {
        lo -= 1;
    }
    let mut hi = i + 1;
    while hi < lines.len() && hi - i <= WINDOW && !lines.get(hi).is_none_or(blocks) {
        hi += 1;
    }
    (lo, hi)
}

/// Left edge of a line's first value.
fn value_x(line: &Line) -> f64 {
    line.cells
        .iter()
        .find(|c| c.is_value())
        .map_or(f64::INFINITY, |c| c.x0)
}

/// Most header lines looked at above a table's rows.
const MAX_HEADER_LINES: usize = 8;

/// The innermost header cells above the rows starting at line `lo`: text cells over the value
/// area (from `value_x` on) of the text-only lines just above, without the cells spanning two
/// or more narrower ones ("申请人情况", "法人或其他组织").
fn header_leaves(lines: &[Line], lo: usize, value_x: f64) -> Vec<(f64, f64)> {
    let mut cells: Vec<(f64, f64)> = Vec::new();
    for line in lines
        .get(lo.saturating_sub(MAX_HEADER_LINES)..lo)
        .unwrap_or_default()
        .iter()
        .rev()
    {
        if line.has_values() {
            break;
        }
        let over: Vec<&Cell> = line
            .cells
            .iter()
            .filter(|c| c.x0 >= value_x - 2.0 * c.em)
            .collect();
        if over.is_empty() {
            break;
        }
        cells.extend(over.iter().map(|c| (c.x0, c.x1)));
    }
    let overlaps = |a: &(f64, f64), b: &(f64, f64)| a.0 < b.1 && b.0 < a.1;
    cells
        .iter()
        .filter(|h| {
            let inner = cells
                .iter()
                .filter(|o| (o.1 - o.0) < (h.1 - h.0) && overlaps(h, o))
                .count();
            inner < 2
        })
        .copied()
        .collect()
}

/// Column x-ranges: value cells of `lines` (in rows where values follow the labels) and the
/// header leaves over them, merged where they overlap, left to right.
fn columns(lines: &[Line], heads: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let spans: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| split(l).is_some())
        .flat_map(|l| {
            l.cells
                .iter()
                .filter(|c| c.is_value())
                .map(|c| (c.x0, c.x1))
        })
        .chain(heads.iter().copied())
        .collect();
    merge(spans)
}

/// Merge overlapping x-ranges, left to right.
fn merge(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f64, f64)> = Vec::new();
    for (x0, x1) in spans {
        match cols.last_mut() {
            Some(last) if x0 < last.1 => last.1 = last.1.max(x1),
            _ => cols.push((x0, x1)),
        }
    }
    cols
}

/// A row as (labels, values) when every cell after the first value is a value too.
fn split(line: &Line) -> Option<(&[Cell], &[Cell])> {
    let first = line.cells.iter().position(Cell::is_value)?;
    let (labels, values) = line.cells.split_at(first);
    values
        .iter()
        .all(Cell::is_value)
        .then_some((labels, values))
}

/// `line`'s labels, then one cell per column: its value, or an empty cell where blank.
/// `None` when two values fall in one column or a label reaches into the columns.
fn align(line: &Line, cols: &[(f64, f64)]) -> Option<Vec<Cell>> {
    let (labels, values) = split(line)?;
    let first_col = cols.first()?.0;
    if labels.iter().any(|l| l.x1 > first_col) {
        return None;
    }
    let mut slots: Vec<Option<&Cell>> = vec![None; cols.len()];
    for v in values {
        let k = cols.iter().position(|&(x0, x1)| v.x0 < x1 && v.x1 > x0)?;
        let slot = slots.get_mut(k)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(v);
    }
    let (y0, y1) = (line.y0(), line.y1());
    let mut out: Vec<Cell> = labels.to_vec();
    for (slot, &(x0, x1)) in slots.iter().zip(cols) {
        out.push(match slot {
            Some(c) => (*c).clone(),
            None => Cell {
                x0,
                x1,
                y0,
                y1,
                em: 1.0,
                text: String::new(),
            },
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(x0: f64, x1: f64, y: f64, text: &str) -> Cell {
        Cell {
            x0,
            x1,
            y0: y,
            y1: y + 8.0,
            em: 8.0,
            text: text.into(),
        }
    }

    fn row(y: f64, label: &str, values: &[(f64, &str)]) -> Line {
        let mut cells = vec![cell(60.0, 200.0, y, label)];
        cells.extend(values.iter().map(|&(x, t)| cell(x, x + 12.0, y, t)));
        Line { cells }
    }

    fn texts(l: &Line) -> Vec<&str> {
        l.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn blank_columns_get_empty_fields() {
        let mut lines = vec![
            Line {
                cells: vec![
                    cell(60.0, 120.0, 0.0, "信息内容"),
                    cell(245.0, 275.0, 0.0, "自然人"),
                ],
            },
            row(
                20.0,
                "一、本年新收",
                &[(250.0, "821"), (290.0, "35"), (410.0, "2"), (490.0, "859")],
            ),
            row(40.0, "二、上年结转", &[(252.0, "18"), (492.0, "18")]),
        ];
        fill_blanks(&mut lines, &mut Vec::new());
        assert_eq!(texts(&lines[2]), ["二、上年结转", "18", "", "", "18"]);
        assert_eq!(texts(&lines[1]), ["一、本年新收", "821", "35", "2", "859"]);
        assert_eq!(
            texts(&lines[0]),
            ["信息内容", "自然人"],
            "headers untouched"
        );
    }

    #[test]
    fn header_leaves_reveal_columns_no_row_fills() {
        let head = |y: f64, cells: &[(f64, f64, &str)]| Line {
            cells: cells
                .iter()
                .map(|&(x0, x1, t)| cell(x0, x1, y, t))
                .collect(),
        };
        let mut lines = vec![
            head(0.0, &[(250.0, 500.0, "申请人情况")]),
            head(10.0, &[(280.0, 470.0, "法人或其他组织")]),
            head(20.0, &[(245.0, 275.0, "自然人"), (485.0, 505.0, "总计")]),
            head(
                30.0,
                &[
                    (285.0, 305.0, "商业企业"),
                    (325.0, 345.0, "科研机构"),
                    (365.0, 385.0, "公益"),
                ],
            ),
            head(35.0, &[(405.0, 425.0, "法律"), (445.0, 465.0, "其他")]),
            row(
                50.0,
                "一、本年新收",
                &[(250.0, "821"), (290.0, "35"), (410.0, "2"), (490.0, "859")],
            ),
        ];
        fill_blanks(&mut lines, &mut Vec::new());
        assert_eq!(
            texts(&lines[5]),
            ["一、本年新收", "821", "35", "", "", "2", "", "859"]
        );
    }

    #[test]
    fn columns_carry_over_a_page_break() {
        let head = Line {
            cells: vec![
                cell(245.0, 275.0, 0.0, "自然人"),
                cell(285.0, 305.0, 0.0, "商业企业"),
                cell(325.0, 345.0, 0.0, "科研机构"),
                cell(485.0, 505.0, 0.0, "总计"),
            ],
        };
        let mut page1 = vec![
            head,
            row(20.0, "一、本年新收", &[(250.0, "821"), (490.0, "859")]),
        ];
        let mut carry = Carry::new();
        fill_blanks(&mut page1, &mut carry);
        assert_eq!(carry.len(), 4);
        let mut page2 = vec![row(
            20.0,
            "1.本机关不掌握",
            &[(250.0, "252"), (290.0, "12")],
        )];
        fill_blanks(&mut page2, &mut carry);
        assert_eq!(texts(&page2[0]), ["1.本机关不掌握", "252", "12", "", ""]);
    }

    #[test]
    fn header_row_separates_tables() {
        let mut lines = vec![
            row(0.0, "规章", &[(250.0, "1"), (330.0, "0"), (410.0, "11")]),
            Line {
                cells: vec![
                    cell(60.0, 120.0, 20.0, "信息内容"),
                    cell(250.0, 330.0, 20.0, "本年处理决定数量"),
                ],
            },
            row(40.0, "行政许可", &[(250.0, "447228")]),
        ];
        fill_blanks(&mut lines, &mut Vec::new());
        assert_eq!(texts(&lines[2]), ["行政许可", "447228"]);
    }
}
