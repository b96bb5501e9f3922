//! A site's listed items as the build places them (row, path, page, files) and how listings
//! show their titles.

use super::words;
use super::Truncation;
use crate::families::Row;

/// Counties, one per site (a suffix after the list runs out).
const COUNTIES: &[&str] = &[
    "青石县",
    "白沙县",
    "长乐县",
    "清水县",
    "安平县",
    "龙泉市",
    "柳河县",
    "桃源县",
    "永宁县",
    "凤山县",
    "石门县",
    "红星区",
    "南湖区",
    "西山区",
    "金川县",
    "玉屏县",
];

/// A file attached to a page.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// Path (and query) on the site.
    pub(crate) path: String,
    /// Link text.
    pub(crate) name: String,
    /// The PDF.
    pub(crate) pdf: Vec<u8>,
}

/// What a listed link leads to.
#[derive(Debug, Clone)]
pub(crate) enum Page {
    /// A detail page in the family's template.
    Detail {
        title: String,
        agency: String,
        body: String,
        files: Vec<File>,
    },
    /// A page whose only content is a meta refresh.
    Redirect,
    /// Raw HTML at the listed path (an error page under a `.pdf` name, a listing).
    Html(String),
}

/// One listed item, placed.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// The row (full title, date, path as linked, cut text).
    pub(crate) row: Row,
    /// Article id.
    pub(crate) id: u64,
    /// Where the row links (a path on the site).
    pub(crate) path: String,
    /// What is there.
    pub(crate) page: Page,
}

/// The county of site `i`.
pub(crate) fn county(i: usize) -> String {
    let c = COUNTIES
        .get(i % COUNTIES.len())
        .copied()
        .unwrap_or("青石县");
    match i / COUNTIES.len() {
        0 => c.to_string(),
        n => format!(
            "{}{}{}",
            &c[..c.len() - 3],
            "新".repeat(n),
            &c[c.len() - 3..]
        ),
    }
}

/// Link text of a row whose listing cuts the title (`None`: the template's own text and a
/// `title` attribute).
pub(crate) fn cut(title: &str, t: Truncation) -> Option<String> {
    match t {
        Truncation::Full => None,
        Truncation::AfterReport => Some(words::cut_after_report(title)),
        Truncation::Ellipsis if title.starts_with("关于") => Some(words::cut_after_report(title)),
        Truncation::Ellipsis => match title.find("政府信息") {
            Some(i) => Some(format!("{}…", &title[..i + "政府信息".len()])),
            None => Some(words::cut_after_report(title)),
        },
    }
}
