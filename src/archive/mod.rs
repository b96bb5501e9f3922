//! The archive: one SQLite file holding seeds, the crawl frontier, fetched pages, documents,
//! reports with their parsed cells and checks, and the history of runs.
