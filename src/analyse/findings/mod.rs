//! Findings (SPEC §6) — placeholder, written out below.

pub mod copies;
pub mod form;
pub mod late;
pub mod narrative;
