//! What a report's title looks like: the test for 政府信息公开工作年度报告 titles, the
//! companion items that carry a report's name without being one (通知, 解读, 图解, 半年
//! statistics …) with the reason each is dropped, and the report year a title names.
//!
//! Shared vocabulary rather than a stage: discover reads listing link texts with it, extract
//! the titles of detail pages, analyse the verdict on a fetched document. Pure functions of a
//! string.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Compiles a constant pattern; the patterns are literals exercised by the unit tests, so a
/// failure here is a programming error, never a consequence of input.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static REPORT: LazyLock<Regex> =
    LazyLock::new(|| re(r"政府信息公开.{0,6}?(?:工作)?(?:年度报告|年报)"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"(?:19|20)\d{2}"));

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
    /// Report-like but a companion item or incomplete; the reason.
    Rejected(&'static str),
    /// Unrelated to reports.
    Other,
}

/// The title as compared: NFKC (full-width → ASCII), all whitespace removed.
pub fn compact(title: &str) -> String {
    title.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Classify a title (a listing's link text, a page's heading).
pub fn classify(title: &str) -> TitleClass {
    let t = compact(title);
    if !REPORT.is_match(&t) {
        return TitleClass::Other;
    }
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
    let truncated = t.ends_with('…') || t.ends_with("...");
    if truncated && NOTICE_OPENINGS.iter().any(|w| t.starts_with(w)) {
        return TitleClass::Rejected("not a report: truncated 关于… (a notice)");
    }
    if !YEAR.is_match(&t) {
        return TitleClass::Rejected(NO_YEAR);
    }
    TitleClass::Report
}

/// True when `title` names a 政府信息公开(工作)年度报告 with a 4-digit year and is not a
/// companion item (通知, 要点, 解读, 图解, 方案, 格式, 统计表 alone, 半年, 季度, 考核).
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
    static WITH_NIAN: LazyLock<Regex> = LazyLock::new(|| re(r"((?:19|20)\d{2})年"));
    let t = compact(title);
    if let Some(c) = WITH_NIAN.captures(&t) {
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
            (
                "关于做好2023年度政府信息公开工作年度报告编制发布工作的…",
                "关于",
            ),
        ];
        for (t, why) in cases {
            match classify(t) {
                TitleClass::Rejected(r) => assert!(r.contains(why), "{t}: {r}"),
                other => panic!("{t}: {other:?}"),
            }
        }
        assert_eq!(
            classify("政府信息公开工作年度报告"),
            TitleClass::Rejected("no year in title")
        );
        assert_eq!(classify("2023年政务公开工作要点"), TitleClass::Other);
        assert_eq!(classify("县长会见客商"), TitleClass::Other);
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
}
