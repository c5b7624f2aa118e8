//! The machine formats end to end, on every fixture (`fixtures/**/*.arch.yaml`):
//! `--format sarif` is valid against the official SARIF 2.1.0 schema
//! (`tests/sarif/`), `--format json` against `docs/output.schema.json`,
//! `--format github` has one well-formed workflow command per finding, and
//! `--format junit` is well-formed XML with one failure per finding; all
//! four point at the same lines and columns.
//!
//! The schemas are checked with a real JSON Schema validator, the Python
//! `jsonschema` package, and the XML with Python's `xml.etree`. Without
//! them these tests are skipped with a note, except in CI (`CI` set), where
//! they fail: `pip install jsonschema`.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Fixed, so that date-based rules fire the same way in every run.
const TODAY: &str = "2026-01-15";

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.arch.yaml` under `fixtures/`, relative to the crate root with
/// forward slashes, sorted.
fn fixtures() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.to_string_lossy().ends_with(".arch.yaml") {
                out.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&crate_root().join("fixtures"), &mut found);
    let mut files: Vec<String> = found
        .iter()
        .map(|p| {
            p.strip_prefix(crate_root())
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_str().unwrap())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 20 && files.iter().any(|f| f.starts_with("fixtures/examples/")),
        "the fixtures were not found: {files:?}"
    );
    files
}

/// `scalelint check --format FORMAT ARGS…` in the crate root, findings
/// never failing the run; the output, after checking the run went well.
fn check(format: &str, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .current_dir(crate_root())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--no-config",
            "--fail-on",
            "never",
            "--today",
            TODAY,
        ])
        .args(["--format", format])
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "check --format {format} failed:\n{stderr}\n{stdout}"
    );
    assert!(stderr.is_empty(), "stderr: {stderr}");
    stdout
}

/// Every fixture, in one run.
fn check_fixtures(format: &str) -> String {
    let files = fixtures();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    check(format, &args, None)
}

/// Runs a Python script with `args`; its standard output, or what went
/// wrong. Panics, with what to install, when Python or a package is missing.
fn python(script: &str, args: &[&Path]) -> Result<String, String> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}): these tests need Python 3 with the jsonschema package: `pip install jsonschema`")
        });
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match out.status.code() {
        Some(0) => Ok(stdout),
        Some(3) => panic!("{stderr}"),
        _ => Err(format!("{stdout}{stderr}")),
    }
}

/// Validates each instance file against the schema file: prints a JSON
/// list, per instance, of its errors (empty when valid).
const VALIDATE: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.stderr.write("the Python package jsonschema is missing: run `pip install jsonschema`\n")
    sys.exit(3)
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema, format_checker=jsonschema.FormatChecker())
report = []
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        instance = json.load(f)
    errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    report.append([
        ("/".join(str(p) for p in e.absolute_path) or "(root)") + ": " + e.message[:400]
        for e in errors
    ])
print(json.dumps(report))
"#;

/// Validates JSON documents against a schema file of the crate: for each,
/// its schema errors (empty when it is valid).
fn schema_errors(schema: &str, documents: &[String]) -> Vec<Vec<String>> {
    let files: Vec<tempfile::NamedTempFile> = documents
        .iter()
        .map(|document| {
            let mut file = tempfile::NamedTempFile::new().unwrap();
            file.write_all(document.as_bytes()).unwrap();
            file.flush().unwrap();
            file
        })
        .collect();
    let schema = crate_root().join(schema);
    let mut args: Vec<&Path> = vec![&schema];
    args.extend(files.iter().map(|f| f.path()));
    let out =
        python(VALIDATE, &args).unwrap_or_else(|e| panic!("the validator failed to run:\n{e}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("validator output ({e}): {out}"))
}

/// Panics with the schema errors when the document does not validate.
#[track_caller]
fn assert_valid(schema: &str, document: &str) {
    let errors = schema_errors(schema, &[document.to_owned()]).remove(0);
    assert!(
        errors.is_empty(),
        "the output does not validate against {schema}:\n{}\n{} errors",
        errors
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        errors.len()
    );
}

const SARIF_SCHEMA: &str = "tests/sarif/sarif-schema-2.1.0.json";
const OUTPUT_SCHEMA: &str = "docs/output.schema.json";

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().expect("a diagnostics array")
}

fn int(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// The SARIF results and the JSON diagnostics are the same findings in the
/// same order, at the same places.
fn assert_sarif_matches_json(sarif: &Value, json: &Value) {
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().expect("results");
    let diagnostics = diagnostics(json);
    assert_eq!(results.len(), diagnostics.len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for (r, d) in results.iter().zip(diagnostics) {
        let rule = &rules[int(&r["ruleIndex"]) as usize];
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(rule["id"], d["code"]);
        assert_eq!(rule["name"], d["name"]);
        let level = match d["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(r["level"], level);
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(d["message"].as_str().unwrap()));
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["file"]);
        let region = &location["region"];
        let (start, end) = (&d["span"]["start"], &d["span"]["end"]);
        assert_eq!(
            [
                &region["startLine"],
                &region["startColumn"],
                &region["endLine"],
                &region["endColumn"]
            ],
            [
                &start["line"],
                &start["column"],
                &end["line"],
                &end["column"]
            ],
            "{r:#}\n{d:#}"
        );
        assert_eq!(region["byteOffset"], start["offset"]);
        assert_eq!(
            int(&region["byteLength"]),
            int(&end["offset"]) - int(&start["offset"])
        );
        assert_eq!(
            r["relatedLocations"].as_array().map_or(0, Vec::len),
            d["labels"].as_array().unwrap().len()
        );
        assert_eq!(r["fixes"].is_array(), d["fix"].is_object(), "{r:#}\n{d:#}");
    }
}

#[test]
fn sarif_of_every_fixture_is_valid_sarif_2_1_0_and_matches_the_json() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let sarif_text = check_fixtures("sarif");
    assert_valid(SARIF_SCHEMA, &sarif_text);
    let sarif = parse(&sarif_text);
    let json = parse(&check_fixtures("json"));
    assert!(
        !diagnostics(&json).is_empty(),
        "the fixtures should have findings"
    );
    assert_sarif_matches_json(&sarif, &json);
    // Fixes and labels are exercised somewhere in the fixtures.
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r.get("fixes").is_some()),
        "no fix in the fixtures"
    );

    // Every rule the run knows is described, with its docs.
    let listed = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let described: BTreeMap<&str, &Value> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    for rule in listed.as_array().unwrap() {
        let code = rule["code"].as_str().unwrap();
        let descriptor = described
            .get(code)
            .unwrap_or_else(|| panic!("{code} is not in tool.driver.rules"));
        assert_eq!(descriptor["name"], rule["name"]);
        assert_eq!(descriptor["shortDescription"]["text"], rule["summary"]);
        if rule.get("params").is_some() {
            // A rule file's rule (the loader's have no params): its docs are there.
            for key in ["fullDescription", "help", "helpUri"] {
                assert!(descriptor.get(key).is_some(), "{code} has no {key}");
            }
        }
    }
}

#[test]
fn json_of_every_fixture_matches_the_output_schema() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let text = check_fixtures("json");
    assert_valid(OUTPUT_SCHEMA, &text);
    let json = parse(&text);
    assert_eq!(int(&json["summary"]["files"]) as usize, fixtures().len());
}

/// The validator is not vacuous: it rejects what the schemas forbid.
#[test]
fn the_validators_reject_broken_documents() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    // A small file with a fix and a label, to keep the documents short.
    let file = "fixtures/SL503/fail.arch.yaml";
    let json = parse(&check("json", &[file], None));
    assert!(
        diagnostics(&json).iter().any(|d| d["fix"].is_object()),
        "{file} has a fix"
    );
    let broken = |doc: &Value, change: &dyn Fn(&mut Value)| {
        let mut doc = doc.clone();
        change(&mut doc);
        doc.to_string()
    };
    let cases = [
        ("nothing", json.to_string()),
        (
            "an unknown key",
            broken(&json, &|d| d["diagnostics"][0]["extra"] = Value::Bool(true)),
        ),
        (
            "a missing key",
            broken(&json, &|d| {
                d["diagnostics"][0].as_object_mut().unwrap().remove("help");
            }),
        ),
        (
            "a wrong severity",
            broken(&json, &|d| d["diagnostics"][0]["severity"] = "fatal".into()),
        ),
        (
            "a column 0",
            broken(&json, &|d| {
                d["diagnostics"][0]["span"]["start"]["column"] = 0.into()
            }),
        ),
        (
            "a fix without replacement",
            broken(
                &json,
                &|d| {
                    d["diagnostics"][0]["fix"] =
                        serde_json::json!({"span": d["diagnostics"][0]["span"].clone()})
                },
            ),
        ),
        (
            "another version",
            broken(&json, &|d| d["version"] = 2.into()),
        ),
    ];
    assert_rejected(OUTPUT_SCHEMA, &cases);

    let sarif = parse(&check("sarif", &[file], None));
    let cases = [
        ("nothing", sarif.to_string()),
        (
            "SARIF 2.0.0",
            broken(&sarif, &|d| d["version"] = "2.0.0".into()),
        ),
        (
            "a level `info`",
            broken(&sarif, &|d| {
                d["runs"][0]["results"][0]["level"] = "info".into()
            }),
        ),
        (
            "a start line 0",
            broken(&sarif, &|d| {
                d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
                    ["startLine"] = 0.into()
            }),
        ),
        (
            "a columnKind of bytes",
            broken(&sarif, &|d| d["runs"][0]["columnKind"] = "bytes".into()),
        ),
    ];
    assert_rejected(SARIF_SCHEMA, &cases);
}

/// The first case (the output as it is) validates, every other is rejected.
fn assert_rejected(schema: &str, cases: &[(&str, String)]) {
    let documents: Vec<String> = cases.iter().map(|(_, d)| d.clone()).collect();
    let errors = schema_errors(schema, &documents);
    assert_eq!(errors[0], Vec::<String>::new(), "the output itself");
    for ((what, _), errors) in cases.iter().zip(&errors).skip(1) {
        assert!(!errors.is_empty(), "{schema} accepts {what}");
    }
}

/// `::level k=v,…::message` split into its parts, unescaped; `None` when
/// the line is not of that shape.
fn parse_command(line: &str) -> Option<(&str, BTreeMap<String, String>, String)> {
    fn unescape(s: &str) -> String {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (level, props) = head.split_once(' ')?;
    let mut properties = BTreeMap::new();
    for prop in props.split(',') {
        let (key, value) = prop.split_once('=')?;
        if properties.insert(key.to_owned(), unescape(value)).is_some() {
            return None;
        }
    }
    Some((level, properties, unescape(message)))
}

#[test]
fn github_commands_of_every_fixture_match_the_json() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let text = check_fixtures("github");
    let json = parse(&check_fixtures("json"));
    let lines: Vec<&str> = text.lines().collect();
    let diagnostics = diagnostics(&json);
    assert_eq!(lines.len(), diagnostics.len(), "one line per finding");
    for (line, d) in lines.iter().zip(diagnostics) {
        let (level, props, message) =
            parse_command(line).unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let expected_level = match d["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        assert_eq!(level, expected_level, "{line}");
        let keys: Vec<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["col", "endColumn", "endLine", "file", "line", "title"],
            "{line}"
        );
        assert_eq!(props["file"], d["file"].as_str().unwrap());
        let (start, end) = (&d["span"]["start"], &d["span"]["end"]);
        for (key, value) in [
            ("line", &start["line"]),
            ("col", &start["column"]),
            ("endLine", &end["line"]),
            ("endColumn", &end["column"]),
        ] {
            assert_eq!(props[key], value.to_string(), "{key} of {line}");
        }
        assert_eq!(
            props["title"],
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        let mut expected = d["message"].as_str().unwrap().to_owned();
        if let Some(help) = d["help"].as_str() {
            expected.push_str(&format!("\nhelp: {help}"));
        }
        assert_eq!(message, expected, "{line}");
        assert!(!line.contains('\r'));
    }
}

const JUNIT: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = []
for suite in root:
    assert suite.tag == "testsuite", suite.tag
    cases = []
    for case in suite:
        assert case.tag == "testcase", case.tag
        failures = []
        for failure in case:
            assert failure.tag == "failure", failure.tag
            failures.append({"type": failure.get("type"), "message": failure.get("message"), "body": failure.text})
        cases.append({"name": case.get("name"), "failures": failures})
    suites.append({"name": suite.get("name"), "tests": int(suite.get("tests")), "failures": int(suite.get("failures")), "cases": cases})
print(json.dumps({"tests": int(root.get("tests")), "failures": int(root.get("failures")), "suites": suites}))
"#;

#[test]
fn junit_of_every_fixture_is_well_formed_with_one_failure_per_finding() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let xml = check_fixtures("junit");
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(xml.as_bytes()).unwrap();
    file.flush().unwrap();
    let parsed = python(JUNIT, &[file.path()])
        .unwrap_or_else(|e| panic!("the JUnit output is not well-formed XML:\n{e}\n{xml}"));
    let parsed = parse(&parsed);
    let json = parse(&check_fixtures("json"));

    // The findings of each file, by rule family, in order.
    let files = fixtures();
    let mut expected: BTreeMap<&str, BTreeMap<String, Vec<&Value>>> = files
        .iter()
        .map(|f| (f.as_str(), BTreeMap::new()))
        .collect();
    for d in diagnostics(&json) {
        let code = d["code"].as_str().unwrap();
        expected
            .get_mut(d["file"].as_str().unwrap())
            .expect("a fixture")
            .entry(code[..3].to_owned())
            .or_default()
            .push(d);
    }

    let suites = parsed["suites"].as_array().unwrap();
    assert_eq!(suites.len(), expected.len(), "one test suite per file");
    let mut failures = 0;
    for suite in suites {
        let name = suite["name"].as_str().unwrap();
        let families = &expected[name];
        let cases = suite["cases"].as_array().unwrap();
        assert_eq!(int(&suite["tests"]) as usize, cases.len());
        if families.is_empty() {
            assert_eq!(cases.len(), 1, "{name}: a clean file has one passing case");
            assert!(cases[0]["failures"].as_array().unwrap().is_empty());
            continue;
        }
        let names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
        let expected_names: Vec<&str> = families.keys().map(String::as_str).collect();
        assert_eq!(names, expected_names, "{name}: one case per rule family");
        for case in cases {
            let found = case["failures"].as_array().unwrap();
            let findings = &families[case["name"].as_str().unwrap()];
            assert_eq!(
                found.len(),
                findings.len(),
                "{name}: one failure per finding"
            );
            for (f, d) in found.iter().zip(findings) {
                assert_eq!(f["type"], d["severity"]);
                let message = f["message"].as_str().unwrap();
                assert!(
                    message.contains(d["message"].as_str().unwrap()),
                    "{message} / {d}"
                );
                let at = format!(
                    "{name}:{}:{}: ",
                    d["span"]["start"]["line"], d["span"]["start"]["column"]
                );
                assert!(f["body"].as_str().unwrap().starts_with(&at), "{f}");
            }
            failures += found.len();
        }
    }
    assert_eq!(failures, diagnostics(&json).len());
    assert_eq!(
        int(&parsed["tests"]) as usize,
        suites
            .iter()
            .map(|s| int(&s["tests"]) as usize)
            .sum::<usize>()
    );
}

/// SARIF columns count Unicode code points, like the JSON ones, on lines
/// where characters and bytes differ; offsets stay bytes.
#[test]
fn sarif_columns_are_code_points() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let file = "fixtures/examples/stage2-problems.arch.yaml";
    let source = std::fs::read_to_string(crate_root().join(file)).unwrap();
    assert!(source.contains('é'), "{file} has multi-byte characters");
    let sarif = parse(&check("sarif", &[file], None));
    let json = parse(&check("json", &[file], None));
    assert!(!diagnostics(&json).is_empty());
    assert_sarif_matches_json(&sarif, &json);
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");

    // A finding after a multi-byte character on its own line, through
    // standard input: the column counts `é` once, the offset twice.
    let input = "version: 1\nsystem: {name: café, users: many}\n";
    let args = ["--stdin-filename", "café.arch.yaml", "-"];
    let sarif_text = check("sarif", &args, Some(input));
    assert_valid(SARIF_SCHEMA, &sarif_text);
    let sarif = parse(&sarif_text);
    let json = parse(&check("json", &args, Some(input)));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut after_multibyte = 0;
    for (r, d) in results.iter().zip(diagnostics(&json)) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let offset = int(&region["byteOffset"]) as usize;
        let line_start = input[..offset].rfind('\n').map_or(0, |i| i + 1);
        let before = &input[line_start..offset];
        assert_eq!(
            int(&region["startColumn"]) as usize,
            before.chars().count() + 1,
            "{r:#}"
        );
        assert_eq!(region["startColumn"], d["span"]["start"]["column"]);
        if before.len() != before.chars().count() {
            after_multibyte += 1;
        }
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "caf%C3%A9.arch.yaml"
        );
    }
    assert!(
        after_multibyte > 0,
        "no finding after a multi-byte character: {results:#?}"
    );
}

/// A custom threshold rule, as a team would write one.
const CUSTOM_RULE: &str = include_str!("data/ACME002-worker-cpu.yaml");

/// Custom rules are described in SARIF like built-in ones, and form their
/// own family in JUnit.
#[test]
fn custom_rules_in_sarif_and_junit() {
    if !common::client(
        "python3",
        &["-c", "import jsonschema"],
        "pip install jsonschema",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ACME002-worker-cpu.yaml"), CUSTOM_RULE).unwrap();
    let rules = dir.path().to_str().unwrap();
    let input = "version: 1\nsystem: {name: t, users: 500}\nobservability: {monitoring: true}\nservices:\n  - {name: w, kind: worker, metrics: {cpu: 0.8}}\n";
    let args = ["--rules", rules, "--stdin-filename", "w.arch.yaml", "-"];
    let sarif_text = check("sarif", &args, Some(input));
    assert_valid(SARIF_SCHEMA, &sarif_text);
    let sarif = parse(&sarif_text);
    let run = &sarif["runs"][0];
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ACME002")
        .expect("the custom rule fires");
    let rule = &run["tool"]["driver"]["rules"][int(&result["ruleIndex"]) as usize];
    assert_eq!(rule["id"], "ACME002");
    assert_eq!(
        rule["fullDescription"]["text"],
        "worker CPU above the team limit"
    );
    assert_eq!(rule["properties"]["tags"][0], "custom");
    assert_eq!(rule["properties"]["parameters"][0]["default"], "60%");

    let xml = check("junit", &args, Some(input));
    assert!(
        xml.contains("<testcase name=\"ACME\" classname=\"w.arch.yaml\""),
        "{xml}"
    );
}
