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
//! - `cli.rs`: any subcommand of the built binary against a workdir.
//! - `crawled.rs`: one archive crawled from the mock portal, shared by the tests that read it.
//! - `csv.rs`: reading CSV back (RFC 4180).
//! - `tools.rs`: [`require_tool`]: external programs a test needs (skip, or fail under CI).
#![allow(dead_code)]

mod archive;
mod cli;
mod crawled;
mod csv;
mod export;
mod fixtures;
mod portal;
mod tools;
mod workdir;

pub use archive::{count, strings};
pub use cli::{nianbao, nianbao_ok};
pub use crawled::{crawled, crawled_copy};
pub use csv::parse_csv;
pub use export::{by_id, export_diff};
pub use fixtures::{fixture, url};
pub use portal::portal;
pub use tools::{find_tool, require_tool};
pub use workdir::{assert_ok, bin, workdir, workdir_with, Workdir};
