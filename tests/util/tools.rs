//! External programs some tests need (poppler, LibreOffice, catdoc, Chromium, Datasette,
//! warcio): one place that decides whether such a test runs, skips or fails.
//!
//! Outside CI a missing program skips the test with a message (a developer machine need not
//! have LibreOffice). Under CI (`CI` set, as `.ci/run` does after installing everything) it
//! fails the test with the package to install: there a missing program is a broken set-up, and
//! a test that passes by skipping proves nothing.

use std::path::PathBuf;

/// The programs tests use, each with the package that provides it.
const TOOLS: &[(&str, &str)] = &[
    (
        "pdftotext",
        "the Debian package poppler-utils (apt-get install poppler-utils poppler-data)",
    ),
    (
        "pdftoppm",
        "the Debian package poppler-utils (apt-get install poppler-utils)",
    ),
    (
        "soffice",
        "the Debian package libreoffice-writer-nogui (apt-get install libreoffice-writer-nogui)",
    ),
    (
        "catdoc",
        "the Debian package catdoc (apt-get install catdoc)",
    ),
    (
        "chromium",
        "the Debian package chromium (apt-get install chromium)",
    ),
    (
        "datasette",
        "the pip package datasette (pip install datasette)",
    ),
    ("warcio", "the pip package warcio (pip install warcio)"),
];

/// Whether the tests run under CI: `CI` set to anything but empty, `0` or `false`.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "False"))
}

/// Where `tool` is on `PATH`, if anywhere.
pub fn find_tool(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &std::path::Path) -> bool {
    p.is_file()
}

/// True when `tool` is installed. Otherwise: under CI, panic naming the package that provides
/// it; elsewhere print that the test is skipped and return false. Use as
/// `if !require_tool("pdftotext") { return; }` at the top of a test.
pub fn require_tool(tool: &str) -> bool {
    if find_tool(tool).is_some() {
        return true;
    }
    let package = TOOLS
        .iter()
        .find(|(name, _)| *name == tool)
        .map(|(_, package)| *package)
        .unwrap_or("its package");
    if under_ci() {
        panic!("`{tool}` is not installed but CI is set: install {package} (.ci/run does)");
    }
    eprintln!("skipped: `{tool}` is not installed (it comes with {package}; .ci/run installs it)");
    false
}
