//! Every table value of the two corpus PDFs, read off the rendered pages (`pdftoppm -png`):
//! 淮安市人民政府 2024 (pages 3–5) and 淮安市洪泽区人民政府 2024 (pages 2–4), which agree with
//! `shared/notes/formats.md` §8; and of the Shanghai 2019 report the LibreOffice fixtures were
//! made from, read off its HTML tables. [`B`] marks a blank cell.

/// A blank cell in the tables below.
pub(crate) const B: i64 = -1;

/// What one report's tables hold.
pub(crate) struct Expected {
    /// `active` rows: (label fragment, row key, column keys, values).
    pub active: &'static [(
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [f64],
    )],
    /// `requests` rows: (label fragment, row key, the seven values).
    pub requests: &'static [(&'static str, &'static str, [i64; 7])],
    /// `requests` rows the report does not print (all null after parsing).
    pub absent_rows: &'static [&'static str],
    /// The `appeals` row: review, direct litigation, litigation after review (5 each).
    pub appeals: [i64; 15],
}

const DOC: &[&str] = &["issued", "repealed", "in_force"];
const DOC_2019: &[&str] = &["made", "published", "total_public"];
const ITEMS_2019: &[&str] = &["previous_items", "change", "decisions"];
const FEES_2019: &[&str] = &["previous_items", "change"];
const PROCUREMENT_2019: &[&str] = &["items", "amount"];
const DECISIONS: &[&str] = &["decisions"];
const AMOUNT: &[&str] = &["amount"];

/// 淮安市人民政府 2024年政府信息公开工作年度报告.
pub(crate) const HUAIAN: Expected = Expected {
    active: &[
        ("规章", "regulations", DOC, &[1.0, 0.0, 11.0]),
        (
            "行政规范性文件",
            "normative_documents",
            DOC,
            &[8.0, 26.0, 66.0],
        ),
        ("行政许可", "licensing", DECISIONS, &[447228.0]),
        ("行政处罚", "punishment", DECISIONS, &[3985758.0]),
        ("行政强制", "coercion", DECISIONS, &[88283.0]),
        ("行政事业性收费", "fees", AMOUNT, &[96171.6]),
    ],
    requests: &[
        ("本年新收", "new_received", [3001, 53, 0, 0, 61, 4, 3119]),
        ("上年结转", "carried_over", [34, 0, 0, 0, 0, 0, 34]),
        ("予以公开", "granted", [1288, 21, 0, 0, 50, 3, 1362]),
        ("部分公开", "partially_granted", [447, 7, 0, 0, 0, 0, 454]),
        ("国家秘密", "denied_state_secret", [2, 0, 0, 0, 0, 0, 2]),
        ("禁止公开", "denied_law_prohibited", [30, 1, 0, 0, 0, 0, 31]),
        ("三安全", "denied_safety_stability", [5, 0, 0, 0, 0, 0, 5]),
        ("第三方", "denied_third_party", [6, 0, 0, 0, 0, 0, 6]),
        ("内部事务", "denied_internal_affairs", [7, 1, 0, 0, 0, 0, 8]),
        ("过程性", "denied_process_info", [12, 0, 0, 0, 0, 0, 12]),
        (
            "执法案卷",
            "denied_enforcement_files",
            [9, 0, 0, 0, 0, 0, 9],
        ),
        (
            "查询事项",
            "denied_inquiry_matters",
            [105, 0, 0, 0, 0, 0, 105],
        ),
        (
            "不掌握",
            "unavailable_not_held",
            [746, 12, 0, 0, 10, 1, 769],
        ),
        (
            "另行制作",
            "unavailable_needs_creation",
            [11, 0, 0, 0, 0, 0, 11],
        ),
        ("仍不明确", "unavailable_unclear", [1, 0, 0, 0, 0, 0, 1]),
        ("信访", "not_processed_complaint", [56, 6, 0, 0, 0, 0, 62]),
        (
            "重复申请",
            "not_processed_repeated",
            [25, 0, 0, 0, 0, 0, 25],
        ),
        ("出版物", "not_processed_publication", [0, 0, 0, 0, 0, 0, 0]),
        ("大量反复", "not_processed_excessive", [0, 0, 0, 0, 0, 0, 0]),
        (
            "确认或重新出具",
            "not_processed_confirmation",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        ("逾期不补正", "other_no_correction", [67, 3, 0, 0, 1, 0, 71]),
        ("缴纳费用", "other_unpaid_fee", [6, 0, 0, 0, 0, 0, 6]),
        ("3、其他", "other_other", [108, 2, 0, 0, 0, 0, 110]),
        (
            "（七）总计",
            "total_processed",
            [2932, 53, 0, 0, 61, 4, 3050],
        ),
        ("结转下年度", "carried_forward", [103, 0, 0, 0, 0, 0, 103]),
    ],
    absent_rows: &["other"],
    appeals: [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20],
};

/// 淮安市洪泽区人民政府 2024年政府信息公开工作年度报告 (2021 format, one （六） row).
pub(crate) const HONGZE: Expected = Expected {
    active: &[
        ("规章", "regulations", DOC, &[0.0, 0.0, 0.0]),
        (
            "行政规范性文件",
            "normative_documents",
            DOC,
            &[3.0, 0.0, 8.0],
        ),
        ("行政许可", "licensing", DECISIONS, &[9487.0]),
        ("行政处罚", "punishment", DECISIONS, &[2776.0]),
        ("行政强制", "coercion", DECISIONS, &[84.0]),
        ("行政事业性收费", "fees", AMOUNT, &[7545.0]),
    ],
    requests: &[
        ("本年新收", "new_received", [95, 0, 0, 0, 0, 0, 95]),
        ("上年结转", "carried_over", [0, 0, 0, 0, 0, 0, 0]),
        ("予以公开", "granted", [50, 0, 0, 0, 0, 0, 50]),
        ("部分公开", "partially_granted", [9, 0, 0, 0, 0, 0, 9]),
        ("国家秘密", "denied_state_secret", [0, 0, 0, 0, 0, 0, 0]),
        ("行政止公开", "denied_law_prohibited", [0, 0, 0, 0, 0, 0, 0]),
        ("三安全", "denied_safety_stability", [1, 0, 0, 0, 0, 0, 1]),
        ("第三方", "denied_third_party", [0, 0, 0, 0, 0, 0, 0]),
        ("内部事务", "denied_internal_affairs", [0, 0, 0, 0, 0, 0, 0]),
        ("过程性", "denied_process_info", [1, 0, 0, 0, 0, 0, 1]),
        (
            "执法案卷",
            "denied_enforcement_files",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        ("查询事项", "denied_inquiry_matters", [0, 0, 0, 0, 0, 0, 0]),
        ("不掌握", "unavailable_not_held", [31, 0, 0, 0, 0, 0, 31]),
        (
            "另行制作",
            "unavailable_needs_creation",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        ("仍不明确", "unavailable_unclear", [0, 0, 0, 0, 0, 0, 0]),
        ("信访", "not_processed_complaint", [1, 0, 0, 0, 0, 0, 1]),
        ("重复申请", "not_processed_repeated", [0, 0, 0, 0, 0, 0, 0]),
        ("出版物", "not_processed_publication", [0, 0, 0, 0, 0, 0, 0]),
        ("大量反复", "not_processed_excessive", [0, 0, 0, 0, 0, 0, 0]),
        (
            "确认或重新出具",
            "not_processed_confirmation",
            [0, 0, 0, 0, 0, 0, 0],
        ),
        ("（六）其他处理", "other", [0, 0, 0, 0, 0, 0, 0]),
        ("（七）总计", "total_processed", [95, 0, 0, 0, 0, 0, 95]),
        ("结转下年度", "carried_forward", [0, 0, 0, 0, 0, 0, 0]),
    ],
    absent_rows: &["other_no_correction", "other_unpaid_fee", "other_other"],
    appeals: [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
};

/// 上海市人民政府办公厅 2019年政府信息公开工作年度报告 (2019 format; whole columns blank).
pub(crate) const SHANGHAI: Expected = Expected {
    active: &[
        ("规章", "regulations", DOC_2019, &[13.0, 13.0, 524.0]),
        (
            "规范性文件",
            "normative_documents",
            DOC_2019,
            &[60.0, 60.0, 368.0],
        ),
        ("行政许可", "licensing", ITEMS_2019, &[0.0, 0.0, 0.0]),
        (
            "其他对外管理服务事项",
            "other_services",
            ITEMS_2019,
            &[0.0, 0.0, 0.0],
        ),
        ("行政处罚", "punishment", ITEMS_2019, &[0.0, 0.0, 0.0]),
        ("行政强制", "coercion", ITEMS_2019, &[0.0, 0.0, 0.0]),
        ("行政事业性收费", "fees", FEES_2019, &[0.0, 0.0]),
        (
            "政府集中采购",
            "procurement",
            PROCUREMENT_2019,
            &[6.0, 251000.0],
        ),
    ],
    requests: &[
        ("本年新收", "new_received", [821, 35, B, B, 2, 1, 859]),
        ("上年结转", "carried_over", [18, B, B, B, B, B, 18]),
        ("予以公开", "granted", [258, 12, B, B, 1, 1, B]),
        ("部分公开", "partially_granted", [3, B, B, B, B, B, B]),
        ("国家秘密", "denied_state_secret", [14, B, B, B, B, B, B]),
        ("禁止公开", "denied_law_prohibited", [B, B, B, B, B, B, B]),
        ("三安全", "denied_safety_stability", [B, B, B, B, B, B, B]),
        ("第三方", "denied_third_party", [B, B, B, B, B, B, B]),
        ("内部事务", "denied_internal_affairs", [5, B, B, B, B, B, B]),
        ("过程性", "denied_process_info", [3, 1, B, B, B, B, B]),
        (
            "执法案卷",
            "denied_enforcement_files",
            [B, B, B, B, B, B, B],
        ),
        ("查询事项", "denied_inquiry_matters", [10, 2, B, B, B, B, B]),
        ("不掌握", "unavailable_not_held", [252, 12, B, B, 1, B, B]),
        (
            "另行制作",
            "unavailable_needs_creation",
            [44, 3, B, B, B, B, B],
        ),
        ("仍不明确", "unavailable_unclear", [25, B, B, B, B, B, B]),
        ("信访", "not_processed_complaint", [148, 1, B, B, B, B, B]),
        ("重复申请", "not_processed_repeated", [5, 4, B, B, B, B, B]),
        ("出版物", "not_processed_publication", [B, B, B, B, B, B, B]),
        ("大量反复", "not_processed_excessive", [B, B, B, B, B, B, B]),
        (
            "确认或重新出具",
            "not_processed_confirmation",
            [B, B, B, B, B, B, B],
        ),
        ("（六）其他处理", "other", [B, B, B, B, B, B, B]),
        ("（七）总计", "total_processed", [767, 35, B, B, 2, 1, 805]),
        ("结转下年度", "carried_forward", [72, B, B, B, B, B, 72]),
    ],
    absent_rows: &["other_no_correction", "other_unpaid_fee", "other_other"],
    appeals: [5, B, B, 2, 7, 8, B, B, 1, 9, B, B, B, B, B],
};

impl Expected {
    /// `active` rows as (row key, column keys, values).
    pub fn active_keys(
        &self,
    ) -> impl Iterator<Item = (&'static str, &'static [&'static str], &'static [f64])> {
        self.active
            .iter()
            .map(|&(_, key, cols, values)| (key, cols, values))
    }
}
