//! The JSON format (`check --format json`): the stable, versioned shape of
//! CLI.md "Output: JSON", which editors and scripts parse.
//!
//! Every key is always present, so consumers can rely on one shape: `help`
//! and `fix` are `null` when a diagnostic has none, `labels` may be empty.
//! Positions come from the file's [`LineIndex`](crate::span::LineIndex):
//! 1-based lines, columns in Unicode scalar values, 0-based byte offsets,
//! `end` exclusive; spans past the end of the file are clamped to it.

use super::{FileResult, Report, Summary};
use crate::diagnostic::Diagnostic;
use crate::span::{LineSpan, Position};

/// The version of this shape; bumped only on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// The whole report, with a final newline. Diagnostics are in report
/// order (the caller sorts them by file, offset, code).
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("a write to memory cannot fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// Writes [`render`]'s text to `w`, in pieces: a large report is never
/// held whole in memory.
///
/// The layout is the contract's example: the document and each diagnostic
/// one key per line, indented by two spaces; a key's object or array value
/// (`tool`, `span`, `labels`, `fix`, `summary`) on its one line, with `", "`
/// and `": "` between items. The diagnostics are rendered in slices of at
/// most [`CHUNK`] diagnostics of one file, a group of slices at a time in
/// parallel; each group is written before the next is rendered, so the
/// memory it took is reused.
pub fn write(report: &Report, w: &mut (dyn std::io::Write + Send)) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut stream = Stream::start(w)?;
    let slices: Vec<(&FileResult, &[Diagnostic])> = report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.chunks(CHUNK).map(move |c| (f, c)))
        .collect();
    let group = GROUP * rayon::current_num_threads();
    for slices in slices.chunks(group) {
        let parts: Vec<Vec<u8>> = slices
            .par_iter()
            .map(|&(file, diagnostics)| render_diagnostics(file, diagnostics))
            .collect();
        for part in parts {
            stream.diagnostics(&part)?;
        }
    }
    stream.finish(&report.summary())
}

/// The document written as it is made: the head, then the diagnostics as
/// [`render_diagnostics`] renders them, in report order, then the summary.
/// `check` uses it to write each file's diagnostics as soon as the file and
/// those before it are checked.
pub struct Stream<'w> {
    w: &'w mut (dyn std::io::Write + Send),
    /// Whether a diagnostic has been written (the next follows a comma).
    any: bool,
}

impl<'w> Stream<'w> {
    /// Writes the document's head, up to the opening of `diagnostics`.
    pub fn start(w: &'w mut (dyn std::io::Write + Send)) -> std::io::Result<Stream<'w>> {
        let mut head = Vec::with_capacity(128);
        head.extend_from_slice(b"{\n  \"version\": ");
        uint(&mut head, FORMAT_VERSION);
        head.extend_from_slice(b",\n  \"tool\": {\"name\": ");
        string(&mut head, "scalelint");
        head.extend_from_slice(b", \"version\": ");
        string(&mut head, env!("CARGO_PKG_VERSION"));
        head.extend_from_slice(b"},\n  \"diagnostics\": [");
        w.write_all(&head)?;
        Ok(Stream { w, any: false })
    }

    /// Writes diagnostics rendered by [`render_diagnostics`].
    pub fn diagnostics(&mut self, part: &[u8]) -> std::io::Result<()> {
        let Some(rest) = part.strip_prefix(b",") else {
            return Ok(());
        };
        // The document's first diagnostic has no comma before it.
        self.w.write_all(if self.any { part } else { rest })?;
        self.any = true;
        Ok(())
    }

    /// Closes `diagnostics` and writes the summary and the final newline.
    pub fn finish(self, summary: &Summary) -> std::io::Result<()> {
        let mut tail = Vec::with_capacity(256);
        if self.any {
            tail.extend_from_slice(b"\n  ");
        }
        tail.extend_from_slice(b"],\n  \"summary\": ");
        self::summary(&mut tail, summary);
        tail.extend_from_slice(b"\n}\n");
        self.w.write_all(&tail)
    }
}

/// Slices a thread renders in each group.
const GROUP: usize = 8;

/// The most diagnostics one parallel task renders.
const CHUNK: usize = 1024;

/// Diagnostics of one file, for [`Stream::diagnostics`]: each preceded by
/// `,\n` and the indentation of an item of the `diagnostics` array.
pub fn render_diagnostics(file: &FileResult, diagnostics: &[Diagnostic]) -> Vec<u8> {
    let mut out = Vec::with_capacity(diagnostics.len() * 768);
    // What is the same for every diagnostic of the file, or of a rule, is
    // rendered once: the file's path, and each rule's code, name and
    // address. A run has a few dozen rules, so each thread keeps the
    // rules it has rendered in a list, from one file to the next.
    thread_local! {
        static RULES: std::cell::RefCell<Vec<RuleJson>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut path = Vec::with_capacity(file.path.len() + 2);
    string(&mut path, &file.path);
    RULES.with_borrow_mut(|rules| {
        for d in diagnostics {
            // Diagnostics share their rule's texts, so a pointer compare
            // finds the rule.
            let found = rules
                .iter()
                .rposition(|r| r.code.is(&d.code) && r.name.is(&d.name));
            let i = match found {
                Some(i) => i,
                None => match rules
                    .iter()
                    .rposition(|r| r.code == d.code && r.name == d.name)
                {
                    // Equal texts of another rule set (another linter's, or
                    // rules loaded again): the same JSON, found by pointer
                    // from now on.
                    Some(i) => {
                        rules[i].code = d.code.clone();
                        rules[i].name = d.name.clone();
                        i
                    }
                    None => {
                        rules.push(RuleJson::of(d));
                        rules.len() - 1
                    }
                },
            };
            out.extend_from_slice(b",\n    ");
            diagnostic(&mut out, file, &path, &rules[i], d);
        }
    });
    out
}

/// A rule's code, name and documentation address as JSON strings.
struct RuleJson {
    code: crate::diagnostic::Shared,
    name: crate::diagnostic::Shared,
    json_code: Vec<u8>,
    json_name: Vec<u8>,
    json_url: Vec<u8>,
}

impl RuleJson {
    fn of(d: &Diagnostic) -> RuleJson {
        let mut rule = RuleJson {
            code: d.code.clone(),
            name: d.name.clone(),
            json_code: Vec::new(),
            json_name: Vec::new(),
            json_url: Vec::new(),
        };
        string(&mut rule.json_code, &d.code);
        string(&mut rule.json_name, &d.name);
        string(&mut rule.json_url, &super::rule_url(&d.code));
        rule
    }
}

/// One diagnostic, as an item of the `diagnostics` array (its first line
/// not indented: the caller writes what comes before it). `path` and `rule`
/// are the file's path and the rule's texts, already JSON.
fn diagnostic(out: &mut Vec<u8>, file: &FileResult, path: &[u8], rule: &RuleJson, d: &Diagnostic) {
    out.extend_from_slice(b"{\n      \"file\": ");
    out.extend_from_slice(path);
    out.extend_from_slice(b",\n      \"code\": ");
    out.extend_from_slice(&rule.json_code);
    out.extend_from_slice(b",\n      \"name\": ");
    out.extend_from_slice(&rule.json_name);
    out.extend_from_slice(b",\n      \"severity\": \"");
    out.extend_from_slice(d.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\n      \"message\": ");
    string(out, &d.message);
    out.extend_from_slice(b",\n      \"help\": ");
    match &d.help {
        Some(help) => string(out, help),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"path\": ");
    string(out, &d.path);
    out.extend_from_slice(b",\n      \"span\": ");
    span(out, file.line_span(d.span));
    out.extend_from_slice(b",\n      \"labels\": [");
    for (i, label) in d.labels.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(b"{\"message\": ");
        string(out, &label.message);
        out.extend_from_slice(b", \"span\": ");
        span(out, file.line_span(label.span));
        out.push(b'}');
    }
    // `fix` is `null` when there is no machine-applicable edit (kept rather
    // than omitted so that every diagnostic has the same keys).
    out.extend_from_slice(b"],\n      \"fix\": ");
    match &d.fix {
        Some(fix) => {
            out.extend_from_slice(b"{\"span\": ");
            span(out, file.line_span(fix.span));
            out.extend_from_slice(b", \"replacement\": ");
            string(out, &fix.replacement);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"load\": ");
    if d.load == 1.0 {
        // Today's traffic, as serde_json writes it: nearly every diagnostic.
        out.extend_from_slice(b"1.0");
    } else {
        serde_json::to_writer(&mut *out, &d.load).expect("a write to memory cannot fail");
    }
    out.extend_from_slice(b",\n      \"url\": ");
    out.extend_from_slice(&rule.json_url);
    out.extend_from_slice(b"\n    }");
}

/// `{"start": {…}, "end": {…}}`.
fn span(out: &mut Vec<u8>, s: LineSpan) {
    out.extend_from_slice(b"{\"start\": ");
    position(out, s.start);
    out.extend_from_slice(b", \"end\": ");
    position(out, s.end);
    out.push(b'}');
}

/// `{"line": 31, "column": 25, "offset": 812}`. Every diagnostic has at
/// least two: the text is put together on the stack and copied once.
fn position(out: &mut Vec<u8>, p: Position) {
    // The keys and punctuation (34 bytes) and three numbers of at most 10
    // digits each.
    let mut buf = [0u8; 64];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        buf[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    };
    let mut digits = itoa::Buffer::new();
    put(b"{\"line\": ");
    put(digits.format(p.line).as_bytes());
    put(b", \"column\": ");
    put(digits.format(p.column).as_bytes());
    put(b", \"offset\": ");
    put(digits.format(p.offset).as_bytes());
    put(b"}");
    out.extend_from_slice(&buf[..len]);
}

fn summary(out: &mut Vec<u8>, s: &Summary) {
    counts(
        out,
        [
            ("files", s.files),
            ("errors", s.errors),
            ("warnings", s.warnings),
            ("infos", s.infos),
            ("suppressed", s.suppressed),
            ("baselined", s.baselined),
        ],
    );
}

/// `{"key": 1, …}` on one line; the keys are plain names, written as they are.
fn counts<const N: usize>(out: &mut Vec<u8>, fields: [(&str, impl itoa::Integer); N]) {
    out.push(b'{');
    for (i, (key, n)) in fields.into_iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\"" } else { b", \"" });
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        uint(out, n);
    }
    out.push(b'}');
}

/// Whether a text holds a byte that JSON escapes (a control character, `"`
/// or `\`). Blocks of 16 bytes are tested without branches, which the
/// compiler turns into vector compares; so is the tail, as the last 16.
fn needs_escape(bytes: &[u8]) -> bool {
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    // A block of known size and no early exit: vector compares.
    let any_in = |block: &[u8]| {
        let block: &[u8; 16] = block.try_into().expect("a block of 16");
        block.iter().fold(false, |any, &b| any | escaped(b))
    };
    if bytes.len() < 16 {
        return bytes.iter().any(|&b| escaped(b));
    }
    // The blocks, then the last 16 bytes (which may overlap the last block).
    bytes.chunks_exact(16).any(any_in) || any_in(&bytes[bytes.len() - 16..])
}

fn uint(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string. Most texts need no escape: they are copied as they are
/// after one scan; the others go through serde_json.
fn string(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, s).expect("a write to memory cannot fail");
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Severity};
    use crate::report::rule_url;
    use crate::span::{LineIndex, Span};
    use serde::Serialize;

    /// Lines 1-3 end in CRLF, line 3 has a two-byte `é` before the flagged
    /// value; the rest ends in LF.
    pub(in crate::report) const SHOP: &str = "system:\r\n  name: café\r\n  tags: {café: 1, size: 3}\r\ndatabases:\n  - name: orders-db\n    reads_per_sec: 10000\n    replicas:\n      count: 2\n";

    pub(in crate::report) fn span_of(source: &str, needle: &str) -> Span {
        let start = source.find(needle).expect("needle in source");
        Span::new(start, start + needle.len())
    }

    /// The span of `value` where it follows `before`.
    fn value_after(source: &str, before: &str, value: &str) -> Span {
        let start = span_of(source, &format!("{before}{value}")).start as usize + before.len();
        Span::new(start, start + value.len())
    }

    pub(in crate::report) fn file(
        path: &str,
        source: &str,
        diagnostics: Vec<Diagnostic>,
    ) -> FileResult {
        FileResult {
            path: path.to_owned(),
            source: source.to_owned(),
            lines: LineIndex::new(source),
            diagnostics,
            suppressed: 0,
            baselined: 0,
        }
    }

    /// Two files: `shop.arch.yaml` with four findings (a multi-byte value,
    /// a value after a multi-byte character on a CRLF line, one with a label
    /// and a fix, an empty span at the end of the file) and a clean file with
    /// hidden findings.
    pub(in crate::report) fn sample_report() -> Report {
        let s = SHOP;
        let replicas = value_after(s, "count: ", "2");
        let mut replica_count = Diagnostic::new(
            "SL503",
            "replica-count",
            Severity::Error,
            replicas,
            "database `orders-db` has 2 read replicas; 10000 reads/s at 3000 per replica needs 4",
        )
        .with_help("raise replicas.count to 4")
        .with_path("databases[orders-db].replicas.count")
        .with_label(span_of(s, "10000"), "reads_per_sec");
        replica_count.fix = Some(Box::new(Fix {
            span: replicas,
            replacement: "4".to_owned(),
        }));
        let diagnostics = vec![
            Diagnostic::new(
                "SL108",
                "ascii-name",
                Severity::Info,
                span_of(s, "café"),
                "system name `café` is not ascii",
            )
            .with_path("system.name"),
            Diagnostic::new(
                "SL109",
                "tag-size",
                Severity::Warning,
                value_after(s, "size: ", "3"),
                "tag `size` is 3; at most 2 expected",
            )
            .with_help("use a size of 2 or less")
            .with_path("system.tags.size"),
            replica_count,
            Diagnostic::new(
                "SL201",
                "missing-cache",
                Severity::Warning,
                Span::empty(s.len()),
                "no cache in front of `orders-db`",
            )
            .with_help("add a cache that serves `orders-db`'s reads")
            .with_path("caches"),
        ];
        let mut clean = file("legacy.arch.yaml", "system:\n  name: legacy\n", Vec::new());
        clean.suppressed = 2;
        clean.baselined = 1;
        Report {
            files: vec![file("shop.arch.yaml", s, diagnostics), clean],
        }
    }

    fn parsed(report: &Report) -> serde_json::Value {
        serde_json::from_str(&render(report)).expect("the output is JSON")
    }

    fn at(v: &serde_json::Value) -> usize {
        v["offset"].as_u64().unwrap() as usize
    }

    /// Every length around the 16-byte blocks, with each escaped byte at
    /// every position: found, and nothing found without it.
    #[test]
    fn needs_escape_finds_every_escaped_byte() {
        for len in 0..70 {
            let clean = vec![b'a'; len];
            assert!(!needs_escape(&clean), "{len}");
            for at in 0..len {
                for b in [b'"', b'\\', b'\n', 0x00, 0x1f] {
                    let mut text = clean.clone();
                    text[at] = b;
                    assert!(needs_escape(&text), "{len} {at} {b}");
                }
                let mut text = clean.clone();
                text[at] = 0x20;
                assert!(!needs_escape(&text), "{len} {at}");
            }
        }
    }

    /// The load factor of today's traffic is written as serde_json writes
    /// it, as every other factor is.
    #[test]
    fn load_one_is_written_as_serde_json_writes_it() {
        assert_eq!(serde_json::to_string(&1.0_f64).unwrap(), "1.0");
    }

    #[test]
    fn positions_are_the_line_index_s_and_slice_the_source() {
        let report = sample_report();
        let shop = &report.files[0];
        let json = parsed(&report);
        let diagnostics = json["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 4);
        let pointed: Vec<&str> = diagnostics
            .iter()
            .map(|d| &SHOP[at(&d["span"]["start"])..at(&d["span"]["end"])])
            .collect();
        assert_eq!(pointed, ["café", "3", "2", ""]);
        for (d, original) in diagnostics.iter().zip(&shop.diagnostics) {
            let expected = serde_json::to_value(shop.line_span(original.span)).unwrap();
            assert_eq!(d["span"], expected);
        }
        // `café`: line 2 after a CRLF; `3`: column 25 after a two-byte `é`.
        assert_eq!(diagnostics[0]["span"]["start"]["line"], 2);
        assert_eq!(diagnostics[0]["span"]["end"]["column"], 13);
        assert_eq!(diagnostics[1]["span"]["start"]["line"], 3);
        assert_eq!(diagnostics[1]["span"]["start"]["column"], 25);
        // The empty span at the end of the file: past the final line break.
        let end = &diagnostics[3]["span"];
        assert_eq!(end["start"], end["end"]);
        assert_eq!(
            (
                end["start"]["line"].as_u64(),
                end["start"]["column"].as_u64()
            ),
            (Some(9), Some(1))
        );

        let replicas = &diagnostics[2];
        let label = &replicas["labels"][0];
        assert_eq!(
            &SHOP[at(&label["span"]["start"])..at(&label["span"]["end"])],
            "10000"
        );
        let fix = &replicas["fix"];
        assert_eq!(
            &SHOP[at(&fix["span"]["start"])..at(&fix["span"]["end"])],
            "2"
        );
        assert_eq!(fix["replacement"], "4");
    }

    #[test]
    fn every_key_of_the_contract_is_there() {
        let json = parsed(&sample_report());
        assert_eq!(json["version"], 1);
        assert_eq!(json["tool"]["name"], "scalelint");
        assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
        let position = ["line", "column", "offset"];
        for d in json["diagnostics"].as_array().unwrap() {
            for key in [
                "file", "code", "name", "severity", "message", "help", "path", "span", "labels",
                "fix", "load", "url",
            ] {
                assert!(d.get(key).is_some(), "{key} missing from {d}");
            }
            for end in ["start", "end"] {
                for key in position {
                    assert!(d["span"][end][key].is_u64(), "span.{end}.{key} in {d}");
                }
            }
            for label in d["labels"].as_array().unwrap() {
                assert!(label["message"].is_string() && label["span"]["end"]["offset"].is_u64());
            }
            assert!(d["load"].is_f64(), "load is a number with a fraction: {d}");
            assert!(d["help"].is_string() || d["help"].is_null());
            assert!(d["fix"].is_object() || d["fix"].is_null());
        }
        let first = &json["diagnostics"][0];
        assert_eq!(first["file"], "shop.arch.yaml");
        assert_eq!(first["severity"], "info");
        assert_eq!(first["help"], serde_json::Value::Null);
        assert_eq!(first["fix"], serde_json::Value::Null);
        assert_eq!(json["diagnostics"][2]["url"], rule_url("SL503"));
        assert_eq!(
            json["summary"],
            serde_json::json!({"files": 2, "errors": 1, "warnings": 2, "infos": 1, "suppressed": 2, "baselined": 1})
        );
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let text = "a: é\n";
        let d = Diagnostic::new(
            "SL001",
            "schema-violation",
            Severity::Error,
            Span::new(4, 40),
            "x",
        )
        .with_label(Span::empty(99), "later");
        let report = Report {
            files: vec![file("a.yaml", text, vec![d])],
        };
        let json = parsed(&report);
        let span = &json["diagnostics"][0]["span"];
        // 4 is inside `é`: it floors to the character's start.
        assert_eq!((at(&span["start"]), at(&span["end"])), (3, text.len()));
        assert_eq!(
            at(&json["diagnostics"][0]["labels"][0]["span"]["start"]),
            text.len()
        );
    }

    #[test]
    fn empty_report() {
        let out = render(&Report { files: Vec::new() });
        assert!(out.contains("\n  \"diagnostics\": [],\n"), "{out}");
    }

    /// The document as serde derives it from the report, whatever the
    /// layout: what `render` must parse back to.
    fn reference(report: &Report) -> serde_json::Value {
        #[derive(Serialize)]
        struct Label<'a> {
            message: &'a str,
            span: LineSpan,
        }
        #[derive(Serialize)]
        struct JsonFix<'a> {
            span: LineSpan,
            replacement: &'a str,
        }
        #[derive(Serialize)]
        struct JsonDiagnostic<'a> {
            file: &'a str,
            code: &'a str,
            name: &'a str,
            severity: crate::diagnostic::Severity,
            message: &'a str,
            help: Option<&'a str>,
            path: &'a str,
            span: LineSpan,
            labels: Vec<Label<'a>>,
            fix: Option<JsonFix<'a>>,
            load: f64,
            url: String,
        }
        let diagnostics: Vec<JsonDiagnostic> = report
            .diagnostics()
            .map(|(f, d)| JsonDiagnostic {
                file: &f.path,
                code: &d.code,
                name: &d.name,
                severity: d.severity,
                message: &d.message,
                help: d.help.as_deref(),
                path: &d.path,
                span: f.line_span(d.span),
                labels: d
                    .labels
                    .iter()
                    .map(|l| Label {
                        message: &l.message,
                        span: f.line_span(l.span),
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|x| JsonFix {
                    span: f.line_span(x.span),
                    replacement: &x.replacement,
                }),
                load: d.load,
                url: rule_url(&d.code),
            })
            .collect();
        serde_json::json!({
            "version": FORMAT_VERSION,
            "tool": {"name": "scalelint", "version": env!("CARGO_PKG_VERSION")},
            "diagnostics": diagnostics,
            "summary": report.summary(),
        })
    }

    /// Every line of the document: the keys of the document and of each
    /// diagnostic one per line, object and array values on the key's line.
    fn assert_layout(out: &str) {
        assert!(out.ends_with("}\n"), "{out}");
        for line in out.lines() {
            let depth = line.len() - line.trim_start().len();
            let ok = match depth {
                0 => line == "{" || line == "}",
                2 => line.starts_with("  \"") || line == "  ]," || line == "  \"diagnostics\": [",
                4 => line == "    {" || line == "    }," || line == "    }",
                6 => line.starts_with("      \""),
                _ => false,
            };
            assert!(ok, "unexpected line {line:?} in\n{out}");
        }
    }

    #[test]
    fn parallel_slices_join_into_the_document() {
        for report in [sample_report(), Report { files: Vec::new() }] {
            let out = render(&report);
            assert_layout(&out);
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&out).unwrap(),
                reference(&report)
            );
        }
        // Many files, some without diagnostics, and files longer than a slice.
        let mut files = Vec::new();
        for i in 0..7 {
            let n = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3, 0][i];
            let diagnostics = (0..n)
                .map(|k| {
                    Diagnostic::new(
                        if k % 3 == 0 { "SL101" } else { "SL2\"0" },
                        "x",
                        Severity::Warning,
                        Span::new(k % 5, k % 5 + 1),
                        format!("message {k} \u{1} é \\ \n"),
                    )
                    .with_label(Span::new(1, 2), "l")
                    .with_label(Span::new(0, 4), "m\"")
                })
                .collect();
            files.push(file(&format!("f{i}.yaml"), "ab\ncd\n", diagnostics));
        }
        let report = Report { files };
        let out = render(&report);
        assert_layout(&out);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            reference(&report)
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = [
            "",
            "plain",
            "é ü 🦀",
            "\"",
            "\\",
            "a\nb",
            "\u{7f}",
            "\u{1f}x",
            "tab\t",
            "</script>",
        ]
        .map(String::from)
        .to_vec();
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet = [
            'a', '"', '\\', '\n', '\u{0}', '\u{1f}', ' ', 'é', '\u{7f}', '/',
        ];
        texts.extend((0..2000).map(|_| {
            (0..rng.usize(0..40))
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect()
        }));
        for text in texts {
            let mut out = Vec::new();
            string(&mut out, &text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
        }
    }

    #[test]
    fn rendering() {
        // The tool's version changes with every release, the shape does not.
        let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
        let out = render(&sample_report()).replace(&version, "\"version\": \"[version]\"");
        insta::assert_snapshot!("json", out);
    }
}
