//! The rule engine: rules are data files (`rules/SLnnn-name.yaml`, and the
//! users' own directories), compiled once into [`Rule`]s whose checks are
//! native kinds with typed params (`src/checks/`) or CEL expressions.
//!
//! A run loads the rule set once; each file is then evaluated against every
//! enabled rule with one [`eval::Ctx`] (model, derived facts, load factor).

pub mod docs;
pub mod embed;
pub mod eval;
pub mod spec;
pub mod template;
pub mod testing;

use crate::diagnostic::Severity;
use crate::load::tree;
use crate::model::convert::{Cx, FromNode};
use crate::model::reflect::FieldPath;
use crate::model::Spanned;
use crate::span::{LineIndex, Span};
use spec::{
    CheckKind, CheckSpec, Condition, FormulaName, GlobalCheck, Is, ParamType, RuleSpec, Selector,
    StageCheck, WalkName,
};
use std::path::{Path, PathBuf};
use template::Template;

/// The built-in rule files, with their trees, embedded at build time (see
/// build.rs).
const BUILTIN: &[embed::Builtin] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A rule file that cannot be used: where and why (exit 2).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: broken rule: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A parameter with its declared default and the value in force.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub unit: ParamType,
    pub default_text: String,
    pub value: f64,
    pub doc: String,
}

/// How a threshold compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Above,
    Below,
}

/// Severity levels of a threshold, highest first: (severity, param index).
pub type Levels = Vec<(Severity, usize)>;

#[derive(Debug, Clone)]
pub enum Check {
    /// Fires when the field passes a bound: `above`, `below`, or both (outside a range).
    Threshold {
        field: FieldPath,
        bounds: Vec<(Direction, Levels)>,
    },
    Ratio {
        numerator: FieldPath,
        denominator: FieldPath,
        levels: Levels,
    },
    Match {
        at: Vec<String>,
    },
    Formula(FormulaName),
    Graph(WalkName),
    Stage(StageCheck),
    Premature,
    Global(GlobalCheck),
    Cel {
        program: Box<crate::checks::cel::Expr>,
        at: Vec<String>,
    },
}

/// One check of a rule, with the extra conditions only it applies.
#[derive(Debug, Clone)]
pub struct RuleCheck {
    pub filter: Vec<Cond>,
    pub check: Check,
}

/// A compiled condition of a rule's `filter`.
#[derive(Debug, Clone)]
pub struct Cond {
    pub field: FieldPath,
    pub test: Test,
}

#[derive(Debug, Clone)]
pub enum Test {
    /// At least one of the conditions holds.
    Any(Vec<Cond>),
    Is(Is),
    Equals(String),
    NotEquals(String),
    OneOf(Vec<String>),
    NoneOf(Vec<String>),
    Above(f64),
    Below(f64),
    /// A date more than this many days before `--today`.
    OlderThanDays(i64),
}

#[derive(Debug, Clone)]
pub struct Docs {
    pub source: String,
    pub what: String,
    pub why: String,
    pub fix: String,
    pub fail: String,
    pub pass: String,
}

impl Docs {
    /// From the rule file's `docs` (the loader has reported missing keys).
    fn from_spec(d: &spec::Docs) -> Docs {
        let text = |v: &Option<Spanned<String>>| req(v).value.clone();
        Docs {
            source: text(&d.source),
            what: text(&d.what),
            why: text(&d.why),
            fix: text(&d.fix),
            fail: text(&d.fail),
            pass: text(&d.pass),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub stages: (u8, u8),
    pub select: Selector,
    pub filter: Vec<Cond>,
    /// One or more checks; each runs on every selected entity that passes
    /// the rule's filter and its own.
    pub checks: Vec<RuleCheck>,
    pub params: Vec<Param>,
    pub message: Template,
    pub help: Option<Template>,
    /// Read through [`Rule::docs`]: a built-in rule's are parsed when first
    /// asked for (`explain`, SARIF, the docs), not on every start.
    docs: std::sync::OnceLock<Docs>,
    /// The `docs:` part of a built-in rule's text, left out when it
    /// compiled, to read them from on demand.
    docs_text: Option<&'static str>,
    /// The rule file (`rules/SL103-server-cpu.yaml`, or a user's path).
    pub file: String,
    pub builtin: bool,
    /// What its diagnostics share, made at its first finding (after any
    /// [`Rule::set_param`]).
    pub(crate) texts: std::sync::OnceLock<eval::RuleTexts>,
}

impl Rule {
    /// The rule's documentation (`docs:` in its file).
    pub fn docs(&self) -> &Docs {
        self.docs.get_or_init(|| {
            let text = self
                .docs_text
                .expect("a rule without its docs keeps the text they are in");
            builtin_docs(text).unwrap_or_else(|| panic!("{}: its docs do not load", self.file))
        })
    }

    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    pub fn applies_at(&self, stage: u8) -> bool {
        (self.stages.0..=self.stages.1).contains(&stage)
    }

    /// "all", "≥3", "1", "2–3".
    pub fn stages_text(&self) -> String {
        match self.stages {
            (1, 4) => "all".into(),
            (a, 4) => format!("≥{a}"),
            (a, b) if a == b => a.to_string(),
            (a, b) => format!("{a}–{b}"),
        }
    }

    /// Sets a parameter from a written value (`70%`), checked against its unit.
    pub fn set_param(&mut self, name: &str, raw: &spec::RawScalar) -> Result<(), String> {
        let code = self.code.clone();
        let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        let hint = crate::model::convert::did_you_mean(name, &known)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        let Some(p) = self.params.iter_mut().find(|p| p.name == name) else {
            return Err(format!("{code} has no parameter `{name}`{hint}"));
        };
        p.value =
            spec::parse_param(p.unit, raw).map_err(|e| format!("{code}.{name}: {}", e.message))?;
        self.texts = std::sync::OnceLock::new();
        Ok(())
    }
}

/// All the rules of a run, built-in and custom, in code order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in rules. They are tested, so a broken one is a bug.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        // Every run starts here: the files compile on all cores.
        use rayon::prelude::*;
        let rules = BUILTIN
            .par_iter()
            .map(compile_builtin)
            .collect::<Result<Vec<Rule>, RuleError>>()?;
        let mut set = RuleSet { rules };
        set.sort();
        Ok(set)
    }

    /// Adds every `*.yaml` rule file of a directory (not recursive).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let files = rule_files(dir)?;
        for path in files {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| RuleError {
                file: shown.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read: {e}"),
            })?;
            let rule = compile(&shown, &text, false)?;
            if let Some(prev) = self
                .rules
                .iter()
                .find(|r| r.code == rule.code || r.name == rule.name)
            {
                return Err(RuleError {
                    file: shown,
                    line: 1,
                    column: 1,
                    message: format!(
                        "rule `{}` ({}) is already defined by {}",
                        rule.code, rule.name, prev.file
                    ),
                });
            }
            self.rules.push(rule);
        }
        self.sort();
        Ok(())
    }

    fn sort(&mut self) {
        self.rules.sort_by(|a, b| a.code.cmp(&b.code));
    }

    pub fn get(&self, code_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code == code_or_name || r.name == code_or_name)
    }
}

/// The rule files of a directory, sorted: `*.yaml` and `*.yml`, except
/// description files (`*.arch.yaml`), which may sit beside them.
pub fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|e| RuleError {
        file: dir.display().to_string(),
        line: 1,
        column: 1,
        message: format!(
            "cannot read the rule directory: {}",
            crate::discover::io_reason(&e)
        ),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.is_file()
                && (name.ends_with(".yaml") || name.ends_with(".yml"))
                && !name.ends_with(".arch.yaml")
                && !name.ends_with(".arch.yml")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Compiles a built-in rule from the tree it was built with, without its
/// `docs` (more than half of each file), which only `explain`, SARIF and
/// the docs read: [`Rule::docs`] parses that part of its text when asked.
fn compile_builtin(b: &'static embed::Builtin) -> Result<Rule, RuleError> {
    let mut rule = match &b.tree {
        Some(t) => compile_tree(b.path, t.source, &t.tree(), true)?,
        None => compile(b.path, &embed::compiled_source(b.text, b.docs_at), true)?,
    };
    if let Some(cut) = b.docs_at {
        rule.docs = std::sync::OnceLock::new();
        rule.docs_text = Some(&b.text[cut..]);
    }
    Ok(rule)
}

/// A built-in rule's `docs` from their part of its text (`docs:` and what
/// follows); `None` if they do not load, which the tests rule out.
fn builtin_docs(text: &str) -> Option<Docs> {
    let tree = tree::parse(text).ok()?;
    let (_, value) = tree.map_entries(tree.resolve(tree.root)).next()?;
    let mut cx = Cx::new(&tree);
    let docs = spec::Docs::from_node(&mut cx, tree.resolve(value))?;
    cx.diagnostics.is_empty().then(|| Docs::from_spec(&docs))
}

/// Compiles one rule file. `builtin` rules may use `SL` codes; others may not.
pub fn compile(file: &str, text: &str, builtin: bool) -> Result<Rule, RuleError> {
    let tree = tree::parse(text).map_err(|e| error_at(file, text, e.span, e.message))?;
    compile_tree(file, text, &tree, builtin)
}

/// A rule file's error at a place in its text.
fn error_at(file: &str, text: &str, span: Span, message: String) -> RuleError {
    let p = LineIndex::new(text).position(text, span.start);
    RuleError {
        file: file.to_owned(),
        line: p.line,
        column: p.column,
        message,
    }
}

/// Compiles one rule file from its tree.
fn compile_tree(
    file: &str,
    text: &str,
    tree: &tree::Tree<'_>,
    builtin: bool,
) -> Result<Rule, RuleError> {
    let err_at = |span: Span, message: String| error_at(file, text, span, message);
    let mut cx = Cx::new(tree);
    let spec = RuleSpec::from_node(&mut cx, tree.resolve(tree.root));
    if let Some(d) = cx.diagnostics.first() {
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(&format!(" ({h})"));
        }
        return Err(err_at(d.span, message));
    }
    let spec = spec.ok_or_else(|| err_at(Span::default(), "a rule file holds a mapping".into()))?;
    Compiler {
        spec: &spec,
        err_at: &err_at,
        // The built-in rules' paths are checked by the tests (below), not
        // on every start.
        check_paths: !builtin || cfg!(test),
    }
    .rule(file, builtin)
}

struct Compiler<'a> {
    spec: &'a RuleSpec,
    err_at: &'a dyn Fn(Span, String) -> RuleError,
    check_paths: bool,
}

/// Takes a required field (the loader has reported it when missing).
fn req<T>(v: &Option<Spanned<T>>) -> &Spanned<T> {
    v.as_ref()
        .expect("required fields are present once the loader reported nothing")
}

impl Compiler<'_> {
    fn err(&self, span: Span, message: impl Into<String>) -> RuleError {
        (self.err_at)(span, message.into())
    }

    /// Checks that a field path names a field of the selected entity (of
    /// the file root with a leading `/`), or a derived fact of it (`$`):
    /// a misspelled path would otherwise read as absent on every file.
    fn path(&self, path: Option<&Spanned<String>>) -> Result<(), RuleError> {
        let Some(path) = path.filter(|_| self.check_paths) else {
            return Ok(());
        };
        let select = req(&self.spec.select).value;
        if let Some(fact) = path.value.strip_prefix('$') {
            let facts: Vec<&str> = eval::DERIVED
                .iter()
                .filter(|(s, _)| *s == select)
                .map(|(_, f)| *f)
                .collect();
            if facts.contains(&fact) {
                return Ok(());
            }
            let hint = match crate::model::convert::did_you_mean(fact, &facts) {
                Some(f) => format!("did you mean `${f}`?"),
                None if facts.is_empty() => "it has none".to_owned(),
                None => format!(
                    "it has {}",
                    facts
                        .iter()
                        .map(|f| format!("`${f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(self.err(
                path.span,
                format!("`select: {select}` has no derived fact `${fact}` ({hint})"),
            ));
        }
        let (record, from, relative) = match path.value.strip_prefix('/') {
            Some(rest) => (
                crate::model::schema_value(),
                "the file root".to_owned(),
                rest,
            ),
            None => (
                entity_schema(select),
                format!("`select: {select}`"),
                path.value.as_str(),
            ),
        };
        match crate::model::field_path_error(record, relative) {
            None => Ok(()),
            Some(why) => Err(self.err(
                path.span,
                format!("`{}` is not a field of {from}: {why}", path.value),
            )),
        }
    }

    fn rule(&self, file: &str, builtin: bool) -> Result<Rule, RuleError> {
        let s = self.spec;
        let code = req(&s.code);
        let valid_code = code.value.len() >= 2
            && code
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_code {
            return Err(self.err(
                code.span,
                "a rule code is letters, digits, `-` and `_` (e.g. ACME001)",
            ));
        }
        if !builtin && code.value.to_ascii_uppercase().starts_with("SL") {
            return Err(self.err(code.span, format!("custom rule codes must not start with `SL` (`{}`); SL codes are scalelint's own", code.value)));
        }
        let name = req(&s.name);
        if name.value.is_empty()
            || !name
                .value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(self.err(
                name.span,
                "a rule name is kebab-case (lowercase letters, digits and `-`)",
            ));
        }
        let stages = match &s.stages {
            None => (1, 4),
            Some(r) => {
                let min = r.value.min.as_ref().map_or(1, |v| v.value.0);
                let max = r.value.max.as_ref().map_or(4, |v| v.value.0);
                if !(1..=4).contains(&min) || !(1..=4).contains(&max) || min > max {
                    return Err(self.err(r.span, "stages go from 1 to 4, with min ≤ max"));
                }
                (min as u8, max as u8)
            }
        };
        let params = self.params()?;
        let checks = req(&s.check)
            .value
            .0
            .iter()
            .map(|c| {
                let filter = c.value.filter.as_ref().map_or(Ok(Vec::new()), |f| {
                    f.value.iter().map(|c| self.condition(c)).collect()
                })?;
                Ok(RuleCheck {
                    filter,
                    check: self.check(c, &params)?,
                })
            })
            .collect::<Result<Vec<_>, RuleError>>()?;
        let filter = s.filter.as_ref().map_or(Ok(Vec::new()), |f| {
            f.value.iter().map(|c| self.condition(c)).collect()
        })?;
        let mut vars: Vec<&str> = Vec::new();
        for c in &checks {
            for v in eval::variables(&c.check, req(&s.select).value) {
                if !vars.contains(&v) {
                    vars.push(v);
                }
            }
        }
        let template = |t: &Spanned<String>| {
            Template::parse(&t.value, &vars, &params).map_err(|m| self.err(t.span, m))
        };
        Ok(Rule {
            code: code.value.clone(),
            name: name.value.clone(),
            severity: severity(req(&s.severity).value),
            summary: req(&s.summary).value.clone(),
            stages,
            select: req(&s.select).value,
            filter,
            checks,
            message: template(req(&s.message))?,
            help: s.help.as_ref().map(template).transpose()?,
            params,
            docs: std::sync::OnceLock::from(Docs::from_spec(&req(&s.docs).value)),
            docs_text: None,
            file: file.to_owned(),
            builtin,
            texts: std::sync::OnceLock::new(),
        })
    }

    fn params(&self) -> Result<Vec<Param>, RuleError> {
        let Some(map) = &self.spec.params else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (name, p) in &map.value.0 {
            let unit = req(&p.value.unit).value;
            let default = req(&p.value.default);
            let value = spec::parse_param(unit, &default.value).map_err(|e| {
                self.err(
                    default.span,
                    format!("the default is not {}: {}", unit_expected(unit), e.message),
                )
            })?;
            out.push(Param {
                name: name.value.clone(),
                unit,
                default_text: default.value.text.clone(),
                value,
                doc: req(&p.value.doc).value.clone(),
            });
        }
        Ok(out)
    }

    fn check(&self, spanned: &Spanned<CheckSpec>, params: &[Param]) -> Result<Check, RuleError> {
        let c: &CheckSpec = &spanned.value;
        let kind = req(&c.kind);
        let need = |v: &Option<Spanned<String>>, key: &str| -> Result<String, RuleError> {
            v.as_ref().map(|s| s.value.clone()).ok_or_else(|| {
                self.err(
                    spanned.span,
                    format!("a `{}` check needs `{key}`", kind.value),
                )
            })
        };
        for p in c.at.iter().flat_map(|a| &a.value) {
            self.path(Some(p))?;
        }
        let at = || {
            c.at.as_ref()
                .map(|a| a.value.iter().map(|s| s.value.clone()).collect())
                .unwrap_or_default()
        };
        Ok(match kind.value {
            CheckKind::Threshold => {
                let field = need(&c.field, "field")?;
                self.path(c.field.as_ref())?;
                let mut bounds = Vec::new();
                if let Some(l) = &c.above {
                    bounds.push((Direction::Above, self.levels(l, params)?));
                }
                if let Some(l) = &c.below {
                    bounds.push((Direction::Below, self.levels(l, params)?));
                }
                if bounds.is_empty() {
                    return Err(self.err(
                        spanned.span,
                        "a `threshold` check needs `above`, `below` or both (a range)",
                    ));
                }
                Check::Threshold {
                    field: FieldPath::new(field),
                    bounds,
                }
            }
            CheckKind::Ratio => {
                let Some(l) = &c.above else {
                    return Err(self.err(spanned.span, "a `ratio` check needs `above`"));
                };
                self.path(c.numerator.as_ref())?;
                self.path(c.denominator.as_ref())?;
                Check::Ratio {
                    numerator: FieldPath::new(need(&c.numerator, "numerator")?),
                    denominator: FieldPath::new(need(&c.denominator, "denominator")?),
                    levels: self.levels(l, params)?,
                }
            }
            CheckKind::Match => Check::Match { at: at() },
            CheckKind::Formula => Check::Formula(
                c.formula
                    .as_ref()
                    .map(|f| f.value)
                    .ok_or_else(|| self.err(spanned.span, "a `formula` check needs `formula`"))?,
            ),
            CheckKind::Graph => Check::Graph(
                c.walk
                    .as_ref()
                    .map(|w| w.value)
                    .ok_or_else(|| self.err(spanned.span, "a `graph` check needs `walk`"))?,
            ),
            CheckKind::Stage => Check::Stage(
                c.stage
                    .as_ref()
                    .map(|w| w.value)
                    .ok_or_else(|| self.err(spanned.span, "a `stage` check needs `stage`"))?,
            ),
            CheckKind::Premature => Check::Premature,
            CheckKind::Global => Check::Global(
                c.global
                    .as_ref()
                    .map(|w| w.value)
                    .ok_or_else(|| self.err(spanned.span, "a `global` check needs `global`"))?,
            ),
            CheckKind::Cel => {
                let expr = c
                    .expr
                    .as_ref()
                    .ok_or_else(|| self.err(spanned.span, "a `cel` check needs `expr`"))?;
                let program = crate::checks::cel::Expr::compile(&expr.value)
                    .map_err(|m| self.err(expr.span, m))?;
                Check::Cel {
                    program: Box::new(program),
                    at: at(),
                }
            }
        })
    }

    fn levels(&self, l: &Spanned<spec::Levels>, params: &[Param]) -> Result<Levels, RuleError> {
        let mut out = Vec::new();
        for (sev, name) in [
            (Severity::Error, &l.value.error),
            (Severity::Warning, &l.value.warning),
            (Severity::Info, &l.value.info),
        ] {
            let Some(name) = name else { continue };
            let Some(i) = params.iter().position(|p| p.name == name.value) else {
                return Err(self.err(
                    name.span,
                    format!("no parameter `{}` is declared under `params`", name.value),
                ));
            };
            out.push((sev, i));
        }
        if out.is_empty() {
            return Err(self.err(
                l.span,
                "name the parameter of at least one level (`error`, `warning` or `info`)",
            ));
        }
        Ok(out)
    }

    fn condition(&self, c: &Spanned<Condition>) -> Result<Cond, RuleError> {
        let v = &c.value;
        if let Some(any) = &v.any {
            if v.field.is_some() {
                return Err(self.err(
                    c.span,
                    "`any` takes no `field`: each of its conditions names its own",
                ));
            }
            let all = any
                .value
                .iter()
                .map(|c| self.condition(c))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Cond {
                field: FieldPath::default(),
                test: Test::Any(all),
            });
        }
        let Some(field) = v.field.as_ref().map(|f| f.value.clone()) else {
            return Err(self.err(c.span, "a condition needs `field` (or `any`)"));
        };
        self.path(v.field.as_ref())?;
        let list = |l: &Spanned<Vec<Spanned<spec::RawScalar>>>| {
            l.value.iter().map(|s| s.value.text.clone()).collect()
        };
        let tests: Vec<Test> = [
            v.is.as_ref().map(|x| Test::Is(x.value)),
            v.equals
                .as_ref()
                .map(|x| Test::Equals(x.value.text.clone())),
            v.not_equals
                .as_ref()
                .map(|x| Test::NotEquals(x.value.text.clone())),
            v.one_of.as_ref().map(|x| Test::OneOf(list(x))),
            v.none_of.as_ref().map(|x| Test::NoneOf(list(x))),
        ]
        .into_iter()
        .flatten()
        .collect();
        let above = match &v.above {
            Some(a) => Some(Test::Above(
                a.value
                    .scalar()
                    .as_f64()
                    .ok_or_else(|| self.err(a.span, "`above` takes a number"))?,
            )),
            None => None,
        };
        let below = match &v.below {
            Some(a) => Some(Test::Below(
                a.value
                    .scalar()
                    .as_f64()
                    .ok_or_else(|| self.err(a.span, "`below` takes a number"))?,
            )),
            None => None,
        };
        let older = v
            .older_than_days
            .as_ref()
            .map(|d| Test::OlderThanDays(d.value.0 as i64));
        let mut tests = tests;
        tests.extend(above);
        tests.extend(below);
        tests.extend(older);
        if tests.len() != 1 {
            return Err(self.err(
                c.span,
                "a condition has exactly one test: is, equals, not_equals, one_of, none_of, above, below or older_than_days",
            ));
        }
        Ok(Cond {
            field: FieldPath::new(field),
            test: tests.remove(0),
        })
    }
}

/// The JSON Schema of one entity of a selector (for `system`, the file
/// root): what its rules' field paths are relative to.
fn entity_schema(select: Selector) -> &'static serde_json::Value {
    let schema = crate::model::schema_value();
    let pointer = match select {
        Selector::System => return schema,
        Selector::Dependencies => "/properties/services/items/properties/depends_on/items",
        Selector::Services => "/properties/services/items",
        Selector::Databases => "/properties/databases/items",
        Selector::Caches => "/properties/caches/items",
        Selector::Queues => "/properties/queues/items",
        Selector::Regions => "/properties/regions/items",
        Selector::Data => "/properties/data/items",
    };
    // Every selector names a list of mappings in the format (a test checks).
    schema.pointer(pointer).unwrap_or(schema)
}

fn severity(s: spec::SeverityName) -> Severity {
    match s {
        spec::SeverityName::Error => Severity::Error,
        spec::SeverityName::Warning => Severity::Warning,
        spec::SeverityName::Info => Severity::Info,
    }
}

fn unit_expected(u: ParamType) -> &'static str {
    match u {
        ParamType::Ratio => "a ratio",
        ParamType::Duration => "a duration",
        ParamType::Size => "a size",
        ParamType::Rate => "a rate",
        ParamType::Count => "a count",
        ParamType::Number => "a number",
        ParamType::Availability => "an availability",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each selector's entity schema is a mapping of the format's, not the
    /// root that `entity_schema` falls back to.
    #[test]
    fn every_selector_has_its_entity_schema() {
        let root = crate::model::schema_value();
        for name in Selector::ALL {
            let scalar = crate::load::scalar::Scalar::Str(name);
            let select = <Selector as crate::model::units::FromScalar>::from_scalar(scalar)
                .unwrap_or_else(|_| panic!("{name}"));
            let schema = entity_schema(select);
            assert!(schema.get("properties").is_some(), "{name}");
            assert_eq!(
                std::ptr::eq(schema, root),
                select == Selector::System,
                "{name}"
            );
        }
    }

    /// Built in or not, a rule's field paths name real fields: a test
    /// build checks the built-in rules' paths as it checks custom rules'.
    #[test]
    fn builtin_rules_name_real_fields() {
        for b in super::BUILTIN {
            let (path, text) = (b.path, b.text);
            super::compile(path, text, true).unwrap_or_else(|e| panic!("{e}"));
            // The check is on for them: a misspelled field is refused.
            let wrong = text.replace("field: ", "field: x_");
            if wrong != text {
                assert!(super::compile(path, &wrong, true).is_err(), "{path}");
            }
        }
    }

    /// Every built-in rule compiles without its docs, and reads them on
    /// demand as a whole compile gives them; the rule is otherwise the same.
    #[test]
    fn builtin_rules_read_their_docs_on_demand() {
        for b in super::BUILTIN {
            let (path, text) = (b.path, b.text);
            assert!(b.docs_at.is_some(), "{path}: docs not last");
            let whole = super::compile(path, text, true).unwrap();
            let lazy = super::compile_builtin(b).unwrap();
            assert!(lazy.docs.get().is_none(), "{path}");
            assert_eq!(
                format!("{:?}", lazy.docs()),
                format!("{:?}", whole.docs()),
                "{path}"
            );
            assert!(!lazy.docs().what.is_empty(), "{path}");
            // Apart from where the docs come from, the rules are equal.
            let strip = |r: &super::Rule| {
                let mut r = r.clone();
                r.docs_text = None;
                format!("{r:?}")
            };
            assert_eq!(strip(&lazy), strip(&whole), "{path}");
        }
        // `docs` followed by another top-level key is not cut.
        assert_eq!(embed::docs_cut("a: 1\ndocs:\n  what: x\nb: 2\n"), None);
        assert_eq!(
            embed::docs_cut("a: 1\ndocs:\n  what: x\n\n  # note\n"),
            Some(5)
        );
    }

    /// The trees build.rs embeds are what parsing the rules gives now, so a
    /// built-in rule compiles the same from either.
    #[test]
    fn builtin_rules_embed_the_tree_of_their_text() {
        for b in super::BUILTIN {
            assert_eq!(b.docs_at, embed::docs_cut(b.text), "{}", b.path);
            let t = b
                .tree
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no tree", b.path));
            assert_eq!(t.source, embed::compiled_source(b.text, b.docs_at));
            let parsed = tree::parse(t.source).unwrap();
            let (fresh, embedded) = (parsed.raw(), t.tree());
            let embedded = embedded.raw();
            assert_eq!(embedded.nodes, fresh.nodes, "{}", b.path);
            assert_eq!(embedded.children, fresh.children, "{}", b.path);
            assert_eq!(embedded.owned, fresh.owned, "{}", b.path);
            assert_eq!(embedded.root, fresh.root, "{}", b.path);
            let from_text = super::compile(b.path, t.source, true).unwrap();
            let from_tree = super::compile_tree(b.path, t.source, &t.tree(), true).unwrap();
            assert_eq!(
                format!("{from_tree:?}"),
                format!("{from_text:?}"),
                "{}",
                b.path
            );
        }
    }
}
