//! The HTML standard's insertion rules, as far as they decide where elements open and close:
//! implied end tags (`<p>`, `<li>`, `<dd>`, `<td>`, `<tr>` left open; a `<td>` closing the
//! previous cell; `</table>` closing everything inside), implied `<tbody>`/`<tr>`, table parts
//! outside a table ignored, a `<table>` directly inside a table ending it, tables nested in
//! cells, fostered content, quirks mode's `<p><table>`, `<select>`, `<template>` contents kept
//! apart, SVG/MathML content and the HTML blocks that end it.
//!
//! Left out: the adoption agency algorithm and the reopening of formatting elements
//! (`<b><p>x</b>` leaves the `b` open here where html5ever moves it inside the `p`). They change
//! which inline element is current, which decides little: `<h2><b><h2>` nests the headings in
//! html5ever and not here, a line break apart.

use super::entities::decode;
use super::lexer::{attr, Content, Lexer, StartTag};
use super::tags::{Name, Tag};
use super::tree::{Builder, Mode, Rec, Scope};

/// Deepest stack of ordinary elements; deeper ones are read as inline (bounds the stack walks
/// on hostile markup; table parts are not capped, as they cannot nest without cells).
const MAX_DEPTH: usize = 512;

impl Builder {
    pub(super) fn start(&mut self, st: StartTag<'_>, lx: &mut Lexer<'_>) {
        let tag = st.name.tag;
        if self.template > 0 {
            match tag {
                Tag::Template => self.template += 1,
                _ => raw_content(tag, lx),
            }
            return;
        }
        loop {
            let reprocess = match self.mode() {
                Mode::Foreign => self.start_foreign(st),
                Mode::Select => self.start_select(st, lx),
                Mode::Table => self.start_table(st, lx),
                Mode::Colgroup => match tag {
                    Tag::Col => false,
                    Tag::Template => self.start_body(st, lx),
                    _ => {
                        self.pop();
                        true
                    }
                },
                Mode::Section => match tag {
                    Tag::Tr => {
                        self.clear_to(Tag::is_section);
                        self.push_row(st.name);
                        false
                    }
                    Tag::Td | Tag::Th => {
                        self.clear_to(Tag::is_section);
                        self.push_row(Name::of("tr"));
                        true
                    }
                    Tag::Caption
                    | Tag::Col
                    | Tag::Colgroup
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot => self.close_section(),
                    _ => self.start_table(st, lx),
                },
                Mode::Row => match tag {
                    Tag::Td | Tag::Th => {
                        self.clear_to(|t| t == Tag::Tr);
                        self.push_cell(st.name, span(st.colspan), span(st.rowspan));
                        false
                    }
                    t if t.is_table_part() => self.close_row(),
                    _ => self.start_table(st, lx),
                },
                Mode::Cell => match tag {
                    t if t.is_table_part() => self.close_cell(),
                    _ => self.start_body(st, lx),
                },
                Mode::Caption => match tag {
                    t if t.is_table_part() => self.close_caption(),
                    _ => self.start_body(st, lx),
                },
                Mode::Body => self.start_body(st, lx),
            };
            if !reprocess {
                return;
            }
        }
    }

    /// "in body". Returns whether to reprocess (never).
    fn start_body(&mut self, st: StartTag<'_>, lx: &mut Lexer<'_>) -> bool {
        let tag = st.name.tag;
        let deep = self.stack.len() >= MAX_DEPTH;
        match tag {
            Tag::Html | Tag::Body | Tag::Head | Tag::Frameset => {}
            t if t.is_table_part() => {} // outside a table
            Tag::Template => self.template = 1,
            Tag::Script | Tag::Style | Tag::Noscript | Tag::Title => {
                if tag == Tag::Title {
                    self.start_title();
                }
                self.push(st.name, Rec::None);
                raw_content(tag, lx);
            }
            Tag::Select => self.push(st.name, Rec::None),
            Tag::Option | Tag::Optgroup => {
                if self.top() == Some(Tag::Option) {
                    self.pop();
                }
                self.push(st.name, Rec::None);
            }
            Tag::Table => {
                if !self.quirks {
                    self.close_p();
                }
                self.push_table(st.name);
            }
            Tag::Form => {
                if !self.form {
                    self.close_p();
                    self.form = true;
                    self.push(st.name, Rec::None);
                }
            }
            t if t.is_void() => {
                if t == Tag::Hr {
                    self.close_p();
                }
                self.void(t);
            }
            _ if deep => {}
            Tag::Svg | Tag::Math => {
                if !st.self_closing {
                    self.push_foreign(st.name);
                }
            }
            t if t.closes_p() => {
                match t {
                    Tag::Li => self.close_list_item(|t| t == Tag::Li),
                    Tag::Dd | Tag::Dt => self.close_list_item(|t| matches!(t, Tag::Dd | Tag::Dt)),
                    _ => {}
                }
                self.close_p();
                if matches!(t, Tag::Heading(_)) && matches!(self.top(), Some(Tag::Heading(_))) {
                    self.pop();
                }
                self.push(st.name, Rec::None);
                raw_content(t, lx);
            }
            Tag::Button => {
                if self.in_scope(|t| t == Tag::Button, Scope::Default) {
                    self.pop_until(|t| t == Tag::Button);
                }
                self.push(st.name, Rec::None);
            }
            t => {
                // Inline elements; textarea, iframe, noembed, noframes; applet, object, marquee.
                self.push(st.name, Rec::None);
                raw_content(t, lx);
            }
        }
        false
    }

    fn start_title(&mut self) {
        if self.title.is_none() && self.title_buf.is_none() {
            self.title_buf = Some(String::new());
        }
    }

    /// `<li>`, `<dd>`, `<dt>` close an open one unless another block intervenes.
    fn close_list_item(&mut self, is_item: impl Fn(Tag) -> bool) {
        for o in self.stack.iter().rev() {
            if !o.foreign && is_item(o.tag) {
                let target = o.tag;
                self.pop_until(|t| t == target);
                return;
            }
            if o.is_special() && !matches!(o.tag, Tag::Address | Tag::Div | Tag::P) {
                return;
            }
        }
    }

    /// "in table": returns whether to reprocess.
    fn start_table(&mut self, st: StartTag<'_>, lx: &mut Lexer<'_>) -> bool {
        match st.name.tag {
            Tag::Caption | Tag::Colgroup | Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                self.clear_to(|_| false);
                self.push(st.name, Rec::None);
                false
            }
            Tag::Col => {
                self.clear_to(|_| false);
                self.push(Name::of("colgroup"), Rec::None);
                true
            }
            Tag::Tr | Tag::Td | Tag::Th => {
                self.clear_to(|_| false);
                self.push(Name::of("tbody"), Rec::None);
                true
            }
            Tag::Table => {
                // A table directly inside a table ends it.
                if self.in_scope(|t| t == Tag::Table, Scope::Table) {
                    self.pop_until(|t| t == Tag::Table);
                    return true;
                }
                false
            }
            Tag::Form => {
                self.form = true;
                false
            }
            // Script, style and template stay in the table; anything else is fostered out.
            _ => self.start_body(st, lx),
        }
    }

    fn start_select(&mut self, st: StartTag<'_>, lx: &mut Lexer<'_>) -> bool {
        let tag = st.name.tag;
        match tag {
            Tag::Option => {
                self.pop_while(|t| t == Tag::Option);
                self.push(st.name, Rec::None);
                false
            }
            Tag::Optgroup => {
                self.pop_while(|t| t == Tag::Option);
                self.pop_while(|t| t == Tag::Optgroup);
                self.push(st.name, Rec::None);
                false
            }
            Tag::Select => {
                self.pop_until(|t| t == Tag::Select);
                false
            }
            Tag::Textarea => {
                self.pop_until(|t| t == Tag::Select);
                true
            }
            Tag::Caption
            | Tag::Table
            | Tag::Tbody
            | Tag::Tfoot
            | Tag::Thead
            | Tag::Tr
            | Tag::Td
            | Tag::Th
                if self.select_in_table() =>
            {
                self.pop_until(|t| t == Tag::Select);
                true
            }
            Tag::Script => {
                self.push(st.name, Rec::None);
                raw_content(tag, lx);
                false
            }
            Tag::Template => {
                self.template = 1;
                false
            }
            _ => false,
        }
    }

    /// Inside SVG or MathML: HTML blocks end it; other elements are foreign.
    fn start_foreign(&mut self, st: StartTag<'_>) -> bool {
        let tag = st.name.tag;
        let breaks_out = tag.breaks_out_of_foreign()
            || tag == Tag::Font
                && ["color", "face", "size"]
                    .iter()
                    .any(|a| attr(st.attrs, a).is_some());
        if breaks_out {
            while self.in_foreign() {
                self.pop();
            }
            return true;
        }
        if !st.self_closing && self.stack.len() < MAX_DEPTH {
            if tag == Tag::Title {
                self.start_title();
            }
            self.push_foreign(st.name);
        }
        false
    }

    /// The open `<select>` is inside a table ("in select in table").
    fn select_in_table(&self) -> bool {
        self.stack
            .iter()
            .rev()
            .skip_while(|o| o.tag != Tag::Select)
            .any(|o| o.tag == Tag::Table)
    }

    /// Pops to the innermost table (the standard's "table context") or to `stop`.
    fn clear_to(&mut self, stop: impl Fn(Tag) -> bool) {
        self.pop_while(|t| !stop(t) && !matches!(t, Tag::Table | Tag::Html | Tag::Template));
    }

    fn close_p(&mut self) {
        if self.in_scope(|t| t == Tag::P, Scope::Button) {
            self.pop_until(|t| t == Tag::P);
        }
    }

    fn close_section(&mut self) -> bool {
        if self.in_scope(Tag::is_section, Scope::Table) {
            self.clear_to(Tag::is_section);
            self.pop();
            return true;
        }
        false
    }

    fn close_row(&mut self) -> bool {
        if self.in_scope(|t| t == Tag::Tr, Scope::Table) {
            self.clear_to(|t| t == Tag::Tr);
            self.pop();
            return true;
        }
        false
    }

    fn close_cell(&mut self) -> bool {
        if self.in_scope(|t| matches!(t, Tag::Td | Tag::Th), Scope::Table) {
            self.pop_until(|t| matches!(t, Tag::Td | Tag::Th));
            return true;
        }
        false
    }

    fn close_caption(&mut self) -> bool {
        if self.in_scope(|t| t == Tag::Caption, Scope::Table) {
            self.pop_until(|t| t == Tag::Caption);
            return true;
        }
        false
    }

    // ---- end tags ----

    pub(super) fn end(&mut self, name: Name) {
        let tag = name.tag;
        if self.template > 0 {
            if tag == Tag::Template {
                self.template -= 1;
            }
            return;
        }
        if self.in_foreign() {
            if matches!(tag, Tag::Br | Tag::P) {
                while self.in_foreign() {
                    self.pop();
                }
            } else {
                // The nearest foreign element of that name; at an HTML element, HTML rules.
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    if !o.foreign {
                        break;
                    }
                    if o.id == name.id {
                        self.pop_to(i);
                        return;
                    }
                }
            }
        }
        loop {
            let reprocess = match self.html_mode() {
                Mode::Select => self.end_select(tag),
                Mode::Table => self.end_table(name),
                Mode::Colgroup => match tag {
                    Tag::Colgroup => {
                        self.pop();
                        false
                    }
                    Tag::Col => false,
                    _ => {
                        self.pop();
                        true
                    }
                },
                Mode::Section => match tag {
                    Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                        if self.in_scope(|t| t == tag, Scope::Table) {
                            self.clear_to(Tag::is_section);
                            self.pop();
                        }
                        false
                    }
                    Tag::Table => self.close_section(),
                    Tag::Caption | Tag::Col | Tag::Colgroup | Tag::Td | Tag::Th | Tag::Tr => false,
                    _ => self.end_table(name),
                },
                Mode::Row => match tag {
                    Tag::Tr => {
                        self.close_row();
                        false
                    }
                    Tag::Table => self.close_row(),
                    Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                        self.in_scope(|t| t == tag, Scope::Table) && self.close_row()
                    }
                    Tag::Caption | Tag::Col | Tag::Colgroup | Tag::Td | Tag::Th => false,
                    _ => self.end_table(name),
                },
                Mode::Cell => match tag {
                    Tag::Td | Tag::Th => {
                        if self.in_scope(|t| t == tag, Scope::Table) {
                            self.pop_until(|t| matches!(t, Tag::Td | Tag::Th));
                        }
                        false
                    }
                    Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Tr => {
                        self.in_scope(|t| t == tag, Scope::Table) && self.close_cell()
                    }
                    Tag::Caption | Tag::Col | Tag::Colgroup => false,
                    _ => {
                        self.end_body(name);
                        false
                    }
                },
                Mode::Caption => match tag {
                    Tag::Caption => {
                        self.close_caption();
                        false
                    }
                    Tag::Table => self.close_caption(),
                    t if t.is_table_part() => false,
                    _ => {
                        self.end_body(name);
                        false
                    }
                },
                Mode::Body | Mode::Foreign => {
                    self.end_body(name);
                    false
                }
            };
            if !reprocess {
                return;
            }
        }
    }

    fn end_table(&mut self, name: Name) -> bool {
        match name.tag {
            Tag::Table => {
                if self.in_scope(|t| t == Tag::Table, Scope::Table) {
                    self.pop_until(|t| t == Tag::Table);
                }
            }
            t if t.is_table_part() => {}
            _ => self.end_body(name),
        }
        false
    }

    fn end_select(&mut self, tag: Tag) -> bool {
        match tag {
            Tag::Option if self.top() == Some(Tag::Option) => self.pop(),
            Tag::Optgroup => {
                let n = self.stack.len();
                if n >= 2
                    && self.stack[n - 1].tag == Tag::Option
                    && self.stack[n - 2].tag == Tag::Optgroup
                {
                    self.pop();
                }
                if self.top() == Some(Tag::Optgroup) {
                    self.pop();
                }
            }
            Tag::Select if self.in_scope(|t| t == Tag::Select, Scope::Select) => {
                self.pop_until(|t| t == Tag::Select);
            }
            Tag::Caption
            | Tag::Table
            | Tag::Tbody
            | Tag::Tfoot
            | Tag::Thead
            | Tag::Tr
            | Tag::Td
            | Tag::Th
                if self.select_in_table() && self.in_scope(|t| t == tag, Scope::Table) =>
            {
                self.pop_until(|t| t == Tag::Select);
                return true;
            }
            Tag::Script if self.top() == Some(Tag::Script) => self.pop(),
            _ => {}
        }
        false
    }

    /// "in body" end tags.
    fn end_body(&mut self, name: Name) {
        match name.tag {
            Tag::Html | Tag::Body | Tag::Head | Tag::Template => {}
            Tag::Form => {
                // The form leaves the stack wherever it is; what it holds stays open.
                self.form = false;
                if self.in_scope(|t| t == Tag::Form, Scope::Default) {
                    self.pop_while(|t| {
                        matches!(
                            t,
                            Tag::Dd | Tag::Dt | Tag::Li | Tag::Optgroup | Tag::Option | Tag::P
                        )
                    });
                    if let Some(i) = self.stack.iter().rposition(|o| o.tag == Tag::Form) {
                        self.remove(i);
                    }
                }
            }
            Tag::P => {
                if !self.in_scope(|t| t == Tag::P, Scope::Button) {
                    self.push(name, Rec::None); // `</p>` alone: an empty paragraph
                }
                self.pop_until(|t| t == Tag::P);
            }
            Tag::Li => {
                if self.in_scope(|t| t == Tag::Li, Scope::ListItem) {
                    self.pop_until(|t| t == Tag::Li);
                }
            }
            Tag::Heading(_) => {
                let is_heading = |t| matches!(t, Tag::Heading(_));
                if self.in_scope(is_heading, Scope::Default) {
                    self.pop_until(is_heading);
                }
            }
            Tag::Br => self.void(Tag::Br),
            t if t.is_void() => {}
            t if t.is_special() => {
                if self.in_scope(|x| x == t, Scope::Default) {
                    self.pop_until(|x| x == t);
                }
            }
            _ => {
                // Any other end tag: the nearest HTML element of that name, unless a special
                // element comes first.
                for i in (0..self.stack.len()).rev() {
                    let o = self.stack[i];
                    if !o.foreign && o.id == name.id {
                        self.pop_to(i);
                        return;
                    }
                    if o.is_special() {
                        return;
                    }
                }
            }
        }
    }
}

/// Tells the lexer when the element just opened holds raw text.
fn raw_content(tag: Tag, lx: &mut Lexer<'_>) {
    let (content, name) = match tag {
        Tag::Script => (Content::Script, "script"),
        Tag::Style => (Content::Rawtext, "style"),
        Tag::Noscript => (Content::Rawtext, "noscript"),
        Tag::Xmp => (Content::Rawtext, "xmp"),
        Tag::Iframe => (Content::Rawtext, "iframe"),
        Tag::Noembed => (Content::Rawtext, "noembed"),
        Tag::Noframes => (Content::Rawtext, "noframes"),
        Tag::Title => (Content::Rcdata, "title"),
        Tag::Textarea => (Content::Rcdata, "textarea"),
        Tag::Plaintext => (Content::Plaintext, "plaintext"),
        _ => return,
    };
    lx.raw_content(content, name);
}

/// A `colspan`/`rowspan` value, 1 when absent or unreadable.
fn span(value: Option<&str>) -> usize {
    value
        .and_then(|v| decode(v, Some('\u{fffd}')).trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, super::MAX_SPAN)
}
