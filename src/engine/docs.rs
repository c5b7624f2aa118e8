//! Rule documentation, rendered from the rule files alone: the text of
//! `scalelint explain`, the `rules` listing, and the generated
//! `docs/rules.md` (a test keeps it current).

use super::{Check, Rule, RuleSet};
use std::fmt::Write as _;

/// `scalelint explain CODE`.
pub fn explain(rule: &Rule) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} ({}, stages: {})",
        rule.code,
        rule.name,
        rule.severity,
        rule.stages_text()
    );
    let _ = writeln!(s, "\n{}\n", rule.summary);
    let d = rule.docs();
    let _ = writeln!(s, "What it does\n  {}\n", wrap(&d.what));
    let _ = writeln!(s, "Why it matters\n  {}\n", wrap(&d.why));
    let _ = writeln!(s, "How to fix\n  {}\n", wrap(&d.fix));
    let _ = writeln!(s, "Source: {}\n", d.source);
    if !rule.params.is_empty() {
        let _ = writeln!(s, "Parameters");
        for p in &rule.params {
            let _ = writeln!(
                s,
                "  {} ({}, default {}): {}",
                p.name, p.unit, p.default_text, p.doc
            );
        }
        s.push('\n');
    }
    if has_fix(rule) {
        let _ = writeln!(s, "Fix: carries a fix that writes the computed value.\n");
    }
    let _ = writeln!(s, "Fails:\n{}", indent(&d.fail));
    let _ = writeln!(s, "Passes:\n{}", indent(&d.pass));
    let _ = write!(s, "Rule file: {}", rule.file);
    s.push('\n');
    s
}

/// Whether the rule's findings carry a fix (the formulas that compute a value).
pub fn has_fix(rule: &Rule) -> bool {
    use super::spec::FormulaName::*;
    rule.checks.iter().any(|c| {
        matches!(
            c.check,
            Check::Formula(Capacity | PoolSize | Replicas | CacheMemory)
        )
    })
}

fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split_whitespace() {
        if width + word.len() > 76 && width > 0 {
            out.push_str("\n  ");
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// `scalelint rules`: one line per rule.
pub fn listing(set: &RuleSet, loader: &[crate::registry::RuleMeta]) -> String {
    let mut rows: Vec<(String, String, String, String, String)> = loader
        .iter()
        .map(|r| {
            (
                r.code.clone(),
                r.name.clone(),
                r.severity.to_string(),
                "all".into(),
                r.summary.clone(),
            )
        })
        .collect();
    rows.extend(set.rules.iter().map(|r| {
        (
            r.code.clone(),
            r.name.clone(),
            r.severity.to_string(),
            r.stages_text(),
            r.summary.clone(),
        )
    }));
    rows.sort();
    let name_w = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (code, name, sev, stages, summary) in rows {
        let _ = writeln!(
            s,
            "{code:<7} {name:<name_w$}  {sev:<7}  {stages:<4}  {summary}"
        );
    }
    s
}

/// `docs/rules.md`.
pub fn markdown(set: &RuleSet, fixed: &[crate::registry::RuleMeta]) -> String {
    let mut s = String::from(
        "# Rules\n\n<!-- Generated from rules/*.yaml by `scalelint rules --format markdown`; do not edit. -->\n\n",
    );
    s.push_str("The loader and the suppression comments report codes of their own; every other rule is a file in `rules/`.\n\n");
    s.push_str("| code | name | severity | summary |\n|---|---|---|---|\n");
    for r in fixed {
        let _ = writeln!(
            s,
            "| <a id=\"{}\"></a>{} | {} | {} | {} |",
            r.code.to_ascii_lowercase(),
            r.code,
            r.name,
            r.severity,
            r.summary.replace('|', "\\|")
        );
    }
    s.push_str("\nSee docs/format-notes.md (SL000–SL003) and docs/configuration.md (SL090–SL094).\n\n## Rule files\n\n");
    s.push_str("| code | name | severity | stages | summary |\n|---|---|---|---|---|\n");
    for r in set.rules.iter().filter(|r| r.builtin) {
        let _ = writeln!(
            s,
            "| [{}](#{}) | {} | {} | {} | {} |",
            r.code,
            r.code.to_ascii_lowercase(),
            r.name,
            r.severity,
            r.stages_text(),
            r.summary.replace('|', "\\|")
        );
    }
    for r in set.rules.iter().filter(|r| r.builtin) {
        let d = r.docs();
        let _ = write!(
            s,
            "\n## {}\n\n**{}** · {} · stages: {}\n\n{}\n\n**Why.** {}\n\n**Fix.** {}\n\n*Source: {}*\n\n",
            r.code, r.name, r.severity, r.stages_text(), d.what, d.why, d.fix, d.source
        );
        if !r.params.is_empty() {
            s.push_str("| parameter | unit | default | meaning |\n|---|---|---|---|\n");
            for p in &r.params {
                let _ = writeln!(
                    s,
                    "| `{}` | {} | `{}` | {} |",
                    p.name, p.unit, p.default_text, p.doc
                );
            }
            s.push('\n');
        }
        let _ = write!(
            s,
            "Fails:\n\n```yaml\n{}```\n\nPasses:\n\n```yaml\n{}```\n",
            d.fail, d.pass
        );
    }
    s
}
