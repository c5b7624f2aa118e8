//! Facts derived from the model once per file: the name index, references
//! (checked here: SL002, SL003), each database's dependents, and the
//! effective stage.

use super::{Architecture, Spanned};
use crate::diagnostic::{codes, Diagnostic, Severity};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Service,
    Database,
    Cache,
    Queue,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Service => "service",
            EntityKind::Database => "database",
            EntityKind::Cache => "cache",
            EntityKind::Queue => "queue",
        }
    }

    /// The top-level list that holds entities of this kind.
    pub fn list_key(self) -> &'static str {
        match self {
            EntityKind::Service => "services",
            EntityKind::Database => "databases",
            EntityKind::Cache => "caches",
            EntityKind::Queue => "queues",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub index: usize,
}

/// Why the effective stage is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageSource {
    /// `system.stage`.
    Declared,
    /// Implied by `system.users`.
    Users,
    /// Neither given: stage 1.
    Assumed,
    /// `--stage`.
    Override,
    /// The higher of the declared stage and the projected users' (`--load`).
    Projected,
}

/// The stage a user count implies (FORMAT.md `system.users`).
pub fn stage_for_users(users: f64) -> u8 {
    if users < 10_000.0 {
        1
    } else if users < 100_000.0 {
        2
    } else if users < 1_000_000.0 {
        3
    } else {
        4
    }
}

/// The smallest user count of each stage, for messages.
pub fn stage_floor(stage: u8) -> u64 {
    match stage {
        1 => 0,
        2 => 10_000,
        3 => 100_000,
        _ => 1_000_000,
    }
}

#[derive(Debug)]
pub struct Facts<'m> {
    /// Services, databases, caches and queues share one namespace.
    pub names: HashMap<&'m str, EntityRef>,
    pub regions: HashMap<&'m str, usize>,
    pub data_classes: HashMap<&'m str, usize>,
    /// For each database: the (service, dependency) index pairs that target it.
    pub db_dependents: Vec<Vec<(usize, usize)>>,
    /// For each cache: the databases it backs (resolved).
    pub cache_backs: Vec<Vec<usize>>,
    pub stage: u8,
    pub stage_source: StageSource,
    /// How many more SL002s get a "did you mean" (each compares the name
    /// with every known one: a file with thousands of broken references
    /// must not turn that into quadratic work).
    /// Atomic so that the facts can be shared by rules running in parallel.
    hints_left: std::sync::atomic::AtomicUsize,
}

impl<'m> Facts<'m> {
    /// Builds the facts and reports SL002/SL003 into `diagnostics`.
    /// `stage_override` is `--stage`; `load` is the `--load` factor.
    pub fn new(
        m: &'m Architecture,
        stage_override: Option<u8>,
        load: f64,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Facts<'m> {
        let lists: [(EntityKind, Vec<&'m Option<Spanned<String>>>); 4] = [
            (
                EntityKind::Service,
                items(&m.services).map(|s| &s.value.name).collect(),
            ),
            (
                EntityKind::Database,
                items(&m.databases).map(|s| &s.value.name).collect(),
            ),
            (
                EntityKind::Cache,
                items(&m.caches).map(|s| &s.value.name).collect(),
            ),
            (
                EntityKind::Queue,
                items(&m.queues).map(|s| &s.value.name).collect(),
            ),
        ];
        let mut names: HashMap<&'m str, EntityRef> =
            HashMap::with_capacity(lists.iter().map(|(_, l)| l.len()).sum());
        for (kind, list) in &lists {
            for (index, name) in list.iter().enumerate() {
                let Some(name) = name else { continue };
                match names.entry(name.value.as_str()) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        let first = *first.get();
                        // The first entity of the name: its name's span.
                        let span = lists
                            .iter()
                            .find(|(k, _)| *k == first.kind)
                            .and_then(|(_, l)| l[first.index].as_ref())
                            .map_or(name.span, |n| n.span);
                        diagnostics.push(duplicate(name, span, "an entity"));
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(EntityRef { kind: *kind, index });
                    }
                }
            }
        }
        let regions = unique_names(
            items(&m.regions).map(|r| &r.value.name),
            "a region",
            diagnostics,
        );
        let data_classes = unique_names(
            items(&m.data).map(|d| &d.value.name),
            "a data class",
            diagnostics,
        );

        let mut facts = Facts {
            names,
            regions,
            data_classes,
            db_dependents: vec![Vec::new(); items(&m.databases).len()],
            cache_backs: vec![Vec::new(); items(&m.caches).len()],
            stage: 1,
            stage_source: StageSource::Assumed,
            hints_left: std::sync::atomic::AtomicUsize::new(100),
        };
        facts.check_references(m, diagnostics);
        (facts.stage, facts.stage_source) = effective_stage(m, stage_override, load);
        facts
    }

    fn check_references(&mut self, m: &'m Architecture, out: &mut Vec<Diagnostic>) {
        for (si, svc) in items(&m.services).enumerate() {
            self.check_region(&svc.value.region, out);
            for (di, dep) in items(&svc.value.depends_on).enumerate() {
                let Some(target) = &dep.value.target else {
                    continue;
                };
                match self.names.get(target.value.as_str()) {
                    Some(r) if r.kind == EntityKind::Database => {
                        self.db_dependents[r.index].push((si, di))
                    }
                    Some(_) => {}
                    None => out.push(unresolved(
                        target,
                        "a service, database, cache or queue",
                        &self.entity_names(),
                    )),
                }
            }
        }
        for db in items(&m.databases) {
            self.check_region(&db.value.region, out);
            if let Some(replicas) = &db.value.replicas {
                for region in items(&replicas.value.regions) {
                    self.check_region_name(region, out);
                }
            }
            for class in items(&db.value.stores) {
                if !self.data_classes.contains_key(class.value.as_str()) {
                    let known = self.hint_pool(self.data_classes.keys().copied());
                    out.push(unresolved(class, "a data class", &known));
                }
            }
        }
        for (ci, cache) in items(&m.caches).enumerate() {
            self.check_region(&cache.value.region, out);
            for db in items(&cache.value.backs) {
                self.check_kind(db, EntityKind::Database, out);
                if let Some(r) = self
                    .names
                    .get(db.value.as_str())
                    .filter(|r| r.kind == EntityKind::Database)
                {
                    self.cache_backs[ci].push(r.index);
                }
            }
        }
        for queue in items(&m.queues) {
            for consumer in items(&queue.value.consumers) {
                self.check_kind(consumer, EntityKind::Service, out);
            }
        }
    }

    /// Whether one more SL002 may carry a "did you mean".
    fn take_hint(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.hints_left
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(1))
            .is_ok()
    }

    /// The names a hint may suggest (none once the hint budget is spent).
    fn hint_pool<'a>(&self, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        if self.take_hint() {
            names.collect()
        } else {
            Vec::new()
        }
    }

    fn entity_names(&self) -> Vec<&'m str> {
        self.hint_pool(self.names.keys().copied())
    }

    fn check_kind(&self, name: &Spanned<String>, want: EntityKind, out: &mut Vec<Diagnostic>) {
        match self.names.get(name.value.as_str()) {
            Some(r) if r.kind == want => {}
            Some(r) => out.push(with_origin(
                Diagnostic::new(
                    codes::UNRESOLVED.0,
                    codes::UNRESOLVED.1,
                    Severity::Error,
                    name.span,
                    format!(
                        "`{}` is a {}, not a {}",
                        name.value,
                        r.kind.as_str(),
                        want.as_str()
                    ),
                )
                .with_help(format!("name a {} here", want.as_str())),
                name,
            )),
            None => {
                let known = self.hint_pool(
                    self.names
                        .iter()
                        .filter(|(_, r)| r.kind == want)
                        .map(|(n, _)| *n),
                );
                out.push(unresolved(name, &format!("a {}", want.as_str()), &known));
            }
        }
    }

    fn check_region(&self, region: &Option<Spanned<String>>, out: &mut Vec<Diagnostic>) {
        if let Some(r) = region {
            self.check_region_name(r, out);
        }
    }

    fn check_region_name(&self, region: &Spanned<String>, out: &mut Vec<Diagnostic>) {
        if !self.regions.contains_key(region.value.as_str()) {
            let known = self.hint_pool(self.regions.keys().copied());
            out.push(unresolved(region, "a region", &known));
        }
    }
}

/// The items of an optional list field.
pub fn items<T>(list: &Option<Spanned<Vec<Spanned<T>>>>) -> std::slice::Iter<'_, Spanned<T>> {
    match list {
        Some(l) => l.value.iter(),
        None => [].iter(),
    }
}

/// The effective stage (FORMAT.md) and where it comes from, at a load factor.
pub fn effective_stage(
    m: &Architecture,
    stage_override: Option<u8>,
    load: f64,
) -> (u8, StageSource) {
    if let Some(s) = stage_override {
        return (s, StageSource::Override);
    }
    let system = m.system.as_ref().map(|s| &s.value);
    let declared = system
        .and_then(|s| s.stage.as_ref())
        .map(|s| s.value.0 .0 as u8);
    let users = system
        .and_then(|s| s.users.as_ref())
        .map(|u| u.value.0 as f64);
    if load != 1.0 {
        if let Some(u) = users {
            let projected = stage_for_users(u * load);
            return match declared {
                Some(d) if d >= projected => (d, StageSource::Declared),
                _ => (projected, StageSource::Projected),
            };
        }
    }
    match (declared, users) {
        (Some(d), _) => (d, StageSource::Declared),
        (None, Some(u)) => (stage_for_users(u), StageSource::Users),
        (None, None) => (1, StageSource::Assumed),
    }
}

fn unique_names<'m>(
    names: impl Iterator<Item = &'m Option<Spanned<String>>>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> HashMap<&'m str, usize> {
    let mut map: HashMap<&'m str, usize> = HashMap::new();
    let mut spans = HashMap::new();
    for (i, name) in names.enumerate() {
        let Some(name) = name else { continue };
        if let Some(&first) = spans.get(name.value.as_str()) {
            out.push(duplicate(name, first, what));
        } else {
            spans.insert(name.value.as_str(), name.span);
            map.insert(name.value.as_str(), i);
        }
    }
    map
}

fn duplicate(name: &Spanned<String>, first: crate::span::Span, what: &str) -> Diagnostic {
    let (code, rule) = codes::DUPLICATE_NAME;
    let d = Diagnostic::new(
        code,
        rule,
        Severity::Error,
        name.span,
        format!("the name `{}` is already used by {what}", name.value),
    )
    .with_label(first, "first used here")
    .with_help("give each one a unique name");
    with_origin(d, name)
}

/// A name reached through an alias: label where it is written.
fn with_origin(d: Diagnostic, name: &Spanned<String>) -> Diagnostic {
    match name.origin.span() {
        Some(origin) => d.with_label(origin, "the value comes from this anchor"),
        None => d,
    }
}

fn unresolved(name: &Spanned<String>, what: &str, known: &[&str]) -> Diagnostic {
    let (code, rule) = codes::UNRESOLVED;
    let d = Diagnostic::new(
        code,
        rule,
        Severity::Error,
        name.span,
        format!("`{}` does not name {what}", name.value),
    );
    let d = with_origin(d, name);
    match super::convert::did_you_mean(&name.value, known) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help(format!(
            "define {what} named `{}`, or fix the name",
            name.value
        )),
    }
}
