//! scalelint: a linter for architecture description files.

pub mod check;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod forecast;
pub mod graph;
pub mod load;
pub mod lsp;
pub mod model;
pub mod registry;
pub mod report;
pub mod span;
pub mod stage;

/// Sets up glibc's allocator for a run that allocates and frees much the
/// same amounts file after file: freed memory is kept for reuse (up to 64
/// MiB) instead of being handed back to the system and faulted in again,
/// and the heap grows 16 MiB at a time. On the 1,000-file corpus this cuts
/// the page faults by a third. Called once, first thing, by the binary
/// (and by the benchmarks that measure what it does); a no-op elsewhere.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; these two are plain
    // sizes, valid at any time, and no allocation is in progress on this
    // thread while it runs.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}
