//! Browsing the archive (issue 5): the web UI's pages and JSON over HTTP, hostile text,
//! read-only enforcement, the CLI queries, a crawled archive, headless Chromium, Datasette.

mod fixture;

mod cli;
mod datasette;
mod demo_crawl;
mod http;
mod list;
mod scale;

mod chromium;
