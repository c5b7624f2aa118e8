//! Where the memory of a full check goes: the heap in use after each phase
//! and its peak during the phase (counted by a wrapping allocator), beside
//! the process's resident memory, in the order the CLI's `Linter` runs the
//! phases.
//!
//! `cargo run --release --example memory -- FILE`

mod shared;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = IN_USE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters are
// updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grew(new_size - layout.size());
        } else {
            IN_USE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Prints the heap in use, its peak since the last report, and the
/// resident set (now and at its highest), then starts a new peak.
fn report(phase: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(f64::NAN, |v| v / 1e3)
    };
    let mb = |b: usize| b as f64 / 1e6;
    println!(
        "{phase:34} heap {:6.1} MB (peak {:6.1})   resident {:6.1} MB (peak {:6.1})",
        mb(IN_USE.load(Relaxed)),
        mb(PEAK.load(Relaxed)),
        kb("VmRSS:"),
        kb("VmHWM:"),
    );
    PEAK.store(IN_USE.load(Relaxed), Relaxed);
}

fn main() {
    // As `scalelint` sets up its allocator.
    scalelint::tune_allocator();
    let path = std::env::args().nth(1).expect("usage: memory FILE");
    let source = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let rules = scalelint::engine::RuleSet::builtin().expect("the built-in rules compile");
    report("the file and the rules");
    let loaded = scalelint::load::load_with(&source, shared::NO_SIZE_LIMIT);
    report("load: tree and model");
    let mut found = loaded.diagnostics;
    let model = loaded.model.expect("the file loads");
    let tree = loaded.tree.expect("the file parses");
    let facts = scalelint::model::derived::Facts::new(&model, None, 1.0, &mut found);
    report("facts");
    let ctx = scalelint::engine::eval::Ctx::new(&model, &facts, 1.0, shared::today());
    let parts = scalelint::engine::eval::run_parts(&rules, &ctx, &|_| true);
    report("rules");
    drop(facts);
    drop(model);
    let lines = scalelint::span::LineIndex::new(&source);
    report("model freed, line index built");
    scalelint::engine::eval::join(&mut found, parts);
    report("findings joined");
    scalelint::check::sort(&mut found);
    scalelint::check::fill_paths(&tree, &mut found, true);
    report("sorted, model paths filled");
    drop(tree);
    report("tree freed");
    drop(lines);
    println!(
        "{} findings of {} bytes each",
        found.len(),
        std::mem::size_of::<scalelint::diagnostic::Diagnostic>(),
    );
}
