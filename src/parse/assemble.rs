//! Logical rows → the three tables: which rows belong to which table, which row key each label
//! names, which column each value goes to, and the report's format.
//!
//! Rows are walked once with a zone that only moves forward (before → `active` → `requests` →
//! `appeals` → after), switched by anchors: the 第二十条 captions and `active` headers, the
//! 勾稽关系/申请人情况 header or a `requests` row, the 行政复议/行政诉讼 header, and the 五、/六、
//! headings. A table entered without its anchor (its first recognised row instead) is doubted
//! as found by a fallback. Prose outside the zones is never read as a row; inside them, rows
//! are matched on their labels (`labels.rs`), values assigned in printed order, and rows that
//! lost cells handed to `infer.rs`. Each table has its reader (`active.rs`, `requests.rs`,
//! `appeals.rs`); the helpers they share live here. Last, `plausible.rs` checks the result.

use super::active::read_active;
use super::appeals::read_appeals;
use super::cells::{self, Unit};
use super::infer::{Mode, Short};
use super::labels::{
    is_active_anchor, is_appeals_anchor, is_appeals_header, is_header_label, is_requests_anchor,
    is_tables_end, requests_row,
};
use super::notes::Notes;
use super::plausible;
use super::requests::read_requests;
use super::rows::{Field, Layout, RawRow};
use crate::model::{Cell, Doubt, DoubtKind, Format, Table, TableName, Tables};

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

/// The row labels of table 二 as the forms print them: one of them with numbers opens the
/// table when no caption or header did.
const ACTIVE_LABELS: &[&str] = &[
    "规章",
    "行政规范性文件",
    "规范性文件",
    "行政许可",
    "其他对外管理服务事项",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "政府集中采购",
];

/// The rows of each table's zone.
struct Zones<'r> {
    /// `active`, `requests`, `appeals`.
    buckets: [Vec<&'r RawRow>; 3],
    /// Whether any table anchor was seen.
    anchors: bool,
}

/// Walks the rows once, switching zones at anchors (see the module doc).
fn zones<'r>(rows: &'r [RawRow], notes: &mut Notes) -> Zones<'r> {
    let mut zone = Zone::Before;
    let mut buckets: [Vec<&RawRow>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut anchors = false;
    let mut appeals_values = false;
    for row in rows {
        let l = row.label.as_str();
        let heading = heading_like(l);
        let in_tables = zone >= Zone::Active && zone < Zone::After;
        if in_tables
            && (zone == Zone::Appeals && row.table_start && appeals_values
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
        } else if zone == Zone::Before && row.has_numbers() && ACTIVE_LABELS.contains(&l) {
            // Table 二 without its captions and header (a page break took them, or a layout
            // lost them): its first row opens it.
            zone = Zone::Active;
            notes.doubt_table(
                TableName::Active,
                DoubtKind::Located,
                format!("no caption or header opens the table; it was found by its row {l:?}"),
            );
        } else if zone == Zone::Active && !row.values.is_empty() && requests_row(l, None).is_some()
        {
            zone = Zone::Requests;
            notes.doubt_table(
                TableName::Requests,
                DoubtKind::Located,
                format!("no header opens the table; it was found by its row {l:?}"),
            );
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
    for (bucket, name) in buckets.iter_mut().zip(["active", "requests", "appeals"]) {
        if bucket.len() > MAX_ZONE_ROWS {
            notes.warn(format!(
                "{name}: {} rows, only the first {MAX_ZONE_ROWS} read",
                bucket.len()
            ));
            bucket.truncate(MAX_ZONE_ROWS);
        }
    }
    Zones { buckets, anchors }
}

/// Finds and reads the tables in `rows`.
pub(crate) fn assemble(rows: &[RawRow]) -> Assembled {
    let mut notes = Notes::default();
    let Zones { buckets, anchors } = zones(rows, &mut notes);
    let active = read_active(&buckets[0], &mut notes);
    let requests = read_requests(&buckets[1], &mut notes);
    let appeals = read_appeals(&buckets[2], &mut notes);
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
                notes.warn(
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
    drop_unplaced_tables(&mut tables, &buckets, &mut notes);
    plausible::check(&tables, &buckets, &mut notes);
    Assembled {
        tables,
        format,
        warnings: notes.warnings,
        anchors,
        doubts: notes.doubts,
    }
}

/// A table whose numbers all failed to land is dropped (a layout not understood); one printed
/// without any number is the template and is kept, flagged.
fn drop_unplaced_tables(tables: &mut Tables, buckets: &[Vec<&RawRow>; 3], notes: &mut Notes) {
    let slots = [
        &mut tables.active,
        &mut tables.requests,
        &mut tables.appeals,
    ];
    for (slot, bucket) in slots.into_iter().zip(buckets) {
        let Some(t) = slot else { continue };
        if !t.is_blank() {
            continue;
        }
        let name = t.name.as_str();
        if bucket.iter().any(|r| r.has_numbers()) {
            notes.warn(format!(
                "{name}: numbers printed but none could be placed; table not read"
            ));
            notes.doubt_table(
                t.name,
                DoubtKind::Unplaced,
                "numbers printed but none could be placed; table not read",
            );
            *slot = None;
        } else {
            notes.warn(format!("template: all cells blank ({name})"));
        }
    }
}

/// The key a row's label names (by `f`), and whether the label had to be pieced together
/// with the wrapped-label pieces on the lines before and after it (`true`: a fuzzier match).
pub(crate) fn match_label<T>(row: &RawRow, f: impl Fn(&str) -> Option<T>) -> Option<(T, bool)> {
    if let Some(t) = f(&row.label) {
        return Some((t, false));
    }
    // A header row is not the end of a wrapped row label.
    if is_header_label(&row.label) {
        return None;
    }
    let joined = |parts: &[&str]| f(&parts.concat()).map(|t| (t, true));
    if !row.pre.is_empty() {
        if let Some(t) = joined(&[&row.pre, &row.label]) {
            return Some(t);
        }
    }
    if !row.post.is_empty() {
        if let Some(t) = joined(&[&row.label, &row.post]) {
            return Some(t);
        }
        if !row.pre.is_empty() {
            return joined(&[&row.pre, &row.label, &row.post]);
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
    notes: &mut Notes,
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
        notes.warn(format!(
            "{name}.{key}: {} cells printed for {} columns; ignored: {}",
            fields.len(),
            columns.len(),
            extra.join(" ")
        ));
        notes.doubt_row(
            table.name,
            key,
            DoubtKind::Unplaced,
            format!(
                "{} cells printed for {} columns; the surplus was left out",
                fields.len(),
                columns.len()
            ),
        );
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
                notes.warn(format!(
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
