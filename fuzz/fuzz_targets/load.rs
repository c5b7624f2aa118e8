//! Arbitrary bytes as a description file, checked with every built-in rule:
//! `Linter::check_bytes` must return (never panic, never hang) whatever the
//! bytes, and its diagnostics must point inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static LINTER: OnceLock<scalelint::check::Linter> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let linter = LINTER.get_or_init(|| scalelint_fuzz::linter(None, 1.0));
    let result = linter.check_bytes("fuzz.arch.yaml".into(), data.to_vec());
    for d in &result.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= result.source.len(),
            "{} span {:?} outside a {}-byte file",
            d.code,
            d.span,
            result.source.len()
        );
        // Lines and columns are computed for every reported diagnostic.
        let _ = result.lines.position(&result.source, d.span.start);
        let _ = result.lines.position(&result.source, d.span.end);
    }
});
