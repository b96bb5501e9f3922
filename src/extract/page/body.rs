//! Choosing the body container of a detail page: the CMS markers (Hanweb `ContentStart` /
//! `ContentEnd` metas, `<!--ZJEG_RSS.content.begin-->`), then the known containers in priority
//! order, then a text-density fallback.
//!
//! The fallback is hand-rolled: readability ports score candidates by commas and word
//! lengths of Latin text, which says little about Chinese pages (full-width `，`, no spaces),
//! and they drop tables they take for layout. Here the page is descended from `<body>` into
//! the child holding most of the non-link text, as long as that child holds at least
//! [`DOMINANT`] of it, never into a data table or a paragraph.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use super::render::{self, Skips, Weights};

/// Share of the parent's non-link text a child must hold for the descent to enter it.
pub(crate) const DOMINANT: f64 = 0.7;

/// Known containers, best first.
const CONTAINERS: &[&str] = &[
    "#zoom",
    "div.TRS_Editor",
    ".TRS_UEDITOR",
    ".trs_editor_view",
    "#UCAP-CONTENT",
    ".article-content",
    "#ivs_content",
    "#info_content",
    ".wzzw-article",
    "#vsb_content",
    "[id^=vsb_content]",
    ".detail-news",
    ".news_cont_d_wrap",
    ".tyxxy_main",
    "#Zoom",
];

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static MARKERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        re(
            r#"(?is)<meta\s+name\s*=\s*["']?ContentStart["']?[^>]*>(.*?)<meta\s+name\s*=\s*["']?ContentEnd["']?[^>]*>"#,
        ),
        re(r"(?s)<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->"),
        re(r"(?s)<!--\s*<\$\[信息内容\]>begin\s*-->(.*?)<!--\s*<\$\[信息内容\]>end\s*-->"),
    ]
});

/// The HTML between CMS body markers, if the page has them and they hold something.
pub(crate) fn marked_fragment(html: &str) -> Option<&str> {
    MARKERS.iter().find_map(|m| {
        let frag = m.captures(html)?.get(1)?.as_str();
        has_substance_html(frag).then_some(frag)
    })
}

fn has_substance_html(frag: &str) -> bool {
    let lower = frag.to_ascii_lowercase();
    lower.contains("<table") || lower.contains("<img") || lower.contains("<a ") || {
        let doc = Html::parse_fragment(frag);
        let root = doc.root_element();
        render::text_weight(root, &Skips::of(root)).0 >= 10
    }
}

fn has_substance(el: ElementRef<'_>, weights: &Weights) -> bool {
    let (all, linked) = weights.get(el);
    all.saturating_sub(linked) >= 20
        || ["table", "img", "a"].iter().any(|t| {
            Selector::parse(t)
                .ok()
                .is_some_and(|s| el.select(&s).next().is_some())
        })
}

/// The best known container of `doc`.
pub(crate) fn known_container<'a>(doc: &'a Html, weights: &Weights) -> Option<ElementRef<'a>> {
    for css in CONTAINERS {
        let Ok(sel) = Selector::parse(css) else {
            continue;
        };
        let best = doc
            .select(&sel)
            .filter(|el| has_substance(*el, weights))
            .max_by_key(|el| weights.get(*el).0);
        if best.is_some() {
            return best;
        }
    }
    None
}

/// A table holding data rather than page layout: no nested table and a row of 3+ cells.
fn is_data_table(el: ElementRef<'_>) -> bool {
    let (Ok(nested), Ok(rows)) = (Selector::parse("table"), Selector::parse("tr")) else {
        return false;
    };
    el.select(&nested).nth(1).is_none()
        && el.select(&rows).any(|tr| {
            tr.child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .count()
                >= 3
        })
}

fn descendable(el: ElementRef<'_>, skips: &Skips) -> bool {
    match el.value().name() {
        "p" | "a" | "span" | "li" | "ul" | "ol" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5"
        | "h6" | "strong" | "b" | "em" | "img" | "br" => false,
        "table" => !is_data_table(el),
        _ => !skips.has(el),
    }
}

/// The densest block: descend from `<body>` while one child holds most non-link text.
pub(crate) fn densest<'a>(doc: &'a Html, skips: &Skips, weights: &Weights) -> ElementRef<'a> {
    let root = doc.root_element();
    let mut cur = Selector::parse("body")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .unwrap_or(root);
    for _ in 0..128 {
        let (all, linked) = weights.get(cur);
        let own = all.saturating_sub(linked);
        if own == 0 {
            break;
        }
        let best = cur
            .child_elements()
            .filter(|c| !skips.has(*c))
            .map(|c| {
                let (a, l) = weights.get(c);
                (c, a.saturating_sub(l))
            })
            .max_by_key(|(_, w)| *w);
        match best {
            Some((child, w))
                if (w as f64) >= DOMINANT * own as f64 && descendable(child, skips) =>
            {
                cur = child
            }
            _ => break,
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let html = r#"<div id="zoom">x<!--ZJEG_RSS.content.begin--><meta name="ContentStart"><p>一、总体情况，本机关……</p><meta name="ContentEnd"><!--ZJEG_RSS.content.end--><p>扫一扫</p></div>"#;
        assert_eq!(marked_fragment(html), Some("<p>一、总体情况，本机关……</p>"));
        assert_eq!(
            marked_fragment("<meta name=\"ContentStart\"><meta name=\"ContentEnd\">"),
            None
        );
    }

    #[test]
    fn density_descends_into_content() {
        let prose = "本机关认真贯彻落实政府信息公开条例，主动公开政府信息。".repeat(10);
        let html = format!(
            r#"<html><body><div class="top"><a href="/">首页</a><a href="/a">机构</a></div>
            <div class="wrap"><h2>标题</h2><div class="txt"><p>{prose}</p><p>{prose}</p>
            <table><tr><td>规章</td><td>0</td><td>1</td></tr></table></div></div>
            <div class="foot">主办：某县人民政府 地址：某路1号</div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let skips = Skips::of(doc.root_element());
        let el = densest(&doc, &skips, &Weights::of(doc.root_element(), &skips));
        assert_eq!(el.value().classes().next(), Some("txt"));
    }
}
