//! The pre-commit hook of `.pre-commit-hooks.yaml`, run by the real
//! `pre-commit` tool in a throwaway git repository: a commit with a broken
//! description fails and names the code, a commit with clean descriptions
//! (and a broken file the hook's `files` pattern leaves out) passes.
//!
//! The hook is `language: rust`: pre-commit clones the hook repository and
//! builds it with `cargo install`, a release build of several minutes. The
//! default test therefore runs the hook as a `repo: local` hook whose
//! fields are copied from our `.pre-commit-hooks.yaml` (so its `entry`,
//! `files` and `pass_filenames` are what is tested), with `language:
//! system` and the binary under test on `PATH`. The ignored test
//! `language_rust_hook_builds_and_runs` does the real thing, on a snapshot
//! of this working tree: `cargo test --test precommit -- --ignored`.
//!
//! Without pre-commit these tests are skipped with a note, except in CI (`CI`
//! set), where they fail: `pip install pre-commit`.

mod common;

use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HOOK_ID: &str = "scalelint";

/// Exactly one SL001 (an unknown key).
const BROKEN: &str = "version: 1\nsystem:\n  nam: shop\n  name: shop\n";
/// Clean of every rule.
const CLEAN: &str =
    "version: 1\nsystem: {name: shop, users: 500}\nobservability: {monitoring: true}\n";

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A throwaway repository with its own pre-commit cache and a git
/// configuration of its own (no global hooks path or signing).
struct Sandbox {
    root: tempfile::TempDir,
    /// Directories put before `PATH`.
    path: Vec<PathBuf>,
    env: Vec<(&'static str, OsString)>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("repo")).unwrap();
        std::fs::write(root.path().join("gitconfig"), "").unwrap();
        let sandbox = Sandbox {
            env: vec![
                ("PRE_COMMIT_HOME", root.path().join("cache").into()),
                ("GIT_CONFIG_GLOBAL", root.path().join("gitconfig").into()),
                ("GIT_CONFIG_NOSYSTEM", "1".into()),
                ("NO_COLOR", "1".into()),
            ],
            root,
            path: Vec::new(),
        };
        let version = sandbox.command("pre-commit").arg("--version").output();
        match version {
            Ok(out) if out.status.success() => {}
            other => panic!(
                "pre-commit is not installed ({other:?}): these tests run the real tool: `pip install pre-commit`"
            ),
        }
        sandbox.git(&["init", "-q", "-b", "main"]);
        sandbox.git(&["config", "user.name", "scalelint tests"]);
        sandbox.git(&["config", "user.email", "tests@scalelint.invalid"]);
        sandbox.git(&["config", "commit.gpgsign", "false"]);
        sandbox
    }

    fn repo(&self) -> PathBuf {
        self.root.path().join("repo")
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.repo())
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        let mut path = self.path.clone();
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        cmd.env("PATH", std::env::join_paths(path).unwrap());
        cmd
    }

    #[track_caller]
    fn git(&self, args: &[&str]) -> Output {
        let out = self.command("git").args(args).output().expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        out
    }

    fn write(&self, rel: &str, contents: &str) {
        let path = self.repo().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// `git commit` with the pre-commit hook installed: success, and what
    /// the hook printed.
    fn commit(&self, message: &str) -> (bool, String) {
        let out = self
            .command("git")
            .args(["commit", "-q", "-m", message])
            .output()
            .expect("git runs");
        (out.status.success(), text(&out))
    }

    /// Writes the pre-commit config (JSON is YAML) and installs the hook.
    fn install(&self, config: &Value) {
        self.write(
            ".pre-commit-config.yaml",
            &serde_json::to_string_pretty(config).unwrap(),
        );
        let out = self
            .command("pre-commit")
            .arg("install")
            .output()
            .expect("pre-commit runs");
        assert!(out.status.success(), "pre-commit install: {}", text(&out));
        self.git(&["add", ".pre-commit-config.yaml"]);
    }

    /// A broken description blocks the commit and the output names the
    /// code; one matched by the second alternative of `files` too; clean
    /// descriptions pass, beside a broken file that `files` leaves out.
    fn exercise(&self) {
        self.write("bad.arch.yaml", BROKEN);
        self.git(&["add", "bad.arch.yaml"]);
        let (ok, out) = self.commit("a broken description");
        assert!(!ok, "the commit went through:\n{out}");
        assert!(
            out.contains("SL001") && out.contains("bad.arch.yaml") && out.contains("Failed"),
            "{out}"
        );
        self.git(&["rm", "-q", "--cached", "bad.arch.yaml"]);
        std::fs::remove_file(self.repo().join("bad.arch.yaml")).unwrap();

        self.write("services/shop/architecture.yml", BROKEN);
        self.git(&["add", "services"]);
        let (ok, out) = self.commit("a broken architecture.yml");
        assert!(!ok, "the commit went through:\n{out}");
        assert!(out.contains("SL001"), "{out}");
        self.write("services/shop/architecture.yml", CLEAN);

        self.write("good.arch.yaml", CLEAN);
        // Not a description by name: the hook does not see it.
        self.write("notes.yaml", BROKEN);
        self.git(&["add", "-A"]);
        let (ok, out) = self.commit("clean descriptions");
        assert!(ok, "the clean commit failed:\n{out}");
        let log = self.git(&["log", "--format=%s"]);
        assert_eq!(
            String::from_utf8_lossy(&log.stdout).trim(),
            "clean descriptions"
        );
        // The hook ran on the clean files (not "no files to check").
        let out = self
            .command("pre-commit")
            .args(["run", "--all-files"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let out = text(&out);
        assert!(
            out.contains("Passed") && !out.contains("no files to check"),
            "{out}"
        );
    }
}

/// Our `.pre-commit-hooks.yaml`, as JSON (PyYAML comes with pre-commit).
fn manifest() -> Vec<Value> {
    let path = crate_root().join(".pre-commit-hooks.yaml");
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))",
        ])
        .arg(&path)
        .output()
        .expect("python3 runs: `pip install pre-commit`");
    assert!(
        out.status.success(),
        "cannot read {}: {} (`pip install pre-commit` brings PyYAML)",
        path.display(),
        text(&out)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .expect("a list of hooks")
        .clone()
}

/// Our hook's definition, checked by pre-commit itself.
fn our_hook() -> serde_json::Map<String, Value> {
    let path = crate_root().join(".pre-commit-hooks.yaml");
    let out = Command::new("pre-commit")
        .arg("validate-manifest")
        .arg(&path)
        .output()
        .expect("pre-commit runs: `pip install pre-commit`");
    assert!(out.status.success(), "{}", text(&out));
    let hooks = manifest();
    let hook = hooks
        .iter()
        .find(|h| h["id"] == HOOK_ID)
        .unwrap_or_else(|| panic!("no hook `{HOOK_ID}` in {}", path.display()));
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "scalelint check");
    assert_eq!(hook["pass_filenames"], true);
    hook.as_object().unwrap().clone()
}

#[test]
fn hook_blocks_broken_descriptions_and_passes_clean_ones() {
    if !common::client("pre-commit", &["--version"], "pip install pre-commit") {
        return;
    }
    let mut hook = our_hook();
    // The one change: run the binary under test instead of building one.
    hook.insert("language".into(), "system".into());
    let mut sandbox = Sandbox::new();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_scalelint"));
    sandbox.path.push(bin.parent().unwrap().to_owned());
    sandbox.install(&serde_json::json!({
        "repos": [{"repo": "local", "hooks": [hook]}]
    }));
    sandbox.exercise();
}

/// The hook as users get it: pre-commit clones the hook repository at a
/// revision and builds it with `cargo install` (minutes). The repository is
/// a commit of this working tree's files (tracked and untracked, not
/// ignored), so uncommitted changes are what is tested.
#[test]
#[ignore = "slow: pre-commit builds scalelint in release mode; run with --ignored"]
fn language_rust_hook_builds_and_runs() {
    if !common::client("pre-commit", &["--version"], "pip install pre-commit") {
        return;
    }
    our_hook();
    let mut sandbox = Sandbox::new();
    let hook_repo = sandbox.root.path().join("hook-repo");
    let files = Command::new("git")
        .current_dir(crate_root())
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .unwrap();
    assert!(files.status.success());
    for rel in String::from_utf8(files.stdout).unwrap().split('\0') {
        let from = crate_root().join(rel);
        if rel.is_empty() || !from.is_file() {
            continue;
        }
        let to = hook_repo.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    let git = |args: &[&str]| {
        let out = sandbox
            .command("git")
            .current_dir(&hook_repo)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q", "-b", "main"]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t.invalid",
        "add",
        "-A",
    ]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t.invalid",
        "commit",
        "-q",
        "-m",
        "snapshot",
    ]);
    let rev = git(&["rev-parse", "HEAD"]).trim().to_owned();
    // Dependencies built once are reused by later runs.
    sandbox.env.push((
        "CARGO_TARGET_DIR",
        crate_root().join("target").join("pre-commit").into(),
    ));
    sandbox.install(&serde_json::json!({
        "repos": [{
            "repo": hook_repo.to_str().unwrap(),
            "rev": rev,
            "hooks": [{"id": HOOK_ID}],
        }]
    }));
    sandbox.exercise();
}
