//! Logical rows → the three tables: which rows belong to which table, which row key each label
//! names, which column each value goes to, and the report's format.
//!
//! Rows are walked once with a zone that only moves forward (before → `active` → `requests` →
//! `appeals` → after), switched by anchors: the 第二十条 captions and `active` headers, the
//! 勾稽关系/申请人情况 header or a `requests` row, the 行政复议/行政诉讼 header, and the 五、/六、
//! headings. Prose outside the zones is never read as a row; inside them, rows are matched on
//! their labels (`labels.rs`), values assigned in printed order, and rows that lost cells handed
//! to `infer.rs`. The `requests` table has its own reader (`requests.rs`); the helpers shared
//! with it live here.

use super::cells::{self, active_unit, Unit};
use super::colmajor::{self, ColumnMajor};
use super::infer::{self, Mode, Short};
use super::labels::{
    active_format_votes, active_row, active_rows_in, is_active_anchor, is_appeals_anchor,
    is_appeals_header, is_header_label, is_requests_anchor, is_tables_end, requests_row,
};
use super::requests::read_requests;
use super::rows::{Field, Layout, RawRow};
use crate::model::{Cell, Doubt, Format, Table, TableName, Tables, APPEALS, APPEAL_COLUMNS};

/// The tables found in one report's rows.
#[derive(Debug, Default)]
pub(crate) struct Assembled {
    /// The tables (None where not found).
    pub tables: Tables,
    /// The layout, from the labels; `None` when no table was found.
    pub format: Option<Format>,
    /// Things a reader should know.
    pub warnings: Vec<String>,
    /// True when table anchors were seen at all (even if no table could be read).
    pub anchors: bool,
    /// Cells, rows and tables read with less than full certainty.
    pub doubts: Vec<Doubt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Before,
    Active,
    Requests,
    Appeals,
    After,
}

/// Most rows read per table (real ones have under 60; this bounds the work on junk input).
const MAX_ZONE_ROWS: usize = 1000;

/// Short enough and free of sentence punctuation: a heading or a table cell, not prose.
fn heading_like(label: &str) -> bool {
    label.chars().count() <= 40 && !label.contains('。') && !label.contains(',')
}

/// Finds and reads the tables in `rows`.
pub(crate) fn assemble(rows: &[RawRow]) -> Assembled {
    let mut zone = Zone::Before;
    let mut buckets: [Vec<&RawRow>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut anchors = false;
    let mut appeals_values = false;
    for row in rows {
        let l = row.label.as_str();
        let heading = heading_like(l);
        let appeals_read = appeals_values;
        let in_tables = zone >= Zone::Active && zone < Zone::After;
        if in_tables
            && (zone == Zone::Appeals && row.table_start && appeals_read
                || heading && is_tables_end(l))
        {
            zone = Zone::After;
        }
        if zone >= Zone::Appeals || l.is_empty() {
            // Nothing to switch to.
        } else if heading
            && (is_appeals_header(l) || zone >= Zone::Requests && is_appeals_anchor(l))
        {
            zone = Zone::Appeals;
            anchors = true;
        } else if zone < Zone::Requests && (l.contains("勾稽") || heading && is_requests_anchor(l))
        {
            zone = Zone::Requests;
            anchors = true;
        } else if zone == Zone::Before && heading && is_active_anchor(l) {
            zone = Zone::Active;
            anchors = true;
        } else if zone == Zone::Active && !row.values.is_empty() && requests_row(l, None).is_some()
        {
            zone = Zone::Requests;
        }
        match zone {
            Zone::Active => buckets[0].push(row),
            Zone::Requests => buckets[1].push(row),
            Zone::Appeals => {
                appeals_values |= row.values.len() >= 5;
                buckets[2].push(row);
            }
            Zone::Before | Zone::After => {}
        }
    }
    let mut warnings = Vec::new();
    for (bucket, name) in buckets.iter_mut().zip(["active", "requests", "appeals"]) {
        if bucket.len() > MAX_ZONE_ROWS {
            warnings.push(format!(
                "{name}: {} rows, only the first {MAX_ZONE_ROWS} read",
                bucket.len()
            ));
            bucket.truncate(MAX_ZONE_ROWS);
        }
    }
    let active = read_active(&buckets[0], &mut warnings);
    let requests = read_requests(&buckets[1], &mut warnings);
    let appeals = read_appeals(&buckets[2], &mut warnings);
    let format = match (&active, &requests) {
        (Some(a), _) => Some(a.format),
        (None, Some(r)) if r.single_other && !r.sub_rows => Some(Format::F2019),
        (None, Some(_)) => Some(Format::F2021),
        (None, None) => appeals.as_ref().map(|_| Format::F2021),
    };
    let mut tables = Tables {
        active,
        requests: requests.map(|r| {
            if r.single_other && !r.sub_rows && format == Some(Format::F2021) {
                warnings.push(
                    "requests: （六）其他处理 printed as one row (2019 label set in a 2021 table); \
                     its value is kept under `other`"
                        .to_string(),
                );
            }
            r.table
        }),
        appeals,
    };
    if let Some(f) = format {
        for t in [&mut tables.requests, &mut tables.appeals]
            .into_iter()
            .flatten()
        {
            t.format = f;
        }
    }
    let slots = [
        &mut tables.active,
        &mut tables.requests,
        &mut tables.appeals,
    ];
    for (slot, bucket) in slots.into_iter().zip(&buckets) {
        let Some(t) = slot else { continue };
        if !t.is_blank() {
            continue;
        }
        let name = t.name.as_str();
        if bucket.iter().any(|r| r.has_numbers()) {
            // Numbers printed but none landed in a cell: a layout not understood, not a template.
            warnings.push(format!(
                "{name}: numbers printed but none could be placed; table not read"
            ));
            *slot = None;
        } else {
            warnings.push(format!("template: all cells blank ({name})"));
        }
    }
    Assembled {
        tables,
        format,
        warnings,
        anchors,
        doubts: Vec::new(),
    }
}

/// The label of a row matched by `f`; failing that, the label joined with the wrapped-label
/// pieces on the lines before and after it.
pub(crate) fn match_label<T>(row: &RawRow, f: impl Fn(&str) -> Option<T>) -> Option<T> {
    if let Some(t) = f(&row.label) {
        return Some(t);
    }
    // A header row is not the end of a wrapped row label.
    if is_header_label(&row.label) {
        return None;
    }
    if !row.pre.is_empty() {
        if let Some(t) = f(&format!("{}{}", row.pre, row.label)) {
            return Some(t);
        }
    }
    if !row.post.is_empty() {
        if let Some(t) = f(&format!("{}{}", row.label, row.post)) {
            return Some(t);
        }
        if !row.pre.is_empty() {
            return f(&format!("{}{}{}", row.pre, row.label, row.post));
        }
    }
    None
}

/// Value fields with surplus trailing blanks dropped.
pub(crate) fn trimmed(values: &[Field], n: usize) -> &[Field] {
    let mut end = values.len();
    while end > n && values.get(end - 1).is_some_and(|f| f.text.is_empty()) {
        end -= 1;
    }
    values.get(..end).unwrap_or(values)
}

pub(crate) fn mode_of(layout: Layout) -> Mode {
    if layout == Layout::Spaces {
        Mode::Floating
    } else {
        Mode::Anchored
    }
}

/// Reads `fields` into `table` row `key` (units per column), or queues it as short.
pub(crate) fn fill_row(
    table: &mut Table,
    key: &'static str,
    fields: &[Field],
    layout: Layout,
    unit: impl Fn(&str) -> Unit,
    shorts: &mut Vec<Short>,
    warnings: &mut Vec<String>,
) {
    let schema = table.schema();
    let Some(r) = schema.iter().position(|s| s.key == key) else {
        return;
    };
    let columns = schema[r].columns;
    let name = table.name.as_str();
    let fields = trimmed(fields, columns.len());
    if fields.len() > columns.len() {
        let extra: Vec<&str> = fields[columns.len()..]
            .iter()
            .map(|f| f.text.as_str())
            .collect();
        warnings.push(format!(
            "{name}.{key}: {} cells printed for {} columns; ignored: {}",
            fields.len(),
            columns.len(),
            extra.join(" ")
        ));
    }
    let parsed: Vec<Cell> = fields
        .iter()
        .zip(
            columns
                .iter()
                .chain(std::iter::repeat(columns.last().unwrap_or(&""))),
        )
        .map(|(f, col)| {
            let (cell, ok) = cells::cell(&f.text, unit(col));
            if !ok {
                warnings.push(format!(
                    "{name}.{key}.{col}: unreadable cell {:?} left blank",
                    f.text
                ));
            }
            cell
        })
        .collect();
    if parsed.len() >= columns.len() {
        if let Some(row) = table.cells.get_mut(r) {
            *row = parsed.into_iter().take(columns.len()).collect();
        }
    } else {
        shorts.push(Short {
            row: key,
            fields: parsed,
            mode: mode_of(layout),
        });
    }
}

fn read_active(rows: &[&RawRow], warnings: &mut Vec<String>) -> Option<Table> {
    let (mut v21, mut v19) = (0, 0);
    for r in rows {
        let (a, b) = active_format_votes(&format!("{}{}", r.pre, r.label));
        v21 += a;
        v19 += b;
    }
    let format = if v19 > v21 {
        Format::F2019
    } else {
        Format::F2021
    };
    let mut table = Table::empty(TableName::Active, format);
    let schema = table.schema();
    let columns = |key: &str| {
        schema
            .iter()
            .find(|s| s.key == key)
            .map_or(0, |s| s.columns.len())
    };
    match colmajor::decode(rows, 3, &|t| active_rows_in(t, schema), &columns) {
        ColumnMajor::No => {}
        ColumnMajor::Blocks(blocks) => {
            let mut shorts = Vec::new();
            for (key, fields) in blocks.into_iter().flatten() {
                let unit = |col: &str| active_unit(key, col);
                fill_row(
                    &mut table,
                    key,
                    &fields,
                    Layout::Grid,
                    unit,
                    &mut shorts,
                    warnings,
                );
            }
            warnings.push("active: printed column by column; cells dealt out by count".to_string());
            return Some(table);
        }
        ColumnMajor::Failed(why) => {
            warnings.push(format!(
                "active: printed column by column, but {why}; table not read"
            ));
            return None;
        }
    }
    let mut found = false;
    let mut filled: Vec<&str> = Vec::new();
    let mut shorts = Vec::new();
    for row in rows {
        let Some(key) = match_label(row, active_row) else {
            continue;
        };
        if !table.schema().iter().any(|s| s.key == key) {
            if row.has_numbers() {
                warnings.push(format!(
                    "active: row {key} is not part of the {} layout; ignored",
                    format.as_str()
                ));
            }
            continue;
        }
        found = true;
        if row.values.is_empty() {
            continue;
        }
        if filled.contains(&key) {
            if row.has_numbers() {
                warnings.push(format!(
                    "active.{key}: printed twice; the first row is kept"
                ));
            }
            continue;
        }
        filled.push(key);
        fill_row(
            &mut table,
            key,
            &row.values,
            row.layout,
            |col| active_unit(key, col),
            &mut shorts,
            warnings,
        );
    }
    infer::resolve(&mut table, shorts, warnings);
    found.then_some(table)
}

fn read_appeals(rows: &[&RawRow], warnings: &mut Vec<String>) -> Option<Table> {
    let header = rows
        .iter()
        .any(|r| is_appeals_header(&r.label) || is_appeals_header(&r.pre));
    let n = APPEALS.len() * APPEAL_COLUMNS.len();
    let best = rows
        .iter()
        .filter(|r| !r.values.is_empty())
        .max_by_key(|r| {
            (
                trimmed(&r.values, n)
                    .iter()
                    .filter(|f| !f.text.is_empty())
                    .count(),
                r.values.len(),
            )
        });
    let mut table = Table::empty(TableName::Appeals, Format::F2021);
    let Some(best) = best else {
        return header.then_some(table);
    };
    let values = trimmed(&best.values, n);
    if !header && values.len() < 12 {
        return None;
    }
    let printed: Vec<Cell> = values
        .iter()
        .map(|f| {
            let (cell, ok) = cells::cell(&f.text, Unit::Count);
            if !ok {
                warnings.push(format!("appeals: unreadable cell {:?} left blank", f.text));
            }
            cell
        })
        .collect();
    if printed.len() > n {
        warnings.push(format!(
            "appeals: {} cells printed for {n}; the first {n} are used",
            printed.len()
        ));
    }
    if printed.len() >= n {
        for (i, cell) in printed.into_iter().take(n).enumerate() {
            if let Some(slot) = table
                .cells
                .get_mut(i / APPEAL_COLUMNS.len())
                .and_then(|r| r.get_mut(i % APPEAL_COLUMNS.len()))
            {
                *slot = cell;
            }
        }
        return Some(table);
    }
    // Fewer than 15: the row is placed as one 15-slot row by the three group totals.
    infer::resolve_appeals(&mut table, printed, mode_of(best.layout), warnings);
    Some(table)
}
