//! Detail-page metadata: `<meta name=ArticleTitle|PubDate|ContentSource>`, the Chinese
//! 公开目录 table (索引号 / 发布机构 / 发文机关 / 生成日期 / 发布日期 / 标题, labels matched after
//! stripping spaces and `：`), `信息来源：` lines, `<h1>` and `<title>` (站名_栏目_标题).

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use crate::title;

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// Labels of metadata tables, compared after removing whitespace and colons.
const LABELS: &[&str] = &[
    "索引号",
    "发布机构",
    "发文机关",
    "生成日期",
    "发布日期",
    "成文日期",
    "公开日期",
    "标题",
    "名称",
    "信息来源",
    "来源",
    "发布时间",
];

/// Elements with this many nodes or more are not label cells.
const LABEL_NODES: usize = 40;

/// Metadata read from a page.
#[derive(Debug, Default, Clone)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub agency: Option<String>,
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_label(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '：' | '\u{a0}'))
        .collect()
}

/// `<meta name="…" content="…">`, name compared case-insensitively.
fn meta_named(doc: &Html, name: &str) -> Option<String> {
    let sel = Selector::parse("meta[name][content]").ok()?;
    doc.select(&sel)
        .find(|m| m.attr("name").is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .and_then(|m| m.attr("content"))
        .map(clean)
        .filter(|s| !s.is_empty())
}

fn element_text(el: ElementRef<'_>) -> String {
    clean(&el.text().collect::<String>())
}

/// The value next to a label element: its next element sibling, or its parent's.
fn value_after(el: ElementRef<'_>) -> Option<String> {
    let mut node = Some(*el);
    for _ in 0..2 {
        let n = node?;
        let mut sib = n.next_sibling();
        while let Some(s) = sib {
            if let Some(e) = ElementRef::wrap(s) {
                let v = element_text(e);
                if !v.is_empty() {
                    return Some(v);
                }
            } else if let Some(t) = s.value().as_text() {
                let v = clean(t);
                let v = v.trim_start_matches([':', '：']).trim();
                if !v.is_empty() {
                    return Some(v.to_string());
                }
            }
            sib = s.next_sibling();
        }
        node = n.parent();
    }
    None
}

/// Label → value pairs of 公开目录 tables and label/value lists.
fn labelled(doc: &Html) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let Ok(sel) = Selector::parse("td, th, dt, dd, b, strong, span, label, em, li, p, div") else {
        return out;
    };
    for el in doc.select(&sel) {
        // Labels and their cells are small; skipping big elements keeps this linear on
        // deeply nested pages (each element's text would otherwise be collected again).
        if el.descendants().take(LABEL_NODES).count() >= LABEL_NODES {
            continue;
        }
        let text = element_text(el);
        if text.is_empty() || text.chars().count() > 120 {
            continue;
        }
        let stripped = strip_label(&text);
        if let Some(label) = LABELS.iter().find(|l| stripped == **l) {
            if let Some(v) = value_after(el).filter(|v| v.chars().count() <= 120) {
                if !out.iter().any(|(l, _)| l == label)
                    && !LABELS.contains(&strip_label(&v).as_str())
                {
                    out.push((label, v));
                }
            }
            continue;
        }
        // "发布机构：某县统计局" in one leaf element.
        if el.child_elements().next().is_none() {
            for label in LABELS {
                let Some(rest) = text.strip_prefix(label) else {
                    continue;
                };
                let rest = rest.trim_start();
                let Some(value) = rest.strip_prefix([':', '：']) else {
                    continue;
                };
                let value = clean(value);
                if !value.is_empty() && !out.iter().any(|(l, _)| l == label) {
                    out.push((label, value));
                }
            }
        }
    }
    out
}

static DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"));
static SOURCE_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*([^\s|:：]{2,40})"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:发布日期|发布时间|公开日期|日期|时间)\s*[:：]\s*((?:19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2})",
    )
});

/// ISO `YYYY-MM-DD` for a printed date, else the text as printed.
pub(crate) fn iso_date(s: &str) -> String {
    DATE.captures(s)
        .and_then(|c| {
            let y: u32 = c.get(1)?.as_str().parse().ok()?;
            let m: u32 = c.get(2)?.as_str().parse().ok()?;
            let d: u32 = c.get(3)?.as_str().parse().ok()?;
            ((1..=12).contains(&m) && (1..=31).contains(&d))
                .then(|| format!("{y:04}-{m:02}-{d:02}"))
        })
        .unwrap_or_else(|| s.trim().to_string())
}

/// Words that end an agency read from a "来源：" line.
fn trim_agency(s: &str) -> String {
    let mut v = s.trim().to_string();
    for stop in [
        "发布时间",
        "发布日期",
        "时间",
        "日期",
        "浏览",
        "点击",
        "作者",
        "字号",
        "【",
        "[",
    ] {
        if let Some(i) = v.find(stop) {
            v.truncate(i);
        }
    }
    v.trim().to_string()
}

/// Source values that name no agency.
const NOT_AGENCIES: &[&str] = &[
    "本站",
    "本网",
    "原创",
    "网站",
    "本网站",
    "管理员",
    "admin",
    "系统管理员",
    "转载",
    "网络",
];

/// Endings of agency names, required of values read from free text ("来源：…" lines).
const AGENCY_ENDINGS: &[&str] = &[
    "局",
    "委",
    "办",
    "府",
    "厅",
    "院",
    "会",
    "室",
    "处",
    "中心",
    "部",
    "镇",
    "乡",
    "街道",
    "所",
    "署",
    "站",
    "馆",
    "队",
    "社",
    "行",
    "委员会",
    "办公室",
    "管委会",
    "公司",
    "集团",
    "法院",
    "检察院",
    "政府",
];

fn is_agency(a: &str, strict: bool) -> bool {
    let n = a.chars().count();
    (2..=60).contains(&n)
        && !NOT_AGENCIES.iter().any(|j| a.eq_ignore_ascii_case(j))
        && (!strict || AGENCY_ENDINGS.iter().any(|e| a.ends_with(e)))
}

/// The parts of a `<title>` split on the usual separators; the report-like or longest part.
fn title_part(title: &str) -> Option<String> {
    let parts: Vec<String> = title
        .split(['_', '|', '－', '—', '-'])
        .map(clean)
        .filter(|p| !p.is_empty())
        .collect();
    parts
        .iter()
        .find(|p| title::is_report_title(p))
        .or_else(|| parts.iter().find(|p| title::mentions_report(p)))
        .or_else(|| parts.iter().max_by_key(|p| p.chars().count()))
        .cloned()
}

/// Read title, publish date and agency.
pub(crate) fn read(doc: &Html, page_text: &str) -> Meta {
    let pairs = labelled(doc);
    let label = |l: &str| pairs.iter().find(|(k, _)| *k == l).map(|(_, v)| v.clone());

    let mut candidates: Vec<String> = Vec::new();
    candidates.extend(meta_named(doc, "ArticleTitle"));
    candidates.extend(label("标题"));
    candidates.extend(label("名称"));
    for css in [
        "h1",
        ".title",
        "#title",
        ".article-title",
        ".bt",
        "h2",
        "h3",
        "[class*=title], [class*=Title], [id*=title]",
    ] {
        if let Ok(sel) = Selector::parse(css) {
            candidates.extend(
                doc.select(&sel)
                    .map(element_text)
                    .filter(|t| (4..=200).contains(&t.chars().count())),
            );
        }
    }
    let page_title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(element_text)
        .and_then(|t| title_part(&t));
    // The first title that names a report (whatever wraps it), else the page's own title
    // fields; then the fullest form of it any candidate gives, so a `<title>` or heading cut
    // after 年度报告 gives way to an `ArticleTitle` or `<h1>` that goes on ("…年度报告编制工作
    // 培训会") and the decision is taken on the whole title.
    let primary = candidates
        .iter()
        .chain(page_title.iter())
        .find(|t| title::mentions_report(t))
        .cloned()
        .or_else(|| meta_named(doc, "ArticleTitle"))
        .or_else(|| label("标题"))
        .or_else(|| page_title.clone())
        .or_else(|| candidates.first().cloned());
    let title = primary.map(|p| {
        let all = candidates
            .iter()
            .chain(page_title.iter())
            .map(String::as_str);
        title::fullest(&p, all).to_string()
    });

    let published = meta_named(doc, "PubDate")
        .or_else(|| meta_named(doc, "firstpublishedtime"))
        .or_else(|| label("发布日期"))
        .or_else(|| label("发布时间"))
        .or_else(|| label("公开日期"))
        .or_else(|| label("生成日期"))
        .or_else(|| label("成文日期"))
        .or_else(|| {
            DATE_LINE
                .captures(page_text)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        })
        .map(|d| iso_date(&d));

    let agency = [
        meta_named(doc, "ContentSource"),
        label("发布机构"),
        label("发文机关"),
        label("信息来源"),
        label("来源"),
    ]
    .into_iter()
    .flatten()
    .map(|a| trim_agency(&a))
    .find(|a| is_agency(a, false))
    .or_else(|| {
        SOURCE_LINE
            .captures_iter(page_text)
            .filter_map(|c| c.get(1))
            .map(|m| trim_agency(m.as_str()))
            .find(|a| is_agency(a, true))
    });
    Meta {
        title,
        published,
        agency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_labels_and_title_parts() {
        let html = r#"<html><head><title>某县人民政府_年报_某县统计局2023年政府信息公开工作年度报告</title></head><body>
        <h1 class="logo">某县人民政府</h1>
        <table class="xxgk"><tr><td><b>索 引 号：</b></td><td>0142768-8/2024-00012</td><td>发布机构：</td><td>某县统计局</td></tr>
        <tr><td>生成日期</td><td>2024年1月26日</td><td>标题：</td><td>某县统计局2023年政府信息公开工作年度报告</td></tr></table>
        </body></html>"#;
        let doc = Html::parse_document(html);
        let m = read(&doc, "");
        assert_eq!(
            m.title.as_deref(),
            Some("某县统计局2023年政府信息公开工作年度报告")
        );
        assert_eq!(m.agency.as_deref(), Some("某县统计局"));
        assert_eq!(m.published.as_deref(), Some("2024-01-26"));
    }

    #[test]
    fn the_fullest_title_is_taken() {
        let html = r#"<html><head><title>云溪县2023年度政府信息公开工作年度报告_云溪县人民政府</title>
        <meta name="ArticleTitle" content="云溪县2023年度政府信息公开工作年度报告编制工作培训会"></head>
        <body><h1>云溪县2023年度政府信息公开工作年度报告编制工作培训会</h1></body></html>"#;
        let m = read(&Html::parse_document(html), "");
        assert_eq!(
            m.title.as_deref(),
            Some("云溪县2023年度政府信息公开工作年度报告编制工作培训会")
        );
        // Only the heading holds the whole title.
        let html = r#"<html><head><title>云溪县民政局2023年政府信息公开工作年度报告</title></head>
        <body><div class="logo">云溪县人民政府</div><h1>关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明</h1></body></html>"#;
        let m = read(&Html::parse_document(html), "");
        assert_eq!(
            m.title.as_deref(),
            Some("关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明")
        );
    }

    #[test]
    fn junk_sources_are_no_agency() {
        let doc = Html::parse_document("<meta name=\"ContentSource\" content=\"本站\">");
        let m = read(&doc, "来源：原创 作者：张三\n信息来源：某县财政局");
        assert_eq!(m.agency.as_deref(), Some("某县财政局"));
        let m = read(&Html::parse_document(""), "来源：新华网客户端");
        assert_eq!(m.agency, None);
    }

    #[test]
    fn metas_win_and_source_lines() {
        let html = r#"<meta name="ArticleTitle" content="2023年度政府信息公开工作年度报告"><meta name="PubDate" content="2024-01-26 10:18">"#;
        let doc = Html::parse_document(html);
        let m = read(
            &doc,
            "信息来源：某县民政局  发布时间：2024-01-26  浏览次数：12",
        );
        assert_eq!(m.title.as_deref(), Some("2023年度政府信息公开工作年度报告"));
        assert_eq!(m.published.as_deref(), Some("2024-01-26"));
        assert_eq!(m.agency.as_deref(), Some("某县民政局"));
        assert_eq!(
            title_part("西夏区2024年政府信息公开工作年度报告-银川市西夏区门户网站").as_deref(),
            Some("西夏区2024年政府信息公开工作年度报告")
        );
        assert_eq!(
            title_part("中国上海 - 2019年上海市人民政府办公厅政府信息公开工作年度报告").as_deref(),
            Some("2019年上海市人民政府办公厅政府信息公开工作年度报告")
        );
    }
}
