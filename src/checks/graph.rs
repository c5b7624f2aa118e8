//! Walks over the dependency graph: cycles of synchronous calls between
//! services (SL006), synchronous chains deeper than a limit (SL308), and
//! synchronous calls that cross regions (SL413).

use crate::diagnostic::Severity;
use crate::engine::eval::{Ctx, Finding};
use crate::engine::spec::WalkName;
use crate::engine::Rule;
use crate::model::derived::{items, EntityKind};
use crate::model::{Mode, Spanned};
use crate::span::Span;

/// A synchronous service-to-service edge, in file order.
#[derive(Debug, Clone, Copy)]
struct Edge {
    from: usize,
    to: usize,
    /// The dependency's `target` value.
    span: Span,
}

pub(crate) struct Graph<'m> {
    names: Vec<&'m str>,
    edges: Vec<Edge>,
    /// Service `v`'s outgoing edges are `edges[starts[v]..starts[v + 1]]`:
    /// edges are made service by service, so each one's lie together.
    starts: Vec<usize>,
}

impl<'m> Graph<'m> {
    pub(crate) fn new(ctx: &Ctx<'m>) -> Graph<'m> {
        let services: Vec<_> = items(&ctx.model.services).collect();
        let names: Vec<&str> = services
            .iter()
            .map(|s| s.value.name.as_ref().map_or("?", |n| n.value.as_str()))
            .collect();
        let mut edges = Vec::new();
        let mut starts = Vec::with_capacity(services.len() + 1);
        for (from, svc) in services.iter().enumerate() {
            starts.push(edges.len());
            for dep in items(&svc.value.depends_on) {
                if is_async(dep.value.mode.as_ref()) {
                    continue;
                }
                let Some(target) = &dep.value.target else {
                    continue;
                };
                let Some(r) = ctx.facts.names.get(target.value.as_str()) else {
                    continue;
                };
                if r.kind != EntityKind::Service {
                    continue;
                }
                edges.push(Edge {
                    from,
                    to: r.index,
                    span: target.span,
                });
            }
        }
        starts.push(edges.len());
        Graph {
            names,
            edges,
            starts,
        }
    }

    /// The indices of service `v`'s outgoing edges.
    fn out(&self, v: usize) -> std::ops::Range<usize> {
        self.starts[v]..self.starts[v + 1]
    }

    fn path_text(&self, edges: &[usize]) -> String {
        let mut s = self.names[self.edges[edges[0]].from].to_owned();
        for &e in edges {
            s.push_str(" → ");
            s.push_str(self.names[self.edges[e].to]);
        }
        s
    }

    fn finding(&self, severity: Severity, edges: &[usize]) -> Finding {
        let first = self.edges[edges[0]];
        let mut f = Finding::new(severity, first.span)
            .var("path", self.path_text(edges))
            .var("hops", edges.len().to_string())
            .var("edges", edges.len().to_string());
        for (i, &e) in edges.iter().enumerate().skip(1) {
            let edge = self.edges[e];
            f = f.label(
                edge.span,
                format!(
                    "step {}: {} → {}",
                    i + 1,
                    self.names[edge.from],
                    self.names[edge.to]
                ),
            );
        }
        f
    }
}

fn is_async(mode: Option<&Spanned<Mode>>) -> bool {
    mode.is_some_and(|m| m.value == Mode::Async)
}

pub fn run(walk: WalkName, rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    match walk {
        WalkName::SyncCycle => cycles(rule, ctx.graph()),
        WalkName::SyncChain => {
            let max_hops = rule.param("max_hops").map_or(3, |p| p.value as usize);
            chains(rule, ctx.graph(), max_hops)
        }
        WalkName::CrossRegionSync => cross_region(rule, ctx),
    }
}

/// One finding per strongly connected component that holds a cycle: the
/// cycle through the component's first edge in file order.
fn cycles(rule: &Rule, g: &Graph<'_>) -> Vec<Finding> {
    let comp = components(g);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        if comp[e.from] != comp[e.to] || !seen.insert(comp[e.from]) {
            continue;
        }
        // Shortest way back from the edge's target to its source, inside the component.
        let mut prev: Vec<Option<usize>> = vec![None; g.names.len()];
        let mut queue = std::collections::VecDeque::from([e.to]);
        let mut reached = e.to == e.from;
        while let Some(n) = queue.pop_front() {
            if n == e.from {
                reached = true;
                break;
            }
            for oe in g.out(n) {
                let t = g.edges[oe].to;
                if comp[t] == comp[e.from] && prev[t].is_none() && t != e.to {
                    prev[t] = Some(oe);
                    queue.push_back(t);
                }
            }
        }
        if !reached {
            continue;
        }
        let mut path = vec![i];
        let mut back = Vec::new();
        let mut n = e.from;
        while n != e.to {
            let Some(pe) = prev[n] else { break };
            back.push(pe);
            n = g.edges[pe].from;
        }
        back.reverse();
        path.extend(back);
        out.push(g.finding(rule.severity, &path));
    }
    // Self-loops are components of one node with an edge to itself.
    out
}

/// Tarjan's strongly connected components, iteratively.
fn components(g: &Graph<'_>) -> Vec<usize> {
    let n = g.names.len();
    let (mut index, mut low, mut comp) = (vec![usize::MAX; n], vec![0; n], vec![usize::MAX; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next, mut count) = (0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(e) = g.out(v).nth(*i) {
                *i += 1;
                let w = g.edges[e].to;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    comp
}

/// Maximal simple paths longer than `max_hops` edges, from every service
/// that no synchronous call reaches. The walk is bounded so that a dense
/// graph cannot make it explode.
fn chains(rule: &Rule, g: &Graph<'_>, max_hops: usize) -> Vec<Finding> {
    const BUDGET: usize = 100_000;
    let mut has_in = vec![false; g.names.len()];
    for e in &g.edges {
        has_in[e.to] = true;
    }
    let mut out = Vec::new();
    let mut steps = 0;
    // Every walk leaves it all false again.
    let mut on_path = vec![false; g.names.len()];
    for start in (0..g.names.len()).filter(|&s| !has_in[s]) {
        on_path[start] = true;
        // (node, next outgoing edge to try), and the edges taken.
        let mut work = vec![(start, 0usize)];
        let mut taken: Vec<usize> = Vec::new();
        let mut extended = vec![false];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            steps += 1;
            if steps > BUDGET {
                return out;
            }
            if let Some(e) = g.out(v).nth(*i) {
                *i += 1;
                let w = g.edges[e].to;
                if !on_path[w] {
                    if let Some(x) = extended.last_mut() {
                        *x = true;
                    }
                    on_path[w] = true;
                    taken.push(e);
                    work.push((w, 0));
                    extended.push(false);
                }
                continue;
            }
            work.pop();
            let was_extended = extended.pop().unwrap_or(true);
            if !was_extended && taken.len() > max_hops {
                out.push(g.finding(rule.severity, &taken));
            }
            on_path[v] = false;
            taken.pop();
        }
    }
    out
}

/// A synchronous dependency whose caller and target are in different regions.
fn cross_region(rule: &Rule, ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let region_of = |name: &str| -> Option<&str> {
        let r = ctx.facts.names.get(name)?;
        let region = match r.kind {
            EntityKind::Service => items(&m.services).nth(r.index)?.value.region.as_ref(),
            EntityKind::Database => items(&m.databases).nth(r.index)?.value.region.as_ref(),
            EntityKind::Cache => items(&m.caches).nth(r.index)?.value.region.as_ref(),
            EntityKind::Queue => None,
        };
        region.map(|r| r.value.as_str())
    };
    let mut out = Vec::new();
    for svc in items(&m.services) {
        let Some(from) = svc.value.region.as_ref() else {
            continue;
        };
        for dep in items(&svc.value.depends_on) {
            if is_async(dep.value.mode.as_ref()) {
                continue;
            }
            let Some(target) = &dep.value.target else {
                continue;
            };
            let Some(to) = region_of(&target.value) else {
                continue;
            };
            if to != from.value {
                let name = svc.value.name.as_ref().map_or("?", |n| n.value.as_str());
                out.push(
                    Finding::new(rule.severity, target.span)
                        .label(from.span, format!("`{name}` runs in `{}`", from.value))
                        .var(
                            "path",
                            format!("{name} ({}) → {} ({to})", from.value, target.value),
                        )
                        .var("hops", "1")
                        .var("edges", "1"),
                );
            }
        }
    }
    out
}
