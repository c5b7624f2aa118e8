//! Evaluating rules on one file: selecting entities, reading fields (with
//! the load projection applied), testing filters, running checks, and
//! turning findings into diagnostics.

use super::spec::{Is, Selector};
use super::{Check, Cond, Direction, Levels, Rule, RuleCheck, Test};
use crate::checks;
use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::model::derived::{items, Facts};
use crate::model::reflect::{lookup, Field, FieldPath, Record, Unit, Value};
use crate::model::units::{fmt_num, Availability, Bytes, Duration, Ratio};
use crate::model::{Architecture, Spanned};
use crate::span::Span;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Everything a rule sees of one file.
pub struct Ctx<'m> {
    pub model: &'m Architecture,
    pub facts: &'m Facts<'m>,
    /// `--load` (1.0: today's traffic).
    pub load: f64,
    pub today: chrono::NaiveDate,
    /// What several rules read of the file, made once, when first asked
    /// for (rules of a large file run on several threads): each
    /// selector's entities, and the dependency graph.
    entities: [OnceLock<Vec<Entity<'m>>>; Selector::ALL.len()],
    graph: OnceLock<checks::graph::Graph<'m>>,
}

/// One selected thing a rule looks at.
#[derive(Clone, Copy)]
pub struct Entity<'m> {
    pub record: &'m dyn Record,
    pub kind: Selector,
    /// Its `name` (the system's name for `system`; the service's for a dependency).
    pub name: Option<&'m Spanned<String>>,
    /// Its place in its list (for a dependency: in its service's `depends_on`).
    pub index: usize,
}

/// What a check found: the engine renders the rule's templates with `vars`.
pub struct Finding {
    pub severity: Severity,
    pub span: Span,
    pub labels: Vec<Label>,
    pub vars: Vec<(&'static str, Var)>,
    pub fix: Option<Fix>,
    /// Replaces the rule's message (a run-time evaluation error).
    pub message: Option<String>,
    /// Where the value is written when it came through an alias.
    pub origin: Option<Span>,
}

/// A finding's template variable: a text (borrowed when it is known when
/// the rule is written, like `level`), or a number written in its unit
/// straight into the message when a template uses it.
pub enum Var {
    Text(std::borrow::Cow<'static, str>),
    Quantity(f64, Unit),
}

impl Var {
    /// Appends the variable's text.
    fn write(&self, out: &mut String) {
        match self {
            Var::Text(t) => out.push_str(t),
            Var::Quantity(v, unit) => write_quantity(out, *v, *unit),
        }
    }
}

impl Finding {
    pub fn new(severity: Severity, span: Span) -> Finding {
        Finding {
            severity,
            span,
            labels: Vec::new(),
            // Room for a threshold's four variables without regrowing.
            vars: Vec::with_capacity(4),
            fix: None,
            message: None,
            origin: None,
        }
    }

    /// Labels where an aliased value is written.
    pub fn origin(mut self, origin: Option<Span>) -> Finding {
        self.origin = origin;
        self
    }

    pub fn var(
        mut self,
        name: &'static str,
        value: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Finding {
        self.vars.push((name, Var::Text(value.into())));
        self
    }

    /// A plain number (`fmt_num`).
    pub fn num(self, name: &'static str, value: f64) -> Finding {
        self.quantity(name, value, Unit::Number)
    }

    /// A quantity in its unit ([`fmt_quantity`]).
    pub fn quantity(mut self, name: &'static str, value: f64, unit: Unit) -> Finding {
        self.vars.push((name, Var::Quantity(value, unit)));
        self
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

/// The template variables a check provides (beyond the params).
pub fn variables(check: &Check, select: Selector) -> Vec<&'static str> {
    let mut v = vec!["name", "load"];
    if select == Selector::Dependencies {
        v.extend(["service", "target"]);
    }
    v.extend(match check {
        Check::Threshold { .. } => &["value", "limit", "level", "field"][..],
        Check::Ratio { .. } => &["value", "limit", "level", "numerator", "denominator"][..],
        Check::Match { .. } | Check::Cel { .. } => &["value"][..],
        Check::Formula(f) => checks::formula::variables(*f),
        Check::Graph(_) => &["path", "hops", "edges"][..],
        Check::Stage(_) => &["declared", "implied", "users"][..],
        Check::Premature => &["item", "kind"][..],
        Check::Global(g) => checks::global::variables(*g),
    });
    v
}

/// Fields that grow with traffic under `--load` (RULES.md "Load projection").
fn scales_with_load(kind: Selector, path: &str) -> bool {
    match kind {
        Selector::System => matches!(path, "system.users" | "system.peak_rps"),
        Selector::Services => matches!(path, "metrics.rps" | "metrics.cpu"),
        Selector::Databases => matches!(
            path,
            "metrics.reads_per_sec"
                | "metrics.writes_per_sec"
                | "metrics.connections"
                | "metrics.cpu"
        ),
        _ => false,
    }
}

/// What an absent field means, where the format gives a default.
fn default_value(kind: Selector, path: &str) -> Option<Value<'static>> {
    Some(match (kind, path) {
        (Selector::Services, "kind") => Value::Str("api"),
        (Selector::Services, "instances") => Value::Quantity(1.0, Unit::Count),
        (Selector::Dependencies, "mode") => Value::Str("sync"),
        (Selector::Dependencies, "critical") => Value::Bool(true),
        (Selector::Databases, "spindles") => Value::Quantity(1.0, Unit::Count),
        (Selector::System, "system.growth") => Value::Quantity(1.0, Unit::Number),
        (Selector::System, "system.safety_margin") => Value::Quantity(1.5, Unit::Number),
        _ => return None,
    })
}

/// The derived facts ([`Ctx::derived`]) each selector reads: what rule
/// files' `$` paths are checked against.
pub const DERIVED: &[(Selector, &str)] = &[
    (Selector::Services, "max_instances"),
    (Selector::Dependencies, "target_kind"),
    (Selector::Databases, "replica_count"),
    (Selector::Databases, "cross_region_replicas"),
    (Selector::Databases, "replica_reads"),
    (Selector::Databases, "cached"),
    (Selector::System, "regions"),
];

impl<'m> Ctx<'m> {
    /// What the rules see of one file, at a load factor and a date; what
    /// they share is made when first asked for.
    pub fn new(
        model: &'m Architecture,
        facts: &'m Facts<'m>,
        load: f64,
        today: chrono::NaiveDate,
    ) -> Ctx<'m> {
        Ctx {
            model,
            facts,
            load,
            today,
            entities: Default::default(),
            graph: OnceLock::new(),
        }
    }

    /// The file's synchronous service-to-service graph (SL006, SL308).
    pub(crate) fn graph(&self) -> &checks::graph::Graph<'m> {
        self.graph.get_or_init(|| checks::graph::Graph::new(self))
    }

    /// Reads a field of an entity, projected to the load factor.
    ///
    /// `path` is dotted and relative to the entity (`metrics.cpu`); a leading
    /// `/` starts at the file's root (`/load_balancer.enabled`), and a `$`
    /// names a derived fact (`$max_instances`, see [`Ctx::derived`]).
    pub fn field(&self, e: &Entity<'m>, path: &str) -> Option<Field<'m>> {
        self.read_with(e, path, lookup)
    }

    /// [`Ctx::field`] for a rule's own path, which remembers where its
    /// fields are.
    pub fn read(&self, e: &Entity<'m>, path: &FieldPath) -> Option<Field<'m>> {
        self.read_with(e, path.as_str(), |record, rel| path.read(record, rel))
    }

    fn read_with(
        &self,
        e: &Entity<'m>,
        path: &str,
        read: impl FnOnce(&'m dyn Record, &str) -> Option<Field<'m>>,
    ) -> Option<Field<'m>> {
        if let Some(name) = path.strip_prefix('$') {
            return self.derived(e, name);
        }
        let (record, kind, path) = match path.strip_prefix('/') {
            Some(rest) => (self.model as &dyn Record, Selector::System, rest),
            None => (e.record, e.kind, path),
        };
        let mut f = read(record, path)?;
        if self.load != 1.0 && scales_with_load(kind, path) {
            if let Value::Quantity(v, u) = f.value {
                f.value = Value::Quantity(v * self.load, u);
            }
        }
        Some(f)
    }

    /// A field's number, when present and a quantity.
    pub fn number(&self, e: &Entity<'m>, path: &str) -> Option<f64> {
        self.field(e, path).and_then(|f| f.value.as_f64())
    }

    /// The entities a selector picks, in file order.
    pub fn entities(&self, kind: Selector) -> &[Entity<'m>] {
        self.entities[kind as usize].get_or_init(|| self.list_entities(kind))
    }

    fn list_entities(&self, kind: Selector) -> Vec<Entity<'m>> {
        let m = self.model;
        fn list<'m, T: Record>(
            v: &'m Option<Spanned<Vec<Spanned<T>>>>,
            kind: Selector,
            name: impl Fn(&'m T) -> Option<&'m Spanned<String>>,
        ) -> Vec<Entity<'m>> {
            items(v)
                .enumerate()
                .map(|(index, s)| Entity {
                    record: &s.value,
                    kind,
                    name: name(&s.value),
                    index,
                })
                .collect()
        }
        match kind {
            Selector::System => vec![Entity {
                record: m,
                kind,
                name: m.system.as_ref().and_then(|s| s.value.name.as_ref()),
                index: 0,
            }],
            Selector::Services => list(&m.services, kind, |s| s.name.as_ref()),
            Selector::Databases => list(&m.databases, kind, |s| s.name.as_ref()),
            Selector::Caches => list(&m.caches, kind, |s| s.name.as_ref()),
            Selector::Queues => list(&m.queues, kind, |s| s.name.as_ref()),
            Selector::Regions => list(&m.regions, kind, |s| s.name.as_ref()),
            Selector::Data => list(&m.data, kind, |s| s.name.as_ref()),
            Selector::Dependencies => items(&m.services)
                .flat_map(|svc| {
                    items(&svc.value.depends_on)
                        .enumerate()
                        .map(move |(di, d)| Entity {
                            record: &d.value,
                            kind,
                            name: svc.value.name.as_ref(),
                            index: di,
                        })
                })
                .collect(),
        }
    }

    /// Facts that are no single field but that rules need; they read as
    /// fields named with a `$` (listed in [`DERIVED`]) and point at the
    /// entity's name.
    ///
    /// - services: `$max_instances` (autoscaling.max, else instances, else 1)
    /// - dependencies: `$target_kind` (service, database, cache or queue)
    /// - databases: `$replica_count` (replicas.count, 0 when absent),
    ///   `$cross_region_replicas` (replica regions other than its own),
    ///   `$cached` (a cache `backs` it), `$replica_reads` (a dependency on
    ///   it reads from replicas)
    /// - system: `$regions` (the number of declared regions)
    pub fn derived(&self, e: &Entity<'m>, name: &str) -> Option<Field<'m>> {
        let m = self.model;
        let value = match (e.kind, name) {
            (Selector::Services, "max_instances") => {
                let svc = &items(&m.services).nth(e.index)?.value;
                let max = svc
                    .autoscaling
                    .as_ref()
                    .and_then(|a| a.value.max.as_ref())
                    .or(svc.instances.as_ref());
                Value::Quantity(max.map_or(1.0, |c| c.value.0 as f64), Unit::Count)
            }
            (Selector::Dependencies, "target_kind") => {
                let target = lookup(e.record, "target")?;
                let Value::Str(t) = target.value else {
                    return None;
                };
                Value::Str(self.facts.names.get(t)?.kind.as_str())
            }
            (Selector::Databases, "replica_count") => {
                let db = &items(&m.databases).nth(e.index)?.value;
                let count = db
                    .replicas
                    .as_ref()
                    .and_then(|r| r.value.count.as_ref())
                    .map_or(0, |c| c.value.0);
                Value::Quantity(count as f64, Unit::Count)
            }
            (Selector::Databases, "cross_region_replicas") => {
                let db = &items(&m.databases).nth(e.index)?.value;
                // A database without `region` is in the first region (or the implicit one).
                let first = items(&m.regions)
                    .next()
                    .and_then(|r| r.value.name.as_ref())
                    .map(|n| n.value.as_str());
                let home = db.region.as_ref().map(|r| r.value.as_str()).or(first);
                let replicas = db.replicas.as_ref().map(|r| &r.value);
                let has_any =
                    replicas.is_some_and(|r| r.count.as_ref().is_none_or(|c| c.value.0 > 0));
                let others = if has_any {
                    replicas.map_or(0, |r| {
                        items(&r.regions)
                            .filter(|x| Some(x.value.as_str()) != home)
                            .count()
                    })
                } else {
                    0
                };
                Value::Quantity(others as f64, Unit::Count)
            }
            (Selector::Databases, "replica_reads") => {
                let reads = self.facts.db_dependents.get(e.index).is_some_and(|deps| {
                    deps.iter().any(|&(si, di)| {
                        let dep = items(&m.services)
                            .nth(si)
                            .and_then(|s| items(&s.value.depends_on).nth(di));
                        dep.and_then(|d| d.value.reads_from.as_ref())
                            .is_some_and(|r| r.value == crate::model::ReadsFrom::Replica)
                    })
                });
                Value::Bool(reads)
            }
            (Selector::Databases, "cached") => Value::Bool(
                self.facts
                    .cache_backs
                    .iter()
                    .any(|dbs| dbs.contains(&e.index)),
            ),
            (Selector::System, "regions") => {
                Value::Quantity(items(&m.regions).len() as f64, Unit::Count)
            }
            _ => return None,
        };
        let span = self.entity_span(e);
        Some(Field {
            value,
            span,
            key: span,
            origin: None,
        })
    }

    /// Where a diagnostic about an entity as a whole points: its name, else
    /// the system's name, else the start of the file.
    pub fn entity_span(&self, e: &Entity<'m>) -> Span {
        e.name
            .map(|n| n.span)
            .or_else(|| self.system_name_span())
            .unwrap_or_default()
    }

    pub fn system_name_span(&self) -> Option<Span> {
        self.model
            .system
            .as_ref()?
            .value
            .name
            .as_ref()
            .map(|n| n.span)
    }

    /// The first of `at` that exists: a value's own span, or a section's key.
    pub fn point_at(&self, e: &Entity<'m>, at: &[String]) -> (Span, Option<Field<'m>>) {
        for path in at {
            if let Some(f) = self.field(e, path) {
                // A section or a non-empty list: its key (`regions:`); an
                // empty list or a value: the value (`compliance: []`).
                let span = match f.value {
                    Value::Record(_) => f.key,
                    Value::List(l) if !l.is_empty() => f.key,
                    _ => f.span,
                };
                return (span, Some(f));
            }
        }
        (self.entity_span(e), None)
    }

    fn passes(&self, e: &Entity<'m>, c: &Cond) -> bool {
        if let Test::Any(conds) = &c.test {
            return conds.iter().any(|c| self.passes(e, c));
        }
        let value = self
            .read(e, &c.field)
            .map(|f| f.value)
            .or_else(|| default_value(e.kind, c.field.as_str()));
        match (&c.test, value) {
            (Test::Is(Is::Present), v) => v.is_some(),
            (Test::Is(Is::Absent), v) => v.is_none(),
            (Test::Is(Is::True), v) => matches!(v, Some(Value::Bool(true))),
            (Test::Is(Is::False), v) => matches!(v, Some(Value::Bool(false))),
            (Test::Is(Is::NotTrue), v) => !matches!(v, Some(Value::Bool(true))),
            (Test::Is(Is::Empty), v) => match v {
                None => true,
                Some(Value::List(l)) => l.is_empty(),
                Some(_) => false,
            },
            (Test::Equals(x), Some(v)) => text_matches(&v, |t| t == x) == Some(true),
            (Test::NotEquals(x), Some(v)) => text_matches(&v, |t| t != x) != Some(false),
            (Test::NotEquals(_), None) => true,
            (Test::OneOf(xs), Some(v)) => {
                text_matches(&v, |t| xs.iter().any(|x| x == t)) == Some(true)
            }
            (Test::NoneOf(xs), Some(v)) => {
                text_matches(&v, |t| !xs.iter().any(|x| x == t)) != Some(false)
            }
            (Test::NoneOf(_), None) => true,
            (Test::Above(x), Some(v)) => v.as_f64().is_some_and(|n| n > *x),
            (Test::Below(x), Some(v)) => v.as_f64().is_some_and(|n| n < *x),
            (Test::OlderThanDays(days), Some(Value::Date(d))) => {
                (self.today - d).num_days() > *days
            }
            (Test::OlderThanDays(_), Some(_)) => false,
            (Test::Any(conds), _) => conds.iter().any(|c| self.passes(e, c)),
            (_, None) => false,
        }
    }
}

/// Tests the text of a value (see [`value_text`]) without copying a string.
fn text_matches(v: &Value<'_>, test: impl Fn(&str) -> bool) -> Option<bool> {
    match v {
        Value::Str(s) => Some(test(s)),
        Value::Bool(b) => Some(test(if *b { "true" } else { "false" })),
        // Numbers are written in a buffer that is reused, not a new string.
        Value::Quantity(n, _) => crate::diagnostic::with_scratch(|text| {
            crate::model::units::write_num(text, *n);
            Some(test(text))
        }),
        _ => value_text(v).map(|t| test(&t)),
    }
}

/// A value as the text a condition compares with.
fn value_text(v: &Value<'_>) -> Option<String> {
    match v {
        Value::Str(s) => Some((*s).to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Quantity(n, _) => Some(fmt_num(*n)),
        Value::Date(d) => Some(d.to_string()),
        _ => None,
    }
}

/// Appends [`fmt_quantity`]'s text.
pub fn write_quantity(out: &mut String, v: f64, unit: Unit) {
    match unit {
        Unit::Rate | Unit::Count | Unit::Number => crate::model::units::write_num(out, v),
        Unit::Ratio => Ratio(v).write(out),
        Unit::Duration => Duration { ms: v }.write(out),
        Unit::Availability => Availability(v).write(out),
        Unit::Size => out.push_str(&fmt_quantity(v, unit)),
    }
}

/// A quantity as users write it: `72%`, `420ms`, `15GB`, `99.95%`, `1200`.
pub fn fmt_quantity(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Ratio => Ratio(v).text(),
        Unit::Duration => Duration { ms: v }.to_string(),
        Unit::Size => Bytes(v).to_string(),
        Unit::Availability => Availability(v).text(),
        Unit::Rate | Unit::Count | Unit::Number => fmt_num(v),
    }
}

/// Runs every rule of the set that applies at the effective stage and that
/// `enabled` lets through.
///
/// The diagnostics are in rule order, each rule's in the order it found
/// them, whether the rules ran one after the other or, for a large model
/// (see [`worth_parallel`]), in parallel.
pub fn run_all(
    rules: &super::RuleSet,
    ctx: &Ctx<'_>,
    enabled: &dyn Fn(&Rule) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    join(out, run_parts(rules, ctx, enabled));
}

/// [`run_all`]'s diagnostics in parts, in order, not yet joined: a caller
/// can free the model before the joined vector takes its memory.
pub fn run_parts(
    rules: &super::RuleSet,
    ctx: &Ctx<'_>,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Vec<Vec<Diagnostic>> {
    let chosen: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|rule| rule.applies_at(ctx.facts.stage) && enabled(rule))
        .collect();
    if chosen.len() > 1 && worth_parallel(ctx.model) {
        use rayon::prelude::*;
        chosen
            .par_iter()
            .with_max_len(1)
            .map(|rule| {
                let mut found = Vec::new();
                run(rule, ctx, &mut found);
                // The parts are all held until they are joined: no slack.
                found.shrink_to_fit();
                found
            })
            .collect()
    } else {
        let mut found = Vec::new();
        for rule in chosen {
            run(rule, ctx, &mut found);
        }
        vec![found]
    }
}

/// Appends the parts to `out`, in order, with one exact reservation.
pub fn join(out: &mut Vec<Diagnostic>, parts: Vec<Vec<Diagnostic>>) {
    if out.is_empty() && parts.len() == 1 {
        *out = parts.into_iter().next().unwrap_or_default();
        return;
    }
    out.reserve_exact(parts.iter().map(Vec::len).sum());
    for mut part in parts {
        out.append(&mut part);
    }
}

/// Whether a model is large enough for the work on it to be split between
/// threads. Small files are checked in parallel with each other instead,
/// and splitting their work too would only add overhead.
pub fn worth_parallel(m: &Architecture) -> bool {
    const ENTITIES: usize = 1_000;
    let services = items(&m.services).len();
    services
        + items(&m.databases).len()
        + items(&m.caches).len()
        + items(&m.queues).len()
        + items(&m.regions).len()
        + items(&m.data).len()
        >= ENTITIES
}

/// What every diagnostic of a rule shares, whatever the file: made once
/// per rule, at its first finding, and kept in the rule.
#[derive(Debug, Clone)]
pub struct RuleTexts {
    /// The rule's code and name, shared by its diagnostics.
    code: crate::diagnostic::Shared,
    name: crate::diagnostic::Shared,
    /// Each parameter's value in force, formatted in its unit.
    params: Vec<(String, String)>,
}

impl RuleTexts {
    fn of(rule: &Rule) -> &RuleTexts {
        rule.texts.get_or_init(|| {
            let mut params: Vec<(String, String)> = Vec::with_capacity(rule.params.len());
            for p in &rule.params {
                // The first parameter of a name is the one a template sees.
                if params.iter().any(|(n, _)| *n == p.name) {
                    continue;
                }
                let unit = match p.unit {
                    super::spec::ParamType::Ratio => Unit::Ratio,
                    super::spec::ParamType::Duration => Unit::Duration,
                    super::spec::ParamType::Size => Unit::Size,
                    super::spec::ParamType::Availability => Unit::Availability,
                    _ => Unit::Number,
                };
                params.push((p.name.clone(), fmt_quantity(p.value, unit)));
            }
            RuleTexts {
                code: rule.code.as_str().into(),
                name: rule.name.as_str().into(),
                params,
            }
        })
    }
}

/// What every diagnostic of one rule on one file may say beyond its
/// finding's own variables.
struct RuleVars<'r> {
    texts: &'r RuleTexts,
    /// The load factor (`2×`), written when a template first asks.
    load: std::cell::OnceCell<String>,
    factor: f64,
}

impl<'r> RuleVars<'r> {
    fn new(rule: &'r Rule, ctx: &Ctx<'_>) -> RuleVars<'r> {
        RuleVars {
            texts: RuleTexts::of(rule),
            load: std::cell::OnceCell::new(),
            factor: ctx.load,
        }
    }

    fn load(&self) -> &str {
        self.load
            .get_or_init(|| format!("{}×", fmt_num(self.factor)))
    }
}

/// Runs one rule on one file.
pub fn run(rule: &Rule, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let vars = RuleVars::new(rule, ctx);
    let mut selected: Option<Cow<[Entity<'_>]>> = None;
    for RuleCheck { filter, check } in &rule.checks {
        let whole_file = match check {
            Check::Graph(walk) => checks::graph::run(*walk, rule, ctx),
            Check::Stage(s) => checks::stage::run(*s, ctx),
            Check::Premature => checks::stage::premature(rule, ctx),
            Check::Global(g) => checks::global::run(*g, rule, ctx),
            _ => {
                // The entities that pass the rule's own filter, shared by its checks.
                let selected = selected.get_or_insert_with(|| {
                    let all = ctx.entities(rule.select);
                    if rule.filter.is_empty() {
                        Cow::Borrowed(all)
                    } else {
                        all.iter()
                            .filter(|e| rule.filter.iter().all(|c| ctx.passes(e, c)))
                            .copied()
                            .collect()
                    }
                });
                for e in selected.iter() {
                    if !filter.iter().all(|c| ctx.passes(e, c)) {
                        continue;
                    }
                    evaluate(check, rule, ctx, e, &mut |f| {
                        out.push(diagnostic(rule, ctx, &vars, Some(e), f));
                    });
                }
                continue;
            }
        };
        out.reserve(whole_file.len());
        for f in whole_file {
            out.push(diagnostic(rule, ctx, &vars, None, f));
        }
    }
}

fn evaluate<'m>(
    check: &Check,
    rule: &Rule,
    ctx: &Ctx<'m>,
    e: &Entity<'m>,
    found: &mut dyn FnMut(Finding),
) {
    match check {
        Check::Threshold { field, bounds } => {
            if let Some(f) = threshold(rule, ctx, e, field, bounds) {
                found(f);
            }
        }
        Check::Ratio {
            numerator,
            denominator,
            levels,
        } => {
            if let Some(f) = ratio(rule, ctx, e, numerator, denominator, levels) {
                found(f);
            }
        }
        Check::Match { at } => {
            let (span, field) = ctx.point_at(e, at);
            let value = field.and_then(|f| value_text(&f.value)).unwrap_or_default();
            let origin = field.and_then(|f| f.origin);
            found(
                Finding::new(rule.severity, span)
                    .origin(origin)
                    .var("value", value),
            );
        }
        Check::Formula(f) => checks::formula::run(*f, rule, ctx, e)
            .into_iter()
            .for_each(found),
        Check::Cel { program, at } => checks::cel::run(program, rule, ctx, e, at)
            .into_iter()
            .for_each(found),
        Check::Graph(_) | Check::Stage(_) | Check::Premature | Check::Global(_) => {}
    }
}

/// The highest level whose limit the value passes, with that limit.
fn level(
    rule: &Rule,
    levels: &Levels,
    value: f64,
    direction: Direction,
) -> Option<(Severity, f64)> {
    levels.iter().find_map(|&(sev, p)| {
        let limit = rule.params[p].value;
        let hit = match direction {
            Direction::Above => value > limit,
            Direction::Below => value < limit,
        };
        hit.then_some((sev, limit))
    })
}

fn threshold<'m>(
    rule: &Rule,
    ctx: &Ctx<'m>,
    e: &Entity<'m>,
    path: &FieldPath,
    bounds: &[(Direction, Levels)],
) -> Option<Finding> {
    let f = ctx.read(e, path)?;
    let Value::Quantity(v, unit) = f.value else {
        return None;
    };
    let (sev, limit) = bounds
        .iter()
        .filter_map(|(d, levels)| level(rule, levels, v, *d))
        .max_by_key(|(sev, _)| *sev)?;
    Some(
        Finding::new(sev, f.span)
            .origin(f.origin)
            .quantity("value", v, unit)
            .quantity("limit", limit, unit)
            .var("level", sev.as_str())
            .var("field", path.as_str().to_owned()),
    )
}

fn ratio<'m>(
    rule: &Rule,
    ctx: &Ctx<'m>,
    e: &Entity<'m>,
    num: &FieldPath,
    den: &FieldPath,
    levels: &Levels,
) -> Option<Finding> {
    let n = ctx.read(e, num)?;
    let d = ctx.read(e, den)?;
    let (Value::Quantity(nv, nu), Value::Quantity(dv, du)) = (n.value, d.value) else {
        return None;
    };
    if dv <= 0.0 {
        return None;
    }
    let r = nv / dv;
    let (sev, limit) = level(rule, levels, r, Direction::Above)?;
    Some(
        Finding::new(sev, n.span)
            .origin(n.origin)
            .label(
                d.span,
                format!("{}: {}", den.as_str(), fmt_quantity(dv, du)),
            )
            .quantity("value", r, Unit::Ratio)
            .quantity("limit", limit, Unit::Ratio)
            .var("level", sev.as_str())
            .quantity("numerator", nv, nu)
            .quantity("denominator", dv, du),
    )
}

fn diagnostic(
    rule: &Rule,
    ctx: &Ctx<'_>,
    common: &RuleVars<'_>,
    e: Option<&Entity<'_>>,
    f: Finding,
) -> Diagnostic {
    // Whole-file checks (graphs, stages, global ones) speak of the system.
    let system = || {
        ctx.model
            .system
            .as_ref()
            .and_then(|s| s.value.name.as_ref())
    };
    let name: Option<&str> = e.map_or_else(system, |e| e.name).map(|n| n.value.as_str());
    let dependency = e.filter(|e| e.kind == Selector::Dependencies);
    let target: Option<std::borrow::Cow<'_, str>> =
        dependency.map(|e| match lookup(e.record, "target").map(|f| f.value) {
            Some(Value::Str(s)) => std::borrow::Cow::Borrowed(s),
            v => std::borrow::Cow::Owned(v.and_then(|v| value_text(&v)).unwrap_or_default()),
        });
    // The variables in the order a template looks them up: the finding's,
    // the entity's, the load factor, the parameters.
    let var = |n: &str, out: &mut String| -> bool {
        if let Some((_, v)) = f.vars.iter().find(|(k, _)| *k == n) {
            v.write(out);
            return true;
        }
        let text = match n {
            "name" if name.is_some() => name,
            "service" if dependency.is_some() => Some(name.unwrap_or_default()),
            "target" if dependency.is_some() => target.as_deref(),
            "load" => Some(common.load()),
            _ => common
                .texts
                .params
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str()),
        };
        text.map(|t| out.push_str(t)).is_some()
    };
    let mut message = match &f.message {
        Some(m) => m.clone(),
        None => rule.message.render_with(var),
    };
    if ctx.load != 1.0 {
        message = format!("at {}× load: {message}", fmt_num(ctx.load));
    }
    let help = rule.help.as_ref().map(|h| h.render_with(var));
    let mut d = Diagnostic::shared(
        common.texts.code.clone(),
        common.texts.name.clone(),
        f.severity,
        f.span,
        message,
    );
    d.help = help;
    // Sized exactly: a large file's diagnostics are held together.
    let mut labels = Vec::with_capacity(f.labels.len() + usize::from(f.origin.is_some()));
    labels.extend(f.labels);
    if let Some(origin) = f.origin {
        labels.push(crate::diagnostic::Label {
            span: origin,
            message: "the value comes from this anchor".into(),
        });
    }
    d.labels = labels;
    d.fix = f.fix.map(Box::new);
    d.load = ctx.load;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path of the built-in rules, read through its noted positions,
    /// reads what the same path read by name does, on every entity of every
    /// fixture, with the paths shared from file to file as in a run; and
    /// a path first read where its section is absent reads the field once
    /// it is present, and nothing again where it is absent.
    #[test]
    fn field_paths_read_what_names_read() {
        fn paths<'r>(conds: &'r [Cond], out: &mut Vec<&'r FieldPath>) {
            for c in conds {
                match &c.test {
                    Test::Any(any) => paths(any, out),
                    _ => out.push(&c.field),
                }
            }
        }
        let rules = super::super::RuleSet::builtin().expect("built-in rules compile");
        // The fixtures and those of their folders (each rule's, the examples).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let p = entry.expect("an entry").path();
            if p.is_dir() {
                files.extend(
                    std::fs::read_dir(&p)
                        .expect("a folder of fixtures")
                        .map(|e| e.expect("an entry").path()),
                );
            } else {
                files.push(p);
            }
        }
        files.retain(|p| p.to_string_lossy().ends_with(".arch.yaml"));
        files.sort();
        assert!(files.len() > 100, "{}", files.len());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date");
        let mut reads = 0;
        for file in &files {
            let source = std::fs::read_to_string(file).expect("a fixture");
            let loaded = crate::load::load(&source);
            let Some(model) = loaded.model else { continue };
            let facts = Facts::new(&model, None, 1.0, &mut Vec::new());
            for load in [1.0, 3.0] {
                let ctx = Ctx::new(&model, &facts, load, today);
                for rule in &rules.rules {
                    let mut list = Vec::new();
                    paths(&rule.filter, &mut list);
                    for RuleCheck { filter, check } in &rule.checks {
                        paths(filter, &mut list);
                        match check {
                            Check::Threshold { field, .. } => list.push(field),
                            Check::Ratio {
                                numerator,
                                denominator,
                                ..
                            } => list.extend([numerator, denominator]),
                            _ => {}
                        }
                    }
                    for e in ctx.entities(rule.select) {
                        for path in &list {
                            let by_name = ctx.field(e, path.as_str());
                            let noted = ctx.read(e, path);
                            assert_eq!(
                                format!("{noted:?}"),
                                format!("{by_name:?}"),
                                "{} {} in {}",
                                rule.code,
                                path.as_str(),
                                file.display()
                            );
                            reads += usize::from(by_name.is_some());
                        }
                    }
                }
            }
        }
        assert!(reads > 1000, "{reads}");

        let source = "version: 1\nservices:\n  - name: a\n  - name: b\n    metrics: {cpu: 50%}\n";
        let model = crate::load::load(source).model.expect("it loads");
        let facts = Facts::new(&model, None, 1.0, &mut Vec::new());
        let ctx = Ctx::new(&model, &facts, 1.0, today);
        let path = FieldPath::new("metrics.cpu".into());
        let [a, b] = ctx.entities(Selector::Services) else {
            panic!("two services")
        };
        assert!(ctx.read(a, &path).is_none());
        assert!(ctx.read(b, &path).is_some());
        assert!(ctx.read(a, &path).is_none());
        assert_eq!(
            format!("{:?}", ctx.read(b, &path)),
            format!("{:?}", ctx.field(b, "metrics.cpu"))
        );
    }

    /// `DERIVED`, which rule files' `$` paths are checked against, lists
    /// exactly the facts `Ctx::derived` serves.
    #[test]
    fn derived_facts_are_those_listed() {
        let source = include_str!("../../fixtures/examples/shop.arch.yaml");
        let loaded = crate::load::load(source);
        let model = loaded.model.expect("the example loads");
        let mut found = Vec::new();
        let facts = Facts::new(&model, None, 1.0, &mut found);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date");
        let ctx = Ctx::new(&model, &facts, 1.0, today);
        let names: Vec<&str> = DERIVED.iter().map(|(_, n)| *n).collect();
        use Selector::*;
        let all = [
            System,
            Services,
            Databases,
            Caches,
            Queues,
            Dependencies,
            Regions,
            Data,
        ];
        assert_eq!(all.len(), Selector::ALL.len());
        for select in all {
            let entities = ctx.entities(select);
            let has_facts = DERIVED.iter().any(|(s, _)| *s == select);
            assert!(
                !entities.is_empty() || !has_facts,
                "the example has {select}"
            );
            for name in &names {
                let listed = DERIVED.contains(&(select, name));
                let served = entities.iter().any(|e| ctx.derived(e, name).is_some());
                assert_eq!(listed, served, "`${name}` of {select}");
            }
        }
    }

    /// A number compares as the text `value_text` gives it, through the
    /// reused buffer as through a new string.
    #[test]
    fn numbers_compare_as_their_text() {
        for n in [
            0.0,
            3.0,
            -2.5,
            0.5,
            1e-7,
            12_345.678,
            1e16,
            f64::NAN,
            f64::INFINITY,
        ] {
            let v = Value::Quantity(n, Unit::Count);
            let text = value_text(&v).expect("a number has a text");
            assert_eq!(text_matches(&v, |t| t == text), Some(true), "{n}");
            assert_eq!(text_matches(&v, |t| t == "x"), Some(false), "{n}");
        }
    }
}
