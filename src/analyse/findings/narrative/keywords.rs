//! The words the narrative reader knows: what each names (a row or group of `requests`, an
//! applicant column, an `appeals` group or result, a verb of receiving or finishing
//! applications) and the words that make a count something else (a channel, a change, a wider
//! scope, another object).
//!
//! Takes a normalised sentence; gives its keyword [`Hit`]s, leftmost-longest and never
//! overlapping, so 不予以公开 is not read as 予以公开, 部分公开 inside 予以公开及部分公开 not
//! twice, 申请 inside 申请人 or 重复申请 not as the object of a verb.

use regex::Regex;
use std::sync::LazyLock;

/// A `requests` result group (or single row) a keyword names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// （一）予以公开
    Granted,
    /// （二）部分公开
    Partial,
    /// （一） and （二） together.
    GrantedOrPartial,
    /// （三）不予公开 and its eight reasons.
    Denied,
    /// （四）无法提供 and its three reasons.
    Unavailable,
    /// （五）不予处理 and its five reasons.
    NotProcessed,
    /// （六）其他处理 and its reasons.
    Other,
    /// 二、上年结转
    CarriedOver,
    /// 四、结转下年度继续办理
    CarriedForward,
}

/// A row keyword: its family and the rows it names (a whole group, or one reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowKw {
    /// The family.
    pub family: Family,
    /// The `requests` rows, summed.
    pub rows: &'static [&'static str],
    /// Names the whole group (不予公开), not one reason (国家秘密).
    pub group: bool,
}

/// What a keyword is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    /// A `requests` result row or group, or 上年结转/结转下年度.
    Row(RowKw),
    /// 收到, 受理, 新收 …: applications received.
    Receive,
    /// 办结, 答复: applications finished.
    Finish,
    /// 办理, 处理: received or finished, the sentence does not say.
    Handle,
    /// 申请 as an object: 政府信息公开申请, 依申请公开.
    Object,
    /// 申请数量, 申请总数: applications received, no verb needed.
    ReceivedNoun,
    /// An applicant column (or the five 法人或其他组织 columns).
    Applicant(&'static [&'static str]),
    /// An `appeals` group (or both 行政诉讼 groups).
    Group(&'static [&'static str]),
    /// An `appeals` result column.
    Result(&'static str),
    /// A channel or manner (网络, 信函, 当面, 延期 …): the count is a part.
    Subset,
    /// Something that is not an application (留言, 信件, 咨询, 事项 …).
    OtherObject,
    /// 较上年, 同比, 增加, 下降: the count is a change, not a level.
    Change,
    /// 全市, 各部门, 本级: the sentence may speak of a wider (or narrower) body.
    Scope,
    /// 涉及: a topic, a part unless followed by 等.
    Topical,
    /// 等: "and others", makes a list a whole.
    Etc,
    /// 各, 分别 (one count for several cells), 败诉/胜诉 (an outcome the form does not
    /// count): the count is not a cell's.
    NotACount,
    /// 结转 alone: carried over or forward.
    Ambiguous,
    /// Shadows a shorter keyword (申请人 is not 申请).
    Neutral,
}

/// One keyword in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset after it.
    pub end: usize,
    /// What it is.
    pub kw: Kw,
}

/// The 不予公开 rows.
pub(crate) const DENIED: &[&str] = &[
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_safety_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_inquiry_matters",
];
/// The 无法提供 rows.
pub(crate) const UNAVAILABLE: &[&str] = &[
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
];
/// The 不予处理 rows.
pub(crate) const NOT_PROCESSED: &[&str] = &[
    "not_processed_complaint",
    "not_processed_repeated",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
];
/// The （六） rows: three sub-rows (2021) or one (2019); the unused ones are blank.
pub(crate) const OTHER: &[&str] = &[
    "other_no_correction",
    "other_unpaid_fee",
    "other_other",
    "other",
];
/// The five 法人或其他组织 columns.
pub(crate) const ORGS: &[&str] = &[
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
];
/// Both 行政诉讼 groups.
pub(crate) const LITIGATION: &[&str] = &["litigation_direct", "litigation_after_review"];

const fn row(family: Family, rows: &'static [&'static str], group: bool) -> Kw {
    Kw::Row(RowKw {
        family,
        rows,
        group,
    })
}

const fn reason(family: Family, rows: &'static [&'static str]) -> Kw {
    row(family, rows, false)
}

/// Every keyword pattern. Order does not matter: overlaps go to the leftmost, then longest.
const PATTERNS: &[(&str, Kw)] = &[
    // 三、本年度办理结果
    (
        r"(?:予以|同意|全部)?公开(?:及|和|与|或者?|、)(?:予以|同意)?部分公开|(?:全部|予以)(?:或|和|及)部分公开",
        row(
            Family::GrantedOrPartial,
            &["granted", "partially_granted"],
            true,
        ),
    ),
    (
        r"(?:予以|同意|全部)公开",
        row(Family::Granted, &["granted"], true),
    ),
    (
        r"(?:予以|同意)?部分公开",
        row(Family::Partial, &["partially_granted"], true),
    ),
    (r"不予以?公开|不同意公开", row(Family::Denied, DENIED, true)),
    (
        r"国家秘密",
        reason(Family::Denied, &["denied_state_secret"]),
    ),
    (
        r"(?:其他)?法律[、和]?行政法规禁止公开|禁止公开",
        reason(Family::Denied, &["denied_law_prohibited"]),
    ),
    (
        r"三安全一稳定",
        reason(Family::Denied, &["denied_safety_stability"]),
    ),
    (
        r"第三方(?:合法)?权益|涉及第三方",
        reason(Family::Denied, &["denied_third_party"]),
    ),
    (
        r"(?:三类)?内部事务(?:信息)?",
        reason(Family::Denied, &["denied_internal_affairs"]),
    ),
    (
        r"(?:四类)?过程性+信息",
        reason(Family::Denied, &["denied_process_info"]),
    ),
    (
        r"(?:行政)?执法案卷",
        reason(Family::Denied, &["denied_enforcement_files"]),
    ),
    (
        r"(?:行政)?查询事项",
        reason(Family::Denied, &["denied_inquiry_matters"]),
    ),
    (
        r"无法提供|不能提供",
        row(Family::Unavailable, UNAVAILABLE, true),
    ),
    (
        r"不掌握(?:相关)?(?:政府)?(?:信息)?|信息不存在",
        reason(Family::Unavailable, &["unavailable_not_held"]),
    ),
    (
        r"(?:需要)?另行制作|没有现成(?:信息)?",
        reason(Family::Unavailable, &["unavailable_needs_creation"]),
    ),
    (
        r"(?:补正后)?(?:申请)?内容仍?不明确",
        reason(Family::Unavailable, &["unavailable_unclear"]),
    ),
    (r"不予处理", row(Family::NotProcessed, NOT_PROCESSED, true)),
    (
        r"信访举报投诉类?(?:申请)?|信访类(?:申请)?|信访申请|举报投诉类(?:申请)?",
        reason(Family::NotProcessed, &["not_processed_complaint"]),
    ),
    (
        r"重复申请",
        reason(Family::NotProcessed, &["not_processed_repeated"]),
    ),
    (
        r"(?:要求)?提供公开出版物|公开出版物",
        reason(Family::NotProcessed, &["not_processed_publication"]),
    ),
    (
        r"(?:无正当理由)?大量反复(?:申请)?",
        reason(Family::NotProcessed, &["not_processed_excessive"]),
    ),
    (
        r"确认或重新出具|重新出具",
        reason(Family::NotProcessed, &["not_processed_confirmation"]),
    ),
    (r"其他处理", row(Family::Other, OTHER, true)),
    (
        r"(?:逾期)?[不未]补正",
        reason(Family::Other, &["other_no_correction"]),
    ),
    (
        r"缴纳费用|收费通知|未缴费",
        reason(Family::Other, &["other_unpaid_fee"]),
    ),
    // 二、上年结转 and 四、结转下年度继续办理
    (
        r"上一?年度?(?:结转|转结|转入|遗留)|结转上一?年度?|\d{4}年度?结转",
        row(Family::CarriedOver, &["carried_over"], true),
    ),
    (
        r"结转(?:至|到)?(?:下一?年度?|次年|\d{4}年度?)|顺延(?:至|到)?(?:下一?年度?|次年)|转入(?:下一?年度?|次年)|(?:下一?年度?|次年)继续办理|跨年度?办理",
        row(Family::CarriedForward, &["carried_forward"], true),
    ),
    (
        r"(?:正在|尚在|仍在)办理(?:中|过程中)?",
        row(Family::CarriedForward, &["carried_forward"], true),
    ),
    (r"结转", Kw::Ambiguous),
    // Verbs and objects.
    (
        r"收到|受理|新收|接收|接到|收悉|登记|提出|提交|递交",
        Kw::Receive,
    ),
    (r"办结|答复|办复|处理完毕|办理完毕", Kw::Finish),
    (r"办理|处理", Kw::Handle),
    (
        r"政府信息公开申请|信息公开申请|公开申请|依申请公开|申请",
        Kw::Object,
    ),
    (
        r"(?:政府信息公开|信息公开|依申请公开)?申请(?:数量|总数|总量|量)",
        Kw::ReceivedNoun,
    ),
    (r"依申请公开(?:事项|申请)", Kw::Object),
    (
        r"申请人|申请书|申请表|申请渠道|申请方式|申请形式|被申请",
        Kw::Neutral,
    ),
    // Every applicant, not one kind: 公民、法人或其他组织.
    (
        r"(?:公民|自然人)(?:、|和|及|或者?)法人(?:或者?|和|及|与)其他组织",
        Kw::Neutral,
    ),
    // Applicants.
    (r"自然人", Kw::Applicant(&["natural_person"])),
    (r"法人(?:或者?|及|和|与)其他组织", Kw::Applicant(ORGS)),
    (r"商业企业", Kw::Applicant(&["commercial"])),
    (r"科研机构", Kw::Applicant(&["research"])),
    (r"社会公益组织", Kw::Applicant(&["public_interest"])),
    (r"法律服务机构", Kw::Applicant(&["legal_services"])),
    // 四、行政复议、行政诉讼
    (r"行政复议|复议", Kw::Group(&["review"])),
    (r"(?:提起)?行政诉讼|诉讼|应诉", Kw::Group(LITIGATION)),
    (
        r"未经复议(?:直接)?(?:起诉|提起(?:行政)?诉讼)|直接(?:起诉|提起(?:行政)?诉讼)",
        Kw::Group(&["litigation_direct"]),
    ),
    (
        r"复议后(?:起诉|提起(?:行政)?诉讼)",
        Kw::Group(&["litigation_after_review"]),
    ),
    (r"(?:结果|被|予以|均获)?维持", Kw::Result("upheld")),
    (r"(?:结果|被)?(?:纠正|纠错)", Kw::Result("corrected")),
    (r"其他结果", Kw::Result("other")),
    (r"尚?未审结|正在审理|审理中", Kw::Result("pending")),
    // What makes a count something else.
    (
        r"网络|网上|在线|信函|邮寄|当面|现场|传真|电子邮件|邮件|电话|窗口|来信|来访|书面|口头|延期|逾期|超期|当场|按时|按期|限时",
        Kw::Subset,
    ),
    (
        r"留言|信件|信箱|咨询|投诉|诉求|事项|热线|工单|建议|提案|来电|办件|文书",
        Kw::OtherObject,
    ),
    (
        r"较(?:上|去|同期|前|往)|同比|环比|增加|减少|增长|下降|上升|回落|持平|增幅|降幅",
        Kw::Change,
    ),
    (
        r"全市|全区|全县|全省|全州|全旗|全盟|全镇|各级|各地|各部门|各单位|各乡镇|各街道|本级|系统",
        Kw::Scope,
    ),
    (r"涉及", Kw::Topical),
    (r"等", Kw::Etc),
    (r"各类|各项|各种", Kw::Neutral),
    (r"各|分别|败诉|胜诉|纠错率|败诉率", Kw::NotACount),
];

static COMPILED: LazyLock<Vec<(Regex, Kw)>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .map(|(p, kw)| (Regex::new(p).expect("static regex"), *kw))
        .collect()
});

/// The keywords of `norm`, in order, without overlaps (leftmost, then longest, wins).
pub(crate) fn hits(norm: &str) -> Vec<Hit> {
    let mut all: Vec<Hit> = COMPILED
        .iter()
        .flat_map(|(re, kw)| {
            re.find_iter(norm).map(|m| Hit {
                start: m.start(),
                end: m.end(),
                kw: *kw,
            })
        })
        .collect();
    all.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<Hit> = Vec::with_capacity(all.len());
    for h in all {
        if out.last().is_none_or(|last| h.start >= last.end) {
            out.push(h);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kws(s: &str) -> Vec<Kw> {
        hits(s).into_iter().map(|h| h.kw).collect()
    }

    #[test]
    fn longer_keywords_shadow_shorter_ones() {
        let granted_or_partial = kws("予以公开及部分公开258件");
        assert!(matches!(
            granted_or_partial[..],
            [Kw::Row(RowKw {
                family: Family::GrantedOrPartial,
                ..
            })]
        ));
        assert!(matches!(
            kws("不予以公开3件")[..],
            [Kw::Row(RowKw {
                family: Family::Denied,
                group: true,
                ..
            })]
        ));
        assert!(matches!(
            kws("予以部分公开")[..],
            [Kw::Row(RowKw {
                family: Family::Partial,
                ..
            })]
        ));
        assert_eq!(kws("申请人"), vec![Kw::Neutral]);
        assert!(matches!(kws("重复申请")[..], [Kw::Row(_)]));
        assert_eq!(
            kws("复议后提起行政诉讼"),
            vec![Kw::Group(&["litigation_after_review"])]
        );
        assert_eq!(
            kws("未经复议直接起诉"),
            vec![Kw::Group(&["litigation_direct"])]
        );
        assert_eq!(
            kws("被申请行政复议"),
            vec![Kw::Neutral, Kw::Group(&["review"])]
        );
        assert_eq!(
            kws("因政府信息公开申请行政复议"),
            vec![Kw::Object, Kw::Group(&["review"])]
        );
        assert!(matches!(
            kws("结转下一年")[..],
            [Kw::Row(RowKw {
                family: Family::CarriedForward,
                ..
            })]
        ));
        assert!(matches!(
            kws("上年度结转申请")[..],
            [
                Kw::Row(RowKw {
                    family: Family::CarriedOver,
                    ..
                }),
                Kw::Object
            ]
        ));
        assert_eq!(kws("结转"), vec![Kw::Ambiguous]);
    }
}
