//! The `appeals` table (四、政府信息公开行政复议、行政诉讼情况): one row of 15 numbers under a
//! three-row header, mapped by position (the header words are often mangled, formats.md §2.3);
//! a row that lost cells is placed by the three group totals (`infer.rs`).

use super::assemble::{mode_of, trimmed};
use super::cells::{self, Unit};
use super::infer;
use super::labels::is_appeals_header;
use super::notes::Notes;
use super::rows::RawRow;
use crate::model::{Cell, DoubtKind, Format, Table, TableName, APPEALS, APPEAL_COLUMNS};

const NAME: TableName = TableName::Appeals;

/// Reads the `appeals` table from the rows of its zone: the row holding most numbers.
pub(crate) fn read_appeals(rows: &[&RawRow], notes: &mut Notes) -> Option<Table> {
    let header = rows
        .iter()
        .any(|r| is_appeals_header(&r.label) || is_appeals_header(&r.pre));
    let n = APPEALS.len() * APPEAL_COLUMNS.len();
    let printed_in = |r: &RawRow| {
        trimmed(&r.values, n)
            .iter()
            .filter(|f| !f.text.is_empty())
            .count()
    };
    let best = rows
        .iter()
        .filter(|r| !r.values.is_empty())
        .max_by_key(|r| (printed_in(r), r.values.len()));
    let mut table = Table::empty(NAME, Format::F2021);
    let Some(best) = best else {
        return header.then_some(table);
    };
    let values = trimmed(&best.values, n);
    if !header && values.len() < 12 {
        return None;
    }
    if rows
        .iter()
        .any(|r| !std::ptr::eq(*r, *best) && r.has_numbers() && printed_in(r) < n)
    {
        notes.doubt_table(
            NAME,
            DoubtKind::Unplaced,
            "numbers printed on more than one line of the table; only the fullest line was read",
        );
    }
    let printed: Vec<Cell> = values
        .iter()
        .map(|f| {
            let (cell, ok) = cells::cell(&f.text, Unit::Count);
            if !ok {
                notes.warn(format!("appeals: unreadable cell {:?} left blank", f.text));
            }
            cell
        })
        .collect();
    if printed.len() > n {
        notes.warn(format!(
            "appeals: {} cells printed for {n}; the first {n} are used",
            printed.len()
        ));
        notes.doubt_table(
            NAME,
            DoubtKind::Unplaced,
            format!(
                "{} cells printed for {n}; the surplus was left out",
                printed.len()
            ),
        );
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
    infer::resolve_appeals(&mut table, printed, mode_of(best.layout), notes);
    Some(table)
}
