//! The `check` pipeline for one file: bytes → tree → model → facts → rules
//! → suppressions → sorted diagnostics with model paths.

use crate::config::suppress;
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
    /// The config's say on this file: severities and what may be suppressed.
    pub policy: crate::config::FilePolicy,
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
                self.policy.apply_severity(&mut diagnostics);
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
        let (mut diagnostics, suppressed) = self.diagnose(&source);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let lines = LineIndex::new(&source);
        FileResult {
            path,
            source,
            lines,
            diagnostics,
            suppressed,
            baselined: 0,
        }
    }

    /// The file's diagnostics, and how many of them suppressions hid.
    fn diagnose(&self, source: &str) -> (Vec<Diagnostic>, usize) {
        let loaded = load::load(source);
        let mut found = loaded.diagnostics;
        let mut stage = None;
        if let Some(model) = &loaded.model {
            let facts = Facts::new(model, self.stage, self.load, &mut found);
            stage = Some(facts.stage);
            let ctx = eval::Ctx {
                model,
                facts: &facts,
                load: self.load,
                today: self.today,
            };
            eval::run_all(
                &self.rule_set,
                &ctx,
                &|rule| self.is_enabled(&rule.code),
                &mut found,
            );
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
        let mut suppressed = 0;
        if let Some(tree) = &loaded.tree {
            // A rule ran when it is on and, for the rule set's, the model
            // loaded and the stage is in its range.
            let ran = |code: &str| {
                self.is_enabled(code)
                    && self
                        .rule_set
                        .get(code)
                        .is_none_or(|r| stage.is_some_and(|s| r.applies_at(s)))
            };
            let cx = suppress::Context {
                source,
                tree,
                rules: &self.rules,
                ran: &ran,
                policy: &self.policy.suppressions,
                today: self.today,
            };
            let outcome = suppress::apply(&cx, &mut out);
            suppressed = outcome.hidden;
            for d in outcome.findings {
                self.keep(&mut out, d);
            }
        }
        self.policy.apply_severity(&mut out);
        (out, suppressed)
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
