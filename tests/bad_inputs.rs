//! Hostile and degenerate description files, end to end (issue 9).
//!
//! Each case writes its input into a temporary directory (the large ones
//! are generated here, never committed), runs the binary with
//! `check --format json --no-config`, and asserts the contract of CLI.md
//! "Input limits" and "Exit codes": the run ends (a run still going after
//! [`TIMEOUT`] is killed and fails the test), exits 0 or 1 (never 2, never a
//! signal), never panics, and reports exactly the expected diagnostic, where
//! it belongs.
//!
//! Nothing here asserts on time or memory: machines differ. Set
//! `BAD_INPUTS_MEASURE=1` (and `--nocapture`) to print each case's wall time
//! and, where `/usr/bin/time` exists, its peak resident memory.
//!
//! The last line of defence, a panic while checking one file, cannot be
//! reached through input when the code is right; it is tested at the library
//! level through `cli::check_all` with a checker that panics on purpose.

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A run still going after this long is a hang.
const TIMEOUT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(5);

/// Frames a valid description around the parts a case is about.
const HEAD: &str =
    "version: 1\nsystem:\n  name: shop\n  users: 1200\nobservability: {monitoring: true}\n";

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const MAX: usize = 2000;
        let cut = |s: &str| s.chars().take(MAX).collect::<String>();
        write!(
            f,
            "{}\n--- stdout\n{}\n--- stderr\n{}",
            self.status,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

impl Run {
    fn diagnostics(&self) -> Vec<Value> {
        let report: Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"));
        report["diagnostics"]
            .as_array()
            .unwrap_or_else(|| panic!("no diagnostics array: {self:?}"))
            .clone()
    }

    fn codes(&self) -> Vec<String> {
        self.diagnostics()
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("?").to_owned())
            .collect()
    }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for `child` at most [`TIMEOUT`]; kills it and fails when it is up.
fn wait(child: &mut Child, what: &str) -> (ExitStatus, Duration) {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (status, start.elapsed()),
            Ok(None) if start.elapsed() >= TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what}: hung, killed after {:?}", start.elapsed());
            }
            Ok(None) => thread::sleep(POLL),
            Err(e) => panic!("{what}: waiting for scalelint failed: {e}"),
        }
    }
}

fn command(dir: &Path, files: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scalelint"));
    cmd.current_dir(dir)
        .args(["check", "--format", "json", "--no-config"])
        .args(files)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `scalelint check --format json --no-config FILES` in `dir` and
/// asserts what every bad input must give: an end, exit 0 or 1, no panic.
fn check(dir: &Path, files: &[&str]) -> Run {
    let what = files.join(" ");
    let mut child = command(dir, files)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start scalelint: {e}"));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (status, elapsed) = wait(&mut child, &what);
    let run = Run {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{what}: expected exit 0 or 1 (no internal error, no signal): {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {run:?}");
    if std::env::var_os("BAD_INPUTS_MEASURE").is_some() {
        measure(dir, files, elapsed);
    }
    run
}

/// Prints the wall time of the run and, through `/usr/bin/time`, the peak
/// resident memory of a second one (informational, never asserted).
fn measure(dir: &Path, files: &[&str], elapsed: Duration) {
    let what = files.join(" ");
    let time = Path::new("/usr/bin/time");
    let mut rss = String::from("peak RSS unknown (no /usr/bin/time)");
    if time.exists() {
        let bin = env!("CARGO_BIN_EXE_scalelint");
        let mut child = Command::new(time)
            .current_dir(dir)
            .args(["-f", "bad-inputs-time %e %M", "--", bin])
            .args(["check", "--format", "json", "--no-config"])
            .args(files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start /usr/bin/time");
        let stderr = drain(child.stderr.take());
        wait(&mut child, &what);
        let stderr = stderr.join().expect("stderr reader");
        if let Some(line) = stderr.lines().find(|l| l.starts_with("bad-inputs-time ")) {
            let mut parts = line.split_whitespace().skip(1);
            let secs = parts.next().unwrap_or("?");
            let kib = parts.next().unwrap_or("?");
            rss = format!("{secs} s and {kib} KiB peak RSS under /usr/bin/time");
        }
    }
    eprintln!(
        "bad_inputs measure: {what}: {:.3} s wall; {rss}",
        elapsed.as_secs_f64()
    );
}

/// A temporary directory holding `files`.
fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("writing an input");
    }
    dir
}

/// Checks one file with the given contents.
fn check_one(name: &str, bytes: &[u8]) -> Run {
    let dir = dir_with(&[(name, bytes)]);
    check(dir.path(), &[name])
}

/// The single diagnostic of a run, which must have `code` and a message
/// containing `text`.
fn only(run: &Run, code: &str, text: &str) -> Value {
    let ds = run.diagnostics();
    assert_eq!(ds.len(), 1, "expected exactly one diagnostic: {run:?}");
    expect(&ds[0], code, text, run);
    ds[0].clone()
}

fn expect(d: &Value, code: &str, text: &str, run: &Run) {
    assert_eq!(d["code"], code, "{run:?}");
    let message = d["message"].as_str().unwrap_or("");
    assert!(
        message.contains(text),
        "expected {text:?} in the message {message:?}"
    );
}

/// `(line, column, offset)` of a diagnostic's start.
fn start(d: &Value) -> (u64, u64, u64) {
    let s = &d["span"]["start"];
    (
        s["line"].as_u64().unwrap(),
        s["column"].as_u64().unwrap(),
        s["offset"].as_u64().unwrap(),
    )
}

fn end(d: &Value) -> (u64, u64, u64) {
    let s = &d["span"]["end"];
    (
        s["line"].as_u64().unwrap(),
        s["column"].as_u64().unwrap(),
        s["offset"].as_u64().unwrap(),
    )
}

// ---------------------------------------------------------------------------
// Input limits

/// "Billion laughs": nine levels of ten aliases each would expand to about
/// 10^10 nodes; the loader stops counting past 1,000,000 without expanding.
fn alias_bomb() -> String {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..=9u8 {
        let prev = (b'a' + level - 1) as char;
        let this = (b'a' + level) as char;
        let aliases = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("{this}: &{this} [{aliases}]\n"));
    }
    bomb
}

#[test]
fn alias_bomb_is_refused_at_the_node_limit() {
    let bomb = alias_bomb();
    let run = check_one("bomb.arch.yaml", bomb.as_bytes());
    let d = only(&run, "SL000", "more than the input limit of 1000000 nodes");
    expect(&d, "SL000", "aliases would expand", &run);
    // Level f (line 6) is where the running count passes 1,000,000: a to e
    // add 123,440 nodes, each `*e` 111,111 more, so the 8th alias crosses.
    let line6 = bomb.lines().nth(5).unwrap();
    let eighth = line6.match_indices("*e").nth(7).unwrap().0 as u64;
    assert_eq!(start(&d).0, 6, "{run:?}");
    assert_eq!(start(&d).1, eighth + 1, "{run:?}");
    assert_eq!(end(&d).1, eighth + 3, "the span covers `*e`: {run:?}");
}

#[test]
fn deep_flow_nesting_is_refused_at_the_depth_limit() {
    // Closed: the 129th bracket is one too many.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let run = check_one("deep.arch.yaml", deep.as_bytes());
    let d = only(
        &run,
        "SL000",
        "nested deeper than the input limit of 128 levels",
    );
    assert_eq!(start(&d), (1, 129, 128), "{run:?}");

    // 100,000 unclosed: the scanner, looking ahead, stops at its own limit
    // of 255 levels first; the diagnostic points inside the excess.
    let deep = "[".repeat(100_000);
    let run = check_one("deep.arch.yaml", deep.as_bytes());
    let d = only(
        &run,
        "SL000",
        "nested deeper than the input limit of 128 levels",
    );
    let (line, column, _) = start(&d);
    assert_eq!(line, 1, "{run:?}");
    assert!((129..=256).contains(&column), "{run:?}");
}

/// `- - - - …`: 100,000 block sequences nested on one line.
#[test]
fn deep_compact_block_sequences_are_refused_at_the_depth_limit() {
    let mut deep = "- ".repeat(100_000);
    deep.push_str("x\n");
    let run = check_one("deep.arch.yaml", deep.as_bytes());
    let d = only(
        &run,
        "SL000",
        "nested deeper than the input limit of 128 levels",
    );
    assert_eq!(start(&d), (1, 257, 256), "the 129th `-`: {run:?}");
}

/// `-\n  -\n    -\n…`: each sequence on its own line, indented deeper (2,000
/// levels make 4 MB already; the limit is hit at line 129 either way).
#[test]
fn deep_indented_block_sequences_are_refused_at_the_depth_limit() {
    let mut deep = String::new();
    for level in 0..2_000 {
        deep.push_str(&" ".repeat(2 * level));
        deep.push_str("-\n");
    }
    let run = check_one("deep.arch.yaml", deep.as_bytes());
    let d = only(
        &run,
        "SL000",
        "nested deeper than the input limit of 128 levels",
    );
    assert_eq!(
        start(&d).0,
        129,
        "the 129th sequence is one too many: {run:?}"
    );
}

#[test]
fn deep_indented_block_mappings_are_refused_at_the_depth_limit() {
    let mut deep = String::new();
    for level in 0..1_000 {
        deep.push_str(&" ".repeat(2 * level));
        deep.push_str("a:\n");
    }
    let run = check_one("deep.arch.yaml", deep.as_bytes());
    let d = only(
        &run,
        "SL000",
        "nested deeper than the input limit of 128 levels",
    );
    assert_eq!(start(&d).0, 129, "{run:?}");
}

/// A valid description padded with comments past 16 MiB.
fn padded_to(size: usize) -> Vec<u8> {
    let mut text = String::with_capacity(size);
    text.push_str(HEAD);
    let line = format!("# {}\n", "-".repeat(77));
    while text.len() + line.len() <= size {
        text.push_str(&line);
    }
    while text.len() < size {
        text.push('\n');
    }
    text.into_bytes()
}

#[test]
fn a_file_over_16_mib_is_refused() {
    let size = 17 * 1024 * 1024;
    let run = check_one("big.arch.yaml", &padded_to(size));
    let d = only(
        &run,
        "SL000",
        "over the input limit of 16777216 bytes (16 MiB)",
    );
    expect(&d, "SL000", &format!("file is {size} bytes"), &run);
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn a_file_of_exactly_16_mib_is_checked() {
    let run = check_one("big.arch.yaml", &padded_to(16 * 1024 * 1024));
    assert_eq!(run.codes(), Vec::<String>::new(), "{run:?}");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
}

/// Files over a limit are reported, and the run goes on with the others.
#[test]
fn files_over_a_limit_do_not_stop_the_run() {
    let bomb = alias_bomb();
    let dir = dir_with(&[
        ("a-bomb.arch.yaml", bomb.as_bytes()),
        ("b-big.arch.yaml", &padded_to(17 * 1024 * 1024)),
        ("c-clean.arch.yaml", HEAD.as_bytes()),
        (
            "d-schema.arch.yaml",
            format!("{HEAD}servics: []\n").as_bytes(),
        ),
    ]);
    let run = check(
        dir.path(),
        &[
            "a-bomb.arch.yaml",
            "b-big.arch.yaml",
            "c-clean.arch.yaml",
            "d-schema.arch.yaml",
        ],
    );
    let found: Vec<(String, String)> = run
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("a-bomb.arch.yaml", "SL000"),
        ("b-big.arch.yaml", "SL000"),
        ("d-schema.arch.yaml", "SL001"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, expected, "{run:?}");
    assert_eq!(run.status.code(), Some(1));
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 4, "{run:?}");
}

// ---------------------------------------------------------------------------
// Encodings and characters

#[test]
fn non_utf8_bytes_are_reported_with_their_offset() {
    let mut bytes = format!("{HEAD}services:\n  - name: caf").into_bytes();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xe9\n"); // Latin-1 `é`
    let run = check_one("latin1.arch.yaml", &bytes);
    let d = only(
        &run,
        "SL000",
        &format!("the file is not UTF-8: invalid byte 0xe9 at offset {at}"),
    );
    assert_eq!(start(&d), (7, 14, at as u64), "{run:?}");
}

/// A multi-byte sequence cut off by the end of the file.
#[test]
fn truncated_utf8_at_the_end_is_reported() {
    let mut bytes = HEAD.as_bytes().to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(b"\xc3");
    let run = check_one("cut.arch.yaml", &bytes);
    only(
        &run,
        "SL000",
        &format!("not UTF-8: invalid byte 0xc3 at offset {at}"),
    );
}

#[test]
fn utf16_is_reported_as_not_utf8() {
    let bytes: Vec<u8> = std::iter::once(0xfeffu16)
        .chain(HEAD.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let run = check_one("utf16.arch.yaml", &bytes);
    let d = only(&run, "SL000", "not UTF-8: invalid byte 0xff at offset 0");
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn nul_bytes_are_reported_where_they_are() {
    let text = format!("{HEAD}services:\n  - name: a\0b\n");
    let at = text.find('\0').unwrap() as u64;
    let run = check_one("nul.arch.yaml", text.as_bytes());
    let d = only(&run, "SL000", "invalid YAML");
    assert_eq!(start(&d), (7, 12, at), "{run:?}");
}

/// A byte order mark is not part of line 1: the first key is at column 1.
#[test]
fn a_bom_is_accepted_and_columns_start_after_it() {
    let text = "\u{feff}versio: 1\nsystem:\n  name: shop\n  nam: shop\nobservability: {monitoring: true}\n";
    let run = check_one("bom.arch.yaml", text.as_bytes());
    let ds = run.diagnostics();
    assert!(!run.codes().contains(&"SL000".to_string()), "{run:?}");
    let unknown: Vec<&Value> = ds
        .iter()
        .filter(|d| d["message"].as_str().unwrap().starts_with("unknown key"))
        .collect();
    assert_eq!(unknown.len(), 2, "{run:?}");
    expect(unknown[0], "SL001", "unknown key `versio`", &run);
    assert_eq!(start(unknown[0]), (1, 1, 3), "{run:?}");
    assert_eq!(end(unknown[0]), (1, 7, 9), "{run:?}");
    expect(unknown[1], "SL001", "unknown key `nam`", &run);
    assert_eq!(start(unknown[1]), (4, 3, 36), "{run:?}");
}

#[test]
fn crlf_line_ends_give_the_same_lines_and_columns() {
    let lf = "version: 1\nsystem:\n  name: shop\n  nam: shop\nobservability: {monitoring: true}\nservices:\n  - name: api\n    metrics: {cpu: 2}\n";
    let crlf = lf.replace('\n', "\r\n");
    let positions = |text: &str| {
        let run = check_one("crlf.arch.yaml", text.as_bytes());
        run.diagnostics()
            .iter()
            .map(|d| {
                let (l, c, _) = start(d);
                let (el, ec, _) = end(d);
                (d["code"].as_str().unwrap().to_owned(), l, c, el, ec)
            })
            .collect::<Vec<_>>()
    };
    let with_crlf = positions(&crlf);
    assert_eq!(with_crlf, positions(lf));
    assert!(
        with_crlf.contains(&("SL001".into(), 4, 3, 4, 6)),
        "`nam` on line 4, columns 3 to 6: {with_crlf:?}"
    );
    assert!(
        with_crlf.contains(&("SL001".into(), 8, 20, 8, 21)),
        "cpu 2 on line 8: {with_crlf:?}"
    );
}

/// YAML forbids tabs in indentation.
#[test]
fn tab_indentation_is_invalid_yaml() {
    let text = "version: 1\nsystem:\n\tname: shop\n";
    let run = check_one("tabs.arch.yaml", text.as_bytes());
    let d = only(&run, "SL000", "tab");
    expect(&d, "SL000", "invalid YAML", &run);
    assert_eq!(start(&d), (3, 1, 19), "at the tab: {run:?}");
}

// ---------------------------------------------------------------------------
// Long lines

/// A 1 MB line: a flow mapping of 70,000 keys (`x-` keys are extensions,
/// ignored), then one unknown key whose column is past 1,000,000.
#[test]
fn a_one_megabyte_flow_mapping_line() {
    let mut line = String::from(
        "{version: 1, system: {name: shop, users: 1200}, observability: {monitoring: true}",
    );
    let mut i = 0;
    while line.len() < 1_000_000 {
        line.push_str(&format!(", x-k{i}: {i}"));
        i += 1;
    }
    line.push_str(", servics: []}\n");
    let column = line.find("servics").unwrap() as u64 + 1;
    let run = check_one("wide.arch.yaml", line.as_bytes());
    let d = only(&run, "SL001", "unknown key `servics`");
    assert_eq!(start(&d), (1, column, column - 1), "{run:?}");
    assert_eq!(d["path"], "servics", "{run:?}");
}

/// A 1 MB string value of two-byte characters: columns count characters,
/// offsets count bytes.
#[test]
fn a_one_megabyte_string_value() {
    let name = "é".repeat(500_000);
    let text = format!("{HEAD}x-note: \"{name}\"\nservics: []\n");
    let run = check_one("long.arch.yaml", text.as_bytes());
    let d = only(&run, "SL001", "unknown key `servics`");
    let offset = text.find("servics").unwrap() as u64;
    assert_eq!(start(&d), (7, 1, offset), "{run:?}");

    // And on the same line as the long value.
    let text = format!("{HEAD}services: [{{name: \"{name}\", instancs: 2}}]\n");
    let run = check_one("long.arch.yaml", text.as_bytes());
    let d = only(&run, "SL001", "unknown key `instancs`");
    let offset = text.find("instancs").unwrap() as u64;
    let column = "services: [{name: \"".len() as u64 + 500_000 + "\", ".len() as u64 + 1;
    assert_eq!(start(&d), (6, column, offset), "{run:?}");
    assert!(
        d["path"].as_str().unwrap().ends_with("].instancs"),
        "{run:?}"
    );
}

// ---------------------------------------------------------------------------
// Numbers

/// One service whose `instances` and `metrics.cpu` are as given.
fn service_numbers(instances: &str, cpu: &str) -> Run {
    let text = format!(
        "{HEAD}services:\n  - name: api\n    instances: {instances}\n    metrics: {{cpu: {cpu}}}\n"
    );
    check_one("numbers.arch.yaml", text.as_bytes())
}

#[test]
fn a_number_too_large_for_a_float_is_a_schema_error() {
    let run = service_numbers("1", "1e400");
    let d = only(
        &run,
        "SL001",
        "expected a ratio, found `1e400`, a number too large to hold",
    );
    assert_eq!(d["path"], "services[api].metrics.cpu", "{run:?}");
    let offset = (HEAD.len()
        + "services:\n  - name: api\n    instances: 1\n    metrics: {cpu: ".len())
        as u64;
    assert_eq!(start(&d), (9, 20, offset), "{run:?}");
    assert_eq!(end(&d).1, 25, "the span covers `1e400`: {run:?}");
    assert!(
        d["help"].as_str().unwrap_or("").contains("0.72 or 72%"),
        "the help says how to write a ratio: {run:?}"
    );
}

#[test]
fn nan_and_infinities_are_schema_errors() {
    for (instances, cpu) in [(".nan", ".nan"), (".inf", ".inf"), ("-.inf", "-.inf")] {
        let run = service_numbers(instances, cpu);
        let ds = run.diagnostics();
        assert_eq!(ds.len(), 2, "{run:?}");
        expect(
            &ds[0],
            "SL001",
            &format!("expected a count, found {instances}"),
            &run,
        );
        assert_eq!(ds[0]["path"], "services[api].instances");
        expect(
            &ds[1],
            "SL001",
            &format!("expected a ratio, found {cpu}"),
            &run,
        );
        assert_eq!(ds[1]["path"], "services[api].metrics.cpu");
    }
}

/// `-0` is 0; a ratio of `-0.0` is 0 too.
#[test]
fn negative_zero_is_zero() {
    for (instances, cpu) in [("-0", "-0"), ("-0", "-0.0"), ("2", "-0%")] {
        let run = service_numbers(instances, cpu);
        let schema: Vec<String> = run
            .codes()
            .into_iter()
            .filter(|c| c == "SL000" || c == "SL001")
            .collect();
        assert!(
            schema.is_empty(),
            "instances {instances}, cpu {cpu}: {run:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Documents

#[test]
fn an_empty_file_holds_no_document() {
    let run = check_one("empty.arch.yaml", b"");
    let d = only(&run, "SL000", "the file holds no YAML document");
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn a_file_of_comments_holds_no_document() {
    let run = check_one("comments.arch.yaml", b"# one\n\n   # two\n# three");
    let d = only(&run, "SL000", "the file holds no YAML document");
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn a_scalar_document_is_not_a_description() {
    let run = check_one("scalar.arch.yaml", b"just a string\n");
    let d = only(&run, "SL001", "expected the description (a mapping)");
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn a_list_document_is_not_a_description() {
    let run = check_one("list.arch.yaml", b"- version: 1\n- system: {}\n");
    let d = only(
        &run,
        "SL001",
        "expected the description (a mapping), found a list",
    );
    assert_eq!(start(&d), (1, 1, 0), "{run:?}");
}

#[test]
fn two_documents_are_refused() {
    let text = format!("{HEAD}---\n{HEAD}");
    let run = check_one("two.arch.yaml", text.as_bytes());
    let d = only(&run, "SL000", "a second YAML document starts here");
    assert_eq!(start(&d), (6, 1, HEAD.len() as u64), "{run:?}");
}

/// 10,000 repetitions of one key: each repetition after the first is one
/// SL001, found in one pass (a quadratic scan would show up here first).
#[test]
fn ten_thousand_duplicate_keys() {
    let mut text = String::from("version: 1\nsystem:\n  users: 10\n");
    for _ in 0..10_000 {
        text.push_str("  name: shop\n");
    }
    text.push_str("observability: {monitoring: true}\n");
    let run = check_one("dupes.arch.yaml", text.as_bytes());
    let ds = run.diagnostics();
    assert_eq!(ds.len(), 9_999, "{:?}", &ds[..ds.len().min(3)]);
    for (i, d) in ds.iter().enumerate() {
        expect(d, "SL001", "duplicate key `name`", &run);
        assert_eq!(d["path"], "system.name");
        // The first repetition is on line 5 (line 4 holds the original).
        assert_eq!(start(d).0, 5 + i as u64);
        assert_eq!(start(d).1, 3);
    }
}

// ---------------------------------------------------------------------------
// The last line of defence: a panic while checking one file

/// `cli::check_all` checks each file on its own: a checker that panics on
/// one file loses that file only, names it, and the others are checked.
#[test]
fn a_panic_on_one_file_is_contained() {
    let linter = linter();
    let inputs: Vec<(String, Vec<u8>)> = ["a.arch.yaml", "boom.arch.yaml", "c.arch.yaml"]
        .iter()
        .map(|p| (p.to_string(), format!("{HEAD}servics: []\n").into_bytes()))
        .collect();
    let (files, crashed) = scalelint::cli::check_all(inputs, |path, bytes| {
        if path == "boom.arch.yaml" {
            panic!("a bug in a rule (on purpose)");
        }
        linter.check_bytes(path, bytes)
    });
    assert_eq!(crashed, vec!["boom.arch.yaml".to_string()]);
    let checked: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(checked, ["a.arch.yaml", "c.arch.yaml"]);
    for f in &files {
        assert_eq!(f.diagnostics.len(), 1, "{}", f.path);
        assert_eq!(f.diagnostics[0].code, "SL001");
    }
}

/// `cli::check_in_order`, which `check --format json` writes its report
/// through: every result comes out once, in input order, whichever thread
/// finishes first, and a panic loses its file only.
#[test]
fn results_come_out_in_input_order_and_a_panic_is_contained() {
    let inputs: Vec<(String, usize)> = (0..300).map(|i| (format!("{i:03}"), i)).collect();
    let mut seen = Vec::new();
    let mut crashed = Vec::new();
    scalelint::cli::check_in_order(
        inputs,
        |path, i| {
            if i == 7 || i == 150 {
                panic!("a bug in a rule (on purpose)");
            }
            // Early files take longest, so later ones finish first.
            let spin = (300 - i) * 2_000;
            let mut x = 0u64;
            for k in 0..spin {
                x = std::hint::black_box(x.wrapping_add(k as u64));
            }
            (path, i, x)
        },
        |result| match result {
            Ok((path, i, _)) => {
                assert_eq!(path, format!("{i:03}"));
                seen.push(i);
            }
            Err(path) => crashed.push(path),
        },
    );
    let expected: Vec<usize> = (0..300).filter(|&i| i != 7 && i != 150).collect();
    assert_eq!(seen, expected);
    assert_eq!(crashed, ["007", "150"]);
}

// ---------------------------------------------------------------------------
// Regressions found by fuzzing (fuzz/, docs/fuzzing.md)

/// A linter with every built-in rule, as `scalelint check` builds it.
fn linter() -> scalelint::check::Linter {
    use scalelint::engine::RuleSet;
    use scalelint::registry;
    let rule_set = RuleSet::builtin().unwrap();
    let rules = registry::all_rules(&rule_set);
    let selection = registry::select(&rules, &[], &[]).unwrap();
    scalelint::check::Linter {
        rules,
        selection,
        rule_set,
        stage: None,
        load: 1.0,
        today: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        policy: Default::default(),
    }
}

/// What the fuzz targets assert: checking never panics and every span lies
/// inside the file. (The JSON report clamps positions, so the binary alone
/// would not show a span past the end.)
fn assert_spans_inside(bytes: &[u8]) -> scalelint::report::FileResult {
    let result = linter().check_bytes("fuzz.arch.yaml".into(), bytes.to_vec());
    for d in &result.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= result.source.len(),
            "{} {:?} outside a {}-byte file: {}",
            d.code,
            d.span,
            result.source.len(),
            d.message
        );
    }
    result
}

/// fuzz `load`: a bare second document after `...`, one character before
/// the end: the span covered three bytes from its start, past the end.
#[test]
fn fuzz_second_document_at_the_end_of_the_file() {
    let input = b"--- |+\n ab\n \n  \n...\nj";
    let result = assert_spans_inside(input);
    assert_eq!(result.diagnostics.len(), 1);
    let d = &result.diagnostics[0];
    assert!(d.message.contains("a second YAML document starts here"));
    assert_eq!(&result.source[d.span.range()], "j");

    let run = check_one("doc2.arch.yaml", input);
    let d = only(&run, "SL000", "a second YAML document starts here");
    assert_eq!(start(&d), (6, 1, 20), "{run:?}");
}
