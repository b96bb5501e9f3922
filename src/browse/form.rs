//! The three tables of a report laid out like the official form (国办公开办函〔2021〕30号 /
//! 〔2019〕60号): the same rows and columns, the same merged headers, the rows' official labels
//! from [`crate::model`]. Cells read by a failing consistency rule are highlighted and carry
//! numbered links to the rule (with both sides) below; inferred cells are marked, and so are
//! doubted ones (a cell, row or table the parser read with less than full certainty: placed by
//! position or elimination, named by a fuzzy label, found by a fallback, implausible), with
//! the reasons in the cell's title; the raw text is shown where it differs from the value.

use std::collections::HashMap;

use maud::{html, Markup};

use crate::model::{
    Check, Doubt, Format, Origin, Table, TableName, Tables, APPEALS, APPEAL_COLUMN_LABELS,
    REQUESTS, REQUEST_COLUMNS, REQUEST_COLUMN_LABELS,
};

/// Failing checks of a report and, per cell key (`table.row.column`), the numbers (1-based)
/// of the failing checks that read it.
#[derive(Debug, Default)]
pub struct Marks<'a> {
    /// Failing checks, numbered from 1 in this order.
    pub failing: Vec<&'a Check>,
    cells: HashMap<String, Vec<usize>>,
    /// The report's doubts.
    doubts: &'a [Doubt],
}

impl<'a> Marks<'a> {
    /// Index the failing checks. `cross_year.carried_over` marks only this report's own cell
    /// (its second cell belongs to the previous year's report). Rules over many cells (sums)
    /// mark their first cell (the total) and the cells that hold something, not every blank
    /// term of the sum.
    pub fn new(checks: &'a [Check], tables: &Tables) -> Marks<'a> {
        let failing: Vec<&Check> = checks.iter().filter(|c| !c.ok).collect();
        let mut cells: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in failing.iter().enumerate() {
            let own = if c.rule.starts_with("cross_year.") {
                &c.cells[..c.cells.len().min(1)]
            } else {
                &c.cells[..]
            };
            for (k, key) in own.iter().enumerate() {
                if own.len() > 4 && k > 0 && is_blank(tables, key) {
                    continue;
                }
                cells.entry(key.clone()).or_default().push(i + 1);
            }
        }
        Marks {
            failing,
            cells,
            doubts: &[],
        }
    }

    /// The same marks, with the report's doubts marking the cells they cover.
    pub fn doubted(self, doubts: &'a [Doubt]) -> Marks<'a> {
        Marks { doubts, ..self }
    }

    /// The doubts covering cell (`table`, `row`, `col`).
    fn doubts_of(&self, table: TableName, row: &str, col: &str) -> Vec<&'a Doubt> {
        self.doubts
            .iter()
            .filter(|d| d.covers(table, row, col))
            .collect()
    }

    fn of(&self, key: &str) -> &[usize] {
        self.cells.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Whether the cell `table.row.column` is empty (no value, no printed text) or absent.
fn is_blank(tables: &Tables, key: &str) -> bool {
    let mut parts = key.splitn(3, '.');
    let (Some(t), Some(row), Some(col)) = (parts.next(), parts.next(), parts.next()) else {
        return true;
    };
    let cell = TableName::parse(t)
        .and_then(|t| tables.get(t))
        .and_then(|t| t.get(row, col));
    cell.is_none_or(|c| c.value.is_none() && c.raw.trim().is_empty())
}

struct Block {
    caption: &'static str,
    headers: &'static [&'static str],
    rows: &'static [&'static str],
}

const ACTIVE_2021_BLOCKS: &[Block] = &[
    Block {
        caption: "第二十条第（一）项",
        headers: &["本年制发件数", "本年废止件数", "现行有效件数"],
        rows: &["regulations", "normative_documents"],
    },
    Block {
        caption: "第二十条第（五）项",
        headers: &["本年处理决定数量"],
        rows: &["licensing"],
    },
    Block {
        caption: "第二十条第（六）项",
        headers: &["本年处理决定数量"],
        rows: &["punishment", "coercion"],
    },
    Block {
        caption: "第二十条第（八）项",
        headers: &["本年收费金额（单位：万元）"],
        rows: &["fees"],
    },
];

const ITEMS_2019: &[&str] = &["上一年项目数量", "本年增/减", "处理决定数量"];
const ACTIVE_2019_BLOCKS: &[Block] = &[
    Block {
        caption: "第二十条第（一）项",
        headers: &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        rows: &["regulations", "normative_documents"],
    },
    Block {
        caption: "第二十条第（五）项",
        headers: ITEMS_2019,
        rows: &["licensing", "other_services"],
    },
    Block {
        caption: "第二十条第（六）项",
        headers: ITEMS_2019,
        rows: &["punishment", "coercion"],
    },
    Block {
        caption: "第二十条第（八）项",
        headers: &["上一年项目数量", "本年增/减"],
        rows: &["fees"],
    },
    Block {
        caption: "第二十条第（九）项",
        headers: &["采购项目数量", "采购总金额"],
        rows: &["procurement"],
    },
];

/// Value columns of the `active` grid.
const ACTIVE_COLS: usize = 3;

/// The table in its official layout.
pub fn table(t: &Table, marks: &Marks<'_>) -> Markup {
    match t.name {
        TableName::Active => active(t, marks),
        TableName::Requests => requests(t, marks),
        TableName::Appeals => appeals(t, marks),
    }
}

fn cell(t: &Table, row: &str, col: &str, colspan: usize, marks: &Marks<'_>) -> Markup {
    let key = format!("{}.{row}.{col}", t.name.as_str());
    let c = t.get(row, col);
    let value = c.and_then(|c| c.value);
    let raw = c.map(|c| c.raw.trim()).unwrap_or("");
    let inferred = c.is_some_and(|c| c.origin == Origin::Inferred);
    let fails = marks.of(&key);
    let doubts = marks.doubts_of(t.name, row, col);
    let mut class = Vec::new();
    if value.is_none() {
        class.push("blank");
    }
    if inferred {
        class.push("inferred");
    }
    if !doubts.is_empty() {
        class.push("doubted");
    }
    if !fails.is_empty() {
        class.push("fail");
    }
    let shown = value.map(|v| v.to_string());
    let mut title = format!("{key} · {}", cell_label(&key));
    if !raw.is_empty() {
        title.push_str(&format!(" · printed: {raw}"));
    }
    if inferred {
        title.push_str(" · inferred from the table's identities");
    }
    for d in &doubts {
        title.push_str(&format!(" · 疑 {}: {}", d.kind.as_str(), d.detail));
    }
    for n in fails {
        if let Some(c) = marks.failing.get(n - 1) {
            title.push_str(&format!(" · ✗ {}: {} ≠ {}", c.rule, c.left, c.right));
        }
    }
    html! {
        td class=(class.join(" ")) colspan=[(colspan > 1).then_some(colspan)] title=(title) data-cell=(key) {
            @match &shown {
                Some(v) => (v),
                None if raw.is_empty() => "",
                None => span.raw { (raw) },
            }
            @if inferred { sup { "推" } }
            @if !doubts.is_empty() { sup.doubt { "疑" } }
            @for n in fails {
                sup { a href={ "#check-" (n) } { (n) } }
            }
            @if let Some(v) = &shown {
                @if !raw.is_empty() && raw != v.as_str() { span.raw { (raw) } }
            }
        }
    }
}

fn label_of(t: &Table, row: &str) -> &'static str {
    t.schema()
        .iter()
        .find(|r| r.key == row)
        .map(|r| r.label)
        .unwrap_or("")
}

fn active(t: &Table, marks: &Marks<'_>) -> Markup {
    let blocks = if t.format == Format::F2019 {
        ACTIVE_2019_BLOCKS
    } else {
        ACTIVE_2021_BLOCKS
    };
    html! {
        table.form {
            @for b in blocks {
                tr { th.caption colspan=(ACTIVE_COLS + 1) { (b.caption) } }
                tr {
                    th { "信息内容" }
                    @for (i, h) in b.headers.iter().enumerate() {
                        @let span = if i + 1 == b.headers.len() { ACTIVE_COLS + 1 - b.headers.len() } else { 1 };
                        th colspan=[(span > 1).then_some(span)] { (h) }
                    }
                }
                @for row in b.rows {
                    @let cols = t.schema().iter().find(|r| r.key == *row).map(|r| r.columns).unwrap_or(&[]);
                    tr {
                        th.label { (label_of(t, row)) }
                        @for (i, col) in cols.iter().enumerate() {
                            @let span = if i + 1 == cols.len() { ACTIVE_COLS + 1 - cols.len() } else { 1 };
                            (cell(t, row, col, span, marks))
                        }
                    }
                }
            }
        }
    }
}

/// How a `requests` row is labelled: its group under 三、本年度办理结果 (if any) and its own label.
fn request_label(key: &str) -> (Option<&'static str>, &'static str) {
    let label = REQUESTS
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.label)
        .unwrap_or("");
    let group = if key.starts_with("denied_") {
        Some("（三）不予公开")
    } else if key.starts_with("unavailable_") {
        Some("（四）无法提供")
    } else if key.starts_with("not_processed_") {
        Some("（五）不予处理")
    } else if key.starts_with("other_") {
        Some("（六）其他处理")
    } else {
        None
    };
    let label = match (group, label.find('）')) {
        (Some(_), Some(i)) => &label[i + '）'.len_utf8()..],
        _ if key == "partially_granted" => {
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        }
        _ => label,
    };
    (group, label)
}

/// Rows under 三、本年度办理结果.
fn is_result_row(key: &str) -> bool {
    !matches!(key, "new_received" | "carried_over" | "carried_forward")
}

/// The rows a report prints: `other` as one row (2019, or a 2021 report that kept 2019's
/// single row), the three `other_*` rows otherwise; both when both hold something.
fn visible_request_rows(t: &Table) -> Vec<&'static str> {
    let filled = |key: &str| {
        REQUEST_COLUMNS.iter().any(|c| {
            t.get(key, c)
                .is_some_and(|c| c.value.is_some() || !c.raw.trim().is_empty())
        })
    };
    let single = filled("other");
    let split = ["other_no_correction", "other_unpaid_fee", "other_other"]
        .iter()
        .any(|k| filled(k));
    let (show_single, show_split) = match t.format {
        Format::F2019 => (true, split),
        _ => (single, split || !single),
    };
    REQUESTS
        .iter()
        .map(|r| r.key)
        .filter(|k| match *k {
            "other" => show_single,
            k if k.starts_with("other_") => show_split,
            _ => true,
        })
        .collect()
}

fn requests(t: &Table, marks: &Marks<'_>) -> Markup {
    let rows = visible_request_rows(t);
    let results = rows.iter().filter(|k| is_result_row(k)).count();
    let mut seen_results = false;
    let mut seen_groups: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for key in &rows {
        let (group, label) = request_label(key);
        let first_result = is_result_row(key) && !std::mem::replace(&mut seen_results, true);
        let group_head = group.filter(|g| !seen_groups.contains(g)).map(|g| {
            seen_groups.push(g);
            (
                g,
                rows.iter()
                    .filter(|k| request_label(k).0 == Some(g))
                    .count(),
            )
        });
        out.push(html! {
            tr {
                @if !is_result_row(key) {
                    th.label colspan="3" { (label) }
                } @else {
                    @if first_result { th.label rowspan=(results) { "三、本年度办理结果" } }
                    @if let Some((g, n)) = group_head { th.label rowspan=(n) { (g) } }
                    @if group.is_some() { th.label { (label) } } @else { th.label colspan="2" { (label) } }
                }
                @for col in REQUEST_COLUMNS { (cell(t, key, col, 1, marks)) }
            }
        });
    }
    html! {
        table.form {
            tr {
                th colspan="3" rowspan="3" { "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" }
                th colspan="7" { "申请人情况" }
            }
            tr { th rowspan="2" { "自然人" } th colspan="5" { "法人或其他组织" } th rowspan="2" { "总计" } }
            tr { @for h in &REQUEST_COLUMN_LABELS[1..6] { th { (h) } } }
            @for r in out { (r) }
        }
    }
}

fn appeals(t: &Table, marks: &Marks<'_>) -> Markup {
    html! {
        table.form {
            tr { th colspan="5" { "行政复议" } th colspan="10" { "行政诉讼" } }
            tr {
                @for h in APPEAL_COLUMN_LABELS { th rowspan="2" { (h) } }
                th colspan="5" { "未经复议直接起诉" }
                th colspan="5" { "复议后起诉" }
            }
            tr { @for _ in 0..2 { @for h in APPEAL_COLUMN_LABELS { th { (h) } } } }
            tr { @for g in APPEALS { @for col in g.columns { (cell(t, g.key, col, 1, marks)) } } }
        }
    }
}

/// A cell key (`requests.granted.total`) in words: row label · column label.
pub fn cell_label(key: &str) -> String {
    let mut parts = key.splitn(3, '.');
    let (Some(tbl), Some(row), Some(col)) = (parts.next(), parts.next(), parts.next()) else {
        return key.to_string();
    };
    match tbl {
        "requests" => {
            let row = REQUESTS
                .iter()
                .find(|r| r.key == row)
                .map(|r| r.label)
                .unwrap_or(row);
            let col = REQUEST_COLUMNS
                .iter()
                .position(|c| *c == col)
                .and_then(|i| REQUEST_COLUMN_LABELS.get(i))
                .copied()
                .unwrap_or(col);
            format!("{row} · {col}")
        }
        "appeals" => {
            let row = APPEALS
                .iter()
                .find(|r| r.key == row)
                .map(|r| r.label)
                .unwrap_or(row);
            let col = crate::model::APPEAL_COLUMNS
                .iter()
                .position(|c| *c == col)
                .and_then(|i| APPEAL_COLUMN_LABELS.get(i))
                .copied()
                .unwrap_or(col);
            format!("{row} · {col}")
        }
        _ => {
            let label = crate::model::ACTIVE_2021
                .iter()
                .chain(crate::model::ACTIVE_2019)
                .find(|r| r.key == row)
                .map(|r| r.label)
                .unwrap_or(row);
            format!("{label} · {col}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Number};

    fn set(t: &mut Table, row: &str, col: &str, raw: &str, value: Option<i64>, origin: Origin) {
        if let Some(c) = t.get_mut(row, col) {
            *c = Cell {
                raw: raw.into(),
                value: value.map(Number::Int),
                origin,
            };
        }
    }

    #[test]
    fn requests_2021_has_official_rows_and_spans() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        set(&mut t, "granted", "total", "5", Some(5), Origin::Read);
        set(
            &mut t,
            "total_processed",
            "total",
            "7",
            Some(7),
            Origin::Inferred,
        );
        let checks = vec![Check {
            rule: "requests.results_sum.total".into(),
            ok: false,
            left: Number::Int(7),
            right: Number::Int(5),
            cells: vec![
                "requests.total_processed.total".into(),
                "requests.granted.total".into(),
            ],
        }];
        let tables = Tables {
            requests: Some(t.clone()),
            ..Tables::default()
        };
        let marks = Marks::new(&checks, &tables);
        let html = table(&t, &marks).into_string();
        assert_eq!(
            html.matches("<tr>").count(),
            3 + 25,
            "three header rows and 25 data rows"
        );
        assert!(
            html.contains("rowspan=\"22\""),
            "三、本年度办理结果 spans 22 rows"
        );
        assert!(html.contains("rowspan=\"8\">（三）不予公开"));
        assert!(html.contains(">1.属于国家秘密<"));
        assert!(html.contains("class=\"inferred fail\""));
        assert!(html.contains("href=\"#check-1\""));
        assert!(
            !html.contains("（六）其他处理</th><td"),
            "2021 prints the three sub-rows"
        );
    }

    #[test]
    fn sums_mark_their_total_and_filled_terms_only() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        set(&mut t, "granted", "total", "5", Some(5), Origin::Read);
        let mut cells = vec!["requests.total_processed.total".to_string()];
        cells.extend(
            crate::model::REQUEST_RESULT_ROWS
                .iter()
                .map(|r| format!("requests.{r}.total")),
        );
        let checks = vec![Check {
            rule: "requests.results_sum.total".into(),
            ok: false,
            left: Number::Int(0),
            right: Number::Int(5),
            cells,
        }];
        let tables = Tables {
            requests: Some(t.clone()),
            ..Tables::default()
        };
        let marks = Marks::new(&checks, &tables);
        assert_eq!(
            marks.of("requests.total_processed.total"),
            [1],
            "the blank total is the problem"
        );
        assert_eq!(marks.of("requests.granted.total"), [1]);
        assert!(
            marks.of("requests.denied_state_secret.total").is_empty(),
            "blank terms stay quiet"
        );
    }

    #[test]
    fn doubted_cells_are_marked_with_their_reasons() {
        let t = Table::empty(TableName::Requests, Format::F2021);
        let doubts = vec![
            Doubt::row(
                TableName::Requests,
                "other_no_correction",
                crate::model::DoubtKind::FuzzyLabel,
                "label pieced together",
            ),
            Doubt::table(
                TableName::Appeals,
                crate::model::DoubtKind::Elimination,
                "not this table",
            ),
        ];
        let marks = Marks::new(&[], &Tables::default()).doubted(&doubts);
        let html = table(&t, &marks).into_string();
        assert_eq!(
            html.matches("doubted").count(),
            7,
            "the seven cells of the row"
        );
        assert!(html.contains("疑 fuzzy_label: label pieced together"));
        assert!(!html.contains("not this table"));
    }

    #[test]
    fn requests_2019_prints_other_as_one_row() {
        let t = Table::empty(TableName::Requests, Format::F2019);
        let html = table(&t, &Marks::default()).into_string();
        assert_eq!(html.matches("<tr>").count(), 3 + 23);
        assert!(html.contains("rowspan=\"20\""));
        assert!(html.contains("colspan=\"2\">（六）其他处理"));
    }

    #[test]
    fn active_and_appeals_layouts() {
        let mut t = Table::empty(TableName::Active, Format::F2019);
        set(
            &mut t,
            "procurement",
            "amount",
            "251000元",
            Some(251000),
            Origin::Read,
        );
        let html = table(&t, &Marks::default()).into_string();
        assert!(html.contains("第二十条第（九）项"));
        assert!(
            html.contains("251000<span class=\"raw\">251000元</span>"),
            "{html}"
        );
        let a = table(
            &Table::empty(TableName::Appeals, Format::F2021),
            &Marks::default(),
        )
        .into_string();
        assert_eq!(a.matches("<td").count(), 15);
    }

    #[test]
    fn cell_labels_are_words() {
        assert_eq!(
            cell_label("requests.granted.total"),
            "（一）予以公开 · 总计"
        );
        assert_eq!(cell_label("appeals.review.upheld"), "行政复议 · 结果维持");
        assert_eq!(cell_label("nonsense"), "nonsense");
    }
}
