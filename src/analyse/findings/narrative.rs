//! `narrative_mismatch`: the report's prose states a number its own table contradicts.
//!
//! Takes a report's text and its parsed [`Tables`]; gives the findings. Two steps, each public
//! so that tests (and a UI showing what the prose says) can use them apart:
//!
//! 1. [`claims`]: what the prose states. The text is cut into prose sentences (tables
//!    dropped, PDF line wraps joined), and each count of applications or cases (`42件`,
//!    `十二件`, `2 2 件`) that the words around it tie to a cell becomes a [`Claim`]: requests
//!    received, carried over, granted, partially granted, refused (the 不予公开 group or one
//!    reason), unavailable, not processed, other processing, processed, carried forward — by
//!    applicant kind where the sentence says so — and the 行政复议/行政诉讼 totals and
//!    results. How a sentence is read, and what is never read, is described in `reading.rs`.
//! 2. [`check`]: each claim against the table. A claim names its cell (or the sum of cells
//!    a group stands for, see [`CellPath`]), the other cells an ambiguous sentence may mean
//!    (`readings`: 办理 is received or processed), and the totals some reports legitimately
//!    state instead (`tolerated`: 受理 749 件 counting the 36 carried over). Nothing is raised
//!    when the value matches any of them, or when the table leaves every cell of the path blank.
//!
//! **Precision first.** A mismatch is a `warning` only when the sentence ties to one quantity
//! — one cell, one sum, or several readings that all hold the same value — and neither names a
//! wider or other scope (全市, 各部门, 本级) nor is contradicted by another sentence stating
//! the table's value for the same cell; otherwise it is a `notice`. Counts the reader cannot
//! tie to a cell raise nothing.
//!
//! Table values: blank cells count as 0 inside a sum; a blank 总计 cell is the sum of its row
//! (Shanghai 2019 leaves the 总计 column blank); a path whose every cell is blank has no value.

mod keywords;
mod numbers;
mod reading;
mod sentences;

use crate::model::{
    CellPath, Finding, Number, Severity, Table, TableName, Tables, What, REQUEST_COLUMNS,
    REQUEST_COLUMN_LABELS,
};
use keywords::{DENIED, LITIGATION, NOT_PROCESSED, ORGS, OTHER, UNAVAILABLE};

/// A number the prose states, and the cell it states it for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The cell (or sum of cells) the sentence names.
    pub cell: CellPath,
    /// Other cells the sentence may equally mean (empty when it is unambiguous).
    pub readings: Vec<CellPath>,
    /// Totals a report may state instead without being wrong (受理 including 上年结转).
    pub tolerated: Vec<CellPath>,
    /// The number stated.
    pub value: i64,
    /// The sentence names a scope (全市, 各部门, 本级) that may not be the table's.
    pub scoped: bool,
    /// The sentence as printed.
    pub sentence: String,
}

/// The prose of `text`: its sentences as printed, tables and page footers dropped, PDF line
/// wraps joined, one sentence per line.
pub fn prose(text: &str) -> String {
    sentences::sentences(text)
        .into_iter()
        .map(|s| s.printed)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the prose of `text` states about table cells, sentence by sentence.
pub fn claims(text: &str) -> Vec<Claim> {
    reading::read(&sentences::sentences(text))
}

/// The `narrative_mismatch` findings of `text` against `tables`.
pub fn findings(text: &str, tables: &Tables) -> Vec<Finding> {
    check(&claims(text), tables)
}

/// Compares each claim with `tables`; see the module doc for severities.
pub fn check(claims: &[Claim], tables: &Tables) -> Vec<Finding> {
    let mut agreed: Vec<&CellPath> = Vec::new();
    let mut mismatches: Vec<(&Claim, i64, bool)> = Vec::new();
    for claim in claims {
        let Some(table) = table_value(tables, &claim.cell) else {
            continue;
        };
        let readings: Vec<Option<i64>> = claim
            .readings
            .iter()
            .map(|p| table_value(tables, p))
            .collect();
        let matches = table == claim.value
            || readings.contains(&Some(claim.value))
            || claim
                .tolerated
                .iter()
                .any(|p| table_value(tables, p) == Some(claim.value));
        if matches {
            agreed.push(&claim.cell);
            continue;
        }
        let tied = readings.iter().all(|r| r.is_none_or(|r| r == table));
        mismatches.push((claim, table, tied));
    }
    let mut out: Vec<Finding> = Vec::new();
    for (claim, table, tied) in mismatches {
        let contradicted = agreed.contains(&&claim.cell);
        let severity = if tied && !claim.scoped && !contradicted {
            Severity::Warning
        } else {
            Severity::Notice
        };
        let f = Finding {
            severity,
            detail: detail(claim, table, tables),
            what: What::NarrativeMismatch {
                cell: claim.cell.clone(),
                text_value: claim.value,
                table_value: table,
                sentence: claim.sentence.clone(),
            },
        };
        if !out.iter().any(|o| same_mismatch(o, &f)) {
            out.push(f);
        }
    }
    out
}

fn same_mismatch(a: &Finding, b: &Finding) -> bool {
    match (&a.what, &b.what) {
        (
            What::NarrativeMismatch {
                cell: c1,
                text_value: v1,
                ..
            },
            What::NarrativeMismatch {
                cell: c2,
                text_value: v2,
                ..
            },
        ) => c1 == c2 && v1 == v2,
        _ => false,
    }
}

/// The value of `path` in `tables`: the sum of its cells, blank cells 0, a blank 总计 the sum
/// of its row; `None` when the table is absent or every cell of the path is blank.
pub fn table_value(tables: &Tables, path: &CellPath) -> Option<i64> {
    let table = tables.get(path.table)?;
    let mut sum: Option<i64> = None;
    for row in &path.rows {
        if !table.schema().iter().any(|s| s.key == *row) {
            continue;
        }
        for col in &path.columns {
            if let Some(v) = cell_value(table, row, col) {
                sum = Some(sum.unwrap_or(0).checked_add(v)?);
            }
        }
    }
    sum
}

/// A cell's integer value; a blank 总计 as the sum of the row's other cells.
fn cell_value(table: &Table, row: &str, col: &str) -> Option<i64> {
    if let Some(n) = table.value(row, col) {
        return integer(n);
    }
    if col != "total" {
        return None;
    }
    let spec = table.schema().iter().find(|s| s.key == row)?;
    let mut sum: Option<i64> = None;
    for c in spec.columns.iter().filter(|c| **c != "total") {
        if let Some(v) = table.value(row, c).and_then(integer) {
            sum = Some(sum.unwrap_or(0).checked_add(v)?);
        }
    }
    sum
}

fn integer(n: Number) -> Option<i64> {
    match n {
        Number::Int(i) => Some(i),
        Number::Decimal(d) if d.fract() == 0.0 && d.abs() < 1e15 => Some(d as i64),
        Number::Decimal(_) => None,
    }
}

/// One Chinese sentence: what the prose says, what the table says.
fn detail(claim: &Claim, table: i64, tables: &Tables) -> String {
    let which = match claim.cell.table {
        TableName::Appeals => "四",
        _ => "三",
    };
    let mut s = format!(
        "正文称{}为{}件，表{which}中为{table}件",
        describe(&claim.cell),
        claim.value
    );
    for r in &claim.readings {
        if let Some(v) = table_value(tables, r) {
            s.push_str(&format!("（若指{}，表中为{v}件）", describe(r)));
        }
    }
    if claim.scoped {
        s.push_str("；正文所述范围可能与表格不同");
    }
    s.push('。');
    s
}

/// The Chinese name of the cells `path` stands for.
pub fn describe(path: &CellPath) -> String {
    match path.table {
        TableName::Appeals => {
            let group = match path.rows.as_slice() {
                ["review"] => "行政复议",
                ["litigation_direct"] => "未经复议直接起诉的行政诉讼",
                ["litigation_after_review"] => "复议后起诉的行政诉讼",
                rows if rows == LITIGATION => "行政诉讼",
                _ => "行政复议和行政诉讼",
            };
            let col = match path.columns.as_slice() {
                ["upheld"] => "结果维持",
                ["corrected"] => "结果纠正",
                ["other"] => "其他结果",
                ["pending"] => "尚未审结",
                _ => "总数",
            };
            format!("{group}{col}")
        }
        _ => {
            let rows = request_rows(&path.rows);
            let cols = match path.columns.as_slice() {
                ["total"] => String::new(),
                cols if cols == ORGS => "（法人或其他组织）".to_string(),
                cols => format!(
                    "（{}）",
                    cols.iter()
                        .filter_map(|c| {
                            let i = REQUEST_COLUMNS.iter().position(|k| k == c)?;
                            REQUEST_COLUMN_LABELS.get(i).copied()
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            };
            format!("{rows}{cols}")
        }
    }
}

fn request_rows(rows: &[&'static str]) -> String {
    match rows {
        r if r == DENIED => "不予公开".into(),
        r if r == UNAVAILABLE => "无法提供".into(),
        r if r == NOT_PROCESSED => "不予处理".into(),
        r if r == OTHER => "其他处理".into(),
        ["granted", "partially_granted"] => "予以公开和部分公开".into(),
        ["new_received", "carried_over"] => "本年新收和上年结转申请".into(),
        ["new_received"] => "本年新收政府信息公开申请".into(),
        ["carried_over"] => "上年结转申请".into(),
        ["total_processed"] => "本年度办理结果总计".into(),
        ["carried_forward"] => "结转下年度继续办理".into(),
        rows => rows
            .iter()
            .filter_map(|r| {
                let spec = crate::model::REQUESTS.iter().find(|s| s.key == *r)?;
                Some(strip_numbering(spec.label))
            })
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// A form label without its numbering: （三）1.属于国家秘密 → 属于国家秘密.
fn strip_numbering(label: &str) -> &str {
    let mut s = label;
    if let Some(i) = s.find('）') {
        s = &s[i + '）'.len_utf8()..];
    }
    let digits = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if digits.len() < s.len() {
        s = digits;
    }
    s
}

#[cfg(test)]
mod tests;
