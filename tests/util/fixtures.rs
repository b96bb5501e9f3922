//! The files in `tests/fixtures/`, and URLs to read pages at.

use std::path::{Path, PathBuf};

use url::Url;

/// Path of a fixture file.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A URL from a test's literal.
pub fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}
