//! Flattened text → [`Line`]s of fields (formats.md Q10–Q14).
//!
//! Each line picks its own separator: tabs (our PDF text, seed 004), `|` (HTML-to-text, seeds
//! 000, 001, 003) or runs of two or more spaces (`pdftotext -layout`). Page footers ("- 3 -",
//! "-4-") are dropped; everything else, prose included, is kept for `assemble.rs` to ignore
//! outside the tables.

use super::cells::{parse, Parsed, Unit};
use super::rows::{Field, Layout, Line};
use regex::Regex;
use std::sync::LazyLock;

/// Page footers and page counters left in PDF text.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
        .expect("valid static regex")
});

/// Splits `text` into lines of fields.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let trimmed = raw.trim_matches(|c: char| c == '\r' || c == '\u{feff}');
        // A footer is one field: "—\t27\t-" is a row of three cells, not "- 27 -".
        let footer = !trimmed.contains('\t') && FOOTER.is_match(trimmed.trim());
        if trimmed.trim().is_empty() || footer {
            continue;
        }
        let line = if trimmed.contains('\t') {
            Line {
                layout: Layout::Tab,
                fields: split_tabs(trimmed),
                table_start: false,
            }
        } else if trimmed.contains('|') {
            Line {
                layout: Layout::Pipe,
                fields: split_pipes(trimmed),
                table_start: false,
            }
        } else {
            Line {
                layout: Layout::Spaces,
                fields: split_spaces(trimmed),
                table_start: false,
            }
        };
        out.push(line);
    }
    out
}

fn split_tabs(line: &str) -> Vec<Field> {
    line.split('\t')
        .enumerate()
        .map(|(i, t)| Field {
            text: t.trim().to_string(),
            col: i,
        })
        .collect()
}

fn split_pipes(line: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = line
        .split('|')
        .enumerate()
        .map(|(i, t)| Field {
            text: t.trim().to_string(),
            col: i,
        })
        .collect();
    while fields.last().is_some_and(|f| f.text.is_empty()) {
        fields.pop();
    }
    if fields.is_empty() {
        // " |": one blank cell of a one-cell-per-line table.
        fields.push(Field {
            text: String::new(),
            col: 0,
        });
    }
    fields
}

/// Splits on runs of two or more spaces (a full-width space counts as two), keeping each
/// field's starting character column, then splits trailing numbers off a field
/// ("规章 1 0 11" → "规章", "1", "0", "11").
fn split_spaces(line: &str) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut cur_col = 0;
    let mut gap = 0;
    let mut col = 0;
    for c in line.chars() {
        let width = if c == '\u{3000}' { 2 } else { 1 };
        if c == ' ' || c == '\u{3000}' || c == '\u{a0}' {
            gap += width;
        } else {
            if gap >= 2 && !cur.is_empty() {
                push_field(&mut fields, std::mem::take(&mut cur), cur_col);
            } else if gap > 0 && !cur.is_empty() {
                cur.push(' ');
            }
            if cur.is_empty() {
                cur_col = col;
            }
            gap = 0;
            cur.push(c);
        }
        col += width;
    }
    if !cur.is_empty() {
        push_field(&mut fields, cur, cur_col);
    }
    fields
}

/// Pushes `text` as one field, or as a label field plus one field per trailing number token.
fn push_field(fields: &mut Vec<Field>, text: String, col: usize) {
    let tokens: Vec<(usize, &str)> = token_starts(&text);
    let trailing = tokens
        .iter()
        .rev()
        .take_while(|(_, t)| is_number_token(t))
        .count();
    if trailing == 0 || (trailing == 1 && tokens.len() == 1) {
        fields.push(Field { text, col });
        return;
    }
    let first_num = tokens.len() - trailing;
    if first_num > 0 {
        let (start, _) = tokens[first_num];
        fields.push(Field {
            text: text[..start].trim_end().to_string(),
            col,
        });
    }
    for &(start, t) in &tokens[first_num..] {
        let char_off = text[..start].chars().count();
        fields.push(Field {
            text: t.to_string(),
            col: col + char_off,
        });
    }
}

/// Byte offsets and text of space-separated tokens.
fn token_starts(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c == ' ' {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// A bare number or a dash placeholder (not 无, which ends too much prose).
fn is_number_token(t: &str) -> bool {
    match parse(t, Unit::Signed) {
        Parsed::Value(_) => true,
        Parsed::Blank => t != "无" && !t.is_empty(),
        Parsed::Text => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(l: &Line) -> Vec<&str> {
        l.fields.iter().map(|f| f.text.as_str()).collect()
    }

    #[test]
    fn tabs_keep_blank_fields() {
        let l = lines("一、本年新收政府信息公开申请数量\t\t12\t10\t\t\t22");
        assert_eq!(l[0].layout, Layout::Tab);
        assert_eq!(
            texts(&l[0]),
            [
                "一、本年新收政府信息公开申请数量",
                "",
                "12",
                "10",
                "",
                "",
                "22"
            ]
        );
    }

    #[test]
    fn pipes_drop_trailing_fillers() {
        let l = lines("行政许可 | 0 | ||\n0 | |\n |");
        assert_eq!(texts(&l[0]), ["行政许可", "0"]);
        assert_eq!(texts(&l[1]), ["0"]);
        assert_eq!(texts(&l[2]), [""]);
    }

    #[test]
    fn layout_columns_and_footers() {
        let l = lines("规章            1          0        11\n                 -3-\n- 4 -\n  行政许可 447228");
        assert_eq!(l.len(), 2);
        assert_eq!(texts(&l[0]), ["规章", "1", "0", "11"]);
        assert_eq!(l[0].fields[1].col, 14);
        assert_eq!(texts(&l[1]), ["行政许可", "447228"]);
        let l = lines("—\t27\t-");
        assert_eq!(texts(&l[0]), ["—", "27", "-"], "cells, not a footer");
    }

    #[test]
    fn single_spaces_stay_inside_labels() {
        let l = lines("     （五）不予处理   4.无正当理由大量反复 申请        0    0");
        assert_eq!(
            texts(&l[0]),
            ["（五）不予处理", "4.无正当理由大量反复 申请", "0", "0"]
        );
        let l = lines("三 、本 年 度办 理 结果");
        assert_eq!(texts(&l[0]), ["三 、本 年 度办 理 结果"]);
        let l = lines("共办理 12 件");
        assert_eq!(texts(&l[0]), ["共办理 12 件"]);
    }
}
