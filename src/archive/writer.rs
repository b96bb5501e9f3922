//! The single archive writer: one thread owns the connection, and every crawl task sends it
//! jobs (closures over [`Archive`]) through a channel.
//!
//! Jobs are batched: the thread opens a transaction, runs jobs as they arrive (each at once,
//! so a caller waiting for a result is answered without delay) until [`MAX_BATCH`] jobs or
//! [`MAX_BATCH_TIME`] have passed, and commits. Committing only then, rather than whenever
//! the queue is momentarily empty, keeps commits (each one writes WAL frames and flushes
//! the FTS5 index) to a few per second however busy the crawl is. A crash loses at most the open batch,
//! whose requests are still `queued` in the frontier and are fetched again on resume. A job that
//! fails is treated the same way: the whole open batch is rolled back and the thread goes on
//! with a new one, so nothing half-written is ever committed.
//!
//! A failure that will not go away ([`ArchiveError::is_persistent`]: disk or size limit full,
//! read-only file, I/O error) ends the writing for good: the open batch is rolled back, every
//! later job is refused with [`ArchiveError::WriteFailed`], and [`WriterHandle::failure`]
//! says why, so the crawl stops at once instead of fetching pages it cannot store (it once
//! fetched the same pages 60 times over, rolling back batch after batch on a full disk).
//! Nothing is lost: what was rolled back is still `queued`, and the next run fetches it.
//!
//! Jobs count what they store in a [`RunTally`] ([`WriterHandle::send_tallied`]); the counts
//! of a batch join the run's total ([`WriterHandle::committed`]) only when it commits. (Per-job
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

use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use super::runs::RunTally;
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

/// What a job is given: the archive and its batch's tally, or the reason every job is refused.
enum Slot<'a> {
    Run(&'a Archive, &'a mut RunTally),
    Refused(&'a str),
}

/// How a job went.
enum Outcome {
    /// Its writes belong to the open batch.
    Done,
    /// It failed: the open batch is rolled back.
    Failed,
    /// It failed in a way that will not go away ([`ArchiveError::is_persistent`]): the batch
    /// is rolled back and writing ends.
    Persistent(String),
}

impl Outcome {
    fn of<T>(result: &Result<T>) -> Outcome {
        match result {
            Ok(_) => Outcome::Done,
            Err(ArchiveError::WriteFailed(why)) => Outcome::Persistent(why.clone()),
            Err(e) if e.is_persistent() => Outcome::Persistent(e.to_string()),
            Err(_) => Outcome::Failed,
        }
    }
}

type Job = Box<dyn FnOnce(Slot<'_>) -> Outcome + Send>;

/// What the writer thread receives: a job, the order to commit now (answered once done), or
/// the order to commit and stop.
enum Msg {
    Job(Job),
    Commit(oneshot::Sender<()>),
    Stop,
}

/// State the writer thread shares with every handle.
#[derive(Default)]
struct Shared {
    /// The tallies of committed batches.
    committed: Mutex<RunTally>,
    /// Why writing stopped for good, once it has.
    failure: Mutex<Option<String>>,
}

impl Shared {
    fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }
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
    shared: Arc<Shared>,
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
        let shared = Arc::new(Shared::default());
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("archive-writer".into())
            .spawn(move || run(archive, rx, thread_shared))
            .expect("spawning the archive writer thread");
        Writer {
            handle: WriterHandle { tx, shared },
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
        let job: Job = Box::new(move |slot: Slot<'_>| {
            let result = match slot {
                Slot::Run(archive, _) => f(archive),
                Slot::Refused(why) => Err(ArchiveError::WriteFailed(why.to_string())),
            };
            let outcome = Outcome::of(&result);
            let _ = tx.send(result);
            outcome
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
        self.send_tallied(move |a, _| f(a))
    }

    /// As [`WriterHandle::send`], and what `f` adds to the tally it is given joins the run's
    /// [`WriterHandle::committed`] total when (and only if) its batch commits.
    pub fn send_tallied<F>(&self, f: F) -> Result<()>
    where
        F: FnOnce(&Archive, &mut RunTally) -> Result<()> + Send + 'static,
    {
        let job: Job = Box::new(move |slot: Slot<'_>| match slot {
            Slot::Run(archive, tally) => Outcome::of(&f(archive, tally).inspect_err(|e| {
                tracing::error!("archive write failed: {e}");
            })),
            Slot::Refused(_) => Outcome::Done,
        });
        self.tx
            .send(Msg::Job(job))
            .map_err(|_| ArchiveError::WriterGone)
    }

    /// Add `tally` to the run's total once the batch open now commits (counts that go with no
    /// write of their own, e.g. a robots.txt response).
    pub fn tally(&self, tally: RunTally) -> Result<()> {
        self.send_tallied(move |_, t| {
            t.add(&tally);
            Ok(())
        })
    }

    /// Commit the open batch now and wait for it: afterwards [`WriterHandle::committed`]
    /// includes every job sent before.
    pub async fn commit(&self) -> Result<()> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Msg::Commit(tx))
            .map_err(|_| ArchiveError::WriterGone)?;
        rx.await.map_err(|_| ArchiveError::WriterGone)
    }

    /// What the jobs of committed batches have counted so far.
    pub fn committed(&self) -> RunTally {
        self.shared
            .committed
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default()
    }

    /// Why writing stopped for good, if it has (every job is refused since).
    pub fn failure(&self) -> Option<String> {
        self.shared.failure()
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

/// The writer thread: batches of jobs, each committed or rolled back whole.
fn run(archive: Archive, rx: mpsc::Receiver<Msg>, shared: Arc<Shared>) -> Archive {
    let mut batch = Batch {
        archive,
        shared,
        open: false,
        failed: false,
        tally: RunTally::default(),
    };
    let mut last_checkpoint = Instant::now();
    let mut stop = false;
    while !stop {
        match rx.recv() {
            Ok(Msg::Job(job)) => batch.run(job),
            Ok(Msg::Commit(done)) => {
                batch.end();
                let _ = done.send(());
                continue;
            }
            Ok(Msg::Stop) | Err(_) => break,
        }
        let started = Instant::now();
        let mut committed = None;
        for _ in 1..MAX_BATCH {
            let Some(left) = MAX_BATCH_TIME.checked_sub(started.elapsed()) else {
                break;
            };
            match rx.recv_timeout(left) {
                Ok(Msg::Job(job)) => batch.run(job),
                Ok(Msg::Commit(done)) => {
                    committed = Some(done);
                    break;
                }
                Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    stop = true;
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
            }
        }
        batch.end();
        if let Some(done) = committed {
            let _ = done.send(());
        }
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY && batch.shared.failure().is_none() {
            last_checkpoint = Instant::now();
            if let Err(e) = batch
                .archive
                .conn
                .execute_batch("PRAGMA wal_checkpoint(PASSIVE);")
            {
                tracing::debug!("archive: checkpoint: {e}");
            }
        }
    }
    batch.end();
    batch.archive
}

/// The open transaction of the writer thread and what its jobs counted.
struct Batch {
    archive: Archive,
    shared: Arc<Shared>,
    /// A transaction is open.
    open: bool,
    /// A job of the open transaction failed: it is lost and will be rolled back.
    failed: bool,
    /// What the open transaction's jobs counted.
    tally: RunTally,
}

impl Batch {
    /// Run `job` in the open transaction (opening one if needed), or refuse it once writing
    /// has failed for good.
    fn run(&mut self, job: Job) {
        if let Some(why) = self.shared.failure() {
            let _ = job(Slot::Refused(&why));
            return;
        }
        if self.failed {
            // The batch is lost; start a clean one for the rest.
            self.rollback();
        }
        if !self.open {
            if let Err(e) = self.archive.conn.execute_batch("BEGIN IMMEDIATE") {
                let e = self.archive.err(e);
                tracing::error!("archive: cannot begin transaction: {e}");
                if e.is_persistent() {
                    self.give_up(e.to_string());
                }
                let why = self.shared.failure().unwrap_or_else(|| e.to_string());
                let _ = job(Slot::Refused(&why));
                return;
            }
            self.open = true;
        }
        match job(Slot::Run(&self.archive, &mut self.tally)) {
            Outcome::Done => {}
            Outcome::Failed => self.failed = true,
            Outcome::Persistent(why) => self.give_up(why),
        }
    }

    /// Commit the open transaction (or roll it back if a job failed).
    fn end(&mut self) {
        if !self.open {
            return;
        }
        if self.failed {
            return self.rollback();
        }
        match self.archive.conn.execute_batch("COMMIT") {
            Ok(()) => {
                self.open = false;
                let tally = std::mem::take(&mut self.tally);
                if let Ok(mut committed) = self.shared.committed.lock() {
                    committed.add(&tally);
                }
            }
            Err(e) => {
                let e = self.archive.err(e);
                tracing::error!("archive: commit failed: {e}");
                self.rollback();
                if e.is_persistent() {
                    self.give_up(e.to_string());
                }
            }
        }
    }

    fn rollback(&mut self) {
        if self.open {
            tracing::error!(
                "archive: rolling back the open batch; its requests stay queued and are fetched again"
            );
            // SQLite may have rolled back already (a full disk does that); then this fails.
            let _ = self.archive.conn.execute_batch("ROLLBACK");
        }
        self.open = false;
        self.failed = false;
        self.tally = RunTally::default();
    }

    /// A failure that will not go away: roll back and refuse every job from now on.
    fn give_up(&mut self, why: String) {
        self.rollback();
        if let Ok(mut failure) = self.shared.failure.lock() {
            if failure.is_none() {
                tracing::error!("archive: {why}; no more writes in this run");
                *failure = Some(why);
            }
        }
    }
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

    #[tokio::test]
    async fn a_full_archive_ends_the_writing_and_only_committed_jobs_count() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(&dir.path().join("full.db")).unwrap();
        // A size limit a few pages above the empty archive gives SQLite's real SQLITE_FULL.
        let pages: i64 = archive
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        archive
            .conn
            .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 12))
            .unwrap();
        let writer = Writer::spawn(archive);
        let h = writer.handle();
        let seed = |h: &WriterHandle, i: usize| {
            let portal = "名".repeat(1500);
            h.send_tallied(move |a, t| {
                a.add_seed(&format!("http://127.0.0.2/{i}/"), Some(&portal), None)?;
                t.counts.fetched += 1;
                Ok(())
            })
            .unwrap();
        };
        // Two seeds fit and are committed in a first batch; then the archive fills.
        seed(&h, 0);
        seed(&h, 1);
        h.commit().await.unwrap();
        assert_eq!(h.committed().counts.fetched, 2);
        for i in 2..200 {
            seed(&h, i);
        }
        let late = h
            .call(|a| a.add_seed("http://127.0.0.2/late/", None, None))
            .await;
        assert!(
            matches!(late, Err(ArchiveError::WriteFailed(_))),
            "jobs after a full archive are refused: {late:?}"
        );
        let why = h.failure().expect("the failure is recorded");
        assert!(why.contains("full"), "{why}");
        let committed = h.committed();
        let archive = writer.close().unwrap();
        let stored = archive.seeds().unwrap().len() as u64;
        assert!(stored >= 2, "the first batch was committed ({stored})");
        assert!(stored < 200);
        assert_eq!(
            committed.counts.fetched, stored,
            "the tally counts exactly the committed jobs"
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
