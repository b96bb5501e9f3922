//! What a report's title looks like: the test for 政府信息公开工作年度报告 titles, the
//! companion items that carry a report's name without being one (通知, 解读, 图解, 半年
//! statistics …) with the reason each is dropped, titles that wrap a whole report title in a
//! notice ([`NoticeKind`]: 更正说明, 培训会, 公告 …), the report year and agency a title names,
//! the fullest of several titles of one item, and the section headings of a report body.
//!
//! Shared vocabulary rather than a stage: discover reads listing link texts with it, extract
//! the titles of detail pages, parse (`locate`) the agency names, analyse the verdict on a
//! fetched document. Pure functions of a string.

mod agency;
mod notice;

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

pub use agency::agency_name;
pub use notice::NoticeKind;

/// Compiles a constant pattern; the patterns are literals exercised by the unit tests, so a
/// failure here is a programming error, never a consequence of input.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static REPORT: LazyLock<Regex> =
    LazyLock::new(|| re(r"政府信息公开.{0,6}?(?:工作)?(?:年度报告|年报)"));
/// "2023年度政务公开工作年度报告", "政务公开工作报告": named without 政府信息公开. Followed, and a
/// report only when its body has the statutory tables (portals.md §1 keeps the 政府信息公开
/// phrase; these are often work summaries).
static GOV_AFFAIRS: LazyLock<Regex> =
    LazyLock::new(|| re(r"政务公开.{0,6}?(?:工作)?(?:年度报告|年报|工作报告)"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?:19|20)\d{2}"));
static YEAR_NIAN: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})年度?"));
/// Words that mark a companion item (not a report), with the reason recorded in `rejected`.
const EXCLUDED: &[(&str, &str)] = &[
    ("通知", "not a report: 通知"),
    ("要点", "not a report: 要点"),
    ("解读", "not a report: 解读"),
    ("图解", "not a report: 图解"),
    ("方案", "not a report: 方案"),
    ("格式", "not a report: 格式"),
    ("半年", "not a report: 半年"),
    ("季度", "not a report: 季度"),
    ("考核", "not a report: 考核"),
    ("评估", "not a report: 评估"),
    ("工作情况的通报", "not a report: 通报"),
    ("一图", "not a report: 图解 (一图读懂)"),
    ("图说", "not a report: 图解 (图说)"),
    ("图读", "not a report: 图解 (图读)"),
    ("样表", "not a report: 样表 (template)"),
    ("模板", "not a report: 模板 (template)"),
    ("范本", "not a report: 范本 (template)"),
    ("答记者问", "not a report: 答记者问"),
];

/// Openings of notices ("关于做好…年度报告编制发布工作的通知", "印发…", "转发…"): a truncated
/// link text starting so is not followed even though its 通知 was cut off.
const NOTICE_OPENINGS: &[&str] = &["关于", "印发", "转发"];

/// The rejection reason of report titles without a year.
pub const NO_YEAR: &str = "no year in title";

/// How a link title relates to reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleClass {
    /// A 政府信息公开工作年度报告 with a year.
    Report,
    /// A 政务公开 (工作/年度) 报告 with a year: a report only if its body has the statutory
    /// tables.
    Candidate,
    /// A whole report title wrapped in a notice (更正说明, 培训会, 公告 …).
    Notice(NoticeKind),
    /// Report-like but a companion item or incomplete; the reason.
    Rejected(&'static str),
    /// Unrelated to reports.
    Other,
}

impl TitleClass {
    /// Whether a link with this title is fetched (the page then decides).
    pub fn worth_fetching(self) -> bool {
        match self {
            TitleClass::Report | TitleClass::Candidate => true,
            TitleClass::Notice(kind) => kind.worth_fetching(),
            TitleClass::Rejected(_) | TitleClass::Other => false,
        }
    }

    /// Why an item with this title is not taken for a report (None for report titles and
    /// unrelated ones).
    pub fn reason(self) -> Option<&'static str> {
        match self {
            TitleClass::Notice(kind) => Some(kind.reason()),
            TitleClass::Rejected(reason) => Some(reason),
            TitleClass::Report | TitleClass::Candidate | TitleClass::Other => None,
        }
    }
}

/// The title as compared: NFKC (full-width → ASCII), all whitespace removed.
pub fn compact(title: &str) -> String {
    title.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// `t` without a trailing ellipsis ("…", "...", "..").
fn without_ellipsis(t: &str) -> &str {
    t.trim_end_matches(['…', '.'])
}

/// The last report phrase of compacted `t` (start, end), and whether it is the 政务公开 form.
fn last_phrase(t: &str) -> Option<(usize, usize, bool)> {
    if let Some(m) = REPORT.find_iter(t).last() {
        return Some((m.start(), m.end(), false));
    }
    GOV_AFFAIRS
        .find_iter(t)
        .last()
        .map(|m| (m.start(), m.end(), true))
}

/// True when `title` names a report phrase (政府信息公开…年度报告/年报, or 政务公开…报告),
/// whatever wraps it.
pub fn mentions_report(title: &str) -> bool {
    last_phrase(&compact(title)).is_some()
}

/// The notice a title is, when it wraps a whole report title; `None` for a report's own title
/// and for titles without a report phrase.
pub fn notice(title: &str) -> Option<NoticeKind> {
    let t = compact(title);
    let t = without_ellipsis(&t);
    let (start, end, _) = last_phrase(t)?;
    notice::kind(&t[..start], &t[end..])
}

/// Classify a title (a listing's link text, a page's heading).
pub fn classify(title: &str) -> TitleClass {
    let t = compact(title);
    let Some((_, _, gov_affairs)) = last_phrase(&t) else {
        return TitleClass::Other;
    };
    for (word, reason) in EXCLUDED {
        if t.contains(word) {
            return TitleClass::Rejected(reason);
        }
    }
    // "…年报统计表" alone is a table, not the report; "（含统计表）"/"附统计表" is the report.
    if t.contains("统计表")
        && !(t.contains("含统计表") || t.contains("附统计表") || t.contains("及统计表"))
    {
        return TitleClass::Rejected("not a report: 统计表");
    }
    if let Some(kind) = notice(&t) {
        return TitleClass::Notice(kind);
    }
    let truncated = t.ends_with('…') || t.ends_with("...");
    if truncated && NOTICE_OPENINGS.iter().any(|w| t.starts_with(w)) {
        return TitleClass::Rejected("not a report: truncated 关于… (a notice)");
    }
    if !YEAR.is_match(&t) {
        return TitleClass::Rejected(NO_YEAR);
    }
    if gov_affairs {
        TitleClass::Candidate
    } else {
        TitleClass::Report
    }
}

/// True when `title` names a 政府信息公开(工作)年度报告 with a 4-digit year and is neither a
/// companion item (通知, 要点, 解读, 图解, 方案, 格式, 统计表 alone, 半年, 季度, 考核) nor a
/// notice wrapping a report title.
pub fn is_report_title(title: &str) -> bool {
    classify(title) == TitleClass::Report
}

/// A link text cut short by the listing ("某县统计局2023年政府信息…") that could be a report:
/// a year, the start of the report phrase, an ellipsis, and no excluded word.
pub fn looks_truncated_report(title: &str) -> bool {
    let t = compact(title);
    let truncated = t.ends_with('…') || t.ends_with("...") || t.ends_with("..");
    truncated
        && !NOTICE_OPENINGS.iter().any(|w| t.starts_with(w))
        && YEAR.is_match(&t)
        && ["政府信息", "信息公开", "年度报", "年报"]
            .iter()
            .any(|w| t.contains(w))
        && !EXCLUDED.iter().any(|(w, _)| t.contains(w))
}

/// The report year named in a title ("2023年…年度报告", "2023年度…", "湟中区 2023 年度…"):
/// the first 4-digit year followed by 年; else the only 4-digit year.
pub fn year(title: &str) -> Option<i32> {
    let t = compact(title);
    if let Some(c) = YEAR_NIAN.captures(&t) {
        return c.get(1).and_then(|m| m.as_str().parse().ok());
    }
    let mut years = YEAR.find_iter(&t).map(|m| m.as_str());
    let first = years.next()?;
    if years.next().is_some() {
        return None;
    }
    first.parse().ok()
}

/// True when the compacted title holds a word that marks a companion item (通知, 解读, …).
pub fn has_companion_word(compacted: &str) -> bool {
    EXCLUDED.iter().any(|(w, _)| compacted.contains(w))
}

/// The report title inside a title that wraps one: the 《》-quoted report title, else the text
/// from after the notice's verb (关于, 召开, 发布 …) to the end of the report phrase.
/// "关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明" →
/// "云溪县民政局2023年政府信息公开工作年度报告".
pub fn embedded_report(title: &str) -> Option<String> {
    let t = compact(title);
    let t = without_ellipsis(&t);
    let mut rest = t;
    while let Some(open) = rest.find('《') {
        let inner = &rest[open + '《'.len_utf8()..];
        let close = inner.find('》').unwrap_or(inner.len());
        let quoted = &inner[..close];
        if last_phrase(quoted).is_some() {
            return Some(quoted.to_string());
        }
        rest = &inner[close..];
    }
    let (start, end, _) = last_phrase(t)?;
    let head = &t[..start];
    let from = [
        "关于", "召开", "印发", "转发", "发布", "公布", "现将", "做好", "开展", "的",
    ]
    .iter()
    .filter_map(|w| head.rfind(w).map(|i| i + w.len()))
    .max()
    .unwrap_or(0);
    let s = t[from..end].trim_start_matches(|c: char| !c.is_alphanumeric());
    (!s.is_empty()).then(|| s.to_string())
}

/// The agency a report title names before (or, year first, after) its year: "云溪县民政局" of
/// "云溪县民政局2023年政府信息公开工作年度报告", "上海市人民政府办公厅" of
/// "2019年上海市人民政府办公厅政府信息公开工作年度报告"; `None` when the title names none or
/// only a fragment.
pub fn agency_of(title: &str) -> Option<String> {
    let t = compact(title);
    let (start, _, _) = last_phrase(&t)?;
    let head = &t[..start];
    let head = head.rsplit('《').next().unwrap_or(head);
    let Some(y) = YEAR_NIAN.find(head) else {
        return agency_name(head);
    };
    let (before, after) = (&head[..y.start()], &head[y.end()..]);
    agency_name(before).or_else(|| agency_name(after))
}

/// The fullest of several titles of one item: the longest candidate that contains `primary`
/// (an ellipsis removed), so a link text or `<title>` cut after 年度报告 gives way to the
/// `<h1>` or `ArticleTitle` that goes on ("…年度报告编制工作培训会"). `primary` itself when no
/// candidate extends it.
pub fn fullest<'a>(primary: &'a str, candidates: impl IntoIterator<Item = &'a str>) -> &'a str {
    let p = compact(primary);
    let p = without_ellipsis(&p);
    if p.is_empty() {
        return primary;
    }
    let mut best = primary;
    let mut best_len = p.chars().count();
    for c in candidates {
        let cc = compact(c);
        let n = cc.chars().count();
        if n > best_len && cc.contains(p) {
            best = c;
            best_len = n;
        }
    }
    best
}

/// The simplified form of the traditional characters of section headings (wiki mirrors and
/// 繁體 portals print "二、主動公開政府信息情況").
fn simplified(c: char) -> char {
    const PAIRS: &[(char, char)] = &[
        ('動', '动'),
        ('開', '开'),
        ('請', '请'),
        ('復', '复'),
        ('議', '议'),
        ('訴', '诉'),
        ('訟', '讼'),
        ('況', '况'),
        ('題', '题'),
        ('進', '进'),
        ('費', '费'),
        ('減', '减'),
        ('報', '报'),
        ('體', '体'),
        ('總', '总'),
        ('處', '处'),
        ('據', '据'),
        ('問', '问'),
        ('關', '关'),
        ('與', '与'),
        ('項', '项'),
        ('辦', '办'),
        ('結', '结'),
    ];
    PAIRS.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s)
}

/// Section headings of a report body, by what they are about: 概述/总体情况, 主动公开,
/// 依申请公开, 收费, 复议/诉讼, 问题/改进, 其他需要报告的事项.
const SECTIONS: &[&[&str]] = &[
    &["概述", "总体情况", "基本情况"],
    &["主动公开"],
    &["依申请公开", "收到和处理", "申请情况", "申请办理"],
    &["收费", "减免", "处理费"],
    &["复议", "诉讼"],
    &["问题", "改进"],
    &["其他需要报告"],
];

/// How many kinds of report section headings (lines opening with 一、 … 七、 or （一） and naming
/// a section: 总体情况, 主动公开, 依申请公开, 复议, 问题及改进, …) the text has. A report body
/// (2019/2021 or legacy) has four to seven; an announcement, a notice, a listing, a redirect
/// page or an error page has none or one.
pub fn report_sections(text: &str) -> usize {
    let mut seen = [false; SECTIONS.len()];
    for line in text.lines() {
        let l: String = line
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(40)
            .map(simplified)
            .collect();
        let mut cs = l.chars();
        let (first, second) = (cs.next().unwrap_or(' '), cs.next().unwrap_or(' '));
        let numeral = |c: char| "一二三四五六七八".contains(c);
        let numbered = (numeral(first) && "、.．".contains(second))
            || ("（(【".contains(first) && numeral(second))
            || (first == '第' && numeral(second));
        if !numbered {
            continue;
        }
        for (i, words) in SECTIONS.iter().enumerate() {
            if words.iter().any(|w| l.contains(w)) {
                seen[i] = true;
            }
        }
    }
    seen.iter().filter(|s| **s).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_reports() {
        for t in [
            "某县民政局2023年政府信息公开工作年度报告",
            "2023年度政府信息公开工作年度报告",
            "湟中区 2023 年度政府信息公开 工作年度报告",
            "吴忠市红寺堡区人民政府2014年政府信息公开工作年度报告",
            "2019年上海市人民政府办公厅政府信息公开工作年度报告",
            "某局２０２２年政府信息公开年报",
            "2023年政府信息公开工作年度报告（含统计表）",
            "（转载）北塘区民政局2023年政府信息公开工作年度报告",
            "某县民政局2023年政府信息公开工作年度报告.pdf",
            "某县民政局2023年政府信息公开工作年度报告（更正版）",
        ] {
            assert!(is_report_title(t), "{t}");
        }
    }

    #[test]
    fn drops_companions_with_reason() {
        let cases = [
            (
                "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知",
                "通知",
            ),
            ("图解：某县2023年政府信息公开工作年度报告", "图解"),
            ("《某县2023年政府信息公开工作年度报告》解读", "解读"),
            ("2023年上半年政府信息公开工作年报", "半年"),
            ("2023年第三季度政府信息公开年报", "季度"),
            ("中华人民共和国政府信息公开工作年度报告格式", "格式"),
            ("2023年政府信息公开工作年度报告统计表", "统计表"),
            ("一图读懂北塘区2023年政府信息公开工作年度报告", "一图"),
            ("2021年度政府信息公开工作年度报告（样表）", "样表"),
        ];
        for (t, why) in cases {
            match classify(t) {
                TitleClass::Rejected(r) => assert!(r.contains(why), "{t}: {r}"),
                other => panic!("{t}: {other:?}"),
            }
        }
        assert_eq!(
            classify("关于做好2023年度政府信息公开工作年度报告编制发布工作的…"),
            TitleClass::Notice(NoticeKind::Other)
        );
        assert_eq!(
            classify("政府信息公开工作年度报告"),
            TitleClass::Rejected("no year in title")
        );
        assert_eq!(classify("2023年政务公开工作要点"), TitleClass::Other);
        assert_eq!(classify("县长会见客商"), TitleClass::Other);
    }

    #[test]
    fn notices_wrapping_a_report_title() {
        let cases = [
            (
                "云溪县2023年度政府信息公开工作年度报告编制工作培训会",
                NoticeKind::Meeting,
            ),
            (
                "县政府办召开2023年政府信息公开工作年度报告编制工作推进会议",
                NoticeKind::Meeting,
            ),
            (
                "关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明",
                NoticeKind::Correction,
            ),
            (
                "关于云溪县2023年政府信息公开工作年度报告的编制说明",
                NoticeKind::Explanation,
            ),
            (
                "云溪县2023年度政府信息公开工作年度报告汇总发布说明",
                NoticeKind::Explanation,
            ),
            (
                "关于发布《云溪县民政局2023年政府信息公开工作年度报告》的公告",
                NoticeKind::Announcement,
            ),
            (
                "临江市2023年政府信息公开工作年度报告（英文版）",
                NoticeKind::Version,
            ),
            (
                "关于云溪县2023年政府信息公开工作年度报告",
                NoticeKind::Unclear,
            ),
        ];
        for (t, kind) in cases {
            assert_eq!(classify(t), TitleClass::Notice(kind), "{t}");
            assert!(!is_report_title(t), "{t}");
        }
        assert!(classify("关于发布《某局2023年政府信息公开工作年度报告》的公告").worth_fetching());
        assert!(!classify("云溪县2023年度政府信息公开工作年度报告编制工作培训会").worth_fetching());
    }

    #[test]
    fn gov_affairs_titles_are_candidates() {
        assert_eq!(
            classify("云溪县民政局2023年度政务公开工作报告"),
            TitleClass::Candidate
        );
        assert!(classify("2023年度政务公开工作年度报告").worth_fetching());
        assert_eq!(classify("2024年政务公开工作要点"), TitleClass::Other);
    }

    #[test]
    fn years_from_titles() {
        assert_eq!(
            year("湟中区 2023 年度政府信息公开 工作年度报告"),
            Some(2023)
        );
        assert_eq!(year("2014年政府信息公开工作年度报告"), Some(2014));
        assert_eq!(year("某局政府信息公开年报"), None);
    }

    #[test]
    fn truncated_link_texts() {
        assert!(looks_truncated_report("某县统计局2023年政府信息…"));
        assert!(!looks_truncated_report("某县统计局2023年政府信息公开"));
        assert!(!looks_truncated_report(
            "关于做好2023年度政府信息公开工作年度报告编制发布工作的…"
        ));
    }

    #[test]
    fn embedded_titles_and_agencies() {
        assert_eq!(
            embedded_report("关于云溪县民政局2023年政府信息公开工作年度报告有关数据的更正说明")
                .as_deref(),
            Some("云溪县民政局2023年政府信息公开工作年度报告")
        );
        assert_eq!(
            embedded_report("关于发布《云溪县2023年度政府信息公开工作年度报告》的公告").as_deref(),
            Some("云溪县2023年度政府信息公开工作年度报告")
        );
        assert_eq!(
            agency_of("云溪县民政局2023年政府信息公开工作年度报告").as_deref(),
            Some("云溪县民政局")
        );
        assert_eq!(
            agency_of("2019年上海市人民政府办公厅政府信息公开工作年度报告").as_deref(),
            Some("上海市人民政府办公厅")
        );
        assert_eq!(agency_of("2023年度政府信息公开工作年度报告"), None);
        assert_eq!(
            agency_of("现发布云溪县农业农村局2023年政府信息公开工作年度报告").as_deref(),
            Some("云溪县农业农村局")
        );
    }

    #[test]
    fn the_fullest_title_wins() {
        let cut = "云溪县2023年度政府信息公开工作年度报告";
        let full = "云溪县2023年度政府信息公开工作年度报告编制工作培训会";
        assert_eq!(fullest(cut, [full, "云溪县人民政府"]), full);
        assert_eq!(fullest("云溪县2023年度政府信息…", [full]), full);
        assert_eq!(fullest(full, [cut]), full);
        assert_eq!(
            fullest(
                "某局2023年政府信息公开工作年度报告",
                ["无关的很长很长的栏目标题文字"]
            ),
            "某局2023年政府信息公开工作年度报告"
        );
    }

    #[test]
    fn section_headings() {
        let report = "一、总体情况\n（一）主动公开\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项";
        assert_eq!(report_sections(report), 6);
        let legacy = "一、概述\n二、主动公开政府信息情况\n三、依申请公开政府信息办理情况\n四、政府信息公开的收费及减免情况";
        assert_eq!(report_sections(legacy), 4);
        assert_eq!(
            report_sections("现将《某局2023年政府信息公开工作年度报告》全文公布（详见附件）。"),
            0
        );
        assert_eq!(report_sections("跳转中"), 0);
        assert_eq!(
            report_sections("一、概述\n二、主動公開政府信息情況\n三、依申請公開政府信息辦理情況"),
            3
        );
    }
}
