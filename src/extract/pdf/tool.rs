//! Running an external converter (`pdftotext`, `antiword`, `catdoc`) on untrusted bytes, with
//! a wall-clock timeout, an address-space limit and capped output.
//!
//! The converter reads the document from its standard input and writes text to its standard
//! output. It runs as `sh -c 'ulimit -v KB; exec TOOL ARGS…'`, so the memory limit applies to
//! the converter alone and needs neither `unsafe` (`pre_exec`) nor a `libc` dependency; `exec`
//! keeps the converter's process id the child's id, so a timeout kills the converter itself.
//! Shared by [`super`] (PDF) and [`crate::extract::doc`] (DOC/WPS).

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Limits for one converter run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Wall-clock time after which the converter is killed.
    pub timeout: Duration,
    /// Address-space limit of the converter (`ulimit -v`), in bytes.
    pub max_memory: u64,
    /// Standard output beyond this many bytes kills the converter.
    pub max_output: usize,
}

/// What a finished converter left.
#[derive(Debug)]
pub(crate) struct Output {
    /// Exit status (`code()` is `None` when a signal ended it).
    pub status: ExitStatus,
    /// Standard output, at most `Limits::max_output` bytes.
    pub stdout: Vec<u8>,
    /// The first 64 KiB of standard error.
    pub stderr: Vec<u8>,
}

/// Why a converter run gave no [`Output`].
#[derive(Debug)]
pub(crate) enum RunError {
    /// The converter (or `sh`) is not installed.
    Missing,
    /// It ran past `Limits::timeout` and was killed.
    Timeout,
    /// It wrote more than `Limits::max_output` bytes and was killed.
    OutputTooLarge,
    /// Spawning or talking to it failed.
    Io(std::io::Error),
}

/// Exit status `sh` uses when `exec` cannot find the program.
const EXEC_NOT_FOUND: i32 = 127;
/// Exit status `sh` uses when `exec` finds the program but cannot run it.
const EXEC_NOT_EXECUTABLE: i32 = 126;
/// How much standard error is kept.
const MAX_STDERR: usize = 64 * 1024;

/// Run `program args…` with `input` on its standard input, within `limits`.
pub(crate) fn run(
    program: &str,
    args: &[&str],
    input: &[u8],
    limits: &Limits,
) -> Result<Output, RunError> {
    let kib = (limits.max_memory / 1024).max(1024);
    let script = format!("ulimit -v {kib} 2>/dev/null; exec \"$0\" \"$@\"");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group, so a timeout also ends what it started (LibreOffice's
        // `soffice` runs `soffice.bin` as a child).
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RunError::Missing),
        Err(e) => return Err(RunError::Io(e)),
    };
    let deadline = Instant::now() + limits.timeout;
    let overflow = Arc::new(AtomicBool::new(false));
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        // Detached: a converter that stops reading early closes the pipe (a broken pipe is
        // no error), and one that never reads is killed, which closes it too.
        thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let stdout = child
        .stdout
        .take()
        .map(|pipe| collect(pipe, limits.max_output, Some(Arc::clone(&overflow))));
    let stderr = child
        .stderr
        .take()
        .map(|pipe| collect(pipe, MAX_STDERR, None));

    let waited = wait_until(&mut child, deadline, &overflow);
    // Output still open after the exit means a left-over descendant holds the pipe: wait a
    // little, then take what was read rather than hang.
    let grace = Instant::now() + Duration::from_secs(2);
    let stdout = stdout.map(|c| c.take(grace)).unwrap_or_default();
    let stderr = stderr.map(|c| c.take(grace)).unwrap_or_default();
    let status = match waited {
        Waited::Exited(status) => status,
        Waited::TimedOut => return Err(RunError::Timeout),
        Waited::Overflowed => return Err(RunError::OutputTooLarge),
        Waited::Failed(e) => return Err(RunError::Io(e)),
    };
    if overflow.load(Ordering::Relaxed) {
        return Err(RunError::OutputTooLarge);
    }
    if matches!(status.code(), Some(EXEC_NOT_FOUND | EXEC_NOT_EXECUTABLE)) && stdout.is_empty() {
        return Err(RunError::Missing);
    }
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

/// A pipe being read on a thread of its own into a shared buffer.
struct Collector {
    buf: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl Collector {
    /// Wait until the pipe closes or `until`, then take what was read.
    fn take(self, until: Instant) -> Vec<u8> {
        let _ = self
            .done
            .recv_timeout(until.saturating_duration_since(Instant::now()));
        match self.buf.lock() {
            Ok(mut b) => std::mem::take(&mut *b),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

/// Start reading `pipe` (keeping at most `cap` bytes; see [`read_capped`]).
fn collect(
    pipe: impl Read + Send + 'static,
    cap: usize,
    overflow: Option<Arc<AtomicBool>>,
) -> Collector {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (tx, done) = mpsc::channel();
    let shared = Arc::clone(&buf);
    thread::spawn(move || {
        read_capped(pipe, cap, overflow.as_deref(), &shared);
        let _ = tx.send(());
    });
    Collector { buf, done }
}

/// How waiting for the child ended.
enum Waited {
    Exited(ExitStatus),
    TimedOut,
    Overflowed,
    Failed(std::io::Error),
}

/// Poll the child until it exits, the deadline passes or its output overflows; kill it in
/// the last two cases. The poll interval grows from 1 ms to 20 ms, so short runs return fast.
fn wait_until(child: &mut Child, deadline: Instant, overflow: &AtomicBool) -> Waited {
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Waited::Exited(status),
            Ok(None) => {}
            Err(e) => {
                kill(child);
                return Waited::Failed(e);
            }
        }
        if overflow.load(Ordering::Relaxed) {
            kill(child);
            return Waited::Overflowed;
        }
        let now = Instant::now();
        if now >= deadline {
            kill(child);
            return Waited::TimedOut;
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Kill the child (our own process) and its process group, and reap it.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        // The group id is the child's id (`process_group(0)`); std cannot signal a group.
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Read `pipe` to its end into `kept`, keeping at most `cap` bytes; past the cap, set
/// `overflow` (if given) and stop reading, which lets the killed writer's pipe close.
fn read_capped(
    mut pipe: impl Read,
    cap: usize,
    overflow: Option<&AtomicBool>,
    kept: &Mutex<Vec<u8>>,
) {
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let chunk = buf.get(..n).unwrap_or_default();
        let Ok(mut kept) = kept.lock() else { break };
        let room = cap.saturating_sub(kept.len());
        if chunk.len() <= room {
            kept.extend_from_slice(chunk);
            continue;
        }
        kept.extend_from_slice(chunk.get(..room).unwrap_or_default());
        if let Some(flag) = overflow {
            flag.store(true, Ordering::Relaxed);
            break;
        }
        // Standard error: keep draining so the child never blocks on it.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            timeout: Duration::from_secs(5),
            max_memory: 512 << 20,
            max_output: 1 << 20,
        }
    }

    #[test]
    fn passes_stdin_through() {
        let out = run("cat", &[], b"hello", &limits()).map_err(|e| format!("{e:?}"));
        let out = out.unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success());
        assert_eq!(out.stdout, b"hello");
    }

    #[test]
    fn missing_tool_is_reported() {
        let out = run("nianbao-no-such-tool", &[], b"", &limits());
        assert!(matches!(out, Err(RunError::Missing)), "{out:?}");
    }

    #[test]
    fn timeout_kills() {
        let mut l = limits();
        l.timeout = Duration::from_millis(200);
        let start = Instant::now();
        let out = run("sleep", &["5"], b"", &l);
        assert!(matches!(out, Err(RunError::Timeout)), "{out:?}");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn timeout_ends_descendants_holding_the_pipes() {
        let mut l = limits();
        l.timeout = Duration::from_millis(300);
        let start = Instant::now();
        // The grandchild `sleep` would keep stdout open after its parent is gone; killing the
        // group closes the pipes at once (else the 2 s grace would pass).
        let out = run("sh", &["-c", "sleep 30 & sleep 30"], b"", &l);
        assert!(matches!(out, Err(RunError::Timeout)), "{out:?}");
        assert!(
            start.elapsed() < Duration::from_millis(1500),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_lingering_descendant_does_not_hang_a_finished_run() {
        let mut l = limits();
        l.timeout = Duration::from_millis(500);
        let start = Instant::now();
        let out = run("sh", &["-c", "echo done; (sleep 4 &)"], b"", &l);
        let out = out
            .map_err(|e| format!("{e:?}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.stdout, b"done\n");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn output_is_capped() {
        let mut l = limits();
        l.max_output = 1000;
        let out = run("yes", &[], b"", &l);
        assert!(matches!(out, Err(RunError::OutputTooLarge)), "{out:?}");
    }
}
