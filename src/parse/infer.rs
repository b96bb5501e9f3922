//! Rows that lost cells: where do the printed values belong? (formats.md Q10, seed 004)
//!
//! A row printed with fewer fields than the table has columns is placed by trying every
//! placement the layout allows and counting, for each, the table's own identities it breaks
//! (SPEC §3: balance, results_sum, row_total, appeals totals) with the rest of the table as
//! read. Rules that merely hold do not count: spreading values thinly makes more all-blank
//! rules "hold" without being evidence. The placement breaking fewest rules is taken only when
//! it is unique;
//! otherwise the cells on which the best placements disagree are left null (raw text kept) and
//! a warning says so. No number is ever computed: lost cells stay blank, and only the *column*
//! of a printed value is inferred. Values placed away from their literal position are marked
//! [`Origin::Inferred`].
//!
//! Which placements a layout allows:
//! - [`Mode::Anchored`] (tab text, pipe text, grids): blank cells are empty fields, but runs of
//!   them (or the trailing ones) can be lost. The fields before the gap keep their columns; the
//!   fields after it are right-aligned ("12 10 _ _ 22" → 22 is the total). Among equally good
//!   placements the one moving fewest fields wins, since the printed order is evidence too.
//! - [`Mode::Floating`] (text whose blank cells left no trace): any order-preserving placement;
//!   there is no positional evidence, so ties stay ambiguous.

use super::checks::{appeals_rule_list, holds, rules_touching, Rule};
use super::notes::Notes;
use crate::model::{Cell, DoubtKind, Number, Origin, Table, TableName, APPEALS, APPEAL_COLUMNS};

/// How much of a short row's printed positions can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Fields keep their order and the leading ones their columns; a gap may be lost.
    Anchored,
    /// Only the order of the fields is known.
    Floating,
}

/// A row printed with fewer cells than its columns.
#[derive(Debug, Clone)]
pub(crate) struct Short {
    /// Row key in the table's schema.
    pub row: &'static str,
    /// The printed cells, in order (blank ones included where the layout shows them).
    pub fields: Vec<Cell>,
    /// Which placements are possible.
    pub mode: Mode,
}

/// Most placements tried for one row (C(15, 7) = 6435 is the largest real case).
const MAX_CANDIDATES: usize = 7000;

/// One placement: field `i` goes to column `cols[i]`.
#[derive(Debug, Clone)]
struct Placement {
    cols: Vec<usize>,
    moves: usize,
}

/// A short row being placed: its candidates, the rules it touches, the current choice.
struct Work {
    r: usize,
    short: Short,
    cands: Vec<(Placement, Vec<Cell>)>,
    rules: Vec<&'static Rule>,
    choice: Vec<Cell>,
    ambiguous: bool,
}

/// Places every short row into `table`, with warnings and a doubt per placed row (see the
/// module doc).
pub(crate) fn resolve(table: &mut Table, shorts: Vec<Short>, notes: &mut Notes) {
    let mut work: Vec<Work> = shorts
        .into_iter()
        .filter_map(|short| candidates(table, short))
        .collect();
    for w in &work {
        if let Some(row) = table.cells.get_mut(w.r) {
            *row = w.choice.clone();
        }
    }
    for _round in 0..4 {
        let mut changed = false;
        for w in work.iter_mut() {
            changed |= choose(table, w);
        }
        if !changed {
            break;
        }
    }
    for w in &work {
        report(table.name, w, notes);
    }
}

/// The distinct placements of a short row (fewest moves kept for each outcome) and its first
/// choice; `None` when it cannot be placed at all.
fn candidates(table: &Table, short: Short) -> Option<Work> {
    let schema = table.schema();
    let r = schema.iter().position(|s| s.key == short.row)?;
    let n = schema[r].columns.len();
    let k = short.fields.len();
    if k > n || k == 0 {
        return None;
    }
    let placements = match short.mode {
        Mode::Anchored => anchored(k, n),
        Mode::Floating => floating(k, n),
    };
    let mut cands: Vec<(Placement, Vec<Cell>)> = Vec::new();
    for p in placements {
        let cells = place(&short.fields, &p, n);
        if let Some(existing) = cands.iter_mut().find(|(_, c)| same_values(c, &cells)) {
            if p.moves < existing.0.moves {
                *existing = (p, cells);
            }
        } else {
            cands.push((p, cells));
        }
    }
    let first = cands.first()?;
    let choice = match short.mode {
        Mode::Anchored => first.1.clone(),
        Mode::Floating => vec![Cell::default(); n],
    };
    let rules = rules_touching(table.name, short.row);
    Some(Work {
        r,
        short,
        cands,
        rules,
        choice,
        ambiguous: false,
    })
}

/// Scores every candidate of `w` against the table as it stands and takes the unique best
/// (or the cells the best ones agree on); true when the choice changed.
fn choose(table: &mut Table, w: &mut Work) -> bool {
    let mut scored: Vec<(i32, usize, usize)> = Vec::with_capacity(w.cands.len());
    for (i, (p, cells)) in w.cands.iter().enumerate() {
        if let Some(row) = table.cells.get_mut(w.r) {
            row.clone_from(cells);
        }
        let score: i32 = w
            .rules
            .iter()
            .map(|rule| match holds(table, rule) {
                Some(false) => -1,
                Some(true) | None => 0,
            })
            .sum();
        scored.push((score, p.moves, i));
    }
    let best = scored.iter().map(|s| s.0).max().unwrap_or(0);
    let mut top: Vec<&(i32, usize, usize)> = scored.iter().filter(|s| s.0 == best).collect();
    if w.short.mode == Mode::Anchored {
        let fewest = top.iter().map(|s| s.1).min().unwrap_or(0);
        top.retain(|s| s.1 == fewest);
    }
    let (choice, ambiguous) = if top.len() == 1 {
        (w.cands[top[0].2].1.clone(), false)
    } else {
        let outcomes: Vec<&Vec<Cell>> = top.iter().map(|s| &w.cands[s.2].1).collect();
        (merge(&outcomes, &w.short.fields), true)
    };
    let changed = !same_values(&choice, &w.choice);
    w.choice = choice;
    w.ambiguous = ambiguous;
    if let Some(row) = table.cells.get_mut(w.r) {
        row.clone_from(&w.choice);
    }
    changed
}

/// The warning and doubt of one placed row.
fn report(table: TableName, w: &Work, notes: &mut Notes) {
    let name = table.as_str();
    let n = w.choice.len();
    let k = w.short.fields.len();
    let printed = w.short.fields.iter().filter(|c| c.value.is_some()).count();
    let row = w.short.row;
    let (warning, doubt) = if w.ambiguous {
        let raws: Vec<&str> = w
            .short
            .fields
            .iter()
            .map(|c| c.raw.as_str())
            .filter(|r| !r.is_empty())
            .collect();
        (
            format!(
                "{name}.{row}: {k} of {n} cells printed and their columns are ambiguous; cells \
                 that could not be placed uniquely are left blank (printed: {})",
                raws.join(" ")
            ),
            format!(
                "{k} of {n} cells printed; columns ambiguous, cells that could not be placed \
                 uniquely left blank (printed: {})",
                raws.join(" ")
            ),
        )
    } else if w.choice.iter().any(|c| c.origin == Origin::Inferred) {
        (
            format!(
                "{name}.{row}: {k} of {n} cells printed; columns inferred from the table's \
                 identities (cells marked inferred)"
            ),
            format!("{k} of {n} cells printed; columns chosen by the table's identities"),
        )
    } else if printed > 0 {
        (
            format!("{name}.{row}: {k} of {n} cells printed; the missing cells are left blank"),
            format!(
                "{k} of {n} cells printed; kept in printed order, the missing cells taken as \
                 the blank ones"
            ),
        )
    } else {
        return;
    };
    notes.warn(warning);
    notes.doubt_row(table, row, DoubtKind::Elimination, doubt);
}

/// Anchored placements: fields `..s` keep their columns, fields `s..` are right-aligned.
fn anchored(k: usize, n: usize) -> Vec<Placement> {
    (0..=k)
        .rev()
        .map(|s| {
            let cols: Vec<usize> = (0..s).chain(n - (k - s)..n).collect();
            let moves = cols.iter().enumerate().filter(|(i, c)| i != *c).count();
            Placement { cols, moves }
        })
        .collect()
}

/// Every order-preserving placement of `k` fields into `n` columns (capped).
fn floating(k: usize, n: usize) -> Vec<Placement> {
    combos(k, n)
        .into_iter()
        .map(|cols| {
            let moves = cols.iter().enumerate().filter(|(i, c)| i != *c).count();
            Placement { cols, moves }
        })
        .collect()
}

/// Order-preserving placements of `k` values into `n` slots in lexicographic order, at most
/// [`MAX_CANDIDATES`].
pub(crate) fn combos(k: usize, n: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    if k > n {
        return out;
    }
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.clone());
        if out.len() >= MAX_CANDIDATES {
            return out;
        }
        let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else {
            return out;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// The row's cells under placement `p`.
fn place(fields: &[Cell], p: &Placement, n: usize) -> Vec<Cell> {
    let mut cells = vec![Cell::default(); n];
    for (i, (field, &col)) in fields.iter().zip(&p.cols).enumerate() {
        if let Some(slot) = cells.get_mut(col) {
            let mut c = field.clone();
            if col != i && c.value.is_some() {
                c.origin = Origin::Inferred;
            }
            *slot = c;
        }
    }
    cells
}

/// Cells on which all outcomes agree; the rest null, with the literal field's raw text.
fn merge(outcomes: &[&Vec<Cell>], fields: &[Cell]) -> Vec<Cell> {
    let Some(first) = outcomes.first() else {
        return Vec::new();
    };
    first
        .iter()
        .enumerate()
        .map(|(c, cell)| {
            if outcomes
                .iter()
                .all(|o| o.get(c).map(|x| x.value) == Some(cell.value))
            {
                cell.clone()
            } else {
                let raw = fields.get(c).map(|f| f.raw.clone()).unwrap_or_default();
                Cell {
                    raw,
                    value: None,
                    origin: Origin::Read,
                }
            }
        })
        .collect()
}

fn same_values(a: &[Cell], b: &[Cell]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| num_eq(x.value, y.value))
}

fn num_eq(a: Option<Number>, b: Option<Number>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Places an appeals row printed with fewer than 15 cells, by the three group totals.
pub(crate) fn resolve_appeals(
    table: &mut Table,
    printed: Vec<Cell>,
    mode: Mode,
    notes: &mut Notes,
) {
    let per = APPEAL_COLUMNS.len();
    let n = APPEALS.len() * per;
    let k = printed.len();
    let candidates: Vec<Vec<usize>> = match mode {
        Mode::Anchored => (0..=k)
            .rev()
            .map(|s| (0..s).chain(n - (k - s)..n).collect())
            .collect(),
        Mode::Floating => combos(k, n),
    };
    let mut best: Vec<(i32, usize, Vec<Cell>)> = Vec::new();
    for cols in candidates {
        let mut flat = vec![Cell::default(); n];
        let mut moves = 0;
        for (i, (cell, &c)) in printed.iter().zip(&cols).enumerate() {
            let mut cell = cell.clone();
            if c != i && cell.value.is_some() {
                cell.origin = Origin::Inferred;
                moves += 1;
            }
            if let Some(slot) = flat.get_mut(c) {
                *slot = cell;
            }
        }
        let mut t = Table::empty(TableName::Appeals, table.format);
        for (i, cell) in flat.iter().enumerate() {
            if let Some(slot) = t.cells.get_mut(i / per).and_then(|r| r.get_mut(i % per)) {
                *slot = cell.clone();
            }
        }
        let score: i32 = appeals_rule_list()
            .iter()
            .map(|r| match holds(&t, r) {
                Some(false) => -1,
                Some(true) | None => 0,
            })
            .sum();
        best.push((score, moves, flat));
    }
    let top_score = best.iter().map(|b| b.0).max().unwrap_or(0);
    best.retain(|b| b.0 == top_score);
    if mode == Mode::Anchored {
        let fewest = best.iter().map(|b| b.1).min().unwrap_or(0);
        best.retain(|b| b.1 == fewest);
    }
    let Some(first) = best.first() else { return };
    let mut ambiguous = false;
    let merged: Vec<Cell> = (0..n)
        .map(|i| {
            let v = first.2.get(i).and_then(|c| c.value);
            if best.iter().all(|b| b.2.get(i).and_then(|c| c.value) == v) {
                first.2.get(i).cloned().unwrap_or_default()
            } else {
                ambiguous = true;
                Cell::default()
            }
        })
        .collect();
    for (i, cell) in merged.into_iter().enumerate() {
        if let Some(slot) = table
            .cells
            .get_mut(i / per)
            .and_then(|r| r.get_mut(i % per))
        {
            *slot = cell;
        }
    }
    let raws: Vec<&str> = printed.iter().map(|c| c.raw.as_str()).collect();
    notes.doubt_table(
        TableName::Appeals,
        DoubtKind::Elimination,
        format!(
            "{k} of {n} cells printed ({}); columns chosen by the group totals{}",
            raws.join(" "),
            if ambiguous {
                ", cells that could not be placed uniquely left blank"
            } else {
                ""
            }
        ),
    );
    notes.warn(if ambiguous {
        format!("appeals: {k} of {n} cells printed ({}); cells whose column is ambiguous are left blank", raws.join(" "))
    } else {
        format!("appeals: {k} of {n} cells printed ({}); columns inferred from the group totals", raws.join(" "))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, TableName};

    fn c(s: &str) -> Cell {
        let value = s.parse::<i64>().ok().map(Number::Int);
        Cell {
            raw: s.to_string(),
            value,
            origin: Origin::Read,
        }
    }

    fn set(t: &mut Table, row: &str, vals: &[&str]) {
        let r = t.schema().iter().position(|s| s.key == row).unwrap();
        t.cells[r] = vals.iter().map(|v| c(v)).collect();
    }

    fn vals(t: &Table, row: &str) -> Vec<Option<i64>> {
        let r = t.schema().iter().position(|s| s.key == row).unwrap();
        t.cells[r]
            .iter()
            .map(|c| {
                c.value.map(|n| match n {
                    Number::Int(i) => i,
                    Number::Decimal(d) => d as i64,
                })
            })
            .collect()
    }

    #[test]
    fn combinations_are_complete() {
        assert_eq!(floating(2, 4).len(), 6);
        assert_eq!(floating(7, 15).len(), 6435);
        assert_eq!(floating(3, 3).len(), 1);
        assert_eq!(anchored(2, 7).len(), 3);
    }

    #[test]
    fn seed_004_total_goes_to_total() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        let shorts = vec![
            Short {
                row: "new_received",
                fields: ["12", "10", "", "", "22"].map(c).to_vec(),
                mode: Mode::Anchored,
            },
            Short {
                row: "granted",
                fields: ["12", "10", "", "", "22"].map(c).to_vec(),
                mode: Mode::Anchored,
            },
            Short {
                row: "total_processed",
                fields: ["", "", "", "", "", "22"].map(c).to_vec(),
                mode: Mode::Anchored,
            },
        ];
        let mut notes = Notes::default();
        resolve(&mut t, shorts, &mut notes);
        let w = &notes.warnings;
        assert_eq!(
            vals(&t, "new_received"),
            [Some(12), Some(10), None, None, None, None, Some(22)]
        );
        assert_eq!(
            vals(&t, "granted"),
            [Some(12), Some(10), None, None, None, None, Some(22)]
        );
        assert_eq!(
            vals(&t, "total_processed"),
            [None, None, None, None, None, None, Some(22)]
        );
        assert_eq!(
            t.get("total_processed", "total").unwrap().origin,
            Origin::Inferred
        );
        assert_eq!(
            t.get("new_received", "natural_person").unwrap().origin,
            Origin::Read
        );
        assert_eq!(w.len(), 3, "{w:?}");
    }

    #[test]
    fn floating_ties_stay_blank() {
        let mut t = Table::empty(TableName::Appeals, Format::F2021);
        let fields = ["5", "2", "7", "8", "1", "9"].map(c).to_vec();
        let mut w = Notes::default();
        resolve(
            &mut t,
            vec![Short {
                row: "review",
                fields,
                mode: Mode::Floating,
            }],
            &mut w,
        );
        // Only 5 columns in a group row: 6 fields cannot be placed; nothing changes.
        assert!(t.is_blank());
        let mut t = Table::empty(TableName::Appeals, Format::F2021);
        let fields = ["5", "2", "7"].map(c).to_vec();
        resolve(
            &mut t,
            vec![Short {
                row: "review",
                fields,
                mode: Mode::Floating,
            }],
            &mut w,
        );
        // 5 + 2 = 7 fixes the total, but not where 5 and 2 go.
        assert_eq!(vals(&t, "review"), [None, None, None, None, Some(7)]);
        assert!(w.warnings.last().unwrap().contains("ambiguous"));
        assert!(w.doubts.iter().any(|d| d.row.as_deref() == Some("review")));
    }

    #[test]
    fn full_identity_makes_floating_unique() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        set(&mut t, "new_received", &["3", "1", "", "", "", "", "4"]);
        set(&mut t, "total_processed", &["3", "1", "", "", "", "", "4"]);
        let fields = ["3", "1", "4"].map(c).to_vec();
        let mut w = Notes::default();
        resolve(
            &mut t,
            vec![Short {
                row: "granted",
                fields,
                mode: Mode::Floating,
            }],
            &mut w,
        );
        assert_eq!(
            vals(&t, "granted"),
            [Some(3), Some(1), None, None, None, None, Some(4)]
        );
    }
}
