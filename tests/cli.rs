//! The `scalelint` binary end to end: exit codes, the exit-2 messages, the
//! JSON contract of CLI.md, directory walking, standard input, the output
//! options, selection, input limits, and insta snapshots of the human
//! rendering of crafted inputs (`tests/inputs/`).
//!
//! Every run sets `NO_COLOR=1` and `COLUMNS=100` unless the test is about
//! them, so the output does not depend on the terminal the tests run in.
//! Tests marked `#[ignore = "bug: …"]` state what the contract asks for
//! where the binary does something else today.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A valid description with no findings.
const CLEAN: &str =
    "version: 1\nsystem:\n  name: shop\n  users: 1200\nobservability: {monitoring: true}\n";
/// A description with exactly one SL001 (an unknown key, on line 3).
const ONE_SL001: &str = "version: 1\nsystem:\n  nam: shop\n  name: shop\n";

/// The loader's codes, the only ones every build knows whatever rule files
/// it embeds.
const LOADER_CODES: [&str; 4] = ["SL000", "SL001", "SL002", "SL003"];
/// `--select` for the loader's codes only. Not the prefix `SL0`: rules
/// (SL004, SL005, SL006, …) share it.
const LOADER: &str = "SL000,SL001,SL002,SL003";

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
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
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// The binary, run in `dir`, without color, at 100 columns.
fn scalelint(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scalelint"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        // A panic or backtrace must not show even when asked for.
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `scalelint check ARGS…` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    run(scalelint(dir).arg("check").args(args))
}

/// Runs `scalelint check ARGS…` with `input` on standard input.
fn check_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = scalelint(dir)
        .arg("check")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A temporary directory holding `files` (path, contents).
fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// [`dir_with`] for files made at run time.
fn dir_with_owned(files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    dir_with(&borrowed)
}

/// The diagnostics' codes, in output order.
fn codes(json: &Value) -> Vec<&str> {
    diagnostics(json)
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

/// The loader's codes among `codes`, in order.
fn loader_codes<S: AsRef<str>>(codes: &[S]) -> Vec<&str> {
    codes
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| LOADER_CODES.contains(c))
        .collect()
}

fn diagnostics(json: &Value) -> &Vec<Value> {
    json["diagnostics"].as_array().expect("a diagnostics array")
}

/// The `file` of each diagnostic, in report order.
fn diagnostic_files(json: &Value) -> Vec<&str> {
    diagnostics(json)
        .iter()
        .map(|d| d["file"].as_str().expect("a file path"))
        .collect()
}

/// Exit 2 with a message on stderr and nothing on stdout; never a panic or
/// a backtrace.
#[track_caller]
fn assert_run_error(r: &Run, needles: &[&str]) {
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(!r.stderr.trim().is_empty(), "{r:?}");
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!r.stderr.contains(bad), "{bad:?} in stderr: {r:?}");
    }
    for needle in needles {
        assert!(r.stderr.contains(needle), "{needle:?} missing: {r:?}");
    }
}

/// One paragraph: no blank line inside the message.
#[track_caller]
fn assert_one_paragraph(r: &Run) {
    assert!(!r.stderr.trim().contains("\n\n"), "{r:?}");
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn a_clean_file_exits_0_with_a_summary() {
    let r = check(crate_root(), &["tests/inputs/clean.yaml"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "All checks passed (1 file).\n");
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[test]
fn a_schema_violation_exits_1() {
    let dir = dir_with(&[("shop.arch.yaml", ONE_SL001.as_bytes())]);
    let r = check(dir.path(), &["--select", LOADER, "shop.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("SL001"), "{r:?}");
    assert!(r.stdout.contains("[shop.arch.yaml:3:3]"), "{r:?}");
    assert!(r.stdout.contains("help: did you mean `name`?"), "{r:?}");
    assert!(
        r.stdout.ends_with("Found 1 problem (1 error) in 1 file.\n"),
        "{r:?}"
    );
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["shop.arch.yaml", "nowhere.arch.yaml"]);
    assert_run_error(&r, &["nowhere.arch.yaml", "no such file"]);
    assert_one_paragraph(&r);
}

#[test]
fn a_directory_without_description_files_exits_2_naming_path_and_globs() {
    let dir = dir_with(&[("notes.yaml", CLEAN.as_bytes()), ("sub/readme.md", b"hi")]);
    let r = check(dir.path(), &["sub"]);
    assert_run_error(&r, &["sub", "**/*.arch.yaml", "**/architecture.yaml"]);
    assert_one_paragraph(&r);
    // The default path is `.`.
    let r = check(dir.path(), &[]);
    assert_run_error(&r, &["no description files", "*.arch.yaml"]);
}

#[test]
fn an_unknown_rule_selector_exits_2() {
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["--select", "SL99X", "shop.arch.yaml"]);
    assert_run_error(&r, &["SL99X"]);
    assert!(r.stderr.contains("unknown rule"), "{r:?}");
    assert_one_paragraph(&r);
    // A near miss gets a "did you mean", in --ignore as in --select.
    let r = check(dir.path(), &["--ignore", "SL0O1", "shop.arch.yaml"]);
    assert_run_error(&r, &["SL0O1", "did you mean `SL001`?"]);
    let r = check(
        dir.path(),
        &["--select", "schema-violaton", "shop.arch.yaml"],
    );
    assert_run_error(&r, &["did you mean `schema-violation`?"]);
}

#[test]
fn a_bad_option_value_exits_2() {
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["--format", "xml", "shop.arch.yaml"]);
    assert_run_error(&r, &["xml", "--format"]);
    let r = check(dir.path(), &["--fail-on", "sometimes", "shop.arch.yaml"]);
    assert_run_error(&r, &["sometimes"]);
    let r = check(dir.path(), &["--stage", "9", "shop.arch.yaml"]);
    assert_run_error(&r, &["9"]);
}

#[test]

fn a_bad_option_value_is_one_paragraph() {
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["--format", "xml", "shop.arch.yaml"]);
    assert_run_error(&r, &["xml"]);
    assert_one_paragraph(&r);
}

#[test]
fn fail_on_sets_the_lowest_failing_severity() {
    // Only the loader's rules exist so far, and they are all errors: no
    // input makes a warning, so `--fail-on error` is tested on an error.
    let dir = dir_with(&[("shop.arch.yaml", ONE_SL001.as_bytes())]);
    for (fail_on, code) in [("never", 0), ("error", 1), ("warning", 1), ("info", 1)] {
        let r = check(dir.path(), &["--fail-on", fail_on, "shop.arch.yaml"]);
        assert_eq!(r.code, code, "--fail-on {fail_on}: {r:?}");
        // The findings are printed whatever the exit code.
        assert!(r.stdout.contains("SL001"), "{r:?}");
    }
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["--fail-on", "info", "shop.arch.yaml"]);
    assert_eq!(r.code, 0, "{r:?}");
}

// ---------------------------------------------------------------------------
// JSON

#[test]
fn json_output_has_every_key_of_the_contract() {
    let src = "version: 1\nsystem:\n  name: café\n  stage: 7\nx-c: &c {cpu: 72}\nservices:\n  - name: api\n    metrics: *c\n";
    let dir = dir_with(&[("shop.arch.yaml", src.as_bytes())]);
    let r = check(
        dir.path(),
        &["--format", "json", "--select", LOADER, "shop.arch.yaml"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let json = r.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "scalelint");
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let ds = diagnostics(&json);
    assert_eq!(ds.len(), 2, "{r:?}");
    for d in ds {
        for key in [
            "file", "code", "name", "severity", "message", "help", "path", "span", "labels",
            "load", "url",
        ] {
            assert!(d.get(key).is_some(), "{key} missing from {d}");
        }
        for end in ["start", "end"] {
            for key in ["line", "column", "offset"] {
                assert!(d["span"][end][key].is_u64(), "span.{end}.{key} in {d}");
            }
        }
        assert_eq!(d["file"], "shop.arch.yaml");
        assert_eq!(d["code"], "SL001");
        assert_eq!(d["name"], "schema-violation");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["load"], 1.0);
        assert!(d["url"].as_str().unwrap().ends_with("#sl001"), "{d}");
    }
    let stage = &ds[0];
    assert_eq!(stage["message"], "7 is out of range: stages are 1 to 4");
    assert_eq!(stage["help"], Value::Null);
    assert_eq!(stage["path"], "system.stage");
    assert_eq!(
        stage["span"],
        serde_json::json!({"start": {"line": 4, "column": 10, "offset": 42},
                           "end": {"line": 4, "column": 11, "offset": 43}})
    );
    assert_eq!(stage["labels"], serde_json::json!([]));
    let alias = &ds[1];
    assert_eq!(alias["help"], "write 0.72 or 72%");
    assert_eq!(alias["path"], "services[api].metrics");
    let at = |v: &Value| v["offset"].as_u64().unwrap() as usize;
    assert_eq!(
        &src[at(&alias["span"]["start"])..at(&alias["span"]["end"])],
        "*c"
    );
    let label = &alias["labels"][0];
    assert!(label["message"].as_str().unwrap().contains("anchor"));
    assert_eq!(
        &src[at(&label["span"]["start"])..at(&label["span"]["end"])],
        "72"
    );
    assert_eq!(label["span"]["start"]["line"], 5);
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "errors": 2, "warnings": 0, "infos": 0,
                           "suppressed": 0, "baselined": 0})
    );
}

#[test]
fn json_diagnostics_are_sorted_by_file_then_offset_then_code() {
    // `a` sorts first though it is written second; in `b` an SL002 and an
    // SL003 come before an SL001 further down.
    let b = "version: 1\nsystem: {name: b}\nservices:\n  - name: x\n    depends_on: [{target: nope}]\ncaches:\n  - {name: x, bad: 1}\n";
    let a = "version: 1\nsystem: {name: a, stage: 0, sla: 1}\n";
    let dir = dir_with(&[("b.arch.yaml", b.as_bytes()), ("a.arch.yaml", a.as_bytes())]);
    let r = check(dir.path(), &["--format", "json", "--select", LOADER, "."]);
    let json = r.json();
    let keys: Vec<(String, u64, String)> = diagnostics(&json)
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["span"]["start"]["offset"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        codes(&json),
        ["SL001", "SL001", "SL002", "SL003", "SL001"],
        "{r:?}"
    );
    assert_eq!(keys[0].0, "a.arch.yaml");
    assert_eq!(keys[2].0, "b.arch.yaml");
}

#[test]

fn files_given_out_of_order_are_still_sorted_by_file() {
    let dir = dir_with(&[
        ("a.arch.yaml", ONE_SL001.as_bytes()),
        ("b.arch.yaml", ONE_SL001.as_bytes()),
    ]);
    let r = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            LOADER,
            "b.arch.yaml",
            "a.arch.yaml",
        ],
    );
    let json = r.json();
    let files = diagnostic_files(&json);
    assert_eq!(files, ["a.arch.yaml", "b.arch.yaml"], "{r:?}");
}

// ---------------------------------------------------------------------------
// Finding files

#[test]
fn directories_are_walked_for_the_include_globs_honouring_gitignore() {
    let dir = dir_with(&[
        ("a.arch.yaml", ONE_SL001.as_bytes()),
        ("sub/architecture.yaml", ONE_SL001.as_bytes()),
        ("notes.yaml", b"not: [a description"),
        ("ignored/x.arch.yaml", b"not: [a description"),
        (".gitignore", b"ignored/\n"),
    ]);
    let r = check(dir.path(), &["--format", "json", "--select", LOADER, "."]);
    assert_eq!(r.code, 1, "{r:?}");
    let json = r.json();
    assert_eq!(json["summary"]["files"], 2, "{r:?}");
    let files = diagnostic_files(&json);
    // Relative to the current directory, without a leading `./`.
    assert_eq!(files, ["a.arch.yaml", "sub/architecture.yaml"], "{r:?}");
    // The same with no path at all, and in the human format.
    let r = check(dir.path(), &["--select", LOADER]);
    assert!(r.stdout.contains("[a.arch.yaml:3:3]"), "{r:?}");
    assert!(r.stdout.contains("[sub/architecture.yaml:3:3]"), "{r:?}");
    assert!(!r.stdout.contains("./"), "{r:?}");
    assert!(!r.stdout.contains("ignored"), "{r:?}");
    assert!(r.stdout.contains("in 2 files."), "{r:?}");
}

#[test]
fn a_file_named_explicitly_is_checked_whatever_its_name() {
    let dir = dir_with(&[("notes.yaml", ONE_SL001.as_bytes())]);
    let r = check(dir.path(), &["--format", "json", "notes.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(diagnostics(&r.json())[0]["file"], "notes.yaml");
}

#[test]
fn standard_input_is_reported_under_its_stdin_filename() {
    let r = check_stdin(
        crate_root(),
        &["-", "--stdin-filename", "svc.arch.yaml"],
        ONE_SL001.as_bytes(),
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("[svc.arch.yaml:3:3]"), "{r:?}");
    let r = check_stdin(
        crate_root(),
        &["--format", "json", "-", "--stdin-filename", "svc.arch.yaml"],
        ONE_SL001.as_bytes(),
    );
    let json = r.json();
    assert_eq!(diagnostics(&json)[0]["file"], "svc.arch.yaml");
    assert_eq!(json["summary"]["files"], 1);
    // A clean standard input passes.
    let r = check_stdin(crate_root(), &["-"], CLEAN.as_bytes());
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]

fn a_file_reached_twice_is_checked_once() {
    let dir = dir_with(&[("a.arch.yaml", ONE_SL001.as_bytes())]);
    let r = check(
        dir.path(),
        &["--format", "json", "--select", LOADER, ".", "a.arch.yaml"],
    );
    let json = r.json();
    assert_eq!(json["summary"]["files"], 1, "{r:?}");
    assert_eq!(codes(&json), ["SL001"], "{r:?}");
}

// ---------------------------------------------------------------------------
// Output options

#[test]
fn output_file_gets_the_report_and_stdout_nothing() {
    let dir = dir_with(&[("shop.arch.yaml", ONE_SL001.as_bytes())]);
    let r = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            LOADER,
            "-o",
            "report.json",
            "shop.arch.yaml",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let written = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let json: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(codes(&json), ["SL001"]);

    let r = check(
        dir.path(),
        &[
            "--select",
            LOADER,
            "--output",
            "report.txt",
            "shop.arch.yaml",
        ],
    );
    assert!(r.stdout.is_empty(), "{r:?}");
    let written = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(written.contains("[shop.arch.yaml:3:3]"), "{written}");
    assert!(!written.contains('\x1b'));
}

#[test]
fn an_output_file_that_cannot_be_written_exits_2() {
    let dir = dir_with(&[("shop.arch.yaml", CLEAN.as_bytes())]);
    let r = check(dir.path(), &["-o", "missing/dir/out.txt", "shop.arch.yaml"]);
    assert_run_error(&r, &["missing/dir/out.txt"]);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Far more output than a pipe buffers, read one line of, then closed.
    let mut src = String::from(CLEAN);
    for i in 0..1000 {
        src.push_str(&format!("x{i}: 1\n"));
    }
    let dir = dir_with(&[("huge.arch.yaml", src.as_bytes())]);
    read_the_start_then_close(
        dir.path(),
        &["check", "--select", LOADER, "huge.arch.yaml"],
        b"SL001",
    );
}

/// Runs `scalelint ARGS…` in `dir`, reads the first bytes of its output
/// (they must be `start`), closes the pipe, and checks that the run ends
/// as a failing check (exit 1) with nothing on standard error.
fn read_the_start_then_close(dir: &Path, args: &[&str], start: &[u8]) {
    let mut child = scalelint(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; start.len()];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(first, start);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// `--format json` writes each file's diagnostics as soon as it and the
/// files before it are checked; with a baseline the report is held whole
/// first. Both must give the same document, byte for byte: many files
/// (more than there are threads, some clean, one broken, one not UTF-8),
/// given out of order, with standard input among them.
#[test]
fn the_streamed_json_report_is_the_held_one() {
    let mut files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            let text = match i % 4 {
                0 => CLEAN.to_string(),
                1 => ONE_SL001.to_string(),
                2 => format!("{CLEAN}services:\n  - name: web{i}\n    instances: 1\n"),
                _ => std::fs::read_to_string(
                    crate_root().join("fixtures/bench/typical-300.arch.yaml"),
                )
                .unwrap(),
            };
            (format!("f{i:02}.arch.yaml"), text.into_bytes())
        })
        .collect();
    files.push(("broken.arch.yaml".into(), b"system: [unclosed\n".to_vec()));
    files.push((
        "latin1.arch.yaml".into(),
        b"system:\n  name: caf\xe9\n".to_vec(),
    ));
    let dir = dir_with_owned(&files);
    std::fs::write(
        dir.path().join("empty.baseline.json"),
        r#"{"version": 1, "findings": []}"#,
    )
    .unwrap();
    let args = [
        "--format",
        "json",
        "--today",
        "2025-06-01",
        "f30.arch.yaml",
        "-",
        ".",
    ];
    let streamed = check_stdin(dir.path(), &args, ONE_SL001.as_bytes());
    let held = check_stdin(
        dir.path(),
        &[&args[..], &["--baseline", "empty.baseline.json"]].concat(),
        ONE_SL001.as_bytes(),
    );
    assert_eq!(streamed.code, 1, "{streamed:?}");
    assert_eq!(held.code, streamed.code, "{held:?}");
    assert_eq!(streamed.stdout, held.stdout);
    let json = streamed.json();
    assert_eq!(json["summary"]["files"], 43, "{streamed:?}");
    let files = diagnostic_files(&json);
    assert!(files.is_sorted(), "{files:?}");
    assert_eq!(files.first(), Some(&"-"));
    // --fail-on is worked out as the files go by.
    let r = check_stdin(
        dir.path(),
        &[&args[..], &["--fail-on", "never"]].concat(),
        b"",
    );
    assert_eq!(r.code, 0, "{r:?}");
}

/// The streamed JSON report stops quietly when its reader goes away.
#[test]
fn a_closed_pipe_is_not_an_error_for_the_json_report_either() {
    let text =
        std::fs::read_to_string(crate_root().join("fixtures/bench/typical-300.arch.yaml")).unwrap();
    let files: Vec<(String, Vec<u8>)> = (0..200)
        .map(|i| (format!("f{i:03}.arch.yaml"), text.clone().into_bytes()))
        .collect();
    let dir = dir_with_owned(&files);
    read_the_start_then_close(dir.path(), &["check", "--format", "json", "."], b"{");
}

#[test]
fn statistics_count_findings_per_rule() {
    let src = "version: 1\nsystem: {name: s, stage: 9, sla: 1}\nservices:\n  - {name: a, region: nowhere}\n  - {name: a}\n";
    let dir = dir_with(&[("shop.arch.yaml", src.as_bytes())]);
    let r = check(
        dir.path(),
        &["--statistics", "--select", LOADER, "shop.arch.yaml"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stdout,
        "   2  SL001  schema-violation      [error: 2]\n\
         \x20  1  SL002  unresolved-reference  [error: 1]\n\
         \x20  1  SL003  duplicate-name        [error: 1]\n"
    );
    let r = check(
        dir.path(),
        &[
            "--statistics",
            "--format",
            "json",
            "--select",
            LOADER,
            "shop.arch.yaml",
        ],
    );
    let json = r.json();
    assert_eq!(
        json[0],
        serde_json::json!({"code": "SL001", "name": "schema-violation", "count": 2,
                           "errors": 2, "warnings": 0, "infos": 0})
    );
}

#[test]
fn quiet_prints_no_summary_line() {
    let dir = dir_with(&[
        ("bad.arch.yaml", ONE_SL001.as_bytes()),
        ("ok.arch.yaml", CLEAN.as_bytes()),
    ]);
    let r = check(dir.path(), &["-q", "bad.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("SL001"), "{r:?}");
    assert!(!r.stdout.contains("Found"), "{r:?}");
    let r = check(dir.path(), &["--quiet", "ok.arch.yaml"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r:?}");
}

#[test]
fn human_output_has_no_escape_bytes_without_a_terminal() {
    let dir = dir_with(&[("shop.arch.yaml", ONE_SL001.as_bytes())]);
    let r = check(dir.path(), &["shop.arch.yaml"]);
    assert!(!r.stdout.contains('\x1b'), "{r:?}");
    // Not a terminal: no color even when NO_COLOR is not set, or is empty,
    // and even when the environment asks for colors.
    for no_color in [None, Some("")] {
        let mut cmd = scalelint(dir.path());
        cmd.env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .env("FORCE_COLOR", "1")
            .args(["check", "shop.arch.yaml"]);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stdout.contains("SL001"), "{r:?}");
        assert!(!r.stdout.contains('\x1b'), "{r:?}");
        assert!(!r.stderr.contains('\x1b'), "{r:?}");
    }
}

/// The human report of `check ARGS…` run on a pseudo-terminal (through
/// util-linux `script`), with `NO_COLOR` set to `no_color` or unset; `None`
/// where `script` is not available.
fn on_a_terminal(dir: &Path, no_color: Option<&str>, args: &[&str]) -> Option<String> {
    let available = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        eprintln!("skipped: util-linux `script` is not available");
        return None;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_scalelint"));
    line.push_str(" check");
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .stdin(Stdio::null());
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().expect("script runs");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn no_color_turns_colors_off_on_a_terminal() {
    let dir = dir_with(&[("shop.arch.yaml", ONE_SL001.as_bytes())]);
    let Some(plain) = on_a_terminal(dir.path(), Some("1"), &["shop.arch.yaml"]) else {
        return;
    };
    assert!(plain.contains("SL001"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    // On a terminal, colors are the default; an empty NO_COLOR does not
    // count (no-color.org); a report written to a file never has them.
    for no_color in [None, Some("")] {
        let colored = on_a_terminal(dir.path(), no_color, &["shop.arch.yaml"]).unwrap();
        assert!(colored.contains('\x1b'), "{no_color:?}: {colored:?}");
    }
    let out = on_a_terminal(dir.path(), None, &["-o", "out.txt", "shop.arch.yaml"]).unwrap();
    assert!(!out.contains('\x1b'), "{out:?}");
    let written = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(
        written.contains("SL001") && !written.contains('\x1b'),
        "{written:?}"
    );
}

// ---------------------------------------------------------------------------
// Selection

/// SL001 (line 2), SL002 (line 4) and SL003 (line 5). The users and the
/// monitoring keep today's rules quiet, but the tests do not count on it.
const THREE_CODES: &str = "version: 1\nsystem: {name: s, stage: 9, users: 1200}\nservices:\n  - {name: a, region: nowhere}\n  - {name: a}\nobservability: {monitoring: true}\n";

/// The exit code and JSON report of `check --format json ARGS…` on
/// `THREE_CODES`.
fn selected_json(args: &[&str]) -> (i32, Value) {
    let dir = dir_with(&[("shop.arch.yaml", THREE_CODES.as_bytes())]);
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    all.push("shop.arch.yaml");
    let r = check(dir.path(), &all);
    (r.code, r.json())
}

/// The exit code and the codes found by `check --format json ARGS…` on
/// `THREE_CODES`.
fn selected(args: &[&str]) -> (i32, Vec<String>) {
    let (code, json) = selected_json(args);
    let codes = codes(&json).into_iter().map(str::to_owned).collect();
    (code, codes)
}

#[test]
fn select_and_ignore_take_codes_prefixes_and_names() {
    // No selection: every rule is on, the loader's codes among them (the
    // built-in rules may find more).
    let (code, found) = selected(&[]);
    assert_eq!(
        (code, loader_codes(&found)),
        (1, vec!["SL001", "SL002", "SL003"]),
        "{found:?}"
    );
    // Codes and names select exactly those.
    assert_eq!(selected(&["--select", "SL001"]), (1, vec!["SL001".into()]));
    assert_eq!(
        selected(&["--select", "SL002,duplicate-name"]),
        (1, vec!["SL002".into(), "SL003".into()])
    );
    // A prefix takes every code under it, the rules' (SL004…) as well as
    // the loader's.
    let (code, found) = selected(&["--select", "SL0", "--ignore", "SL002"]);
    assert!(
        found.iter().all(|c| c.starts_with("SL0") && c != "SL002"),
        "{found:?}"
    );
    assert_eq!(
        (code, loader_codes(&found)),
        (1, vec!["SL001", "SL003"]),
        "{found:?}"
    );
    let (code, found) = selected(&["--ignore", "schema-violation"]);
    assert!(!found.iter().any(|c| c == "SL001"), "{found:?}");
    assert_eq!(
        (code, loader_codes(&found)),
        (1, vec!["SL002", "SL003"]),
        "{found:?}"
    );
    // Every SL0 code hidden, in either case: none is left, and only what is
    // left decides the exit code.
    for ignore in ["SL0", "sl0"] {
        let (code, json) = selected_json(&["--ignore", ignore]);
        let left = codes(&json);
        assert!(
            left.iter().all(|c| !c.starts_with("SL0")),
            "--ignore {ignore}: {left:?}"
        );
        let fails = diagnostics(&json).iter().any(|d| d["severity"] != "info");
        assert_eq!(code, i32::from(fails), "--ignore {ignore}: {json}");
    }
    // Only the loader's codes selected, then all of them ignored: nothing is
    // found, the run passes.
    assert_eq!(
        selected(&["--select", LOADER, "--ignore", "SL0"]),
        (0, vec![])
    );
    assert_eq!(
        selected(&["--select", LOADER, "--ignore", "sl0"]),
        (0, vec![])
    );
}

#[test]
fn ignoring_a_code_hides_it_in_the_human_summary_too() {
    let dir = dir_with(&[("shop.arch.yaml", THREE_CODES.as_bytes())]);
    // The loader's three findings, all ignored: the run passes.
    let r = check(
        dir.path(),
        &["--select", LOADER, "--ignore", "SL0", "shop.arch.yaml"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "All checks passed (1 file).\n");
    // Whatever rules are on besides, no ignored code is shown.
    let r = check(dir.path(), &["--ignore", "SL0", "shop.arch.yaml"]);
    assert!(!r.stdout.lines().any(|l| l.starts_with("SL0")), "{r:?}");
}

// ---------------------------------------------------------------------------
// SL000 and input limits

#[test]
fn a_file_over_16_mib_is_sl000_and_the_others_are_still_checked() {
    let mut big = String::from(CLEAN);
    big.push_str(&"# padding\n".repeat(16 * 1024 * 1024 / 10 + 1));
    assert!(big.len() > 16 * 1024 * 1024);
    let dir = dir_with(&[
        ("big.arch.yaml", big.as_bytes()),
        ("bad.arch.yaml", ONE_SL001.as_bytes()),
        ("ok.arch.yaml", CLEAN.as_bytes()),
    ]);
    let r = check(dir.path(), &["--format", "json", "--select", LOADER, "."]);
    assert_eq!(r.code, 1, "{r:?}");
    let json = r.json();
    assert_eq!(json["summary"]["files"], 3);
    let ds = diagnostics(&json);
    assert_eq!(ds.len(), 2, "{r:?}");
    assert_eq!(
        (ds[0]["file"].as_str(), ds[0]["code"].as_str()),
        (Some("bad.arch.yaml"), Some("SL001"))
    );
    let limit = &ds[1];
    assert_eq!(limit["file"], "big.arch.yaml");
    assert_eq!(limit["code"], "SL000");
    let message = limit["message"].as_str().unwrap();
    assert!(message.contains("16 MiB"), "{message}");
    assert_eq!(limit["span"]["start"]["offset"], 0);
    // The human report names the limit too, without printing the file.
    let r = check(dir.path(), &["big.arch.yaml"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("16 MiB"),
        "{}",
        &r.stdout[..r.stdout.len().min(2000)]
    );
    assert!(
        r.stdout.len() < 10_000,
        "the report is {} bytes",
        r.stdout.len()
    );
}

#[test]
fn bytes_that_are_not_utf8_are_sl000() {
    let dir = dir_with(&[("latin1.arch.yaml", b"version: 1\nsystem: {name: caf\xe9}\n")]);
    let r = check(dir.path(), &["--format", "json", "latin1.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    let json = r.json();
    let d = &diagnostics(&json)[0];
    assert_eq!(codes(&json), ["SL000"]);
    assert!(d["message"].as_str().unwrap().contains("not UTF-8"), "{d}");
    assert_eq!(d["span"]["start"]["offset"], 29);
    assert_eq!(
        (&d["span"]["start"]["line"], &d["span"]["start"]["column"]),
        (&Value::from(2), &Value::from(19))
    );
    // The human report still renders.
    let r = check(dir.path(), &["latin1.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("[latin1.arch.yaml:2:19]"), "{r:?}");
    assert!(r.stdout.contains("help: save the file as UTF-8"), "{r:?}");
}

#[test]
fn two_documents_are_sl000() {
    let src = format!("{CLEAN}---\n{CLEAN}");
    let dir = dir_with(&[("two.arch.yaml", src.as_bytes())]);
    let r = check(dir.path(), &["--format", "json", "two.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    let json = r.json();
    assert_eq!(codes(&json), ["SL000"]);
    let d = &diagnostics(&json)[0];
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("second YAML document"));
    // The line of the `---`, right after the first document.
    assert_eq!(d["span"]["start"]["line"], CLEAN.lines().count() + 1);
}

#[test]
fn one_broken_file_and_one_fine_file_are_both_reported() {
    let dir = dir_with(&[
        ("broken.arch.yaml", b"version: 1\nsystem: [unclosed\n"),
        ("fine.arch.yaml", CLEAN.as_bytes()),
    ]);
    let r = check(dir.path(), &["broken.arch.yaml", "fine.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("SL000"), "{r:?}");
    assert!(r.stdout.contains("[broken.arch.yaml:"), "{r:?}");
    assert!(
        r.stdout
            .ends_with("Found 1 problem (1 error) in 1 of 2 files.\n"),
        "{r:?}"
    );
    let r = check(
        dir.path(),
        &["--format", "json", "broken.arch.yaml", "fine.arch.yaml"],
    );
    let json = r.json();
    assert_eq!(json["summary"]["files"], 2);
    assert_eq!(codes(&json), ["SL000"]);
}

// ---------------------------------------------------------------------------
// Snapshots of the human rendering

/// The human report of one input under `tests/inputs/`, run from the crate
/// root with a relative path so the snapshot holds no absolute path; the
/// loader's codes only, so the snapshot is about them and not the rules.
fn human(input: &str) -> String {
    let path: PathBuf = ["tests", "inputs", input].iter().collect();
    let r = check(crate_root(), &["--select", LOADER, path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    assert!(!r.stdout.contains('\x1b'));
    r.stdout
}

#[test]
fn snapshot_sl000_syntax_error() {
    insta::assert_snapshot!("human_sl000_syntax", human("sl000-syntax.yaml"));
}

#[test]
fn snapshot_sl001_schema_violations() {
    insta::assert_snapshot!("human_sl001_schema", human("sl001-schema.yaml"));
}

#[test]
fn snapshot_sl002_sl003_references() {
    insta::assert_snapshot!(
        "human_sl002_sl003_references",
        human("sl002-sl003-references.yaml")
    );
}
