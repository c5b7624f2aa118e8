//! `scalelint graph`: the architecture as a diagram (Graphviz dot or a
//! Mermaid flowchart). Services, databases, caches and queues are nodes;
//! dependencies are edges (sync solid, async dashed), queue consumers and
//! cache `backs` dotted. Nodes with findings carry their worst severity;
//! the edges of a dependency cycle (SL006) and of a deep synchronous chain
//! (SL308) are highlighted.

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{eval, RuleSet};
use crate::load;
use crate::model::derived::{items, Facts};
use crate::model::Mode;
use crate::span::Span;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Service,
    Database,
    Cache,
    Queue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Sync,
    Async,
    /// Queue consumers and cache `backs`: data flow, not calls.
    Data,
}

struct Node {
    name: String,
    shape: Shape,
    worst: Option<Severity>,
}

struct Edge {
    from: usize,
    to: usize,
    line: Line,
    /// The dependency's `target` span (dependencies only).
    target: Option<Span>,
    highlight: bool,
}

/// Renders the diagram of one description; `Err` when it does not load.
pub fn graph(
    file: &str,
    source: &str,
    rules: &RuleSet,
    today: chrono::NaiveDate,
    format: GraphFormat,
) -> Result<String, String> {
    let loaded = load::load(source);
    let (Some(model), Some(tree)) = (&loaded.model, &loaded.tree) else {
        let first = loaded
            .diagnostics
            .first()
            .map_or(String::new(), |d| format!("{} {}", d.code, d.message));
        return Err(format!(
            "{file}: cannot draw a file that does not load: {first}"
        ));
    };
    let mut diagnostics: Vec<Diagnostic> = loaded.diagnostics.clone();
    let facts = Facts::new(model, None, 1.0, &mut diagnostics);
    let ctx = eval::Ctx::new(model, &facts, 1.0, today);
    eval::run_all(rules, &ctx, &|_| true, &mut diagnostics);

    let mut nodes = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |name: Option<&String>, shape| {
        if let Some(name) = name {
            index.entry(name.clone()).or_insert_with(|| {
                nodes.push(Node {
                    name: name.clone(),
                    shape,
                    worst: None,
                });
                nodes.len() - 1
            });
        }
    };
    for s in items(&model.services) {
        add(s.value.name.as_ref().map(|n| &n.value), Shape::Service);
    }
    for d in items(&model.databases) {
        add(d.value.name.as_ref().map(|n| &n.value), Shape::Database);
    }
    for c in items(&model.caches) {
        add(c.value.name.as_ref().map(|n| &n.value), Shape::Cache);
    }
    for q in items(&model.queues) {
        add(q.value.name.as_ref().map(|n| &n.value), Shape::Queue);
    }

    let mut edges = Vec::new();
    let node_of = |name: &str| index.get(name).copied();
    for s in items(&model.services) {
        let Some(from) = s.value.name.as_ref().and_then(|n| node_of(&n.value)) else {
            continue;
        };
        for dep in items(&s.value.depends_on) {
            let Some(target) = &dep.value.target else {
                continue;
            };
            let Some(to) = node_of(&target.value) else {
                continue;
            };
            let line = if dep
                .value
                .mode
                .as_ref()
                .is_some_and(|m| m.value == Mode::Async)
            {
                Line::Async
            } else {
                Line::Sync
            };
            edges.push(Edge {
                from,
                to,
                line,
                target: Some(target.span),
                highlight: false,
            });
        }
    }
    for q in items(&model.queues) {
        let Some(from) = q.value.name.as_ref().and_then(|n| node_of(&n.value)) else {
            continue;
        };
        for c in items(&q.value.consumers) {
            if let Some(to) = node_of(&c.value) {
                edges.push(Edge {
                    from,
                    to,
                    line: Line::Data,
                    target: None,
                    highlight: false,
                });
            }
        }
    }
    for c in items(&model.caches) {
        let Some(from) = c.value.name.as_ref().and_then(|n| node_of(&n.value)) else {
            continue;
        };
        for db in items(&c.value.backs) {
            if let Some(to) = node_of(&db.value) {
                edges.push(Edge {
                    from,
                    to,
                    line: Line::Data,
                    target: None,
                    highlight: false,
                });
            }
        }
    }

    // Worst severity per node, from the diagnostics' model paths; the
    // spans of cycles and chains, for the edges to highlight.
    let mut marked: HashSet<Span> = HashSet::new();
    for d in &diagnostics {
        let path = load::model_path(tree, d.span);
        if let Some(name) = entity_of(&path) {
            if let Some(&i) = index.get(name) {
                let n = &mut nodes[i];
                n.worst = n.worst.max(Some(d.severity));
            }
        }
        if d.code == "SL006" || d.code == "SL308" {
            marked.insert(d.span);
            marked.extend(d.labels.iter().map(|l| l.span));
        }
    }
    for e in &mut edges {
        e.highlight = e.target.is_some_and(|t| marked.contains(&t));
    }
    Ok(match format {
        GraphFormat::Dot => dot(&nodes, &edges),
        GraphFormat::Mermaid => mermaid(&nodes, &edges),
    })
}

/// `services[api].metrics.cpu` → `api`.
fn entity_of(path: &str) -> Option<&str> {
    let first = path.split('.').next()?;
    let (list, rest) = first.split_once('[')?;
    matches!(list, "services" | "databases" | "caches" | "queues")
        .then(|| rest.trim_end_matches(']'))
}

fn color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#d62728",
        Severity::Warning => "#ff7f0e",
        Severity::Info => "#1f77b4",
    }
}

fn dot(nodes: &[Node], edges: &[Edge]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut s = String::from("digraph architecture {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n");
    for (i, n) in nodes.iter().enumerate() {
        let shape = match n.shape {
            Shape::Service => "box",
            Shape::Database => "cylinder",
            Shape::Cache => "component",
            Shape::Queue => "cds",
        };
        let mut attrs = format!("label={}, shape={shape}", quote(&n.name));
        if let Some(w) = n.worst {
            let _ = write!(
                attrs,
                ", color=\"{}\", penwidth=2.5, tooltip=\"worst finding: {}\"",
                color(w),
                w
            );
        }
        let _ = writeln!(s, "  n{i} [{attrs}];");
    }
    for e in edges {
        let style = match e.line {
            Line::Sync => "solid",
            Line::Async => "dashed",
            Line::Data => "dotted",
        };
        let extra = if e.highlight {
            ", color=\"#d62728\", penwidth=2.5"
        } else {
            ""
        };
        let _ = writeln!(s, "  n{} -> n{} [style={style}{extra}];", e.from, e.to);
    }
    s.push_str("}\n");
    s
}

fn mermaid(nodes: &[Node], edges: &[Edge]) -> String {
    // Mermaid labels are double-quoted; a quote inside is written as #quot;.
    let label = |s: &str| s.replace('"', "#quot;");
    let mut s = String::from("flowchart LR\n");
    for (i, n) in nodes.iter().enumerate() {
        let l = label(&n.name);
        let shape = match n.shape {
            Shape::Service => format!("[\"{l}\"]"),
            Shape::Database => format!("[(\"{l}\")]"),
            Shape::Cache => format!("{{{{\"{l}\"}}}}"),
            Shape::Queue => format!("[/\"{l}\"/]"),
        };
        let _ = writeln!(s, "  n{i}{shape}");
    }
    for e in edges {
        let arrow = match e.line {
            Line::Sync => "-->",
            Line::Async => "-.->",
            Line::Data => "-.-",
        };
        let _ = writeln!(s, "  n{} {arrow} n{}", e.from, e.to);
    }
    for (sev, name) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ] {
        let members: Vec<String> = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.worst == Some(sev))
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(
                s,
                "  classDef {name} stroke:{},stroke-width:3px",
                color(sev)
            );
            let _ = writeln!(s, "  class {} {name}", members.join(","));
        }
    }
    let highlighted: Vec<String> = edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.highlight)
        .map(|(i, _)| i.to_string())
        .collect();
    if !highlighted.is_empty() {
        let _ = writeln!(
            s,
            "  linkStyle {} stroke:#d62728,stroke-width:3px",
            highlighted.join(",")
        );
    }
    s
}
