//! Load benchmark: the YAML parse floor (saphyr-parser's bare event stream)
//! against scalelint's tree build and its full load (tree + typed model +
//! derived facts), on the same bytes, in one run. Prints the ratios the
//! performance budget speaks of.
//!
//! Each figure times the work up to its result, and frees the result
//! after the clock stops: `scalelint check` never waits for that either
//! (it hands the report to a thread and exits).
//!
//! `cargo run --release --example bench_load -- FILE [ROUNDS]`

mod shared;

use std::time::{Duration, Instant};

/// How long `f` takes to return its result (which the caller frees).
fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = std::hint::black_box(f());
    (t.elapsed(), out)
}

fn main() {
    // As `scalelint` sets up its allocator.
    scalelint::tune_allocator();
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: bench_load FILE [ROUNDS]");
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let source = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let mb = source.len() as f64 / 1e6;
    // The benchmark files may exceed the 16 MiB limit that `check` enforces.
    let limits = shared::NO_SIZE_LIMIT;

    // Interleave the three so that machine noise hits them alike.
    let mut floor = Duration::MAX;
    let mut tree = Duration::MAX;
    let mut full = Duration::MAX;
    let mut checked = Duration::MAX;
    let mut counts = (0, 0, 0, 0);
    // (c) runs what `scalelint check --no-config` runs on a file: the
    // linter the CLI builds, through its library entry point.
    let linter = shared::cli_linter(&path);
    for _ in 0..rounds {
        let (t, n) = timed(|| {
            saphyr_parser::Parser::new_from_str(&source)
                .filter(Result::is_ok)
                .count()
        });
        floor = floor.min(t);
        counts.0 = n;
        let (t, built) = timed(|| scalelint::load::parse_tree(&source, limits));
        tree = tree.min(t);
        counts.1 = built.map_or(0, |t| t.len());
        let (t, loaded) = timed(|| {
            let mut loaded = scalelint::load::load_with(&source, limits);
            let facts = loaded.model.as_ref().map(|m| {
                scalelint::model::derived::Facts::new(m, None, 1.0, &mut loaded.diagnostics).stage
            });
            (loaded, facts)
        });
        full = full.min(t);
        counts.2 = loaded.0.diagnostics.len();
        drop(loaded);
        let text = source.clone();
        let (t, result) = timed(|| linter.check_source_with(path.clone(), text, limits));
        checked = checked.min(t);
        counts.3 = result.diagnostics.len();
        drop(result);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("file: {path} ({mb:.1} MB), best of {rounds} rounds");
    println!(
        "(a) parse floor, bare event stream: {:8.1} ms  {:6.1} MB/s  ({} events)",
        ms(floor),
        mb / floor.as_secs_f64(),
        counts.0
    );
    println!(
        "    tree only:                       {:8.1} ms  ({} nodes)",
        ms(tree),
        counts.1
    );
    println!(
        "(b) load: tree + model + facts:      {:8.1} ms  ({} diagnostics)",
        ms(full),
        counts.2
    );
    println!(
        "(c) check (the CLI's Linter):        {:8.1} ms  ({} diagnostics)",
        ms(checked),
        counts.3
    );
    println!(
        "ratio tree/a: {:.2}",
        tree.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "ratio b/a:    {:.2}  (no budget of its own: (c) includes it)",
        full.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "ratio c/a:    {:.2}  (budget: 1.50)",
        checked.as_secs_f64() / floor.as_secs_f64()
    );
}
