//! The archive: one SQLite file holding seeds, the crawl frontier, fetched pages, documents,
//! reports with their parsed cells and checks, and the history of runs (see [`schema`]).
//!
//! Takes responses and analyses ([`crate::analyse::Analysis`]) to store; gives back the
//! frontier's due requests, archived pages for (re-)analysis, and reports as
//! [`record::Record`]s. [`Archive`] wraps one connection and offers the operations the other
//! stages need, grouped by file: [`frontier`] (the to-do list and seen-set), [`store`] (pages,
//! documents, reports, cells), [`ingest`] (an analysed document: its report, URLs, cells and
//! checks), [`record`] (a report as its users read it: the export record), [`analysis`]
//! (archived pages read back for analysis), [`runs`], [`fts`] (search indexing deferred during
//! a crawl), [`warc`] (the optional WARC files beside the SQLite file). During a crawl one [`writer::Writer`] thread owns the connection and runs every
//! operation in batched transactions; commands such as `export` and `serve` open their own
//! read-only connection. [`lock::ArchiveLock`] keeps two crawls off one archive.

pub mod analysis;
pub mod frontier;
pub mod fts;
pub mod ingest;
pub mod links;
pub mod lock;
pub mod parts;
pub mod record;
pub mod reparse;
pub mod runs;
pub mod schema;
pub mod store;
pub mod tables;
pub mod warc;
pub mod writer;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// An archive operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// SQLite said no.
    #[error("archive {path}: {source}")]
    Sqlite {
        /// The archive file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The file system said no (creating the directory, the lock file).
    #[error("archive {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Another `nianbao crawl` holds the archive.
    #[error(
        "archive {path} is locked by another running crawl (pid {pid}); wait for it to finish"
    )]
    Locked {
        /// The archive file.
        path: PathBuf,
        /// Process id recorded in the lock file, or "unknown".
        pid: String,
    },
    /// The archive was written by a newer nianbao.
    #[error("archive {path} has schema version {found}; this nianbao knows up to {known}")]
    TooNew {
        /// The archive file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// Ours.
        known: usize,
    },
    /// A value could not be encoded for storage (a bug, not a property of the input).
    #[error("archive {path}: cannot encode {what}")]
    Encode {
        /// The archive file.
        path: PathBuf,
        /// What, and why.
        what: String,
    },
    /// The writer thread is gone (it panicked or was shut down).
    #[error("archive writer stopped")]
    WriterGone,
    /// An earlier write failed in a way that will not go away (see
    /// [`ArchiveError::is_persistent`]); the writer refuses every job since.
    #[error("archive write failed: {0}")]
    WriteFailed(String),
}

impl ArchiveError {
    /// Whether retrying the write cannot help: the disk or the archive's size limit is full,
    /// the file or its file system is read-only or not permitted, an I/O error, or the file
    /// is corrupt. A crawl stops on these instead of fetching pages it cannot store.
    pub fn is_persistent(&self) -> bool {
        use rusqlite::ErrorCode as C;
        match self {
            ArchiveError::Sqlite {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => matches!(
                e.code,
                C::DiskFull
                    | C::ReadOnly
                    | C::SystemIoFailure
                    | C::CannotOpen
                    | C::PermissionDenied
                    | C::DatabaseCorrupt
                    | C::NotADatabase
            ),
            ArchiveError::WriteFailed(_) => true,
            _ => false,
        }
    }
}

/// Result type of archive operations.
pub type Result<T> = std::result::Result<T, ArchiveError>;

/// An open archive.
pub struct Archive {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("path", &self.path).finish()
    }
}

impl Archive {
    /// Open (creating if needed) the archive at `path` for writing, and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Archive> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| sql_err(path, source))?;
        let archive = Archive {
            conn,
            path: path.to_path_buf(),
        };
        archive
            .conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;",
            )
            .map_err(|e| archive.err(e))?;
        archive.migrate()?;
        Ok(archive)
    }

    /// Open an existing archive read-only (export, serve, status). Writes through this
    /// connection fail at the SQLite level.
    pub fn open_read_only(path: &Path) -> Result<Archive> {
        if !path.exists() {
            return Err(ArchiveError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no archive here; run `nianbao crawl` first",
                ),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| sql_err(path, source))?;
        let archive = Archive {
            conn,
            path: path.to_path_buf(),
        };
        archive
            .conn
            .execute_batch("PRAGMA busy_timeout = 10000; PRAGMA query_only = ON;")
            .map_err(|e| archive.err(e))?;
        let version: i64 = archive
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| archive.err(e))?;
        if version as usize > schema::MIGRATIONS.len() {
            return Err(ArchiveError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: schema::MIGRATIONS.len(),
            });
        }
        Ok(archive)
    }

    fn migrate(&self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version as usize > schema::MIGRATIONS.len() {
            return Err(ArchiveError::TooNew {
                path: self.path.clone(),
                found: version,
                known: schema::MIGRATIONS.len(),
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let mut batch = format!("BEGIN;\n{sql}\n");
            if i == 0 {
                batch.push_str(&schema::requests_view_sql());
            }
            batch.push_str(&format!("\nPRAGMA user_version = {};\nCOMMIT;", i + 1));
            self.conn.execute_batch(&batch).map_err(|e| {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.err(e)
            })?;
        }
        Ok(())
    }

    /// The underlying connection, for queries the typed operations do not cover (browse).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run one statement through the connection's statement cache (`Connection::execute`
    /// would compile the SQL again on every call; the crawl runs the same few statements
    /// thousands of times).
    pub(crate) fn exec(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.conn.prepare_cached(sql)?.execute(params)
    }

    /// Wrap a SQLite error with the archive path.
    pub(crate) fn err(&self, source: rusqlite::Error) -> ArchiveError {
        sql_err(&self.path, source)
    }

    /// `PRAGMA integrity_check` → "ok" or the first problem.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

fn sql_err(path: &Path, source: rusqlite::Error) -> ArchiveError {
    ArchiveError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// Milliseconds since the Unix epoch, the archive's time unit.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Current time as RFC 3339 text (runs, seeds).
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
