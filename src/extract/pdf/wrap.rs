//! Table labels wrapped over several lines, joined back into one cell.
//!
//! Word processors centre a row's numbers vertically, so a two-line label puts the numbers
//! between its lines (Huaian: "（二）部分公开（区分处理的，只计这一情" / "447 7 0 0 0 0 454" /
//! "形，不计其他情形）"), and a three-line label puts them on its middle line. A label line
//! continues on the next when it is *full* (it reaches the right edge of its column, taken as
//! the widest cell starting at the same x on the page, or the next column starts right after
//! it), the next cell starts at the same x (or a hanging indent further right),
//! is not wider, does not open with an enumerator ("1.", "（二）", "三、"), and lies within
//! three character heights; a line holding a whole label or header of the forms
//! (`parse::complete`) never continues. The joined label goes to the one row whose numbers lie beside it;
//! with no such row it stays a text line, and with two it is left alone.

use std::collections::HashSet;

use super::bbox::Page;
use super::layout::{Cell, Line};
use crate::parse::complete::is_complete_label;

/// Pages with more label candidates than this are left as they are (quadratic work).
const MAX_CANDIDATES: usize = 3000;
/// How many lines below a label its continuation may be (other columns' lines in between).
const LOOKAHEAD: usize = 4;

type At = (usize, usize); // (line index, cell index)

/// Join wrapped labels on one page. Lines may come in any order; they leave sorted by height.
pub(crate) fn join_wrapped(page: &Page, lines: &mut [Line]) {
    lines.sort_by(|a, b| a.yc().total_cmp(&b.yc()));
    let width = if page.width > 0.0 { page.width } else { 595.0 };
    let candidates: Vec<At> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            l.cells.iter().enumerate().filter_map(move |(k, c)| {
                (!c.is_value() && c.x1 - c.x0 <= 0.45 * width).then_some((i, k))
            })
        })
        .collect();
    if candidates.len() > MAX_CANDIDATES {
        return;
    }
    let (next, has_prev) = links(lines, &candidates);
    let joined = chains(lines, &next, &has_prev);
    apply(lines, joined);
}

fn cell_at(lines: &[Line], (i, k): At) -> Option<&Cell> {
    lines.get(i).and_then(|l| l.cells.get(k))
}

/// Links from a full label line to its continuation (see the module doc); and the cells that
/// continue another.
fn links(lines: &[Line], candidates: &[At]) -> (Vec<(At, At)>, HashSet<At>) {
    let cell = |at: At| cell_at(lines, at);
    let is_candidate: HashSet<At> = candidates.iter().copied().collect();
    // Right edge of each candidate's column: the widest cell starting where it starts, leaving
    // out cells that reach past the next column (a caption or （七）总计 spanning columns).
    let right_edge = |(i, _): At, a: &Cell| {
        let limit = next_column_x0(lines, i, a);
        candidates
            .iter()
            .filter_map(|&at| cell(at))
            .filter(|b| (b.x0 - a.x0).abs() <= 0.5 * a.em.max(b.em) && b.x1 <= limit)
            .map(|b| b.x1)
            .fold(a.x1, f64::max)
    };
    let mut next: Vec<(At, At)> = Vec::new();
    let mut has_prev: HashSet<At> = HashSet::new();
    for &a_at in candidates {
        let Some(a) = cell(a_at) else { continue };
        if a.x1 < right_edge(a_at, a) - 1.2 * a.em && !abuts_next_column(lines, a_at.0, a) {
            continue;
        }
        // A whole label or header has not wrapped, however wide ("行政处罚" filling a narrow
        // column above "行政强制").
        if is_complete_label(&a.text) {
            continue;
        }
        let last = (a_at.0 + LOOKAHEAD).min(lines.len().saturating_sub(1));
        for j in a_at.0 + 1..=last {
            let Some(line) = lines.get(j) else { break };
            let over: Vec<usize> = line
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.x0 < a.x1 && c.x1 > a.x0)
                .map(|(m, _)| m)
                .collect();
            if over.is_empty() {
                continue;
            }
            let link = over.iter().copied().find(|&m| {
                let b_at = (j, m);
                cell(b_at).is_some_and(|b| {
                    is_candidate.contains(&b_at)
                        && !has_prev.contains(&b_at)
                        && aligned(a, b)
                        && b.x1 <= a.x1 + a.em
                        && b.yc() - a.yc() <= 3.0 * a.em.max(b.em)
                        && !starts_with_enumerator(&b.text)
                })
            });
            if let Some(m) = link {
                next.push((a_at, (j, m)));
                has_prev.insert((j, m));
            }
            break;
        }
    }
    (next, has_prev)
}

/// Every chain of linked cells, joined into one cell, with the line it goes to and the cells
/// it is made of.
fn chains(
    lines: &[Line],
    next: &[(At, At)],
    has_prev: &HashSet<At>,
) -> Vec<(usize, Cell, Vec<At>)> {
    let mut out = Vec::new();
    for &(start, _) in next {
        if has_prev.contains(&start) {
            continue;
        }
        let mut chain = vec![start];
        let mut at = start;
        while let Some(&(_, b)) = next.iter().find(|(a, _)| *a == at) {
            if chain.len() > lines.len() {
                break;
            }
            chain.push(b);
            at = b;
        }
        let cells: Vec<&Cell> = chain.iter().filter_map(|&c| cell_at(lines, c)).collect();
        let Some(target) = target_line(lines, &chain, &cells) else {
            continue;
        };
        let Some(mut merged) = cells.first().map(|c| (*c).clone()) else {
            continue;
        };
        for c in cells.iter().skip(1) {
            let glue = merged
                .text
                .chars()
                .last()
                .is_some_and(|x| x.is_ascii_alphanumeric())
                && c.text
                    .chars()
                    .next()
                    .is_some_and(|x| x.is_ascii_alphanumeric());
            if glue {
                merged.text.push(' ');
            }
            merged.text.push_str(&c.text);
            merged.x1 = merged.x1.max(c.x1);
            merged.y1 = merged.y1.max(c.y1);
        }
        out.push((target, merged, chain));
    }
    out
}

/// Removes the chained cells and puts each joined label on its line.
fn apply(lines: &mut [Line], joined: Vec<(usize, Cell, Vec<At>)>) {
    let removed: HashSet<At> = joined
        .iter()
        .flat_map(|(_, _, chain)| chain.iter().copied())
        .collect();
    for (i, line) in lines.iter_mut().enumerate() {
        let mut k = 0;
        line.cells.retain(|_| {
            let keep = !removed.contains(&(i, k));
            k += 1;
            keep
        });
    }
    for (i, c, _) in joined {
        if let Some(line) = lines.get_mut(i) {
            line.cells.push(c);
            line.cells.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        }
    }
}

/// Whether continuation `b` starts where label line `a` does, or up to two and a half
/// characters further right (hanging indent after "5." in Hongze's table 三).
fn aligned(a: &Cell, b: &Cell) -> bool {
    let em = a.em.max(b.em);
    b.x0 >= a.x0 - 0.5 * em && b.x0 <= a.x0 + 2.5 * em && b.x0 < a.x1
}

/// Left edge of the nearest cell starting right of `a` on the lines around line `i` (the next
/// column), or infinity.
fn next_column_x0(lines: &[Line], i: usize, a: &Cell) -> f64 {
    lines
        .get(i.saturating_sub(6)..(i + 7).min(lines.len()))
        .unwrap_or_default()
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| c.x0 > a.x1 + 0.3 * a.em)
        .map(|c| c.x0)
        .fold(f64::INFINITY, f64::min)
}

/// Whether the next column starts right after `a` (within two characters) on its line or
/// the lines near it: `a` fills its cell ("（三）不" before "4.保护第三方合法权益").
fn abuts_next_column(lines: &[Line], i: usize, a: &Cell) -> bool {
    let near = lines
        .get(i.saturating_sub(2)..(i + 3).min(lines.len()))
        .unwrap_or_default();
    let next_x0 = near
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| c.x0 > a.x1 - 0.1)
        .map(|c| c.x0)
        .fold(f64::INFINITY, f64::min);
    next_x0 - a.x1 <= 2.0 * a.em
}

/// The line the joined label belongs to: the one chain line with numbers right of the label;
/// else the one number-only line between the chain's first and last lines; else the first
/// chain line. `None` when two rows compete.
fn target_line(lines: &[Line], chain: &[At], cells: &[&Cell]) -> Option<usize> {
    let x0 = cells.iter().map(|c| c.x0).fold(f64::INFINITY, f64::min);
    let x1 = cells.iter().map(|c| c.x1).fold(f64::NEG_INFINITY, f64::max);
    let values_right = |l: &Line| l.cells.iter().any(|c| c.is_value() && c.x0 >= x1);
    let chain_lines: Vec<usize> = chain.iter().map(|&(i, _)| i).collect();
    let with_values: Vec<usize> = chain_lines
        .iter()
        .copied()
        .filter(|&i| lines.get(i).is_some_and(values_right))
        .collect();
    match with_values.as_slice() {
        [one] => return Some(*one),
        [] => {}
        _ => return None,
    }
    let (first, last) = (*chain_lines.first()?, *chain_lines.last()?);
    let between: Vec<usize> = (first + 1..last)
        .filter(|i| !chain_lines.contains(i))
        .filter(|&i| {
            lines
                .get(i)
                .is_some_and(|l| values_right(l) && !l.cells.iter().any(|c| c.x0 < x1 && c.x1 > x0))
        })
        .collect();
    match between.as_slice() {
        [one] => Some(*one),
        [] => Some(first),
        _ => None,
    }
}

/// "1." "1、" "（二）" "(2)" "三、" "第二十条": the start of a new label, never a continuation.
pub(crate) fn starts_with_enumerator(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars().peekable();
    let Some(first) = chars.next() else {
        return false;
    };
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if matches!(first, '（' | '(') {
        let inner: String = chars.clone().take_while(|&c| numeral(c)).collect();
        return !inner.is_empty()
            && chars
                .nth(inner.chars().count())
                .is_some_and(|c| matches!(c, '）' | ')'));
    }
    if first == '第' {
        return chars.next().is_some_and(numeral);
    }
    if !numeral(first) {
        return false;
    }
    let rest: String = chars.skip_while(|&c| numeral(c)).take(1).collect();
    matches!(rest.as_str(), "." | "、" | "．" | "，")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerators() {
        for t in [
            "1.属于",
            "12、其他",
            "（二）部分",
            "(3)x",
            "三、本年",
            "第二十条",
            "十一、",
        ] {
            assert!(starts_with_enumerator(t), "{t}");
        }
        for t in [
            "形，不计其他情形）",
            "具已获取信息",
            "正、行政机关",
            "2024年",
            "（区分",
            "一些",
        ] {
            assert!(!starts_with_enumerator(t), "{t}");
        }
    }
}
