//! A generated report as an HTML detail page, in the families real portals serve: plain tables
//! with rowspan/colspan, the whole body inside nested layout tables, and Word-pasted HTML
//! (MsoNormal paragraphs, `<span>`s cutting labels, `&nbsp;` blanks, `<o:p>`, spaced short
//! labels, `<br>` inside long labels). Quirks: labels repeated instead of row-spanned, table 三
//! split in two with its header repeated; the page can be served in GBK.

use super::form::{self, FormCell, FormTable, Labels, HEADINGS, PROSE};
use super::world::{Report, Rng};

/// How the page is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `<table border=1>` with spans.
    Plain,
    /// The body in a layout table (navigation column, content cell), data tables nested in it.
    Nested,
    /// Pasted from Word.
    Word,
}

/// The choices one page is rendered with.
#[derive(Debug, Clone, Copy)]
pub struct Quirks {
    pub family: Family,
    pub labels: Labels,
    /// Table 三 as two tables, the header repeated before （一）.
    pub split: bool,
    /// Served as GBK (`charset=gb2312`).
    pub gbk: bool,
}

impl Quirks {
    pub fn random(rng: &mut Rng) -> Quirks {
        Quirks {
            family: *rng.pick(&[Family::Plain, Family::Nested, Family::Word]),
            labels: *rng.pick(&[Labels::Merged, Labels::Merged, Labels::Repeated]),
            split: rng.chance(20),
            gbk: rng.chance(30),
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// A cell's inner HTML in `family`.
fn cell_body(c: &FormCell, family: Family, rng: &mut Rng) -> String {
    let text = escape(&c.text);
    if family != Family::Word {
        return text;
    }
    if text.trim().is_empty() {
        return "<p class=\"MsoNormal\" align=\"center\"><span lang=\"EN-US\">&nbsp;<o:p></o:p></span></p>"
            .to_string();
    }
    let chars: Vec<char> = c.text.chars().collect();
    let body = if !c.label {
        format!("<span lang=\"EN-US\" style=\"font-size:10.5pt\">{text}</span>")
    } else if chars.len() <= 4 && rng.chance(50) {
        // "自 然 人"
        let spaced: Vec<String> = chars.iter().map(|c| c.to_string()).collect();
        format!(
            "<span style=\"font-family:宋体\">{}</span>",
            spaced.join("&nbsp;")
        )
    } else if chars.len() > 12 {
        // A long label cut by the editor's spans and a hard line break.
        let cut = 6 + rng.below(chars.len() as u64 - 10) as usize;
        let (a, b): (String, String) =
            (chars[..cut].iter().collect(), chars[cut..].iter().collect());
        let br = if rng.chance(50) { "<br />" } else { "" };
        format!(
            "<span style=\"font-family:宋体\">{}</span>{br}<span style=\"font-family:宋体;mso-bidi\">{}</span>",
            escape(&a),
            escape(&b)
        )
    } else {
        format!("<span style=\"font-family:宋体\">{text}</span>")
    };
    format!(
        "<p class=\"MsoNormal\" align=\"center\" style=\"text-align:center\">{body}<o:p></o:p></p>"
    )
}

fn td(c: &FormCell, family: Family, rng: &mut Rng) -> String {
    let mut attrs = String::new();
    if c.rowspan > 1 {
        attrs.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
    }
    if c.colspan > 1 {
        attrs.push_str(&format!(" colspan=\"{}\"", c.colspan));
    }
    if family == Family::Word {
        attrs.push_str(" width=\"57\" valign=\"center\" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\"");
    }
    format!("<td{attrs}>{}</td>", cell_body(c, family, rng))
}

fn table_open(family: Family) -> &'static str {
    match family {
        Family::Word => "<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse\">",
        _ => "<table border=\"1\" cellspacing=\"0\" width=\"100%\">",
    }
}

fn rows_html(rows: &[Vec<FormCell>], family: Family, rng: &mut Rng) -> String {
    let mut s = String::new();
    for row in rows {
        s.push_str("<tr>");
        for c in row {
            s.push_str(&td(c, family, rng));
        }
        s.push_str("</tr>");
    }
    s
}

fn table_html(t: &FormTable, q: &Quirks, rng: &mut Rng) -> String {
    let mut s = String::from(table_open(q.family));
    // Table 三 split before （一）: the second part repeats the three header rows.
    let split_at =
        (q.split && t.name == nianbao::model::TableName::Requests).then_some(t.header_rows + 2);
    match split_at {
        Some(at) if at < t.rows.len() => {
            s.push_str(&rows_html(&t.rows[..at], q.family, rng));
            s.push_str("</table><p></p>");
            s.push_str(table_open(q.family));
            s.push_str(&rows_html(&t.rows[..t.header_rows], q.family, rng));
            s.push_str(&rows_html(&t.rows[at..], q.family, rng));
        }
        _ => s.push_str(&rows_html(&t.rows, q.family, rng)),
    }
    s.push_str("</table>");
    s
}

fn para(text: &str, family: Family) -> String {
    match family {
        Family::Word => format!(
            "<p class=\"MsoNormal\" style=\"text-indent:32.0pt\"><span style=\"font-family:仿宋_GB2312\">{}</span><o:p></o:p></p>",
            escape(text)
        ),
        _ => format!("<p>{}</p>", escape(text)),
    }
}

/// The page as UTF-8 HTML (the caller encodes it as GBK when `q.gbk`).
pub fn page(report: &Report, q: &Quirks, rng: &mut Rng) -> String {
    let title = report.title();
    let mut body = para(&title, q.family);
    body.push_str(&para(HEADINGS[0], q.family));
    body.push_str(&para(PROSE, q.family));
    let tables = [
        form::active(report),
        form::requests(report, q.labels),
        form::appeals(report),
    ];
    for (heading, t) in HEADINGS[1..4].iter().zip(&tables) {
        body.push_str(&para(heading, q.family));
        body.push_str(&table_html(t, q, rng));
    }
    for heading in &HEADINGS[4..] {
        body.push_str(&para(heading, q.family));
        body.push_str(&para("无。", q.family));
    }
    let body = match q.family {
        Family::Nested => format!(
            "<table width=\"1000\"><tr><td width=\"200\"><ul><li><a href=\"/\">首页</a></li>\
             <li><a href=\"/zwgk/\">政务公开</a></li></ul></td><td><table width=\"100%\"><tr><td>\
             <div class=\"content\"><div class=\"TRS_Editor\">{body}</div></div></td></tr></table></td></tr></table>"
        ),
        _ => format!("<div class=\"article\">{body}</div>"),
    };
    let charset = if q.gbk { "gb2312" } else { "utf-8" };
    format!(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">\
         <title>{}</title></head><body>{body}</body></html>",
        escape(&title)
    )
}

/// The page's bytes as served, and its `Content-Type`.
pub fn served(report: &Report, q: &Quirks, rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let html = page(report, q, rng);
    if q.gbk {
        let (bytes, _, _) = encoding_rs::GBK.encode(&html);
        (bytes.into_owned(), "text/html; charset=gb2312")
    } else {
        (html.into_bytes(), "text/html; charset=utf-8")
    }
}
