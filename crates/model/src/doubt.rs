//! Doubts: where and why a parsed table may not hold what the document prints (stored in the
//! archive's `doubts` table, exported as the record's `doubts`).

use serde::{Deserialize, Serialize};

use crate::TableName;

/// Why a cell, a row or a whole table may not hold what the document prints: the parser placed
/// it by something weaker than an exact label in an exact position, or the result breaks a
/// plausibility rule that SPEC §3 does not state. A doubt never changes a value; it says how
/// far to trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoubtKind {
    /// The row was named by a label pieced together from the lines around it (a label wrapped
    /// around its numbers), by the row before it, or by a fragment of a damaged label.
    FuzzyLabel,
    /// Values were put in columns by their position on the page, not by printed order under a
    /// complete header.
    Position,
    /// The row printed fewer cells than it has columns; their columns were chosen by the
    /// table's own identities (the cells it could not place uniquely are left blank).
    Elimination,
    /// The table was printed column by column and its numbers dealt out by count.
    ColumnMajor,
    /// The table was found by a fallback (its heading or header missing or out of place).
    Located,
    /// Numbers printed in the table's area were left out: no row label took them.
    Unplaced,
    /// A plausibility rule beside SPEC §3 fails (`parse::plausible`).
    Implausible,
}

impl DoubtKind {
    /// Every kind, in the order above.
    pub const ALL: [DoubtKind; 7] = [
        DoubtKind::FuzzyLabel,
        DoubtKind::Position,
        DoubtKind::Elimination,
        DoubtKind::ColumnMajor,
        DoubtKind::Located,
        DoubtKind::Unplaced,
        DoubtKind::Implausible,
    ];

    /// The stored and exported spelling (`fuzzy_label`, `position`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DoubtKind::FuzzyLabel => "fuzzy_label",
            DoubtKind::Position => "position",
            DoubtKind::Elimination => "elimination",
            DoubtKind::ColumnMajor => "column_major",
            DoubtKind::Located => "located",
            DoubtKind::Unplaced => "unplaced",
            DoubtKind::Implausible => "implausible",
        }
    }

    /// Inverse of [`DoubtKind::as_str`].
    pub fn parse(s: &str) -> Option<DoubtKind> {
        DoubtKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One doubt about a table: the whole table (`row` and `column` null), one row (`column`
/// null) or one cell, what kind of doubt, and a sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doubt {
    /// The table.
    pub table: TableName,
    /// The row key, or `None` for the whole table.
    pub row: Option<String>,
    /// The column key, or `None` for the whole row (or table).
    pub column: Option<String>,
    /// Why.
    pub kind: DoubtKind,
    /// One human sentence.
    pub detail: String,
}

impl Doubt {
    /// A doubt about the whole of `table`.
    pub fn table(table: TableName, kind: DoubtKind, detail: impl Into<String>) -> Doubt {
        Doubt {
            table,
            row: None,
            column: None,
            kind,
            detail: detail.into(),
        }
    }

    /// A doubt about one row of `table`.
    pub fn row(table: TableName, row: &str, kind: DoubtKind, detail: impl Into<String>) -> Doubt {
        Doubt {
            row: Some(row.to_string()),
            ..Doubt::table(table, kind, detail)
        }
    }

    /// A doubt about one cell of `table`.
    pub fn cell(
        table: TableName,
        row: &str,
        column: &str,
        kind: DoubtKind,
        detail: impl Into<String>,
    ) -> Doubt {
        Doubt {
            row: Some(row.to_string()),
            column: Some(column.to_string()),
            ..Doubt::table(table, kind, detail)
        }
    }

    /// Whether this doubt is about the cell (`table`, `row`, `column`).
    pub fn covers(&self, table: TableName, row: &str, column: &str) -> bool {
        self.table == table
            && self.row.as_deref().is_none_or(|r| r == row)
            && self.column.as_deref().is_none_or(|c| c == column)
    }
}
