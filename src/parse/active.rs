//! The `active` table (二、主动公开政府信息情况): its layout (2019 or 2021) from the header words,
//! its rows by their labels, values in printed order (units per column), a table printed
//! column by column dealt out by count.

use super::assemble::{fill_row, match_label};
use super::cells::active_unit;
use super::colmajor::{self, ColumnMajor};
use super::infer;
use super::labels::{active_format_votes, active_row, active_rows_in};
use super::notes::Notes;
use super::requests::in_schema_order;
use super::rows::{Layout, RawRow};
use crate::model::{DoubtKind, Format, Table, TableName};

const NAME: TableName = TableName::Active;

/// The layout the header words of `rows` vote for (2021 on a tie).
fn format_of(rows: &[&RawRow]) -> Format {
    let (mut v21, mut v19) = (0, 0);
    for r in rows {
        let (a, b) = active_format_votes(&format!("{}{}", r.pre, r.label));
        v21 += a;
        v19 += b;
    }
    if v19 > v21 {
        Format::F2019
    } else {
        Format::F2021
    }
}

/// Reads the `active` table from the rows of its zone; `None` when no row is recognised.
pub(crate) fn read_active(rows: &[&RawRow], notes: &mut Notes) -> Option<Table> {
    let format = format_of(rows);
    let mut table = Table::empty(NAME, format);
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
            let keys: Vec<&'static str> = blocks.iter().flatten().map(|(k, _)| *k).collect();
            table.printed_rows = Some(in_schema_order(&table, &keys));
            for (key, fields) in blocks.into_iter().flatten() {
                let unit = |col: &str| active_unit(key, col);
                fill_row(
                    &mut table,
                    key,
                    &fields,
                    Layout::Grid,
                    unit,
                    &mut shorts,
                    notes,
                );
            }
            notes.warn("active: printed column by column; cells dealt out by count".to_string());
            notes.doubt_table(
                NAME,
                DoubtKind::ColumnMajor,
                "printed column by column: cells dealt out by count",
            );
            return Some(table);
        }
        ColumnMajor::Failed(why) => {
            notes.warn(format!(
                "active: printed column by column, but {why}; table not read"
            ));
            notes.doubt_table(
                NAME,
                DoubtKind::Unplaced,
                format!(
                    "a line holds more numbers than a row has cells, but {why}; table not read"
                ),
            );
            return None;
        }
    }
    let mut found: Vec<&'static str> = Vec::new();
    let mut filled: Vec<&str> = Vec::new();
    let mut shorts = Vec::new();
    for row in rows {
        let Some((key, joined)) = match_label(row, active_row) else {
            continue;
        };
        if !table.schema().iter().any(|s| s.key == key) {
            if row.has_numbers() {
                notes.warn(format!(
                    "active: row {key} is not part of the {} layout; ignored",
                    format.as_str()
                ));
                notes.doubt_table(
                    NAME,
                    DoubtKind::Implausible,
                    format!(
                        "a row {key} holds numbers, but the {} layout has no such row",
                        format.as_str()
                    ),
                );
            }
            continue;
        }
        found.push(key);
        if row.values.is_empty() {
            continue;
        }
        if filled.contains(&key) {
            if row.has_numbers() {
                notes.warn(format!(
                    "active.{key}: printed twice; the first row is kept"
                ));
                notes.doubt_row(
                    NAME,
                    key,
                    DoubtKind::Unplaced,
                    "two printed rows are named by this label; the second one's numbers were left out",
                );
            }
            continue;
        }
        filled.push(key);
        if joined && row.has_numbers() {
            notes.doubt_row(
                NAME,
                key,
                DoubtKind::FuzzyLabel,
                "the row was named by a label pieced together from the lines around its numbers",
            );
        }
        let unit = |col: &str| active_unit(key, col);
        fill_row(
            &mut table,
            key,
            &row.values,
            row.layout,
            unit,
            &mut shorts,
            notes,
        );
    }
    infer::resolve(&mut table, shorts, notes);
    if found.is_empty() {
        return None;
    }
    table.printed_rows = Some(in_schema_order(&table, &found));
    Some(table)
}
