//! The `cel` check kind: a boolean CEL expression over the selected entity
//! (`self`), the system (`system`), the effective stage (`stage`) and the
//! load factor (`load`), for users' own rules. Built-in rules use native
//! kinds, which are faster and can point at exact values.
//!
//! Compilation is guarded against panics (a malformed expression must be a
//! clear error, never a crash), and each file builds one root context; each
//! entity gets an inner scope holding only `self`.

use crate::diagnostic::Severity;
use crate::engine::eval::{Ctx, Entity, Finding};
use crate::engine::Rule;
use crate::model::reflect::{Record, Value};
use cel::{Context, Program};
use std::collections::HashMap;
use std::sync::Arc;

/// A compiled expression.
pub struct Expr {
    source: String,
    program: Program,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({:?})", self.source)
    }
}

impl Clone for Expr {
    fn clone(&self) -> Self {
        Expr::compile(&self.source).expect("an expression that compiled once compiles again")
    }
}

impl Expr {
    pub fn compile(source: &str) -> Result<Expr, String> {
        let compiled = std::panic::catch_unwind(|| Program::compile(source));
        match compiled {
            Ok(Ok(program)) => Ok(Expr {
                source: source.to_owned(),
                program,
            }),
            Ok(Err(e)) => {
                let first = e.errors.first();
                let detail = first.map_or_else(
                    || e.to_string(),
                    |e| {
                        format!(
                            "{} (expression line {}, column {})",
                            e.msg,
                            e.pos.0 + 1,
                            e.pos.1 + 1
                        )
                    },
                );
                Err(format!("the CEL expression does not parse: {detail}"))
            }
            Err(_) => Err("the CEL expression does not parse (the CEL parser failed on it)".into()),
        }
    }
}

/// Converts a model record into a CEL map (values in the model's units:
/// ratios as fractions, durations in milliseconds, sizes in bytes).
fn to_cel(v: Value<'_>) -> cel::Value {
    match v {
        Value::Quantity(n, _) => cel::Value::Float(n),
        Value::Bool(b) => cel::Value::Bool(b),
        Value::Str(s) => cel::Value::String(Arc::new(s.to_owned())),
        Value::Date(d) => cel::Value::String(Arc::new(d.to_string())),
        Value::Record(r) => record_to_cel(r),
        Value::List(l) => cel::Value::List(Arc::new(
            (0..l.len())
                .filter_map(|i| l.item(i))
                .map(|f| to_cel(f.value))
                .collect(),
        )),
    }
}

fn record_to_cel(r: &dyn Record) -> cel::Value {
    let mut map: HashMap<String, cel::Value> = HashMap::new();
    for name in r.field_names() {
        if let Some(f) = r.field(name) {
            map.insert((*name).to_owned(), to_cel(f.value));
        }
    }
    map.into()
}

pub fn run<'m>(
    expr: &Expr,
    rule: &Rule,
    ctx: &Ctx<'m>,
    e: &Entity<'m>,
    at: &[String],
) -> Vec<Finding> {
    let mut root = Context::default();
    let system = ctx
        .model
        .system
        .as_ref()
        .map_or(cel::Value::Null, |s| record_to_cel(&s.value));
    root.add_variable_from_value("system", system);
    root.add_variable_from_value("stage", cel::Value::Int(i64::from(ctx.facts.stage)));
    root.add_variable_from_value("load", cel::Value::Float(ctx.load));
    let mut scope = root.new_inner_scope();
    let mut this = record_to_cel(e.record);
    if ctx.load != 1.0 {
        project(&mut this, e, ctx.load);
    }
    scope.add_variable_from_value("self", this);
    let (span, _) = ctx.point_at(e, at);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        expr.program.execute(&scope)
    }));
    let name = e.name.map_or("?", |n| n.value.as_str());
    match result {
        Ok(Ok(cel::Value::Bool(true))) => {
            vec![Finding::new(rule.severity, span).var("value", "true")]
        }
        Ok(Ok(cel::Value::Bool(false))) => Vec::new(),
        Ok(Ok(other)) => vec![evaluation_error(
            span,
            name,
            &format!("the expression gave {other:?}, not a boolean"),
        )],
        Ok(Err(err)) => vec![evaluation_error(span, name, &err.to_string())],
        Err(_) => vec![evaluation_error(span, name, "the CEL interpreter failed")],
    }
}

/// Multiplies the fields that grow with traffic (RULES.md "Load projection").
fn project(this: &mut cel::Value, e: &Entity<'_>, load: f64) {
    let paths: &[&[&str]] = match e.kind {
        crate::engine::spec::Selector::Services => &[&["metrics", "rps"], &["metrics", "cpu"]],
        crate::engine::spec::Selector::Databases => &[
            &["metrics", "reads_per_sec"],
            &["metrics", "writes_per_sec"],
            &["metrics", "connections"],
            &["metrics", "cpu"],
        ],
        _ => &[],
    };
    let cel::Value::Map(map) = this else { return };
    let mut top: HashMap<cel::objects::Key, cel::Value> = (*map.map).clone();
    for path in paths {
        let key = cel::objects::Key::String(Arc::new(path[0].to_owned()));
        if let Some(cel::Value::Map(inner)) = top.get(&key) {
            let mut inner_map = (*inner.map).clone();
            let leaf = cel::objects::Key::String(Arc::new(path[1].to_owned()));
            if let Some(cel::Value::Float(v)) = inner_map.get(&leaf) {
                inner_map.insert(leaf, cel::Value::Float(v * load));
            }
            top.insert(
                key,
                cel::Value::Map(cel::objects::Map {
                    map: Arc::new(inner_map),
                }),
            );
        }
    }
    *this = cel::Value::Map(cel::objects::Map { map: Arc::new(top) });
}

fn evaluation_error(span: crate::span::Span, name: &str, why: &str) -> Finding {
    let mut f = Finding::new(Severity::Error, span);
    f.message = Some(format!(
        "the rule could not be evaluated on `{name}`: {why}"
    ));
    f
}
