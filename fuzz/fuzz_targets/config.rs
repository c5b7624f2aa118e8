//! Arbitrary bytes as the two kinds of configuration a user writes:
//!
//! - a custom rule file: `engine::compile` gives a rule or an error with a
//!   line and column, never a panic; a rule that compiles runs on a fixed
//!   description, since whatever compiles must evaluate;
//! - a `scalelint.yaml` (`src/config/`): `Config::load` and `Plan::new` give
//!   a plan or a one-paragraph error; a plan's linters check the fixed
//!   description.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalelint::config::{CliOptions, Config, Plan};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A directory of this process's own, for the config file.
static DIR: OnceLock<PathBuf> = OnceLock::new();

fn rule_file(text: &str) {
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
}

fn config_file(data: &[u8]) {
    let dir = DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("scalelint-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir
    });
    let path = dir.join("scalelint.yaml");
    std::fs::write(&path, data).expect("writing the config");
    let config = match Config::load(&path, dir) {
        Ok(c) => c,
        Err(e) => {
            assert!(
                !e.is_empty() && !e.contains("\n\n"),
                "not one paragraph: {e:?}"
            );
            return;
        }
    };
    let cli = CliOptions {
        select: &[],
        ignore: &[],
        rules: &[],
        stage: None,
        load: 1.0,
        today: scalelint_fuzz::today(),
        cwd: dir,
    };
    let plan = match Plan::new(Some(config), &cli) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.is_empty() && !e.contains("\n\n"), "not one paragraph: {e:?}");
            return;
        }
    };
    let files = [
        "model.arch.yaml".to_string(),
        "legacy/old.arch.yaml".to_string(),
    ];
    if let Ok((linters, _)) = plan.linters(&files) {
        for linter in &linters {
            let _ = linter.check_source("model.arch.yaml".into(), scalelint_fuzz::MODEL.into());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        rule_file(text);
    }
    config_file(data);
});
