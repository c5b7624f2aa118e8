//! The config file (`scalelint.yaml`, docs/configuration.md): discovery,
//! strict loading (the model's `record!` loader, so every mistake has a
//! line, a column and a "did you mean"), and the [`Plan`] a run follows:
//! which rules run on which file, at which severity, with which params.
//! Inline suppressions and the baseline are the submodules.

pub mod baseline;
pub mod suppress;

use crate::check::Linter;
use crate::diagnostic::Severity;
use crate::engine::spec::RawScalar;
use crate::engine::{Rule, RuleSet};
use crate::load::tree::{self, NodeId};
use crate::model::convert::{Cx, FromNode};
use crate::model::reflect::{Reflect, Value};
use crate::model::{keyword, record, Spanned};
use crate::registry::{self, RuleMeta, Selection};
use crate::span::{LineIndex, Span};
use globset::GlobSet;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The names a config file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = ["scalelint.yaml", ".scalelint.yaml"];

keyword!(pub enum Level ("a severity") {
    Error = "error", Warning = "warning", Info = "info", Off = "off",
});
keyword!(pub enum FailOnLevel ("a `fail_on` level") {
    Error = "error", Warning = "warning", Info = "info", Never = "never",
});

record! {
    /// A config file. Every key is optional.
    pub struct ConfigFile ("the config") {
        include: Vec<Spanned<String>>,
        exclude: Vec<Spanned<String>>,
        select: Vec<Spanned<String>>,
        ignore: Vec<Spanned<String>>,
        fail_on: FailOnLevel,
        rules: Vec<Spanned<String>>,
        severity: CodeMap<Level>,
        params: CodeMap<CodeMap<RawScalar>>,
        overrides: Vec<Spanned<Override>>,
        unsuppressible: Vec<Spanned<String>>,
        suppressions: bool,
    }
}

record! {
    /// Settings for the files its globs match; later overrides win.
    pub struct Override ("an override") {
        files: Vec<Spanned<String>> = required,
        select: Vec<Spanned<String>>,
        ignore: Vec<Spanned<String>>,
        severity: CodeMap<Level>,
        params: CodeMap<CodeMap<RawScalar>>,
    }
}

/// A mapping from names (rule codes, parameter names) to values, in the
/// order written.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeMap<T>(pub Vec<(Spanned<String>, Spanned<T>)>);

impl<T: FromNode> FromNode for CodeMap<T> {
    const EXPECTED: &'static str = "a mapping";

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        let entries = cx.entries(id, "a mapping")?;
        let mut out = Vec::new();
        for e in &entries {
            let key_span = cx.tree.node(e.key_id).span;
            let mut slot = None;
            cx.field::<T>(&mut slot, e);
            if let Some(value) = slot {
                let key = Spanned {
                    value: e.key.to_owned(),
                    span: key_span,
                    key: key_span,
                    origin: crate::model::Origin::NONE,
                };
                out.push((key, value));
            }
        }
        Some(CodeMap(out))
    }

    fn json_schema() -> serde_json::Value {
        serde_json::json!({"type": "object", "additionalProperties": T::json_schema()})
    }
}

impl<T> Reflect for CodeMap<T> {
    fn reflect(&self) -> Value<'_> {
        Value::Str("mapping")
    }
}

/// A loaded config file.
pub struct Config {
    /// How messages name the file: relative to the current directory.
    pub shown: String,
    /// The absolute directory its relative paths start from.
    pub dir: PathBuf,
    /// The file's absolute path: never checked as a description.
    absolute: PathBuf,
    source: String,
    lines: LineIndex,
    pub file: ConfigFile,
}

/// Finds the config of a run started in `cwd`: the nearest `scalelint.yaml`
/// or `.scalelint.yaml`, walking up to the repository root (the first
/// directory holding `.git`) or the filesystem root.
pub fn find(cwd: &Path) -> Result<Option<PathBuf>, String> {
    for dir in cwd.ancestors() {
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.is_file())
            .collect();
        match found.as_slice() {
            [] => {}
            [one] => return Ok(Some(one.clone())),
            [a, b, ..] => {
                return Err(format!(
                    "{} and {} are both config files; keep one",
                    shown(a, cwd),
                    shown(b, cwd)
                ))
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Ok(None)
}

impl Config {
    /// Reads and checks a config file's shape (the rule codes it names are
    /// checked by [`Plan::new`], once the rules are known).
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, String> {
        let shown = shown(path, cwd);
        let source = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{shown}: cannot read the config: {}",
                crate::discover::io_reason(&e)
            )
        })?;
        let absolute = normalize(&cwd.join(path));
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let lines = LineIndex::new(&source);
        let mut config = Config {
            shown,
            dir,
            absolute,
            lines,
            source: String::new(),
            file: ConfigFile::default(),
        };
        // Only comments and blank lines: nothing is configured.
        if source
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(config);
        }
        let tree =
            tree::parse(&source).map_err(|e| config.error_in(&source, e.span, &e.message))?;
        let mut cx = Cx::new(&tree);
        let file = ConfigFile::from_node(&mut cx, tree.resolve(tree.root));
        let mut problems = cx.diagnostics;
        problems.sort_by_key(|d| d.span.start);
        if let Some(d) = problems.first() {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("; {h}"));
            }
            if problems.len() > 1 {
                message.push_str(&format!(
                    " ({} more problem{} in the file)",
                    problems.len() - 1,
                    if problems.len() == 2 { "" } else { "s" }
                ));
            }
            return Err(config.error_in(&source, d.span, &message));
        }
        config.file = file.unwrap_or_default();
        config.source = source;
        Ok(config)
    }

    fn error_in(&self, source: &str, span: Span, message: &str) -> String {
        let p = self.lines.position(source, span.start);
        format!("{}:{}:{}: {message}", self.shown, p.line, p.column)
    }

    /// A message about the config at `span`: `scalelint.yaml:3:5: …`.
    fn error(&self, span: Span, message: impl AsRef<str>) -> String {
        self.error_in(&self.source, span, message.as_ref())
    }

    /// A path written in the config, as the run opens it (the config's
    /// directory as shown, joined with the path).
    fn path(&self, written: &str) -> PathBuf {
        let base = Path::new(&self.shown).parent().unwrap_or(Path::new(""));
        base.join(written)
    }

    /// A file's path relative to the config's directory, `/`-separated;
    /// `None` when it lies outside.
    fn relative(&self, file: &Path, cwd: &Path) -> Option<String> {
        let abs = normalize(&cwd.join(file));
        let rel = abs.strip_prefix(&self.dir).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

/// How a path is shown: as given when relative, else relative to `cwd`
/// (`../scalelint.yaml` for a config found in a parent directory).
fn shown(path: &Path, cwd: &Path) -> String {
    if path.is_relative() {
        return path.display().to_string();
    }
    relative_to(&normalize(cwd), &normalize(path))
        .display()
        .to_string()
}

/// The path from the directory `base` to `abs`, both absolute and
/// normalized: `a/b`, or `../../c` when `abs` is not below `base`.
pub(crate) fn relative_to(base: &Path, abs: &Path) -> PathBuf {
    let common = base
        .components()
        .zip(abs.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    base.components().skip(common).for_each(|_| out.push(".."));
    abs.components().skip(common).for_each(|c| out.push(c));
    out
}

/// Removes `.` and `..` components without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What the command line says about a run; it wins over the config.
pub struct CliOptions<'a> {
    pub select: &'a [String],
    pub ignore: &'a [String],
    pub rules: &'a [PathBuf],
    pub stage: Option<u8>,
    pub load: f64,
    pub today: chrono::NaiveDate,
    /// The current directory, which relative paths on the command line
    /// start from.
    pub cwd: &'a Path,
}

/// What a layer of settings (the config's top level, or one override)
/// says about rules, as indices into the run's rules.
#[derive(Debug, Default, Clone)]
struct Layer {
    select: Option<Vec<usize>>,
    ignore: Vec<usize>,
    severity: Vec<(usize, Level)>,
    /// (rule index in the rule set, param name, value), already checked.
    params: Vec<(usize, String, RawScalar)>,
}

struct ResolvedOverride {
    files: GlobSet,
    layer: Layer,
}

/// Per-file policy the linter needs beyond its selection.
#[derive(Debug, Clone, Default)]
pub struct FilePolicy {
    /// Severities the config sets, by rule code.
    pub severity: HashMap<String, Severity>,
    pub suppressions: suppress::Policy,
}

impl FilePolicy {
    pub fn apply_severity(&self, diagnostics: &mut [crate::diagnostic::Diagnostic]) {
        if self.severity.is_empty() {
            return;
        }
        for d in diagnostics {
            if let Some(&s) = self.severity.get(d.code.as_str()) {
                d.severity = s;
            }
        }
    }
}

/// Everything a `check` run decides from the config and the command line.
pub struct Plan {
    pub config: Option<Config>,
    /// The include globs: the config's, or the defaults.
    pub include: Vec<String>,
    exclude: GlobSet,
    pub fail_on: Option<FailOnLevel>,
    /// The rules with the config's top-level params applied.
    rule_set: RuleSet,
    rules: Vec<RuleMeta>,
    base: Layer,
    overrides: Vec<ResolvedOverride>,
    cli_select: Option<Vec<usize>>,
    cli_ignore: Vec<usize>,
    suppressions: suppress::Policy,
    stage: Option<u8>,
    load: f64,
    today: chrono::NaiveDate,
    cwd: PathBuf,
}

impl Plan {
    /// The rules, the config's custom ones and top-level parameters
    /// included.
    pub fn into_rule_set(self) -> RuleSet {
        self.rule_set
    }

    /// Resolves the config (if any) against the rules: every code, param
    /// and glob it names is checked here, so a broken config fails the run
    /// before any file is read.
    pub fn new(config: Option<Config>, cli: &CliOptions<'_>) -> Result<Plan, String> {
        let mut rule_set = RuleSet::builtin().map_err(|e| e.to_string())?;
        if let Some(c) = &config {
            for dir in c.file.rules.iter().flat_map(|r| &r.value) {
                let path = c.path(&dir.value);
                if !path.is_dir() {
                    return Err(c.error(
                        dir.span,
                        format!(
                            "the rule directory `{}` ({}) does not exist; `rules` paths are relative to the config file",
                            dir.value,
                            path.display()
                        ),
                    ));
                }
                rule_set.add_dir(&path).map_err(|e| e.to_string())?;
            }
        }
        for dir in cli.rules {
            rule_set.add_dir(dir).map_err(|e| e.to_string())?;
        }
        let rules = registry::all_rules(&rule_set);

        let resolve_cli = |list: &[String]| -> Result<Vec<usize>, String> {
            let mut out = Vec::new();
            for s in list {
                out.extend(registry::resolve_selector(&rules, s)?);
            }
            Ok(out)
        };
        let cli_select = if cli.select.is_empty() {
            None
        } else {
            Some(resolve_cli(cli.select)?)
        };
        let cli_ignore = resolve_cli(cli.ignore)?;

        let mut plan = Plan {
            include: crate::discover::DEFAULT_INCLUDE
                .iter()
                .map(|s| s.to_string())
                .collect(),
            exclude: crate::discover::globset(&[])?,
            fail_on: None,
            base: Layer::default(),
            overrides: Vec::new(),
            cli_select,
            cli_ignore,
            suppressions: suppress::Policy::default(),
            stage: cli.stage,
            load: cli.load,
            today: cli.today,
            cwd: cli.cwd.to_path_buf(),
            rule_set,
            rules,
            config: None,
        };
        let Some(c) = config else {
            return Ok(plan);
        };
        let f = &c.file;
        if let Some(include) = &f.include {
            plan.include = include.value.iter().map(|s| s.value.clone()).collect();
            globs(&c, &include.value)?;
        }
        if let Some(exclude) = &f.exclude {
            plan.exclude = globs(&c, &exclude.value)?;
        }
        plan.fail_on = f.fail_on.as_ref().map(|v| v.value);
        plan.base = plan.layer(&c, &f.select, &f.ignore, &f.severity, &f.params)?;
        for (i, name, raw) in &plan.base.params {
            plan.rule_set.rules[*i]
                .set_param(name, raw)
                .map_err(|e| c.error(Span::default(), e))?;
        }
        for o in f.overrides.iter().flat_map(|o| &o.value) {
            let o = &o.value;
            let files = o.files.as_ref().map(|f| f.value.as_slice()).unwrap_or(&[]);
            let layer = plan.layer(&c, &o.select, &o.ignore, &o.severity, &o.params)?;
            plan.overrides.push(ResolvedOverride {
                files: globs(&c, files)?,
                layer,
            });
        }
        if let Some(list) = &f.unsuppressible {
            for s in &list.value {
                for i in plan.selector(&c, s)? {
                    plan.suppressions
                        .unsuppressible
                        .push(plan.rules[i].code.clone());
                }
            }
        }
        plan.suppressions.allowed = f.suppressions.as_ref().is_none_or(|s| s.value);
        plan.config = Some(c);
        Ok(plan)
    }

    /// The rule indices a selector written in the config names.
    fn selector(&self, c: &Config, s: &Spanned<String>) -> Result<Vec<usize>, String> {
        registry::resolve_selector(&self.rules, &s.value).map_err(|e| c.error(s.span, e))
    }

    fn selectors(&self, c: &Config, list: &[Spanned<String>]) -> Result<Vec<usize>, String> {
        let mut out = Vec::new();
        for s in list {
            out.extend(self.selector(c, s)?);
        }
        Ok(out)
    }

    fn layer(
        &self,
        c: &Config,
        select: &Option<Spanned<Vec<Spanned<String>>>>,
        ignore: &Option<Spanned<Vec<Spanned<String>>>>,
        severity: &Option<Spanned<CodeMap<Level>>>,
        params: &Option<Spanned<CodeMap<CodeMap<RawScalar>>>>,
    ) -> Result<Layer, String> {
        let mut layer = Layer::default();
        if let Some(s) = select {
            layer.select = Some(self.selectors(c, &s.value)?);
        }
        if let Some(s) = ignore {
            layer.ignore = self.selectors(c, &s.value)?;
        }
        for (code, level) in severity.iter().flat_map(|m| &m.value.0) {
            for i in self.selector(c, code)? {
                layer.severity.push((i, level.value));
            }
        }
        // Checked on a scratch copy: values are applied per file later.
        let mut scratch = self.rule_set.clone();
        for (code, values) in params.iter().flat_map(|m| &m.value.0) {
            let i = self.one_rule(c, code)?;
            let rule: &mut Rule = &mut scratch.rules[i];
            for (name, raw) in &values.value.0 {
                let at = if rule.param(&name.value).is_some() {
                    raw.span
                } else {
                    name.span
                };
                rule.set_param(&name.value, &raw.value)
                    .map_err(|e| c.error(at, e))?;
                layer
                    .params
                    .push((i, name.value.clone(), raw.value.clone()));
            }
        }
        Ok(layer)
    }

    /// The rule-set index of the one rule a `params` key names.
    fn one_rule(&self, c: &Config, code: &Spanned<String>) -> Result<usize, String> {
        let hits = self.selector(c, code)?;
        let exact = hits
            .iter()
            .map(|&i| &self.rules[i])
            .find(|r| r.code.eq_ignore_ascii_case(&code.value) || r.name == code.value);
        let Some(meta) = exact else {
            return Err(c.error(
                code.span,
                format!(
                    "`params` takes one rule's code or name; `{}` names {} rules",
                    code.value,
                    hits.len()
                ),
            ));
        };
        self.rule_set
            .rules
            .iter()
            .position(|r| r.code == meta.code)
            .ok_or_else(|| c.error(code.span, format!("{} has no parameters", meta.code)))
    }

    /// The run's rules, with the config's top-level params applied.
    pub fn rule_set(&self) -> &RuleSet {
        &self.rule_set
    }

    /// Whether a walked file is excluded by the config: its `exclude`
    /// globs match the path relative to the config's directory, or it is
    /// the config file itself (which a broad `include` may match).
    pub fn excludes(&self, file: &Path) -> bool {
        let Some(c) = &self.config else {
            return false;
        };
        normalize(&self.cwd.join(file)) == c.absolute
            || c.relative(file, &self.cwd)
                .is_some_and(|rel| self.exclude.is_match(rel))
    }

    /// The include globs, compiled.
    pub fn include_set(&self) -> Result<GlobSet, String> {
        crate::discover::globset(&self.include)
    }

    /// One linter per distinct set of overrides the files match, and the
    /// index of each file's linter. `files` are paths as reported.
    pub fn linters(&self, files: &[String]) -> Result<(Vec<Linter>, Vec<usize>), String> {
        let mut by_key: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut linters = Vec::new();
        let mut index = Vec::with_capacity(files.len());
        for file in files {
            let key = self.matching_overrides(file);
            let i = match by_key.get(&key) {
                Some(&i) => i,
                None => {
                    linters.push(self.linter(&key)?);
                    by_key.insert(key, linters.len() - 1);
                    linters.len() - 1
                }
            };
            index.push(i);
        }
        Ok((linters, index))
    }

    fn matching_overrides(&self, file: &str) -> Vec<usize> {
        let Some(c) = &self.config else {
            return Vec::new();
        };
        let Some(rel) = c.relative(Path::new(file), &self.cwd) else {
            return Vec::new();
        };
        self.overrides
            .iter()
            .enumerate()
            .filter(|(_, o)| o.files.is_match(&rel))
            .map(|(i, _)| i)
            .collect()
    }

    /// The linter for files that match the given overrides. Precedence,
    /// lowest first: the config's top level, the overrides in order, the
    /// command line (`--select` starts over: it names exactly what runs).
    fn linter(&self, overrides: &[usize]) -> Result<Linter, String> {
        let n = self.rules.len();
        let mut enabled = vec![true; n];
        let mut off = vec![false; n];
        let mut level: Vec<Option<Severity>> = vec![None; n];
        let mut rule_set = self.rule_set.clone();
        let layers =
            std::iter::once(&self.base).chain(overrides.iter().map(|&i| &self.overrides[i].layer));
        for (depth, layer) in layers.enumerate() {
            if let Some(select) = &layer.select {
                if depth == 0 {
                    enabled.iter_mut().for_each(|e| *e = false);
                }
                select.iter().for_each(|&i| enabled[i] = true);
            }
            layer.ignore.iter().for_each(|&i| enabled[i] = false);
            for &(i, l) in &layer.severity {
                off[i] = l == Level::Off;
                level[i] = match l {
                    Level::Error => Some(Severity::Error),
                    Level::Warning => Some(Severity::Warning),
                    Level::Info => Some(Severity::Info),
                    Level::Off => None,
                };
            }
            if depth > 0 {
                for (i, name, raw) in &layer.params {
                    rule_set.rules[*i].set_param(name, raw)?;
                }
            }
        }
        if let Some(select) = &self.cli_select {
            enabled.iter_mut().for_each(|e| *e = false);
            for &i in select {
                enabled[i] = true;
                off[i] = false;
            }
        }
        self.cli_ignore.iter().for_each(|&i| enabled[i] = false);
        let flags: Vec<bool> = enabled.iter().zip(&off).map(|(e, o)| *e && !o).collect();
        let severity = self
            .rules
            .iter()
            .zip(&level)
            .filter_map(|(r, l)| l.map(|l| (r.code.clone(), l)))
            .collect();
        Ok(Linter {
            rules: self.rules.clone(),
            selection: Selection::from_flags(flags),
            rule_set,
            stage: self.stage,
            load: self.load,
            today: self.today,
            policy: FilePolicy {
                severity,
                suppressions: self.suppressions.clone(),
            },
        })
    }
}

/// Compiles globs written in the config, pointing at a malformed one.
fn globs(c: &Config, list: &[Spanned<String>]) -> Result<GlobSet, String> {
    let mut b = globset::GlobSetBuilder::new();
    for g in list {
        let glob = globset::Glob::new(&g.value)
            .map_err(|e| c.error(g.span, format!("invalid glob `{}`: {}", g.value, e.kind())))?;
        b.add(glob);
    }
    b.build().map_err(|e| e.to_string())
}
