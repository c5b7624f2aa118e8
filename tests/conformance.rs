//! Conformance against the inputs of the public YAML test suite.
//!
//! Every case in `tests/yaml-test-suite/manifest.tsv` is linted as a
//! description file with `scalelint check --format json --no-config`. Whatever
//! the input, scalelint must never panic, never hang and never exit 2; an
//! invalid input (`error`) is reported as SL000; a valid single-document input
//! is never SL000; a valid input with zero or several documents is SL000 or
//! SL001. See `tests/yaml-test-suite/README.md`.
//!
//! All failures are collected and reported together, so one run shows
//! everything.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Number of cases the manifest must hold.
const EXPECTED_ROWS: usize = 402;
/// Longest a single file may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often a running child is polled.
const POLL: Duration = Duration::from_millis(5);
/// Worker threads running cases in parallel.
const THREADS: usize = 4;

/// One row of the manifest.
#[derive(Debug)]
struct Case {
    id: String,
    /// `true` for an `error` row (invalid YAML), `false` for `ok`.
    invalid: bool,
    documents: usize,
    title: String,
}

/// How a run of the binary ended.
struct Outcome {
    /// `None` when the run was killed after `TIMEOUT`.
    status: Option<ExitStatus>,
    elapsed: Duration,
    stdout: String,
    stderr: String,
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml-test-suite")
}

fn read_manifest(dir: &Path) -> Vec<Case> {
    let path = dir.join("manifest.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().expect("manifest.tsv is empty");
    assert!(
        header.starts_with("id\texpect\tdocuments"),
        "unexpected manifest header: {header:?}"
    );
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() >= 3, "malformed manifest row: {line:?}");
            let invalid = match fields[1] {
                "error" => true,
                "ok" => false,
                other => panic!("unknown expectation {other:?} in row {line:?}"),
            };
            let documents = fields[2]
                .parse()
                .unwrap_or_else(|_| panic!("bad document count in row {line:?}"));
            Case {
                id: fields[0].to_string(),
                invalid,
                documents,
                title: fields.get(3).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// Reads a child's pipe to the end on its own thread, so that a chatty child
/// never blocks on a full pipe while we poll it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for `child` at most `TIMEOUT`; kills it when the time is up.
fn wait_with_timeout(child: &mut Child) -> (Option<ExitStatus>, Duration) {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), start.elapsed()),
            Ok(None) if start.elapsed() >= TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return (None, start.elapsed());
            }
            Ok(None) => thread::sleep(POLL),
            Err(e) => panic!("waiting for scalelint failed: {e}"),
        }
    }
}

fn run_scalelint(dir: &Path, case: &Case) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .current_dir(dir)
        .args(["check", "--format", "json", "--no-config"])
        .arg(format!("cases/{}.yaml", case.id))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start scalelint for {}: {e}", case.id));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (status, elapsed) = wait_with_timeout(&mut child);
    Outcome {
        status,
        elapsed,
        stdout: stdout.join().expect("stdout reader panicked"),
        stderr: stderr.join().expect("stderr reader panicked"),
    }
}

/// Shortens a text for a failure message.
fn excerpt(text: &str) -> String {
    const MAX: usize = 300;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The codes of the diagnostics in a JSON report, or why the report is not
/// one.
fn diagnostic_codes(stdout: &str) -> Result<Vec<String>, String> {
    let report: serde_json::Value = serde_json::from_str(stdout)
        .map_err(|e| format!("stdout is not JSON ({e}): {:?}", excerpt(stdout)))?;
    let diagnostics = report
        .get("diagnostics")
        .and_then(|d| d.as_array())
        .ok_or_else(|| format!("no `diagnostics` array in {:?}", excerpt(stdout)))?;
    diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            d.get("code")
                .and_then(|c| c.as_str())
                .map(str::to_string)
                .ok_or_else(|| format!("diagnostics[{i}] has no string `code`: {d}"))
        })
        .collect()
}

/// Everything wrong with one case's run (empty when it passed).
fn check_case(case: &Case, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let panicked = outcome.stderr.contains("panicked");
    // The stderr excerpt goes with the first problem that needs it.
    let stderr_note = || format!(" (stderr: {:?})", excerpt(&outcome.stderr));
    match outcome.status {
        None => problems.push(format!(
            "hung: killed after {:.1} s",
            outcome.elapsed.as_secs_f64()
        )),
        Some(status) => match status.code() {
            Some(0) | Some(1) => {}
            Some(code) if panicked => problems.push(format!("exit code {code}")),
            Some(code) => problems.push(format!("exit code {code}{}", stderr_note())),
            None => problems.push(format!("terminated by a signal: {status}")),
        },
    }
    if panicked {
        problems.push(format!("panicked{}", stderr_note()));
    }
    if outcome.status.is_none() {
        // A killed run's partial output says nothing more.
        return problems;
    }
    let codes = match diagnostic_codes(&outcome.stdout) {
        Ok(codes) => codes,
        Err(why) => {
            problems.push(why);
            return problems;
        }
    };
    let has = |code: &str| codes.iter().any(|c| c == code);
    if case.invalid {
        if !has("SL000") {
            problems.push(format!(
                "invalid YAML not reported as SL000 (got {codes:?})"
            ));
        }
    } else if case.documents == 1 {
        if has("SL000") {
            problems.push(format!(
                "valid single-document YAML reported as SL000 (got {codes:?})"
            ));
        }
    } else if !has("SL000") && !has("SL001") {
        problems.push(format!(
            "valid YAML with {} documents reported as neither SL000 nor SL001 (got {codes:?})",
            case.documents
        ));
    }
    problems
}

#[test]
fn yaml_test_suite_conformance() {
    let dir = suite_dir();
    let cases = read_manifest(&dir);
    assert_eq!(
        cases.len(),
        EXPECTED_ROWS,
        "manifest.tsv should list {EXPECTED_ROWS} cases"
    );

    let chunk_size = cases.len().div_ceil(THREADS).max(1);
    let results: Vec<(&Case, Vec<String>)> = thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(chunk_size)
            .map(|chunk| {
                let dir = &dir;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|case| (case, check_case(case, &run_scalelint(dir, case))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker thread panicked"))
            .collect()
    });

    assert_eq!(results.len(), EXPECTED_ROWS, "every case must be checked");
    let failures: Vec<String> = results
        .iter()
        .filter(|(_, problems)| !problems.is_empty())
        .map(|(case, problems)| {
            let expect = if case.invalid { "error" } else { "ok" };
            format!(
                "{} ({expect}, {} doc(s), {:?}): {}",
                case.id,
                case.documents,
                case.title,
                problems.join("; ")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} YAML test suite cases failed:\n  {}",
        failures.len(),
        results.len(),
        failures.join("\n  ")
    );
}
