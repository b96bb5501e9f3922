//! A handful of read-only archive connections shared by the web server's handlers.
//!
//! Each request borrows one [`Archive`] opened with [`Archive::open_read_only`] and runs its
//! queries on a blocking thread (SQLite calls block). Connections are kept for reuse so their
//! prepared-statement caches stay warm; a semaphore bounds how many exist at once.
//!
//! Hand-rolled rather than `r2d2`/`deadpool-sqlite`: those pin their own rusqlite versions
//! (ours is 0.37, bundled), and what is needed here is forty lines: a `Vec` of idle connections
//! behind a mutex and a semaphore.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use super::Error;
use crate::archive::{Archive, ArchiveError};

/// Most connections open at once (the machine's cores are few; queries are short).
const MAX_CONNECTIONS: usize = 8;

/// Read-only connections to one archive file.
#[derive(Debug)]
pub struct Pool {
    /// The archive file.
    path: PathBuf,
    /// Connections not in use, ready to be borrowed.
    idle: Mutex<Vec<Archive>>,
    /// One permit per connection that may exist; a request waits here when all are busy.
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Open the archive read-only (once, to fail early on a missing or too-new file).
    pub fn open(path: &Path) -> Result<Pool, ArchiveError> {
        let first = Archive::open_read_only(path)?;
        Ok(Pool {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        })
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` with a borrowed connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, Error> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Unavailable)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let archive = match pool.idle.lock().ok().and_then(|mut idle| idle.pop()) {
                Some(a) => a,
                None => Archive::open_read_only(&pool.path)?,
            };
            let out = f(&archive);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(archive);
            }
            out
        })
        .await
        .map_err(|_| Error::Unavailable)?
    }
}
