//! Times each phase of a full check of one file, and each rule, best of
//! N rounds: where the time beyond the parse floor goes.
//!
//! `cargo run --release --example phases -- FILE [ROUNDS]`

mod shared;

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: phases FILE [ROUNDS]");
    let rounds: usize = args.next().map_or(3, |r| r.parse().expect("a number"));
    let source = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let limits = shared::NO_SIZE_LIMIT;
    let rules = scalelint::engine::RuleSet::builtin().expect("the built-in rules compile");
    let today = shared::today();
    let linter = shared::cli_linter(&path);
    let mut phases: Vec<(String, Duration)> = Vec::new();
    let mut record = |i: &mut usize, name: &str, d: Duration| {
        if *i == phases.len() {
            phases.push((name.to_owned(), d));
        } else {
            phases[*i].1 = phases[*i].1.min(d);
        }
        *i += 1;
    };
    for _ in 0..rounds {
        let mut i = 0;
        let t = Instant::now();
        let n = saphyr_parser::Parser::new_from_str(&source)
            .filter(Result::is_ok)
            .count();
        std::hint::black_box(n);
        record(&mut i, "parse floor", t.elapsed());
        let t = Instant::now();
        let loaded = scalelint::load::load_with(&source, limits);
        record(&mut i, "load (tree + model)", t.elapsed());
        let mut loaded = loaded;
        let mut diags = std::mem::take(&mut loaded.diagnostics);
        let (Some(m), Some(tree)) = (&loaded.model, &loaded.tree) else {
            panic!("the file loads");
        };
        let t = Instant::now();
        let facts = scalelint::model::derived::Facts::new(m, None, 1.0, &mut diags);
        record(&mut i, "facts", t.elapsed());
        let ctx = scalelint::engine::eval::Ctx {
            model: m,
            facts: &facts,
            load: 1.0,
            today,
        };
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
            let d = t.elapsed();
            record(
                &mut i,
                &format!("  {} ({} found)", rule.code, scratch.len()),
                d,
            );
        }
        drop(scratch);
        let parallel = scalelint::engine::eval::worth_parallel(m);
        let t = Instant::now();
        scalelint::engine::eval::run_all(&rules, &ctx, &|_| true, &mut diags);
        record(
            &mut i,
            &format!(
                "rules, as a check runs them ({})",
                if parallel { "parallel" } else { "sequential" }
            ),
            t.elapsed(),
        );
        let t = Instant::now();
        scalelint::check::sort(&mut diags);
        record(&mut i, "sort", t.elapsed());
        let t = Instant::now();
        scalelint::check::fill_paths(tree, &mut diags, parallel);
        record(&mut i, "model paths", t.elapsed());
        let t = Instant::now();
        drop(diags);
        drop(facts);
        drop(loaded);
        record(&mut i, "drop", t.elapsed());
        // The whole of it as `scalelint check` runs it (the line index,
        // suppressions and the drop of the result included).
        let text = source.clone();
        let t = Instant::now();
        let result = linter.check_source_with(path.clone(), text, limits);
        let n = result.diagnostics.len();
        drop(result);
        record(
            &mut i,
            &format!("whole check, the CLI's Linter ({n})"),
            t.elapsed(),
        );
    }
    let floor = phases[0].1.as_secs_f64();
    for (name, d) in &phases {
        let s = d.as_secs_f64();
        if s * 1e3 >= 0.5 || !name.starts_with("  ") {
            println!("{name:40} {:8.1} ms  {:5.3} of floor", s * 1e3, s / floor);
        }
    }
}
