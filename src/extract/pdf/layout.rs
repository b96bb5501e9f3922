//! Word boxes → text with one line per visual row and `\t` between cells.
//!
//! Per page: vertical labels are taken out (`vertical`); words are grouped into lines
//! by vertical overlap (label and number baselines differ by a point or two); a line splits
//! into cells where the gap between words exceeds `CELL_GAP_EM` characters; page numbers in the
//! margins ("-4-", "- 1 -", "第 1 页") and running heads repeated on most pages are dropped;
//! table labels wrapped over several lines are joined and attached to the row whose numbers
//! sit beside them (`wrap`); and a row with blank cells gets empty fields where its
//! table has columns (`columns`). Pages are joined with a form-feed line (`\n\f\n`).
//!
//! Known limits: cells closer than `CELL_GAP_EM` merge (LibreOffice tables with 3 px
//! padding); a table column no row fills and no header names stays invisible; a label wrapped
//! across a page break stays in two pieces ("（四）无" / "法提供").

use super::bbox::{Page, Word};
use super::vertical::{self, Stack};
use super::{columns, wrap};

/// One cell of a line: words close together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// Character size (the smaller of the words' heights and width-based sizes).
    pub em: f64,
    pub text: String,
}

impl Cell {
    /// A number or a blank placeholder ("/", "—", "无"): a table value.
    pub fn is_value(&self) -> bool {
        is_value(&self.text)
    }

    pub fn yc(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
}

/// A visual row: cells left to right.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub cells: Vec<Cell>,
}

impl Line {
    pub fn y0(&self) -> f64 {
        self.cells
            .iter()
            .map(|c| c.y0)
            .fold(f64::INFINITY, f64::min)
    }

    pub fn y1(&self) -> f64 {
        self.cells
            .iter()
            .map(|c| c.y1)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    pub fn yc(&self) -> f64 {
        (self.y0() + self.y1()) / 2.0
    }

    /// Whether the line holds a table value.
    pub fn has_values(&self) -> bool {
        self.cells.iter().any(Cell::is_value)
    }

    fn text(&self) -> String {
        self.cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Most words read from one page (a dense real page has under 2 000; a hostile one millions).
const MAX_WORDS_PER_PAGE: usize = 10_000;

/// Lay out all pages as text. Pure, total and linear-ish in the number of words.
pub fn lay_out(pages: &[Page]) -> String {
    let mut carry = columns::Carry::new();
    let mut per_page: Vec<Vec<Line>> = pages.iter().map(|p| page_lines(p, &mut carry)).collect();
    drop_running_heads(pages, &mut per_page);
    let texts: Vec<String> = per_page.into_iter().map(render_page).collect();
    let mut out = texts.join("\n\u{c}\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Lines of one page, vertical labels included as one-cell lines, footers dropped, wrapped
/// labels joined, blank cells filled.
fn page_lines(page: &Page, carry: &mut columns::Carry) -> Vec<Line> {
    let words: Vec<Word> = page
        .words
        .iter()
        .take(MAX_WORDS_PER_PAGE)
        .filter(|w| !w.text.trim().is_empty())
        .cloned()
        .collect();
    let (stacks, words) = vertical::take_stacks(words);
    let mut lines: Vec<Line> = group_lines(words).into_iter().map(split_cells).collect();
    let numbers: Vec<bool> = lines
        .iter()
        .map(|l| is_page_number(page, l) && stands_alone(&lines, l))
        .collect();
    let mut k = 0;
    lines.retain(|_| {
        k += 1;
        !numbers[k - 1]
    });
    wrap::join_wrapped(page, &mut lines);
    lines.retain(|l| !l.cells.is_empty());
    columns::fill_blanks(&mut lines, carry);
    lines.extend(stacks.into_iter().map(stack_line));
    // Stable: a vertical label sorts after a row starting at the same height.
    lines.sort_by(|a, b| a.y0().total_cmp(&b.y0()));
    lines
}

fn stack_line(s: Stack) -> Line {
    Line {
        cells: vec![Cell {
            x0: s.x0,
            x1: s.x0,
            y0: s.y0,
            y1: s.y0,
            em: 1.0,
            text: s.text,
        }],
    }
}

fn render_page(lines: Vec<Line>) -> String {
    let rows: Vec<String> = lines
        .iter()
        .map(|l| {
            l.cells
                .iter()
                .map(|c| c.text.replace(['\t', '\n', '\r', '\u{c}'], " "))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .filter(|r| !r.trim().is_empty())
        .collect();
    rows.join("\n")
}

/// How far apart (in the smaller box height) the centres of two words on one visual line can
/// be. Label and number baselines of one row differ by up to 0.3 (Huaian: 2.2 pt on 7.6 pt
/// boxes); a two-line label centred beside a three-line one sits half a line pitch off, 0.45
/// of the box height with fonts whose boxes are taller than the line pitch (LibreOffice with
/// WenQuanYi), and must stay a line of its own.
const LINE_TOLERANCE: f64 = 0.4;

/// Group words into lines: a word joins the line whose mean centre is within
/// [`LINE_TOLERANCE`] of its own centre and which has no word overlapping it horizontally.
fn group_lines(mut words: Vec<Word>) -> Vec<Vec<Word>> {
    words.sort_by(|a, b| a.yc().total_cmp(&b.yc()).then(a.x0.total_cmp(&b.x0)));
    // (sum of centres, sum of heights, words)
    let mut lines: Vec<(f64, f64, Vec<Word>)> = Vec::new();
    for w in words {
        let h = w.height().max(0.5);
        let yc = w.yc();
        let mut best: Option<(usize, f64)> = None;
        for (i, (sum_c, sum_h, members)) in lines.iter().enumerate().rev() {
            let n = members.len().max(1) as f64;
            let (lc, lh) = (sum_c / n, sum_h / n);
            if lc < yc - 2.0 * h.max(lh) {
                break; // lines are in centre order; older ones are too high
            }
            let d = (yc - lc).abs();
            let fits = d <= LINE_TOLERANCE * h.min(lh)
                && !members
                    .iter()
                    .any(|m| m.x0 < w.x1 - 0.1 && w.x0 < m.x1 - 0.1);
            if fits && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        match best.and_then(|(i, _)| lines.get_mut(i)) {
            Some((sum_c, sum_h, members)) => {
                *sum_c += yc;
                *sum_h += h;
                members.push(w);
            }
            None => lines.push((yc, h, vec![w])),
        }
    }
    lines.into_iter().map(|(_, _, m)| m).collect()
}

/// Gap between words, in characters, above which they are in different cells. Measured on
/// the corpus PDFs: gaps inside a cell (spaces in prose, "1." before its label, letter-spaced
/// "结 果") are at most 0.51 em, gaps between table cells at least 0.83 em (Hongze's dense
/// table headers "商业" "科研"), usually over 1.3 em.
const CELL_GAP_EM: f64 = 0.7;

/// Split a line's words into cells at gaps wider than [`CELL_GAP_EM`].
fn split_cells(mut words: Vec<Word>) -> Line {
    words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut cells: Vec<Cell> = Vec::new();
    for w in words {
        let em = char_em(&w);
        let text = w.text.trim().to_string();
        // Two numbers never share a cell: narrow value columns leave less than CELL_GAP_EM
        // between them ("241 250").
        let numbers = |c: &Cell| is_value(&c.text) && is_value(&text);
        match cells.last_mut() {
            Some(c)
                if w.x0 - c.x1 <= CELL_GAP_EM * em.min(c.em)
                    && !(numbers(c) && w.x0 - c.x1 > 0.15 * em.min(c.em)) =>
            {
                if w.x0 - c.x1 > 0.2 * em.min(c.em) {
                    c.text.push(' ');
                }
                c.text.push_str(&text);
                c.x1 = c.x1.max(w.x1);
                c.y0 = c.y0.min(w.y0);
                c.y1 = c.y1.max(w.y1);
                c.em = c.em.min(em);
            }
            _ => cells.push(Cell {
                x0: w.x0,
                x1: w.x1,
                y0: w.y0,
                y1: w.y1,
                em,
                text,
            }),
        }
    }
    Line { cells }
}

/// Character size of a word: its height, or less when its width says the font is smaller
/// (Latin fonts report tall boxes: "72" in Huaian's table 四 is 12 pt wide and 16 pt tall).
pub(crate) fn char_em(w: &Word) -> f64 {
    let units: f64 = w
        .text
        .trim()
        .chars()
        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
        .sum();
    let by_width = if units > 0.0 {
        w.width() / units
    } else {
        w.height()
    };
    w.height().min(by_width).max(1.0)
}

/// A page number or "第 N 页" line in the top or bottom margin.
fn is_page_number(page: &Page, line: &Line) -> bool {
    let h = if page.height > 0.0 {
        page.height
    } else {
        842.0
    };
    let (y0, y1) = (line.y0(), line.y1());
    let in_margin = y1 <= 0.12 * h || y0 >= 0.85 * h;
    in_margin && looks_like_page_number(&line.text())
}

/// Whether no other line comes within a line height of `line` (a page number stands apart; a
/// table row with one number at the top of a page has its label beside or around it).
fn stands_alone(lines: &[Line], line: &Line) -> bool {
    let (y0, y1) = (line.y0(), line.y1());
    let h = (y1 - y0).max(1.0);
    !lines
        .iter()
        .filter(|o| !std::ptr::eq(*o, line))
        .any(|o| o.y0() < y1 + h && o.y1() > y0 - h)
}

/// "-4-", "- 1 -", "—5—", "4", "第 1 页", "第1页 共6页", "1/6".
pub(crate) fn looks_like_page_number(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let t = t.trim_matches(|c| matches!(c, '-' | '－' | '—' | '–' | '~' | '·' | '•'));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if digits(t) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let (n, tail) = rest.split_once('页').unwrap_or((rest, "x"));
        let tail = tail.trim_start_matches(['/', ',', '，']);
        return digits(n)
            && (tail.is_empty()
                || tail
                    .strip_prefix('共')
                    .and_then(|s| s.strip_suffix('页'))
                    .is_some_and(digits));
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

/// Drop text repeated in the top or bottom margin on most pages (running heads and feet),
/// when there are at least three pages.
fn drop_running_heads(pages: &[Page], per_page: &mut [Vec<Line>]) {
    if pages.len() < 3 {
        return;
    }
    let margin_texts = |page: &Page, lines: &[Line]| -> Vec<String> {
        let h = if page.height > 0.0 {
            page.height
        } else {
            842.0
        };
        lines
            .iter()
            .filter(|l| l.y1() <= 0.1 * h || l.y0() >= 0.9 * h)
            .map(|l| normalise(&l.text()))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (page, lines) in pages.iter().zip(per_page.iter()) {
        let mut seen = margin_texts(page, lines);
        seen.sort();
        seen.dedup();
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let limit = pages.len().div_ceil(2).max(3);
    for (page, lines) in pages.iter().zip(per_page.iter_mut()) {
        let h = if page.height > 0.0 {
            page.height
        } else {
            842.0
        };
        lines.retain(|l| {
            let in_margin = l.y1() <= 0.1 * h || l.y0() >= 0.9 * h;
            !(in_margin
                && counts
                    .get(&normalise(&l.text()))
                    .is_some_and(|&n| n >= limit))
        });
    }
}

/// Text without whitespace and digits, so "第 3 页" and "第 4 页" compare equal.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
        .collect()
}

/// A number ("3001", "96171.6", "1,234", "12件", "-3") or a blank placeholder.
pub(crate) fn is_value(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(t.as_str(), "/" | "-" | "—" | "——" | "－" | "无" | "／") {
        return true;
    }
    let t = t
        .trim_end_matches(['件', '个', '次', '条', '项', '%', '％'])
        .trim_end_matches("万元")
        .trim_end_matches('元');
    let t = t.trim_start_matches(['+', '-', '－', '＋']);
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut last_was_point = false;
    for c in t.chars() {
        match c {
            '0'..='9' | '０'..='９' => {
                seen_digit = true;
                last_was_point = false;
            }
            ',' | '，' if seen_digit && !seen_point => last_was_point = false,
            '.' | '．' if seen_digit && !seen_point => {
                seen_point = true;
                last_was_point = true;
            }
            _ => return false,
        }
    }
    seen_digit && !last_was_point
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
