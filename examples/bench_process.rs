//! Whole-process benchmark: `scalelint check` on one typical file, spawned
//! repeatedly, so the figure includes start-up, loading every built-in rule,
//! and the report. The budget is 10 ms wall.
//!
//! `cargo build --release && cargo run --release --example bench_process -- [FILE] [RUNS]`

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .unwrap_or_else(|| "fixtures/bench/typical-300.arch.yaml".into());
    let runs: usize = args
        .next()
        .map_or(50, |r| r.parse().expect("RUNS is a number"));
    let exe = std::env::current_exe().expect("the example's own path");
    // target/release/examples/bench_process → target/release/scalelint
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("target dir")
        .join("scalelint");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    let lines = std::fs::read_to_string(&file)
        .expect("readable file")
        .lines()
        .count();

    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let status = Command::new(&bin)
                .args(["check", "--format", "json", &file])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("the binary runs");
            assert!(status.code().is_some_and(|c| c <= 1), "check failed to run");
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("file: {file} ({lines} lines), {runs} runs of the whole process");
    println!(
        "min {:.2} ms, median {:.2} ms, p90 {:.2} ms  (budget: 10 ms)",
        ms(times[0]),
        ms(times[runs / 2]),
        ms(times[runs * 9 / 10])
    );
}
