//! Page templates of the CMS families the mock imitates, one file per family (portals.md §3–§5):
//! listing pages with their pagination machinery, detail pages with their furniture (metas,
//! 索引号 table, breadcrumb, share widget, footer) and attachments.
//!
//! Templates are pure functions from rows and documents to HTML/XML/JSON strings; which
//! documents go where, and the bytes on the wire (encoding, headers), are decided by the site.

pub(crate) mod generic;
pub(crate) mod gkmlpt;
pub(crate) mod hanweb;
pub(crate) mod jeecms;
pub(crate) mod trs;

use super::util::{esc, Date};

/// One row of a listing: title (full; templates may truncate the link text), date, and the
/// link target as it should appear in the page (relative path or absolute URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// Full title.
    pub(crate) title: String,
    /// Publication date.
    pub(crate) date: Date,
    /// `href` value.
    pub(crate) href: String,
    /// Link text written as given and no `title` attribute (a listing that cut the title and
    /// kept no full copy); `None`: the template's own truncation, full title in `title=`.
    pub(crate) cut: Option<String>,
}

impl Row {
    /// A row showing `title` as templates do.
    pub(crate) fn new(title: String, date: Date, href: String) -> Row {
        Row {
            title,
            date,
            href,
            cut: None,
        }
    }

    /// The escaped ` title="…"` attribute (empty when the listing omits it) and link text,
    /// the text cut to `max_chars` by the template unless the row says otherwise.
    pub(crate) fn link(&self, max_chars: usize) -> (String, String) {
        match &self.cut {
            Some(text) => (String::new(), esc(text)),
            None => (
                format!(" title=\"{}\"", esc(&self.title)),
                esc(&truncate(&self.title, max_chars)),
            ),
        }
    }
}

/// What a detail page shows.
#[derive(Debug, Clone)]
pub(crate) struct Detail<'a> {
    /// Article title.
    pub(crate) title: &'a str,
    /// Publishing agency (ContentSource / 发布机构).
    pub(crate) agency: &'a str,
    /// Publication time.
    pub(crate) date: Date,
    /// Body HTML.
    pub(crate) body: String,
    /// 索引号.
    pub(crate) index_no: String,
    /// Attachments as (href, file name shown).
    pub(crate) attachments: Vec<(String, String)>,
}

/// Shorten a title for link text the way list templates do (the full title stays in `title=`).
pub(crate) fn truncate(title: &str, max_chars: usize) -> String {
    if title.chars().count() <= max_chars {
        title.to_string()
    } else {
        let mut s: String = title.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A 索引号 like `11451023MB1234567X/2024-00012`.
pub(crate) fn index_no(org_code: &str, year: i32, seq: u64) -> String {
    format!("{org_code}/{year}-{:05}", seq % 100_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_short_titles() {
        assert_eq!(truncate("短标题", 10), "短标题");
        assert_eq!(truncate("一二三四五六", 4), "一二三…");
        assert_eq!(index_no("X", 2024, 123_456), "X/2024-23456");
    }
}
