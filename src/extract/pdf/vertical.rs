//! Vertically printed labels: a column of one-character words stacked top to bottom
//! (Huaian's "三、" "本" "年" "度" … between the rows of table 三) or words set in a vertical
//! (Identity-V) font, which `pdftotext` reports as narrow, tall boxes (Hongze's "三" "、本" "年"
//! "度办" …).
//!
//! Left in place, each character would be glued to whichever table row shares its height. They
//! are taken out of the page before lines are formed and come back as one label of their own.

use super::bbox::Word;

/// A vertical label taken out of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stack {
    /// Top edge of the first character.
    pub y0: f64,
    /// Left edge.
    pub x0: f64,
    /// The characters top to bottom.
    pub text: String,
}

/// Pages with more one-character words than this are left alone (the chaining is quadratic;
/// a real page has a few dozen).
const MAX_CANDIDATES: usize = 2000;
/// Fewest pieces a stack needs.
const MIN_PIECES: usize = 3;
/// Largest vertical gap between two pieces, in character heights.
const MAX_GAP_EM: f64 = 2.5;

/// Split `words` into stacked vertical labels and the remaining words (order kept).
pub(crate) fn take_stacks(words: Vec<Word>) -> (Vec<Stack>, Vec<Word>) {
    let mut candidates: Vec<usize> = (0..words.len())
        .filter(|&i| words.get(i).is_some_and(is_piece))
        .collect();
    if candidates.len() > MAX_CANDIDATES {
        return (Vec::new(), words);
    }
    candidates.sort_by(|&a, &b| {
        let (ya, yb) = (
            words.get(a).map_or(0.0, |w| w.y0),
            words.get(b).map_or(0.0, |w| w.y0),
        );
        ya.total_cmp(&yb)
    });

    // Chains of aligned pieces, built top to bottom.
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for &i in &candidates {
        let Some(w) = words.get(i) else { continue };
        let open = chains.iter_mut().find(|chain| {
            chain
                .last()
                .and_then(|&j| words.get(j))
                .is_some_and(|last| continues(last, w))
        });
        match open {
            Some(chain) => chain.push(i),
            None => chains.push(vec![i]),
        }
    }

    let mut taken = vec![false; words.len()];
    let mut stacks = Vec::new();
    for chain in chains {
        let pieces: Vec<&Word> = chain.iter().filter_map(|&i| words.get(i)).collect();
        if !is_stack(&pieces, &words, &chain) {
            continue;
        }
        for &i in &chain {
            if let Some(t) = taken.get_mut(i) {
                *t = true;
            }
        }
        stacks.push(Stack {
            y0: pieces.first().map_or(0.0, |w| w.y0),
            x0: pieces.iter().map(|w| w.x0).fold(f64::INFINITY, f64::min),
            text: pieces.iter().map(|w| w.text.trim()).collect(),
        });
    }
    let rest = words
        .into_iter()
        .zip(taken)
        .filter_map(|(w, t)| (!t).then_some(w))
        .collect();
    (stacks, rest)
}

/// A word that may be one piece of a vertical label: one CJK character (punctuation aside),
/// or a box at least 1.6 times taller than wide holding CJK text.
fn is_piece(w: &Word) -> bool {
    let text = w.text.trim();
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    if cjk == 0 {
        return false;
    }
    let letters = text.chars().filter(|c| !is_punct(*c)).count();
    let (wd, ht) = (w.width(), w.height());
    let one_char = letters == 1 && wd <= 2.3 * ht.max(1.0);
    let tall = text.chars().count() >= 2 && ht >= 1.6 * wd.max(0.1);
    one_char || tall
}

/// Whether `next` continues a stack whose last piece is `last`: left edges or centres
/// aligned, and close below it.
fn continues(last: &Word, next: &Word) -> bool {
    let em = char_size(last).max(char_size(next)).max(1.0);
    let tol = (0.25 * em).max(1.0);
    let aligned = (last.x0 - next.x0).abs() <= tol
        || ((last.x0 + last.x1) / 2.0 - (next.x0 + next.x1) / 2.0).abs() <= tol;
    let gap = next.y0 - last.y1;
    aligned && gap >= -0.3 * em && gap <= MAX_GAP_EM * em
}

/// The side of one character: the smaller box dimension.
fn char_size(w: &Word) -> f64 {
    w.width().min(w.height())
}

/// Accept a chain: enough pieces and characters, not one repeated placeholder ("无" "无" "无"),
/// and nothing else printed inside the strip it occupies.
fn is_stack(pieces: &[&Word], words: &[Word], chain: &[usize]) -> bool {
    if pieces.len() < MIN_PIECES {
        return false;
    }
    let chars: usize = pieces
        .iter()
        .map(|w| w.text.chars().filter(|&c| is_cjk(c)).count())
        .sum();
    if chars < MIN_PIECES {
        return false;
    }
    let first = pieces.first().map(|w| w.text.trim());
    if pieces.iter().all(|w| Some(w.text.trim()) == first) {
        return false;
    }
    let x0 = pieces.iter().map(|w| w.x0).fold(f64::INFINITY, f64::min);
    let x1 = pieces
        .iter()
        .map(|w| w.x1)
        .fold(f64::NEG_INFINITY, f64::max);
    let y0 = pieces.iter().map(|w| w.y0).fold(f64::INFINITY, f64::min);
    let y1 = pieces
        .iter()
        .map(|w| w.y1)
        .fold(f64::NEG_INFINITY, f64::max);
    let intruder = words.iter().enumerate().any(|(i, w)| {
        !chain.contains(&i)
            && w.x0 < x1 - 0.5
            && w.x1 > x0 + 0.5
            && w.y0 < y1 - 0.5
            && w.y1 > y0 + 0.5
    });
    !intruder
}

/// CJK ideographs (unified, extension A, compatibility).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Punctuation that rides along a vertical character ("三、").
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(x0: f64, y0: f64, x1: f64, y1: f64, text: &str) -> Word {
        Word {
            x0,
            y0,
            x1,
            y1,
            text: text.into(),
        }
    }

    #[test]
    fn one_char_column_is_taken() {
        // Huaian p.4: "三、" "本" "年" … 15 pt apart at x 76.8; rows to the right.
        let mut words = vec![w(143.0, 572.9, 195.5, 580.7, "1.属于国家秘密")];
        for (i, t) in ["三、", "本", "年", "度", "办", "理", "结", "果"]
            .iter()
            .enumerate()
        {
            let y = 584.9 + 15.0 * i as f64;
            let x1 = if i == 0 { 91.8 } else { 84.2 };
            words.push(w(76.8, y, x1, y + 7.4, t));
        }
        words.push(w(101.0, 649.5, 132.2, 657.2, "（三）不"));
        let (stacks, rest) = take_stacks(words);
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].text, "三、本年度办理结果");
        assert_eq!(rest.len(), 2);
    }

    #[test]
    fn identity_v_words_are_taken() {
        // Hongze p.3: narrow tall boxes at x 90.5.
        let words = vec![
            w(90.5, 604.7, 100.5, 614.6, "三"),
            w(90.5, 614.8, 100.5, 634.7, "、本"),
            w(90.5, 634.8, 100.5, 644.7, "年"),
            w(90.5, 644.9, 100.5, 664.8, "度办"),
            w(90.5, 664.9, 100.5, 674.9, "理"),
            w(90.5, 675.0, 100.5, 694.9, "结果"),
            w(103.9, 672.1, 166.9, 681.1, "（三）不予公开"),
        ];
        let (stacks, rest) = take_stacks(words);
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].text, "三、本年度办理结果");
        assert_eq!(rest.len(), 1);
    }

    #[test]
    fn placeholder_column_and_crossed_strip_stay() {
        let mut words: Vec<Word> = (0..4)
            .map(|i| {
                w(
                    300.0,
                    100.0 + 20.0 * i as f64,
                    310.0,
                    110.0 + 20.0 * i as f64,
                    "无",
                )
            })
            .collect();
        let (stacks, _) = take_stacks(words.clone());
        assert!(stacks.is_empty(), "repeated 无 is a value column");
        words = ["一", "二", "三"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                w(
                    300.0,
                    100.0 + 20.0 * i as f64,
                    310.0,
                    110.0 + 20.0 * i as f64,
                    t,
                )
            })
            .collect();
        words.push(w(
            250.0,
            118.0,
            400.0,
            128.0,
            "a wide line crossing the strip",
        ));
        let (stacks, rest) = take_stacks(words);
        assert!(stacks.is_empty());
        assert_eq!(rest.len(), 4);
    }
}
