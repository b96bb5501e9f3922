//! Report bodies derived from real documents (copied into `data/`):
//!
//! - seed 000 (西夏区人民政府办公室 2024): the prose lines become `<p>` paragraphs and the
//!   flattened `a | b | c` table lines become the official HTML tables again (same 200 numbers);
//! - seed 001 (泸州市江阳区人民政府办公室 2023): every line a `<p>`, the tables left as the
//!   flattened `a | b | c` text they are in the seed (a page whose tables were pasted as text);
//! - seed 002 (吴忠市红寺堡区人民政府 2014, legacy): prose paragraphs, page chrome removed;
//! - the Shanghai 2019 office report: its HTML body verbatim (2019 format).

use nianbao_model::{TableName, Tables};

use super::report::{Block, Body};
use super::tables::{self, CellStyle};

const SEED_000: &str = include_str!("../data/seed_000_xixia_2024.txt");
const SEED_001: &str = include_str!("../data/seed_001_jiangyang_2023.txt");
const SEED_002: &str = include_str!("../data/seed_002_hongsibu_2014.txt");
const SHANGHAI: &str = include_str!("../data/shanghai_2019_office.html");

/// A report body taken from a real document, with what tests need to know about it.
#[derive(Debug, Clone)]
pub(crate) struct RealReport {
    /// Title as published.
    pub(crate) title: &'static str,
    /// Publishing agency.
    pub(crate) agency: &'static str,
    /// Report year.
    pub(crate) year: i32,
    /// The body.
    pub(crate) body: Body,
    /// The tables (None for legacy and for the verbatim Shanghai HTML).
    pub(crate) tables: Option<Tables>,
    /// A distinctive substring of the body text.
    pub(crate) marker: &'static str,
}

/// Page chrome lines that real extractions carried along.
const CHROME: &[&str] = &[
    "扫一扫 手机浏览",
    "扫一扫在手机上查看当前页面",
    "账号+密码登录",
    "手机+密码登录",
];

fn is_number(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit())
}

/// Paragraphs and tables of a flattened 2021 report (seeds 000/001). With `keep_text`, the
/// `a | b | c` table lines stay paragraphs as they are (a page whose tables were pasted as
/// text); otherwise they become the official HTML tables again.
fn flattened(text: &str, title: Option<&str>, keep_text: bool) -> (Body, Option<Tables>) {
    let mut blocks = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || CHROME.contains(&line) || Some(line) == title {
            continue;
        }
        if line.contains(" | ") || line.ends_with(" |") {
            numbers.extend(
                line.split('|')
                    .map(str::trim)
                    .filter(|c| is_number(c))
                    .filter_map(|c| c.parse::<i64>().ok()),
            );
            if keep_text {
                blocks.push(Block::Para(line.to_string()));
            }
            continue;
        }
        let table = match line {
            l if l.starts_with("三、收到和处理") => Some(TableName::Active),
            l if l.starts_with("四、政府信息公开行政复议") => Some(TableName::Requests),
            l if l.starts_with("五、存在的主要问题") => Some(TableName::Appeals),
            _ => None,
        };
        if let Some(t) = table.filter(|_| !keep_text) {
            blocks.push(Block::Table(t));
        }
        let heading = ["一、", "二、", "三、", "四、", "五、", "六、"]
            .iter()
            .any(|p| line.starts_with(p));
        blocks.push(if heading {
            Block::Heading(line.to_string())
        } else {
            Block::Para(line.to_string())
        });
    }
    let parsed = tables::from_numbers(&numbers);
    if parsed.is_none() {
        // Not a flattened 2021 report after all: show the lines as they are.
        blocks.retain(|b| !matches!(b, Block::Table(_)));
    }
    (
        Body::Blocks {
            blocks,
            tables: parsed.clone(),
            style: CellStyle::Para,
        },
        parsed,
    )
}

/// Seed 000: 西夏区人民政府办公室2024年政府信息公开工作年度报告.
pub(crate) fn xixia_2024() -> RealReport {
    let (body, tables) = flattened(SEED_000, None, false);
    RealReport {
        title: "西夏区人民政府办公室2024年政府信息公开工作年度报告",
        agency: "西夏区人民政府办公室",
        year: 2024,
        body,
        tables,
        marker: "贺兰山西路481号",
    }
}

/// Seed 001: 泸州市江阳区人民政府办公室2023年政府信息公开工作年度报告.
pub(crate) fn jiangyang_2023() -> RealReport {
    let title = "泸州市江阳区人民政府办公室2023年政府信息公开工作年度报告";
    let (body, tables) = flattened(SEED_001, Some(title), true);
    RealReport {
        title,
        agency: "泸州市江阳区人民政府办公室",
        year: 2023,
        body,
        tables,
        marker: "收取政府信息公开信息处理费650元",
    }
}

/// Seed 002: the 2014 legacy report (re-posted 2017-10-23), prose only.
pub(crate) fn hongsibu_2014() -> RealReport {
    let title = "吴忠市红寺堡区人民政府2014年政府信息公开工作年度报告";
    // The extraction starts with breadcrumb, title twice, date line and share widget; the body
    // starts after the widget's "×" and the third copy of the title.
    let start = SEED_002
        .lines()
        .position(|l| l.trim() == "×")
        .map_or(0, |i| i + 1);
    let blocks = SEED_002
        .lines()
        .skip(start)
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != title && !CHROME.contains(l))
        .map(|l| {
            let heading = ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
                .iter()
                .any(|p| l.starts_with(p));
            if heading {
                Block::Heading(l.to_string())
            } else {
                Block::Para(l.to_string())
            }
        })
        .collect();
    RealReport {
        title,
        agency: "吴忠市红寺堡区人民政府",
        year: 2014,
        body: Body::Blocks {
            blocks,
            tables: None,
            style: CellStyle::Plain,
        },
        tables: None,
        marker: "254025人次",
    }
}

/// The Shanghai 2019 office report, its HTML body verbatim.
pub(crate) fn shanghai_2019() -> RealReport {
    let start = SHANGHAI.find("<body>").map_or(0, |i| i + "<body>".len());
    let end = SHANGHAI
        .rfind("</body>")
        .unwrap_or(SHANGHAI.len())
        .max(start);
    RealReport {
        title: "2019年上海市人民政府办公厅政府信息公开工作年度报告",
        agency: "上海市人民政府办公厅",
        year: 2019,
        body: Body::Raw(SHANGHAI.get(start..end).unwrap_or("").trim()),
        tables: None,
        marker: "统一受理平台接入53个部门2261项事项",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::Number;

    #[test]
    fn seed_000_tables_rebuilt_with_expected_values() {
        let r = xixia_2024();
        let t = r.tables.clone().unwrap_or_default();
        let req = t.requests.as_ref();
        assert_eq!(
            req.and_then(|q| q.value("new_received", "total")),
            Some(Number::Int(9))
        );
        assert_eq!(
            req.and_then(|q| q.value("not_processed_repeated", "natural_person")),
            Some(Number::Int(1))
        );
        assert_eq!(
            t.active
                .as_ref()
                .and_then(|a| a.value("normative_documents", "in_force")),
            Some(Number::Int(10))
        );
        assert_eq!(
            t.appeals.as_ref().and_then(|a| a.value("review", "upheld")),
            Some(Number::Int(1))
        );
        let html = r.body.html();
        assert_eq!(html.matches("<table").count(), 3);
        assert!(html.contains(r.marker));
        assert!(!html.contains(" | "));
        assert!(!html.contains("扫一扫"));
        // Tables sit right after their headings.
        let i2 = html.find("二、主动公开政府信息情况").unwrap_or(usize::MAX);
        let t1 = html.find("<table").unwrap_or(0);
        assert!(i2 < t1);
    }

    #[test]
    fn seed_001_values() {
        let r = jiangyang_2023();
        let t = r.tables.clone().unwrap_or_default();
        let req = t.requests.as_ref();
        assert_eq!(
            req.and_then(|q| q.value("partially_granted", "total")),
            Some(Number::Int(18))
        );
        assert_eq!(
            req.and_then(|q| q.value("carried_forward", "total")),
            Some(Number::Int(2))
        );
        assert_eq!(
            t.active
                .as_ref()
                .and_then(|a| a.value("normative_documents", "repealed")),
            Some(Number::Int(9))
        );
        let html = r.body.html();
        assert!(!html.contains("<table"));
        assert!(
            html.contains("<p style=\"text-indent:2em\">一、本年新收政府信息公开申请数量 | 42 |")
        );
        assert!(!html.contains("账号+密码登录"));
        assert!(html.contains(r.marker));
        assert_eq!(html.matches(r.title).count(), 0);
    }

    #[test]
    fn legacy_and_shanghai_bodies() {
        let r = hongsibu_2014();
        let html = r.body.html();
        assert!(html.starts_with("<p style=\"text-indent:2em\">按照《2014年政府信息公开工作要点》"));
        assert!(html.contains("一、概述"));
        assert!(html.contains(r.marker));
        assert!(!html.contains("用微信扫描二维码"));
        let s = shanghai_2019();
        let h = s.body.html();
        assert!(h.starts_with("<p"));
        assert_eq!(h.matches("<table").count(), 3);
        assert!(h.contains(s.marker));
    }
}
