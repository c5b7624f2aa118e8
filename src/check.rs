//! The `check` pipeline for one file: bytes → tree → model → facts → rules
//! → suppressions → sorted diagnostics with model paths.

use crate::config::suppress;
use crate::diagnostic::Diagnostic;
use crate::engine::{eval, RuleSet};
use crate::load::tree::{Limits, Tree};
use crate::load::{self, model_path};
use crate::model::derived::Facts;
use crate::registry::{RuleMeta, Selection};
use crate::report::FileResult;
use crate::span::LineIndex;
use rayon::prelude::*;

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
    /// The loader's limits are those of `scalelint check`.
    pub fn check_bytes(&self, path: String, bytes: Vec<u8>) -> FileResult {
        self.check_bytes_with(path, bytes, Limits::default())
    }

    /// [`Linter::check_bytes`] with other limits (benchmarks check files
    /// larger than `check` accepts).
    pub fn check_bytes_with(&self, path: String, bytes: Vec<u8>, limits: Limits) -> FileResult {
        match String::from_utf8(bytes) {
            Ok(source) => self.check_source_with(path, source, limits),
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
        self.check_source_with(path, source, Limits::default())
    }

    /// [`Linter::check_source`] with other limits.
    pub fn check_source_with(&self, path: String, source: String, limits: Limits) -> FileResult {
        let (diagnostics, suppressed, lines) = self.diagnose(&source, limits);
        FileResult {
            path,
            source,
            lines,
            diagnostics,
            suppressed,
            baselined: 0,
        }
    }

    /// The file's diagnostics, sorted and with their model paths, how many
    /// of them suppressions hid, and the file's line index.
    fn diagnose(&self, source: &str, limits: Limits) -> (Vec<Diagnostic>, usize, LineIndex) {
        let load::Loaded {
            tree,
            model,
            diagnostics: mut found,
        } = load::load_with(source, limits);
        let mut stage = None;
        let large = model.as_ref().is_some_and(eval::worth_parallel);
        let mut parts = Vec::new();
        if let Some(model) = &model {
            let facts = Facts::new(model, self.stage, self.load, &mut found);
            stage = Some(facts.stage);
            let ctx = eval::Ctx::new(model, &facts, self.load, self.today);
            parts = eval::run_parts(&self.rule_set, &ctx, &|rule| self.is_enabled(&rule.code));
        }
        // The rules are done with the model: free it before their findings
        // are joined, so that the two never hold memory at once (on a large
        // file they are the check's largest allocations). The line index is
        // built meanwhile, not earlier, for the same reason.
        let lines = if large {
            rayon::join(move || drop(model), || LineIndex::new(source)).1
        } else {
            drop(model);
            LineIndex::new(source)
        };
        eval::join(&mut found, parts);
        let (diagnostics, suppressed) = self.finish(source, tree.as_ref(), stage, found, large);
        (diagnostics, suppressed, lines)
    }

    /// Filters, suppresses, sorts and locates (model paths) the diagnostics.
    fn finish(
        &self,
        source: &str,
        tree: Option<&Tree<'_>>,
        stage: Option<u8>,
        found: Vec<Diagnostic>,
        large: bool,
    ) -> (Vec<Diagnostic>, usize) {
        let mut out = found;
        self.retain_enabled(&mut out);
        let mut suppressed = 0;
        if let Some(tree) = tree {
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
            let mut findings = outcome.findings;
            self.retain_enabled(&mut findings);
            out.append(&mut findings);
        }
        self.policy.apply_severity(&mut out);
        sort(&mut out);
        if let Some(tree) = tree {
            fill_paths(tree, &mut out, large);
        }
        (out, suppressed)
    }

    fn is_enabled(&self, code: &str) -> bool {
        // The common case, no rule left out, needs no search.
        if self.selection.enables_all(self.rules.len()) {
            return true;
        }
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

    /// Drops, in place, the diagnostics whose rule is not selected (no
    /// second vector: on a large file they are most of the memory). They
    /// come in runs of one code, so the last answer is remembered.
    fn retain_enabled(&self, found: &mut Vec<Diagnostic>) {
        let mut last: Option<(crate::diagnostic::Shared, bool)> = None;
        found.retain(|d| match &last {
            Some((code, enabled)) if *code == d.code => *enabled,
            _ => {
                let enabled = self.is_enabled(&d.code);
                last = Some((d.code.clone(), enabled));
                enabled
            }
        });
    }
}

/// Sorts diagnostics into report order: by offset, then code, then end
/// offset, and diagnostics equal in all three in the order they came (a
/// stable sort, done on small keys rather than by moving whole diagnostics).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    if diagnostics.len() < 2 {
        return;
    }
    let mut keys: Vec<(u32, &str, u32, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (start, code, end) = d.sort_key();
            (start, code, end, i as u32)
        })
        .collect();
    // The index makes the key total: unstable sorting is then stable.
    keys.sort_unstable();
    if keys.iter().enumerate().all(|(i, k)| k.3 as usize == i) {
        return;
    }
    // Position k takes the diagnostic at order[k]: follow each cycle of
    // the permutation with swaps, marking done positions as fixed points.
    let mut order: Vec<u32> = keys.into_iter().map(|k| k.3).collect();
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let from = order[k] as usize;
            order[k] = k as u32;
            if from == start || from == k {
                break;
            }
            diagnostics.swap(k, from);
            k = from;
        }
    }
}

/// Sets the model path of each diagnostic that has none. The diagnostics
/// are sorted by offset, and a path depends only on the start offset, so a
/// run of diagnostics at one offset computes it once. `parallel` splits the
/// work between threads.
pub fn fill_paths(tree: &Tree<'_>, diagnostics: &mut [Diagnostic], parallel: bool) {
    let fill = |chunk: &mut [Diagnostic]| {
        // The last computed path: (start offset, index in the chunk).
        let mut prev: Option<(u32, usize)> = None;
        for i in 0..chunk.len() {
            if !chunk[i].path.is_empty() {
                continue;
            }
            let start = chunk[i].span.start;
            chunk[i].path = match prev {
                Some((at, j)) if at == start => chunk[j].path.clone(),
                _ => {
                    prev = Some((start, i));
                    model_path(tree, chunk[i].span)
                }
            };
        }
    };
    if parallel {
        diagnostics.par_chunks_mut(1024).for_each(fill);
    } else {
        fill(diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::span::Span;

    #[test]
    fn sort_is_the_stable_sort_by_offset_code_end() {
        let mut rng = fastrand::Rng::with_seed(7);
        for n in [0, 1, 2, 3, 10, 100, 1000] {
            let diagnostics: Vec<Diagnostic> = (0..n)
                .map(|i| {
                    let start = rng.usize(0..20);
                    let code = ["SL101", "SL2", "SL10", "ACME1"][rng.usize(0..4)];
                    Diagnostic::new(
                        code,
                        "x",
                        Severity::Info,
                        Span::new(start, start + rng.usize(0..3)),
                        format!("{i}"),
                    )
                })
                .collect();
            let mut want = diagnostics.clone();
            want.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let mut got = diagnostics;
            sort(&mut got);
            assert_eq!(got, want, "{n} diagnostics");
        }
    }
}
