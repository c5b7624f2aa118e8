//! The rules a run knows: their codes, names and default severities, and the
//! resolution of user selectors (`SL3`, `SL301`, `stateless-servers`).

use crate::diagnostic::Severity;
use crate::model::convert::did_you_mean;

#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
}

/// The loader's own rules, and the suppressions' (SL090–SL094): they exist
/// whatever rule files are loaded.
pub fn loader_rules() -> Vec<RuleMeta> {
    let rule = |code: &str, name: &str, summary: &str| RuleMeta {
        code: code.into(),
        name: name.into(),
        severity: Severity::Error,
        summary: summary.into(),
    };
    vec![
        rule("SL000", "invalid-yaml", "the file is not well-formed YAML, not UTF-8, not exactly one document, or over an input limit"),
        rule("SL001", "schema-violation", "unknown key, wrong type, value out of range, duplicate key or missing required key"),
        rule("SL002", "unresolved-reference", "a reference names nothing the file defines"),
        rule("SL003", "duplicate-name", "two entities share a name"),
    ]
    .into_iter()
    .chain(crate::config::suppress::rules())
    .collect()
}

/// The metadata of every rule a run knows: the loader's, then the rule set's.
pub fn all_rules(set: &crate::engine::RuleSet) -> Vec<RuleMeta> {
    let mut rules = loader_rules();
    rules.extend(set.rules.iter().map(|r| RuleMeta {
        code: r.code.clone(),
        name: r.name.clone(),
        severity: r.severity,
        summary: r.summary.clone(),
    }));
    rules.sort_by(|a, b| a.code.cmp(&b.code));
    rules
}

/// Which rules are on: `select` (default: all) minus `ignore`.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: Vec<bool>,
    /// Every flag is on (no `select` or `ignore` left any rule out).
    all: bool,
}

impl Selection {
    /// One flag per rule, in the order of the run's rules.
    pub fn from_flags(enabled: Vec<bool>) -> Selection {
        let all = enabled.iter().all(|&on| on);
        Selection { enabled, all }
    }

    pub fn is_enabled(&self, index: usize) -> bool {
        self.enabled.get(index).copied().unwrap_or(false)
    }

    /// Whether the first `n` rules are all on.
    pub fn enables_all(&self, n: usize) -> bool {
        self.all && self.enabled.len() >= n
    }
}

/// Resolves the rule indices one selector names: a code, a name, or a code prefix.
pub fn resolve_selector(rules: &[RuleMeta], selector: &str) -> Result<Vec<usize>, String> {
    let s = selector.trim();
    let hits: Vec<usize> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.name == s || r.code.starts_with(&s.to_ascii_uppercase()) || r.code.starts_with(s)
        })
        .map(|(i, _)| i)
        .collect();
    if !hits.is_empty() && !s.is_empty() {
        return Ok(hits);
    }
    let mut known: Vec<&str> = rules.iter().map(|r| r.code.as_str()).collect();
    known.extend(rules.iter().map(|r| r.name.as_str()));
    let hint = match did_you_mean(s, &known) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => "; `scalelint rules` lists every rule".into(),
    };
    Err(format!("unknown rule code or name `{s}`{hint}"))
}

pub fn select(
    rules: &[RuleMeta],
    select: &[String],
    ignore: &[String],
) -> Result<Selection, String> {
    let mut enabled = vec![select.is_empty(); rules.len()];
    for s in select {
        for i in resolve_selector(rules, s)? {
            enabled[i] = true;
        }
    }
    for s in ignore {
        for i in resolve_selector(rules, s)? {
            enabled[i] = false;
        }
    }
    Ok(Selection::from_flags(enabled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enables_all_only_when_every_flag_is_on_and_covers_the_rules() {
        let all = Selection::from_flags(vec![true; 3]);
        assert!(all.enables_all(3));
        assert!(all.enables_all(2));
        assert!(!all.enables_all(4), "a rule without a flag is off");
        let some = Selection::from_flags(vec![true, false, true]);
        assert!(!some.enables_all(3));
        assert!(!some.is_enabled(1));
    }
}
