//! The official forms (国办公开办函〔2019〕60号 / 〔2021〕30号) as cells with row and column
//! spans, filled with a generated report's printed values: what the HTML and DOCX renderers
//! both draw. Rows list the cells that start in them, as HTML does.

use super::world::{printed_request_rows, printed_row, Layout, Report};
use nianbao::model::{Format, TableName};

/// One cell of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormCell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// A label or header (not a value).
    pub label: bool,
}

/// One table of a form.
#[derive(Debug, Clone)]
pub struct FormTable {
    pub name: TableName,
    /// Grid columns.
    pub cols: usize,
    /// Header rows at the top (repeated after a page break or a split).
    pub header_rows: usize,
    pub rows: Vec<Vec<FormCell>>,
}

fn label(text: &str, rowspan: usize, colspan: usize) -> FormCell {
    FormCell {
        text: text.to_string(),
        rowspan,
        colspan,
        label: true,
    }
}

fn value(text: &str, colspan: usize) -> FormCell {
    FormCell {
        text: text.to_string(),
        rowspan: 1,
        colspan,
        label: false,
    }
}

/// How the label cells of table 三 are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// As on the form: group labels span their rows.
    Merged,
    /// Every row prints its whole label path, no row spans (Word-pasted pages, some CMSs).
    Repeated,
}

/// Label cells of a `requests` row (grid columns 0–2): text, rowspan, colspan.
fn request_labels(key: &str, layout: Layout) -> Vec<(&'static str, usize, usize)> {
    let results = if layout.single_other() { 20 } else { 22 };
    match key {
        "new_received" => vec![("一、本年新收政府信息公开申请数量", 1, 3)],
        "carried_over" => vec![("二、上年结转政府信息公开申请数量", 1, 3)],
        "granted" => vec![("三、本年度办理结果", results, 1), ("（一）予以公开", 1, 2)],
        "partially_granted" => vec![(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            1,
            2,
        )],
        "denied_state_secret" => vec![("（三）不予公开", 8, 1), ("1.属于国家秘密", 1, 1)],
        "denied_law_prohibited" => vec![("2.其他法律行政法规禁止公开", 1, 1)],
        "denied_safety_stability" => vec![("3.危及“三安全一稳定”", 1, 1)],
        "denied_third_party" => vec![("4.保护第三方合法权益", 1, 1)],
        "denied_internal_affairs" => vec![("5.属于三类内部事务信息", 1, 1)],
        "denied_process_info" => vec![("6.属于四类过程性信息", 1, 1)],
        "denied_enforcement_files" => vec![("7.属于行政执法案卷", 1, 1)],
        "denied_inquiry_matters" => vec![("8.属于行政查询事项", 1, 1)],
        "unavailable_not_held" => vec![
            ("（四）无法提供", 3, 1),
            ("1.本机关不掌握相关政府信息", 1, 1),
        ],
        "unavailable_needs_creation" => vec![("2.没有现成信息需要另行制作", 1, 1)],
        "unavailable_unclear" => vec![("3.补正后申请内容仍不明确", 1, 1)],
        "not_processed_complaint" => vec![("（五）不予处理", 5, 1), ("1.信访举报投诉类申请", 1, 1)],
        "not_processed_repeated" => vec![("2.重复申请", 1, 1)],
        "not_processed_publication" => vec![("3.要求提供公开出版物", 1, 1)],
        "not_processed_excessive" => vec![("4.无正当理由大量反复申请", 1, 1)],
        "not_processed_confirmation" => {
            vec![("5.要求行政机关确认或重新出具已获取信息", 1, 1)]
        }
        "other_no_correction" => vec![
            ("（六）其他处理", 3, 1),
            (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                1,
                1,
            ),
        ],
        "other_unpaid_fee" => vec![(
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            1,
            1,
        )],
        "other_other" => vec![("3.其他", 1, 1)],
        "other" => vec![("（六）其他处理", 1, 2)],
        "total_processed" => vec![("（七）总计", 1, 2)],
        "carried_forward" => vec![("四、结转下年度继续办理", 1, 3)],
        _ => vec![],
    }
}

/// The group label a rowspanned label stands for on the rows below its first.
fn group_of(key: &str) -> Option<&'static str> {
    match key {
        k if k.starts_with("denied_") => Some("（三）不予公开"),
        k if k.starts_with("unavailable_") => Some("（四）无法提供"),
        k if k.starts_with("not_processed_") => Some("（五）不予处理"),
        "other_no_correction" | "other_unpaid_fee" | "other_other" => Some("（六）其他处理"),
        _ => None,
    }
}

fn is_result(key: &str) -> bool {
    !matches!(key, "new_received" | "carried_over" | "carried_forward")
}

/// The header rows of table 三.
pub fn requests_header() -> Vec<Vec<FormCell>> {
    vec![
        vec![
            label(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            ),
            label("申请人情况", 1, 7),
        ],
        vec![
            label("自然人", 2, 1),
            label("法人或其他组织", 1, 5),
            label("总计", 2, 1),
        ],
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]
        .iter()
        .map(|h| label(h, 1, 1))
        .collect(),
    ]
}

/// Table 三 of `report`.
pub fn requests(report: &Report, labels: Labels) -> FormTable {
    let t = report.tables.requests.as_ref();
    let mut rows = requests_header();
    for key in printed_request_rows(report.layout) {
        let mut row: Vec<FormCell> = match labels {
            Labels::Merged => request_labels(key, report.layout)
                .into_iter()
                .map(|(s, r, c)| label(s, r, c))
                .collect(),
            Labels::Repeated => {
                let mut path: Vec<&str> = Vec::new();
                if is_result(key) {
                    path.push("三、本年度办理结果");
                }
                if let Some(g) = group_of(key) {
                    path.push(g);
                }
                let own = request_labels(key, report.layout)
                    .last()
                    .map(|l| l.0)
                    .unwrap_or("");
                if !path.contains(&own) {
                    path.push(own);
                }
                let n = path.len();
                path.iter()
                    .enumerate()
                    .map(|(i, s)| label(s, 1, if i + 1 == n { 4 - n } else { 1 }))
                    .collect()
            }
        };
        if let Some(t) = t {
            row.extend(printed_row(t, key).iter().map(|v| value(v, 1)));
        }
        rows.push(row);
    }
    FormTable {
        name: TableName::Requests,
        cols: 10,
        header_rows: 3,
        rows,
    }
}

/// One block of table 二: caption, header cells, (label, row key).
type Block = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

const ACTIVE_2021: &[Block] = &[
    (
        "第二十条第（一）项",
        &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        &[
            ("规章", "regulations"),
            ("行政规范性文件", "normative_documents"),
        ],
    ),
    (
        "第二十条第（五）项",
        &["信息内容", "本年处理决定数量"],
        &[("行政许可", "licensing")],
    ),
    (
        "第二十条第（六）项",
        &["信息内容", "本年处理决定数量"],
        &[("行政处罚", "punishment"), ("行政强制", "coercion")],
    ),
    (
        "第二十条第（八）项",
        &["信息内容", "本年收费金额（单位：万元）"],
        &[("行政事业性收费", "fees")],
    ),
];

const ACTIVE_2019: &[Block] = &[
    (
        "第二十条第（一）项",
        &[
            "信息内容",
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
        ],
        &[
            ("规章", "regulations"),
            ("规范性文件", "normative_documents"),
        ],
    ),
    (
        "第二十条第（五）项",
        &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        &[
            ("行政许可", "licensing"),
            ("其他对外管理服务事项", "other_services"),
        ],
    ),
    (
        "第二十条第（六）项",
        &["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        &[("行政处罚", "punishment"), ("行政强制", "coercion")],
    ),
    (
        "第二十条第（八）项",
        &["信息内容", "上一年项目数量", "本年增/减"],
        &[("行政事业性收费", "fees")],
    ),
    (
        "第二十条第（九）项",
        &["信息内容", "采购项目数量", "采购总金额"],
        &[("政府集中采购", "procurement")],
    ),
];

/// Table 二 of `report` (4 grid columns; the last cell of a short row spans the rest).
pub fn active(report: &Report) -> FormTable {
    let blocks = if report.layout.format() == Format::F2019 {
        ACTIVE_2019
    } else {
        ACTIVE_2021
    };
    let t = report.tables.active.as_ref();
    let mut rows = Vec::new();
    for (caption, header, items) in blocks {
        rows.push(vec![label(caption, 1, 4)]);
        let n = header.len();
        rows.push(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| label(h, 1, if i + 1 == n { 5 - n } else { 1 }))
                .collect(),
        );
        for (text, key) in *items {
            let mut row = vec![label(text, 1, 1)];
            let vals = t.map(|t| printed_row(t, key)).unwrap_or_default();
            let k = vals.len();
            row.extend(
                vals.iter()
                    .enumerate()
                    .map(|(i, v)| value(v, if i + 1 == k { 4 - k } else { 1 })),
            );
            rows.push(row);
        }
    }
    FormTable {
        name: TableName::Active,
        cols: 4,
        header_rows: 0,
        rows,
    }
}

const APPEAL_HEADS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Table 四 of `report`.
pub fn appeals(report: &Report) -> FormTable {
    let mut rows = vec![
        vec![label("行政复议", 1, 5), label("行政诉讼", 1, 10)],
        APPEAL_HEADS
            .iter()
            .map(|h| label(h, 2, 1))
            .chain([label("未经复议直接起诉", 1, 5), label("复议后起诉", 1, 5)])
            .collect(),
        APPEAL_HEADS
            .iter()
            .chain(APPEAL_HEADS.iter())
            .map(|h| label(h, 1, 1))
            .collect(),
    ];
    let t = report.tables.appeals.as_ref();
    rows.push(
        ["review", "litigation_direct", "litigation_after_review"]
            .iter()
            .flat_map(|g| t.map(|t| printed_row(t, g)).unwrap_or_default())
            .map(|v| value(&v, 1))
            .collect(),
    );
    FormTable {
        name: TableName::Appeals,
        cols: 15,
        header_rows: 3,
        rows,
    }
}

/// The grid of a form table: `slots[r][c]` = (row, index) of the cell covering it, and whether
/// the cell starts there.
pub fn occupancy(t: &FormTable) -> Vec<Vec<Option<(usize, usize, bool)>>> {
    let mut grid: Vec<Vec<Option<(usize, usize, bool)>>> = vec![vec![None; t.cols]; t.rows.len()];
    for (r, row) in t.rows.iter().enumerate() {
        let mut c = 0;
        for (i, cell) in row.iter().enumerate() {
            while c < t.cols && grid[r][c].is_some() {
                c += 1;
            }
            for dr in 0..cell.rowspan {
                for dc in 0..cell.colspan {
                    if let Some(slot) = grid.get_mut(r + dr).and_then(|g| g.get_mut(c + dc)) {
                        *slot = Some((r, i, dr == 0 && dc == 0));
                    }
                }
            }
            c += cell.colspan;
        }
    }
    grid
}

/// The prose sections around the tables.
pub const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// A paragraph of prose (no table numbers in it).
pub const PROSE: &str = "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，\
坚持以公开为常态、不公开为例外，不断完善政府信息公开工作机制，持续加大主动公开力度，\
依法规范做好依申请公开工作，切实保障人民群众的知情权、参与权、表达权和监督权。";
