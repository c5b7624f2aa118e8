//! `check --statistics`: one line per rule with how many findings it made,
//! most frequent first (like `ruff --statistics`), instead of each finding.

use super::Report;
use crate::diagnostic::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One rule's findings, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// The counts of every rule that fired, by count descending, then code.
pub fn counts(report: &Report) -> Vec<RuleCount<'_>> {
    let mut by_code: BTreeMap<&str, RuleCount<'_>> = BTreeMap::new();
    for (_, d) in report.diagnostics() {
        let entry = by_code.entry(&d.code).or_insert_with(|| RuleCount {
            code: &d.code,
            name: &d.name,
            count: 0,
            errors: 0,
            warnings: 0,
            infos: 0,
        });
        entry.count += 1;
        match d.severity {
            Severity::Error => entry.errors += 1,
            Severity::Warning => entry.warnings += 1,
            Severity::Info => entry.infos += 1,
        }
    }
    let mut counts: Vec<RuleCount<'_>> = by_code.into_values().collect();
    // Stable sort over code order: equal counts stay sorted by code.
    counts.sort_by_key(|c| std::cmp::Reverse(c.count));
    counts
}

/// The table (one aligned line per rule, nothing when no rule fired), or
/// with `json` a pretty-printed array of
/// `{code, name, count, errors, warnings, infos}`; both end with a newline
/// when not empty.
pub fn render(report: &Report, json: bool) -> String {
    let counts = counts(report);
    if json {
        let mut out = serde_json::to_string_pretty(&counts)
            .expect("rule counts hold only strings and integers");
        out.push('\n');
        return out;
    }
    let count_width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(0)
        .max(4);
    let code_width = counts
        .iter()
        .map(|c| c.code.chars().count())
        .max()
        .unwrap_or(0);
    let name_width = counts
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in &counts {
        let by_severity: Vec<String> = [
            (c.errors, "error"),
            (c.warnings, "warning"),
            (c.infos, "info"),
        ]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, severity)| format!("{severity}: {n}"))
        .collect();
        let _ = writeln!(
            out,
            "{:>count_width$}  {:<code_width$}  {:<name_width$}  [{}]",
            c.count,
            c.code,
            c.name,
            by_severity.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::report::json::tests::{file, sample_report};
    use crate::span::Span;

    /// The sample's four findings, one per rule, and two more of SL109 (an
    /// error and a warning) in another file.
    fn report() -> Report {
        let mut report = sample_report();
        let tag = |severity| {
            Diagnostic::new(
                "SL109",
                "tag-size",
                severity,
                Span::new(0, 1),
                "tag `size` is 9",
            )
        };
        report.files.push(file(
            "more.arch.yaml",
            "x\n",
            vec![tag(Severity::Error), tag(Severity::Warning)],
        ));
        report
    }

    #[test]
    fn table() {
        assert_eq!(
            render(&report(), false),
            "   3  SL109  tag-size       [error: 1, warning: 2]\n\
             \x20  1  SL108  ascii-name     [info: 1]\n\
             \x20  1  SL201  missing-cache  [warning: 1]\n\
             \x20  1  SL503  replica-count  [error: 1]\n"
        );
        assert_eq!(render(&Report { files: Vec::new() }, false), "");
    }

    #[test]
    fn json() {
        let out = render(&report(), true);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            parsed[0],
            serde_json::json!({"code": "SL109", "name": "tag-size", "count": 3,
                               "errors": 1, "warnings": 2, "infos": 0})
        );
        let codes: Vec<&str> = parsed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["SL109", "SL108", "SL201", "SL503"]);
        assert!(out.ends_with("]\n"));
        assert_eq!(render(&Report { files: Vec::new() }, true), "[]\n");
    }
}
