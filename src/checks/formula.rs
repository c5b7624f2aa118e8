//! The sizing formulas of the advice ("Scaling Calculations"): required
//! capacity, connection pool size, read replicas, cache memory, the
//! connection budget of a database without a pooler, and the budget floor
//! of each stage. Each computes the number the user needs and, where the
//! rule names one, a fix that writes it.

use crate::diagnostic::{Fix, Severity};
use crate::engine::eval::{Ctx, Entity, Finding};
use crate::engine::spec::FormulaName;
use crate::engine::Rule;
use crate::model::derived::items;
use crate::model::reflect::{Field, Unit};
use crate::model::units::fmt_num;

pub fn variables(f: FormulaName) -> &'static [&'static str] {
    match f {
        FormulaName::Capacity => &[
            "provisioned",
            "required",
            "rps",
            "needed",
            "capacity_rps",
            "growth",
            "safety_margin",
            "field",
        ],
        FormulaName::PoolSize => &["pool_size", "cores", "spindles", "recommended"],
        FormulaName::Replicas => &["count", "needed", "reads", "capacity"],
        FormulaName::CacheMemory => &["memory", "working_set", "needed"],
        FormulaName::ConnectionBudget => &["total", "limit", "dependents"],
        FormulaName::Budget => &["budget", "floor", "range", "stage"],
    }
}

pub fn run<'m>(f: FormulaName, rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Vec<Finding> {
    let found = match f {
        FormulaName::Capacity => capacity(rule, ctx, e),
        FormulaName::PoolSize => pool_size(rule, ctx, e),
        FormulaName::Replicas => replicas(rule, ctx, e),
        FormulaName::CacheMemory => cache_memory(rule, ctx, e),
        FormulaName::ConnectionBudget => connection_budget(rule, ctx, e),
        FormulaName::Budget => budget(rule, ctx, e),
    };
    found.into_iter().collect()
}

/// A fix that writes `replacement` over a field's value, unless the value
/// came through an alias (editing the alias use would be wrong).
fn fix(field: &Field<'_>, replacement: String) -> Option<Fix> {
    field.origin.is_none().then_some(Fix {
        span: field.span,
        replacement,
    })
}

fn system_number(ctx: &Ctx<'_>, key: &str, default: f64) -> f64 {
    let sys = ctx.model.system.as_ref().map(|s| &s.value);
    let v = match key {
        "growth" => sys.and_then(|s| s.growth.as_ref()).map(|g| g.value.0 .0),
        _ => sys
            .and_then(|s| s.safety_margin.as_ref())
            .map(|g| g.value.0 .0),
    };
    v.unwrap_or(default)
}

/// SL501: capacity_rps × (autoscaling.max, else instances) against the
/// measured peak (error) and the peak × growth × safety margin (warning).
fn capacity<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let per_instance = ctx.number(e, "capacity_rps")?;
    let rps = ctx.number(e, "metrics.rps")?;
    if per_instance <= 0.0 {
        return None;
    }
    let (field_name, field) = match (ctx.field(e, "autoscaling.max"), ctx.field(e, "instances")) {
        (Some(f), _) => ("autoscaling.max", Some(f)),
        (None, Some(f)) => ("instances", Some(f)),
        (None, None) => ("capacity_rps", None),
    };
    let count = field.and_then(|f| f.value.as_f64()).unwrap_or(1.0);
    let provisioned = per_instance * count;
    let growth = system_number(ctx, "growth", 1.0);
    let margin = system_number(ctx, "safety_margin", 1.5);
    let required = rps * growth * margin;
    let severity = if provisioned < rps {
        Severity::Error
    } else if provisioned < required {
        Severity::Warning
    } else {
        return None;
    };
    let _ = rule;
    let needed = (required / per_instance).ceil();
    let (span, fix) = match field {
        Some(f) => (f.span, fix(&f, fmt_num(needed))),
        None => (ctx.field(e, "capacity_rps")?.span, None),
    };
    let mut finding = Finding::new(severity, span)
        .num("provisioned", provisioned)
        .num("required", required)
        .num("rps", rps)
        .num("needed", needed)
        .num("capacity_rps", per_instance)
        .num("growth", growth)
        .num("safety_margin", margin)
        .var("field", field_name);
    finding.fix = fix;
    Some(finding)
}

/// SL502: the pool should hold cores × 2 + spindles connections.
fn pool_size<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let pool = ctx.field(e, "pool_size")?;
    let size = pool.value.as_f64()?;
    let cores = ctx.number(e, "cores")?;
    let spindles = ctx.number(e, "spindles").unwrap_or(1.0);
    let recommended = cores * 2.0 + spindles;
    if size <= recommended {
        return None;
    }
    let mut f = Finding::new(rule.severity, pool.span)
        .num("pool_size", size)
        .num("cores", cores)
        .num("spindles", spindles)
        .num("recommended", recommended);
    f.fix = fix(&pool, fmt_num(recommended));
    Some(f)
}

/// SL503: ceil(reads_per_sec / replicas.capacity_rps) replicas.
fn replicas<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let reads = ctx.number(e, "metrics.reads_per_sec")?;
    let capacity = ctx.number(e, "replicas.capacity_rps")?;
    if capacity <= 0.0 {
        return None;
    }
    let needed = (reads / capacity).ceil();
    let count_field = ctx.field(e, "replicas.count");
    let count = count_field.and_then(|f| f.value.as_f64()).unwrap_or(0.0);
    if count >= needed {
        return None;
    }
    let span = match (&count_field, ctx.field(e, "replicas")) {
        (Some(c), _) => c.span,
        (None, Some(r)) => r.key,
        (None, None) => ctx.entity_span(e),
    };
    let mut f = Finding::new(rule.severity, span)
        .num("count", count)
        .num("needed", needed)
        .num("reads", reads)
        .num("capacity", capacity);
    if let Some(reads_field) = ctx.field(e, "metrics.reads_per_sec") {
        f = f.label(reads_field.span, "reads_per_sec");
    }
    f.fix = count_field.and_then(|c| fix(&c, fmt_num(needed)));
    Some(f)
}

/// SL504: memory of at least working_set × 1.5 (Redis's overhead).
fn cache_memory<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let memory = ctx.field(e, "memory")?;
    let have = memory.value.as_f64()?;
    let working_set = ctx.number(e, "working_set")?;
    let overhead = rule.param("overhead").map_or(1.5, |p| p.value);
    let needed = working_set * overhead;
    if have >= needed {
        return None;
    }
    let needed_text = size_at_least(needed);
    let mut f = Finding::new(rule.severity, memory.span)
        .quantity("memory", have, Unit::Size)
        .quantity("working_set", working_set, Unit::Size)
        .var("needed", needed_text.clone());
    f.fix = fix(&memory, needed_text);
    Some(f)
}

/// A size written in the largest decimal unit, rounded up to 2 decimals so
/// that writing it back satisfies the rule.
pub fn size_at_least(bytes: f64) -> String {
    const UNITS: [(&str, f64); 5] = [
        ("TB", 1e12),
        ("GB", 1e9),
        ("MB", 1e6),
        ("KB", 1e3),
        ("B", 1.0),
    ];
    let (unit, scale) = UNITS
        .iter()
        .copied()
        .find(|&(_, s)| bytes >= s)
        .unwrap_or(("B", 1.0));
    let v = (bytes / scale * 100.0 - 1e-9).ceil() / 100.0;
    format!("{}{unit}", fmt_num(v))
}

/// SL505: without a pooler, every instance of every dependent holds its own
/// pool: the sum must fit under max_connections.
fn connection_budget<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let db = items(&ctx.model.databases).nth(e.index)?;
    let pooled = db
        .value
        .pooler
        .as_ref()
        .is_some_and(|p| p.value != crate::model::Pooler::None);
    if pooled {
        return None;
    }
    let max = ctx.field(e, "max_connections")?;
    let limit = max.value.as_f64()?;
    let services = items(&ctx.model.services).as_slice();
    // Each dependency with a pool: (its service, the pool, max instances).
    let pools = ctx
        .facts
        .db_dependents
        .get(e.index)?
        .iter()
        .filter_map(|&(si, di)| {
            let svc = &services[si].value;
            let dep = items(&svc.depends_on).nth(di)?;
            let pool = dep.value.pool_size.as_ref()?;
            let instances = svc
                .autoscaling
                .as_ref()
                .and_then(|a| a.value.max.as_ref())
                .or(svc.instances.as_ref())
                .map_or(1.0, |c| c.value.0 as f64);
            Some((svc, pool, instances))
        });
    let total: f64 = pools
        .clone()
        .map(|(_, pool, instances)| instances * pool.value.0 as f64)
        .fold(0.0, |total, conns| total + conns);
    if total <= limit {
        return None;
    }
    let labels: Vec<_> = pools
        .map(|(svc, pool, instances)| {
            let conns = instances * pool.value.0 as f64;
            let name = svc.name.as_ref().map_or("?", |n| n.value.as_str());
            (
                pool.span,
                format!(
                    "`{name}`: {} × {} = {}",
                    fmt_num(instances),
                    pool.value.0,
                    fmt_num(conns)
                ),
            )
        })
        .collect();
    let mut f = Finding::new(rule.severity, max.span)
        .num("total", total)
        .num("limit", limit)
        .var("dependents", labels.len().to_string());
    for (span, text) in labels {
        f = f.label(span, text);
    }
    Some(f)
}

/// SL506: the advice's typical monthly cost floor of each stage.
fn budget<'m>(rule: &Rule, ctx: &Ctx<'m>, e: &Entity<'m>) -> Option<Finding> {
    let field = ctx.field(e, "system.monthly_budget_usd")?;
    let have = field.value.as_f64()?;
    let stage = ctx.facts.stage;
    let (floor, range) = match stage {
        1 => (100.0, "$100–$300"),
        2 => (1_000.0, "$1,000–$3,000"),
        3 => (10_000.0, "$10,000–$30,000"),
        _ => (100_000.0, "$100,000 and up"),
    };
    if have >= floor {
        return None;
    }
    Some(
        Finding::new(rule.severity, field.span)
            .var("budget", dollars(have))
            .var("floor", dollars(floor))
            .var("range", range)
            .var("stage", stage.to_string()),
    )
}

/// `$10,000`, `$9,999.5`.
fn dollars(v: f64) -> String {
    let text = fmt_num(v);
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::from("$");
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{dollars, size_at_least};

    #[test]
    fn dollar_amounts() {
        assert_eq!(dollars(10_000.0), "$10,000");
        assert_eq!(dollars(9_999.5), "$9,999.5");
        assert_eq!(dollars(100.0), "$100");
    }

    #[test]
    fn sizes_round_up() {
        assert_eq!(size_at_least(15e9), "15GB");
        assert_eq!(size_at_least(15.001e9), "15.01GB");
        assert_eq!(size_at_least(1.5 * 1024.0 * 1024.0 * 1024.0), "1.62GB");
    }
}
