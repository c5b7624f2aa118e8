//! `check --fix` and `check --diff` on every fixture with fixable findings:
//! only the fixed values change, the fixed findings do not come back, a
//! second run changes nothing, and the diff applies with the real `patch`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn scalelint(dir: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .current_dir(dir)
        .args(["check", "--no-config", "--today", "2026-11-28"])
        .args(args)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".arch.yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// (code, path, start, end, replacement) of every fix in a JSON report.
fn fixes(json: &str) -> Vec<(String, String, usize, usize, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["fix"].is_null())
        .map(|d| {
            let f = &d["fix"];
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap().to_owned(),
                f["span"]["start"]["offset"].as_u64().unwrap() as usize,
                f["span"]["end"]["offset"].as_u64().unwrap() as usize,
                f["replacement"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn fix_changes_only_the_fixed_values_and_the_findings_go_away() {
    if !common::client("patch", &["--version"], "apt-get install patch") {
        return;
    }
    let mut fixable = 0;
    for fixture in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read(&fixture).unwrap();
        let file = dir.path().join("f.arch.yaml");
        std::fs::write(&file, &original).unwrap();
        let (_, json) = scalelint(dir.path(), &["--format", "json", "f.arch.yaml"]);
        let mut expected_fixes = fixes(&json);
        if expected_fixes.is_empty() {
            continue;
        }
        fixable += 1;
        expected_fixes.sort_by_key(|f| f.2);

        // --diff first: the file is untouched, and the diff applies with `patch`.
        let (code, diff) = scalelint(dir.path(), &["--diff", "f.arch.yaml"]);
        assert_eq!(code, 1, "{}", fixture.display());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            original,
            "--diff must not write"
        );
        let patched = dir.path().join("patched.arch.yaml");
        std::fs::write(&patched, &original).unwrap();
        let mut child = Command::new("patch")
            .current_dir(dir.path())
            .args(["--quiet", "patched.arch.yaml"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("`patch` is installed (Debian package patch)");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(diff.as_bytes())
            .unwrap();
        assert!(
            child.wait().unwrap().success(),
            "patch rejected the diff of {}:\n{diff}",
            fixture.display()
        );

        // --fix: byte for byte, the original with each fixed range replaced.
        scalelint(dir.path(), &["--fix", "f.arch.yaml"]);
        let fixed = std::fs::read(&file).unwrap();
        let mut expected = Vec::new();
        let mut at = 0;
        for (_, _, start, end, text) in &expected_fixes {
            expected.extend_from_slice(&original[at..*start]);
            expected.extend_from_slice(text.as_bytes());
            at = *end;
        }
        expected.extend_from_slice(&original[at..]);
        assert_eq!(
            String::from_utf8_lossy(&fixed),
            String::from_utf8_lossy(&expected),
            "{}",
            fixture.display()
        );
        assert_eq!(
            std::fs::read(&patched).unwrap(),
            fixed,
            "--diff and --fix agree"
        );

        // The fixed findings are gone, and a second --fix changes nothing.
        let (_, json) = scalelint(dir.path(), &["--format", "json", "f.arch.yaml"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for (code, path, ..) in &expected_fixes {
            let back = v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == code.as_str() && d["path"] == path.as_str());
            assert!(
                !back,
                "{}: {code} at {path} is still reported after --fix",
                fixture.display()
            );
        }
        let (code, diff) = scalelint(dir.path(), &["--diff", "f.arch.yaml"]);
        assert_eq!(
            (code, diff.as_str()),
            (0, ""),
            "{}: not idempotent",
            fixture.display()
        );
    }
    assert!(
        fixable >= 5,
        "only {fixable} fixtures have fixable findings"
    );
}
