//! Corpus benchmark: the whole `scalelint check` process on the 1,000-file
//! corpus against the bare single-threaded YAML event stream over the same
//! files (the budget: the process, rules and all, within that time), and
//! the peak memory of a full check of the large file against its size.
//!
//! `cargo run --release --example bench_corpus -- CORPUS_DIR [ROUNDS]`
//! (CORPUS_DIR as written by `gen_corpus`: `small/` and `large.arch.yaml`).
//!
//! `bench_corpus --floor-once CORPUS_DIR` reads the small files and runs the
//! event stream over them once, for `scripts/count.sh` to count;
//! `--input-floor-once` does the same through `scalelint`'s own input.

mod shared;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = args
        .next()
        .expect("usage: bench_corpus CORPUS_DIR [ROUNDS]");
    if corpus == "--peak-rss-of-large-check" {
        return peak_rss_child(&args.next().expect("a file"));
    }
    if corpus == "--floor-once" || corpus == "--input-floor-once" {
        let small = Path::new(&args.next().expect("a corpus directory")).join("small");
        let texts = read_all(&small).1;
        let events = if corpus == "--floor-once" {
            event_stream(&texts)
        } else {
            source_input_stream(&texts)
        };
        println!("{events} events");
        return;
    }
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"))
        .max(1);

    let small = Path::new(&corpus).join("small");
    let (files, texts) = read_all(&small);
    let bytes: usize = texts.iter().map(String::len).sum();
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("scalelint");

    // Every round times the floor, the process and the stream through
    // scalelint's input, one right after the other. The machine's speed
    // can change twofold from one round to the next, so the budget's
    // figure is the median of the rounds' own ratios, whose two sides
    // share a spell; the ratio of the two bests, taken in different
    // rounds, is printed too.
    let (mut floors, mut processes, mut owns) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(event_stream(&texts));
        floors.push(t.elapsed());
        let t = Instant::now();
        let status = Command::new(&bin)
            .args(["check", "--no-config", "--format", "json"])
            .arg(&small)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.code().is_some_and(|c| c <= 1));
        processes.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(source_input_stream(&texts));
        owns.push(t.elapsed());
    }
    let ratios = |over: &[Duration]| -> Vec<f64> {
        let mut r: Vec<f64> = processes
            .iter()
            .zip(over)
            .map(|(p, o)| p.as_secs_f64() / o.as_secs_f64())
            .collect();
        r.sort_by(f64::total_cmp);
        r
    };
    let median = |r: &[f64]| {
        let n = r.len();
        if n % 2 == 1 {
            r[n / 2]
        } else {
            (r[n / 2 - 1] + r[n / 2]) / 2.0
        }
    };
    let best = |d: &[Duration]| d.iter().min().copied().unwrap_or_default();
    let (floor, process, own) = (best(&floors), best(&processes), best(&owns));
    let (paired, paired_own) = (ratios(&floors), ratios(&owns));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "corpus: {} files, {:.1} MB, {rounds} rounds",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "    bare event stream, one thread:   {:8.1} ms (best)",
        ms(floor)
    );
    println!(
        "(d) scalelint check, whole process: {:8.1} ms (best)",
        ms(process)
    );
    println!(
        "ratio d/floor: {:.2}  (budget: 1.00; the median of the rounds' ratios)",
        median(&paired)
    );
    println!(
        "    the rounds' ratios from {:.2} to {:.2}; the ratio of the bests: {:.2}",
        paired[0],
        paired[paired.len() - 1],
        process.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "    the event stream through scalelint's input: {:.1} ms (best); d against it: median {:.2}, ratio of the bests {:.2}",
        ms(own),
        median(&paired_own),
        process.as_secs_f64() / own.as_secs_f64()
    );

    let large = Path::new(&corpus).join("large.arch.yaml");
    let size = std::fs::metadata(&large).unwrap().len();
    let out = Command::new(&exe)
        .args(["--peak-rss-of-large-check", large.to_str().unwrap()])
        .output()
        .unwrap();
    let kb: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    println!(
        "(f) peak RSS of a full check of the large file: {:.1} MB for {:.1} MB of YAML",
        kb as f64 / 1e3,
        size as f64 / 1e6
    );
    println!(
        "ratio f/size: {:.2}  (budget: 10.00)",
        kb as f64 * 1e3 / size as f64
    );
}

/// The corpus's files, sorted, and their texts.
fn read_all(small: &Path) -> (Vec<std::path::PathBuf>, Vec<String>) {
    let mut files: Vec<_> = std::fs::read_dir(small)
        .expect("CORPUS_DIR/small")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let texts = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    (files, texts)
}

/// The floor: the bare event stream over every text, on one thread.
fn event_stream(texts: &[String]) -> usize {
    stream(texts, saphyr_parser::Parser::new_from_str)
}

/// The same stream through the input `scalelint` parses with (its shorter
/// read-ahead spares a reallocation per plain scalar): what the parse costs
/// inside the process.
fn source_input_stream(texts: &[String]) -> usize {
    stream(texts, |s| {
        saphyr_parser::Parser::new(scalelint::load::input::SourceInput::new(s))
    })
}

/// The events of a parser over every text, counted.
fn stream<'a, T: saphyr_parser::Input>(
    texts: &'a [String],
    parser: impl Fn(&'a str) -> saphyr_parser::Parser<'a, T>,
) -> usize {
    texts
        .iter()
        .map(|s| parser(s).filter(Result::is_ok).count())
        .sum()
}

/// Runs (c) once in this process (the linter `scalelint check
/// --no-config` builds, through its library entry point, with the size
/// limit lifted) and prints the peak RSS in kB (VmHWM).
fn peak_rss_child(file: &str) {
    // As `scalelint` sets up its allocator.
    scalelint::tune_allocator();
    let source = std::fs::read_to_string(file).unwrap();
    let limits = shared::NO_SIZE_LIMIT;
    let linter = shared::cli_linter(file);
    let result = linter.check_source_with(file.to_owned(), source, limits);
    std::hint::black_box(&result);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{hwm}");
}
