//! The tree builder without a tree: the HTML standard's stack of open elements, turned
//! straight into running text and table records as elements open and close. Which element a
//! tag opens or closes is decided by the insertion rules in `rules.rs`.
//!
//! The events are the ones the scraper-based reader took from a DOM traversal: a block opening
//! or closing breaks the running text (a line; a space inside a cell), a cell closing writes
//! ` | `, a row closing ends a line, and each cell's own text (nested tables left out) is
//! collected for its grid. Content inside `script`, `style`, `noscript`, `template`, `title`,
//! `select`, `option` is skipped.
//!
//! One difference from a tree: content the standard moves out of a table (text or elements
//! between rows, "foster parenting") belongs to the cell around the table, as in the tree, but
//! stays in its written place in the running text instead of moving before the table.

use super::entities::{decode, raw};
use super::lexer::{Lexer, Token};
use super::tags::{is_integration_point, Name, Tag};
use super::{push_collapsed, MAX_CELL_TEXT};

/// A table as written: rows of cells with their spans.
#[derive(Debug, Default)]
pub(super) struct TableRec {
    pub rows: Vec<Vec<CellRec>>,
}

/// One `<td>`/`<th>`.
#[derive(Debug)]
pub(super) struct CellRec {
    /// Whitespace collapsed; may end with a space.
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// Where a table, row or cell on the stack is recorded (`None`: not recorded, as in skipped
/// content or past a cap).
#[derive(Debug, Clone, Copy)]
pub(super) enum Rec {
    None,
    Table(usize),
    Row(usize, usize),
    Cell(usize, usize, usize),
}

/// One element on the stack of open elements.
#[derive(Debug, Clone, Copy)]
pub(super) struct Open {
    pub tag: Tag,
    /// The name as a number, to match end tags.
    pub id: u64,
    /// Opened outside skipped content: its events count.
    pub live: bool,
    pub rec: Rec,
    /// An SVG or MathML element (content follows foreign rules).
    pub foreign: bool,
    /// An SVG/MathML element whose content is HTML (bounds scopes, is special).
    pub integration: bool,
}

impl Open {
    /// In the standard's special category: `</x>` for another element stops here.
    pub(super) fn is_special(&self) -> bool {
        self.integration || !self.foreign && self.tag.is_special()
    }
}

/// The insertion mode, read off the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Body,
    Table,
    Section,
    Row,
    Cell,
    Caption,
    Colgroup,
    Select,
    Foreign,
}

/// Search bounds for "has an element in scope".
#[derive(Clone, Copy)]
pub(super) enum Scope {
    Default,
    Button,
    ListItem,
    Table,
    Select,
}

/// The page as read so far.
pub(super) struct Builder {
    pub(super) stack: Vec<Open>,
    /// Live cells on the stack.
    in_cell: usize,
    /// Skipped elements on the stack.
    skip: usize,
    /// Inside `<template>` contents: how many templates are open.
    pub(super) template: usize,
    /// No standards-mode doctype: `<table>` does not close an open `<p>`.
    pub(super) quirks: bool,
    /// Past the point where a doctype counts.
    started: bool,
    /// A `<form>` is open (the standard's form element pointer: forms do not nest).
    pub(super) form: bool,
    /// The text of the `<title>` being read, if it is the first.
    pub(super) title_buf: Option<String>,
    pub text: String,
    pub title: Option<String>,
    pub tables: Vec<TableRec>,
    /// Some content was fostered out of a table (tests compare the text only without).
    #[cfg(test)]
    pub fostered: bool,
}

impl Builder {
    pub(super) fn new(capacity: usize) -> Self {
        Builder {
            stack: Vec::with_capacity(32),
            in_cell: 0,
            skip: 0,
            template: 0,
            quirks: true,
            started: false,
            form: false,
            title_buf: None,
            text: String::with_capacity(capacity),
            title: None,
            tables: Vec::new(),
            #[cfg(test)]
            fostered: false,
        }
    }

    /// Reads one token; `lx` is told when an element's content is raw text.
    pub(super) fn token(&mut self, token: Token<'_>, lx: &mut Lexer<'_>) {
        match token {
            Token::Text(t) => {
                self.started |= !t.chars().all(is_html_space);
                self.text(&decode(t, None));
            }
            Token::Rcdata(t) => self.text(&decode(t, Some('\u{fffd}'))),
            Token::Raw(t) => self.text(&raw(t)),
            Token::Start(st) => {
                self.started = true;
                self.start(st, lx);
            }
            Token::End(name) => {
                self.started = true;
                self.end(name);
            }
            Token::Doctype(d) if !self.started => {
                self.started = true;
                self.quirks = is_quirky(d);
            }
            Token::Doctype(_) | Token::Comment => {}
        }
        lx.cdata = self.in_foreign();
    }

    /// Closes everything still open.
    pub(super) fn finish(&mut self) {
        while !self.stack.is_empty() {
            self.pop();
        }
    }

    // ---- events ----

    fn text(&mut self, t: &str) {
        if self.template > 0 || t.is_empty() {
            return;
        }
        if self.top() == Some(Tag::Colgroup) {
            // Whitespace stays in the column group; anything else ends it.
            let rest = t.trim_start_matches(is_html_space);
            if rest.len() < t.len() && self.skip == 0 {
                push_collapsed(&mut self.text, &t[..t.len() - rest.len()]);
            }
            if !rest.is_empty() {
                self.pop();
                self.text(rest);
            }
            return;
        }
        let in_title = self.top() == Some(Tag::Title);
        if let Some(buf) = self.title_buf.as_mut().filter(|_| in_title) {
            push_collapsed(buf, t);
        }
        if self.skip > 0 {
            return;
        }
        push_collapsed(&mut self.text, t);
        // Whitespace between rows stays in the table; other text there belongs to the
        // table's parent.
        let between_rows = self
            .top()
            .is_some_and(|t| t.is_table_context() || t == Tag::Colgroup);
        if between_rows && t.chars().all(is_html_space) {
            return;
        }
        #[cfg(test)]
        {
            self.fostered |= self.fostering();
        }
        if let Some(cell) = self.owner_cell() {
            push_cell(cell, t);
        }
    }

    /// The cell that text or an element written now belongs to.
    fn owner_cell(&mut self) -> Option<&mut CellRec> {
        let mut rec = Rec::None;
        for o in self.stack.iter().rev() {
            match o.tag {
                Tag::Td | Tag::Th => {
                    rec = o.rec;
                    break;
                }
                Tag::Caption | Tag::Select | Tag::Template => break,
                _ => {} // a table: fostered content belongs to the table's parent
            }
        }
        match rec {
            Rec::Cell(t, r, c) => self.tables.get_mut(t)?.rows.get_mut(r)?.get_mut(c),
            _ => None,
        }
    }

    /// Content written now has a table, section or row as parent, so the standard moves it
    /// before the table.
    #[cfg(test)]
    fn fostering(&self) -> bool {
        for o in self.stack.iter().rev() {
            match o.tag {
                Tag::Td | Tag::Th | Tag::Caption => return false,
                t if t.is_table_context() => return true,
                _ => {}
            }
        }
        false
    }

    /// Opens an HTML element.
    pub(super) fn push(&mut self, name: Name, rec: Rec) {
        self.push_open(Open {
            tag: name.tag,
            id: name.id,
            live: self.skip == 0,
            rec,
            foreign: false,
            integration: false,
        });
    }

    /// Opens an SVG/MathML element.
    pub(super) fn push_foreign(&mut self, name: Name) {
        let integration = name.tag == Tag::Title || is_integration_point(name.id);
        self.push_open(Open {
            tag: match name.tag {
                Tag::Svg | Tag::Math | Tag::Title | Tag::Script | Tag::Style => name.tag,
                _ => Tag::Other,
            },
            id: name.id,
            live: self.skip == 0,
            rec: Rec::None,
            foreign: !integration,
            integration,
        });
    }

    fn push_open(&mut self, open: Open) {
        #[cfg(test)]
        {
            let table_part = matches!(
                open.tag,
                Tag::Table
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot
                    | Tag::Tr
                    | Tag::Td
                    | Tag::Th
                    | Tag::Colgroup
            );
            self.fostered |= !table_part && self.fostering();
        }
        if open.live {
            self.opened(open.tag);
        }
        if open.tag.is_skipped() {
            self.skip += 1;
        }
        self.stack.push(open);
    }

    /// Events of an element opening in live content.
    fn opened(&mut self, tag: Tag) {
        match tag {
            Tag::Td | Tag::Th => self.in_cell += 1,
            Tag::Br => self.break_text(tag),
            t if t.is_block() => self.break_text(tag),
            _ => {}
        }
    }

    /// A block or `<br>` opens: a line break, a space inside cells.
    fn break_text(&mut self, tag: Tag) {
        self.text.push(if self.in_cell > 0 { ' ' } else { '\n' });
        // A nested table's parts are not the enclosing cell's text.
        if !matches!(tag, Tag::Table | Tag::Tr | Tag::Caption) {
            if let Some(cell) = self.owner_cell() {
                push_cell(cell, " ");
            }
        }
    }

    /// Closes the current element.
    pub(super) fn pop(&mut self) {
        if let Some(i) = self.stack.len().checked_sub(1) {
            self.remove(i);
        }
    }

    /// Takes the element at `i` off the stack (the current one, or a `<form>`).
    pub(super) fn remove(&mut self, i: usize) {
        let o = self.stack.remove(i);
        if o.tag.is_skipped() {
            self.skip -= 1;
            if o.tag == Tag::Title {
                if let Some(buf) = self.title_buf.take() {
                    self.title = Some(super::collapse(&buf));
                }
            }
        } else if o.live {
            self.closed(o.tag);
        }
    }

    /// Events of a live element closing.
    fn closed(&mut self, tag: Tag) {
        match tag {
            Tag::Td | Tag::Th => {
                self.in_cell -= 1;
                self.text.push_str(" | ");
            }
            Tag::Tr => self.text.push('\n'),
            t if t.is_block() && self.in_cell == 0 => self.text.push('\n'),
            _ => {}
        }
    }

    /// A void element: opens and closes at once.
    pub(super) fn void(&mut self, tag: Tag) {
        #[cfg(test)]
        {
            self.fostered |= self.fostering();
        }
        if self.skip == 0 {
            self.opened(tag);
            self.closed(tag);
        }
    }

    /// Records a new table (unless skipped or past the cap) and opens it.
    pub(super) fn push_table(&mut self, name: Name) {
        let rec = if self.skip == 0 && self.tables.len() < super::MAX_TABLES {
            self.tables.push(TableRec::default());
            Rec::Table(self.tables.len() - 1)
        } else {
            Rec::None
        };
        self.push(name, rec);
    }

    /// Records and opens a `<tr>`; the stack is cleared to its table or section.
    pub(super) fn push_row(&mut self, name: Name) {
        let table = self.stack.iter().rev().find(|o| o.tag == Tag::Table);
        let rec = match table.map(|o| o.rec) {
            Some(Rec::Table(t)) => {
                let rows = &mut self.tables[t].rows;
                if rows.len() < super::MAX_ROWS {
                    rows.push(Vec::new());
                    Rec::Row(t, rows.len() - 1)
                } else {
                    Rec::None
                }
            }
            _ => Rec::None,
        };
        self.push(name, rec);
    }

    /// Records and opens a `<td>`/`<th>`; the stack is cleared to its row.
    pub(super) fn push_cell(&mut self, name: Name, colspan: usize, rowspan: usize) {
        let rec = match self.stack.last().map(|o| o.rec) {
            Some(Rec::Row(t, r)) => {
                let cells = &mut self.tables[t].rows[r];
                if cells.len() < super::MAX_COLS {
                    cells.push(CellRec {
                        text: String::new(),
                        colspan,
                        rowspan,
                    });
                    Rec::Cell(t, r, cells.len() - 1)
                } else {
                    Rec::None
                }
            }
            _ => Rec::None,
        };
        self.push(name, rec);
    }

    // ---- reading the stack ----

    pub(super) fn top(&self) -> Option<Tag> {
        self.stack.last().map(|o| o.tag)
    }

    /// The current node is SVG or MathML.
    pub(super) fn in_foreign(&self) -> bool {
        self.stack.last().is_some_and(|o| o.foreign)
    }

    /// Pops elements up to and including the first that matches.
    pub(super) fn pop_until(&mut self, pred: impl Fn(Tag) -> bool) {
        while let Some(tag) = self.top() {
            self.pop();
            if pred(tag) {
                break;
            }
        }
    }

    /// Pops until `len` elements are left.
    pub(super) fn pop_to(&mut self, len: usize) {
        while self.stack.len() > len {
            self.pop();
        }
    }

    pub(super) fn pop_while(&mut self, pred: impl Fn(Tag) -> bool) {
        while self.top().is_some_and(&pred) {
            self.pop();
        }
    }

    /// An HTML element matching `pred` is open, searching down to an element that bounds
    /// `scope`.
    pub(super) fn in_scope(&self, pred: impl Fn(Tag) -> bool, scope: Scope) -> bool {
        for o in self.stack.iter().rev() {
            if !o.foreign && pred(o.tag) {
                return true;
            }
            let bound = match scope {
                Scope::Default => o.integration || o.tag.bounds_scope(),
                Scope::Button => o.integration || o.tag.bounds_scope() || o.tag == Tag::Button,
                Scope::ListItem => {
                    o.integration || o.tag.bounds_scope() || matches!(o.tag, Tag::Ol | Tag::Ul)
                }
                Scope::Table => matches!(o.tag, Tag::Table | Tag::Html | Tag::Template),
                Scope::Select => !matches!(o.tag, Tag::Optgroup | Tag::Option),
            };
            if bound {
                return false;
            }
        }
        false
    }

    /// The mode for a start tag: foreign content when an SVG/MathML element is current.
    pub(super) fn mode(&self) -> Mode {
        if self.in_foreign() {
            return Mode::Foreign;
        }
        self.html_mode()
    }

    /// The innermost table part or `<select>` decides (the standard's "reset the insertion
    /// mode", which is what the mode always equals here).
    pub(super) fn html_mode(&self) -> Mode {
        for o in self.stack.iter().rev() {
            return match o.tag {
                Tag::Td | Tag::Th => Mode::Cell,
                Tag::Tr => Mode::Row,
                Tag::Tbody | Tag::Thead | Tag::Tfoot => Mode::Section,
                Tag::Table => Mode::Table,
                Tag::Caption => Mode::Caption,
                Tag::Colgroup => Mode::Colgroup,
                Tag::Select => Mode::Select,
                _ => continue,
            };
        }
        Mode::Body
    }
}

/// The standard's whitespace (NBSP is text).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Appends to a cell's text, up to a little past the cap (the rest would be cut anyway).
fn push_cell(cell: &mut CellRec, t: &str) {
    if cell.text.len() <= MAX_CELL_TEXT + 1 {
        push_collapsed(&mut cell.text, t);
    }
}

/// A doctype that leaves the page in quirks mode (no doctype at all does too).
fn is_quirky(doctype: &str) -> bool {
    let d = doctype.trim().to_ascii_lowercase();
    let has_system_id = d.contains("http");
    !d.starts_with("html")
        || d.contains("//dtd html 3")
        || d.contains("//dtd html 4.0 ")
        || d.contains("//dtd html 4.0//")
        || (d.contains("//dtd html 4.01 transitional") || d.contains("//dtd html 4.01 frameset"))
            && !has_system_id
}
