//! The single archive writer: one thread owns the connection, and every crawl task sends it
//! jobs (closures over [`Archive`]) through a channel.
//!
//! Jobs are batched: the thread opens a transaction, runs jobs as they arrive (each at once,
//! so a caller waiting for a result is answered without delay) until [`MAX_BATCH`] jobs or
//! [`MAX_BATCH_TIME`] have passed, and commits. Committing only then, rather than whenever
//! the queue is momentarily empty, keeps commits (each one writes WAL frames and flushes
//! the FTS5 index) to a few per second however busy the crawl is. A crash loses at most the open batch,
//! whose requests are still `queued` in the frontier and are fetched again on resume. A job that
//! fails (disk full, a bug) is treated the same way: the whole open batch is rolled back and the
//! thread goes on with a new one, so nothing half-written is ever committed. (Per-job
//! savepoints would allow finer rollback, but every savepoint makes SQLite's FTS5 flush its
//! pending index to a new segment, which cost a fifth of the crawl's CPU in merges.)
//!
//! WAL checkpoints (copying committed pages from the `-wal` file into the database, with an
//! fsync) run on a second thread with its own connection, every [`CHECKPOINT_EVERY`]; SQLite's
//! automatic checkpoint would run them inside the writer's commits and stall every crawl task
//! waiting for the writer. That thread alone never catches up with a writer that appends all
//! the time, and SQLite only starts the WAL file over once every frame is copied: a 100k-page
//! crawl grew a 24 GB WAL that way. So the writer also runs a checkpoint itself between two
//! batches every [`CHECKPOINT_EVERY`] — cheap, since the thread has copied most frames, and
//! complete, since nothing is appended meanwhile — and its next transaction rewinds the WAL.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::{Archive, ArchiveError, Result};

/// Most jobs committed in one transaction.
pub const MAX_BATCH: usize = 512;
/// Longest a batch stays open.
pub const MAX_BATCH_TIME: Duration = Duration::from_millis(100);

/// Most jobs waiting for the writer. A job holds a page's body, text and parsed tables, so
/// an unbounded queue let memory follow the writer's backlog; when it is full, senders wait
/// (backpressure on the fetching and processing tasks) until the writer takes the next job.
/// Jobs never send jobs themselves, so the writer can always drain the queue.
pub const QUEUE: usize = 256;

/// How often the checkpoint thread copies the WAL into the database.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// A job returns whether it succeeded; a failure rolls back the open batch.
type Job = Box<dyn FnOnce(&Archive) -> bool + Send>;

/// What the writer thread receives: a job, or the order to commit and stop.
enum Msg {
    Job(Job),
    Stop,
}

/// Handle to the writer thread. Cloneable senders live in [`Writer::handle`].
pub struct Writer {
    handle: WriterHandle,
    thread: Option<JoinHandle<Archive>>,
    checkpointer: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

/// The writer's page cache for a full crawl or an analysis, in KiB. Larger than SQLite's 2 MB
/// default: a batch touches the frontier, pages, reports and cells B-trees, and spilling dirty
/// pages mid-transaction showed up in profiles. 8 MB rather than 16: the larger cache added
/// 7 MB of peak RSS to a 10k-page crawl without a measurable speed-up; 4 MB cost 10% more
/// system time.
pub const CACHE_KIB: u32 = 8192;

/// The writer's page cache for a fetch-only crawl, in KiB: SQLite's default. Such a crawl
/// only appends pages and frontier rows, and the 8 MB cache was a fifth of its peak RSS
/// (44 → 37 MB on a 5,000-report crawl) for no measurable speed-up.
pub const FETCH_ONLY_CACHE_KIB: u32 = 2048;

/// A cheap, cloneable way to send jobs to the writer.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::SyncSender<Msg>,
}

impl Writer {
    /// Start the writer thread owning `archive`, with SQLite's page cache at
    /// [`CACHE_KIB`].
    pub fn spawn(archive: Archive) -> Writer {
        Writer::with_cache(archive, CACHE_KIB)
    }

    /// Start the writer thread owning `archive` with a page cache of `cache_kib` KiB.
    pub fn with_cache(archive: Archive, cache_kib: u32) -> Writer {
        if let Err(e) = archive
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{cache_kib};"))
        {
            tracing::debug!("archive: cache_size: {e}");
        }
        let checkpointer = spawn_checkpointer(&archive);
        let (tx, rx) = mpsc::sync_channel::<Msg>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("archive-writer".into())
            .spawn(move || run(archive, rx))
            .expect("spawning the archive writer thread");
        Writer {
            handle: WriterHandle { tx },
            thread: Some(thread),
            checkpointer,
        }
    }

    /// A sender for jobs.
    pub fn handle(&self) -> WriterHandle {
        self.handle.clone()
    }

    /// Commit everything sent so far, stop the thread and give the archive back. Handles
    /// still alive afterwards get [`ArchiveError::WriterGone`].
    pub fn close(mut self) -> Option<Archive> {
        let _ = self.handle.tx.send(Msg::Stop);
        let archive = self.thread.take().and_then(|t| t.join().ok());
        if let Some((stop, thread)) = self.checkpointer.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
        if let Some(a) = &archive {
            // Back to SQLite's own checkpoints for whoever uses the connection next.
            let _ = a
                .conn
                .execute_batch("PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE);");
        }
        archive
    }
}

impl WriterHandle {
    /// Run `f` on the writer thread inside the current batch and wait for its result. While
    /// the queue is full (see [`QUEUE`]) the sending thread itself waits for room.
    pub async fn call<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Archive) -> Result<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |archive: &Archive| {
            let result = f(archive);
            let ok = result.is_ok();
            let _ = tx.send(result);
            ok
        });
        self.tx
            .send(Msg::Job(job))
            .map_err(|_| ArchiveError::WriterGone)?;
        rx.await.map_err(|_| ArchiveError::WriterGone)?
    }

    /// Run `f` on the writer thread without waiting for it (only for room in the queue, see
    /// [`QUEUE`]); errors are logged.
    pub fn send<F>(&self, f: F) -> Result<()>
    where
        F: FnOnce(&Archive) -> Result<()> + Send + 'static,
    {
        let job: Job = Box::new(move |archive: &Archive| match f(archive) {
            Ok(()) => true,
            Err(e) => {
                tracing::error!("archive write failed: {e}");
                false
            }
        });
        self.tx
            .send(Msg::Job(job))
            .map_err(|_| ArchiveError::WriterGone)
    }
}

/// Turn off automatic checkpoints on the writer's connection and start the checkpoint
/// thread. Without a second connection (an in-memory archive, or an open failure) the
/// writer keeps SQLite's automatic checkpoints.
fn spawn_checkpointer(archive: &Archive) -> Option<(mpsc::Sender<()>, JoinHandle<()>)> {
    let conn = rusqlite::Connection::open(archive.path()).ok()?;
    conn.execute_batch("PRAGMA busy_timeout = 10000;").ok()?;
    archive
        .conn
        .execute_batch("PRAGMA wal_autocheckpoint = 0;")
        .ok()?;
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("archive-checkpoint".into())
        .spawn(move || loop {
            match stopped.recv_timeout(CHECKPOINT_EVERY) {
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // PASSIVE: copy what no reader still needs, never wait for the writer.
                    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE);") {
                        tracing::debug!("archive: checkpoint: {e}");
                    }
                }
                _ => return,
            }
        })
        .ok()?;
    Some((stop, thread))
}

fn run(archive: Archive, rx: mpsc::Receiver<Msg>) -> Archive {
    let mut stop = false;
    let mut last_checkpoint = Instant::now();
    while !stop {
        let first = match rx.recv() {
            Ok(Msg::Job(job)) => job,
            Ok(Msg::Stop) | Err(_) => break,
        };
        begin(&archive);
        let mut failed = !first(&archive);
        let started = Instant::now();
        let mut n = 1;
        while n < MAX_BATCH {
            let Some(left) = MAX_BATCH_TIME.checked_sub(started.elapsed()) else {
                break;
            };
            match rx.recv_timeout(left) {
                Ok(Msg::Job(job)) => {
                    if failed {
                        // The batch is lost; start a clean one for the rest.
                        rollback(&archive);
                        begin(&archive);
                    }
                    failed = !job(&archive);
                    n += 1;
                }
                Ok(Msg::Stop) => {
                    stop = true;
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    stop = true;
                    break;
                }
            }
        }
        if failed {
            rollback(&archive);
        } else if let Err(e) = archive.conn.execute_batch("COMMIT") {
            tracing::error!("archive: commit failed: {e}");
            rollback(&archive);
        }
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            last_checkpoint = Instant::now();
            if let Err(e) = archive
                .conn
                .execute_batch("PRAGMA wal_checkpoint(PASSIVE);")
            {
                tracing::debug!("archive: checkpoint: {e}");
            }
        }
    }
    archive
}

fn begin(archive: &Archive) {
    if let Err(e) = archive.conn.execute_batch("BEGIN IMMEDIATE") {
        tracing::error!("archive: cannot begin transaction: {e}");
    }
}

fn rollback(archive: &Archive) {
    tracing::error!(
        "archive: rolling back the open batch; its requests stay queued and are fetched again"
    );
    let _ = archive.conn.execute_batch("ROLLBACK");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_job_rolls_back_its_batch_and_later_batches_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let writer = Writer::spawn(Archive::open(&path).unwrap());
        let h = writer.handle();
        let failed = h
            .call(|a| {
                a.add_seed("http://127.0.0.2/b/", None, None)?;
                a.conn
                    .execute("INSERT INTO no_such_table VALUES (1)", [])
                    .map_err(|e| a.err(e))?;
                Ok(())
            })
            .await;
        assert!(failed.is_err());
        h.call(|a| a.add_seed("http://127.0.0.2/a/", None, None).map(|_| ()))
            .await
            .unwrap();
        // Closing does not wait for outstanding handles, and they fail cleanly afterwards.
        let archive = writer.close().unwrap();
        assert!(matches!(
            h.call(|_| Ok(())).await,
            Err(ArchiveError::WriterGone)
        ));
        let seeds: Vec<String> = archive
            .seeds()
            .unwrap()
            .into_iter()
            .map(|s| s.url)
            .collect();
        assert_eq!(
            seeds,
            ["http://127.0.0.2/a/"],
            "nothing of the failed job may be committed"
        );
    }

    #[test]
    fn a_full_queue_makes_senders_wait_until_the_writer_takes_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Writer::spawn(Archive::open(&dir.path().join("q.db")).unwrap());
        let h = writer.handle();
        // The first job holds the writer until `release` fires; once it has started, the
        // queue is empty.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        h.send(move |_| {
            let _ = started_tx.send(());
            let _ = wait.recv();
            Ok(())
        })
        .unwrap();
        started.recv_timeout(Duration::from_secs(10)).unwrap();
        // QUEUE more jobs fill the queue; one more has to wait for room.
        let (sent_tx, sent) = std::sync::mpsc::channel::<usize>();
        let sender = {
            let h = h.clone();
            std::thread::spawn(move || {
                for i in 0..=QUEUE {
                    h.send(|_| Ok(())).unwrap();
                    sent_tx.send(i).unwrap();
                }
            })
        };
        for i in 0..QUEUE {
            assert_eq!(sent.recv_timeout(Duration::from_secs(10)), Ok(i));
        }
        assert!(
            sent.recv_timeout(Duration::from_millis(300)).is_err(),
            "only QUEUE jobs fit while the writer is busy"
        );
        release.send(()).unwrap();
        sender.join().unwrap();
        assert_eq!(sent.recv().unwrap(), QUEUE);
        writer.close().unwrap();
    }
}
