//! `scalelint test-rules`: runs each rule alone against its fixtures.
//!
//! A rule `DIR/CODE-name.yaml` has its fixtures in `DIR/fixtures/CODE/` or,
//! for the built-in layout (`rules/` beside `fixtures/`), in
//! `DIR/../fixtures/CODE/`: `fail.arch.yaml`, whose `# expect: CODE`
//! comments mark the lines where diagnostics must start (optionally
//! `CODE:severity`, several separated by commas), and `pass.arch.yaml`,
//! which must stay silent. Loader problems (SL000–SL003) in a fixture are
//! mismatches too: a broken fixture proves nothing. A fixture whose
//! outcome depends on the date pins it with a `# today: YYYY-MM-DD` line,
//! which wins over `--today`: it holds on any day it is run.

use super::{compile, eval, Rule, RuleError};
use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::derived::Facts;
use crate::span::LineIndex;
use std::path::{Path, PathBuf};

/// The outcome for one rule.
pub struct RuleOutcome {
    pub code: String,
    pub file: String,
    /// Empty when the rule passed.
    pub problems: Vec<String>,
}

/// Tests every rule file of `dir`.
pub fn test_dir(dir: &Path, today: chrono::NaiveDate) -> Result<Vec<RuleOutcome>, RuleError> {
    let files = super::rule_files(dir)?;
    let mut out = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| RuleError {
            file: shown.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
        })?;
        // SL codes are allowed here: test-rules also tests the built-in catalog.
        let builtin = text.lines().any(|l| l.trim_start().starts_with("code: SL"));
        let rule = compile(&shown, &text, builtin)?;
        out.push(test_rule(&rule, dir, today));
    }
    Ok(out)
}

fn fixture_dir(dir: &Path, code: &str) -> Option<PathBuf> {
    [
        dir.join("fixtures").join(code),
        dir.join("..").join("fixtures").join(code),
    ]
    .into_iter()
    .find(|p| p.is_dir())
}

pub fn test_rule(rule: &Rule, dir: &Path, today: chrono::NaiveDate) -> RuleOutcome {
    let mut problems = Vec::new();
    match fixture_dir(dir, &rule.code) {
        None => problems.push(format!(
            "no fixtures: expected {}/fixtures/{}/ or {}/../fixtures/{}/",
            dir.display(),
            rule.code,
            dir.display(),
            rule.code
        )),
        Some(fx) => {
            for (name, must_fire) in [("fail.arch.yaml", true), ("pass.arch.yaml", false)] {
                let path = fx.join(name);
                match std::fs::read_to_string(&path) {
                    Ok(text) => problems.extend(compare(
                        rule,
                        &path.display().to_string(),
                        &text,
                        must_fire,
                        today,
                    )),
                    Err(e) => problems.push(format!("{}: cannot read: {e}", path.display())),
                }
            }
        }
    }
    RuleOutcome {
        code: rule.code.clone(),
        file: rule.file.clone(),
        problems,
    }
}

/// Runs one rule alone on a fixture; returns the mismatches.
pub fn run_alone(rule: &Rule, text: &str, today: chrono::NaiveDate) -> Vec<Diagnostic> {
    let loaded = load::load(text);
    let mut found = loaded.diagnostics;
    if let Some(model) = &loaded.model {
        let facts = Facts::new(model, None, 1.0, &mut found);
        if rule.applies_at(facts.stage) {
            let ctx = eval::Ctx::new(model, &facts, 1.0, today);
            eval::run(rule, &ctx, &mut found);
        }
    }
    found
}

fn compare(
    rule: &Rule,
    file: &str,
    text: &str,
    must_fire: bool,
    today: chrono::NaiveDate,
) -> Vec<String> {
    let lines = LineIndex::new(text);
    let mut problems = Vec::new();
    let today = match pinned_today(text) {
        Ok(pinned) => pinned.unwrap_or(today),
        Err((line, value)) => {
            problems.push(format!(
                "{file}:{line}: `# today:` needs a date as YYYY-MM-DD, found `{value}`"
            ));
            today
        }
    };
    let mut actual: Vec<(u32, String, String)> = Vec::new();
    for d in run_alone(rule, text, today) {
        let line = lines.position(text, d.span.start).line;
        if d.code != rule.code {
            problems.push(format!(
                "{file}:{line}: the fixture itself has a problem: {} {}",
                d.code, d.message
            ));
        } else {
            actual.push((line, d.severity.as_str().to_owned(), d.message));
        }
    }
    let mut expected = expectations(text, &rule.code);
    if must_fire && expected.is_empty() {
        problems.push(format!(
            "{file}: no `# expect: {}` marker: a failing fixture must say where the rule fires",
            rule.code
        ));
    }
    if !must_fire && !expected.is_empty() {
        problems.push(format!(
            "{file}: a passing fixture must not carry `# expect:` markers"
        ));
        expected.clear();
    }
    for (line, severity, message) in &actual {
        let hit = expected
            .iter()
            .position(|(l, s)| l == line && s.as_deref().is_none_or(|s| s == severity));
        match hit {
            Some(i) => {
                expected.remove(i);
            }
            None => problems.push(format!(
                "{file}:{line}: unexpected {} ({severity}): {message}",
                rule.code
            )),
        }
    }
    for (line, severity) in expected {
        let sev = severity.map(|s| format!(" ({s})")).unwrap_or_default();
        problems.push(format!(
            "{file}:{line}: expected {}{sev}, but it did not fire there",
            rule.code
        ));
    }
    problems
}

/// The date a fixture pins with a `# today: YYYY-MM-DD` line of its own;
/// a value that is no date is the error, with its line.
fn pinned_today(text: &str) -> Result<Option<chrono::NaiveDate>, (usize, String)> {
    for (i, line) in text.lines().enumerate() {
        if let Some(value) = line.trim().strip_prefix("# today:") {
            let value = value.trim();
            return crate::config::suppress::parse_date(value)
                .map(Some)
                .ok_or_else(|| (i + 1, value.to_owned()));
        }
    }
    Ok(None)
}

/// `# expect: SL103, SL103:error` markers of one code: (line, severity).
fn expectations(text: &str, code: &str) -> Vec<(u32, Option<String>)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.find("# expect:") else {
            continue;
        };
        for item in line[pos + "# expect:".len()..].split(',') {
            let item = item.trim();
            let (c, sev) = match item.split_once(':') {
                Some((c, s)) => (c.trim(), Some(s.trim().to_owned())),
                None => (item, None),
            };
            if c == code {
                out.push((i as u32 + 1, sev));
            }
        }
    }
    out
}
