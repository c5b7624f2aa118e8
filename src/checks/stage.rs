//! Stage logic: a declared stage that disagrees with the user count (SL004),
//! a stage that cannot be told (SL005), and scaling machinery that a stage-1
//! system does not need yet (SL109).

use crate::diagnostic::Severity;
use crate::engine::eval::{Ctx, Finding};
use crate::engine::spec::StageCheck;
use crate::engine::Rule;
use crate::model::derived::{items, stage_for_users};
use crate::model::units::fmt_num;
use crate::model::ServiceKind;

/// SL004 and SL005 look at today's values only, whatever `--load` says.
pub fn run(check: StageCheck, ctx: &Ctx<'_>) -> Vec<Finding> {
    let Some(system) = ctx.model.system.as_ref().map(|s| &s.value) else {
        return Vec::new();
    };
    match check {
        StageCheck::Mismatch => {
            let (Some(stage), Some(users)) = (&system.stage, &system.users) else {
                return Vec::new();
            };
            let declared = stage.value.0 .0 as u8;
            let implied = stage_for_users(users.value.0 as f64);
            let severity = match declared.cmp(&implied) {
                std::cmp::Ordering::Less => Severity::Warning,
                std::cmp::Ordering::Greater => Severity::Info,
                std::cmp::Ordering::Equal => return Vec::new(),
            };
            vec![Finding::new(severity, stage.span)
                .label(
                    users.span,
                    format!(
                        "{} users imply stage {implied}",
                        fmt_num(users.value.0 as f64)
                    ),
                )
                .var("declared", declared.to_string())
                .var("implied", implied.to_string())
                .var("users", fmt_num(users.value.0 as f64))]
        }
        StageCheck::Undetermined => {
            if system.stage.is_some() || system.users.is_some() {
                return Vec::new();
            }
            let span = ctx.system_name_span().unwrap_or_default();
            vec![Finding::new(Severity::Info, span)
                .var("declared", "none")
                .var("implied", "1")
                .var("users", "unknown")]
        }
    }
}

/// SL109: one finding per premature item.
pub fn premature(rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    if !rule.applies_at(ctx.facts.stage) {
        return Vec::new();
    }
    let m = ctx.model;
    let param = |name: &str, default: f64| rule.param(name).map_or(default, |p| p.value);
    let max_services = param("max_services", 3.0) as usize;
    let mut out = Vec::new();
    let item = |span, kind: &str, what: String| {
        Finding::new(rule.severity, span)
            .var("kind", kind.to_owned())
            .var("item", what)
    };

    let deployable = items(&m.services).filter(|s| {
        s.value
            .kind
            .as_ref()
            .is_none_or(|k| k.value != ServiceKind::External)
    });
    for svc in deployable.skip(max_services) {
        if let Some(name) = &svc.value.name {
            out.push(item(name.span, "service", format!("service `{}` is deployable service number {} or later (more than {max_services})", name.value, max_services + 1)));
        }
    }
    for region in items(&m.regions).skip(1) {
        if let Some(name) = &region.value.name {
            out.push(item(
                name.span,
                "region",
                format!("region `{}` is a second region", name.value),
            ));
        }
    }
    for db in items(&m.databases) {
        if let Some(strategy) = db
            .value
            .sharding
            .as_ref()
            .and_then(|s| s.value.strategy.as_ref())
        {
            let name = db.value.name.as_ref().map_or("?", |n| n.value.as_str());
            out.push(item(
                strategy.span,
                "sharding",
                format!("database `{name}` is sharded ({})", strategy.value),
            ));
        }
    }
    let repeated = param("repeated_query_ratio", 0.30);
    let cpu = param("database_cpu", 0.70);
    let databases: Vec<_> = items(&m.databases).collect();
    for (ci, cache) in items(&m.caches).enumerate() {
        let needed = ctx.facts.cache_backs.get(ci).is_some_and(|dbs| {
            dbs.iter().any(|&d| {
                let metrics = databases.get(d).and_then(|db| db.value.metrics.as_ref());
                metrics.is_some_and(|mm| {
                    mm.value
                        .repeated_query_ratio
                        .as_ref()
                        .is_some_and(|r| r.value.0 > repeated)
                        || mm
                            .value
                            .cpu
                            .as_ref()
                            .is_some_and(|c| c.value.0 * ctx.load > cpu)
                })
            })
        });
        if !needed {
            if let Some(name) = &cache.value.name {
                out.push(item(
                    name.span,
                    "cache",
                    format!("cache `{}` has no measured need", name.value),
                ));
            }
        }
    }
    out
}
