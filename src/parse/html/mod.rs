//! HTML → [`Grid`]s (every `<table>`, rowspan/colspan resolved) and the page's running text.
//!
//! One pass over the page: `lexer.rs` cuts it into tags and text, `tree.rs` keeps the HTML
//! standard's stack of open elements to know where each element ends (Word-pasted markup,
//! `<o:p>`, unclosed `<p>`/`<td>`/`<tr>`, nested tables) and writes the text as it goes (block
//! elements → line breaks, table cells → ` | ` so the text is also readable by the pipe-row
//! reader) while recording each table's rows and cells; each table is then laid out with the
//! HTML table algorithm here. Nested tables are tables of their own: their text is left out of
//! the enclosing cell. Spans and sizes are capped so hostile markup cannot allocate without
//! bound. `<title>` is read; `script`, `style`, `noscript`, `template`, `select` are skipped.
//!
//! ## Why not a DOM
//!
//! This reader used to build the page's DOM with `scraper` (html5ever's tokenizer and tree
//! builder) and walk it. For a 36 KB report that took ~0.8 ms of the ~1.2 ms the whole parse
//! took, and html5ever's tokenizer alone ~0.55 ms: neither leaves room for the 1,000
//! reports/s per core the parser must sustain. Nothing downstream needs a tree — only the
//! text, the cells and where elements end — so the two pieces are written out here, following
//! the standard for what matters to text and tables and nothing else (see each file's doc for
//! what is covered). The standard's table of named character references comes from html5ever.
//! `extract::page` still uses `scraper` for whole pages, where selectors earn their cost.

mod entities;
mod lexer;
mod rules;
mod tags;
mod tree;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod reference;

use super::grid::{Grid, GridCell};
use lexer::Lexer;
use tree::{Builder, TableRec};

/// Largest rowspan/colspan honoured.
const MAX_SPAN: usize = 64;
/// Widest grid built; cells beyond are dropped.
const MAX_COLS: usize = 128;
/// Most rows read from one table.
const MAX_ROWS: usize = 1000;
/// Most tables read from one page.
const MAX_TABLES: usize = 200;
/// Most grid slots built for one page, all tables together (a report needs ~500).
const MAX_SLOTS: usize = 200_000;
/// Cell text longer than this is cut: table cells are short, and spans copy the text.
const MAX_CELL_TEXT: usize = 1000;

/// What [`read`] finds in a page.
#[derive(Debug, Default)]
pub(crate) struct HtmlDoc {
    /// Every table, in document order (outer before nested).
    pub grids: Vec<Grid>,
    /// Running text, one block per line, table rows as `a | b | c |`.
    pub text: String,
    /// The `<title>`.
    pub title: Option<String>,
    /// Some content was fostered out of a table (tests compare the text only without).
    #[cfg(test)]
    pub fostered: bool,
}

/// Reads the page once and returns its tables and text.
pub(crate) fn read(html: &str) -> HtmlDoc {
    let mut lx = Lexer::new(html);
    let mut builder = Builder::new(html.len());
    while let Some(token) = lx.next_token() {
        builder.token(token, &mut lx);
    }
    builder.finish();
    let mut budget = MAX_SLOTS;
    let grids = std::mem::take(&mut builder.tables)
        .into_iter()
        .map(|t| grid_of(t, &mut budget))
        .collect();
    HtmlDoc {
        grids,
        text: builder.text,
        title: builder.title,
        #[cfg(test)]
        fostered: builder.fostered,
    }
}

/// Appends text with runs of whitespace (Unicode's, NBSP and U+3000 included) collapsed to one
/// space; no space at the start of `out` or after a line break. Works on bytes: words are
/// copied whole, and only the lead bytes of whitespace characters are looked at.
fn push_collapsed(out: &mut String, t: &str) {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let ws = whitespace_len(b, i);
        if ws > 0 {
            i += ws;
            while i < b.len() && whitespace_len(b, i) > 0 {
                i += whitespace_len(b, i);
            }
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() && whitespace_len(b, i) == 0 {
            i += 1;
        }
        // Whitespace starts on a character boundary, so the word is whole characters.
        out.push_str(&t[start..i]);
    }
}

/// The length of the whitespace character (`char::is_whitespace`) starting at `b[i]`, or 0.
/// Continuation bytes are never taken for one: no whitespace starts with 0x80–0xBF.
#[inline]
fn whitespace_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0x21..=0xC1 => 0,
        0xC2 => usize::from(matches!(b.get(i + 1), Some(0x85 | 0xA0))) * 2,
        0xE1 => usize::from(b.get(i + 1..i + 3) == Some(&[0x9A, 0x80])) * 3,
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => usize::from(b.get(i + 1..i + 3) == Some(&[0x80, 0x80])) * 3,
        _ => 0,
    }
}

fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    push_collapsed(&mut s, t);
    s.trim().to_string()
}

/// A cell's text as its grid slots hold it: no trailing space, at most [`MAX_CELL_TEXT`] bytes.
fn cell_text(mut t: String) -> String {
    if t.ends_with(' ') {
        t.pop();
    }
    if t.len() > MAX_CELL_TEXT {
        let mut end = MAX_CELL_TEXT;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        t.truncate(end);
    }
    t
}

/// Lays one table out as a grid. Slots no cell covers (short rows) are `spanned` and empty, so
/// readers do not mistake them for blank cells. A cell's text moves to the slot where it
/// starts; the slots it spans get copies.
fn grid_of(table: TableRec, budget: &mut usize) -> Grid {
    // Rows stop where the page's slot budget could run out (a row is at most MAX_COLS wide).
    let n_rows = table.rows.len().min(*budget / MAX_COLS);
    let mut slots: Vec<Vec<Option<GridCell>>> = vec![Vec::new(); n_rows];
    for (r, cells) in table.rows.into_iter().take(n_rows).enumerate() {
        let mut c = 0usize;
        for cell in cells {
            while slots[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            if c >= MAX_COLS {
                break;
            }
            let text = cell_text(cell.text);
            let cs = cell.colspan.min(MAX_COLS - c);
            let rs = cell.rowspan.min(n_rows - r);
            for (dr, row) in slots[r..r + rs].iter_mut().enumerate() {
                if row.len() < c + cs {
                    row.resize(c + cs, None);
                }
                for (dc, slot) in row[c..c + cs].iter_mut().enumerate() {
                    if slot.is_none() && (dr, dc) != (0, 0) {
                        *slot = Some(GridCell {
                            text: text.clone(),
                            spanned: true,
                        });
                    }
                }
            }
            // Free: `c` was moved past every filled slot.
            slots[r][c] = Some(GridCell {
                text,
                spanned: false,
            });
            c += cs;
        }
    }
    let width = slots.iter().map(Vec::len).max().unwrap_or(0);
    *budget = budget.saturating_sub(n_rows * width);
    let empty = GridCell {
        text: String::new(),
        spanned: true,
    };
    let rows = slots
        .into_iter()
        .map(|row| {
            let mut row: Vec<GridCell> = row
                .into_iter()
                .map(|s| s.unwrap_or_else(|| empty.clone()))
                .collect();
            row.resize(width, empty.clone());
            row
        })
        .collect();
    Grid { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Grid) -> Vec<Vec<String>> {
        g.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| format!("{}{}", if c.spanned { "~" } else { "" }, c.text))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn spans_are_resolved() {
        let d = read(
            "<table><tr><td rowspan=2 colspan=2>A</td><td>B</td></tr><tr><td>C</td></tr>\
             <tr><td>D</td><td colspan=2>E</td></tr></table>",
        );
        assert_eq!(d.grids.len(), 1);
        assert_eq!(
            texts(&d.grids[0]),
            [
                vec!["A", "~A", "B"],
                vec!["~A", "~A", "C"],
                vec!["D", "E", "~E"]
            ]
        );
    }

    #[test]
    fn word_markup_and_nbsp() {
        let d = read(
            "<table><tr><td><p class=MsoNormal><span>本年新<br />制作数量<o:p></o:p></span></p></td>\
             <td>&nbsp;</td><td><p>1<o:p>&nbsp;</o:p></p></td></tr></table>",
        );
        assert_eq!(texts(&d.grids[0]), [vec!["本年新 制作数量", "", "1"]]);
    }

    #[test]
    fn nested_tables_stay_out_of_the_outer_cell() {
        let d =
            read("<table><tr><td>outer<table><tr><td>inner</td></tr></table></td></tr></table>");
        assert_eq!(d.grids.len(), 2);
        assert_eq!(texts(&d.grids[0]), [vec!["outer"]]);
        assert_eq!(texts(&d.grids[1]), [vec!["inner"]]);
    }

    #[test]
    fn whitespace_collapses_to_one_space() {
        let mut s = String::new();
        push_collapsed(&mut s, "  a \u{a0}\u{3000} b\n");
        push_collapsed(&mut s, "c");
        push_collapsed(&mut s, "   ");
        push_collapsed(&mut s, "d");
        assert_eq!(s, "a b c d");
    }

    #[test]
    fn whitespace_is_unicode_whitespace() {
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let t = format!("a{c}b");
            let mut s = String::new();
            push_collapsed(&mut s, &t);
            let want = if c.is_whitespace() {
                "a b".to_string()
            } else {
                t
            };
            assert_eq!(s, want, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn text_and_title() {
        let d = read("<html><head><title> T 1 </title><style>p{}</style></head><body><p>一、总体</p><p>二</p></body></html>");
        assert_eq!(d.title.as_deref(), Some("T 1"));
        let lines: Vec<&str> = d
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, ["一、总体", "二"]);
    }

    #[test]
    fn hostile_pages_stay_within_the_slot_budget() {
        let table = format!(
            "<table>{}</table>",
            "<tr><td colspan=128 rowspan=9>long text</td></tr>".repeat(1000)
        );
        let d = read(&table.repeat(5));
        let slots: usize = d
            .grids
            .iter()
            .map(|g| g.rows.iter().map(Vec::len).sum::<usize>())
            .sum();
        assert!(slots <= MAX_SLOTS, "{slots}");
        assert_eq!(d.grids.len(), 5);
    }

    #[test]
    fn deep_nesting_stays_linear() {
        // Each would take minutes if a stack walk went the whole depth on every tag.
        let n = 20_000;
        let pages = [
            format!("<svg>{}{}", "<g>".repeat(n), "</h>".repeat(n)),
            format!("<p><table><tr><td>{}", "<div>x".repeat(n)),
            "<table><tr><td>".repeat(n),
            "<option><div>".repeat(n),
            format!("{}{}", "<span>".repeat(n), "</b>".repeat(n)),
        ];
        for page in pages {
            let d = read(&page);
            assert!(d.grids.len() <= MAX_TABLES);
        }
    }

    #[test]
    fn hostile_spans_are_capped() {
        let d = read(
            "<table><tr><td colspan=99999 rowspan=99999>x</td></tr><tr><td>y</td></tr></table>",
        );
        let g = &d.grids[0];
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].len(), MAX_SPAN + 1);
    }
}
