//! Title, agency and report year (formats.md Q19), and whether a text is a report at all.
//!
//! The title is searched in the hints, the page `<title>`, the first lines of the text (alone,
//! then two consecutive lines joined for titles wrapped over two lines in PDFs), and finally
//! anywhere in the opening paragraphs (seed 000 names its report in 《》 in the first sentence).
//! The year is the year in the title or the statistics period, never a publication date.

use super::labels::norm;
use regex::Regex;
use std::sync::LazyLock;

/// `…2024年政府信息公开工作年度报告` with the agency before the year.
static AGENCY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([\p{Han}A-Za-z0-9()·]{2,40}?)((?:19|20)\d{2})年度?(?:政府信息公开|政务公开|信息公开)(?:工作)?年度?报告",
    )
    .expect("valid static regex")
});

/// `2019年上海市人民政府办公厅政府信息公开工作年度报告` with the year first.
static YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})年度?([\p{Han}A-Za-z0-9()·]{2,40}?)(?:政府信息公开|政务公开)(?:工作)?年度?报告")
        .expect("valid static regex")
});

/// Statistics period: `2024年1月1日至…`, `从2019年1月1日到12月31日`.
static PERIOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年1月1日").expect("valid static regex"));

/// Any `2024年` / `2024年度`.
static ANY_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年").expect("valid static regex"));

/// An agency name right after punctuation, for texts without a title (seed 003).
static BODY_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[,。;:、)》\]])(\p{Han}{2,24}?(?:人民政府办公室|人民政府办公厅|人民政府|管理委员会|管委会|委员会|办公室|办公厅|街道办事处|局|厅))",
    )
    .expect("valid static regex")
});

/// Prose counting the year's applications: `全市共受理政府信息公开申请 3119 件`.
static PROSE_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:收到|受理|新收|办理)[^。;；]{0,30}?(?:政府信息公开申请|依申请公开政府信息|依申请公开)(\d+)件",
    )
    .expect("valid static regex")
});

/// The number of new applications the prose states, if it states one (formats.md Q17).
/// Lines are joined first: PDF text wraps sentences anywhere.
pub(crate) fn prose_new_requests(text: &str) -> Option<i64> {
    let mut prev = "";
    for line in text.lines() {
        if line.contains('件') && line.contains("申请")
            || line.contains('件') && prev.contains("申请")
        {
            let joined = norm(&format!("{}{line}", prefix_end(prev, 120)));
            if let Some(n) = PROSE_REQUESTS
                .captures(&joined)
                .and_then(|c| c.get(1)?.as_str().parse().ok())
            {
                return Some(n);
            }
        }
        if !line.trim().is_empty() {
            prev = line;
        }
    }
    None
}

/// The first `max` bytes of `s` (at a character boundary).
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The last `max` bytes of `s` (at a character boundary).
fn prefix_end(s: &str, max: usize) -> &str {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// What the text says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Meta {
    /// The report title, whitespace removed.
    pub title: Option<String>,
    /// Publishing agency.
    pub agency: Option<String>,
    /// Year covered.
    pub year: Option<i32>,
    /// The text calls itself an annual report on government information disclosure.
    pub looks_like_report: bool,
    /// A companion page (解读, 图解) rather than the report.
    pub companion: bool,
}

/// How far into the text titles are looked for.
const HEAD_LINES: usize = 40;
/// How much of each opening line is read (a title in the first sentence fits).
const HEAD_LINE_BYTES: usize = 1200;
const HEAD_CHARS: usize = 4000;

/// Reads title, agency and year from the hints and the text.
pub(crate) fn locate(
    text: &str,
    page_title: Option<&str>,
    hint_title: Option<&str>,
    hint_agency: Option<&str>,
) -> Meta {
    let mut meta = Meta::default();
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEAD_LINES)
        .map(|l| prefix(l, HEAD_LINE_BYTES))
        .collect();
    let hint = hint_title.map(norm);
    let page = page_title.map(norm);
    let lead = hint
        .clone()
        .or_else(|| page.clone())
        .or_else(|| head.first().map(|l| norm(l)));
    // Candidates are normalised only when reached: hint and page titles first, then lines that
    // mention 报告, then two short lines joined (titles wrapped on PDF cover pages).
    let mentions = |l: &str| l.contains("报告") || l.contains("報告");
    let lines = head.iter().filter(|l| mentions(l)).map(|l| norm(l));
    let pairs = head
        .windows(2)
        .filter(|w| w[0].len() < 120 && w[1].len() < 120 && (mentions(w[0]) || mentions(w[1])))
        .map(|w| norm(&format!("{}{}", w[0], w[1])));
    // A title naming its agency wins over one that does not, wherever each was found; a
    // title whose agency is a sentence fragment ("结合我局2023年…") keeps its year but names
    // no agency.
    let candidates: Vec<String> = hint
        .into_iter()
        .chain(page)
        .chain(lines)
        .chain(pairs)
        .filter(|s| s.contains("报告"))
        .collect();
    let found = candidates
        .iter()
        .filter_map(|s| title_in(s))
        .find(|(_, agency, _)| agency.is_some())
        .or_else(|| candidates.iter().find_map(|s| title_in(s)));
    if let Some((title, agency, year)) = found {
        meta.title = Some(title);
        meta.agency = agency;
        meta.year = Some(year);
    }
    let hint_agency = hint_agency.map(str::trim).filter(|a| !a.is_empty());
    let needs_opening = meta.title.is_none()
        || meta.year.is_none()
        || meta.agency.is_none() && hint_agency.is_none();
    let opening: String = if needs_opening {
        let joined: String = head.iter().map(|l| norm(l)).collect::<Vec<_>>().join("\n");
        joined.chars().take(HEAD_CHARS).collect()
    } else {
        String::new()
    };
    if meta.title.is_none() {
        if let Some((title, agency, year)) = title_in(&opening) {
            meta.title = Some(title);
            meta.agency = agency;
            meta.year = Some(year);
        }
    }
    if meta.year.is_none() {
        meta.year = PERIOD
            .captures(&opening)
            .or_else(|| ANY_YEAR.captures(&opening))
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok());
    }
    if meta.agency.is_none() {
        meta.agency = hint_agency.map(str::to_string);
    }
    if meta.agency.is_none() {
        meta.agency = body_agency(&opening);
    }
    let lead = lead.unwrap_or_default();
    meta.companion = ["解读", "图解", "一图读懂", "图说"]
        .iter()
        .any(|w| lead.contains(w));
    meta.looks_like_report = looks_like_report(text);
    meta
}

/// Whether the text itself reads as a report body: the section headings of one (一、总体情况,
/// 二、主动公开…, 四、…复议…), not just a report's name — a page that only names a report (an
/// announcement of an attachment, a redirect, a listing) under a report's title is no report.
fn looks_like_report(text: &str) -> bool {
    let sections = crate::title::report_sections(text);
    sections >= 3
        || (sections >= 1
            && text.chars().filter(|c| !c.is_whitespace()).count() >= 1500
            && text.contains("政府信息公开"))
}

/// `(title, agency, year)` when `s` contains a report title. The title is rebuilt from the
/// agency found before the year, so words in front of it ("现发布…", "本报告由…") never make
/// it into the title; an agency that is only a fragment of a sentence is `None` and the title
/// then starts at the year.
fn title_in(s: &str) -> Option<(String, Option<String>, i32)> {
    if let Some(c) = AGENCY_FIRST.captures(s) {
        let year: i32 = c.get(2)?.as_str().parse().ok()?;
        let agency = crate::title::agency_name(c.get(1)?.as_str());
        let from_year = &s[c.get(2)?.start()..c.get(0)?.end()];
        if agency.is_some() || YEAR_FIRST.captures(s).is_none() {
            let title = match &agency {
                Some(a) => format!("{a}{from_year}"),
                None => from_year.to_string(),
            };
            return Some((title, agency, year));
        }
    }
    let c = YEAR_FIRST.captures(s)?;
    let year = c.get(1)?.as_str().parse().ok()?;
    let agency = crate::title::agency_name(c.get(2)?.as_str())?;
    Some((c.get(0)?.as_str().to_string(), Some(agency), year))
}

/// An agency named in the opening sentences, outside 《》 titles.
fn body_agency(opening: &str) -> Option<String> {
    let mut without_titles = String::with_capacity(opening.len());
    let mut depth = 0usize;
    for c in opening.chars() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth = depth.saturating_sub(1);
                without_titles.push('》');
            }
            _ if depth == 0 => without_titles.push(c),
            _ => {}
        }
    }
    BODY_AGENCY
        .captures_iter(&without_titles)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .filter(|a| !a.starts_with("国务院") && !a.contains("政务公开办公室"))
        .find_map(crate::title::agency_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Meta {
        locate(text, None, None, None)
    }

    #[test]
    fn title_on_its_own_line() {
        let x = m("泸州市江阳区人民政府办公室2023年政府信息公开工作年度报告\n一、总体情况");
        assert_eq!(x.agency.as_deref(), Some("泸州市江阳区人民政府办公室"));
        assert_eq!(x.year, Some(2023));
        // A title line is not a report body.
        assert!(!x.looks_like_report);
        let body = "某局2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n\
                    三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况";
        assert!(m(body).looks_like_report);
    }

    #[test]
    fn title_inside_the_first_sentence() {
        let x = m("根据《中华人民共和国政府信息公开条例》规定,现发布《西夏区人民政府办公室2024年政府信息公开工作年度报告》,本报告所列数据从2024年1月1日至12月31日。");
        assert_eq!(x.agency.as_deref(), Some("西夏区人民政府办公室"));
        assert_eq!(x.year, Some(2024));
        assert_eq!(
            x.title.as_deref(),
            Some("西夏区人民政府办公室2024年政府信息公开工作年度报告")
        );
    }

    #[test]
    fn spaced_and_wrapped_titles() {
        let x = m("\n\n湟中区 2023 年度政府信息公开 工作年度报告\n");
        assert_eq!((x.agency.as_deref(), x.year), (Some("湟中区"), Some(2023)));
        let x = m("            淮安市人民政府\n     2024 年政府信息公开工作年度报告\n");
        assert_eq!(
            (x.agency.as_deref(), x.year),
            (Some("淮安市人民政府"), Some(2024))
        );
        let x = m("您当前的位置:首页 > 年报 > 区政府\n吴忠市红寺堡区人民政府2014年政府信息公开工作年度报告\n时间:2017-10-23");
        assert_eq!(
            (x.agency.as_deref(), x.year),
            (Some("吴忠市红寺堡区人民政府"), Some(2014))
        );
    }

    #[test]
    fn verbs_before_an_unbracketed_title() {
        let x = m("根据条例要求，现发布云溪县农业农村局2023年度政府信息公开工作年度报告。");
        assert_eq!(
            (x.agency.as_deref(), x.year),
            (Some("云溪县农业农村局"), Some(2023))
        );
    }

    #[test]
    fn year_first_title() {
        let x = locate(
            "",
            Some("2019年上海市人民政府办公厅政府信息公开工作年度报告"),
            None,
            None,
        );
        assert_eq!(
            (x.agency.as_deref(), x.year),
            (Some("上海市人民政府办公厅"), Some(2019))
        );
    }

    #[test]
    fn no_title_falls_back_to_body() {
        let x = m("根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》(国办公开办函〔2021〕30 号)文件要求,北海高新区管委会积极主动做好2024年度政府信息和政府信息公开的各项工作\n本年度报告中所列数据的统计期限:2024年1月1日至2024年12月31日。");
        assert_eq!(x.agency.as_deref(), Some("北海高新区管委会"));
        assert_eq!(x.year, Some(2024));
    }

    #[test]
    fn prose_counts() {
        assert_eq!(
            prose_new_requests("全年共收到依申请公开9件,从申请形式来看"),
            Some(9)
        );
        assert_eq!(
            prose_new_requests("共办理涉及城乡建设、乡村振兴等依申请公开政府信息 12 件,有效"),
            Some(12)
        );
        assert_eq!(
            prose_new_requests("区政府办代表区政府受理政府信息\n公开申请 17 件"),
            Some(17)
        );
        assert_eq!(prose_new_requests("受理政府信息公开申请 17 件"), Some(17));
        assert_eq!(
            prose_new_requests("本年度未收到任何要求公开政府信息的申请"),
            None
        );
    }

    #[test]
    fn sentence_fragments_are_no_agencies() {
        let x = m("根据条例，办公室编制了2023年度政府信息公开工作年度报告。");
        assert_eq!((x.agency, x.year), (None, Some(2023)));
        let x = m("结合我局2023年政府信息公开工作年度报告编制要求");
        assert_eq!(x.agency, None);
        let x = m("根据条例要求，现发布云溪县农业农村局2023年度政府信息公开工作年度报告。");
        assert_eq!(
            x.title.as_deref(),
            Some("云溪县农业农村局2023年度政府信息公开工作年度报告")
        );
        // A hint naming the agency is used when the text names only a fragment.
        let x = locate(
            "结合我局2023年政府信息公开工作年度报告编制要求",
            None,
            None,
            Some("云溪县民政局"),
        );
        assert_eq!(x.agency.as_deref(), Some("云溪县民政局"));
    }

    #[test]
    fn a_redirect_or_announcement_under_a_report_title_is_no_report_body() {
        let x = locate(
            "跳转中",
            None,
            Some("云溪县民政局2023年政府信息公开工作年度报告"),
            None,
        );
        assert!(!x.looks_like_report);
        let x = m("现将《云溪县民政局2023年政府信息公开工作年度报告》全文公布（详见附件）。");
        assert!(!x.looks_like_report);
    }

    #[test]
    fn not_a_report() {
        let x = m("今日天气晴");
        assert!(!x.looks_like_report);
        let x = locate(
            "",
            Some("《淮安市2024年政府信息公开工作年度报告》解读"),
            None,
            None,
        );
        assert!(x.companion);
    }
}
