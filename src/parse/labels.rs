//! Label normalisation and matching: which SPEC row a printed label names.
//!
//! Real labels come spaced ("自 然 人"), wrapped ("商 业 企" + "业"), with full-width or
//! half-width punctuation, numbered `（一）`/`(一)`/`一、`/`1.`/`1、`, with typos
//! ("2.其他法律行政止公开") and occasionally in traditional characters. Everything here works on
//! [`norm`]alised text (NFKC, no whitespace, a few traditional characters folded), and rows are
//! matched on distinctive fragments, never on exact labels (formats.md §2.2, Q5–Q7).

use regex::Regex;
use std::sync::LazyLock;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, all whitespace removed (including U+3000 and NBSP), a few traditional characters
/// mapped to simplified, and the dash/comma variants folded.
pub(crate) fn norm(s: &str) -> String {
    // One pass for the common case: every character is one NFKC leaves alone (after the
    // width folding below); anything else starts over on the general path.
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(fold_width) {
        if !nfkc_stable(c) {
            return norm_general(s);
        }
        if !c.is_whitespace() {
            out.push(fold(c));
        }
    }
    out
}

/// [`norm`] for text with characters outside [`nfkc_stable`].
fn norm_general(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Full-width ASCII and the ideographic space are by far the commonest compatibility
    // characters in these texts; mapping them directly lets most strings skip full NFKC.
    let width_folded = s.chars().map(fold_width);
    if width_folded.clone().all(nfkc_stable)
        || is_nfkc_quick(width_folded.clone()) == IsNormalized::Yes
    {
        out.extend(width_folded.filter(|c| !c.is_whitespace()).map(fold));
    } else {
        out.extend(s.nfkc().filter(|c| !c.is_whitespace()).map(fold));
    }
    out
}

/// Characters NFKC leaves alone and that make up nearly all of these texts: ASCII, CJK
/// unified ideographs, CJK punctuation (U+3001–3035) and general punctuation up to U+2010.
/// Checking these by range avoids `is_nfkc_quick`'s table lookups, the parser's hottest path.
pub(crate) fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{3001}'..='\u{3035}').contains(&c)
        || ('\u{2012}'..='\u{2016}').contains(&c)
        || ('\u{2018}'..='\u{2023}').contains(&c)
}

/// NFKC of full-width ASCII (U+FF01–FF5E), U+3000 and NBSP; other characters unchanged.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{A0}' => ' ',
        _ => c,
    }
}

/// One character: traditional → simplified for the table vocabulary (Q15), and a few
/// punctuation variants NFKC leaves alone.
fn fold(c: char) -> char {
    match c {
        '總' => '总',
        '計' => '计',
        '業' => '业',
        '機' => '机',
        '構' => '构',
        '會' => '会',
        '組' => '组',
        '織' => '织',
        '務' => '务',
        '轉' => '转',
        '結' => '结',
        '複' => '复',
        '訴' => '诉',
        '訟' => '讼',
        '議' => '议',
        '請' => '请',
        '數' => '数',
        '處' => '处',
        '維' => '维',
        '糾' => '纠',
        '審' => '审',
        '開' => '开',
        '條' => '条',
        '規' => '规',
        '範' => '范',
        '許' => '许',
        '強' => '强',
        '製' => '制',
        '廢' => '废',
        '現' => '现',
        '費' => '费',
        '號' => '号',
        '決' => '决',
        '與' => '与',
        '屬' => '属',
        '於' => '于',
        '國' => '国',
        '內' => '内',
        '資' => '资',
        '訊' => '讯',
        '報' => '报',
        '舉' => '举',
        '復' => '复',
        '獲' => '获',
        '確' => '确',
        '認' => '认',
        '讓' => '让',
        '執' => '执',
        '檢' => '检',
        '詢' => '询',
        '據' => '据',
        '經' => '经',
        '擁' => '拥',
        '補' => '补',
        '繳' => '缴',
        '納' => '纳',
        '無' => '无',
        '門' => '门',
        '統' => '统',
        '項' => '项',
        '類' => '类',
        '過' => '过',
        '險' => '险',
        '創' => '创',
        '從' => '从',
        '為' => '为',
        '這' => '这',
        '區' => '区',
        '徵' => '征',
        '採' => '采',
        '購' => '购',
        '額' => '额',
        '縂' => '总',
        '繼' => '继',
        '續' => '续',
        '辦' => '办',
        '關' => '关',
        '係' => '系',
        '權' => '权',
        '穩' => '稳',
        '訪' => '访',
        '覆' => '复',
        '罰' => '罚',
        '況' => '况',
        '發' => '发',
        '後' => '后',
        '問' => '问',
        '題' => '题',
        '應' => '应',
        '對' => '对',
        '產' => '产',
        '實' => '实',
        '級' => '级',
        '護' => '护',
        '單' => '单',
        '‐' | '‑' | '‒' | '–' | '−' => '-',
        _ => c,
    }
}

/// Strips the numbering a label starts with: `一、`, `（三）`, `(三)`, `1.`, `1、`, in any
/// combination and order, so `（六）3.其他` → `其他`.
pub(crate) fn strip_numbering(n: &str) -> &str {
    let mut s = n;
    loop {
        let before = s.len();
        s = strip_one_numbering(s);
        if s.len() == before {
            return s;
        }
    }
}

fn strip_one_numbering(s: &str) -> &str {
    const HAN_DIGITS: &str = "一二三四五六七八九十";
    // (三) or （三） after NFKC
    if let Some(rest) = s.strip_prefix('(') {
        let end = rest.find(')');
        if let Some(end) = end {
            let inner = &rest[..end];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| HAN_DIGITS.contains(c) || c.is_ascii_digit())
            {
                return &rest[end + 1..];
            }
        }
        return s;
    }
    // 三、 or 1. or 1、
    let digits: usize = s
        .char_indices()
        .take_while(|(_, c)| HAN_DIGITS.contains(*c) || c.is_ascii_digit())
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    if digits > 0 {
        let rest = &s[digits..];
        for sep in ['、', '.', '．'] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r;
            }
        }
    }
    s
}

/// Fragments identifying each `requests` row (formats.md §2.2), checked on normalised labels.
/// `other_other`, `other` and `total_processed` need context and are handled in
/// [`requests_row`].
const REQUEST_FRAGMENTS: &[(&str, &[&str])] = &[
    ("new_received", &["本年新收", "新收政府信息公开申请"]),
    ("carried_over", &["上年结转"]),
    ("granted", &["予以公开"]),
    ("partially_granted", &["部分公开"]),
    ("denied_state_secret", &["国家秘密"]),
    (
        "denied_law_prohibited",
        &["禁止公开", "其他法律行政", "行政止公开"],
    ),
    ("denied_safety_stability", &["三安全", "一稳定"]),
    ("denied_third_party", &["第三方"]),
    ("denied_internal_affairs", &["内部事务"]),
    ("denied_process_info", &["过程性"]),
    ("denied_enforcement_files", &["执法案卷"]),
    ("denied_inquiry_matters", &["查询事项"]),
    ("unavailable_not_held", &["不掌握"]),
    ("unavailable_needs_creation", &["另行制作", "没有现成"]),
    ("unavailable_unclear", &["仍不明确", "补正后申请"]),
    ("not_processed_complaint", &["信访", "举报投诉"]),
    ("not_processed_repeated", &["重复申请"]),
    ("not_processed_publication", &["出版物"]),
    ("not_processed_excessive", &["大量反复"]),
    (
        "not_processed_confirmation",
        &["确认或重新", "重新出具", "已获取信息", "要求行政机关确认"],
    ),
    ("other_no_correction", &["逾期不补正", "不补正"]),
    ("other_unpaid_fee", &["缴纳费用", "收费通知"]),
    ("carried_forward", &["结转下年", "下年度继续"]),
];

/// All request fragments as one alternation.
static FRAGMENT_FINDER: LazyLock<Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = REQUEST_FRAGMENTS
        .iter()
        .flat_map(|(_, frags)| frags.iter().map(|f| regex::escape(f)))
        .collect();
    Regex::new(&alternation.join("|")).expect("valid static regex")
});

/// The row key a request fragment belongs to.
fn fragment_key(fragment: &str) -> Option<&'static str> {
    REQUEST_FRAGMENTS
        .iter()
        .find(|(_, frags)| frags.contains(&fragment))
        .map(|(k, _)| *k)
}

/// The `requests` row key a normalised label names. `prev` is the key of the row before (for
/// `（六）3.其他`, which only says 其他).
pub(crate) fn requests_row(label: &str, prev: Option<&str>) -> Option<&'static str> {
    if label.is_empty() {
        return None;
    }
    // The specific fragment that occurs last wins: preceding fragments of a wrapped label
    // belong to the row before. One automaton finds them all (regex uses Aho-Corasick/Teddy
    // for literal alternations), rather than ~50 substring searches per row.
    if let Some(key) = FRAGMENT_FINDER
        .find_iter(label)
        .last()
        .and_then(|m| fragment_key(m.as_str()))
    {
        return Some(key);
    }
    let bare = strip_numbering(label);
    if label.contains("(七)") || bare == "总计" || (bare.ends_with("总计") && bare.len() <= 12)
    {
        return Some("total_processed");
    }
    // "3.其他" under （六）: the label ends in a numbered 其他 and sits in group six.
    if let Some(head) = label.strip_suffix("其他") {
        let item = head.is_empty() || head.ends_with(['.', '、', ')']);
        let in_group_six = label.contains("(六)")
            || head.contains("其他处理")
            || matches!(prev, Some("other_no_correction" | "other_unpaid_fee"));
        if item && in_group_six {
            return Some("other_other");
        }
    }
    if bare.contains("其他处理") {
        return Some("other");
    }
    None
}

/// The `active` row key a normalised label names (both formats; the caller checks the key is in
/// the detected format's schema).
pub(crate) fn active_row(label: &str) -> Option<&'static str> {
    const ROWS: &[(&str, &[&str])] = &[
        ("other_services", &["其他对外管理服务", "对外管理服务"]),
        ("normative_documents", &["规范性文件"]),
        ("regulations", &["规章"]),
        ("licensing", &["行政许可"]),
        ("punishment", &["行政处罚"]),
        ("coercion", &["行政强制"]),
        ("fees", &["事业性收费", "行政收费"]),
        ("procurement", &["集中采购", "政府采购"]),
    ];
    let mut best: Option<(usize, &'static str)> = None;
    for (key, frags) in ROWS {
        for f in *frags {
            if let Some(pos) = label.rfind(f) {
                if best.is_none_or(|(p, _)| pos > p) {
                    best = Some((pos, key));
                }
            }
        }
    }
    best.map(|(_, k)| k)
}

/// The `requests` column (index into `REQUEST_COLUMNS`) a normalised header cell names.
pub(crate) fn applicant_column(cell: &str) -> Option<usize> {
    let prefixes: [(&str, usize); 5] = [
        ("自然", 0),
        ("商业", 1),
        ("科研", 2),
        ("社会", 3),
        ("法律", 4),
    ];
    if let Some((_, i)) = prefixes.iter().find(|(p, _)| cell.starts_with(p)) {
        return Some(*i);
    }
    match cell {
        "其他" => Some(5),
        "总计" | "合计" => Some(6),
        _ => None,
    }
}

/// Every `requests` row a block of label text names, in schema order (for tables printed
/// column by column, where all labels of a page come before its numbers). Header words (总计,
/// 其他 as column names) do not count: only `（七）` and a numbered `3.其他` do.
pub(crate) fn requests_rows_in(text: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for row in crate::model::REQUESTS {
        let found = match row.key {
            "other_other" => ["3.其他", "3、其他", ")3其他"]
                .iter()
                .any(|f| text.contains(f)),
            "other" => text.contains("其他处理"),
            "total_processed" => text.contains("(七)"),
            key => REQUEST_FRAGMENTS
                .iter()
                .find(|(k, _)| *k == key)
                .is_some_and(|(_, frags)| frags.iter().any(|f| text.contains(f))),
        };
        if found {
            keys.push(row.key);
        }
    }
    if keys.iter().any(|k| k.starts_with("other_")) {
        keys.retain(|k| *k != "other");
    }
    keys
}

/// Every `active` row a block of label text names, in `schema` order.
pub(crate) fn active_rows_in(text: &str, schema: &[crate::model::RowSpec]) -> Vec<&'static str> {
    schema
        .iter()
        .filter(|row| {
            let frags: &[&str] = match row.key {
                "regulations" => &["规章"],
                "normative_documents" => &["规范性文件"],
                "licensing" => &["行政许可"],
                "other_services" => &["对外管理服务"],
                "punishment" => &["行政处罚"],
                "coercion" => &["行政强制"],
                "fees" => &["事业性收费", "行政收费"],
                "procurement" => &["集中采购", "政府采购"],
                _ => &[],
            };
            frags.iter().any(|f| text.contains(f))
        })
        .map(|row| row.key)
        .collect()
}

/// Header words of the `active` table that only the 2021 format prints.
const ACTIVE_2021_MARKERS: &[&str] = &[
    "制发件数",
    "废止件数",
    "现行有效件数",
    "收费金额",
    "本年处理决定数量",
    "本年处理绝对数量",
];

/// Header words and row labels of the `active` table that only the 2019 format prints.
const ACTIVE_2019_MARKERS: &[&str] = &[
    "新制作数量",
    "新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "增/减",
    "其他对外管理服务事项",
    "第二十条第(九)项",
    "政府集中采购",
    "采购项目数量",
    "采购总金额",
];

/// Votes for the 2021 and 2019 `active` layouts found in one normalised label.
pub(crate) fn active_format_votes(label: &str) -> (u32, u32) {
    let v21 = ACTIVE_2021_MARKERS
        .iter()
        .filter(|m| label.contains(*m))
        .count() as u32;
    let v19 = ACTIVE_2019_MARKERS
        .iter()
        .filter(|m| label.contains(*m))
        .count() as u32;
    (v21, v19)
}

/// True for labels that open the `active` table (its block captions and header row).
pub(crate) fn is_active_anchor(label: &str) -> bool {
    label.contains("第二十条")
        || label.starts_with("信息内容")
        || ACTIVE_2021_MARKERS.iter().any(|m| label.contains(m))
        || ACTIVE_2019_MARKERS[..5].iter().any(|m| label.contains(m))
}

/// True for header cells of any of the three tables (column names and block captions), which
/// never name a row.
pub(crate) fn is_header_label(label: &str) -> bool {
    const HEADERS: &[&str] = &[
        "信息内容",
        "制发件数",
        "废止件数",
        "现行有效",
        "新制作数量",
        "新公开数量",
        "对外公开总数",
        "上一年项目",
        "增/减",
        "处理决定数量",
        "处理绝对数量",
        "收费金额",
        "采购项目数量",
        "采购总金额",
        "第二十条",
        "勾稽",
        "申请人情况",
        "法人或其他组织",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益",
        "法律服务",
        "结果维持",
        "结果纠正",
        "尚未审结",
    ];
    HEADERS.iter().any(|h| label.contains(h))
}

/// True for labels that open the `requests` table (its header cell or heading).
pub(crate) fn is_requests_anchor(label: &str) -> bool {
    label.contains("勾稽关系")
        || label.contains("申请人情况")
        || label.contains("收到和处理政府信息公开申请")
        || label.contains("本年新收")
}

/// True for labels that open the `appeals` table.
pub(crate) fn is_appeals_anchor(label: &str) -> bool {
    (label.contains("行政复议") && (label.len() < 120))
        || label.contains("复议后起诉")
        || label.contains("未经复议")
}

/// True for header words proving a 2019/2021 `appeals` table (not a legacy 统计表).
pub(crate) fn is_appeals_header(label: &str) -> bool {
    label.contains("复议后起诉")
        || label.contains("未经复议")
        || label.contains("尚未审结")
        || label.contains("结果纠正")
        || label.contains("结果维持")
}

/// True for the headings that follow the tables (五、存在的主要问题…, 六、其他需要报告…).
pub(crate) fn is_tables_end(label: &str) -> bool {
    label.contains("存在的主要问题")
        || label.contains("其他需要报告")
        || label.starts_with("五、")
        || label.starts_with("六、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_strips_spaces_and_folds_width() {
        assert_eq!(norm("自 然\u{3000}人\u{a0}"), "自然人");
        assert_eq!(norm("（一）予以公开"), "(一)予以公开");
        assert_eq!(norm("１２"), "12");
        assert_eq!(norm("總計"), "总计");
    }

    #[test]
    fn the_stable_ranges_really_are_nfkc_stable() {
        let ranges = [
            (0x20u32, 0x7E),
            (0x4E00, 0x9FFF),
            (0x3001, 0x3035),
            (0x2012, 0x2016),
            (0x2018, 0x2023),
        ];
        for (lo, hi) in ranges {
            for c in (lo..=hi).filter_map(char::from_u32) {
                assert!(nfkc_stable(c));
                assert_eq!(
                    c.to_string().nfkc().collect::<String>(),
                    c.to_string(),
                    "{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn numbering_is_stripped_in_any_combination() {
        assert_eq!(strip_numbering("(六)3.其他"), "其他");
        assert_eq!(strip_numbering("3、其他"), "其他");
        assert_eq!(strip_numbering("三、本年度办理结果"), "本年度办理结果");
        assert_eq!(strip_numbering("(七)总计"), "总计");
        assert_eq!(strip_numbering("规章"), "规章");
    }

    #[test]
    fn request_rows_by_fragment() {
        let m = |s: &str| requests_row(&norm(s), None);
        assert_eq!(m("一、本年新收政府信息公开申请数量"), Some("new_received"));
        assert_eq!(m("二、上年结转政府信息公开申请数量"), Some("carried_over"));
        assert_eq!(m("三、本年度办理结果 (一) 予以公开"), Some("granted"));
        assert_eq!(
            m("(三)不予公开 1.属于国家秘密"),
            Some("denied_state_secret")
        );
        assert_eq!(m("2.其他法律行政止公开"), Some("denied_law_prohibited"));
        assert_eq!(
            m("4.无正当理由大量反复 申请"),
            Some("not_processed_excessive")
        );
        assert_eq!(
            m("(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            Some("other_no_correction")
        );
        assert_eq!(m("（六）其他处理"), Some("other"));
        assert_eq!(m("(七) 总计"), Some("total_processed"));
        assert_eq!(m("总 计"), Some("total_processed"));
        assert_eq!(m("四、结转下年度继续办理"), Some("carried_forward"));
        assert_eq!(
            m("(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
            Some("partially_granted")
        );
        assert_eq!(m("其他"), None);
        assert_eq!(
            requests_row("3.其他", Some("other_unpaid_fee")),
            Some("other_other")
        );
        assert_eq!(requests_row("(六)3.其他", None), Some("other_other"));
    }

    #[test]
    fn active_rows_by_fragment() {
        assert_eq!(active_row("规章"), Some("regulations"));
        assert_eq!(active_row("行政规范性文件"), Some("normative_documents"));
        assert_eq!(active_row("规范性文件"), Some("normative_documents"));
        assert_eq!(active_row("其他对外管理服务事项"), Some("other_services"));
        assert_eq!(active_row("行政事业性收费"), Some("fees"));
        assert_eq!(active_row("政府集中采购"), Some("procurement"));
        assert_eq!(active_row("信息内容"), None);
    }

    #[test]
    fn format_votes() {
        assert_eq!(active_format_votes(&norm("本年制发件数")), (1, 0));
        assert_eq!(active_format_votes(&norm("本年新制作数量")), (0, 1));
        assert_eq!(active_format_votes(&norm("第二十条第（九）项")), (0, 1));
    }
}
