//! Checks of the system as a whole that look across lists: data residency
//! (SL406), single points of failure under a high SLA (SL409), and strongly
//! consistent data in an active-active deployment (SL410).

use crate::engine::eval::{Ctx, Finding};
use crate::engine::spec::GlobalCheck;
use crate::engine::Rule;
use crate::model::derived::items;
use crate::model::units::Availability;
use crate::model::{Consistency, DataKind, MultiRegion, ServiceKind};

pub fn variables(g: GlobalCheck) -> &'static [&'static str] {
    match g {
        GlobalCheck::Residency => &["jurisdiction", "regions"],
        GlobalCheck::SinglePoints => &["item", "kind", "sla"],
        GlobalCheck::StrongDataActiveActive => &["classes", "count"],
    }
}

pub fn run(g: GlobalCheck, rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    match g {
        GlobalCheck::Residency => residency(rule, ctx),
        GlobalCheck::SinglePoints => single_points(rule, ctx),
        GlobalCheck::StrongDataActiveActive => strong_data(rule, ctx),
    }
}

/// SL406: each `data_residency` jurisdiction needs a region of that jurisdiction.
fn residency(rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let Some(system) = m.system.as_ref() else {
        return Vec::new();
    };
    let mut jurisdictions: Vec<&str> = items(&m.regions)
        .filter_map(|r| r.value.jurisdiction.as_ref().map(|j| j.value.as_str()))
        .collect();
    jurisdictions.sort_unstable();
    jurisdictions.dedup();
    let listed = if jurisdictions.is_empty() {
        "none".to_owned()
    } else {
        jurisdictions.join(", ")
    };
    items(&system.value.data_residency)
        .filter(|j| {
            !jurisdictions
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&j.value))
        })
        .map(|j| {
            Finding::new(rule.severity, j.span)
                .var("jurisdiction", j.value.clone())
                .var("regions", listed.clone())
        })
        .collect()
}

/// SL409: at an SLA of 99.99 or more, one finding per single point of failure.
fn single_points(rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let Some(system) = m.system.as_ref().map(|s| &s.value) else {
        return Vec::new();
    };
    let Some(sla) = &system.sla else {
        return Vec::new();
    };
    let limit = rule.param("sla").map_or(99.99, |p| p.value);
    if sla.value.0 < limit {
        return Vec::new();
    }
    let sla_text = Availability(sla.value.0).to_string();
    let mut out = Vec::new();
    let mut item = |span, kind: &str, what: String| {
        out.push(
            Finding::new(rule.severity, span)
                .label(sla.span, format!("sla {sla_text}"))
                .var("kind", kind.to_owned())
                .var("item", what)
                .var("sla", sla_text.clone()),
        )
    };
    for svc in items(&m.services) {
        let s = &svc.value;
        let external = s
            .kind
            .as_ref()
            .is_some_and(|k| k.value == ServiceKind::External);
        let single = s.instances.as_ref().is_none_or(|i| i.value.0 <= 1) && s.autoscaling.is_none();
        if let (false, true, Some(name)) = (external, single, &s.name) {
            item(
                name.span,
                "service",
                format!(
                    "service `{}` runs one instance without autoscaling",
                    name.value
                ),
            );
        }
    }
    for db in items(&m.databases) {
        let d = &db.value;
        let replicas = d
            .replicas
            .as_ref()
            .map_or(0, |r| r.value.count.as_ref().map_or(0, |c| c.value.0));
        if let (0, Some(name)) = (replicas, &d.name) {
            item(
                name.span,
                "database",
                format!("database `{}` has no replicas", name.value),
            );
        }
    }
    if items(&m.regions).len() < 2 {
        let span = m
            .regions
            .as_ref()
            .map(|r| r.key)
            .or_else(|| ctx.system_name_span())
            .unwrap_or_default();
        item(
            span,
            "region",
            "the system runs in a single region".to_owned(),
        );
    }
    out
}

/// SL410: an active-active deployment with data that needs strong consistency.
fn strong_data(rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let Some(pattern) = m
        .system
        .as_ref()
        .and_then(|s| s.value.multi_region.as_ref())
    else {
        return Vec::new();
    };
    if pattern.value != MultiRegion::ActiveActive {
        return Vec::new();
    }
    let strong: Vec<_> = items(&m.data)
        .filter(|d| {
            let c = &d.value;
            c.consistency
                .as_ref()
                .is_some_and(|x| x.value == Consistency::Strong)
                || c.kind
                    .as_ref()
                    .is_some_and(|k| matches!(k.value, DataKind::Financial | DataKind::Inventory))
        })
        .filter_map(|d| d.value.name.as_ref())
        .collect();
    if strong.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = strong.iter().map(|n| format!("`{}`", n.value)).collect();
    let mut f = Finding::new(rule.severity, pattern.span)
        .var("classes", names.join(", "))
        .var("count", strong.len().to_string());
    for n in strong {
        f = f.label(n.span, "needs strong consistency");
    }
    vec![f]
}
