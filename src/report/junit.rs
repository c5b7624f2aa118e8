//! The JUnit XML format (`check --format junit`), for CI systems that show
//! test reports (GitLab's `artifacts:reports:junit`, Jenkins, …).
//!
//! One `<testsuite>` per file; in it one `<testcase>` per rule family that
//! fired (`SL1`, `SL5`, … by the code's first three characters; a custom
//! rule's family is its code's leading letters, `ACME` for `ACME001`), with
//! a `<failure>` per finding: `type` is the severity, the body says
//! `file:line:column`, the message, the help and the rule's docs address.
//! A file without findings has one passing test case, `scalelint`, so that
//! it shows as checked. Every finding is a failure whatever `--fail-on`
//! says: the report lists findings, the exit code judges them.
//!
//! `tests` counts test cases and `failures` the failing ones, as JUnit
//! does; `errors` and `skipped` are always 0.

use super::{rule_url, FileResult, Report};
use crate::diagnostic::Diagnostic;
use std::fmt::Write as _;

/// The name of the test case of a file without findings.
pub const CLEAN_CASE: &str = "scalelint";

/// The whole document, with an XML declaration and a final newline.
pub fn render(report: &Report) -> String {
    let suites: Vec<Suite<'_>> = report.files.iter().map(Suite::new).collect();
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failing).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"scalelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in &suites {
        suite.write(&mut out);
    }
    out.push_str("</testsuites>\n");
    out
}

/// The family a rule code belongs to.
pub fn family(code: &str) -> &str {
    if code.starts_with("SL") {
        return code.get(..3).unwrap_or(code);
    }
    let letters = code
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(code.len());
    if letters == 0 {
        code
    } else {
        &code[..letters]
    }
}

struct Suite<'a> {
    file: &'a FileResult,
    /// The families that fired, in order, each with its findings.
    cases: Vec<(&'a str, Vec<&'a Diagnostic>)>,
}

impl<'a> Suite<'a> {
    fn new(file: &'a FileResult) -> Suite<'a> {
        let mut cases: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
        for d in &file.diagnostics {
            let name = family(&d.code);
            match cases.iter_mut().find(|(n, _)| *n == name) {
                Some((_, found)) => found.push(d),
                None => cases.push((name, vec![d])),
            }
        }
        cases.sort_by(|a, b| a.0.cmp(b.0));
        if cases.is_empty() {
            cases.push((CLEAN_CASE, Vec::new()));
        }
        Suite { file, cases }
    }

    fn failing(&self) -> usize {
        self.cases.iter().filter(|(_, ds)| !ds.is_empty()).count()
    }

    fn write(&self, out: &mut String) {
        let path = escape(&self.file.path);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            self.cases.len(),
            self.failing()
        );
        for (name, findings) in &self.cases {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{path}\" file=\"{path}\"",
                escape(name)
            );
            if findings.is_empty() {
                let _ = writeln!(out, "{open}/>");
                continue;
            }
            let _ = writeln!(out, "{open}>");
            for d in findings {
                self.failure(out, d);
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }

    fn failure(&self, out: &mut String, d: &Diagnostic) {
        let at = self.file.line_span(d.span).start;
        let message = format!("{} {}: {}", d.code, d.name, d.message);
        let mut body = format!(
            "{}:{}:{}: {}: {message}\n",
            self.file.path, at.line, at.column, d.severity
        );
        if let Some(help) = &d.help {
            let _ = writeln!(body, "help: {help}");
        }
        let _ = writeln!(body, "docs: {}", rule_url(&d.code));
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            escape(&message),
            d.severity,
            escape(&body)
        );
    }
}

/// Escapes text for an XML attribute value or element content. Characters
/// XML 1.0 cannot hold at all (most C0 controls) become U+FFFD; tabs and
/// line breaks are written as references, so attribute values keep them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::report::json::tests::{file, sample_report};
    use crate::span::Span;

    #[test]
    fn families() {
        assert_eq!(family("SL503"), "SL5");
        assert_eq!(family("SL001"), "SL0");
        assert_eq!(family("ACME001"), "ACME");
        assert_eq!(family("team-rule-1"), "team");
        assert_eq!(family("42x"), "42x");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{fffd}"
        );
    }

    #[test]
    fn suites_cases_and_failures() {
        let out = render(&sample_report());
        // shop: SL1 (two findings), SL2 and SL5; legacy: one passing case.
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"scalelint\" tests=\"4\" failures=\"3\" errors=\"0\">\n"), "{out}");
        assert!(out.contains(
            "  <testsuite name=\"shop.arch.yaml\" tests=\"3\" failures=\"3\" errors=\"0\" skipped=\"0\">\n    <testcase name=\"SL1\" classname=\"shop.arch.yaml\" file=\"shop.arch.yaml\">\n      <failure message=\"SL108 ascii-name: system name `café` is not ascii\" type=\"info\">shop.arch.yaml:2:9: info: SL108 ascii-name: system name `café` is not ascii&#10;docs: "
        ), "{out}");
        assert!(out.contains("type=\"error\">shop.arch.yaml:8:14: error: SL503 replica-count: database `orders-db` has 2 read replicas; 10000 reads/s at 3000 per replica needs 4&#10;help: raise replicas.count to 4&#10;docs: "), "{out}");
        assert!(out.contains(
            "  <testsuite name=\"legacy.arch.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    <testcase name=\"scalelint\" classname=\"legacy.arch.yaml\" file=\"legacy.arch.yaml\"/>\n  </testsuite>\n"
        ), "{out}");
        assert_eq!(out.matches("<failure ").count(), 4);
        assert!(out.ends_with("</testsuites>\n"));
    }

    #[test]
    fn rendering() {
        insta::assert_snapshot!("junit", render(&sample_report()));
    }

    #[test]
    fn markup_in_paths_and_messages() {
        let d = Diagnostic::new(
            "ACME001",
            "no-<blink>",
            Severity::Warning,
            Span::new(0, 1),
            "`a & b` < \"c\"",
        );
        let out = render(&Report {
            files: vec![file("a&b.yaml", "a\n", vec![d])],
        });
        assert!(out.contains("<testsuite name=\"a&amp;b.yaml\""), "{out}");
        assert!(out.contains("<testcase name=\"ACME\""), "{out}");
        assert!(out.contains(
            "message=\"ACME001 no-&lt;blink&gt;: `a &amp; b` &lt; &quot;c&quot;\" type=\"warning\""
        ), "{out}");
    }
}
