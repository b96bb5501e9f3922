//! Plain-text tables for the CLI (`nianbao list`, `search`, `stats`, `runs`): columns aligned
//! by terminal width, where CJK characters take two cells, long cells cut with `…`.
//!
//! Widths are computed by hand (wide = East Asian ranges) rather than with `unicode-width`:
//! the text is Chinese plus ASCII, for which the rule below is exact enough, and the crate
//! would be one more dependency for one function.

/// Cells a character takes in a terminal.
fn char_width(c: char) -> usize {
    let u = c as u32;
    if c.is_control() {
        0
    } else if (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
    {
        2
    } else {
        1
    }
}

/// Cells a string takes in a terminal.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` cut to at most `max` cells, ending in `…` when cut; control characters (newlines,
/// escapes from crawled text) become spaces so they cannot move the cursor.
pub fn fit(s: &str, max: usize) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if width(&clean) <= max {
        return clean;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = char_width(c);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A column: header, right-aligned (numbers), widest allowed.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// Align right.
    pub right: bool,
    /// Cells are cut to this width.
    pub max: usize,
}

/// Shorthand for a left-aligned column.
pub const fn left(header: &'static str, max: usize) -> Column {
    Column {
        header,
        right: false,
        max,
    }
}

/// Shorthand for a right-aligned (numeric) column.
pub const fn right(header: &'static str) -> Column {
    Column {
        header,
        right: true,
        max: 14,
    }
}

/// Render rows under headers, two spaces between columns, no trailing spaces.
pub fn table(columns: &[Column], rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| fit(r.get(i).map(String::as_str).unwrap_or(""), c.max))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| width(&r[i]))
                .chain([width(c.header)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |values: Vec<&str>| {
        let mut l = String::new();
        for (i, (v, c)) in values.iter().zip(columns).enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(width(v)));
            if i > 0 {
                l.push_str("  ");
            }
            if c.right {
                l.push_str(&pad);
                l.push_str(v);
            } else {
                l.push_str(v);
                l.push_str(&pad);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(columns.iter().map(|c| c.header).collect());
    for r in &cells {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_characters() {
        assert_eq!(width("规章abc"), 7);
        assert_eq!(width("（七）总计"), 10);
        assert_eq!(width("\x1b"), 0);
    }

    #[test]
    fn fit_cuts_and_neutralises_control_characters() {
        assert_eq!(fit("西夏区人民政府办公室", 9), "西夏区人…");
        assert!(width(&fit("西夏区人民政府办公室", 9)) <= 9);
        assert_eq!(fit("a\x1b[2Jb\n", 20), "a [2Jb ");
        assert_eq!(fit("short", 10), "short");
    }

    #[test]
    fn columns_align() {
        let t = table(
            &[left("Agency", 20), right("N")],
            &[
                vec!["西夏区".into(), "9".into()],
                vec!["abc".into(), "123".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Agency    N");
        assert_eq!(lines[1], "西夏区    9");
        assert_eq!(lines[2], "abc     123");
    }
}
