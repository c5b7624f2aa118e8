//! What the benchmark examples share: the linter `scalelint check
//! --no-config` builds, and the limits that let them load files past the
//! 16 MiB that `check` accepts.

use scalelint::check::Linter;
use scalelint::load::tree::Limits;

/// No size limit: the large benchmark file is over 16 MiB.
pub const NO_SIZE_LIMIT: Limits = Limits {
    max_file_bytes: usize::MAX,
};

/// The date rules compare with, fixed so that runs compare.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date")
}

/// The linter `scalelint check --no-config` builds for `path`: every
/// built-in rule with its defaults.
#[allow(dead_code)] // not every example checks through the CLI's linter
pub fn cli_linter(path: &str) -> Linter {
    let cwd = std::env::current_dir().expect("a current directory");
    let cli = scalelint::config::CliOptions {
        select: &[],
        ignore: &[],
        rules: &[],
        stage: None,
        load: 1.0,
        today: today(),
        cwd: &cwd,
    };
    let plan = scalelint::config::Plan::new(None, &cli).expect("the built-in rules compile");
    let (mut linters, _) = plan
        .linters(&[path.to_owned()])
        .expect("a linter for the file");
    linters.swap_remove(0)
}
