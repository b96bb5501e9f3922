//! HTML → [`Grid`]s (every `<table>`, rowspan/colspan resolved) and the page's running text.
//!
//! The document is parsed once (`scraper`/html5ever, which copes with Word-pasted markup,
//! `<o:p>`, unclosed tags). One traversal writes the text (block elements → line breaks, table
//! cells → ` | ` so the text is also readable by the pipe-row reader) and collects the tables;
//! each table is then laid out with the HTML table algorithm. Nested tables are tables of their
//! own: their text is left out of the enclosing cell. Spans and sizes are capped so hostile
//! markup cannot allocate without bound.

use super::grid::{Grid, GridCell};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

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

/// What [`read`] finds in a page.
#[derive(Debug, Default)]
pub(crate) struct HtmlDoc {
    /// Every table, in document order (outer before nested).
    pub grids: Vec<Grid>,
    /// Running text, one block per line, table rows as `a | b | c |`.
    pub text: String,
    /// The `<title>`.
    pub title: Option<String>,
}

/// Parses the page once and returns its tables and text.
pub(crate) fn read(html: &str) -> HtmlDoc {
    let doc = Html::parse_document(html);
    let mut out = HtmlDoc::default();
    let mut skip = 0usize;
    let mut in_cell = 0usize;
    let mut tables = Vec::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip > 0 || is_skipped(name) {
                        if name == "title" && out.title.is_none() {
                            out.title = Some(collapse(&text_of(node)));
                        }
                        skip += 1;
                        continue;
                    }
                    match name {
                        "table" if tables.len() < MAX_TABLES => tables.push(node),
                        "td" | "th" => in_cell += 1,
                        "br" => out.text.push(if in_cell > 0 { ' ' } else { '\n' }),
                        n if is_block(n) => out.text.push(if in_cell > 0 { ' ' } else { '\n' }),
                        _ => {}
                    }
                }
                Node::Text(t) if skip == 0 => push_collapsed(&mut out.text, t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    match e.name() {
                        "td" | "th" => {
                            in_cell = in_cell.saturating_sub(1);
                            out.text.push_str(" | ");
                        }
                        "tr" => out.text.push('\n'),
                        n if is_block(n) && in_cell == 0 => out.text.push('\n'),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut budget = MAX_SLOTS;
    out.grids = tables
        .into_iter()
        .map(|t| grid_of(t, &mut budget))
        .collect();
    out
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title" | "select" | "option"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "tr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "center"
            | "hr"
            | "caption"
    )
}

/// Appends text with runs of whitespace (NBSP included) collapsed to one space.
fn push_collapsed(out: &mut String, t: &str) {
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
    };
    if t.starts_with(char::is_whitespace) {
        space(out);
    }
    for (i, word) in t.split_whitespace().enumerate() {
        if i > 0 {
            space(out);
        }
        out.push_str(word);
    }
    if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
        space(out);
    }
}

fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    push_collapsed(&mut s, t);
    s.trim().to_string()
}

/// Text under `node`, leaving out nested tables, scripts and styles; blocks become spaces.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    let mut skip = 0usize;
    let mut first = true;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let nested = !first && e.name() == "table";
                    first = false;
                    if skip > 0 || nested || matches!(e.name(), "script" | "style") {
                        skip += 1;
                    } else if e.name() == "br" || is_block(e.name()) {
                        push_collapsed(&mut s, " ");
                    }
                }
                Node::Text(t) if skip == 0 => push_collapsed(&mut s, t),
                _ => {}
            },
            Edge::Close(n) => {
                if matches!(n.value(), Node::Element(_)) && skip > 0 {
                    skip -= 1;
                }
            }
        }
    }
    if s.ends_with(' ') {
        s.pop();
    }
    s
}

/// Cell text longer than this is cut: table cells are short, and spans copy the text.
const MAX_CELL_TEXT: usize = 1000;

fn cap(mut t: String) -> String {
    if t.len() > MAX_CELL_TEXT {
        let mut end = MAX_CELL_TEXT;
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        t.truncate(end);
    }
    t
}

/// The `<tr>`s of a table: its own rows, through `thead`/`tbody`/`tfoot`, not nested tables'.
fn rows_of(table: NodeRef<'_, Node>) -> Vec<NodeRef<'_, Node>> {
    let mut rows = Vec::new();
    for child in table.children() {
        let Node::Element(e) = child.value() else {
            continue;
        };
        match e.name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(
                child
                    .children()
                    .filter(|c| matches!(c.value(), Node::Element(e) if e.name() == "tr")),
            ),
            _ => {}
        }
        if rows.len() >= MAX_ROWS {
            rows.truncate(MAX_ROWS);
            break;
        }
    }
    rows
}

fn span(e: &scraper::node::Element, attr: &str) -> usize {
    e.attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

/// Lays one table out as a grid. Slots no cell covers (short rows) are `spanned` and empty, so
/// readers do not mistake them for blank cells.
fn grid_of(table: NodeRef<'_, Node>, budget: &mut usize) -> Grid {
    let mut trs = rows_of(table);
    // Rows stop where the page's slot budget could run out (a row is at most MAX_COLS wide).
    trs.truncate(*budget / MAX_COLS);
    let n_rows = trs.len();
    let mut slots: Vec<Vec<Option<GridCell>>> = vec![Vec::new(); n_rows];
    for (r, tr) in trs.iter().enumerate() {
        let mut c = 0usize;
        for cell in tr.children() {
            let Node::Element(e) = cell.value() else {
                continue;
            };
            if !matches!(e.name(), "td" | "th") {
                continue;
            }
            while slots[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            if c >= MAX_COLS {
                break;
            }
            let text = cap(text_of(cell));
            let cs = span(e, "colspan").min(MAX_COLS - c);
            let rs = span(e, "rowspan").min(n_rows - r);
            for (dr, row) in slots[r..r + rs].iter_mut().enumerate() {
                if row.len() < c + cs {
                    row.resize(c + cs, None);
                }
                for (dc, slot) in row[c..c + cs].iter_mut().enumerate() {
                    if slot.is_none() {
                        *slot = Some(GridCell {
                            text: text.clone(),
                            spanned: dr > 0 || dc > 0,
                        });
                    }
                }
            }
            c += cs;
        }
    }
    let width = slots.iter().map(Vec::len).max().unwrap_or(0);
    *budget = budget.saturating_sub(n_rows * width);
    let rows = slots
        .into_iter()
        .map(|row| {
            let mut row: Vec<GridCell> = row
                .into_iter()
                .map(|s| {
                    s.unwrap_or(GridCell {
                        text: String::new(),
                        spanned: true,
                    })
                })
                .collect();
            row.resize(
                width,
                GridCell {
                    text: String::new(),
                    spanned: true,
                },
            );
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
    fn hostile_spans_are_capped() {
        let d = read(
            "<table><tr><td colspan=99999 rowspan=99999>x</td></tr><tr><td>y</td></tr></table>",
        );
        let g = &d.grids[0];
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].len(), MAX_SPAN + 1);
    }
}
