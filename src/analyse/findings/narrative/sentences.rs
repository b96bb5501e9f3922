//! Report text → prose sentences, each as printed and normalised for matching.
//!
//! Takes a report's text in any layout the extractors give (HTML paragraphs one per line, PDF
//! text wrapped at the page width with page footers and blank lines inside paragraphs, tables
//! as pipe, tab or spaced rows); gives its prose sentences in order. Lines are joined (PDF
//! wraps break lines anywhere, even inside a number: "2 2 件"); a sentence ends at 。！？, at a
//! heading, and at a table row, which is dropped. Page footers ("-1-", "— 2 —") are dropped
//! without ending the sentence they interrupt.
//!
//! The normalised form removes every space (inside numbers too) and writes full-width digits
//! as ASCII; punctuation is kept as printed.

use regex::Regex;
use std::sync::LazyLock;

/// One prose sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    /// As printed, the source's line breaks and the indentation around them removed.
    pub printed: String,
    /// Without spaces, full-width digits as ASCII: what the readers match.
    pub norm: String,
}

/// A page number on its own line: `-1-`, `- 2 -`, `— 3 —`, `第 4 页`, `4/6`.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
        .expect("static regex")
});

/// A heading's opening: （一） (一) 一、 1. 1、 (1) #.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|\d{1,2}\.\D|#)")
        .expect("static regex")
});

/// A number standing alone between spaces (a table cell in spaced layout text).
static SPACED_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s{2,})[\d.,，/—-]+(?:\s{2,}|$)").expect("static regex"));

const ENDERS: &[char] = &['。', '！', '？', '!', '?'];

/// The prose sentences of `text`, in order.
pub(crate) fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let line = raw.trim_matches(|c: char| c.is_whitespace());
        if line.is_empty() || FOOTER.is_match(line) {
            continue;
        }
        if is_table_row(raw, line) {
            flush(&mut current, &mut out);
            continue;
        }
        let heading = HEADING.is_match(line);
        if heading {
            flush(&mut current, &mut out);
        }
        current.push_str(line);
        split_finished(&mut current, &mut out);
        if heading && line.chars().count() <= 20 && !line.contains(ENDERS) {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A table row in any flattened layout: cells joined by `|` or tabs, or at least two
/// numbers standing apart between runs of spaces, or nothing but numbers.
fn is_table_row(raw: &str, line: &str) -> bool {
    if raw.contains('|') || raw.contains('\t') {
        return true;
    }
    if line
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || ".,/-—".contains(c))
    {
        return true;
    }
    let spaced = raw.replace('\u{3000}', "  ");
    SPACED_NUMBER.find_iter(&spaced).count() >= 2
        || spaced.contains("   ") && SPACED_NUMBER.is_match(&spaced)
}

/// Moves every sentence `current` completes to `out`.
fn split_finished(current: &mut String, out: &mut Vec<Sentence>) {
    while let Some(i) = current.find(ENDERS) {
        let end = i + current[i..].chars().next().map_or(0, char::len_utf8);
        // A closing quote or bracket right after the ender belongs to the sentence.
        let end = end
            + current[end..]
                .chars()
                .take_while(|c| "”’）)】".contains(*c))
                .map(char::len_utf8)
                .sum::<usize>();
        let rest = current.split_off(end);
        let done = std::mem::replace(current, rest);
        push(done, out);
    }
}

fn flush(current: &mut String, out: &mut Vec<Sentence>) {
    let done = std::mem::take(current);
    push(done, out);
}

fn push(printed: String, out: &mut Vec<Sentence>) {
    let printed = printed.trim().to_string();
    if printed.is_empty() {
        return;
    }
    let norm = normalise(&printed);
    out.push(Sentence { printed, norm });
}

/// Spaces removed (they split numbers in PDF text), full-width digits as ASCII.
pub(crate) fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(text: &str) -> Vec<String> {
        sentences(text).into_iter().map(|s| s.printed).collect()
    }

    #[test]
    fn pdf_wraps_are_joined_and_footers_dropped() {
        let text = "  （二）依申请公开情况。根据《条例》和上级部门关于依申\n\
                    请办理的规范要求，确保依申请答复工作规范高效。2024 年，区政府办代表区政府受理政府\n\
                    信息公开申请 17 件，均已在法定期限内予以答复。\n\
                    \x20                                -1-\n\
                    \x20    （三）政府信息管理情况。加强区政府门户网站";
        let s = printed(text);
        assert_eq!(s[0], "（二）依申请公开情况。");
        assert_eq!(
            s[2],
            "2024 年，区政府办代表区政府受理政府信息公开申请 17 件，均已在法定期限内予以答复。"
        );
        assert_eq!(s[3], "（三）政府信息管理情况。");
        let n = sentences(text);
        assert!(n[2].norm.contains("受理政府信息公开申请17件"));
    }

    #[test]
    fn table_rows_end_sentences_and_are_dropped() {
        let text = "全年共收到依申请公开9件。\n\
                    一、本年新收政府信息公开申请数量 | 9 | 0 | 0 | 0 | 0 | 0 | 9 | ||\n\
                    一、本年新收政府信息公开申请数量\t\t12\t10\t\t\t22\n\
                    一、本年新收政府信息公开申请数量                3001        53       0        0    61       4   3119\n\
                    72   64    178    37    351   13    4\n\
                    0 |\n\
                    五、存在的主要问题及改进情况";
        assert_eq!(
            printed(text),
            vec!["全年共收到依申请公开9件。", "五、存在的主要问题及改进情况"]
        );
    }

    #[test]
    fn prose_with_single_spaced_numbers_is_kept() {
        let text = "报告中所列数据统计期限自 2024 年 1 月 1 日\n起至 2024 年 12 月 31 日止。";
        assert_eq!(
            printed(text),
            vec!["报告中所列数据统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。"]
        );
    }

    #[test]
    fn blank_lines_inside_a_paragraph_do_not_end_it() {
        // Seed 004: a page break inside a word.
        let text = "以标准化规范化精细化建\n\n设为抓手，着力健全体制。";
        assert_eq!(
            printed(text),
            vec!["以标准化规范化精细化建设为抓手，着力健全体制。"]
        );
    }

    #[test]
    fn normalised_text_has_no_spaces_and_ascii_digits() {
        assert_eq!(normalise("受理申请 2 2 件，１２件"), "受理申请22件，12件");
    }
}
