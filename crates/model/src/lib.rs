//! The canonical report model of `SPEC.md` §2–§4: formats, the three tables, their row and
//! column keys, cells, parse results and consistency checks.
//!
//! Tables are schema-driven: every table of every format is described by a static list of
//! [`RowSpec`]s (key, official label, column keys), and a [`Table`] is a grid of [`Cell`]s laid
//! out in exactly that order. The same schema drives parsing (labels → keys), the archive (one row
//! per cell), the export (keys in SPEC order) and the web UI (rows as on the official form), so a
//! key is spelled once, here.
//!
//! Beside the tables, the vocabularies the archive stores as text and every stage speaks as
//! types: [`ReportStatus`], [`DocumentRole`], [`RunStatus`], [`Source`].

#![deny(missing_docs)]

pub mod finding;

pub use finding::{CellPath, CopyScope, DateBasis, Finding, Severity, What};
use serde::{Deserialize, Serialize};

mod doubt;
pub use doubt::{Doubt, DoubtKind};

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

/// A cell's numeric value: an integer count, or a decimal (money).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    /// A count, or a money amount printed without decimals.
    Int(i64),
    /// A money amount with decimals (万元 fees, procurement totals).
    Decimal(f64),
}

impl Number {
    /// The value as f64, for sums that mix integers and decimals.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Decimal(d) => d,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

/// How a cell's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Read from the document.
    #[default]
    Read,
    /// Reconstructed from the table's own identities because the layout lost it (unique solution).
    Inferred,
}

/// One table cell: the raw text as printed, its value, and where the value came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// Text of the cell as found in the document (empty when the cell was missing).
    pub raw: String,
    /// The number, or `None` for blank, `/`, `-`, `—`, `无` or missing.
    pub value: Option<Number>,
    /// Read or inferred.
    pub origin: Origin,
}

/// One parsed table laid out as its [`schema`]: `cells[r][c]` is row `schema[r]`, column
/// `schema[r].columns[c]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Which table this is.
    pub name: TableName,
    /// The layout it was read in (never `Legacy`).
    pub format: Format,
    /// Cells in schema order.
    pub cells: Vec<Vec<Cell>>,
    /// Row keys whose labels the parser found printed, in schema order: a row can be printed
    /// blank (in this list, cells `None`) or not printed at all (not in it). `None` when not
    /// known: a table built by hand or read back from the archive, or `appeals` (its groups
    /// are read by position).
    pub printed_rows: Option<Vec<&'static str>>,
}

impl Table {
    /// An all-blank table of `name` in `format`.
    pub fn empty(name: TableName, format: Format) -> Table {
        let cells = schema(name, format)
            .iter()
            .map(|row| vec![Cell::default(); row.columns.len()])
            .collect();
        Table {
            name,
            format,
            cells,
            printed_rows: None,
        }
    }

    /// The schema this table follows.
    pub fn schema(&self) -> &'static [RowSpec] {
        schema(self.name, self.format)
    }

    /// The cell at (`row`, `column`) keys, if the schema has it.
    pub fn get(&self, row: &str, column: &str) -> Option<&Cell> {
        let (r, c) = self.position(row, column)?;
        self.cells.get(r)?.get(c)
    }

    /// Mutable access to the cell at (`row`, `column`) keys.
    pub fn get_mut(&mut self, row: &str, column: &str) -> Option<&mut Cell> {
        let (r, c) = self.position(row, column)?;
        self.cells.get_mut(r)?.get_mut(c)
    }

    /// The value at (`row`, `column`), `None` when blank or absent.
    pub fn value(&self, row: &str, column: &str) -> Option<Number> {
        self.get(row, column).and_then(|c| c.value)
    }

    fn position(&self, row: &str, column: &str) -> Option<(usize, usize)> {
        let spec = self.schema();
        let r = spec.iter().position(|s| s.key == row)?;
        let c = spec[r].columns.iter().position(|k| *k == column)?;
        Some((r, c))
    }

    /// Every cell with its row and column keys, in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, &Cell)> {
        self.schema()
            .iter()
            .zip(&self.cells)
            .flat_map(|(spec, row)| {
                spec.columns
                    .iter()
                    .zip(row)
                    .map(move |(col, cell)| (spec.key, *col, cell))
            })
    }

    /// True when no cell holds a value (the reposted empty template, or nothing found).
    pub fn is_blank(&self) -> bool {
        self.iter().all(|(_, _, c)| c.value.is_none())
    }

    /// The SPEC §4 JSON object: `{row: {column: value|null}}` with every row key present.
    pub fn to_json(&self) -> serde_json::Value {
        let mut rows = serde_json::Map::new();
        for (spec, cells) in self.schema().iter().zip(&self.cells) {
            let mut cols = serde_json::Map::new();
            for (col, cell) in spec.columns.iter().zip(cells) {
                cols.insert(
                    (*col).to_string(),
                    serde_json::to_value(cell.value).unwrap_or_default(),
                );
            }
            rows.insert(spec.key.to_string(), serde_json::Value::Object(cols));
        }
        serde_json::Value::Object(rows)
    }
}

impl Serialize for Table {
    /// As [`Table::to_json`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut rows = s.serialize_map(Some(self.cells.len()))?;
        for (spec, cells) in self.schema().iter().zip(&self.cells) {
            rows.serialize_entry(spec.key, &RowValues(spec.columns, cells))?;
        }
        rows.end()
    }
}

/// One row of a table as `{column: value|null}`.
struct RowValues<'a>(&'static [&'static str], &'a [Cell]);

impl Serialize for RowValues<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut cols = s.serialize_map(Some(self.0.len()))?;
        for (col, cell) in self.0.iter().zip(self.1) {
            cols.serialize_entry(col, &cell.value)?;
        }
        cols.end()
    }
}

/// The three tables of a report; `None` where the report does not contain the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tables {
    /// 二、主动公开政府信息情况
    pub active: Option<Table>,
    /// 三、收到和处理政府信息公开申请情况
    pub requests: Option<Table>,
    /// 四、政府信息公开行政复议、行政诉讼情况
    pub appeals: Option<Table>,
}

impl Tables {
    /// The table called `name`.
    pub fn get(&self, name: TableName) -> Option<&Table> {
        match name {
            TableName::Active => self.active.as_ref(),
            TableName::Requests => self.requests.as_ref(),
            TableName::Appeals => self.appeals.as_ref(),
        }
    }

    /// SPEC §4 `tables` object (what its `Serialize` writes, as a value).
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for name in TableName::ALL {
            let v = self
                .get(name)
                .map(Table::to_json)
                .unwrap_or(serde_json::Value::Null);
            out.insert(name.as_str().to_string(), v);
        }
        serde_json::Value::Object(out)
    }
}

impl Serialize for Tables {
    /// SPEC §4 `tables`: every table name, `null` for a table the report does not contain.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut out = s.serialize_map(Some(TableName::ALL.len()))?;
        for name in TableName::ALL {
            out.serialize_entry(name.as_str(), &self.get(name))?;
        }
        out.end()
    }
}

/// The result of evaluating one consistency rule (SPEC §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Stable rule name, e.g. `requests.balance.total`.
    pub rule: String,
    /// Whether left equals right.
    pub ok: bool,
    /// Left-hand side with blanks counted as 0.
    pub left: Number,
    /// Right-hand side with blanks counted as 0.
    pub right: Number,
    /// The cells the rule reads, as `table.row.column`, so a UI can highlight them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
}

/// Where a report's text came from (SPEC §4 `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An HTML detail page.
    Html,
    /// A PDF attachment.
    Pdf,
    /// A DOCX attachment.
    Docx,
    /// A legacy binary Word attachment.
    Doc,
    /// A WPS attachment.
    Wps,
    /// A plain text file (`nianbao parse FILE.txt`).
    Text,
}

impl Source {
    /// SPEC spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Html => "html",
            Source::Pdf => "pdf",
            Source::Docx => "docx",
            Source::Doc => "doc",
            Source::Wps => "wps",
            Source::Text => "text",
        }
    }

    /// Inverse of [`Source::as_str`].
    pub fn parse(s: &str) -> Option<Source> {
        [
            Source::Html,
            Source::Pdf,
            Source::Docx,
            Source::Doc,
            Source::Wps,
            Source::Text,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Everything the parser learned from one report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedReport {
    /// Report title, when found.
    pub title: Option<String>,
    /// Publishing agency, e.g. 西夏区人民政府办公室.
    pub agency: Option<String>,
    /// The year the report covers (not the publication year).
    pub year: Option<i32>,
    /// Detected table layout; `None` when the text is not recognisably a report.
    pub format: Option<Format>,
    /// The tables found.
    pub tables: Tables,
    /// Things a person should know: lost cells, ambiguous rows, prose contradicting tables.
    pub warnings: Vec<String>,
    /// Cells, rows and tables read with less than full certainty, and why.
    pub doubts: Vec<Doubt>,
}

/// What a stored report is, as far as reading it went (archive `reports.status`, the export's
/// `status`). Spelled as text only where it is stored or exported ([`ReportStatus::as_str`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// Its tables were read in the 2019 or 2021 layout.
    Parsed,
    /// A report from before 2019: narrative and local tables, no fixed form.
    Legacy,
    /// A report whose tables could not be read, and why (`no tables found`, `pdf (…)`).
    Unparsed(String),
    /// A scanned attachment without a text layer.
    NeedsOcr,
    /// Not a report (a page that accompanies reports, a template, a notice).
    NotReport,
}

impl ReportStatus {
    /// The stored spelling: `parsed`, `legacy`, `unparsed: <why>`, `needs_ocr`, `not_report`.
    pub fn as_str(&self) -> std::borrow::Cow<'static, str> {
        match self {
            ReportStatus::Parsed => "parsed".into(),
            ReportStatus::Legacy => "legacy".into(),
            ReportStatus::Unparsed(why) => format!("unparsed: {why}").into(),
            ReportStatus::NeedsOcr => "needs_ocr".into(),
            ReportStatus::NotReport => "not_report".into(),
        }
    }

    /// Inverse of [`ReportStatus::as_str`]; `None` for text it never writes.
    pub fn parse(s: &str) -> Option<ReportStatus> {
        Some(match s {
            "parsed" => ReportStatus::Parsed,
            "legacy" => ReportStatus::Legacy,
            "needs_ocr" => ReportStatus::NeedsOcr,
            "not_report" => ReportStatus::NotReport,
            "unparsed" => ReportStatus::Unparsed(String::new()),
            _ => ReportStatus::Unparsed(s.strip_prefix("unparsed: ")?.to_string()),
        })
    }

    /// A stored status, read leniently: text this version never writes (an older archive's
    /// `not_report: why`, say) is read for what it says.
    pub fn from_stored(s: &str) -> ReportStatus {
        ReportStatus::parse(s).unwrap_or_else(|| {
            if s.starts_with("not_report") {
                ReportStatus::NotReport
            } else {
                ReportStatus::Unparsed(s.to_string())
            }
        })
    }

    /// True for the statuses of a report whose tables were read (`parsed`, `legacy`).
    pub fn is_read(&self) -> bool {
        matches!(self, ReportStatus::Parsed | ReportStatus::Legacy)
    }
}

impl std::fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl Serialize for ReportStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

/// How a document relates to the report it holds (archive `report_urls.kind`): the detail page
/// a listing links to, or a file attached to such a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentRole {
    /// A detail page (HTML) linked from a listing.
    Detail,
    /// A file (PDF, DOCX, …) linked from a detail page or a listing.
    Attachment,
}

impl DocumentRole {
    /// The stored spelling: `detail` or `attachment`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentRole::Detail => "detail",
            DocumentRole::Attachment => "attachment",
        }
    }

    /// Inverse of [`DocumentRole::as_str`].
    pub fn parse(s: &str) -> Option<DocumentRole> {
        match s {
            "detail" => Some(DocumentRole::Detail),
            "attachment" => Some(DocumentRole::Attachment),
            _ => None,
        }
    }
}

/// How a crawl run ended (archive `runs.status`, the crawl's summary). Anything but
/// [`RunStatus::Done`] leaves work that the next `nianbao crawl` resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Still running, or killed (the next crawl marks it interrupted).
    Running,
    /// Nothing left to fetch.
    Done,
    /// Stopped at `--max-pages`.
    Partial,
    /// Stopped by Ctrl-C or a signal.
    Interrupted,
    /// Stopped by an error that would not go away (a full disk, an unwritable archive).
    Failed,
}

impl RunStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Partial => "partial",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Failed => "failed",
        }
    }

    /// Inverse of [`RunStatus::as_str`].
    pub fn parse(s: &str) -> Option<RunStatus> {
        [
            RunStatus::Running,
            RunStatus::Done,
            RunStatus::Partial,
            RunStatus::Interrupted,
            RunStatus::Failed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_status_round_trips_through_its_stored_spelling() {
        for s in [
            ReportStatus::Parsed,
            ReportStatus::Legacy,
            ReportStatus::Unparsed("pdf (encrypted)".into()),
            ReportStatus::NeedsOcr,
            ReportStatus::NotReport,
        ] {
            assert_eq!(ReportStatus::parse(&s.as_str()), Some(s.clone()));
        }
        assert_eq!(
            ReportStatus::Unparsed("no tables found".into()).as_str(),
            "unparsed: no tables found"
        );
        assert_eq!(ReportStatus::parse("report"), None);
    }

    #[test]
    fn tables_serialize_as_their_json() {
        let mut t = Tables {
            requests: Some(Table::empty(TableName::Requests, Format::F2021)),
            appeals: Some(Table::empty(TableName::Appeals, Format::F2019)),
            ..Default::default()
        };
        if let Some(c) = t
            .requests
            .as_mut()
            .and_then(|r| r.get_mut("granted", "total"))
        {
            c.value = Some(Number::Int(7));
        }
        if let Some(c) = t
            .appeals
            .as_mut()
            .and_then(|r| r.get_mut("review", "total"))
        {
            c.value = Some(Number::Decimal(1.5));
        }
        assert_eq!(serde_json::to_value(&t).unwrap(), t.to_json());
    }
}
