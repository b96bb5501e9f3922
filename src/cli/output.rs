//! What the browsing commands share: the archive opened read-only, and printing to stdout
//! (a closed pipe, as in `nianbao list | head`, is not an error).

use std::io::Write;
use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::Archive;
use crate::config::Overrides;

/// The archive of the configuration, read-only.
pub(super) fn open(config: &Option<PathBuf>, db: &Option<PathBuf>) -> Result<Archive, Failure> {
    let config = load_config(config, db, Overrides::default())?;
    Ok(Archive::open_read_only(&config.db_path)?)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub(super) fn emit(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::fatal(e)),
        _ => Ok(()),
    }
}

/// `v` as pretty JSON on stdout.
pub(super) fn emit_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let mut s = serde_json::to_string_pretty(v).map_err(Failure::fatal)?;
    s.push('\n');
    emit(&s)
}
