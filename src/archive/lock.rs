//! One crawl per archive: an exclusive `flock` on `<archive>.lock`, held for the whole crawl.
//!
//! Uses std's `File::try_lock` (flock on Unix). The operating system drops the lock when the process dies (even by `kill -9`), so a lock
//! left by a killed crawl is simply taken over by the next one; no stale-lock heuristics.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{ArchiveError, Result};

/// Held while a crawl writes the archive; released on drop or process exit.
#[derive(Debug)]
pub struct ArchiveLock {
    file: File,
    path: PathBuf,
}

impl ArchiveLock {
    /// Take the lock for `db_path`, or fail at once with [`ArchiveError::Locked`].
    pub fn acquire(db_path: &Path) -> Result<ArchiveLock> {
        let path = lock_path(db_path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let io = |source| ArchiveError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = if pid.trim().is_empty() {
                    "unknown".to_string()
                } else {
                    pid.trim().to_string()
                };
                return Err(ArchiveError::Locked {
                    path: db_path.to_path_buf(),
                    pid,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(ArchiveLock { file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ArchiveLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

fn lock_path(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    db_path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let first = ArchiveLock::acquire(&db).unwrap();
        match ArchiveLock::acquire(&db) {
            Err(ArchiveError::Locked { pid, .. }) => {
                assert_eq!(pid, std::process::id().to_string())
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        ArchiveLock::acquire(&db).unwrap();
    }
}
