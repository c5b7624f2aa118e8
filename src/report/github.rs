//! The GitHub Actions format (`check --format github`): one workflow
//! command per finding, which the runner turns into an annotation on the
//! file and line of a pull request:
//!
//! `::error file=shop.arch.yaml,line=31,col=25,endLine=31,endColumn=26,title=SL503 replica-count::message`
//!
//! Warnings are `::warning`, infos `::notice`. Positions are the JSON
//! format's (columns in Unicode scalar values, `end` exclusive). Values are
//! escaped as the Actions toolkit does, so a `:`, `,` or line break in a
//! path or message cannot end a field early; the help follows the message
//! on a line of its own (an escaped line break).

use super::Report;
use crate::diagnostic::Severity;
use std::fmt::Write as _;

/// Every finding, one command a line, in report order; nothing when there
/// is no finding.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (file, d) in report.diagnostics() {
        let span = file.line_span(d.span);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(d.severity),
            escape_property(&file.path),
            span.start.line,
            span.start.column,
            span.end.line,
            span.end.column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message),
        );
    }
    out
}

/// The workflow command of a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// A command's message: `%`, CR and LF escaped.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A command's property value: as [`escape_data`], and `:` and `,`, which
/// end a value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::report::json::tests::{file, sample_report};
    use crate::span::Span;

    #[test]
    fn one_command_per_finding() {
        let out = render(&sample_report());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "::notice file=shop.arch.yaml,line=2,col=9,endLine=2,endColumn=13,title=SL108 ascii-name::system name `café` is not ascii",
                "::warning file=shop.arch.yaml,line=3,col=25,endLine=3,endColumn=26,title=SL109 tag-size::tag `size` is 3; at most 2 expected%0Ahelp: use a size of 2 or less",
                "::error file=shop.arch.yaml,line=8,col=14,endLine=8,endColumn=15,title=SL503 replica-count::database `orders-db` has 2 read replicas; 10000 reads/s at 3000 per replica needs 4%0Ahelp: raise replicas.count to 4",
                "::warning file=shop.arch.yaml,line=9,col=1,endLine=9,endColumn=1,title=SL201 missing-cache::no cache in front of `orders-db`%0Ahelp: add a cache that serves `orders-db`'s reads",
            ]
        );
        assert!(out.ends_with('\n'));
        assert_eq!(render(&Report { files: Vec::new() }), "");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(escape_property("C:\\a,b%\n.yaml"), "C%3A\\a%2Cb%25%0A.yaml");
        let d = Diagnostic::new(
            "SL001",
            "schema-violation",
            Severity::Error,
            Span::new(0, 1),
            "key `a:b` at 100%",
        );
        let report = Report {
            files: vec![file("dir,1/x:y.yaml", "a\n", vec![d])],
        };
        assert_eq!(
            render(&report),
            "::error file=dir%2C1/x%3Ay.yaml,line=1,col=1,endLine=1,endColumn=2,title=SL001 schema-violation::key `a:b` at 100%25\n"
        );
    }
}
