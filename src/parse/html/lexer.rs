//! HTML tokenizer: a page as start tags, end tags and runs of text, following the HTML
//! standard's tokenizer where it decides what is markup and what is text.
//!
//! Covered: tags with quoted and unquoted attributes (a `>` inside quotes does not end a tag),
//! self-closing tags, end tags, comments (`<!-- -->`, `<!-->`, `--!>`, bogus `<!…>` / `<?…>`),
//! doctypes, CDATA sections where the tree builder allows them, and elements whose content is
//! text up to their end tag (`script` with its `<!--` escapes, `style`, `title`, `textarea`,
//! `xmp`, `iframe`, `noscript`, `plaintext`). A tag cut off by the end of the input is dropped,
//! as the standard does. Character references are decoded later (`entities.rs`), only in text
//! that is read.
//!
//! Attributes are not collected: a start tag keeps its raw attribute text, and [`attr`] reads
//! one attribute from it when the tree builder asks (only `td`/`th` spans and a few others).

use super::tags::Name;

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// Character data; character references not yet decoded.
    Text(&'a str),
    /// The text of a `title` or `textarea`; character references not yet decoded.
    Rcdata(&'a str),
    /// Character data taken literally (script, style, CDATA).
    Raw(&'a str),
    /// A start tag.
    Start(StartTag<'a>),
    /// An end tag.
    End(Name),
    /// `<!DOCTYPE …>`, the text between `<!DOCTYPE` and `>`.
    Doctype(&'a str),
    /// A comment (its text is of no use here).
    Comment,
}

/// A start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StartTag<'a> {
    pub name: Name,
    /// Everything between the tag name and the closing `>`, for [`attr`].
    pub attrs: &'a str,
    /// Written `<x/>`.
    pub self_closing: bool,
    /// The raw `colspan` and `rowspan` values, if given.
    pub colspan: Option<&'a str>,
    pub rowspan: Option<&'a str>,
}

/// How the content of the element just opened is tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    /// Text with character references up to the end tag (`title`, `textarea`).
    Rcdata,
    /// Literal text up to the end tag (`style`, `xmp`, `iframe`, `noscript`, …).
    Rawtext,
    /// `script`: literal text, with the standard's `<!-- <script> -->` escapes.
    Script,
    /// Everything to the end of the input is text.
    Plaintext,
}

/// The tokenizer over one page.
pub(super) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Set by the tree builder: the next tokens are the content of a raw element.
    raw: Option<(Content, &'static str)>,
    /// Set by the tree builder: CDATA sections are text here (inside SVG or MathML).
    pub cdata: bool,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Lexer {
            src,
            pos: 0,
            raw: None,
            cdata: false,
        }
    }

    /// The element just opened (named `name`, lowercase) holds text up to `</name`.
    pub(super) fn raw_content(&mut self, content: Content, name: &'static str) {
        self.raw = Some((content, name));
    }

    /// The next token, `None` at the end of the input.
    pub(super) fn next_token(&mut self) -> Option<Token<'a>> {
        let s = self.src;
        let b = s.as_bytes();
        if let Some((content, name)) = self.raw.take() {
            let start = self.pos;
            let end = match content {
                Content::Plaintext => b.len(),
                Content::Script => script_end(b, start),
                Content::Rcdata | Content::Rawtext => raw_end(b, start, name.as_bytes()),
            };
            self.pos = end;
            if end > start {
                let text = &s[start..end];
                return Some(match content {
                    Content::Rcdata => Token::Rcdata(text),
                    _ => Token::Raw(text),
                });
            }
        }
        loop {
            let start = self.pos;
            if start >= b.len() {
                return None;
            }
            if b[start] == b'<' {
                match self.markup() {
                    Markup::Token(t) => return Some(t),
                    Markup::Nothing => continue,
                    Markup::Text => {}
                }
            }
            // Text runs to the next `<` that starts markup (`<` is ASCII: `from` is always on a
            // character boundary).
            let mut from = if b[start] == b'<' { start + 1 } else { start };
            let end = loop {
                match s[from..].find('<') {
                    Some(k) if starts_markup(b, from + k) => break from + k,
                    Some(k) => from += k + 1,
                    None => break b.len(),
                }
            };
            self.pos = end;
            return Some(Token::Text(&s[start..end]));
        }
    }

    /// Reads the markup at `self.pos` (a `<`).
    fn markup(&mut self) -> Markup<'a> {
        let s = self.src;
        let b = s.as_bytes();
        let at = self.pos;
        if !starts_markup(b, at) {
            return Markup::Text;
        }
        match b[at + 1] {
            b'/' => {
                if b[at + 2] == b'>' {
                    self.pos = at + 3; // `</>` is dropped
                    return Markup::Nothing;
                }
                if !b[at + 2].is_ascii_alphabetic() {
                    self.pos = bogus_comment_end(b, at + 2);
                    return Markup::Token(Token::Comment);
                }
                let name_end = name_end(b, at + 2);
                let name = Name::of(&s[at + 2..name_end]);
                match tag_end(b, name_end) {
                    Some(end) => {
                        self.pos = end.next;
                        Markup::Token(Token::End(name))
                    }
                    None => {
                        self.pos = b.len();
                        Markup::Nothing
                    }
                }
            }
            b'!' => {
                let rest = &b[at + 2..];
                if rest.starts_with(b"--") {
                    self.pos = comment_end(b, at + 4);
                    Markup::Token(Token::Comment)
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"DOCTYPE") {
                    let end = bogus_comment_end(b, at + 9);
                    self.pos = end;
                    let inner_end = if b[end - 1] == b'>' { end - 1 } else { end };
                    let inner = &s[at + 9..inner_end.max(at + 9)];
                    Markup::Token(Token::Doctype(inner))
                } else if self.cdata && rest.starts_with(b"[CDATA[") {
                    let from = at + 9;
                    let end = find(b, from, b"]]>").unwrap_or(b.len());
                    self.pos = (end + 3).min(b.len());
                    Markup::Token(Token::Raw(&s[from..end]))
                } else {
                    self.pos = bogus_comment_end(b, at + 2);
                    Markup::Token(Token::Comment)
                }
            }
            b'?' => {
                self.pos = bogus_comment_end(b, at + 1);
                Markup::Token(Token::Comment)
            }
            _ => {
                let name_end = name_end(b, at + 1);
                let name = Name::of(&s[at + 1..name_end]);
                match tag_end(b, name_end) {
                    Some(end) => {
                        self.pos = end.next;
                        let attrs_end = end.next - if end.self_closing { 2 } else { 1 };
                        let value = |r: Option<(usize, usize)>| r.map(|(a, z)| &s[a..z]);
                        Markup::Token(Token::Start(StartTag {
                            name,
                            attrs: &s[name_end..attrs_end.max(name_end)],
                            self_closing: end.self_closing,
                            colspan: value(end.colspan),
                            rowspan: value(end.rowspan),
                        }))
                    }
                    None => {
                        self.pos = b.len();
                        Markup::Nothing
                    }
                }
            }
        }
    }
}

enum Markup<'a> {
    Token(Token<'a>),
    /// Consumed without a token (`</>`, a tag cut off by the end of input).
    Nothing,
    /// The `<` is text.
    Text,
}

/// A `<` at `i` starts a tag, an end tag, a comment or a doctype.
fn starts_markup(b: &[u8], i: usize) -> bool {
    match b.get(i + 1) {
        Some(c) if c.is_ascii_alphabetic() || *c == b'!' || *c == b'?' => true,
        Some(b'/') => i + 2 < b.len(),
        _ => false,
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Where a tag name starting at `i` ends.
fn name_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    i
}

/// Position after the `>` of a bogus comment starting at `i` (or the end of input).
fn bogus_comment_end(b: &[u8], i: usize) -> usize {
    match b.get(i..).and_then(|r| r.iter().position(|&c| c == b'>')) {
        Some(k) => i + k + 1,
        None => b.len(),
    }
}

/// Position after a comment whose text starts at `i` (after `<!--`).
fn comment_end(b: &[u8], i: usize) -> usize {
    let rest = b.get(i..).unwrap_or_default();
    if rest.starts_with(b">") {
        return i + 1;
    }
    if rest.starts_with(b"->") {
        return i + 2;
    }
    let mut from = i;
    while let Some(k) = find(b, from, b"--") {
        match b.get(k + 2) {
            Some(b'>') => return k + 3,
            Some(b'!') if b.get(k + 3) == Some(&b'>') => return k + 4,
            _ => from = k + 1,
        }
    }
    b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = b.get(from..)?;
    hay.windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

/// Where the raw content starting at `from` ends: at the `</name` followed by a space, `/` or
/// `>`, or at the end of input.
fn raw_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(k) = find(b, i, b"</") {
        if is_end_tag_named(b, k, name) {
            return k;
        }
        i = k + 2;
    }
    b.len()
}

fn is_end_tag_named(b: &[u8], k: usize, name: &[u8]) -> bool {
    b.get(k + 1) == Some(&b'/') && is_tag_named(b, k + 2, name)
}

/// `name` (any case) at `i`, followed by a space, `/` or `>`.
fn is_tag_named(b: &[u8], i: usize, name: &[u8]) -> bool {
    b.get(i..i + name.len())
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && b.get(i + name.len())
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Where a script's content starting at `from` ends. A `</script>` inside `<!-- <script> -->`
/// does not end it (the standard's double-escaped script data).
fn script_end(b: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum Escape {
        No,
        Escaped,
        Double,
    }
    let mut escape = Escape::No;
    let mut i = from;
    while let Some(k) = b
        .get(i..)
        .and_then(|r| r.iter().position(|&c| c == b'<' || c == b'-'))
        .map(|k| i + k)
    {
        if b[k] == b'-' {
            if escape != Escape::No && b[k..].starts_with(b"-->") {
                escape = Escape::No;
                i = k + 3;
            } else {
                i = k + 1;
            }
            continue;
        }
        if escape == Escape::No && b[k..].starts_with(b"<!--") {
            escape = Escape::Escaped;
            i = k + 4;
        } else if is_end_tag_named(b, k, b"script") {
            if escape != Escape::Double {
                return k;
            }
            escape = Escape::Escaped;
            i = k + 8;
        } else if escape == Escape::Escaped && is_tag_named(b, k + 1, b"script") {
            escape = Escape::Double;
            i = k + 7;
        } else {
            i = k + 1;
        }
    }
    b.len()
}

/// What scanning a tag's attributes finds.
struct TagEnd {
    self_closing: bool,
    /// Position after the `>`.
    next: usize,
    /// Byte ranges of the first `colspan` and `rowspan` values.
    colspan: Option<(usize, usize)>,
    rowspan: Option<(usize, usize)>,
}

/// Scans the attributes of a tag from `i` (just after its name) to its `>`; `None` if the input
/// ends first. The span attributes are noted on the way (every cell needs them).
fn tag_end(b: &[u8], i: usize) -> Option<TagEnd> {
    let mut scan = AttrScan { b, i };
    let (mut colspan, mut rowspan) = (None, None);
    loop {
        match scan.step() {
            Step::Attr(n, v) => {
                let name = &b[n.0..n.1];
                if name.len() == 7 {
                    if name.eq_ignore_ascii_case(b"colspan") {
                        colspan = colspan.or(Some(v));
                    } else if name.eq_ignore_ascii_case(b"rowspan") {
                        rowspan = rowspan.or(Some(v));
                    }
                }
            }
            Step::End { self_closing } => {
                return Some(TagEnd {
                    self_closing,
                    next: scan.i,
                    colspan,
                    rowspan,
                })
            }
            Step::Eof => return None,
        }
    }
}

/// The raw value of the first attribute named `name` (lowercase) in a start tag's attribute
/// text; `Some("")` for an attribute without a value.
pub(super) fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut scan = AttrScan {
        b: attrs.as_bytes(),
        i: 0,
    };
    loop {
        match scan.step() {
            Step::Attr(n, v) => {
                if attrs[n.0..n.1].eq_ignore_ascii_case(name) {
                    return Some(&attrs[v.0..v.1]);
                }
            }
            Step::End { .. } | Step::Eof => return None,
        }
    }
}

struct AttrScan<'a> {
    b: &'a [u8],
    i: usize,
}

enum Step {
    /// Byte ranges of a name and its value.
    Attr((usize, usize), (usize, usize)),
    End {
        self_closing: bool,
    },
    Eof,
}

impl AttrScan<'_> {
    /// The next attribute, or the end of the tag.
    fn step(&mut self) -> Step {
        let b = self.b;
        // Before the attribute name.
        loop {
            match b.get(self.i) {
                None => return Step::Eof,
                Some(c) if is_space(*c) => self.i += 1,
                Some(b'/') => {
                    self.i += 1;
                    if b.get(self.i) == Some(&b'>') {
                        self.i += 1;
                        return Step::End { self_closing: true };
                    }
                }
                Some(b'>') => {
                    self.i += 1;
                    return Step::End {
                        self_closing: false,
                    };
                }
                Some(_) => break,
            }
        }
        // The name: a leading `=` belongs to it.
        let start = self.i;
        self.i += 1;
        while self.i < b.len() && !matches!(b[self.i], b'/' | b'>' | b'=') && !is_space(b[self.i]) {
            self.i += 1;
        }
        let name = (start, self.i);
        while self.i < b.len() && is_space(b[self.i]) {
            self.i += 1;
        }
        if b.get(self.i) != Some(&b'=') {
            return Step::Attr(name, (self.i, self.i));
        }
        self.i += 1;
        while self.i < b.len() && is_space(b[self.i]) {
            self.i += 1;
        }
        match b.get(self.i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let from = self.i + 1;
                match b[from..].iter().position(|&c| c == q) {
                    Some(k) => {
                        self.i = from + k + 1;
                        Step::Attr(name, (from, from + k))
                    }
                    None => {
                        self.i = b.len();
                        Step::Attr(name, (from, b.len()))
                    }
                }
            }
            _ => {
                let from = self.i;
                while self.i < b.len() && b[self.i] != b'>' && !is_space(b[self.i]) {
                    self.i += 1;
                }
                Step::Attr(name, (from, self.i))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::html::tags::Tag;

    fn start(name: &str) -> Token<'_> {
        Token::Start(StartTag {
            name: Name::of(name),
            attrs: "",
            self_closing: false,
            colspan: None,
            rowspan: None,
        })
    }

    fn end(name: &str) -> Token<'_> {
        Token::End(Name::of(name))
    }

    fn tokens(s: &str) -> Vec<Token<'_>> {
        let mut lx = Lexer::new(s);
        let mut out = Vec::new();
        while let Some(t) = lx.next_token() {
            if let Token::Start(StartTag { name, .. }) = t {
                match name.tag {
                    Tag::Script => lx.raw_content(Content::Script, "script"),
                    Tag::Title => lx.raw_content(Content::Rcdata, "title"),
                    Tag::Style => lx.raw_content(Content::Rawtext, "style"),
                    _ => {}
                }
            }
            out.push(t);
        }
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        let t = tokens("a<TD colspan=\"2\" x='>' rowspan=3>b</td >c< d</br/>");
        assert_eq!(t.len(), 6, "{t:?}");
        assert_eq!(t[0], Token::Text("a"));
        let Token::Start(st) = t[1] else {
            panic!("{t:?}")
        };
        assert_eq!(st.name.tag, Tag::Td);
        assert_eq!(attr(st.attrs, "colspan"), Some("2"));
        assert_eq!(attr(st.attrs, "x"), Some(">"));
        assert_eq!(attr(st.attrs, "rowspan"), Some("3"));
        assert_eq!((st.colspan, st.rowspan), (Some("2"), Some("3")));
        assert_eq!(attr(st.attrs, "nowrap"), None);
        assert_eq!(t[2], Token::Text("b"));
        assert_eq!(t[3], end("TD"));
        assert_eq!(t[4], Token::Text("c< d"));
        assert_eq!(t[5], end("br"));
    }

    #[test]
    fn comments_doctype_and_raw_text() {
        let t = tokens(
            "<!DOCTYPE html><!-- a <td> --><!--><!-- x --!>y<?php ?>\
             <script>if (a</b) {}<!-- <script>x</script> --></script>z\
             <title>A &amp; B</title><style>td>p{}</style>",
        );
        assert_eq!(
            t,
            [
                Token::Doctype(" html"),
                Token::Comment,
                Token::Comment,
                Token::Comment,
                Token::Text("y"),
                Token::Comment,
                start("script"),
                Token::Raw("if (a</b) {}<!-- <script>x</script> -->"),
                end("script"),
                Token::Text("z"),
                start("title"),
                Token::Rcdata("A &amp; B"),
                end("title"),
                start("style"),
                Token::Raw("td>p{}"),
                end("style"),
            ]
        );
    }

    #[test]
    fn cut_off_tags_are_dropped() {
        assert_eq!(tokens("a<td colspan='2"), [Token::Text("a")]);
        assert_eq!(tokens("a</"), [Token::Text("a</")]);
        assert_eq!(tokens("a<"), [Token::Text("a<")]);
        let t = tokens("<br/>");
        assert!(matches!(
            t[0],
            Token::Start(StartTag {
                self_closing: true,
                ..
            })
        ));
    }
}
