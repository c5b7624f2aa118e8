//! Arbitrary bytes as a custom rule file: `engine::compile` returns a rule or
//! a located error, never a panic. A compiled rule is also run on a fixed
//! description, since whatever compiles must evaluate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match scalelint::engine::compile("fuzz.yaml", text, false) {
        Ok(rule) => {
            let linter = scalelint_fuzz::linter_with(vec![rule], None, 1.0);
            let _ = linter.check_source("model.arch.yaml".into(), scalelint_fuzz::MODEL.into());
        }
        Err(e) => {
            assert!(
                e.line >= 1 && e.column >= 1,
                "error without a position: {e}"
            );
            assert!(!e.message.is_empty());
        }
    }
});
