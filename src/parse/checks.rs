//! The consistency rules of SPEC §3 (勾稽关系), evaluated on parsed tables.

use crate::model::{Check, Tables};

/// Every rule of SPEC §3 that can be evaluated on one report's tables.
pub fn evaluate(tables: &Tables) -> Vec<Check> {
    let _ = tables;
    Vec::new()
}

/// `cross_year.carried_over`: this year's carried_over.total against the previous year's
/// carried_forward.total of the same agency. `None` when either side is missing.
pub fn cross_year(previous: &Tables, current: &Tables) -> Option<Check> {
    let _ = (previous, current);
    None
}
