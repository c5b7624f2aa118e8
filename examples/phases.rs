//! Times each phase of a full check, and each rule, best of N rounds: where
//! the time beyond the parse floor goes. Given a directory, it sums every
//! phase over the `.yaml` files in it (the 1,000-file corpus).
//!
//! `cargo run --release --example phases -- FILE|DIR [ROUNDS]`

mod shared;

use std::time::{Duration, Instant};

/// Phase names in first-seen order, with their time and findings summed
/// over the files of one round.
#[derive(Default)]
struct Round {
    phases: Vec<(String, Duration, usize)>,
}

impl Round {
    fn add(&mut self, name: &str, d: Duration, found: usize) {
        match self.phases.iter_mut().find(|p| p.0 == name) {
            Some(p) => {
                p.1 += d;
                p.2 += found;
            }
            None => self.phases.push((name.to_owned(), d, found)),
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: phases FILE|DIR [ROUNDS]");
    let rounds: usize = args.next().map_or(3, |r| r.parse().expect("a number"));
    let files: Vec<(String, String)> = yaml_files(&path)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable UTF-8 file");
            (p, text)
        })
        .collect();
    let rules = scalelint::engine::RuleSet::builtin().expect("the built-in rules compile");
    let linter = shared::cli_linter(&files[0].0);
    let mut best: Option<Round> = None;
    for _ in 0..rounds {
        let mut round = Round::default();
        for (path, source) in &files {
            one_file(&mut round, &rules, &linter, path, source);
        }
        best = Some(match best {
            None => round,
            Some(mut b) => {
                for (p, q) in b.phases.iter_mut().zip(&round.phases) {
                    p.1 = p.1.min(q.1);
                }
                b
            }
        });
    }
    let best = best.expect("at least one round");
    let floor = best.phases[0].1.as_secs_f64();
    println!("{} file(s), best of {rounds} rounds", files.len());
    for (name, d, found) in &best.phases {
        let s = d.as_secs_f64();
        let rule = name.starts_with("  ");
        if s * 1e3 >= 0.5 || !rule {
            let name = if rule {
                format!("{name} ({found} found)")
            } else {
                name.clone()
            };
            println!("{name:40} {:8.1} ms  {:5.3} of floor", s * 1e3, s / floor);
        }
    }
}

/// The file itself, or the `.yaml` files under the directory, sorted.
fn yaml_files(path: &str) -> Vec<String> {
    if !std::path::Path::new(path).is_dir() {
        return vec![path.to_owned()];
    }
    let mut out: Vec<String> = ignore::Walk::new(path)
        .filter_map(Result::ok)
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".yaml"))
        .collect();
    out.sort();
    out
}

fn one_file(
    round: &mut Round,
    rules: &scalelint::engine::RuleSet,
    linter: &scalelint::check::Linter,
    path: &str,
    source: &str,
) {
    let limits = shared::NO_SIZE_LIMIT;
    let t = Instant::now();
    let n = saphyr_parser::Parser::new_from_str(source)
        .filter(Result::is_ok)
        .count();
    std::hint::black_box(n);
    round.add("parse floor", t.elapsed(), 0);
    let t = Instant::now();
    let loaded = scalelint::load::load_with(source, limits);
    round.add("load (tree + model)", t.elapsed(), 0);
    let mut loaded = loaded;
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    let (Some(m), Some(tree)) = (&loaded.model, &loaded.tree) else {
        panic!("{path} loads");
    };
    let t = Instant::now();
    let facts = scalelint::model::derived::Facts::new(m, None, 1.0, &mut diags);
    round.add("facts", t.elapsed(), 0);
    let ctx = scalelint::engine::eval::Ctx::new(m, &facts, 1.0, shared::today());
    // Each rule alone, one after the other (their sum is the sequential
    // cost of the rules); then all of them as a check runs them.
    let mut scratch = Vec::new();
    for rule in &rules.rules {
        if !rule.applies_at(facts.stage) {
            continue;
        }
        scratch.clear();
        let t = Instant::now();
        scalelint::engine::eval::run(rule, &ctx, &mut scratch);
        round.add(&format!("  {}", rule.code), t.elapsed(), scratch.len());
    }
    drop(scratch);
    let parallel = scalelint::engine::eval::worth_parallel(m);
    let t = Instant::now();
    scalelint::engine::eval::run_all(rules, &ctx, &|_| true, &mut diags);
    let how = if parallel { "parallel" } else { "sequential" };
    round.add(
        &format!("rules, as a check runs them ({how})"),
        t.elapsed(),
        0,
    );
    let t = Instant::now();
    scalelint::check::sort(&mut diags);
    round.add("sort", t.elapsed(), 0);
    let t = Instant::now();
    scalelint::check::fill_paths(tree, &mut diags, parallel);
    round.add("model paths", t.elapsed(), 0);
    let t = Instant::now();
    drop(diags);
    drop(facts);
    drop(loaded);
    round.add("drop", t.elapsed(), 0);
    // The whole of it as `scalelint check` runs it (the line index,
    // suppressions and the drop of the result included), then its report.
    let t = Instant::now();
    let result = linter.check_source_with(path.to_owned(), source.to_owned(), limits);
    round.add("whole check, the CLI's Linter", t.elapsed(), 0);
    let report = scalelint::report::Report {
        files: vec![result],
    };
    let t = Instant::now();
    let json = scalelint::report::json::render(&report);
    round.add("JSON report", t.elapsed(), json.len());
    let t = Instant::now();
    drop(json);
    drop(report);
    round.add("drop of the result and report", t.elapsed(), 0);
}
