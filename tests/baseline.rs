//! The baseline end to end (CLI.md "Baseline"): `scalelint baseline`
//! records findings by file, code and model path; `check --baseline` hides
//! them whatever moves in the file, reports the entries that match nothing
//! on standard error, and `baseline --prune` drops those.

mod common;

use common::{check_json, repo, scalelint, write, HEAD};

const SELECT: &str = "--select=SL103,SL301";

/// `api` is hot (SL103), `web` is not stateless (SL301).
fn description(web: &str) -> String {
    format!(
        "{HEAD}services:\n  - name: api\n    stateless: true\n    metrics: {{cpu: 0.9}}\n  - name: {web}\n    kind: web\n"
    )
}

const RECORDED: &str = r#"{
  "version": 1,
  "findings": [
    {
      "file": "a.arch.yaml",
      "code": "SL103",
      "path": "services[api].metrics.cpu",
      "count": 1
    },
    {
      "file": "a.arch.yaml",
      "code": "SL301",
      "path": "services[web].name",
      "count": 1
    }
  ]
}
"#;

fn recorded() -> tempfile::TempDir {
    let dir = repo(&[("a.arch.yaml", &description("web"))]);
    let r = scalelint(
        dir.path(),
        &[
            "baseline",
            SELECT,
            "a.arch.yaml",
            "-o",
            "scalelint-baseline.json",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "scalelint-baseline.json: recorded 2 findings\n");
    assert_eq!(r.stderr, "");
    dir
}

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(dir.path().join(name)).unwrap()
}

#[test]
fn the_baseline_records_findings_by_file_code_and_model_path() {
    let dir = recorded();
    assert_eq!(read(&dir, "scalelint-baseline.json"), RECORDED);
}

#[test]
fn recorded_findings_stay_hidden_when_lines_are_inserted_above_them() {
    let dir = recorded();
    let moved = format!("{}{}", "# a comment line\n".repeat(20), description("web"));
    write(dir.path(), "a.arch.yaml", &moved);
    let r = check_json(
        dir.path(),
        &[
            SELECT,
            "--baseline",
            "scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.hidden(), (0, 2));
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
}

#[test]
fn renaming_an_entity_brings_its_finding_back_and_the_old_entry_is_stale() {
    let dir = recorded();
    write(dir.path(), "a.arch.yaml", &description("www"));
    let r = check_json(
        dir.path(),
        &[
            SELECT,
            "--baseline",
            "scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:10:11 SL301 error service `www` is not declared stateless"],
        "{r:?}"
    );
    assert_eq!(r.hidden(), (0, 1));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "scalelint: warning: 1 baseline entry in scalelint-baseline.json no longer matches any finding; \
         `scalelint baseline --prune PATH… -o scalelint-baseline.json` drops it:\n  \
         a.arch.yaml: SL301 at services[web].name\n"
    );
}

#[test]
fn prune_keeps_only_the_entries_that_still_match() {
    let dir = recorded();
    write(dir.path(), "a.arch.yaml", &description("www"));
    let r = scalelint(
        dir.path(),
        &[
            "baseline",
            SELECT,
            "--prune",
            "a.arch.yaml",
            "-o",
            "scalelint-baseline.json",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout,
        "scalelint-baseline.json: dropped 1, kept 1 finding\n"
    );
    // The new finding (SL301 on `www`) is not added: a baseline only shrinks.
    let expected = r#"{
  "version": 1,
  "findings": [
    {
      "file": "a.arch.yaml",
      "code": "SL103",
      "path": "services[api].metrics.cpu",
      "count": 1
    }
  ]
}
"#;
    assert_eq!(read(&dir, "scalelint-baseline.json"), expected);
    let r = check_json(
        dir.path(),
        &[
            SELECT,
            "--baseline",
            "scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    assert_eq!(r.hidden(), (0, 1));
    assert_eq!(r.stderr, "");
}

#[test]
fn file_keys_are_relative_to_the_baseline_so_any_directory_matches() {
    let dir = repo(&[("svc/a.arch.yaml", &description("web"))]);
    let r = scalelint(
        dir.path(),
        &["baseline", SELECT, "svc", "-o", "scalelint-baseline.json"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(read(&dir, "scalelint-baseline.json").contains("\"file\": \"svc/a.arch.yaml\""));
    let r = check_json(
        &dir.path().join("svc"),
        &[
            SELECT,
            "--baseline",
            "../scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.hidden(), (0, 2));
}

#[test]
fn entries_of_files_not_checked_are_not_stale() {
    let dir = repo(&[
        ("a.arch.yaml", &description("web")),
        ("b.arch.yaml", &description("web")),
    ]);
    let r = scalelint(dir.path(), &["baseline", SELECT, "-o", "bl.json"]);
    assert_eq!(r.stdout, "bl.json: recorded 4 findings\n", "{r:?}");
    let r = check_json(
        dir.path(),
        &[SELECT, "--baseline", "bl.json", "a.arch.yaml"],
    );
    assert_eq!(r.hidden(), (0, 2));
    assert_eq!(r.stderr, "", "{r:?}");
}

#[test]
fn the_human_summary_counts_baselined_findings() {
    let dir = recorded();
    write(dir.path(), "a.arch.yaml", &description("www"));
    let r = scalelint(
        dir.path(),
        &[
            "check",
            SELECT,
            "--quiet",
            "--baseline",
            "scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    let r2 = scalelint(
        dir.path(),
        &[
            "check",
            SELECT,
            "--baseline",
            "scalelint-baseline.json",
            "a.arch.yaml",
        ],
    );
    assert!(!r.stdout.contains("baselined"), "{r:?}");
    assert!(
        r2.stdout
            .ends_with("Found 1 problem (1 error) in 1 file, 1 baselined.\n"),
        "{r2:?}"
    );
}

#[test]
fn a_missing_or_malformed_baseline_fails_the_run() {
    let dir = repo(&[("a.arch.yaml", &description("web"))]);
    let r = scalelint(
        dir.path(),
        &["check", "--baseline", "nope.json", "a.arch.yaml"],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "scalelint: error: nope.json: cannot read the baseline: no such file or directory\n"
    );
    write(
        dir.path(),
        "bad.json",
        "{\"version\": 1,\n \"findings\": [{\"file\": \"a\"}]}\n",
    );
    let r = scalelint(
        dir.path(),
        &["check", "--baseline", "bad.json", "a.arch.yaml"],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "scalelint: error: bad.json:2:27: not a scalelint baseline: missing field `code`; \
         write one with `scalelint baseline FILE… -o bad.json`\n"
    );
    let r = scalelint(
        dir.path(),
        &["baseline", "--prune", "a.arch.yaml", "-o", "nope.json"],
    );
    assert_eq!(r.code, 2);
    assert!(!dir.path().join("nope.json").exists());
}
