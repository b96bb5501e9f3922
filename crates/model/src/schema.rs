//! The official form of SPEC §2: the layouts ([`Format`]), the three tables ([`TableName`]),
//! each table's rows in printed order with their SPEC keys, official labels and column keys
//! ([`RowSpec`], [`schema`]), and the column headers as printed.

use serde::{Deserialize, Serialize};

/// Which official table layout a report uses (SPEC §2). Detected from table labels, not the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// 国办公开办函〔2021〕30号 layout.
    #[serde(rename = "2021")]
    F2021,
    /// 国办公开办函〔2019〕60号 layout.
    #[serde(rename = "2019")]
    F2019,
    /// Before 2019: no fixed tables; `tables` are null.
    #[serde(rename = "legacy")]
    Legacy,
}

impl Format {
    /// The SPEC spelling: `"2021"`, `"2019"` or `"legacy"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2021 => "2021",
            Format::F2019 => "2019",
            Format::Legacy => "legacy",
        }
    }

    /// Inverse of [`Format::as_str`].
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "2021" => Some(Format::F2021),
            "2019" => Some(Format::F2019),
            "legacy" => Some(Format::Legacy),
            _ => None,
        }
    }
}

/// The three tables of a 2019/2021 report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableName {
    /// 二、主动公开政府信息情况
    Active,
    /// 三、收到和处理政府信息公开申请情况
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况
    Appeals,
}

impl TableName {
    /// All tables in report order.
    pub const ALL: [TableName; 3] = [TableName::Active, TableName::Requests, TableName::Appeals];

    /// The SPEC key: `active`, `requests`, `appeals`.
    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Active => "active",
            TableName::Requests => "requests",
            TableName::Appeals => "appeals",
        }
    }

    /// Inverse of [`TableName::as_str`].
    pub fn parse(s: &str) -> Option<TableName> {
        TableName::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The table's heading as printed on the official form.
    pub fn heading(self) -> &'static str {
        match self {
            TableName::Active => "二、主动公开政府信息情况",
            TableName::Requests => "三、收到和处理政府信息公开申请情况",
            TableName::Appeals => "四、政府信息公开行政复议、行政诉讼情况",
        }
    }
}

/// One row of a table schema: its SPEC key, the official label, and its column keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpec {
    /// SPEC row key, e.g. `new_received`.
    pub key: &'static str,
    /// The label printed on the official form.
    pub label: &'static str,
    /// SPEC column keys of this row, in printed order.
    pub columns: &'static [&'static str],
}

const ACTIVE_2021_DOC: &[&str] = &["issued", "repealed", "in_force"];
const DECISIONS: &[&str] = &["decisions"];
const AMOUNT: &[&str] = &["amount"];

/// `active` rows, format 2021 (SPEC §2.1).
pub const ACTIVE_2021: &[RowSpec] = &[
    RowSpec {
        key: "regulations",
        label: "规章",
        columns: ACTIVE_2021_DOC,
    },
    RowSpec {
        key: "normative_documents",
        label: "行政规范性文件",
        columns: ACTIVE_2021_DOC,
    },
    RowSpec {
        key: "licensing",
        label: "行政许可",
        columns: DECISIONS,
    },
    RowSpec {
        key: "punishment",
        label: "行政处罚",
        columns: DECISIONS,
    },
    RowSpec {
        key: "coercion",
        label: "行政强制",
        columns: DECISIONS,
    },
    RowSpec {
        key: "fees",
        label: "行政事业性收费",
        columns: AMOUNT,
    },
];

const ACTIVE_2019_DOC: &[&str] = &["made", "published", "total_public"];
const ACTIVE_2019_ITEMS: &[&str] = &["previous_items", "change", "decisions"];
const ACTIVE_2019_FEES: &[&str] = &["previous_items", "change"];
const ACTIVE_2019_PROCUREMENT: &[&str] = &["items", "amount"];

/// `active` rows, format 2019 (SPEC §2.1).
pub const ACTIVE_2019: &[RowSpec] = &[
    RowSpec {
        key: "regulations",
        label: "规章",
        columns: ACTIVE_2019_DOC,
    },
    RowSpec {
        key: "normative_documents",
        label: "规范性文件",
        columns: ACTIVE_2019_DOC,
    },
    RowSpec {
        key: "licensing",
        label: "行政许可",
        columns: ACTIVE_2019_ITEMS,
    },
    RowSpec {
        key: "other_services",
        label: "其他对外管理服务事项",
        columns: ACTIVE_2019_ITEMS,
    },
    RowSpec {
        key: "punishment",
        label: "行政处罚",
        columns: ACTIVE_2019_ITEMS,
    },
    RowSpec {
        key: "coercion",
        label: "行政强制",
        columns: ACTIVE_2019_ITEMS,
    },
    RowSpec {
        key: "fees",
        label: "行政事业性收费",
        columns: ACTIVE_2019_FEES,
    },
    RowSpec {
        key: "procurement",
        label: "政府集中采购",
        columns: ACTIVE_2019_PROCUREMENT,
    },
];

/// `requests` columns (SPEC §2.2), same in both formats.
pub const REQUEST_COLUMNS: &[&str] = &[
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
    "total",
];

/// `requests` column headers as printed, in [`REQUEST_COLUMNS`] order (the five 法人或其他组织
/// columns sit under that group heading on the form).
pub const REQUEST_COLUMN_LABELS: &[&str] = &[
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

const fn req(key: &'static str, label: &'static str) -> RowSpec {
    RowSpec {
        key,
        label,
        columns: REQUEST_COLUMNS,
    }
}

/// `requests` rows (SPEC §2.2). All 26 keys in both formats; rows a report does not print are
/// null (`other_*` in 2019 layouts, `other` in 2021 layouts with the three sub-rows).
pub const REQUESTS: &[RowSpec] = &[
    req("new_received", "一、本年新收政府信息公开申请数量"),
    req("carried_over", "二、上年结转政府信息公开申请数量"),
    req("granted", "（一）予以公开"),
    req("partially_granted", "（二）部分公开"),
    req("denied_state_secret", "（三）1.属于国家秘密"),
    req("denied_law_prohibited", "（三）2.其他法律行政法规禁止公开"),
    req("denied_safety_stability", "（三）3.危及“三安全一稳定”"),
    req("denied_third_party", "（三）4.保护第三方合法权益"),
    req("denied_internal_affairs", "（三）5.属于三类内部事务信息"),
    req("denied_process_info", "（三）6.属于四类过程性信息"),
    req("denied_enforcement_files", "（三）7.属于行政执法案卷"),
    req("denied_inquiry_matters", "（三）8.属于行政查询事项"),
    req("unavailable_not_held", "（四）1.本机关不掌握相关政府信息"),
    req(
        "unavailable_needs_creation",
        "（四）2.没有现成信息需要另行制作",
    ),
    req("unavailable_unclear", "（四）3.补正后申请内容仍不明确"),
    req("not_processed_complaint", "（五）1.信访举报投诉类申请"),
    req("not_processed_repeated", "（五）2.重复申请"),
    req("not_processed_publication", "（五）3.要求提供公开出版物"),
    req("not_processed_excessive", "（五）4.无正当理由大量反复申请"),
    req(
        "not_processed_confirmation",
        "（五）5.要求行政机关确认或重新出具已获取信息",
    ),
    req(
        "other_no_correction",
        "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    req(
        "other_unpaid_fee",
        "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    req("other_other", "（六）3.其他"),
    req("other", "（六）其他处理"),
    req("total_processed", "（七）总计"),
    req("carried_forward", "四、结转下年度继续办理"),
];

/// Result rows summed by `requests.results_sum.<column>` (SPEC §3): granted … other_other, and
/// `other` where the report prints （六） as one row.
pub const REQUEST_RESULT_ROWS: &[&str] = &[
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_safety_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_inquiry_matters",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_complaint",
    "not_processed_repeated",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
    "other_no_correction",
    "other_unpaid_fee",
    "other_other",
    "other",
];

/// `appeals` columns of each group (SPEC §2.3).
pub const APPEAL_COLUMNS: &[&str] = &["upheld", "corrected", "other", "pending", "total"];

/// `appeals` column headers as printed, in [`APPEAL_COLUMNS`] order.
pub const APPEAL_COLUMN_LABELS: &[&str] = &["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// `appeals` groups (SPEC §2.3), same in both formats.
pub const APPEALS: &[RowSpec] = &[
    RowSpec {
        key: "review",
        label: "行政复议",
        columns: APPEAL_COLUMNS,
    },
    RowSpec {
        key: "litigation_direct",
        label: "行政诉讼·未经复议直接起诉",
        columns: APPEAL_COLUMNS,
    },
    RowSpec {
        key: "litigation_after_review",
        label: "行政诉讼·复议后起诉",
        columns: APPEAL_COLUMNS,
    },
];

/// The schema of `table` in `format`; empty for [`Format::Legacy`].
pub fn schema(table: TableName, format: Format) -> &'static [RowSpec] {
    match (table, format) {
        (_, Format::Legacy) => &[],
        (TableName::Active, Format::F2021) => ACTIVE_2021,
        (TableName::Active, Format::F2019) => ACTIVE_2019,
        (TableName::Requests, _) => REQUESTS,
        (TableName::Appeals, _) => APPEALS,
    }
}
