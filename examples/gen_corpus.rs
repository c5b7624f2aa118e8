//! Generates a deterministic corpus of realistic architecture description
//! files, for benchmarks and end-to-end tests.
//!
//! ```text
//! cargo run --release --example gen_corpus -- OUT_DIR [--seed N]   # seed 42 by default
//! ```
//!
//! Writes `OUT_DIR/small/0000.arch.yaml` … `0999.arch.yaml` (5–40 services
//! each, about 10 KB on average) and `OUT_DIR/large.arch.yaml` (exactly 50,000
//! services, 5,000 databases and 2,000 caches, plus 1,000 queues). Every file
//! is valid per the format (known keys only, valid units, every reference
//! resolves, names unique), and the values cross the rules' thresholds often
//! enough that most rules fire somewhere. The same seed gives the same bytes.

use fastrand::Rng;
use std::collections::HashSet;
use std::fmt::Display;
use std::path::{Path, PathBuf};

const SMALL_FILES: usize = 1_000;
const DEFAULT_SEED: u64 = 42;

// ---------------------------------------------------------------------------
// A tiny YAML emitter: entity functions build nodes, one writer renders them,
// in block or flow style, with comments, anchors and merge keys.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Block,
    Flow,
}

enum Node {
    /// Already rendered (quoted when needed).
    Scalar(String),
    Map(Map),
    Seq(Vec<Node>, Style),
}

struct Entry {
    key: String,
    node: Node,
    anchor: Option<String>,
    /// A comment at the end of the key's line.
    comment: Option<String>,
    /// A comment on its own line above the key.
    lead: Option<String>,
}

struct Map {
    entries: Vec<Entry>,
    style: Style,
}

fn scalar(value: impl Display) -> Node {
    Node::Scalar(value.to_string())
}

impl Map {
    fn new(style: Style) -> Self {
        Map {
            entries: Vec::new(),
            style,
        }
    }

    fn set(&mut self, key: &str, value: impl Display) -> &mut Self {
        self.node(key, scalar(value))
    }

    fn node(&mut self, key: &str, node: Node) -> &mut Self {
        self.entries.push(Entry {
            key: key.to_string(),
            node,
            anchor: None,
            comment: None,
            lead: None,
        });
        self
    }

    /// A comment at the end of the last entry's line.
    fn comment(&mut self, text: &str) -> &mut Self {
        if let Some(last) = self.entries.last_mut() {
            last.comment = Some(text.to_string());
        }
        self
    }

    /// A comment on its own line above the last entry.
    fn lead(&mut self, text: &str) -> &mut Self {
        if let Some(last) = self.entries.last_mut() {
            last.lead = Some(text.to_string());
        }
        self
    }

    fn anchor(&mut self, name: &str) -> &mut Self {
        if let Some(last) = self.entries.last_mut() {
            last.anchor = Some(name.to_string());
        }
        self
    }

    fn into_node(self) -> Node {
        Node::Map(self)
    }
}

/// How a document is laid out, chosen once per file.
struct Layout {
    /// Block sequences at the same indentation as their key (`key:\n- item`).
    indentless: bool,
}

fn is_inline(node: &Node) -> bool {
    match node {
        Node::Scalar(_) => true,
        Node::Map(map) => map.style == Style::Flow || map.entries.is_empty(),
        Node::Seq(items, style) => *style == Style::Flow || items.is_empty(),
    }
}

fn write_flow(out: &mut String, node: &Node) {
    match node {
        Node::Scalar(text) => out.push_str(text),
        Node::Map(map) => {
            out.push('{');
            for (i, entry) in map.entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&entry.key);
                out.push_str(": ");
                write_flow(out, &entry.node);
            }
            out.push('}');
        }
        Node::Seq(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item);
            }
            out.push(']');
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Writes a block mapping at `indent`; with `dash`, its first key follows a
/// `- ` two columns to the left (a mapping that is a sequence item).
fn write_block_map(out: &mut String, map: &Map, indent: usize, dash: bool, layout: &Layout) {
    for (i, entry) in map.entries.iter().enumerate() {
        let dashed = dash && i == 0;
        let line_indent = if dashed { indent - 2 } else { indent };
        if let Some(lead) = &entry.lead {
            pad(out, line_indent);
            out.push_str("# ");
            out.push_str(lead);
            out.push('\n');
        }
        pad(out, line_indent);
        if dashed {
            out.push_str("- ");
        }
        out.push_str(&entry.key);
        out.push(':');
        if let Some(anchor) = &entry.anchor {
            out.push_str(" &");
            out.push_str(anchor);
        }
        let inline = is_inline(&entry.node);
        if inline {
            out.push(' ');
            write_flow(out, &entry.node);
        }
        if let Some(comment) = &entry.comment {
            out.push_str("  # ");
            out.push_str(comment);
        }
        out.push('\n');
        if !inline {
            write_block(out, &entry.node, indent, layout);
        }
    }
}

/// Writes the block-style value of a key that sits at `indent`.
fn write_block(out: &mut String, node: &Node, indent: usize, layout: &Layout) {
    match node {
        Node::Scalar(_) => unreachable!("scalars are written inline"),
        Node::Map(map) => write_block_map(out, map, indent + 2, false, layout),
        Node::Seq(items, _) => {
            let indent = if layout.indentless {
                indent
            } else {
                indent + 2
            };
            for item in items {
                match item {
                    Node::Map(map) if !is_inline(item) => {
                        write_block_map(out, map, indent + 2, true, layout)
                    }
                    _ => {
                        pad(out, indent);
                        out.push_str("- ");
                        write_flow(out, item);
                        out.push('\n');
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Values in the format's units.
// ---------------------------------------------------------------------------

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

/// A value in [lo, hi] whose distribution leans towards `lo` (`skew` > 1),
/// so that high values are the minority that trips the rules.
fn skewed(rng: &mut Rng, lo: f64, hi: f64, skew: f64) -> f64 {
    lo + (hi - lo) * rng.f64().powf(skew)
}

/// A ratio as `0.64`, `64%` or `"64%"`.
fn ratio(rng: &mut Rng, value: f64) -> String {
    let value = value.clamp(0.0, 1.0);
    let percent = (value * 100.0).round();
    match rng.u8(..10) {
        0..=5 => format!("{:.2}", (value * 100.0).round() / 100.0),
        6..=7 => format!("{percent}%"),
        _ => format!("\"{percent}%\""),
    }
}

/// A ratio drawn with [`skewed`].
fn skewed_ratio(rng: &mut Rng, lo: f64, hi: f64, skew: f64) -> String {
    let value = skewed(rng, lo, hi, skew);
    ratio(rng, value)
}

/// A duration as `420ms`, or in seconds / minutes when it reads better.
fn duration(rng: &mut Rng, ms: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
    ];
    for (unit, size) in UNITS {
        if ms >= size && ms % size == 0 && chance(rng, 0.85) {
            return format!("{}{unit}", ms / size);
        }
    }
    if ms >= 1_000 && ms % 100 == 0 && rng.bool() {
        format!("{}s", ms as f64 / 1000.0)
    } else {
        format!("{ms}ms")
    }
}

/// A size given in megabytes, as `15GB`, `700MB` or (rounded up) `14GiB`.
fn size(rng: &mut Rng, mb: u64) -> String {
    const MB_PER_GIB: f64 = 1_073.741_824;
    if mb % 1_000 != 0 {
        format!("{mb}MB")
    } else if chance(rng, 0.15) {
        format!("{}GiB", (mb as f64 / MB_PER_GIB).ceil())
    } else {
        format!("{}GB", mb / 1_000)
    }
}

fn date(rng: &mut Rng) -> String {
    let year = 2023 + rng.u32(..4);
    format!("{year}-{:02}-{:02}", rng.u32(1..=12), rng.u32(1..=28))
}

/// A style for a small mapping such as `metrics`: flow with the file's
/// `flow_bias` (30–80%), block otherwise, as people mix them.
fn small_map_style(rng: &mut Rng, flow_bias: f64) -> Style {
    if chance(rng, flow_bias) {
        Style::Flow
    } else {
        Style::Block
    }
}

// ---------------------------------------------------------------------------
// The plan of one file: names and the shape of the dependency graph, fixed
// before any entity is written so that every reference resolves.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Api,
    Web,
    Worker,
    Gateway,
    External,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Api => "api",
            Kind::Web => "web",
            Kind::Worker => "worker",
            Kind::Gateway => "gateway",
            Kind::External => "external",
        }
    }

    /// The word in the names of this kind's services. The word lists of
    /// services, databases, caches and queues are disjoint, and names end in
    /// `-WORD-INDEX`, so names are unique across all four.
    fn words(self) -> &'static [&'static str] {
        match self {
            Kind::Api => &["api", "svc", "service"],
            Kind::Web => &["web", "frontend"],
            Kind::Worker => &["worker", "consumer", "processor"],
            Kind::Gateway => &["gateway", "bff", "edge"],
            Kind::External => &["client", "external"],
        }
    }
}

#[rustfmt::skip]
const DOMAINS: &[&str] = &[
    "checkout", "cart", "catalog", "search", "payments", "orders", "inventory", "users",
    "auth", "billing", "shipping", "notifications", "recommendations", "reviews", "pricing",
    "media", "analytics", "accounts", "profile", "feed", "chat", "ledger", "fraud",
    "promotions", "fulfillment", "identity", "reporting", "messaging", "geo", "booking",
];
#[rustfmt::skip]
const VENDORS: &[&str] = &[
    "stripe", "twilio", "sendgrid", "adyen", "maps", "geoip", "auth0", "segment", "paypal",
];
const DB_WORDS: &[&str] = &["db", "store", "pg"];
const CACHE_WORDS: &[&str] = &["cache", "redis"];
const QUEUE_WORDS: &[&str] = &["events", "jobs", "queue", "stream"];
#[rustfmt::skip]
const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "us"), ("eu-west-1", "eu"), ("us-west-2", "us"),
    ("eu-central-1", "eu"), ("ap-southeast-1", "sg"), ("eu-west-2", "uk"),
];
#[rustfmt::skip]
const DATA_CLASSES: &[(&str, &str)] = &[
    ("payment-records", "financial"), ("stock-levels", "inventory"),
    ("timeline-posts", "social_feed"), ("clickstream", "analytics"),
    ("direct-messages", "messaging"), ("shared-docs", "collaboration"),
    ("login-sessions", "session"), ("user-profiles", "profile"), ("audit-trail", "other"),
];

struct Sizes {
    services: usize,
    databases: usize,
    caches: usize,
    queues: usize,
}

struct Plan {
    system: String,
    stage: u8,
    services: Vec<(String, Kind)>,
    databases: Vec<String>,
    caches: Vec<String>,
    queues: Vec<String>,
    /// (name, jurisdiction); empty: one implicit region.
    regions: Vec<(&'static str, &'static str)>,
    /// (name, kind) of the data classes.
    data: Vec<(&'static str, &'static str)>,
    /// Extra sync service-to-service edges (from, to) that close cycles.
    cycle_edges: Vec<(usize, usize)>,
    /// Services of kind api/web/gateway merge `<<: *service-defaults`.
    defaults_anchor: bool,
    /// Probability that a small mapping is written in flow style.
    flow_bias: f64,
    layout: Layout,
}

fn entity_name(rng: &mut Rng, domains: &[&str], words: &[&str], index: usize) -> String {
    format!("{}-{}-{index}", pick(rng, domains), pick(rng, words))
}

fn service_kind(rng: &mut Rng, index: usize) -> Kind {
    if index == 0 {
        return *pick(rng, &[Kind::Gateway, Kind::Web]);
    }
    match rng.u8(..100) {
        0..=44 => Kind::Api,
        45..=54 => Kind::Web,
        55..=79 => Kind::Worker,
        80..=89 => Kind::Gateway,
        _ => Kind::External,
    }
}

/// A few sync cycles between non-external services (two or three edges).
fn cycle_edges(rng: &mut Rng, services: &[(String, Kind)], cycles: usize) -> Vec<(usize, usize)> {
    let internal: Vec<usize> = (0..services.len())
        .filter(|&i| services[i].1 != Kind::External)
        .collect();
    let mut edges = Vec::new();
    for _ in 0..cycles {
        if internal.len() < 3 {
            break;
        }
        let mut ring: Vec<usize> = (0..rng.usize(2..=3))
            .map(|_| *pick(rng, &internal))
            .collect();
        ring.sort_unstable();
        ring.dedup();
        if ring.len() < 2 {
            continue;
        }
        for k in 0..ring.len() {
            edges.push((ring[k], ring[(k + 1) % ring.len()]));
        }
    }
    edges
}

fn plan(rng: &mut Rng, stage: u8, sizes: &Sizes, cycles: usize) -> Plan {
    let services: Vec<(String, Kind)> = (0..sizes.services)
        .map(|i| {
            let kind = service_kind(rng, i);
            let domains = if kind == Kind::External {
                VENDORS
            } else {
                DOMAINS
            };
            (entity_name(rng, domains, kind.words(), i), kind)
        })
        .collect();
    let databases = (0..sizes.databases)
        .map(|i| entity_name(rng, DOMAINS, DB_WORDS, i))
        .collect();
    let caches = (0..sizes.caches)
        .map(|i| entity_name(rng, DOMAINS, CACHE_WORDS, i))
        .collect();
    let queues = (0..sizes.queues)
        .map(|i| entity_name(rng, DOMAINS, QUEUE_WORDS, i))
        .collect();
    let region_count = match stage {
        4 if chance(rng, 0.85) => rng.usize(2..=4),
        3 if chance(rng, 0.5) => rng.usize(1..=3),
        _ if chance(rng, 0.1) => 1,
        _ => 0,
    };
    let mut regions = REGIONS.to_vec();
    rng.shuffle(&mut regions);
    regions.truncate(region_count);
    let mut data = Vec::new();
    if stage >= 2 && chance(rng, 0.5) {
        data = DATA_CLASSES.to_vec();
        rng.shuffle(&mut data);
        data.truncate(rng.usize(2..=5));
    }
    let cycle_edges = cycle_edges(rng, &services, cycles);
    let plan = Plan {
        system: format!(
            "{}-{}",
            pick(rng, DOMAINS),
            pick(rng, &["platform", "shop", "app", "hub", "cloud"])
        ),
        stage,
        services,
        databases,
        caches,
        queues,
        regions,
        data,
        cycle_edges,
        defaults_anchor: chance(rng, 0.1),
        flow_bias: 0.3 + 0.5 * rng.f64(),
        layout: Layout {
            indentless: chance(rng, 0.2),
        },
    };
    assert_unique_names(&plan);
    plan
}

fn assert_unique_names(plan: &Plan) {
    let mut seen = HashSet::new();
    let all = plan
        .services
        .iter()
        .map(|(name, _)| name)
        .chain(&plan.databases)
        .chain(&plan.caches)
        .chain(&plan.queues);
    for name in all {
        assert!(seen.insert(name.as_str()), "duplicate name {name}");
    }
}

impl Plan {
    fn has_regions(&self) -> bool {
        !self.regions.is_empty()
    }

    fn region(&self, rng: &mut Rng) -> &'static str {
        pick(rng, &self.regions).0
    }

    fn region_jurisdiction(&self, rng: &mut Rng) -> &'static str {
        pick(rng, &self.regions).1
    }

    /// One of `count` entities, near the position of item `index` of `total`:
    /// references stay local (a service uses the databases "next to" it) and
    /// spread evenly over the targets in big files.
    fn near(&self, rng: &mut Rng, index: usize, total: usize, count: usize) -> usize {
        (index * count / total.max(1) + rng.usize(..3)) % count
    }
}

// ---------------------------------------------------------------------------
// One function per entity kind.
// ---------------------------------------------------------------------------

fn users_for_stage(rng: &mut Rng, stage: u8) -> u64 {
    let (lo, hi) = match stage {
        1 => (200, 9_999),
        2 => (10_000, 99_999),
        3 => (100_000, 999_999),
        _ => (1_000_000, 40_000_000),
    };
    let users = rng.u64(lo..=hi);
    if users > 1_000 {
        users / 100 * 100
    } else {
        users
    }
}

fn system(rng: &mut Rng, plan: &Plan, users: u64) -> Node {
    let mut m = Map::new(Style::Block);
    m.set("name", &plan.system);
    if chance(rng, 0.15) {
        // Usually the stage users imply, sometimes one off (SL004).
        let declared = match rng.u8(..4) {
            0 => plan.stage.saturating_sub(1).max(1),
            1 => (plan.stage + 1).min(4),
            _ => plan.stage,
        };
        m.set("stage", declared);
    }
    m.set("users", users);
    m.set("peak_rps", (users / rng.u64(20..200)).max(5));
    if chance(rng, 0.8) {
        m.set("growth", format!("{:.1}", skewed(rng, 1.0, 6.0, 2.0)));
    }
    if chance(rng, 0.5) {
        m.set("safety_margin", pick(rng, &["1.5", "2", "1.3"]));
    }
    if chance(rng, 0.6) {
        let share = skewed(rng, 0.05, 0.6, 1.5);
        m.set("static_bandwidth_share", ratio(rng, share));
    }
    let slas = ["99.5", "99.9", "99.95", "99.99", "\"99.9%\"", "99.999"];
    if chance(rng, 0.7) {
        let sla = if plan.stage == 4 && rng.bool() {
            "99.99"
        } else {
            *pick(rng, &slas)
        };
        m.set("sla", sla);
    }
    if plan.stage == 4 || chance(rng, 0.1) {
        match rng.u8(..5) {
            0 => {
                m.node("compliance", Node::Seq(Vec::new(), Style::Flow));
            }
            1 => {}
            _ => {
                let mut all = ["soc2", "gdpr", "hipaa", "pci-dss", "iso27001"];
                rng.shuffle(&mut all);
                let list = all[..rng.usize(1..=3)].iter().map(scalar).collect();
                m.node("compliance", Node::Seq(list, Style::Flow));
            }
        }
    }
    if plan.has_regions() && chance(rng, 0.5) {
        // Mostly jurisdictions the regions cover, sometimes one they do not (SL406).
        let mut wanted: Vec<&str> = vec![plan.region_jurisdiction(rng)];
        if chance(rng, 0.2) {
            wanted.push(*pick(rng, &["uk", "jp", "ca"]));
        }
        wanted.dedup();
        m.node(
            "data_residency",
            Node::Seq(wanted.into_iter().map(scalar).collect(), Style::Flow),
        );
    }
    if plan.regions.len() >= 2 {
        m.set(
            "multi_region",
            pick(rng, &["active-passive", "active-active", "follow-the-sun"]),
        );
    }
    if chance(rng, 0.5) {
        let floor = [100u64, 1_000, 10_000, 100_000][usize::from(plan.stage - 1)];
        m.set("monthly_budget_usd", floor * rng.u64(1..=20) / 4);
    }
    m.into_node()
}

fn regions(rng: &mut Rng, plan: &Plan) -> Node {
    let items = plan
        .regions
        .iter()
        .enumerate()
        .map(|(i, (name, jurisdiction))| {
            let mut m = Map::new(small_map_style(rng, plan.flow_bias));
            m.set("name", name).set("jurisdiction", jurisdiction);
            let role = if i == 0 {
                "primary"
            } else {
                pick(rng, &["secondary", "active"])
            };
            m.set("role", role);
            m.into_node()
        })
        .collect();
    Node::Seq(items, Style::Block)
}

fn service_defaults() -> Node {
    let mut m = Map::new(Style::Flow);
    m.set("stateless", true).set("tracing", true);
    m.into_node()
}

fn autoscaling(rng: &mut Rng, plan: &Plan, instances: u64) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("min", instances.max(1));
    m.set("max", instances.max(1) * rng.u64(1..=4) + rng.u64(0..3));
    m.set(
        "metric",
        pick(rng, &["cpu", "rps", "cpu", "queue_depth", "memory"]),
    );
    let target = rng.u32(50..=80) as f64 / 100.0;
    m.set("target", ratio(rng, target));
    m.into_node()
}

fn service_metrics(rng: &mut Rng, plan: &Plan, capacity: u64, instances: u64) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    // Load as a share of provisioned capacity; above 1 is overloaded (SL501).
    let load = skewed(rng, 0.15, 1.3, 1.5);
    m.set(
        "rps",
        (capacity as f64 * instances as f64 * load).round() as u64,
    );
    let p95 = skewed(rng, 25.0, 1600.0, 4.0) as u64 / 5 * 5;
    m.set("p95_latency", duration(rng, p95));
    m.set("cpu", skewed_ratio(rng, 0.08, 0.97, 1.3));
    if chance(rng, 0.6) {
        m.set("memory", skewed_ratio(rng, 0.2, 0.95, 1.0));
    }
    if chance(rng, 0.6) {
        m.set(
            "db_queries_per_request",
            skewed(rng, 1.0, 26.0, 2.0).round() as u64,
        );
    }
    if chance(rng, 0.4) {
        m.set("error_rate", format!("{:.3}", skewed(rng, 0.0, 0.05, 3.0)));
    }
    m.into_node()
}

fn dependency(rng: &mut Rng, plan: &Plan, target: &str, sync: bool) -> Map {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("target", target);
    if !sync {
        m.set("mode", "async");
    } else if chance(rng, 0.15) {
        m.set("mode", "sync");
    }
    if chance(rng, 0.3) {
        let timeout = *pick(rng, &[100, 250, 500, 800, 1_000, 2_000, 5_000]);
        m.set("timeout", duration(rng, timeout));
    }
    if sync && chance(rng, 0.4) {
        m.set("circuit_breaker", rng.bool());
    }
    if chance(rng, 0.15) {
        m.set("critical", false);
    }
    m
}

fn database_dependency(rng: &mut Rng, plan: &Plan, target: &str) -> Map {
    let mut m = dependency(rng, plan, target, true);
    if chance(rng, 0.7) {
        m.set("pool_size", *pick(rng, &[5, 10, 10, 20, 25, 50]));
    }
    if chance(rng, 0.3) {
        m.set("reads_from", pick(rng, &["primary", "replica"]));
    }
    m
}

fn dependencies(rng: &mut Rng, plan: &Plan, index: usize) -> Vec<Node> {
    let n = plan.services.len();
    let mut seen = HashSet::new();
    let mut deps = Vec::new();
    // One dependency per target.
    let mut add = |target: &str, dep: Map| {
        if seen.insert(target.to_string()) {
            deps.push(dep.into_node());
        }
    };
    for &(_, to) in plan.cycle_edges.iter().filter(|(from, _)| *from == index) {
        let target = &plan.services[to].0;
        add(target, dependency(rng, plan, target, true));
    }
    // Mostly forward edges to the next few services: chains, no cycles.
    for _ in 0..*pick(rng, &[0, 0, 1, 1, 1, 2]) {
        let to = index + rng.usize(1..=6);
        if to < n {
            let target = &plan.services[to].0;
            let sync = chance(rng, 0.8);
            add(target, dependency(rng, plan, target, sync));
        }
    }
    if !plan.databases.is_empty() {
        for _ in 0..*pick(rng, &[0, 1, 1, 1, 2]) {
            let db = &plan.databases[plan.near(rng, index, n, plan.databases.len())];
            add(db, database_dependency(rng, plan, db));
        }
    }
    if !plan.caches.is_empty() && chance(rng, 0.4) {
        let cache = &plan.caches[plan.near(rng, index, n, plan.caches.len())];
        add(cache, dependency(rng, plan, cache, true));
    }
    if !plan.queues.is_empty() && chance(rng, 0.3) {
        let queue = &plan.queues[plan.near(rng, index, n, plan.queues.len())];
        add(queue, dependency(rng, plan, queue, false));
    }
    deps
}

fn service(rng: &mut Rng, plan: &Plan, index: usize) -> Node {
    let (name, kind) = &plan.services[index];
    let kind = *kind;
    let mut m = Map::new(Style::Block);
    m.set("name", name);
    if index > 0 && chance(rng, 0.05) {
        let notes = [
            "owned by the platform team",
            "TODO: split this one",
            "legacy — migrating to the new stack",
        ];
        let note = pick(rng, &notes);
        m.lead(note);
    }
    if kind != Kind::Api || chance(rng, 0.3) {
        m.set("kind", kind.as_str());
    }
    if kind == Kind::External {
        if chance(rng, 0.5) {
            m.set("capacity_rps", rng.u64(50..=2_000));
        }
        return m.into_node();
    }
    let merges = plan.defaults_anchor && matches!(kind, Kind::Api | Kind::Web | Kind::Gateway);
    if merges {
        m.set("<<", "*service-defaults");
    } else if chance(rng, 0.8) {
        m.set("stateless", chance(rng, 0.75));
    }
    let instances = *pick(rng, &[1, 1, 2, 2, 3, 4, 6, 8, 12]);
    m.set("instances", instances);
    if instances >= 6 && chance(rng, 0.2) {
        m.comment("scaled up for the holiday peak");
    }
    let capacity = rng.u64(10..=150) * 10;
    m.set("capacity_rps", capacity);
    if chance(rng, 0.4 + 0.15 * f64::from(plan.stage)) {
        m.node("autoscaling", autoscaling(rng, plan, instances));
    }
    if plan.has_regions() && chance(rng, 0.7) {
        m.set("region", plan.region(rng));
    }
    if !merges && chance(rng, 0.6) {
        m.set("tracing", chance(rng, 0.7));
    }
    if kind != Kind::Worker && chance(rng, 0.3) {
        m.set("background_jobs", pick(rng, &["inline", "queue", "none"]));
    }
    if chance(rng, 0.85) {
        m.node("metrics", service_metrics(rng, plan, capacity, instances));
    }
    let deps = dependencies(rng, plan, index);
    if !deps.is_empty() {
        m.node("depends_on", Node::Seq(deps, Style::Block));
    }
    if chance(rng, 0.03) {
        m.set("x-owner", format!("team-{}", pick(rng, DOMAINS)));
    }
    m.into_node()
}

fn replicas(rng: &mut Rng, plan: &Plan, reads_per_sec: u64) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    let capacity = rng.u64(10..=80) * 100;
    // Enough replicas for the reads most of the time, too few sometimes (SL503).
    let needed = reads_per_sec.div_ceil(capacity);
    let count = if chance(rng, 0.3) {
        needed.saturating_sub(rng.u64(1..=2))
    } else {
        needed + rng.u64(0..=1)
    };
    m.set("count", count.max(1));
    m.set("capacity_rps", capacity);
    let lag = skewed(rng, 5.0, 2_500.0, 3.0) as u64 / 5 * 5;
    m.set("lag", duration(rng, lag));
    if plan.regions.len() >= 2 && chance(rng, 0.6) {
        let names = plan.regions[1..].iter().map(|r| scalar(r.0)).collect();
        m.node("regions", Node::Seq(names, Style::Flow));
    }
    m.into_node()
}

fn database_metrics(
    rng: &mut Rng,
    plan: &Plan,
    max_connections: u64,
    reads: u64,
    writes: u64,
) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("cpu", skewed_ratio(rng, 0.1, 0.95, 1.2));
    m.set(
        "read_ratio",
        ratio(rng, reads as f64 / (reads + writes).max(1) as f64),
    );
    m.set("reads_per_sec", reads);
    m.set("writes_per_sec", writes);
    m.set(
        "connections",
        (max_connections as f64 * skewed(rng, 0.1, 0.95, 1.2)) as u64,
    );
    if chance(rng, 0.5) {
        let slow = rng.u64(2..=80) * 5;
        m.set("slow_query_p95", duration(rng, slow));
    }
    if chance(rng, 0.5) {
        m.set("repeated_query_ratio", skewed_ratio(rng, 0.02, 0.7, 1.2));
    }
    m.into_node()
}

fn sharding(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("strategy", pick(rng, &["hash", "range", "directory"]));
    m.set("shards", *pick(rng, &[4, 8, 16, 32, 64]));
    m.set(
        "key",
        pick(rng, &["user_id", "tenant_id", "order_id", "created_at"]),
    );
    m.set("key_kind", pick(rng, &["random", "sequential", "time"]));
    m.into_node()
}

fn database(rng: &mut Rng, plan: &Plan, index: usize) -> Node {
    let mut m = Map::new(Style::Block);
    m.set("name", &plan.databases[index]);
    m.set(
        "engine",
        pick(
            rng,
            &[
                "postgres",
                "postgres",
                "mysql",
                "mongodb",
                "cassandra",
                "dynamodb",
            ],
        ),
    );
    if plan.has_regions() && chance(rng, 0.8) {
        m.set("region", plan.region(rng));
    }
    let cores = *pick(rng, &[2u64, 4, 8, 8, 16, 32, 64]);
    m.set("cores", cores);
    if chance(rng, 0.2) {
        m.set("spindles", rng.u64(1..=4));
    }
    let max_connections = *pick(rng, &[100u64, 200, 300, 500, 1_000]);
    m.set("max_connections", max_connections);
    let pooler = *pick(
        rng,
        &["none", "pgbouncer", "pgbouncer", "proxysql", "builtin"],
    );
    if chance(rng, 0.7) {
        m.set("pooler", pooler);
    }
    if chance(rng, 0.6) {
        // Around the recommended cores × 2 + 1, above it a third of the time (SL502).
        let recommended = cores * 2 + 1;
        let pool = if chance(rng, 0.35) {
            recommended + rng.u64(2..=20)
        } else {
            recommended.saturating_sub(rng.u64(0..=recommended / 2))
        };
        m.set("pool_size", pool.max(2));
    }
    let reads = rng.u64(10..=400) * 50;
    let writes = (reads as f64 * skewed(rng, 0.02, 0.6, 1.5)) as u64;
    if chance(rng, 0.4) {
        let capacity = (writes as f64 / skewed(rng, 0.3, 1.1, 1.0)).round() as u64;
        m.set("write_capacity_wps", capacity.max(100) / 10 * 10);
    }
    if chance(rng, 0.3) {
        m.set("read_write_split", rng.bool());
    }
    m.node(
        "metrics",
        database_metrics(rng, plan, max_connections, reads, writes),
    );
    if chance(rng, 0.6) {
        m.node("replicas", replicas(rng, plan, reads));
    }
    if (plan.stage >= 3 && chance(rng, 0.3)) || chance(rng, 0.04) {
        m.node("sharding", sharding(rng, plan));
    }
    if !plan.data.is_empty() && chance(rng, 0.7) {
        let stores = (0..rng.usize(1..=2))
            .map(|_| pick(rng, &plan.data).0)
            .collect::<HashSet<_>>();
        let mut stores: Vec<_> = stores.into_iter().collect();
        stores.sort_unstable();
        m.node(
            "stores",
            Node::Seq(stores.into_iter().map(scalar).collect(), Style::Flow),
        );
    }
    m.into_node()
}

fn cache_ttl(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    let keys: &[(&str, &[u64])] = &[
        ("session", &[15, 30, 60, 1_440]),
        ("user_profile", &[2, 5, 10, 15, 30]),
        ("api_response", &[1, 5, 10]),
        ("query_result", &[1, 2, 5, 10]),
        ("computed", &[10, 60, 360]),
    ];
    for (key, minutes) in keys {
        if chance(rng, 0.45) {
            let ms = pick(rng, minutes) * 60_000;
            m.set(key, duration(rng, ms));
        }
    }
    if m.entries.is_empty() {
        m.set("session", "30m");
    }
    m.into_node()
}

fn cache(rng: &mut Rng, plan: &Plan, index: usize) -> Node {
    let mut m = Map::new(if chance(rng, plan.flow_bias / 2.0) {
        Style::Flow
    } else {
        Style::Block
    });
    m.set("name", &plan.caches[index]);
    m.set("engine", pick(rng, &["redis", "redis", "memcached"]));
    if plan.has_regions() && chance(rng, 0.7) {
        m.set("region", plan.region(rng));
    }
    // Memory at 1.0–2.5 × the working set: below 1.5 × a third of the time (SL504).
    let (working_set_mb, step) = if chance(rng, 0.15) {
        (rng.u64(2..=9) * 100, 100.0)
    } else {
        (rng.u64(1..=64) * 1_000, 1_000.0)
    };
    let factor = skewed(rng, 1.0, 2.5, 0.8);
    let memory_mb = (working_set_mb as f64 * factor / step).ceil() as u64 * step as u64;
    m.set("memory", size(rng, memory_mb));
    if chance(rng, 0.8) {
        m.set("working_set", size(rng, working_set_mb));
    }
    if chance(rng, 0.6) {
        // Mostly high, below 80% now and then (SL210).
        let hit_rate = 0.99 - skewed(rng, 0.0, 0.45, 2.0);
        m.set("hit_rate", ratio(rng, hit_rate));
    }
    if !plan.databases.is_empty() && chance(rng, 0.9) {
        let n = plan.caches.len();
        let mut backs = vec![plan.near(rng, index, n, plan.databases.len())];
        if chance(rng, 0.2) {
            backs.push(rng.usize(..plan.databases.len()));
        }
        backs.sort_unstable();
        backs.dedup();
        let names = backs
            .into_iter()
            .map(|i| scalar(&plan.databases[i]))
            .collect();
        m.node("backs", Node::Seq(names, Style::Flow));
    }
    if chance(rng, 0.85) {
        m.node("ttl", cache_ttl(rng, plan));
    }
    m.into_node()
}

fn queue(rng: &mut Rng, plan: &Plan, index: usize) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("name", &plan.queues[index]);
    m.set("engine", pick(rng, &["kafka", "sqs", "rabbitmq", "redis"]));
    // Consumers: workers near the queue's position, else any service.
    let n = plan.services.len();
    let start = plan.near(rng, index, plan.queues.len(), n);
    let workers: Vec<usize> = (0..n.min(50))
        .map(|k| (start + k) % n)
        .filter(|&i| plan.services[i].1 == Kind::Worker)
        .take(rng.usize(1..=3))
        .collect();
    let consumers = if workers.is_empty() {
        vec![start]
    } else {
        workers
    };
    let names = consumers
        .into_iter()
        .map(|i| scalar(&plan.services[i].0))
        .collect();
    m.node("consumers", Node::Seq(names, Style::Flow));
    if chance(rng, 0.8) {
        m.set("dead_letter", chance(rng, 0.7));
    }
    m.into_node()
}

fn data_classes(rng: &mut Rng, plan: &Plan) -> Node {
    let items = plan
        .data
        .iter()
        .map(|(name, kind)| {
            let mut m = Map::new(small_map_style(rng, plan.flow_bias));
            m.set("name", name).set("kind", kind);
            let consistency = match *kind {
                "financial" | "inventory" if chance(rng, 0.8) => "strong",
                _ => pick(rng, &["strong", "eventual", "eventual", "causal"]),
            };
            m.set("consistency", consistency);
            m.into_node()
        })
        .collect();
    Node::Seq(items, Style::Block)
}

fn cdn(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("enabled", chance(rng, 0.85));
    if plan.stage == 4 || chance(rng, 0.2) {
        m.set("global", chance(rng, 0.7));
    }
    m.into_node()
}

fn load_balancer(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("enabled", chance(rng, 0.9));
    if chance(rng, 0.8) {
        m.set("health_checks", chance(rng, 0.85));
    }
    m.into_node()
}

fn deployment(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(Style::Block);
    m.set("zero_downtime", chance(rng, 0.8));
    m.set(
        "strategy",
        pick(rng, &["rolling", "blue-green", "canary", "recreate"]),
    );
    m.set("chaos_engineering", chance(rng, 0.4));
    if chance(rng, 0.7) {
        let mut dr = Map::new(small_map_style(rng, plan.flow_bias));
        dr.set("tested", date(rng));
        let (rto, rpo) = (
            *pick(rng, &[15u64, 60, 240]),
            *pick(rng, &[1u64, 5, 15, 60]),
        );
        dr.set("rto", duration(rng, rto * 60_000));
        dr.set("rpo", duration(rng, rpo * 60_000));
        m.node("disaster_recovery", dr.into_node());
    }
    m.into_node()
}

fn observability(rng: &mut Rng, plan: &Plan) -> Node {
    let mut m = Map::new(small_map_style(rng, plan.flow_bias));
    m.set("monitoring", chance(rng, 0.85));
    m.set(
        "tracing",
        pick(rng, &["otel", "jaeger", "zipkin", "datadog", "none"]),
    );
    if chance(rng, 0.5) {
        m.set("slow_query_log", rng.bool());
    }
    m.into_node()
}

// ---------------------------------------------------------------------------
// A whole document.
// ---------------------------------------------------------------------------

fn list<F>(rng: &mut Rng, plan: &Plan, count: usize, mut item: F) -> Node
where
    F: FnMut(&mut Rng, &Plan, usize) -> Node,
{
    Node::Seq(
        (0..count).map(|i| item(rng, plan, i)).collect(),
        Style::Block,
    )
}

fn document(rng: &mut Rng, plan: &Plan) -> String {
    let users = users_for_stage(rng, plan.stage);
    let mut top = Map::new(Style::Block);
    top.set("version", 1);
    top.node("system", system(rng, plan, users));
    if plan.has_regions() {
        top.node("regions", regions(rng, plan));
    }
    if plan.defaults_anchor {
        top.node("x-service-defaults", service_defaults())
            .anchor("service-defaults")
            .lead("shared by the request-serving services below");
    }
    top.node("services", list(rng, plan, plan.services.len(), service))
        .lead("--- compute ---");
    top.node("databases", list(rng, plan, plan.databases.len(), database))
        .lead("--- storage ---");
    if !plan.caches.is_empty() {
        top.node("caches", list(rng, plan, plan.caches.len(), cache));
    }
    if !plan.queues.is_empty() {
        top.node("queues", list(rng, plan, plan.queues.len(), queue));
    }
    if !plan.data.is_empty() {
        top.node("data", data_classes(rng, plan));
    }
    if plan.stage == 4 || chance(rng, 0.6) {
        top.node("cdn", cdn(rng, plan));
    }
    // Absent or disabled now and then (SL203).
    if chance(rng, 0.8) {
        top.node("load_balancer", load_balancer(rng, plan));
    }
    if plan.stage >= 3 && chance(rng, 0.75) {
        top.node("deployment", deployment(rng, plan));
    }
    if chance(rng, 0.9) {
        top.node("observability", observability(rng, plan));
    }

    let mut out = format!(
        "# Architecture of {} — stage {}, {} users\n# Generated by scalelint's gen_corpus example.\n",
        plan.system, plan.stage, users
    );
    write_block_map(&mut out, &top, 0, false, &plan.layout);
    out
}

// ---------------------------------------------------------------------------
// The corpus.
// ---------------------------------------------------------------------------

/// A generator for item `index` of a corpus: independent of the others, so
/// that a change to one file's shape does not shift the rest.
fn rng_for(seed: u64, index: u64) -> Rng {
    Rng::with_seed(seed ^ index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn small_file(seed: u64, index: usize) -> String {
    let mut rng = rng_for(seed, index as u64);
    let stage = *pick(&mut rng, &[1, 1, 1, 2, 2, 2, 3, 3, 3, 4]);
    let sizes = Sizes {
        services: rng.usize(5..=40),
        databases: rng.usize(1..=5),
        caches: rng.usize(0..=3),
        queues: if chance(&mut rng, 0.6) {
            rng.usize(1..=4)
        } else {
            0
        },
    };
    let cycles = usize::from(chance(&mut rng, 0.06));
    let plan = plan(&mut rng, stage, &sizes, cycles);
    document(&mut rng, &plan)
}

fn large_file(seed: u64) -> String {
    let mut rng = rng_for(seed, u64::MAX);
    let sizes = Sizes {
        services: 50_000,
        databases: 5_000,
        caches: 2_000,
        queues: 1_000,
    };
    let plan = plan(&mut rng, 4, &sizes, 5);
    document(&mut rng, &plan)
}

fn write(path: &Path, text: &str) -> u64 {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    text.len() as u64
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus OUT_DIR [--seed N]");
    std::process::exit(2);
}

fn parse_args() -> (PathBuf, u64) {
    let mut out = None;
    let mut seed = DEFAULT_SEED;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| usage());
            }
            "-h" | "--help" => usage(),
            _ if out.is_none() && !arg.starts_with('-') => out = Some(PathBuf::from(arg)),
            _ => usage(),
        }
    }
    (out.unwrap_or_else(|| usage()), seed)
}

fn main() {
    let (out_dir, seed) = parse_args();
    let small_dir = out_dir.join("small");
    std::fs::create_dir_all(&small_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", small_dir.display()));

    let small_bytes: u64 = (0..SMALL_FILES)
        .map(|i| {
            write(
                &small_dir.join(format!("{i:04}.arch.yaml")),
                &small_file(seed, i),
            )
        })
        .sum();
    println!(
        "{}: {SMALL_FILES} files, {small_bytes} bytes (average {} bytes)",
        small_dir.display(),
        small_bytes / SMALL_FILES as u64
    );

    let large_path = out_dir.join("large.arch.yaml");
    let large_bytes = write(&large_path, &large_file(seed));
    println!(
        "{}: 1 file, {large_bytes} bytes (50000 services, 5000 databases, 2000 caches, 1000 queues)",
        large_path.display()
    );
    println!("seed {seed}; total {} bytes", small_bytes + large_bytes);
}
