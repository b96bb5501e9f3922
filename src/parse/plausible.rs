//! Plausibility rules beside SPEC §3: shapes of a read table that a correct reading of a real
//! form does not produce, even where every §3 identity holds (a misplaced cell can keep them
//! all). Each raises a [`DoubtKind::Implausible`] doubt on the cells, rows or table concerned;
//! none is a §3 rule and none changes a value.
//!
//! - `both_other`: table 三 holds numbers both in the three （六） rows and in the single
//!   （六）其他处理 row: one layout prints one or the other, never both.
//! - `unprinted_row`: numbers in a row the table's layout does not print (the （六） sub-rows
//!   of a 2019 table).
//! - `single_other_2021`: a 2021 report printing （六） as one row (real: Hongze), which is also
//!   what a reading that lost the three sub-rows' wrapped labels looks like.
//! - `total_below_part`: a printed 总计 (row or appeals group) smaller than one of its parts,
//!   or （七）总计 smaller than one result row of its column.
//! - `negative`: a negative count in table 三 or 四.
//! - `identity_in_text`: a §3 identity fails in a table read from flattened text (PDF text,
//!   `pdftotext -layout`), where a cell shifted into its neighbour's column breaks identities
//!   just as an error in the report does; the rule's rows are doubted.

use super::checks;
use super::notes::Notes;
use super::rows::{Layout, RawRow};
use crate::model::{
    Doubt, DoubtKind, Format, Number, Table, TableName, Tables, REQUEST_COLUMNS,
    REQUEST_RESULT_ROWS,
};

const OTHER_ROWS: [&str; 3] = ["other_no_correction", "other_unpaid_fee", "other_other"];

/// Checks the read tables; `buckets` are the rows each table was read from (their layouts).
pub(crate) fn check(tables: &Tables, buckets: &[Vec<&RawRow>; 3], notes: &mut Notes) {
    if let Some(t) = &tables.requests {
        other_rows(t, tables.active.is_some(), notes);
        totals(t, notes);
        negative(t, notes);
        if from_text(&buckets[1]) {
            identities(t, notes);
        }
    }
    if let Some(t) = &tables.appeals {
        totals(t, notes);
        negative(t, notes);
        if from_text(&buckets[2]) {
            identities(t, notes);
        }
    }
}

fn implausible(table: TableName, row: &str, detail: String) -> Doubt {
    Doubt::row(table, row, DoubtKind::Implausible, detail)
}

/// Whether the table's rows came from flattened text whose cells are placed by position.
fn from_text(rows: &[&RawRow]) -> bool {
    rows.iter()
        .any(|r| matches!(r.layout, Layout::Tab | Layout::Spaces) && r.has_numbers())
}

/// The values of row `row` (empty when the schema has no such row).
fn row_values<'t>(t: &'t Table, row: &str) -> &'t [crate::model::Cell] {
    t.schema()
        .iter()
        .position(|s| s.key == row)
        .and_then(|r| t.cells.get(r))
        .map_or(&[], Vec::as_slice)
}

fn row_has_numbers(t: &Table, row: &str) -> bool {
    row_values(t, row)
        .iter()
        .any(|c| c.value.is_some_and(|v| v.as_f64() != 0.0))
}

/// `both_other`, `unprinted_row`, `single_other_2021`.
fn other_rows(t: &Table, active_found: bool, notes: &mut Notes) {
    let name = TableName::Requests;
    let single = row_has_numbers(t, "other");
    let subs: Vec<&str> = OTHER_ROWS
        .into_iter()
        .filter(|r| row_has_numbers(t, r))
        .collect();
    if single && !subs.is_empty() {
        for row in std::iter::once("other").chain(subs.iter().copied()) {
            notes.doubt(implausible(
                name,
                row,
                "both_other: numbers in the single （六）其他处理 row and in the three （六） \
                 rows; a form prints one or the other"
                    .into(),
            ));
        }
    } else if t.format == Format::F2019 && !subs.is_empty() {
        for row in subs {
            notes.doubt(implausible(
                name,
                row,
                "unprinted_row: numbers in a （六） sub-row, which the 2019 layout does not print"
                    .into(),
            ));
        }
    } else if t.format == Format::F2021 && active_found && single {
        notes.doubt(implausible(
            name,
            "other",
            "single_other_2021: a 2021 report printing （六） as one row; had the form its \
             three sub-rows, their numbers are merged here"
                .into(),
        ));
    }
}

fn f(n: Option<Number>) -> Option<f64> {
    n.map(Number::as_f64)
}

/// `total_below_part`.
fn totals(t: &Table, notes: &mut Notes) {
    let parts = match t.name {
        TableName::Requests => 6,
        TableName::Appeals => 4,
        TableName::Active => return,
    };
    // The 总计 column is the last of `requests` and `appeals` rows.
    for (spec, cells) in t.schema().iter().zip(&t.cells) {
        let Some(sum) = cells.last().and_then(|c| f(c.value)) else {
            continue;
        };
        let over = cells
            .iter()
            .take(parts)
            .position(|c| f(c.value).is_some_and(|v| v > sum));
        if let Some(col) = over.and_then(|i| spec.columns.get(i)) {
            notes.doubt(implausible(
                t.name,
                spec.key,
                format!("total_below_part: 总计 {sum} is smaller than its part {col}"),
            ));
        }
    }
    if t.name != TableName::Requests {
        return;
    }
    let processed = row_values(t, "total_processed");
    let results: Vec<(&str, &[crate::model::Cell])> = REQUEST_RESULT_ROWS
        .iter()
        .map(|r| (*r, row_values(t, r)))
        .collect();
    for (c, col) in REQUEST_COLUMNS.iter().enumerate() {
        let Some(total) = processed.get(c).and_then(|x| f(x.value)) else {
            continue;
        };
        let above = results.iter().find(|(_, cells)| {
            cells
                .get(c)
                .is_some_and(|x| f(x.value).is_some_and(|v| v > total))
        });
        if let Some((row, _)) = above {
            notes.doubt(Doubt::cell(
                t.name,
                "total_processed",
                col,
                DoubtKind::Implausible,
                format!("total_below_part: （七）总计 {total} is smaller than the {row} row"),
            ));
        }
    }
}

/// `negative`.
fn negative(t: &Table, notes: &mut Notes) {
    for (row, col, cell) in t.iter() {
        if cell.value.is_some_and(|v| v.as_f64() < 0.0) {
            notes.doubt(Doubt::cell(
                t.name,
                row,
                col,
                DoubtKind::Implausible,
                "negative: a count below zero",
            ));
        }
    }
}

/// `identity_in_text`: the rows each failing §3 rule reads.
fn identities(t: &Table, notes: &mut Notes) {
    let rules = match t.name {
        TableName::Requests => checks::requests_rule_list(),
        TableName::Appeals => checks::appeals_rule_list(),
        TableName::Active => return,
    };
    for rule in rules.iter().filter(|r| checks::holds(t, r) == Some(false)) {
        let mut rows: Vec<&str> = rule
            .left
            .iter()
            .chain(&rule.right)
            .map(|i| i.row)
            .filter(|row| !notes.has(t.name, row, DoubtKind::Implausible))
            .filter(|row| row_values(t, row).iter().any(|x| x.value.is_some()))
            .collect();
        rows.dedup();
        let Some(c) = (!rows.is_empty()).then(|| checks::apply(t, rule)).flatten() else {
            continue;
        };
        for row in rows {
            notes.doubt(implausible(
                t.name,
                row,
                format!(
                    "identity_in_text: {} fails ({} ≠ {}) in a table read from flattened text, \
                     where a cell placed in the wrong column breaks it as an error in the \
                     report does",
                    c.rule, c.left, c.right
                ),
            ));
        }
    }
}
