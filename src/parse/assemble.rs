//! Logical rows → the three tables: which rows belong to which table, which row key each label
//! names, which column each value goes to, and the report's format.
//!
//! Rows are walked once with a zone that only moves forward (before → `active` → `requests` →
//! `appeals` → after), switched by anchors: the 第二十条 captions and `active` headers, the
//! 勾稽关系/申请人情况 header or a `requests` row, the 行政复议/行政诉讼 header, and the 五、/六、
//! headings. Prose outside the zones is never read as a row; inside them, rows are matched on
//! their labels (`labels.rs`), values assigned in printed order, and rows that lost cells handed
//! to `infer.rs`.

use super::cells::{self, active_unit, Unit};
use super::checks;
use super::colmajor::{self, ColumnMajor};
use super::infer::{self, Mode, Short};
use super::labels::{
    active_format_votes, active_row, active_rows_in, applicant_column, is_active_anchor,
    is_appeals_anchor, is_appeals_header, is_requests_anchor, is_tables_end, requests_row,
    requests_rows_in,
};
use super::rows::{Field, Layout, RawRow};
use crate::model::{
    Cell, Format, Table, TableName, Tables, APPEALS, APPEAL_COLUMNS, REQUEST_COLUMNS,
};

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
        let ends = heading && is_tables_end(l)
            || (zone == Zone::Appeals && row.table_start && appeals_read);
        if in_tables && ends {
            zone = Zone::After;
        }
        if zone < Zone::Appeals
            && (is_appeals_header(l) && heading
                || zone >= Zone::Requests && heading && is_appeals_anchor(l))
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
    for t in [&tables.active, &tables.requests, &tables.appeals]
        .into_iter()
        .flatten()
    {
        if t.is_blank() {
            warnings.push(format!("template: all cells blank ({})", t.name.as_str()));
        }
    }
    Assembled {
        tables,
        format,
        warnings,
        anchors,
    }
}

/// The label of a row matched by `f`; failing that, the label joined with the wrapped-label
/// pieces on the lines before and after it.
fn match_label<T>(row: &RawRow, f: impl Fn(&str) -> Option<T>) -> Option<T> {
    if let Some(t) = f(&row.label) {
        return Some(t);
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
fn trimmed(values: &[Field], n: usize) -> &[Field] {
    let mut end = values.len();
    while end > n && values.get(end - 1).is_some_and(|f| f.text.is_empty()) {
        end -= 1;
    }
    values.get(..end).unwrap_or(values)
}

fn mode_of(layout: Layout) -> Mode {
    if layout == Layout::Spaces {
        Mode::Floating
    } else {
        Mode::Anchored
    }
}

/// Reads `fields` into `table` row `key` (units per column), or queues it as short.
fn fill_row(
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

/// A grid row's value cells placed under the header cells of their grid columns, when the
/// header names every column and every value sits under one (columns by label, not by order).
fn by_header(values: &[Field], header: &[Option<usize>; 7]) -> Option<Vec<Field>> {
    let cols: Vec<usize> = header.iter().copied().collect::<Option<Vec<usize>>>()?;
    let mut out = vec![
        Field {
            text: String::new(),
            col: 0
        };
        cols.len()
    ];
    let mut used = vec![false; cols.len()];
    for f in values.iter().filter(|f| !f.text.is_empty()) {
        let i = cols.iter().position(|c| *c == f.col)?;
        if std::mem::replace(used.get_mut(i)?, true) {
            return None;
        }
        *out.get_mut(i)? = f.clone();
    }
    Some(out)
}

/// Column centres of the nearest full `Spaces` row, for placing a short one by position.
fn x_align(short: &[Field], reference: &[Field], n: usize) -> Option<Vec<Field>> {
    if reference.len() != n || short.is_empty() {
        return None;
    }
    let centre = |f: &Field| 2 * f.col + f.text.chars().count();
    let mut out = vec![
        Field {
            text: String::new(),
            col: 0
        };
        n
    ];
    let mut last: Option<usize> = None;
    for f in short {
        let c = centre(f);
        let (best, dist) = reference
            .iter()
            .enumerate()
            .map(|(i, r)| (i, centre(r).abs_diff(c)))
            .min_by_key(|(_, d)| *d)?;
        // More than ~4 characters off any column: no confident position.
        if dist > 8 || last.is_some_and(|l| best <= l) {
            return None;
        }
        last = Some(best);
        out[best] = f.clone();
    }
    Some(out)
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

/// The `requests` table and what its （六） rows say about the format.
struct Requests {
    table: Table,
    single_other: bool,
    sub_rows: bool,
}

fn read_requests(rows: &[&RawRow], warnings: &mut Vec<String>) -> Option<Requests> {
    let mut table = Table::empty(TableName::Requests, Format::F2021);
    let n = REQUEST_COLUMNS.len();
    match colmajor::decode(rows, n, &requests_rows_in, &|_| n) {
        ColumnMajor::No => {}
        ColumnMajor::Blocks(blocks) => {
            let keys: Vec<&'static str> = blocks.iter().flatten().map(|(k, _)| *k).collect();
            let Some((t, reordered)) = column_major_requests(&blocks, warnings) else {
                warnings.push(
                    "requests: printed column by column, but no column order makes every row \
                     total hold; table not read"
                        .to_string(),
                );
                return None;
            };
            if keys.len() < 3 {
                return None;
            }
            warnings.push(format!(
                "requests: printed column by column; cells dealt out by count, every row total \
                 checked{}",
                if reordered {
                    " (the 总计 column came out of order and was placed by the row totals)"
                } else {
                    ""
                }
            ));
            let sub_rows = keys.iter().any(|k| k.starts_with("other_"));
            let single_other = keys.contains(&"other");
            return Some(Requests {
                table: t,
                single_other,
                sub_rows,
            });
        }
        ColumnMajor::Failed(why) => {
            warnings.push(format!(
                "requests: printed column by column, but {why}; table not read"
            ));
            return None;
        }
    }
    let natural_col = rows.iter().find(|r| r.layout == Layout::Tab).and_then(|_| {
        rows.iter()
            .filter(|r| r.layout == Layout::Tab)
            .find_map(|r| r.natural_col)
    });
    let mut matched: Vec<&'static str> = Vec::new();
    let mut filled: Vec<&'static str> = Vec::new();
    let mut prev: Option<&'static str> = None;
    let mut shorts = Vec::new();
    let full_spaces: Vec<(usize, &RawRow)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.layout == Layout::Spaces && r.values.len() == REQUEST_COLUMNS.len())
        .map(|(i, r)| (i, *r))
        .collect();
    // Grid column of each applicant column, from the header rows (HTML/DOCX tables).
    let mut header: [Option<usize>; 7] = [None; 7];
    for (i, row) in rows.iter().enumerate() {
        if row.layout == Layout::Grid && row.values.is_empty() {
            if row.table_start {
                header = [None; 7];
            }
            for f in &row.labels {
                if let Some(slot) = applicant_column(&f.text).and_then(|c| header.get_mut(c)) {
                    *slot = Some(f.col);
                }
            }
        }
        let Some(key) = match_label(row, |l| requests_row(l, prev)) else {
            if row.has_numbers() && !row.label.is_empty() {
                warnings.push(format!(
                    "requests: row {:?} not recognised; ignored",
                    row.label
                ));
            }
            continue;
        };
        prev = Some(key);
        if row.values.is_empty() {
            if !matched.contains(&key) {
                matched.push(key);
            }
            continue;
        }
        if filled.contains(&key) {
            if row.has_numbers() {
                warnings.push(format!(
                    "requests.{key}: printed twice; the first row is kept"
                ));
            }
            continue;
        }
        filled.push(key);
        if !matched.contains(&key) {
            matched.push(key);
        }
        let mut values: &[Field] = &row.values;
        if let (Layout::Tab, Some(nc), Some(li)) = (row.layout, natural_col, row.label_idx) {
            // Tab text keeps empty fields for the label columns the row does not use.
            let skip = nc.saturating_sub(li + 1).min(values.len());
            values = values.get(skip..).unwrap_or(values);
        }
        let aligned;
        if row.layout == Layout::Grid {
            if let Some(fields) = by_header(values, &header) {
                aligned = fields;
                values = &aligned;
            }
        } else if row.layout == Layout::Spaces && trimmed(values, n).len() < n {
            let nearest = full_spaces
                .iter()
                .min_by_key(|(j, _)| j.abs_diff(i))
                .map(|(_, r)| &r.values);
            if let Some(fields) = nearest.and_then(|reference| x_align(values, reference, n)) {
                aligned = fields;
                values = &aligned;
            }
        }
        let layout = row.layout;
        fill_row(
            &mut table,
            key,
            values,
            layout,
            |_| Unit::Count,
            &mut shorts,
            warnings,
        );
    }
    if matched.len() < 3 {
        return None;
    }
    infer::resolve(&mut table, shorts, warnings);
    let sub_rows = matched.iter().any(|k| {
        matches!(
            *k,
            "other_no_correction" | "other_unpaid_fee" | "other_other"
        )
    });
    let single_other = matched.contains(&"other");
    Some(Requests {
        table,
        single_other,
        sub_rows,
    })
}

/// The `requests` table from column-major blocks. A block's dealt-out columns are taken in
/// printed order if every row total holds; otherwise the column whose values are the row
/// totals is looked for (pdfminer can emit 总计 before 其他), the one nearest the end winning
/// (when 自然人 is the only applicant its column equals the totals, but it is printed first).
/// `None` when a block fits no order. The flag says whether any order was changed.
fn column_major_requests(
    blocks: &[Vec<(&'static str, Vec<Field>)>],
    warnings: &mut Vec<String>,
) -> Option<(Table, bool)> {
    let n = REQUEST_COLUMNS.len();
    let mut table = Table::empty(TableName::Requests, Format::F2021);
    let mut reordered = false;
    for block in blocks {
        let fill = |t: &mut Table, order: &[usize], warnings: &mut Vec<String>| {
            let mut shorts = Vec::new();
            for (key, fields) in block {
                let ordered: Vec<Field> = order
                    .iter()
                    .filter_map(|&i| fields.get(i).cloned())
                    .collect();
                fill_row(
                    t,
                    key,
                    &ordered,
                    Layout::Grid,
                    |_| Unit::Count,
                    &mut shorts,
                    warnings,
                );
            }
        };
        let totals_hold = |t: &Table| {
            block.iter().all(|(key, _)| {
                checks::requests_rule_list()
                    .iter()
                    .filter(|r| r.name == format!("requests.row_total.{key}"))
                    .all(|r| checks::holds(t, r) != Some(false))
            })
        };
        // Printed order first, then the total column taken from ever further back.
        let orders =
            std::iter::once((0..n).collect::<Vec<usize>>()).chain((0..n - 1).rev().map(|at| {
                let mut order: Vec<usize> = (0..n).filter(|&i| i != at).collect();
                order.push(at);
                order
            }));
        let mut placed = false;
        for (i, order) in orders.enumerate() {
            let mut trial = table.clone();
            fill(&mut trial, &order, &mut Vec::new());
            if totals_hold(&trial) {
                fill(&mut table, &order, warnings);
                reordered |= i > 0;
                placed = true;
                break;
            }
        }
        if !placed {
            return None;
        }
    }
    Some((table, reordered))
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
