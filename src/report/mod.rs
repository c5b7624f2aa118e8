//! Report printers, one module per output format. They all take the same
//! [`Report`]: the files checked, each with its sorted diagnostics.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::{LineIndex, LineSpan, Span};

/// Where a rule's documentation lives, per code (`{DOCS_URL}#sl503`).
pub const DOCS_URL: &str = "https://github.com/scalelint/scalelint/blob/main/docs/rules.md";

/// The documentation address of a rule.
pub fn rule_url(code: &str) -> String {
    let mut url = String::new();
    push_rule_url(&mut url, code);
    url
}

/// Appends [`rule_url`] to `out`.
pub fn push_rule_url(out: &mut String, code: &str) {
    out.push_str(DOCS_URL);
    out.push('#');
    out.extend(code.chars().map(|c| c.to_ascii_lowercase()));
}

/// One checked file.
pub struct FileResult {
    /// As given on the command line, or relative to the current directory when found by walking.
    pub path: String,
    pub source: String,
    pub lines: LineIndex,
    /// Sorted by offset, then code.
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: usize,
    pub baselined: usize,
}

impl FileResult {
    pub fn line_span(&self, span: Span) -> LineSpan {
        self.lines.line_span(&self.source, span)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    pub baselined: usize,
}

pub struct Report {
    pub files: Vec<FileResult>,
}

impl Summary {
    /// Counts one more file.
    pub fn add(&mut self, f: &FileResult) {
        self.files += 1;
        self.suppressed += f.suppressed;
        self.baselined += f.baselined;
        for d in &f.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Adds another summary's counts.
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.suppressed += other.suppressed;
        self.baselined += other.baselined;
    }
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.files {
            s.add(f);
        }
        s
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileResult, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }
}
