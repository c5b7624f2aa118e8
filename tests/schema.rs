//! `scalelint schema` against a real JSON Schema validator (Python's
//! `jsonschema`, with PyYAML to read the YAML): every fixture that loads
//! cleanly validates, and inputs with SL001 problems do not.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const VALIDATE: &str = r#"
import json, sys, datetime
import yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
out = {}
for path in sys.argv[2:]:
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    doc = json.loads(json.dumps(doc, default=str))
    errors = [e.message for e in v.iter_errors(doc)]
    out[path] = errors
print(json.dumps(out))
"#;

fn scalelint(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn validate(schema: &Path, files: &[PathBuf]) -> serde_json::Value {
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(VALIDATE).arg(schema).args(files);
    let o = cmd.output().expect("python3 runs");
    assert!(
        o.status.success(),
        "validation failed to run (needs `pip install jsonschema pyyaml`): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
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

#[test]
fn clean_fixtures_validate_and_schema_violations_do_not() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema, yaml"],
        "pip install jsonschema pyyaml",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.json");
    let (code, text) = scalelint(&["schema"]);
    assert_eq!(code, 0);
    std::fs::write(&schema, text).unwrap();

    // Fixtures the loader accepts (no SL000/SL001) must validate.
    let mut clean = Vec::new();
    for f in fixtures() {
        let (_, json) = scalelint(&[
            "check",
            "--no-config",
            "--select",
            "SL000,SL001",
            "--format",
            "json",
            f.to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        if v["diagnostics"].as_array().unwrap().is_empty() {
            clean.push(f);
        }
    }
    assert!(clean.len() > 50, "{} clean fixtures", clean.len());
    let results = validate(&schema, &clean);
    let failures: Vec<String> = results
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, errs)| !errs.as_array().unwrap().is_empty())
        .map(|(f, errs)| format!("{f}: {errs}"))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Inputs with SL001 problems must not validate.
    let head = "version: 1\nsystem: {name: s, users: 10}\n";
    let bad = [
        format!("{head}services:\n  - {{name: a, metrics: {{cpu: 72}}}}\n"),
        format!("{head}services:\n  - {{name: a, capacty_rps: 10}}\n"),
        format!("{head}services:\n  - {{kind: api}}\n"),
        format!("{head}services:\n  - {{name: a, metrics: {{p95_latency: 300}}}}\n"),
        "version: 2\nsystem: {name: s}\n".to_owned(),
        format!("{head}caches:\n  - {{name: c, memory: 15}}\n"),
        "version: 1\nsystem: {name: s, sla: 0.999}\n".to_owned(),
        format!("{head}services:\n  - {{name: a, kind: apii}}\n"),
    ];
    let mut files = Vec::new();
    for (i, text) in bad.iter().enumerate() {
        let p = dir.path().join(format!("bad{i}.arch.yaml"));
        std::fs::write(&p, text).unwrap();
        let (_, json) = scalelint(&[
            "check",
            "--no-config",
            "--select",
            "SL001",
            "--format",
            "json",
            p.to_str().unwrap(),
        ]);
        assert!(
            json.contains("\"SL001\""),
            "input {i} should be SL001: {text}"
        );
        files.push(p);
    }
    let results = validate(&schema, &files);
    for (f, errs) in results.as_object().unwrap() {
        assert!(
            !errs.as_array().unwrap().is_empty(),
            "{f} validated but has SL001 problems"
        );
    }
}
