//! The human format: each finding as miette's graphical report (code and
//! docs address, message, source snippet with labels, help), then a one-line
//! summary of the run.
//!
//! miette is handed byte offsets, as our spans are, but counts columns in
//! bytes and lets a lone `\r` end a line in one place and not in another; the
//! [`SourceView`] adapter makes the snippet agree with [`LineIndex`]: the
//! same line and column as the JSON output.
//!
//! [`LineIndex`]: crate::span::LineIndex

use super::{rule_url, FileResult, Report, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, SourceCode, SourceSpan, SpanContents,
};
use std::fmt::{self, Write as _};

/// How the caller wants findings printed; it decides color (terminal,
/// `NO_COLOR`) and width, this module never looks at the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    pub color: bool,
    /// Only the findings: no summary line.
    pub quiet: bool,
    /// Columns to wrap at; 0 means the default of 80.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            quiet: false,
            width: 80,
        }
    }
}

/// Renders every finding of `report`, in report order, then (unless quiet)
/// the summary line. Without color the output holds no escape sequence.
pub fn render(report: &Report, opts: &HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Links off always: with them miette writes OSC 8 hyperlink escapes even
    // when styles are off; without them it prints the address after the code.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(if opts.width == 0 { 80 } else { opts.width });

    // Findings render independently, on all cores, those of one file too
    // (a typical file has dozens, and miette's layout is most of a small
    // run); their parts are joined in report order.
    use rayon::prelude::*;
    let texts: Vec<FileText<'_>> = report
        .files
        .par_iter()
        .filter(|f| !f.diagnostics.is_empty())
        .map(FileText::new)
        .collect();
    let handler = &handler;
    let parts: Vec<String> = texts
        .par_iter()
        .flat_map(|text| {
            let file = text.file;
            file.diagnostics.par_iter().map(move |diagnostic| {
                let shown = Shown::new(&file.path, text.view(diagnostic), diagnostic);
                let mut part = render_one(handler, &shown);
                part.push('\n');
                part
            })
        })
        .collect();
    let mut out = parts.concat();
    if !opts.quiet {
        let files_with_findings = report
            .files
            .iter()
            .filter(|f| !f.diagnostics.is_empty())
            .count();
        out.push_str(&summary_line(&report.summary(), files_with_findings));
        out.push('\n');
    }
    out
}

/// miette fails a whole report when it cannot read a span; spans are clamped
/// so that should not happen, but if it does the finding is still printed,
/// without its snippet, rather than lost or half-written.
fn render_one(handler: &GraphicalReportHandler, shown: &Shown<'_>) -> String {
    let mut buf = String::new();
    if handler.render_report(&mut buf, shown).is_err() {
        buf.clear();
        let bare = Shown {
            source: None,
            ..shown.clone()
        };
        // Writing into a String only fails when miette itself does; then
        // the plain line below is all there is.
        if handler.render_report(&mut buf, &bare).is_err() {
            buf.clear();
            let _ = writeln!(buf, "{} {}: {}", shown.code, shown.file, shown.message);
        }
    }
    buf
}

/// `Found 3 problems (1 error, 1 warning, 1 info) in 2 files.` or
/// `All checks passed (4 files).`, with the suppressed and baselined counts
/// when there are any.
fn summary_line(s: &Summary, files_with_findings: usize) -> String {
    let total = s.errors + s.warnings + s.infos;
    let mut hidden = String::new();
    for (n, what) in [(s.suppressed, "suppressed"), (s.baselined, "baselined")] {
        if n > 0 {
            let _ = write!(hidden, ", {n} {what}");
        }
    }
    if total == 0 {
        return format!(
            "All checks passed ({}{hidden}).",
            plural(s.files, "file", "files")
        );
    }
    let counts: Vec<String> = [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|&(n, _, _)| n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    let files = if files_with_findings == s.files {
        plural(s.files, "file", "files")
    } else {
        format!(
            "{files_with_findings} of {}",
            plural(s.files, "file", "files")
        )
    };
    format!(
        "Found {} ({}) in {files}{hidden}.",
        plural(total, "problem", "problems"),
        counts.join(", ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One file's text as miette reads it: named by the file's path, with
/// every byte offset where it is in the file.
struct FileText<'a> {
    file: &'a FileResult,
    text: NamedSource<String>,
    /// The text and one more line break, for the findings that point at the
    /// very end of the file: miette prints no line for that offset (after
    /// the final line break, or in an empty file), so their label would
    /// vanish. It gives them the line the LineIndex names, and moves no
    /// offset. Only they get it: the others would show an empty last line.
    with_end_line: Option<NamedSource<String>>,
}

impl<'a> FileText<'a> {
    fn new(file: &'a FileResult) -> FileText<'a> {
        // A lone `\r` ends a line for the LineIndex and for miette's span
        // reader, but miette's snippet printer keeps it inside the line and
        // would send it to the terminal. `\n` is one byte too, so every byte
        // offset stays where it was.
        let text = lone_cr_to_lf(&file.source);
        let with_end_line = file
            .diagnostics
            .iter()
            .any(|d| reaches_end(file, d))
            .then(|| NamedSource::new(&file.path, format!("{text}\n")));
        FileText {
            file,
            text: NamedSource::new(&file.path, text),
            with_end_line,
        }
    }

    fn view(&self, d: &Diagnostic) -> SourceView<'_> {
        let text = match &self.with_end_line {
            Some(longer) if reaches_end(self.file, d) => longer,
            _ => &self.text,
        };
        SourceView {
            file: self.file,
            text,
        }
    }
}

fn reaches_end(file: &FileResult, d: &Diagnostic) -> bool {
    let len = file.source.len() as u32;
    d.span.start >= len || d.labels.iter().any(|l| l.span.start >= len)
}

/// What one finding's snippet is read from: line and column come from the
/// file's [`LineIndex`](crate::span::LineIndex), not from miette's count.
#[derive(Clone, Copy)]
struct SourceView<'a> {
    file: &'a FileResult,
    text: &'a NamedSource<String>,
}

impl SourceView<'_> {
    /// A span miette can read: inside the file, on character boundaries.
    fn clamp(&self, span: Span) -> SourceSpan {
        let at = self.file.line_span(span);
        let (start, end) = (at.start.offset as usize, at.end.offset as usize);
        SourceSpan::new(start.into(), end.saturating_sub(start))
    }
}

fn lone_cr_to_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

impl SourceCode for SourceView<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // miette finds a span's lines by scanning from the start of the
        // text, which makes a report of many findings in a large file
        // quadratic. It is handed a window instead that starts at a line
        // start a little before the context it needs, found with the
        // LineIndex, and its answer is moved back to file positions.
        let text: &str = self.text.inner();
        let lines = &self.file.lines;
        let at = lines.position(&self.file.source, span.offset() as u32);
        let first = at
            .line
            .saturating_sub(context_lines_before as u32 + 1)
            .max(1);
        let window_start = match first {
            1 => 0,
            n => lines.line_start(n).unwrap_or(0).min(span.offset()),
        };
        let skipped = (first - 1) as usize;
        let window = text.get(window_start..).unwrap_or_default().as_bytes();
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data_span = SourceSpan::new(
            (inner.span().offset() + window_start).into(),
            inner.span().len(),
        );
        let (line, column) = if context_lines_before > 0 {
            // The contents start at a line start: column 0 in both counts.
            (inner.line() + skipped, inner.column())
        } else {
            // Without context the contents start at the span, and miette's
            // column counts bytes (and a leading BOM); ours count characters.
            (at.line as usize - 1, at.column as usize - 1)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.text.name().to_owned(),
            inner.data(),
            data_span,
            line,
            column,
            covered_lines(inner.data()) + JOIN_GAP,
        )))
    }
}

/// Two labels' snippets with at most this many lines between them print as
/// one snippet (the lines between cost less than a snippet's frame).
///
/// miette merges two labels' contexts when the first's line plus its line
/// count reaches the second's line, so the windowed read reports as line
/// count the lines its contents cover plus this gap. (miette's own read
/// reports the lines from the start of the text instead, which merges
/// nearly every pair of labels: two labels 100,000 lines apart would print
/// all the lines between them.)
const JOIN_GAP: usize = 4;

/// How many lines `data` covers: what miette's `SpanContents::line_count`
/// documents.
fn covered_lines(data: &[u8]) -> usize {
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || b == b'\r' && data.get(i + 1) != Some(&b'\n'))
        .count();
    breaks + usize::from(!data.ends_with(b"\n") && !data.ends_with(b"\r"))
}

/// A finding as a `miette::Diagnostic`: everything is computed up front so
/// the trait methods only hand out borrows.
#[derive(Clone)]
struct Shown<'a> {
    file: &'a str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    severity: miette::Severity,
    url: String,
    labels: Vec<LabeledSpan>,
    source: Option<SourceView<'a>>,
}

impl<'a> Shown<'a> {
    fn new(file: &'a str, source: SourceView<'a>, d: &'a Diagnostic) -> Shown<'a> {
        let mut labels = Vec::with_capacity(1 + d.labels.len());
        labels.push(LabeledSpan::new_primary_with_span(
            Some(d.name.to_string()),
            source.clamp(d.span),
        ));
        labels.extend(
            d.labels
                .iter()
                .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), source.clamp(l.span))),
        );
        Shown {
            file,
            code: &d.code,
            message: &d.message,
            help: d.help.as_deref(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            url: rule_url(&d.code),
            labels,
            source: Some(source),
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown")
            .field("file", &self.file)
            .field("code", &self.code)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.url))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json::tests::{file, sample_report, span_of};

    fn plain(report: &Report, width: usize) -> String {
        render(
            report,
            &HumanOptions {
                color: false,
                quiet: false,
                width,
            },
        )
    }

    fn warning_at(span: Span) -> Diagnostic {
        Diagnostic::new(
            "SL109",
            "tag-size",
            Severity::Warning,
            span,
            "tag `size` is 3",
        )
    }

    /// The windowed read gives miette the same contents, at the same file
    /// positions, as miette's own read of the whole text, for every offset,
    /// length and context size (BOM, CRLF, lone CR, blank lines, no final
    /// line break); only its line count differs: the lines the contents
    /// cover, plus [`JOIN_GAP`].
    #[test]
    fn windowed_read_is_the_same_as_a_whole_text_read() {
        let source = "\u{feff}a: 1\r\nb:\r  - x\n\n\n  - yé\r\nc: |\n  lit\n  two\nd: end";
        let f = file("w.yaml", source, Vec::new());
        let text = FileText::new(&f);
        let view = SourceView {
            file: &f,
            text: &text.text,
        };
        for start in 0..=source.len() {
            for len in [0, 1, 5] {
                let span = SourceSpan::new(start.into(), len.min(source.len() - start));
                for context in 0..4 {
                    let whole = text.text.read_span(&span, context, context);
                    let windowed = view.read_span(&span, context, context);
                    let (whole, windowed) = match (whole, windowed) {
                        (Ok(a), Ok(b)) => (a, b),
                        (Err(_), Err(_)) => continue,
                        (a, b) => panic!(
                            "{start}+{len}/{context}: {:?} vs {:?}",
                            a.is_ok(),
                            b.is_ok()
                        ),
                    };
                    let at = format!("offset {start}, length {len}, context {context}");
                    assert_eq!(whole.data(), windowed.data(), "{at}");
                    assert_eq!(whole.span(), windowed.span(), "{at}");
                    assert_eq!(whole.line(), windowed.line(), "{at}");
                    let text = String::from_utf8_lossy(whole.data())
                        .replace("\r\n", "\n")
                        .replace('\r', "\n");
                    let lines = text.lines().count().max(1);
                    assert_eq!(lines + JOIN_GAP, windowed.line_count(), "{at}");
                    if context > 0 {
                        assert_eq!(whole.column(), windowed.column(), "{at}");
                    }
                }
            }
        }
    }

    /// Labels far apart get a snippet each, not every line between them.
    #[test]
    fn far_apart_labels_get_their_own_snippets() {
        let source: String = (1..=2000).map(|i| format!("k{i}: {i}\n")).collect();
        let d = warning_at(span_of(&source, "k1900: 1900"))
            .with_label(span_of(&source, "k1000: 1000"), "here")
            .with_label(span_of(&source, "k1002: 1002"), "and here");
        let report = Report {
            files: vec![file("far.yaml", &source, vec![d])],
        };
        let out = plain(&report, 200);
        for shown in ["k1000: 1000", "k1002: 1002", "k1900: 1900"] {
            assert!(out.contains(shown), "{shown} in:\n{out}");
        }
        // Neighbours of the two near labels share one snippet; the far
        // finding has its own, and nothing in between is printed.
        assert!(out.contains("k1001: 1001"), "{out}");
        assert!(!out.contains("k1500: 1500"), "{out}");
        assert!(out.lines().count() < 40, "{out}");
    }

    #[test]
    fn plain_output_shows_each_finding_where_the_line_index_puts_it() {
        let report = sample_report();
        let out = plain(&report, 200);
        assert!(!out.contains('\x1b'), "escape in plain output:\n{out}");
        assert!(!out.contains('\r'), "carriage return in output:\n{out}");
        for (file, d) in report.diagnostics() {
            let at = file.line_span(d.span).start;
            let header = format!("[{}:{}:{}]", file.path, at.line, at.column);
            let url = rule_url(&d.code);
            for needle in [d.code.as_str(), &d.message, d.name.as_str(), &header, &url] {
                assert!(out.contains(needle), "{needle:?} missing:\n{out}");
            }
            if let Some(help) = &d.help {
                assert!(
                    out.contains(&format!("help: {help}")),
                    "help missing:\n{out}"
                );
            }
            for label in &d.labels {
                assert!(out.contains(&label.message), "label missing:\n{out}");
            }
        }
        // The snippet's gutter numbers the lines as the LineIndex does.
        assert!(out.contains(" 8 │       count: 2\n"), "{out}");
        assert!(out.ends_with(
            "Found 4 problems (1 error, 2 warnings, 1 info) in 1 of 2 files, 2 suppressed, 1 baselined.\n"
        ));
    }

    #[test]
    fn plain_rendering() {
        insta::assert_snapshot!("human_plain", plain(&sample_report(), 80));
    }

    #[test]
    fn color_never_brings_hyperlinks() {
        let out = render(
            &sample_report(),
            &HumanOptions {
                color: true,
                quiet: false,
                width: 80,
            },
        );
        assert!(out.contains("\x1b["), "no color at all:\n{out}");
        assert!(!out.contains("\x1b]8"), "OSC 8 hyperlink in output:\n{out}");
        assert!(out.contains(&rule_url("SL503")));
    }

    #[test]
    fn quiet_prints_only_findings() {
        let opts = HumanOptions {
            quiet: true,
            ..HumanOptions::default()
        };
        let report = sample_report();
        let out = render(&report, &opts);
        assert!(out.contains("SL503") && !out.contains("Found "));
        let clean = Report {
            files: vec![file("a.yaml", "a: 1\n", Vec::new())],
        };
        assert_eq!(render(&clean, &opts), "");
        assert_eq!(
            render(&clean, &HumanOptions::default()),
            "All checks passed (1 file).\n"
        );
    }

    #[test]
    fn summary_lines() {
        let s = |files, errors, warnings, infos, suppressed, baselined| Summary {
            files,
            errors,
            warnings,
            infos,
            suppressed,
            baselined,
        };
        assert_eq!(
            summary_line(&s(4, 0, 0, 0, 0, 0), 0),
            "All checks passed (4 files)."
        );
        assert_eq!(
            summary_line(&s(1, 0, 0, 0, 2, 1), 0),
            "All checks passed (1 file, 2 suppressed, 1 baselined)."
        );
        assert_eq!(
            summary_line(&s(2, 1, 1, 1, 0, 0), 2),
            "Found 3 problems (1 error, 1 warning, 1 info) in 2 files."
        );
        assert_eq!(
            summary_line(&s(3, 0, 2, 0, 0, 1), 1),
            "Found 2 problems (2 warnings) in 1 of 3 files, 1 baselined."
        );
        assert_eq!(
            summary_line(&s(1, 1, 0, 0, 0, 0), 1),
            "Found 1 problem (1 error) in 1 file."
        );
    }

    #[test]
    fn lone_cr_and_byte_order_mark_agree_with_the_line_index() {
        let text = "\u{feff}a: 1\rb: é2\n";
        let report = Report {
            files: vec![file(
                "x.yaml",
                text,
                vec![
                    warning_at(span_of(text, "1")),
                    warning_at(span_of(text, "2")),
                ],
            )],
        };
        let out = plain(&report, 80);
        assert!(out.contains("[x.yaml:1:4]"), "{out}");
        assert!(out.contains("[x.yaml:2:5]"), "{out}");
        assert!(out.contains(" 2 │ b: é2\n"), "{out}");
        assert!(!out.contains('\r'), "{out}");
    }

    #[test]
    fn empty_and_out_of_range_spans_render_with_their_label() {
        for text in ["a: 1\nb: 2\n", "a: 1\nb: 2", ""] {
            let len = text.len();
            let report = Report {
                files: vec![file(
                    "x.yaml",
                    text,
                    vec![
                        warning_at(Span::empty(len)),
                        warning_at(Span::new(len + 3, len + 9))
                            .with_label(Span::empty(len + 1), "after"),
                    ],
                )],
            };
            let out = plain(&report, 80);
            let end = report.files[0].line_span(Span::empty(len)).start;
            let header = format!("[x.yaml:{}:{}]", end.line, end.column);
            assert_eq!(out.matches(&header).count(), 2, "{text:?}:\n{out}");
            assert_eq!(out.matches("╰── tag-size").count(), 2, "{text:?}:\n{out}");
            assert!(out.contains("╰── after"), "{text:?}:\n{out}");
        }
        // Inside a multi-byte character, and an empty span in the middle.
        let text = "name: é\nx: 1\n";
        let e = text.find('é').unwrap();
        let report = Report {
            files: vec![file(
                "x.yaml",
                text,
                vec![
                    warning_at(Span::new(e + 1, e + 2)),
                    warning_at(Span::empty(e)),
                ],
            )],
        };
        let out = plain(&report, 80);
        assert_eq!(out.matches("[x.yaml:1:7]").count(), 2, "{out}");
    }
}
