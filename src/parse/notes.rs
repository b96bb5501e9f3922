//! What the table readers report beside the cells: warnings (sentences for a person) and
//! doubts ([`Doubt`]: which cell, row or table may not hold what the document prints, and why).
//! Every reader takes one `&mut Notes`; `assemble.rs` hands them to [`crate::model::ParsedReport`].

use crate::model::{Doubt, DoubtKind, TableName};

/// Warnings and doubts collected while reading one report.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Sentences, in the order things were noticed.
    pub warnings: Vec<String>,
    /// Doubts, one per (table, row, column, kind) at most.
    pub doubts: Vec<Doubt>,
}

impl Notes {
    /// Adds a warning.
    pub(crate) fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Adds a doubt unless one of the same kind already covers the same place.
    pub(crate) fn doubt(&mut self, d: Doubt) {
        let known = self.doubts.iter().any(|o| {
            o.table == d.table && o.kind == d.kind && o.row == d.row && o.column == d.column
        });
        if !known {
            self.doubts.push(d);
        }
    }

    /// A doubt about row `row` of `table`.
    pub(crate) fn doubt_row(
        &mut self,
        table: TableName,
        row: &str,
        kind: DoubtKind,
        detail: impl Into<String>,
    ) {
        self.doubt(Doubt::row(table, row, kind, detail));
    }

    /// A doubt about the whole of `table`.
    pub(crate) fn doubt_table(
        &mut self,
        table: TableName,
        kind: DoubtKind,
        detail: impl Into<String>,
    ) {
        self.doubt(Doubt::table(table, kind, detail));
    }

    /// Whether a doubt of `kind` is already about row `row` of `table`.
    pub(crate) fn has(&self, table: TableName, row: &str, kind: DoubtKind) -> bool {
        self.doubts
            .iter()
            .any(|d| d.table == table && d.kind == kind && d.row.as_deref() == Some(row))
    }
}
