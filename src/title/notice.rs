//! Titles that hold a whole report title plus more: "…年度报告编制工作培训会", "召开…年度报告…
//! 会议", "关于…年度报告有关数据的更正说明", "关于…年度报告的编制说明", "…年度报告汇总发布说明",
//! "关于发布《…年度报告》的公告", "…年度报告（英文版）". What follows the report phrase (and what
//! opens the title) says what the item is; decorations of a report's own title (（含统计表）,
//! （全文）, `.pdf`, （更正版）, the agency in brackets) do not make it a notice.

/// What a title that wraps a report title is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Announces the report (关于发布…的公告, …公布): the report may be attached to it.
    Announcement,
    /// Corrects a published report (更正说明, 勘误): kept as a link from the report.
    Correction,
    /// A meeting or training about reports (培训会, 召开…会议, 部署, 推进).
    Meeting,
    /// Explains how reports were made or published (编制说明, 汇总发布说明).
    Explanation,
    /// The report in another language or script (英文版, 繁体版): never a separate report.
    Version,
    /// Cut short after the report phrase with a notice's opening ("关于…年度报告"): the full
    /// title, or the body, decides.
    Unclear,
    /// Anything else wrapped around a report title.
    Other,
}

impl NoticeKind {
    /// The reason recorded when an item of this kind is not taken for a report.
    pub fn reason(self) -> &'static str {
        match self {
            NoticeKind::Announcement => "not a report: announcement of a report",
            NoticeKind::Correction => "not a report: correction of a report (更正说明)",
            NoticeKind::Meeting => "not a report: meeting or training about reports",
            NoticeKind::Explanation => "not a report: explanation about reports (说明)",
            NoticeKind::Version => "not a report: another language's version of a report",
            NoticeKind::Unclear => "not a report: notice about a report (关于…)",
            NoticeKind::Other => "not a report: a title wrapping a report title",
        }
    }

    /// Whether a link with this title is still fetched: an announcement may carry the report
    /// as an attachment, a correction is linked from the report, an unclear one or an unknown
    /// wrapping (a report title with words this vocabulary does not know) is decided on the
    /// page.
    pub fn worth_fetching(self) -> bool {
        matches!(
            self,
            NoticeKind::Announcement
                | NoticeKind::Correction
                | NoticeKind::Unclear
                | NoticeKind::Other
        )
    }

    /// Whether an item of this kind is a report after all when its body holds the report's
    /// tables (a report under a title this vocabulary cannot read).
    pub fn may_be_report(self) -> bool {
        matches!(
            self,
            NoticeKind::Announcement | NoticeKind::Unclear | NoticeKind::Other
        )
    }
}

/// Words a report's own title may carry after the report phrase.
const DECORATIONS: &[&str] = &[
    "含统计表",
    "附统计表",
    "及统计表",
    "全文",
    "正文",
    "文字版",
    "图文版",
    "pdf版",
    "word版",
    "电子版",
    "更正版",
    "修订版",
    "修正版",
    "更新版",
    "最新版",
    "终稿",
    "扫描件",
    "扫描版",
    "正式版",
    "公开版",
    "完整版",
    "简版",
    "附表",
    "部分",
    "点击下载",
    "下载",
    "详见",
    "附件",
    "各部门",
    "部门",
    "乡镇",
    "街道",
    "docx",
    "doc",
    "pdf",
    "wps",
    "ofd",
    "xlsx",
    "xls",
    "年度",
];

/// Single characters left of a multi-part report's numbering: （上）, （续）, （一）.
const PARTS: &[&str] = &[
    "年", "上", "中", "下", "续", "一", "二", "三", "四", "第一", "第二", "第三", "第四",
];

/// What is left of `tail` (compacted text after the report phrase) once decorations,
/// punctuation, digits and part numbers are removed.
fn rest_of(tail: &str) -> String {
    let mut s = tail.to_lowercase();
    for w in DECORATIONS {
        s = s.replace(w, "");
    }
    let s: String = s
        .chars()
        .filter(|c| {
            !c.is_ascii_punctuation()
                && !c.is_ascii_digit()
                && !c.is_whitespace()
                && !"（）【】〔〕《》〈〉“”‘’：；，。、—…·".contains(*c)
        })
        .collect();
    if PARTS.contains(&s.as_str()) {
        String::new()
    } else {
        s
    }
}

/// The kind of notice a title is, given its compacted text split around the last report phrase
/// (`head` before it, `tail` after it); `None` for a report's own title.
pub(crate) fn kind(head: &str, tail: &str) -> Option<NoticeKind> {
    let rest = rest_of(tail);
    let has = |words: &[&str]| words.iter().any(|w| rest.contains(w));
    if rest.is_empty() {
        let opens = |words: &[&str]| words.iter().any(|w| head.contains(w));
        return if opens(&["召开", "举办", "举行", "培训"]) {
            Some(NoticeKind::Meeting)
        } else if opens(&["关于", "印发", "转发", "做好"]) {
            Some(NoticeKind::Unclear)
        } else {
            None
        };
    }
    // The agency in brackets after the title: "…年度报告（县民政局）".
    let bracketed = tail.starts_with(['(', '（', '[', '【']);
    if bracketed && super::agency::agency_name(&rest).as_deref() == Some(rest.as_str()) {
        return None;
    }
    Some(if has(&["更正", "勘误", "纠错", "修正说明"]) {
        NoticeKind::Correction
    } else if has(&[
        "英文", "english", "英语", "繁体", "繁體", "双语", "藏文", "维文",
    ]) {
        NoticeKind::Version
    } else if has(&["说明"]) {
        NoticeKind::Explanation
    } else if has(&[
        "会", "培训", "部署", "推进", "座谈", "调度", "动员", "研讨", "讲座",
    ]) {
        NoticeKind::Meeting
    } else if has(&["公告", "通告", "公示"])
        || ["发布", "公布", "全文发布", "全文公布", "正式发布"].contains(&rest.as_str())
    {
        NoticeKind::Announcement
    } else {
        NoticeKind::Other
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorations_are_no_notice() {
        for tail in [
            "",
            "（含统计表）",
            "(全文)",
            ".pdf",
            "（更正版）",
            "（上）",
            "（2023年）",
            "（县民政局）",
            "（详见附件）",
            "（部门）",
            "（扫描件）",
            "（第一部分）",
        ] {
            assert_eq!(kind("某县", tail), None, "{tail}");
        }
    }

    #[test]
    fn kinds_by_what_follows() {
        let cases = [
            ("", "编制工作培训会", NoticeKind::Meeting),
            ("县政府办召开", "编制工作推进会议", NoticeKind::Meeting),
            ("关于", "有关数据的更正说明", NoticeKind::Correction),
            ("关于", "的编制说明", NoticeKind::Explanation),
            ("", "汇总发布说明", NoticeKind::Explanation),
            ("关于发布《", "》的公告", NoticeKind::Announcement),
            ("", "（英文版）", NoticeKind::Version),
            ("关于", "", NoticeKind::Unclear),
            ("县政府办召开", "", NoticeKind::Meeting),
        ];
        for (head, tail, want) in cases {
            assert_eq!(kind(head, tail), Some(want), "{head}|{tail}");
        }
    }
}
