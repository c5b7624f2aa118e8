//! The JSON format (`check --format json`): the stable, versioned shape of
//! CLI.md "Output: JSON", which editors and scripts parse.
//!
//! Every key is always present, so consumers can rely on one shape: `help`
//! and `fix` are `null` when a diagnostic has none, `labels` may be empty.
//! Positions come from the file's [`LineIndex`](crate::span::LineIndex):
//! 1-based lines, columns in Unicode scalar values, 0-based byte offsets,
//! `end` exclusive; spans past the end of the file are clamped to it.

use super::{rule_url, FileResult, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::LineSpan;
use serde::Serialize;

/// The version of this shape; bumped only on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// The whole report, pretty-printed with two-space indentation and a final
/// newline. Diagnostics are in report order (the caller sorts them by file,
/// offset, code).
pub fn render(report: &Report) -> String {
    String::from_utf8(render_chunks(report).concat()).expect("serde_json writes UTF-8")
}

/// [`render`]'s text in pieces, in order, for writing one after the other:
/// a large report is never copied into one buffer.
///
/// The text is what `serde_json::to_string_pretty` gives for the whole
/// document; the diagnostics are rendered in parallel, in slices of at most
/// [`CHUNK`] diagnostics of one file, each at the indentation it has in the
/// document.
pub fn render_chunks(report: &Report) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    let slices: Vec<(&FileResult, &[Diagnostic])> = report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.chunks(CHUNK).map(move |c| (f, c)))
        .collect();
    let mut parts: Vec<Vec<u8>> = slices
        .par_iter()
        .map(|&(file, diagnostics)| render_diagnostics(file, diagnostics))
        .collect();
    let mut head = b"{\n  \"version\": ".to_vec();
    write_at(&mut head, 1, &FORMAT_VERSION);
    head.extend_from_slice(b",\n  \"tool\": ");
    write_at(
        &mut head,
        1,
        &Tool {
            name: "scalelint",
            version: env!("CARGO_PKG_VERSION"),
        },
    );
    head.extend_from_slice(b",\n  \"diagnostics\": [");
    // Each diagnostic comes after ",\n    "; the first one after "\n    ".
    parts.retain(|p| !p.is_empty());
    let mut tail = Vec::with_capacity(256);
    if let Some(first) = parts.first_mut() {
        first.remove(0);
        tail.extend_from_slice(b"\n  ");
    }
    tail.extend_from_slice(b"],\n  \"summary\": ");
    write_at(&mut tail, 1, &report.summary());
    tail.extend_from_slice(b"\n}\n");
    let mut out = Vec::with_capacity(parts.len() + 2);
    out.push(head);
    out.append(&mut parts);
    out.push(tail);
    out
}

/// The most diagnostics one parallel task renders.
const CHUNK: usize = 1024;

/// The diagnostics of one file, each preceded by `,\n` and the indentation
/// of an item of the document's `diagnostics` array.
fn render_diagnostics(file: &FileResult, diagnostics: &[Diagnostic]) -> Vec<u8> {
    let mut out = Vec::with_capacity(diagnostics.len() * 1024);
    // Diagnostics come in runs of one code: the last URL is reused.
    let mut url: Option<(&str, String)> = None;
    for d in diagnostics {
        if url.as_ref().is_none_or(|(code, _)| *code != d.code) {
            url = Some((d.code.as_str(), rule_url(&d.code)));
        }
        let url = url.as_ref().map_or("", |(_, u)| u.as_str());
        out.extend_from_slice(b",\n    ");
        write_at(&mut out, 2, &JsonDiagnostic::new(file, d, url));
    }
    out
}

/// Serializes `value` as `serde_json::to_string_pretty` does where the
/// value sits `level` levels deep in a document.
fn write_at<T: Serialize + ?Sized>(out: &mut Vec<u8>, level: usize, value: &T) {
    let mut ser = serde_json::Serializer::with_formatter(out, Indented::new(level));
    value
        .serialize(&mut ser)
        .expect("the report holds only strings, integers and numbers");
}

/// serde_json's `PrettyFormatter` with two spaces, starting at an
/// indentation level other than 0.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn new(level: usize) -> Indented {
        Indented {
            level,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own unless the collection is empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an item or a key: on a new line, after a comma unless first.
    fn item<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    /// `null` when the rule has no advice.
    help: Option<&'a str>,
    path: &'a str,
    span: LineSpan,
    labels: Vec<JsonLabel<'a>>,
    /// `null` when there is no machine-applicable edit (kept rather than
    /// omitted so that every diagnostic has the same keys).
    fix: Option<JsonFix<'a>>,
    load: f64,
    url: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    span: LineSpan,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    span: LineSpan,
    replacement: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(file: &'a FileResult, d: &'a Diagnostic, url: &'a str) -> JsonDiagnostic<'a> {
        JsonDiagnostic {
            file: &file.path,
            code: &d.code,
            name: &d.name,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            path: &d.path,
            span: file.line_span(d.span),
            labels: d
                .labels
                .iter()
                .map(|l| JsonLabel {
                    message: &l.message,
                    span: file.line_span(l.span),
                })
                .collect(),
            fix: d.fix.as_ref().map(|f| JsonFix {
                span: file.line_span(f.span),
                replacement: &f.replacement,
            }),
            load: d.load,
            url,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::span::{LineIndex, Span};

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
        assert!(
            out.ends_with("}\n") && out.contains("\n  \"diagnostics\": [],\n"),
            "{out}"
        );
    }

    /// The document as serde_json pretty-prints it in one piece: what
    /// `render` gave before it rendered the diagnostics in parallel slices.
    fn render_whole(report: &Report) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            version: u32,
            tool: Tool,
            diagnostics: Vec<JsonDiagnostic<'a>>,
            summary: crate::report::Summary,
        }
        let urls: Vec<Vec<String>> = report
            .files
            .iter()
            .map(|f| f.diagnostics.iter().map(|d| rule_url(&d.code)).collect())
            .collect();
        let doc = Document {
            version: FORMAT_VERSION,
            tool: Tool {
                name: "scalelint",
                version: env!("CARGO_PKG_VERSION"),
            },
            diagnostics: report
                .files
                .iter()
                .zip(&urls)
                .flat_map(|(f, urls)| {
                    f.diagnostics
                        .iter()
                        .zip(urls)
                        .map(move |(d, u)| JsonDiagnostic::new(f, d, u))
                })
                .collect(),
            summary: report.summary(),
        };
        let mut out = serde_json::to_string_pretty(&doc).unwrap();
        out.push('\n');
        out
    }

    #[test]
    fn parallel_slices_join_into_the_pretty_document() {
        assert_eq!(render(&sample_report()), render_whole(&sample_report()));
        let empty = Report { files: Vec::new() };
        assert_eq!(render(&empty), render_whole(&empty));
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
                })
                .collect();
            files.push(file(&format!("f{i}.yaml"), "ab\ncd\n", diagnostics));
        }
        let report = Report { files };
        assert_eq!(render(&report), render_whole(&report));
    }

    #[test]
    fn rendering() {
        // The tool's version changes with every release, the shape does not.
        let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
        let out = render(&sample_report()).replace(&version, "\"version\": \"[version]\"");
        insta::assert_snapshot!("json", out);
    }
}
