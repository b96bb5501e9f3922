//! The `nianbao` binary: a shim over [`nianbao::cli::main`], which parses the command line,
//! runs the command and maps the outcome to a documented exit code.

fn main() -> std::process::ExitCode {
    one_malloc_arena();
    nianbao::cli::main()
}

/// Ask glibc's malloc for a single arena.
///
/// By default glibc gives each thread that allocates its own arena (up to 8 per core), and
/// memory freed in one arena is not reused by the others. A crawl moves every page across
/// threads (fetched on a tokio worker, processed on a blocking thread, stored by the archive
/// writer), so the arenas each kept their own high-water mark and the peak RSS kept climbing
/// with the length of the crawl: 67 → 86 MB over a 10,427-page crawl. With one arena it stays
/// at 65–67 MB from the first 20 seconds on, at the same speed (`bench/RESULTS.md`). Only
/// three threads allocate much at once, so the shared arena's lock is rarely contended.
///
/// `MALLOC_ARENA_MAX` in the environment still wins: it is read when malloc initialises,
/// and this call is skipped when it is set.
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes malloc's tunables; it is called before any other
        // thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
