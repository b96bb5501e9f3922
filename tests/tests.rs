//! The one integration-test binary (ripgrep's layout): each module tests one behaviour area.
//! End-to-end modules start the mock portal (the `mock_portal` crate) on 127.0.0.x and run the
//! built `nianbao` binary against it.
//!
//! Helpers more than one module uses live in `util/` (workdir and binary, archive queries,
//! export comparison, the portal, fixture paths); modules import them from `util`, never from
//! each other. Fixtures are in `tests/fixtures/`, one directory per area with its README.

mod util;

// Pure stages on fixtures.
mod attachments;
mod discover;
mod extract;
mod parse;
mod table_variations;

// The mock portal itself.
mod demo;

// The binary end to end.
mod attachment_portal;
mod cli;
mod crawl;
mod export;
mod faults;
mod fetch_only;
mod hostile;
mod oversize;
mod variations;
mod warc;

// The web UI, CLI queries and Datasette over an archive.
mod browse;
