//! # nianbao
//!
//! nianbao builds an archive of Chinese government 政府信息公开工作年度报告 (annual reports on
//! government information disclosure): it crawls the 年报 columns of government portals, keeps
//! every report once, reads the statistical tables into the canonical cells of `SPEC.md`, checks
//! them, and lets people browse and export the result.
//!
//! ## Layout
//!
//! One page's bytes pass each stage once, in this order:
//!
//! 1. [`fetch`]: a request → a response (or a typed failure), politely: robots.txt, per-host
//!    rate, retries, `Retry-After`, scope, anti-bot pages.
//! 2. [`discover`]: a listing page's response → the requests to make next (report pages and
//!    files, further listing pages), one file per CMS family.
//! 3. [`analyse`]: a detail page's or report file's bytes → an [`analyse::Analysis`]: report or
//!    not, its text and content id, its tables and checks, its metadata. It runs
//!    - [`extract`]: bytes → text and metadata (charset, the body of a detail page, PDF/DOCX/DOC
//!      text, the normalised text whose hash identifies a report), and
//!    - [`parse`]: report text → the three canonical tables of [`model`] and the SPEC §3 checks.
//! 4. [`archive`]: the SQLite file: stores responses, analyses, reports, cells and runs; holds
//!    the frontier; gives reports back as the export [`archive::record::Record`].
//! 5. [`export`] (SPEC §4 JSONL and CSV) and [`browse`] (the read-only web UI and the CLI's
//!    queries) read the archive.
//!
//! [`crawl`] is the engine that moves requests and responses through 1–4: scheduler, host
//! tasks, processing threads, one archive writer. Beside the stages: [`config`]
//! (`config.toml` and flags, validated once), [`model`] (SPEC's names and the vocabularies every
//! stage speaks, the `nianbao-model` crate), [`title`] (what a report's title looks like, shared
//! by discover, extract and analyse), [`seeds`] (seed list files) and [`cli`] (one handler per
//! subcommand). The mock portal that `nianbao demo`, the tests and the benchmarks crawl is its own
//! crate, `mock-portal` (real portals cannot be reached from a sandbox).
#![deny(missing_docs)]

pub mod analyse;
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
pub mod title;
