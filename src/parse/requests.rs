//! The `requests` table (三、收到和处理政府信息公开申请情况) from its rows: labels to row keys,
//! values to columns (by the header cells in HTML/DOCX grids, by the 自然人 header field in tab
//! text, by character position in `pdftotext -layout` text, else in printed order), rows that
//! lost cells to `infer.rs`, and tables printed column by column to `colmajor.rs`.

use std::borrow::Cow;

use super::assemble::{fill_row, match_label, trimmed};
use super::cells::Unit;
use super::checks;
use super::colmajor::{self, ColumnMajor};
use super::infer::{self, Short};
use super::labels::{applicant_column, requests_row, requests_rows_in};
use super::notes::Notes;
use super::rows::{Field, Layout, RawRow};
use crate::model::{DoubtKind, Format, Table, TableName, REQUEST_COLUMNS};

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

/// The `requests` table and what its （六） rows say about the format.
pub(crate) struct Requests {
    /// The table.
    pub table: Table,
    /// （六）其他处理 printed as one row.
    pub single_other: bool,
    /// （六） printed with its three sub-rows.
    pub sub_rows: bool,
}

const NAME: TableName = TableName::Requests;

/// Reads the `requests` table from the rows of its zone; `None` when fewer than three rows are
/// recognised or the numbers cannot be placed.
pub(crate) fn read_requests(rows: &[&RawRow], notes: &mut Notes) -> Option<Requests> {
    let n = REQUEST_COLUMNS.len();
    match colmajor::decode(rows, n, &requests_rows_in, &|_| n) {
        ColumnMajor::No => {}
        ColumnMajor::Blocks(blocks) => return read_column_major(&blocks, notes),
        ColumnMajor::Failed(why) => {
            notes.warn(format!(
                "requests: printed column by column, but {why}; table not read"
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
    let mut reader = Reader::new(rows);
    for (i, row) in rows.iter().enumerate() {
        reader.read(i, row, notes);
    }
    reader.finish(notes)
}

/// A table printed column by column, dealt out by count and checked by its row totals.
fn read_column_major(
    blocks: &[Vec<(&'static str, Vec<Field>)>],
    notes: &mut Notes,
) -> Option<Requests> {
    let keys: Vec<&'static str> = blocks.iter().flatten().map(|(k, _)| *k).collect();
    let Some((mut table, reordered)) = column_major_requests(blocks, notes) else {
        notes.warn(
            "requests: printed column by column, but no column order makes every row \
             total hold; table not read"
                .to_string(),
        );
        notes.doubt_table(
            NAME,
            DoubtKind::ColumnMajor,
            "printed column by column, but no column order makes every row total hold; table not read",
        );
        return None;
    };
    if keys.len() < 3 {
        return None;
    }
    notes.warn(format!(
        "requests: printed column by column; cells dealt out by count, every row total \
         checked{}",
        if reordered {
            " (the 总计 column came out of order and was placed by the row totals)"
        } else {
            ""
        }
    ));
    notes.doubt_table(
        NAME,
        DoubtKind::ColumnMajor,
        "printed column by column: cells dealt out by count and checked by the row totals",
    );
    table.printed_rows = Some(in_schema_order(&table, &keys));
    Some(Requests {
        table,
        single_other: keys.contains(&"other"),
        sub_rows: keys.iter().any(|k| k.starts_with("other_")),
    })
}

/// Reads a row-major `requests` table one row at a time.
struct Reader<'r> {
    table: Table,
    /// Row keys named, in order (with or without values).
    matched: Vec<&'static str>,
    /// Row keys whose values were read.
    filled: Vec<&'static str>,
    /// The key of the last row named (context for `（六）3.其他`).
    prev: Option<&'static str>,
    shorts: Vec<Short>,
    /// Field index of the 自然人 header in tab text.
    natural_col: Option<usize>,
    /// `Spaces` rows with all seven values: x positions for rows that lost some.
    full_spaces: Vec<(usize, &'r RawRow)>,
    /// Grid column of each applicant column, from the header rows (HTML/DOCX tables).
    header: [Option<usize>; 7],
}

impl<'r> Reader<'r> {
    fn new(rows: &'r [&'r RawRow]) -> Reader<'r> {
        let natural_col = rows
            .iter()
            .filter(|r| r.layout == Layout::Tab)
            .find_map(|r| r.natural_col);
        let full_spaces = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.layout == Layout::Spaces && r.values.len() == REQUEST_COLUMNS.len())
            .map(|(i, r)| (i, *r))
            .collect();
        Reader {
            table: Table::empty(NAME, Format::F2021),
            matched: Vec::new(),
            filled: Vec::new(),
            prev: None,
            shorts: Vec::new(),
            natural_col,
            full_spaces,
            header: [None; 7],
        }
    }

    /// Header cells naming applicant columns, in a grid row without values.
    fn read_header(&mut self, row: &RawRow) {
        if row.layout != Layout::Grid || !row.values.is_empty() {
            return;
        }
        if row.table_start {
            self.header = [None; 7];
        }
        for f in &row.labels {
            if let Some(slot) = applicant_column(&f.text).and_then(|c| self.header.get_mut(c)) {
                *slot = Some(f.col);
            }
        }
    }

    fn read(&mut self, i: usize, row: &RawRow, notes: &mut Notes) {
        self.read_header(row);
        let prev = self.prev;
        let Some((key, joined)) = match_label(row, |l| requests_row(l, prev)) else {
            if row.has_numbers() && !row.label.is_empty() {
                notes.warn(format!(
                    "requests: row {:?} not recognised; ignored",
                    row.label
                ));
                notes.doubt_table(
                    NAME,
                    DoubtKind::Unplaced,
                    format!(
                        "numbers printed beside the unrecognised label {:?} were left out",
                        row.label
                    ),
                );
            }
            return;
        };
        self.prev = Some(key);
        if !self.matched.contains(&key) {
            self.matched.push(key);
        }
        if row.values.is_empty() {
            return;
        }
        if self.filled.contains(&key) {
            if row.has_numbers() {
                notes.warn(format!(
                    "requests.{key}: printed twice; the first row is kept"
                ));
                notes.doubt_row(
                    NAME,
                    key,
                    DoubtKind::Unplaced,
                    "two printed rows are named by this label; the second one's numbers were left out",
                );
            }
            return;
        }
        self.filled.push(key);
        if joined && row.has_numbers() {
            notes.doubt_row(
                NAME,
                key,
                DoubtKind::FuzzyLabel,
                format!(
                    "the row was named by a label pieced together from the lines around its numbers ({})",
                    [row.pre.as_str(), row.label.as_str(), row.post.as_str()].concat()
                ),
            );
        }
        let values = self.values(i, row, key, notes);
        fill_row(
            &mut self.table,
            key,
            &values,
            row.layout,
            |_| Unit::Count,
            &mut self.shorts,
            notes,
        );
    }

    /// The row's value fields, aligned to the seven columns where the layout allows it.
    fn values<'a>(
        &self,
        i: usize,
        row: &'a RawRow,
        key: &str,
        notes: &mut Notes,
    ) -> Cow<'a, [Field]> {
        let n = REQUEST_COLUMNS.len();
        let mut values: &[Field] = &row.values;
        if let (Layout::Tab, Some(nc), Some(li)) = (row.layout, self.natural_col, row.label_idx) {
            // Tab text keeps empty fields for the label columns the row does not use.
            let skip = nc.saturating_sub(li + 1).min(values.len());
            values = values.get(skip..).unwrap_or(values);
        }
        if row.layout == Layout::Grid {
            if let Some(fields) = by_header(values, &self.header) {
                return Cow::Owned(fields);
            }
        } else if row.layout == Layout::Spaces && trimmed(values, n).len() < n {
            let nearest = self
                .full_spaces
                .iter()
                .min_by_key(|(j, _)| j.abs_diff(i))
                .map(|(_, r)| &r.values);
            if let Some(fields) = nearest.and_then(|reference| x_align(values, reference, n)) {
                notes.doubt_row(
                    NAME,
                    key,
                    DoubtKind::Position,
                    "cells placed under the columns of the nearest complete row by their position on the line",
                );
                return Cow::Owned(fields);
            }
        }
        Cow::Borrowed(values)
    }

    fn finish(mut self, notes: &mut Notes) -> Option<Requests> {
        if self.matched.len() < 3 {
            return None;
        }
        infer::resolve(&mut self.table, self.shorts, notes);
        self.table.printed_rows = Some(in_schema_order(&self.table, &self.matched));
        let sub_rows = self.matched.iter().any(|k| {
            matches!(
                *k,
                "other_no_correction" | "other_unpaid_fee" | "other_other"
            )
        });
        Some(Requests {
            table: self.table,
            single_other: self.matched.contains(&"other"),
            sub_rows,
        })
    }
}

/// `keys` (row keys found printed) in the order of `table`'s schema, each once.
pub(crate) fn in_schema_order(table: &Table, keys: &[&'static str]) -> Vec<&'static str> {
    table
        .schema()
        .iter()
        .map(|s| s.key)
        .filter(|k| keys.contains(k))
        .collect()
}

/// The `requests` table from column-major blocks. A block's dealt-out columns are taken in
/// printed order if every row total holds; otherwise the column whose values are the row
/// totals is looked for (pdfminer can emit 总计 before 其他), the one nearest the end winning
/// (when 自然人 is the only applicant its column equals the totals, but it is printed first).
/// `None` when a block fits no order. The flag says whether any order was changed.
fn column_major_requests(
    blocks: &[Vec<(&'static str, Vec<Field>)>],
    notes: &mut Notes,
) -> Option<(Table, bool)> {
    let n = REQUEST_COLUMNS.len();
    let mut table = Table::empty(TableName::Requests, Format::F2021);
    let mut reordered = false;
    for block in blocks {
        let fill = |t: &mut Table, order: &[usize], notes: &mut Notes| {
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
                    notes,
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
            fill(&mut trial, &order, &mut Notes::default());
            if totals_hold(&trial) {
                fill(&mut table, &order, notes);
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
