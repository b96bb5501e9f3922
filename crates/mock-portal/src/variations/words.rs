//! Phrase banks of the Variations layout, written from how real portals word these pages
//! (portals.md §1, §7; formats.md Q16, Q19): announcement pages that only point at an
//! attached report, their titles and link texts, notices about reports (meetings, trainings,
//! corrections, explanations, summary notes), and the bodies of pages that are not reports.
//! A `wording` index picks from each bank (modulo its length), so generated portals vary.

/// Picks entry `w` of `bank` (modulo its length).
pub(crate) fn pick<'a>(bank: &[&'a str], w: u32) -> &'a str {
    bank.get(w as usize % bank.len().max(1))
        .copied()
        .unwrap_or("")
}

/// Fill `{t}` (a report title), `{a}` (an agency), `{c}` (the county), `{y}` (the report
/// year), `{n}` (the year after) in a phrase.
pub(crate) fn fill(phrase: &str, t: &str, a: &str, c: &str, y: i32) -> String {
    phrase
        .replace("{t}", t)
        .replace("{a}", a)
        .replace("{c}", c)
        .replace("{y}", &y.to_string())
        .replace("{n}", &(y + 1).to_string())
}

/// Titles of a page announcing one report kept in its attachment.
pub(crate) const ANNOUNCE_TITLES: &[&str] = &[
    "{t}",
    "关于发布《{t}》的公告",
    "{a}关于公布{y}年度政府信息公开工作年度报告的公告",
    "{t}（全文）",
    "{y}年度政府信息公开工作年度报告",
    "{t}（详见附件）",
];

/// Bodies of a page announcing one report (one paragraph each; `{t}` is the report title).
pub(crate) const ANNOUNCE_ONE: &[&str] = &[
    "现将《{t}》全文公布（详见附件）。",
    "根据《中华人民共和国政府信息公开条例》第五十条规定，现将《{t}》予以公开，具体内容详见附件。",
    "《{t}》已经编制完成，现予以公布，请点击附件查看。如对本报告有疑问，请与{a}联系。",
    "{t}详见附件。",
    "附件：{t}",
    "按照《中华人民共和国政府信息公开条例》要求，{a}编制了{y}年政府信息公开工作年度报告，现予发布。报告全文请下载附件阅读。",
    "点击下载：{t}",
];

/// Titles of a page announcing several agencies' reports at once.
pub(crate) const ANNOUNCE_MANY_TITLES: &[&str] = &[
    "{c}各部门{y}年政府信息公开工作年度报告",
    "关于公布{c}{y}年度部门政府信息公开工作年度报告的公告",
    "{c}{y}年度政府信息公开工作年度报告（部门）",
];

/// Openings of a page announcing several reports; the 《》 titles follow when the wording
/// lists them.
pub(crate) const ANNOUNCE_MANY: &[&str] = &[
    "根据《中华人民共和国政府信息公开条例》规定，现将{c}有关部门{y}年政府信息公开工作年度报告予以公布，详见附件。",
    "现将以下单位{y}年度政府信息公开工作年度报告全文公布：",
    "{c}各部门{y}年政府信息公开工作年度报告已编制完成，现集中发布，请点击附件下载查阅。",
];

/// Link texts of an announced file (`{t}` the report title).
pub(crate) const FILE_LINKS: &[&str] = &[
    "{t}.pdf",
    "附件：{t}",
    "附件1.pdf",
    "点击下载",
    "{a}{y}年年报.pdf",
    "",
    "{t}",
];

/// Extra furniture inside the announcement body on some sites.
pub(crate) const FURNITURE: &[&str] = &[
    "",
    "【字体：大 中 小】【打印本页】【关闭窗口】",
    "扫一扫在手机上查看当前页面",
    "分享到：微信 微博 QQ空间",
];

/// Full titles of notices about reports, by kind (`{t}` is a report's title).
pub(crate) const TRAINING: &[&str] = &[
    "{c}{y}年度政府信息公开工作年度报告编制工作培训会",
    "{c}举办{y}年政府信息公开工作年度报告编制培训会",
    "{c}{y}年政府信息公开工作年度报告编制业务培训",
];
/// Meetings.
pub(crate) const MEETING: &[&str] = &[
    "{c}人民政府办公室召开{y}年政府信息公开工作年度报告编制工作推进会议",
    "召开{c}{y}年度政府信息公开工作年度报告工作部署会议",
    "{c}{y}年度政府信息公开工作年度报告编制工作推进会召开",
];
/// Corrections.
pub(crate) const CORRECTION: &[&str] = &[
    "关于{t}有关数据的更正说明",
    "关于《{t}》的更正说明",
    "{t}数据更正说明",
];
/// Explanations.
pub(crate) const EXPLANATION: &[&str] = &[
    "关于{c}{y}年政府信息公开工作年度报告的编制说明",
    "关于{c}{y}年度政府信息公开工作年度报告的有关情况说明",
];
/// Summary notes.
pub(crate) const SUMMARY: &[&str] = &[
    "{c}{y}年度政府信息公开工作年度报告汇总发布说明",
    "{c}{y}年政府信息公开工作年度报告汇总发布情况说明",
];

/// The link text a listing shows for a cut notice title: everything up to the end of the
/// report phrase (年度报告), with no ellipsis.
pub(crate) fn cut_after_report(title: &str) -> String {
    match title.rfind("年度报告") {
        Some(i) => title[..i + "年度报告".len()].to_string(),
        None => title.to_string(),
    }
}

/// Body paragraphs of a notice of `kind` (0 training, 1 meeting, 2 correction, 3 explanation,
/// 4 summary).
pub(crate) fn notice_body(kind: usize, t: &str, c: &str, y: i32) -> Vec<String> {
    let n = y + 1;
    match kind {
        0 | 1 => vec![
            format!("{n}年1月10日，{c}人民政府办公室组织召开{y}年度政府信息公开工作年度报告编制工作会议，各乡镇（街道）、县直各部门分管负责同志及业务人员参加。"),
            "会议解读了年度报告格式要求，通报了上年度报告编制中存在的数据不一致、表格漏填等问题，并对依申请公开数据统计口径进行了详细讲解。".into(),
            format!("会议要求，各单位要严格按照国办公开办函〔2021〕30号规定的格式编制年度报告，于{n}年1月31日前在本单位政府信息公开专栏发布。"),
        ],
        2 => vec![
            format!("经核查，《{t}》第三部分“收到和处理政府信息公开申请情况”表格中部分数据填报有误，现更正如下："),
            "“本年新收政府信息公开申请数量”中“自然人”一栏由“12”更正为“21”，“总计”一栏相应更正。".into(),
            "特此更正。由此给您带来的不便，敬请谅解。".into(),
        ],
        3 => vec![
            format!("为便于社会公众阅读和理解{c}{y}年政府信息公开工作年度报告，现将报告编制有关情况说明如下："),
            "一是报告严格按照国务院办公厅政府信息与政务公开办公室规定的格式编制，数据统计期限为自然年度。".into(),
            "二是报告中依申请公开数据按照申请人类型分类统计，行政复议、行政诉讼数据由司法部门核实。".into(),
        ],
        _ => vec![
            format!("截至{n}年3月31日，{c}各乡镇（街道）、县直各部门已全部在政府信息公开专栏发布{y}年度政府信息公开工作年度报告。"),
            "各单位年度报告已在本栏目集中展示，社会公众可通过各单位政府信息公开专栏查阅。".into(),
        ],
    }
}

/// The English version's body.
pub(crate) fn english_body(a: &str, y: i32) -> Vec<String> {
    vec![
        format!("Annual Report on Government Information Disclosure of {a} ({y})"),
        format!("This report is compiled in accordance with the Regulations of the People's Republic of China on Government Information Disclosure. It covers the period from January 1 to December 31, {y}."),
        "I. Overview. The bureau proactively disclosed government information through its portal website and new media accounts.".into(),
        "II. Proactive disclosure. III. Requests received and handled. IV. Administrative reconsideration and litigation. V. Problems and improvements.".into(),
    ]
}

/// A 政务公开 work summary: sections, no statutory tables.
pub(crate) fn gov_affairs_summary(a: &str, y: i32) -> Vec<String> {
    vec![
        format!("{y}年，{a}深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，现将全年政务公开工作情况报告如下。"),
        format!("一、{y}年政务公开工作开展情况"),
        "围绕重点领域深化信息公开，加强政策解读回应，规范政务新媒体管理，政务公开标准化规范化水平进一步提升。".into(),
        "二、存在的不足".into(),
        "政策解读形式较为单一，基层政务公开标准化建设仍需加强。".into(),
        format!("三、{}年工作打算", y + 1),
        "进一步加强组织领导，完善工作机制，持续提升政务公开质量和实效。".into(),
    ]
}

/// The body of a page served under a `.pdf` name that is HTML (a CMS error page).
pub(crate) const HTML_AS_PDF: &[&str] = &[
    "<html><head><meta charset=\"utf-8\"><title>提示信息</title></head><body><div class=\"msg\"><h3>文件不存在或已被删除！</h3><a href=\"javascript:history.back()\">返回上一页</a></div></body></html>",
    "<html><head><meta charset=\"utf-8\"><title>404</title></head><body><p>对不起，您访问的附件已过期，请联系网站管理员。</p></body></html>",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_cuts() {
        assert_eq!(
            fill(
                pick(CORRECTION, 0),
                "某局2023年政府信息公开工作年度报告",
                "",
                "",
                2023
            ),
            "关于某局2023年政府信息公开工作年度报告有关数据的更正说明"
        );
        assert_eq!(
            cut_after_report("云溪县2023年度政府信息公开工作年度报告编制工作培训会"),
            "云溪县2023年度政府信息公开工作年度报告"
        );
        assert_eq!(pick(TRAINING, 4), TRAINING[1]);
    }
}
