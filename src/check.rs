//! The `check` pipeline for one file: bytes → tree → model → facts → rules
//! → sorted diagnostics with model paths.

use crate::diagnostic::Diagnostic;
use crate::engine::{eval, RuleSet};
use crate::load::{self, model_path};
use crate::model::derived::Facts;
use crate::registry::{RuleMeta, Selection};
use crate::report::FileResult;
use crate::span::LineIndex;

/// What a run checks with: the rules, which are on, and the options that
/// change how rules see the model.
pub struct Linter {
    /// Every rule's metadata: the loader's codes, then the rule set's.
    pub rules: Vec<RuleMeta>,
    pub selection: Selection,
    pub rule_set: RuleSet,
    /// `--stage`.
    pub stage: Option<u8>,
    /// `--load` (1.0 when not projecting).
    pub load: f64,
    /// `--today`: what date-based rules and suppression expiry compare with.
    pub today: chrono::NaiveDate,
}

impl Linter {
    /// Checks one file's bytes; never fails: every problem is a diagnostic.
    pub fn check_bytes(&self, path: String, bytes: Vec<u8>) -> FileResult {
        match String::from_utf8(bytes) {
            Ok(source) => self.check_source(path, source),
            Err(e) => {
                let bytes = e.into_bytes();
                let d = load::decode(&bytes).expect_err("not UTF-8");
                // Show the valid prefix; the span points past it at the bad byte.
                let source = String::from_utf8_lossy(&bytes).into_owned();
                let lines = LineIndex::new(&source);
                let mut diagnostics = Vec::new();
                self.keep(&mut diagnostics, *d);
                FileResult {
                    path,
                    source,
                    lines,
                    diagnostics,
                    suppressed: 0,
                    baselined: 0,
                }
            }
        }
    }

    pub fn check_source(&self, path: String, source: String) -> FileResult {
        let mut diagnostics = self.diagnose(&source);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let lines = LineIndex::new(&source);
        FileResult {
            path,
            source,
            lines,
            diagnostics,
            suppressed: 0,
            baselined: 0,
        }
    }

    fn diagnose(&self, source: &str) -> Vec<Diagnostic> {
        let loaded = load::load(source);
        let mut found = loaded.diagnostics;
        if let Some(model) = &loaded.model {
            let facts = Facts::new(model, self.stage, self.load, &mut found);
            let ctx = eval::Ctx {
                model,
                facts: &facts,
                load: self.load,
                today: self.today,
            };
            for rule in &self.rule_set.rules {
                if rule.applies_at(facts.stage) && self.is_enabled(&rule.code) {
                    eval::run(rule, &ctx, &mut found);
                }
            }
        }
        let mut out = Vec::with_capacity(found.len());
        for mut d in found {
            if d.path.is_empty() {
                if let Some(tree) = &loaded.tree {
                    d.path = model_path(tree, d.span);
                }
            }
            self.keep(&mut out, d);
        }
        out
    }

    fn is_enabled(&self, code: &str) -> bool {
        self.rules
            .iter()
            .position(|r| r.code == code)
            .is_none_or(|i| self.selection.is_enabled(i))
    }

    /// Keeps a diagnostic when its rule is selected.
    fn keep(&self, out: &mut Vec<Diagnostic>, d: Diagnostic) {
        if self.is_enabled(&d.code) {
            out.push(d);
        }
    }
}
