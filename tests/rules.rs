//! The rule engine end to end: the built-in catalog against its fixtures,
//! custom rules (CEL and native) through `check`, `explain` and
//! `test-rules`, broken rule files, and the generated docs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scalelint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn every_built_in_rule_passes_its_fixtures() {
    let o = run(&["test-rules", "rules", "--today", "2026-11-28"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.trim_end().ends_with(" passed, 0 failed"), "{out}");
}

/// Date-based fixtures pin their date (`# today:`), so the catalog passes
/// on any day, whatever `--today` says.
#[test]
fn built_in_fixtures_pass_on_any_day() {
    for today in [None, Some("2000-01-01"), Some("2100-12-31")] {
        let mut args = vec!["test-rules", "rules"];
        args.extend(today.iter().flat_map(|d| ["--today", d]));
        let o = run(&args);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{today:?}: {out}{}", stderr(&o));
    }
}

#[test]
fn every_built_in_rule_has_both_fixtures_and_house_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run(&["rules", "--format", "json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let mut problems = Vec::new();
    for r in rules.iter().filter(|r| r["custom"] == false) {
        let code = r["code"].as_str().unwrap();
        // The loader's codes and the suppressions' (SL090–SL094) are not
        // rule files: no fixtures, no params.
        let built_in = [
            "SL000", "SL001", "SL002", "SL003", "SL090", "SL091", "SL092", "SL093", "SL094",
        ];
        if built_in.contains(&code) {
            continue;
        }
        for f in ["fail.arch.yaml", "pass.arch.yaml"] {
            if !root.join("fixtures").join(code).join(f).is_file() {
                problems.push(format!("{code}: no fixtures/{code}/{f}"));
            }
        }
        let summary = r["summary"].as_str().unwrap();
        if summary.ends_with('.') || summary.starts_with(|c: char| c.is_uppercase()) {
            problems.push(format!(
                "{code}: summary must start lowercase and have no final period: {summary:?}"
            ));
        }
        for p in r["params"].as_array().unwrap() {
            if p["doc"].as_str().unwrap_or("").is_empty() {
                problems.push(format!("{code}: parameter {} has no doc", p["name"]));
            }
        }
    }
    // Messages: read the rule files (the templates) directly.
    for entry in std::fs::read_dir(root.join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.starts_with("message:")) {
            let m = line.trim_start_matches("message:").trim().trim_matches('"');
            if m.ends_with('.') || m.starts_with(|c: char| c.is_uppercase()) {
                problems.push(format!(
                    "{}: message must start lowercase and have no final period",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn generated_rule_docs_are_current() {
    let o = run(&["rules", "--format", "markdown"]);
    let fresh = stdout(&o);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/rules.md is stale: regenerate it with `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

/// A custom threshold rule, as a team would write one.
const NATIVE: &str = include_str!("data/ACME002-worker-cpu.yaml");

const CEL: &str = r#"code: ACME001
name: api-near-capacity
severity: error
summary: an api service serves more than 90% of one instance's capacity
select: services
check:
  kind: cel
  expr: has(self.metrics) && has(self.capacity_rps) && self.metrics.rps > self.capacity_rps * 0.9
  at: [metrics.rps]
message: "service `{name}` is near one instance's capacity"
help: "raise capacity_rps or add instances"
docs:
  source: team policy
  what: rps above 90% of capacity_rps
  why: no headroom
  fix: scale out
  fail: |
    services: [{name: a, capacity_rps: 100, metrics: {rps: 95}}]
  pass: |
    services: [{name: a, capacity_rps: 100, metrics: {rps: 50}}]
"#;

const HEAD: &str = "version: 1\nsystem: {name: t, users: 500}\nobservability: {monitoring: true}\n";

fn custom_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "ACME001-api-near-capacity.yaml", CEL);
    write(d, "ACME002-worker-cpu.yaml", NATIVE);
    write(d, "fixtures/ACME001/fail.arch.yaml", &format!("{HEAD}services:\n  - name: a\n    capacity_rps: 100\n    metrics: {{rps: 95}}  # expect: ACME001\n"));
    write(
        d,
        "fixtures/ACME001/pass.arch.yaml",
        &format!("{HEAD}services:\n  - name: a\n    capacity_rps: 100\n    metrics: {{rps: 90}}\n"),
    );
    write(d, "fixtures/ACME002/fail.arch.yaml", &format!("{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 65%}}  # expect: ACME002\n"));
    write(d, "fixtures/ACME002/pass.arch.yaml", &format!("{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 60%}}\n  - name: a\n    metrics: {{cpu: 65%}}\n"));
    dir
}

#[test]
fn custom_rules_work_through_check_explain_and_test_rules() {
    let dir = custom_dir();
    let rules = dir.path().to_str().unwrap();

    let o = run(&["test-rules", rules]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("2 passed, 0 failed"));

    let target = write(dir.path(), "sys.arch.yaml", &format!("{HEAD}services:\n  - {{name: w, kind: worker, metrics: {{cpu: 0.8}}}}\n  - {{name: a, capacity_rps: 10, metrics: {{rps: 20}}}}\n"));
    let o = run(&[
        "check",
        "--rules",
        rules,
        "--format",
        "json",
        "--select",
        "ACME",
        target.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ACME002", "ACME001"], "{json:#}");
    let first = &json["diagnostics"][0];
    assert_eq!(
        first["message"],
        "worker `w` runs at 80% CPU, above the team limit of 60%"
    );
    assert_eq!(first["path"], "services[w].metrics.cpu");

    let o = run(&["explain", "--rules", rules, "worker-cpu"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("ACME002 worker-cpu") && text.contains("limit (ratio, default 60%)"),
        "{text}"
    );

    let o = run(&["rules", "--rules", rules]);
    assert!(stdout(&o).contains("ACME001"));
}

/// A fixture's `# today:` must be a date; the fixture pinned to a day
/// is checked on it.
#[test]
fn a_fixture_date_that_is_no_date_is_a_mismatch() {
    let dir = custom_dir();
    // The failing fixture pinned to `date`: the output of `test-rules` and
    // whether it names that date as no date.
    let with_fail_dated = |date: &str| {
        write(dir.path(), "fixtures/ACME002/fail.arch.yaml", &format!("# today: {date}\n{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 65%}}  # expect: ACME002\n"));
        let o = run(&["test-rules", dir.path().to_str().unwrap()]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
        let named = out.contains(&format!(
            "fail.arch.yaml:1: `# today:` needs a date as YYYY-MM-DD, found `{date}`"
        ));
        (out, named)
    };
    write(dir.path(), "fixtures/ACME002/pass.arch.yaml", &format!("# today: 2026-11-28\n{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 60%}}\n"));
    let (out, named) = with_fail_dated("2026-13-01");
    assert!(named, "{out}");
    // The rule still ran on both: the only problem is the date.
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert!(!out.contains("pass.arch.yaml"), "{out}");

    // A date must be written in full, as `until=` must.
    let (out, named) = with_fail_dated("2026-1-5");
    assert!(named, "{out}");
}

#[test]
fn test_rules_catches_a_wrong_fixture() {
    let dir = custom_dir();
    // The marker is on the wrong line: the diagnostic starts on the metrics line.
    write(dir.path(), "fixtures/ACME002/fail.arch.yaml", &format!("{HEAD}services:\n  - name: w  # expect: ACME002\n    kind: worker\n    metrics: {{cpu: 65%}}\n"));
    let o = run(&["test-rules", dir.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL ACME002"), "{out}");
    assert!(out.contains(":7: unexpected ACME002"), "{out}");
    assert!(
        out.contains(":5: expected ACME002, but it did not fire there"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");
}

fn broken(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "X001-broken.yaml", text);
    let o = run(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        "fixtures/examples/shop.arch.yaml",
    ]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    (
        o.status.code(),
        err.replace(dir.path().to_str().unwrap(), "DIR"),
    )
}

/// A field path that names nothing would read as absent on every file and
/// the rule would never fire: the rule is refused when it loads.
#[test]
fn field_paths_must_name_fields_of_the_selected_entity() {
    let native = NATIVE.replace("code: ACME002", "code: X001");
    let refused = |from: &str, to: &str, at: &str, message: &str| {
        let (code, err) = broken(&native.replace(from, to));
        assert_eq!(code, Some(2), "{to}: {err}");
        let expected = format!("DIR/X001-broken.yaml:{at}: broken rule: {message}");
        assert!(
            err.contains(&expected),
            "{to}:\n{err}\nexpected: {expected}"
        );
    };
    refused(
        "field: metrics.cpu",
        "field: metrics.cpuu",
        "10:10",
        "`metrics.cpuu` is not a field of `select: services`: there is no field `cpuu` under `metrics` (did you mean `cpu`?)",
    );
    refused(
        "{field: kind, equals: worker}",
        "{field: knd, equals: worker}",
        "7:13",
        "`knd` is not a field of `select: services`: there is no field `knd` (did you mean `kind`?)",
    );
    refused(
        "field: metrics.cpu",
        "field: metrics.cpu.max",
        "10:10",
        "`metrics.cpu.max` is not a field of `select: services`: `metrics.cpu` is a single value, so `metrics.cpu.max` names nothing under it",
    );
    refused(
        "field: metrics.cpu",
        "field: depends_on.target",
        "10:10",
        "`depends_on.target` is not a field of `select: services`: `depends_on` is a list, so `depends_on.target` names nothing under it",
    );
    refused(
        "field: metrics.cpu",
        "field: /load_balancer.enabld",
        "10:10",
        "`/load_balancer.enabld` is not a field of the file root: there is no field `enabld` under `load_balancer` (did you mean `enabled`?)",
    );
    refused(
        "field: metrics.cpu",
        "field: $max_instance",
        "10:10",
        "`select: services` has no derived fact `$max_instance` (did you mean `$max_instances`?)",
    );
    refused(
        "field: metrics.cpu",
        "field: $regions",
        "10:10",
        "`select: services` has no derived fact `$regions` (it has `$max_instances`)",
    );
    let (code, err) = broken(
        &CEL.replace("code: ACME001", "code: X001")
            .replace("at: [metrics.rps]", "at: [metrics.rsp]"),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("DIR/X001-broken.yaml:9:8: broken rule: `metrics.rsp` is not a field"),
        "{err}"
    );

    // Paths that name fields load: nested, from the root, and facts.
    for to in [
        "field: autoscaling.max",
        "field: /load_balancer.enabled",
        "field: $max_instances",
    ] {
        let (code, err) = broken(&native.replace("field: metrics.cpu", to));
        assert_ne!(code, Some(2), "{to}: {err}");
    }
}

#[test]
fn broken_custom_rules_exit_2_with_file_line_column() {
    let (code, err) = broken("code: X001\nname: [unclosed\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("DIR/X001-broken.yaml:3:1: broken rule: invalid YAML"),
        "{err}"
    );

    let (code, err) = broken(
        &NATIVE
            .replace("code: ACME002", "code: X001")
            .replace("summary:", "sumary:"),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("DIR/X001-broken.yaml:4:1: broken rule: unknown key `sumary`"),
        "{err}"
    );
    assert!(err.contains("did you mean `summary`"), "{err}");

    let (code, err) = broken(
        &CEL.replace("code: ACME001", "code: X001")
            .replace("self.metrics.rps > self", "self.metrics.rps > > self"),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("DIR/X001-broken.yaml:8:9: broken rule: the CEL expression does not parse"),
        "{err}"
    );

    let (code, err) = broken(&NATIVE.replace("code: ACME002", "code: SL999"));
    assert_eq!(code, Some(2));
    assert!(err.contains("must not start with `SL`"), "{err}");

    let (code, err) = broken(
        &NATIVE
            .replace("code: ACME002", "code: X001")
            .replace("{limit}\"", "{limt}\""),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown template variable `{limt}`; did you mean `{limit}`?"),
        "{err}"
    );
}

#[test]
fn a_cel_rule_failing_at_run_time_is_a_diagnostic_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // No `has()` guard: a service without metrics makes the expression fail.
    let rule = CEL.replace("has(self.metrics) && has(self.capacity_rps) && ", "");
    write(dir.path(), "ACME001-api-near-capacity.yaml", &rule);
    let target = write(dir.path(), "s.arch.yaml", &format!("{HEAD}services:\n  - {{name: bare}}\n  - {{name: a, capacity_rps: 10, metrics: {{rps: 20}}}}\n"));
    let o = run(&[
        "check",
        "--rules",
        dir.path().to_str().unwrap(),
        "--select",
        "ACME",
        "--format",
        "json",
        target.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("the rule could not be evaluated on `bare`"),
        "{messages:?}"
    );
    assert_eq!(messages[1], "service `a` is near one instance's capacity");
}
