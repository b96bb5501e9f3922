//! Findings (SPEC §6) — placeholder, written out below.

pub mod form;
pub mod late;
pub mod narrative;
