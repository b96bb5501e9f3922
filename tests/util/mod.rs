//! Helpers shared by the behaviour modules of the test binary, one file per job. A helper
//! lives here as soon as two top-level test modules use it; behaviour modules import from
//! `util`, never from each other. (Inside an area with submodules — `browse/`, `demo/`,
//! `attachments/`, `parse/` — the submodules share their area's helpers through the area's
//! own file, `browse.rs`, `demo.rs`, …, and its fixture module, never through a sibling.)
//!
//! - `workdir.rs`: a temporary archive with a fast test config (or a given one), and running
//!   the built binary against it (`crawl`, bounded in time or not, `export`, the last run).
//! - `archive.rs`: one-column and count queries over an archive.
//! - `export.rs`: exports keyed by report id, and a readable diff of two exports.
//! - `portal.rs`: the Standard mock portal on a block of loopback addresses.
//! - `fixtures.rs`: paths of the files in `tests/fixtures/`, and URLs for pages read there.
#![allow(dead_code)]

mod archive;
mod export;
mod fixtures;
mod portal;
mod workdir;

pub use archive::{count, strings};
pub use export::{by_id, export_diff};
pub use fixtures::{fixture, url};
pub use portal::portal;
pub use workdir::{assert_ok, bin, workdir, workdir_with, Workdir};
