//! An arbitrary string as the expression of a custom `cel` rule: compiling it
//! gives a rule or an error, never a panic; a compiled rule is evaluated on
//! every kind of entity of a fixed description.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelint::engine::{self, Check, Rule};
use std::sync::OnceLock;

const SELECTS: [&str; 8] = [
    "system",
    "services",
    "databases",
    "caches",
    "queues",
    "dependencies",
    "regions",
    "data",
];

/// One compiled custom rule per selector, with a placeholder expression.
static RULES: OnceLock<Vec<Rule>> = OnceLock::new();

fn template(select: &str, i: usize) -> Rule {
    let text = format!(
        "code: FUZZ{i:03}\nname: fuzz-{select}\nseverity: warning\nsummary: s\nselect: {select}\n\
         check:\n  kind: cel\n  expr: 'true'\n  at: [name]\n\
         message: \"`{{name}}` {{value}}\"\ndocs: {{source: s, what: w, why: y, fix: f, fail: a, pass: b}}\n"
    );
    engine::compile("fuzz.yaml", &text, false).unwrap_or_else(|e| panic!("{e}"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let rules = RULES.get_or_init(|| {
        SELECTS
            .iter()
            .enumerate()
            .map(|(i, s)| template(s, i))
            .collect()
    });
    let Ok(_) = scalelint::checks::cel::Expr::compile(source) else {
        return;
    };
    let mut extra = rules.clone();
    for rule in &mut extra {
        let program = scalelint::checks::cel::Expr::compile(source).expect("compiled once");
        rule.checks[0].check = Check::Cel {
            program: Box::new(program),
            at: vec!["name".into()],
        };
    }
    let load = scalelint_fuzz::LOADS[data.len() % scalelint_fuzz::LOADS.len()];
    let linter = scalelint_fuzz::linter_with(extra, None, load);
    let _ = linter.check_source("model.arch.yaml".into(), scalelint_fuzz::MODEL.into());
});
