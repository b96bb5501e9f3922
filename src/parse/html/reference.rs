//! The reader this module replaced, kept for tests only: html5ever's tree builder (through
//! `scraper`) and a DOM walk. `differential.rs` checks the hand-rolled reader against it.
//!
//! One deliberate change from the original: a cell's text skips the same elements as the
//! running text (`select`, `option`, `noscript`, `template`, `title` as well as `script` and
//! `style`); it used to read the options of a `<select>` and the raw markup of a `<noscript>`.

use crate::parse::grid::{Grid, GridCell};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{collapse, push_collapsed, HtmlDoc};
use super::{MAX_CELL_TEXT, MAX_COLS, MAX_ROWS, MAX_SLOTS, MAX_SPAN, MAX_TABLES};

/// Parses the page once and returns its tables and text.
pub(super) fn read(html: &str) -> HtmlDoc {
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

/// Text under `node`, leaving out nested tables and skipped elements; blocks become spaces.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    let mut skip = 0usize;
    let mut first = true;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let nested = !first && (e.name() == "table" || is_skipped(e.name()));
                    first = false;
                    if skip > 0 || nested {
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
