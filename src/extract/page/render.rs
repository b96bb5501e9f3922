//! Serialising a chosen body container: inner HTML with tables intact, and text with one line
//! per block, `<p>`, `<br>` and table row (cells joined with " | ", a colspan padded with empty
//! cells), both without scripts, styles, share widgets, QR codes, print/close bars and the
//! 索引号 metadata table. Walks the tree iteratively (`traverse`), so deep nesting is harmless.

use std::collections::{HashMap, HashSet};

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Node};

use crate::extract::normalize::is_furniture_line;

/// Elements never part of a report body.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "object",
    "embed", "meta", "link", "head", "title", "template", "svg", "canvas", "audio", "video",
];

/// id/class fragments of page furniture inside content areas.
const FURNITURE_MARKS: &[&str] = &[
    "share",
    "bdshare",
    "jiathis",
    "bshare",
    "fenxiang",
    "print",
    "dayin",
    "fontsize",
    "font-size",
    "zihao",
    "zh_size",
    "ewm",
    "qrcode",
    "qr-code",
    "erweima",
    "code2d",
    "crumb",
    "breadcrumb",
    "weizhi",
    "dqwz",
    "position",
    "login",
    "denglu",
    "toolbar",
    "tool-bar",
    "gotop",
    "go-top",
    "backtop",
    "closewin",
    "jiucuo",
    "pagebar",
    "prevnext",
    "prev-next",
    "sxp",
    "xgwz",
    "xglj",
    "comment",
    "pinglun",
];

/// Tags that end a line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "blockquote",
    "pre",
    "center",
    "form",
    "fieldset",
    "address",
    "hr",
    "figure",
    "figcaption",
    "caption",
];

const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The element carries a furniture id or class.
pub(crate) fn is_furniture_element(el: &Element) -> bool {
    let id = el.id().unwrap_or("").to_ascii_lowercase();
    let marks = |s: &str| FURNITURE_MARKS.iter().any(|m| s.contains(m));
    marks(&id) || el.classes().any(|c| marks(&c.to_ascii_lowercase()))
}

/// A 公开目录 metadata table (索引号 / 发布机构 …), kept out of the body.
pub(crate) fn is_meta_table(el: ElementRef<'_>) -> bool {
    // Metadata tables are small: bounding the size keeps repeated checks cheap.
    if el.value().name() != "table" || el.descendants().take(400).count() >= 400 {
        return false;
    }
    let text: String = el
        .text()
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text.contains("索引号")
        && [
            "发布机构",
            "发文机关",
            "生成日期",
            "发布日期",
            "主题分类",
            "成文日期",
            "公开方式",
        ]
        .iter()
        .any(|l| text.contains(l))
        && text.chars().count() < 600
}

/// A link to a report file (`.pdf`, `downfile.jsp?filename=….docx` …): listed in
/// `attachments`, left out of the body text so the text does not depend on the page's file list.
fn is_document_link(el: ElementRef<'_>) -> bool {
    el.value().name() == "a"
        && el.attr("href").is_some_and(|h| {
            let h = h.trim();
            let path = h.split(['?', '#']).next().unwrap_or("");
            crate::extract::attachment::ext_of(path).is_some()
                || h.split(['?', '&']).any(|kv| {
                    kv.split_once('=').is_some_and(|(k, v)| {
                        k.eq_ignore_ascii_case("filename")
                            && crate::extract::attachment::ext_of(v).is_some()
                    })
                })
        })
}

/// The elements of one document to leave out (with everything inside them), computed once:
/// deciding is not free (a metadata table is recognised by its text), and the density
/// search looks at each element many times.
#[derive(Debug, Default)]
pub(crate) struct Skips(HashSet<NodeId>);

impl Skips {
    /// The skipped elements under `root` (outermost ones; their insides are skipped anyway).
    pub(crate) fn of(root: ElementRef<'_>) -> Skips {
        let mut set = HashSet::new();
        let mut inside: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) if inside.is_none() => {
                    if let Some(el) = ElementRef::wrap(node) {
                        if skipped(el) {
                            set.insert(node.id());
                            inside = Some(node.id());
                        }
                    }
                }
                Edge::Close(node) if inside == Some(node.id()) => inside = None,
                _ => {}
            }
        }
        Skips(set)
    }

    /// Whether `el` is left out.
    pub(crate) fn has(&self, el: ElementRef<'_>) -> bool {
        self.0.contains(&el.id())
    }
}

/// Skip the element and everything inside it.
pub(crate) fn skipped(el: ElementRef<'_>) -> bool {
    let v = el.value();
    SKIP_TAGS.contains(&v.name()) || is_furniture_element(v) || is_meta_table(el)
}

fn escape(s: &str, out: &mut String, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

/// Inner HTML of `root` without skipped elements and comments.
pub(crate) fn inner_html(root: ElementRef<'_>, skips: &Skips) -> String {
    let mut out = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() || node.id() == root.id() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => escape(t, &mut out, false),
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if skips.has(el) {
                            skip = Some(node.id());
                            continue;
                        }
                        out.push('<');
                        out.push_str(e.name());
                        for (k, v) in e.attrs() {
                            out.push(' ');
                            out.push_str(k);
                            out.push_str("=\"");
                            escape(v, &mut out, true);
                            out.push('"');
                        }
                        out.push('>');
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                    continue;
                }
                if skip.is_some() || node.id() == root.id() {
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    if !VOID_TAGS.contains(&e.name()) {
                        out.push_str("</");
                        out.push_str(e.name());
                        out.push('>');
                    }
                }
            }
        }
    }
    out
}

/// Collects lines of text.
#[derive(Default)]
struct Lines {
    lines: Vec<(String, bool)>,
    line: String,
    /// Cells of the table row being read, and the cell being read.
    row: Option<Vec<String>>,
    cell: Option<String>,
    /// Nesting of tables inside the current cell (their text joins the cell).
    nested: usize,
}

impl Lines {
    fn push_text(&mut self, t: &str) {
        let target = match self.cell.as_mut() {
            Some(c) => c,
            None => &mut self.line,
        };
        for (i, part) in t.split(|c: char| c.is_whitespace()).enumerate() {
            if i > 0 && !target.ends_with(' ') && !target.is_empty() {
                target.push(' ');
            }
            target.push_str(part);
        }
    }

    fn space(&mut self) {
        if let Some(c) = self.cell.as_mut() {
            if !c.is_empty() && !c.ends_with(' ') {
                c.push(' ');
            }
        } else {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let l = self.line.trim().to_string();
        if !l.is_empty() {
            self.lines.push((l, false));
        }
        self.line.clear();
    }
}

fn span(el: &Element) -> usize {
    el.attr("colspan")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 50)
}

/// Text of `root`: one line per block or table row; furniture lines dropped.
pub(crate) fn text(root: ElementRef<'_>, skips: &Skips) -> String {
    lines(root, skips, true)
}

/// Text of `root` with furniture lines kept (for metadata lines like "发布日期：…").
pub(crate) fn raw_text(root: ElementRef<'_>, skips: &Skips) -> String {
    lines(root, skips, false)
}

fn lines(root: ElementRef<'_>, skips: &Skips, drop_furniture: bool) -> String {
    let mut st = Lines::default();
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => st.push_text(t),
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if node.id() != root.id() && (skips.has(el) || is_document_link(el)) {
                            skip = Some(node.id());
                            continue;
                        }
                        let in_cell = st.cell.is_some();
                        match e.name() {
                            "table" if in_cell => st.nested += 1,
                            "tr" if !in_cell => {
                                st.flush();
                                st.row = Some(Vec::new());
                            }
                            "td" | "th" if !in_cell && st.row.is_some() => {
                                st.cell = Some(String::new())
                            }
                            "br" => st.space(),
                            "img" => {}
                            name if BLOCK_TAGS.contains(&name) => st.space(),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                    continue;
                }
                if skip.is_some() {
                    continue;
                }
                let Node::Element(e) = node.value() else {
                    continue;
                };
                match e.name() {
                    "table" if st.nested > 0 => st.nested -= 1,
                    "td" | "th" if st.nested == 0 && st.cell.is_some() => {
                        let cell = st.cell.take().unwrap_or_default().trim().to_string();
                        if let Some(row) = st.row.as_mut() {
                            row.push(cell);
                            row.extend(std::iter::repeat_n(String::new(), span(e) - 1));
                        }
                    }
                    "tr" if st.nested == 0 && st.cell.is_none() => {
                        if let Some(row) = st.row.take() {
                            if row.iter().any(|c| !c.is_empty()) {
                                st.lines.push((row.join(" | "), true));
                            }
                        }
                    }
                    name if BLOCK_TAGS.contains(&name) => st.space(),
                    _ => {}
                }
            }
        }
    }
    st.flush();
    st.lines
        .into_iter()
        .filter(|(l, row)| !drop_furniture || *row || !is_furniture_line(l))
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// [`text_weight`] of every element under a root, computed in one pass so the density search
/// stays linear in the page size however deep the page nests.
#[derive(Debug, Default)]
pub(crate) struct Weights(HashMap<NodeId, (usize, usize)>);

impl Weights {
    /// Weights of all elements under `root`.
    pub(crate) fn of(root: ElementRef<'_>, skips: &Skips) -> Weights {
        let mut map = HashMap::new();
        let mut stack: Vec<(NodeId, usize, usize)> = Vec::new();
        let mut skip: Option<NodeId> = None;
        let mut in_link = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => {
                            let n = t.chars().filter(|c| !c.is_whitespace()).count();
                            if let Some(top) = stack.last_mut() {
                                top.1 += n;
                                if in_link > 0 {
                                    top.2 += n;
                                }
                            }
                        }
                        Node::Element(e) => {
                            let Some(el) = ElementRef::wrap(node) else {
                                continue;
                            };
                            if node.id() != root.id() && skips.has(el) {
                                skip = Some(node.id());
                                map.insert(node.id(), (0, 0));
                                continue;
                            }
                            if e.name() == "a" {
                                in_link += 1;
                            }
                            stack.push((node.id(), 0, 0));
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() {
                        continue;
                    }
                    let Node::Element(e) = node.value() else {
                        continue;
                    };
                    if e.name() == "a" {
                        in_link = in_link.saturating_sub(1);
                    }
                    if stack.last().is_some_and(|t| t.0 == node.id()) {
                        if let Some((id, a, l)) = stack.pop() {
                            map.insert(id, (a, l));
                            if let Some(parent) = stack.last_mut() {
                                parent.1 += a;
                                parent.2 += l;
                            }
                        }
                    }
                }
            }
        }
        Weights(map)
    }

    /// `(all, inside links)` of `el`; zero for elements not under the root.
    pub(crate) fn get(&self, el: ElementRef<'_>) -> (usize, usize) {
        self.0.get(&el.id()).copied().unwrap_or((0, 0))
    }
}

/// Non-whitespace characters of text in `root` outside links and skipped elements:
/// `(all, inside links)`.
pub(crate) fn text_weight(root: ElementRef<'_>, skips: &Skips) -> (usize, usize) {
    let (mut all, mut linked) = (0usize, 0usize);
    let mut skip: Option<ego_tree::NodeId> = None;
    let mut in_link = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => {
                        let n = t.chars().filter(|c| !c.is_whitespace()).count();
                        all += n;
                        if in_link > 0 {
                            linked += n;
                        }
                    }
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if node.id() != root.id() && skips.has(el) {
                            skip = Some(node.id());
                        } else if e.name() == "a" {
                            in_link += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                } else if skip.is_none() {
                    if let Node::Element(e) = node.value() {
                        if e.name() == "a" {
                            in_link = in_link.saturating_sub(1);
                        }
                    }
                }
            }
        }
    }
    (all, linked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn pipe_rows_and_blocks() {
        let doc = Html::parse_fragment(
            r#"<div><p>一、总体情况</p><p>正文<br>第二行</p><div class="bdshare">分享到</div>
            <script>var x = 1;</script>
            <table><tr><td colspan="4">第二十条第（一）项</td></tr>
            <tr><td>规章</td><td>0</td><td><p>1</p></td><td>&nbsp;</td></tr></table>
            <p>扫一扫在手机上查看当前页面</p></div>"#,
        );
        let root = doc.root_element();
        let skips = Skips::of(root);
        let t = text(root, &skips);
        assert_eq!(
            t,
            "一、总体情况\n正文\n第二行\n第二十条第（一）项 |  |  | \n规章 | 0 | 1 | "
        );
        let h = inner_html(root, &skips);
        assert!(
            h.contains("<td colspan=\"4\">") && !h.contains("bdshare") && !h.contains("var x"),
            "{h}"
        );
        let (all, linked) = text_weight(root, &skips);
        assert!(all > 10 && linked == 0);
        assert_eq!(Weights::of(root, &skips).get(root), (all, linked));
    }
}
