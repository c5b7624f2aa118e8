//! Description-shaped YAML made from the fuzzer's bytes (or the bytes as
//! text, so that seeds from fixtures/ mutate as files), checked with every
//! built-in rule at the default settings and at a stage and load factor the
//! input picks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelint::check::Linter;
use std::sync::OnceLock;

/// `(stage, load)` → linter, built once each: stages None and 1–4 by the loads.
static LINTERS: OnceLock<Vec<Linter>> = OnceLock::new();

fn linters() -> &'static [Linter] {
    LINTERS.get_or_init(|| {
        let mut all = Vec::new();
        for stage in [None, Some(1), Some(2), Some(3), Some(4)] {
            for load in scalelint_fuzz::LOADS {
                all.push(scalelint_fuzz::linter(stage, load));
            }
        }
        all
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode % 4 == 0 {
        scalelint_fuzz::yaml_from_bytes(rest)
    } else {
        String::from_utf8_lossy(data).into_owned()
    };
    let linters = linters();
    let pick = data.last().copied().unwrap_or(0) as usize % linters.len();
    for linter in [&linters[0], &linters[pick]] {
        let result = linter.check_source("fuzz.arch.yaml".into(), text.clone());
        for d in &result.diagnostics {
            assert!(
                d.span.end as usize <= result.source.len() && d.span.start <= d.span.end,
                "{} span {:?} outside the file",
                d.code,
                d.span
            );
            assert!(!d.message.is_empty(), "{} with an empty message", d.code);
        }
    }
});
