//! Helpers shared by the config, suppression and baseline tests: run the
//! binary in a temporary repository and read its JSON report compactly.

#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// A date fixed for every run, so that `until=` expiry never depends on
/// the day the tests run.
pub const TODAY: &str = "2026-06-01";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Each diagnostic as `file:line:column CODE severity message`.
    pub fn findings(&self) -> Vec<String> {
        let json = self.json();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} {} {}",
                    d["file"].as_str().unwrap(),
                    d["span"]["start"]["line"],
                    d["span"]["start"]["column"],
                    d["code"].as_str().unwrap(),
                    d["severity"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    }

    /// `(suppressed, baselined)` from the JSON summary.
    pub fn hidden(&self) -> (u64, u64) {
        let s = &self.json()["summary"];
        (
            s["suppressed"].as_u64().unwrap(),
            s["baselined"].as_u64().unwrap(),
        )
    }
}

/// Runs the binary with `args` in `dir`, without color, with a fixed date
/// for `check` and `baseline`.
pub fn scalelint(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scalelint"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .args(args);
    if matches!(args.first(), Some(&"check") | Some(&"baseline")) {
        cmd.args(["--today", TODAY]);
    }
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `scalelint check --format json ARGS…`.
pub fn check_json(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    scalelint(dir, &all)
}

/// A temporary repository (it has a `.git` directory, so config discovery
/// stops there) holding `files`.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A stage-3 system (400,000 users) with monitoring, ahead of its services.
pub const HEAD: &str = "version: 1
system:
  name: shop
  users: 400000
observability: {monitoring: true}
";

/// Whether an external client a test drives is installed (`cmd args…` runs
/// and succeeds). On a developer's machine a missing client skips the test
/// with a note, so `cargo test` works with nothing but the Rust toolchain;
/// in CI (`CI` set, as `.ci/run` runs) it fails the test, since .ci/run
/// installs every client.
#[allow(dead_code)]
pub fn client(cmd: &str, args: &[&str], install: &str) -> bool {
    let ok = std::process::Command::new(cmd)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "`{cmd}` is needed by this test and is missing: {install}"
        );
        eprintln!("skipped: `{cmd}` is not installed ({install}); .ci/run installs it");
    }
    ok
}
