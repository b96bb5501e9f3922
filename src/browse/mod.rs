//! Browsing the archive: the read-only web UI (`nianbao serve`) and the CLI queries.
