//! # nianbao
//!
//! nianbao builds an archive of Chinese government 政府信息公开工作年度报告 (annual reports on
//! government information disclosure): it crawls the 年报 columns of government portals, keeps
//! every report once, reads the statistical tables into the canonical cells of `SPEC.md`, checks
//! them, and lets people browse and export the result.
//!
//! ## Layout
//!
//! The modules follow the data through the pipeline:
//!
//! - [`config`]: `config.toml` plus command-line overrides, validated once into a [`config::Config`].
//! - [`fetch`]: the polite HTTP client: robots.txt, per-host rate limits, retries, anti-bot detection.
//! - [`discover`]: finds report links and further listing pages on listing pages, one file per CMS family.
//! - [`extract`]: bytes → text: charset decoding, report body and metadata of detail pages,
//!   attachments (PDF, DOCX, DOC), normalisation and the content hash that identifies a report.
//! - [`parse`]: report text → the three canonical tables of [`model`], and the consistency checks.
//! - [`archive`]: the SQLite file: seeds, frontier, pages, documents, reports, cells, runs.
//! - [`crawl`]: the engine tying the stages together: scheduler, workers, one archive writer.
//! - [`export`]: SPEC §4 JSONL and CSV.
//! - [`browse`]: the read-only web UI and the CLI queries over an archive.
//! - [`seeds`]: seed list files (`seeds/*.toml`).
//! - [`cli`]: command-line definitions and one handler per subcommand.
//!
//! The mock portal behind `nianbao demo`, the integration tests and the benchmarks (a local
//! imitation of real government portals) is its own crate, `crates/mock-portal` (`mock_portal`).
#![deny(missing_docs)]

pub mod archive;
pub mod browse;
pub mod cli;
pub mod config;
pub mod crawl;
pub mod discover;
pub mod export;
pub mod extract;
pub mod fetch;
/// The canonical report model of SPEC §2–§4 (its own crate, shared with the mock portal).
pub use nianbao_model as model;
pub mod parse;
pub mod seeds;
