//! A table as a rectangular grid of text slots, with row and column spans resolved.
//!
//! HTML tables (built in this module's sibling for HTML) and DOCX tables (built by
//! `extract::docx`) both end up as a [`Grid`], so one table reader serves both.

/// A table with spans resolved: `rows[r][c]` is the slot at row `r`, grid column `c`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// Rows of equal length.
    pub rows: Vec<Vec<GridCell>>,
}

/// One slot of a [`Grid`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GridCell {
    /// The text of the cell covering this slot, whitespace collapsed.
    pub text: String,
    /// False for the slot where the cell starts; true for slots it covers through
    /// `rowspan`/`colspan` (`gridSpan`/`vMerge` in DOCX).
    pub spanned: bool,
}
