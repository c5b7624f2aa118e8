//! Shared pieces of the fuzz targets: a linter set up as `scalelint check`
//! sets it up, a fixed description for the CEL target, and a generator that
//! turns fuzzer bytes into description-shaped YAML, so that mutations reach
//! the model and the rules instead of dying in the YAML parser.

use scalelint::check::Linter;
use scalelint::engine::RuleSet;
use scalelint::registry;

/// A fixed `--today`, so that a finding never depends on the day of the run.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("a valid date")
}

/// A linter with every built-in rule (plus `extra`) enabled, as
/// `scalelint check --stage S --load F` builds it.
pub fn linter_with(extra: Vec<scalelint::engine::Rule>, stage: Option<u8>, load: f64) -> Linter {
    static BUILTIN: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    let mut rule_set = BUILTIN
        .get_or_init(|| RuleSet::builtin().expect("the built-in rules compile"))
        .clone();
    rule_set.rules.extend(extra);
    let rules = registry::all_rules(&rule_set);
    let selection = registry::select(&rules, &[], &[]).expect("the default selection");
    Linter {
        rules,
        selection,
        rule_set,
        stage,
        load,
        today: today(),
        policy: Default::default(),
    }
}

pub fn linter(stage: Option<u8>, load: f64) -> Linter {
    linter_with(Vec::new(), stage, load)
}

/// Load factors worth trying: ordinary, tiny, huge, and ones that overflow
/// derived quantities.
pub const LOADS: [f64; 6] = [1.0, 10.0, 0.001, 2.5, 1e6, 1e300];

/// A description that uses every kind of entity, for expressions to run on.
pub const MODEL: &str = r#"version: 1
system:
  name: shop
  users: 120000
  stage: 3
  growth: 20%
  sla: 99.9%
  monthly_budget_usd: 5000
  multi_region: true
regions:
  - name: eu
    role: primary
  - name: us
    role: secondary
services:
  - name: api
    kind: api
    instances: 3
    stateless: true
    capacity_rps: 800
    metrics: {cpu: 0.72, memory: 0.5, rps: 1500, error_rate: 0.2%}
    depends_on: [db, cache, jobs]
    circuit_breaker: true
    timeout: 2s
  - name: worker
    kind: worker
    instances: 1
    metrics: {cpu: 0.4}
    depends_on: [jobs, db]
databases:
  - name: db
    engine: postgres
    replicas: 2
    metrics: {reads_per_sec: 4000, writes_per_sec: 300, connections: 180, cpu: 0.6}
    max_connections: 200
caches:
  - name: cache
    hit_rate: 85%
    ttl: 5m
queues:
  - name: jobs
    dead_letter: true
observability: {monitoring: true, tracing: otel}
"#;

/// Reads choices from the fuzzer's bytes; past the end every choice is 0.
pub struct Choices<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices { data, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n.max(1)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// Every key of the format (FORMAT.md), and a few that are not.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "api_response", "autoscaling", "background_jobs", "backs", "caches", "capacity_rps", "cdn",
    "chaos_engineering", "circuit_breaker", "compliance", "computed", "connections",
    "consistency", "consumers", "cores", "count", "cpu", "critical", "data", "data_residency",
    "databases", "db_queries_per_request", "dead_letter", "depends_on", "deployment",
    "disaster_recovery", "enabled", "engine", "error_rate", "global", "growth", "health_checks",
    "hit_rate", "instances", "jurisdiction", "key", "key_kind", "kind", "lag", "load_balancer",
    "max", "max_connections", "memory", "metric", "metrics", "min", "mode", "monitoring",
    "monthly_budget_usd", "multi_region", "name", "observability", "peak_rps", "pool_size",
    "pooler", "query_result", "queues", "read_ratio", "read_write_split", "reads_from",
    "reads_per_sec", "region", "regions", "repeated_query_ratio", "replicas", "role", "rpo",
    "rps", "rto", "safety_margin", "services", "session", "sharding", "shards", "sla",
    "slow_query_log", "spindles", "stage", "stateless", "static_bandwidth_share", "stores",
    "strategy", "system", "target", "tested", "timeout", "tracing", "ttl", "user_profile",
    "users", "version", "working_set", "write_capacity_wps", "writes_per_sec", "zero_downtime",
    "dependencies", "<<", "x-note", "nam", "", "\"quoted key\"", "? [a, b]", "? {k: v}",
];

/// Keywords of the format's enumerations, entity names (so references
/// resolve), and scalars that are hard on number and unit parsing.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "active", "active-active", "active-passive", "analytics", "api", "async", "blue-green",
    "builtin", "canary", "causal", "collaboration", "custom", "datadog", "directory",
    "eventual", "external", "financial", "follow-the-sun", "gateway", "gdpr", "hash", "hipaa",
    "inline", "inventory", "iso27001", "jaeger", "messaging", "none", "otel", "other",
    "pci-dss", "pgbouncer", "primary", "profile", "proxysql", "queue", "queue_depth", "random",
    "range", "recreate", "replica", "rolling", "secondary", "sequential", "social_feed",
    "strong", "sync", "time", "web", "worker", "zipkin", "postgres", "eu", "us", "db", "cache",
    "jobs", "shop", "true", "false", "yes", "no", "on", "~", "null", "\"\"", "''", ".nan",
    ".NaN", ".inf", "-.inf", "+.inf", "1e400", "-1e400", "1e-400", "-0", "-0.0", "0x1F", "0o17",
    "0b101", "1_000", "99.999%", "100%", "101%", "-5%", "0%", "1e3%", "nan%", "2024-01-01",
    "2024-02-30", "9999-12-31", "0000-00-00", "2024-01-01T00:00:00Z", "5m", "2s", "250ms",
    "1.5h", "7d", "2w", "1e400ms", "-3s", "0s", "2GiB", "512MB", "1e30TB", "100/s", "5k/s",
    "1e400/s", "10x", "18446744073709551616", "-9223372036854775809", "4294967296",
    "\"\\u0000\"", "\"\\uD800\"", "é", "日本", "\u{2028}",
];

/// Turns fuzzer bytes into a description-shaped YAML document.
pub fn yaml_from_bytes(data: &[u8]) -> String {
    let mut g = Gen {
        c: Choices::new(data),
        out: String::new(),
        anchors: 0,
    };
    g.block_map(0, 0);
    g.out
}

struct Gen<'a> {
    c: Choices<'a>,
    out: String,
    anchors: u32,
}

const MAX_DEPTH: usize = 7;
const MAX_LEN: usize = 1 << 16;

impl Gen<'_> {
    fn indent(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn full(&self) -> bool {
        self.c.done() || self.out.len() > MAX_LEN
    }

    fn key(&mut self) -> &'static str {
        self.c.pick(KEYS)
    }

    fn block_map(&mut self, indent: usize, depth: usize) {
        let n = 1 + self.c.below(6);
        for i in 0..n {
            if i > 0 {
                if self.full() {
                    break;
                }
                self.indent(indent);
            }
            let key = self.key();
            self.out.push_str(key);
            self.out.push(':');
            self.value(indent, depth + 1);
        }
    }

    /// A value after `key:` (a space or a newline follows here).
    fn value(&mut self, indent: usize, depth: usize) {
        let choice = if depth >= MAX_DEPTH || self.full() {
            0
        } else {
            self.c.below(10)
        };
        match choice {
            0..=2 => {
                self.out.push(' ');
                self.scalar();
                self.out.push('\n');
            }
            3 | 4 => {
                self.props();
                self.out.push('\n');
                self.indent(indent + 2);
                self.block_map(indent + 2, depth);
            }
            5 | 6 => {
                // An entity list: items are mappings that start with a name.
                self.props();
                self.out.push('\n');
                let n = 1 + self.c.below(4);
                for _ in 0..n {
                    self.indent(indent + 2);
                    self.out.push_str("- name: ");
                    let name = self.c.pick(WORDS);
                    self.out.push_str(name);
                    self.out.push('\n');
                    if self.c.below(3) > 0 && !self.full() {
                        self.indent(indent + 4);
                        self.block_map(indent + 4, depth + 1);
                    }
                    if self.full() {
                        break;
                    }
                }
            }
            7 => {
                self.out.push(' ');
                self.props();
                self.flow(depth);
                self.out.push('\n');
            }
            8 => {
                self.out.push_str(" *a");
                let n = self.c.below(self.anchors as usize + 1);
                self.out.push_str(&n.to_string());
                self.out.push('\n');
            }
            _ => {
                self.out.push_str(if self.c.below(2) == 0 {
                    " |\n"
                } else {
                    " >-\n"
                });
                self.indent(indent + 2);
                self.scalar();
                self.out.push('\n');
            }
        }
    }

    /// Sometimes an anchor or a tag before a value.
    fn props(&mut self) {
        match self.c.below(8) {
            0 => {
                self.anchors += 1;
                self.out.push_str(&format!(" &a{}", self.anchors));
            }
            1 => self.out.push_str(" !!map"),
            _ => {}
        }
    }

    fn flow(&mut self, depth: usize) {
        let map = self.c.below(2) == 0;
        self.out.push(if map { '{' } else { '[' });
        let n = self.c.below(5);
        for i in 0..n {
            if i > 0 {
                self.out.push_str(", ");
            }
            if map {
                let key = self.key();
                self.out.push_str(key);
                self.out.push_str(": ");
            }
            if depth < MAX_DEPTH && self.c.below(4) == 0 {
                self.flow(depth + 1);
            } else {
                self.scalar();
            }
        }
        self.out.push(if map { '}' } else { ']' });
    }

    fn scalar(&mut self) {
        match self.c.below(4) {
            0 => {
                // A number built from the bytes, with a unit now and then.
                let whole = u32::from_le_bytes([self.c.byte(), self.c.byte(), 0, 0]);
                let mut s = whole.to_string();
                if self.c.below(2) == 0 {
                    s.push('.');
                    s.push_str(&(self.c.byte() % 100).to_string());
                }
                if self.c.below(4) == 0 {
                    s.insert(0, '-');
                }
                let unit = self.c.pick(&[
                    "", "", "%", "ms", "s", "m", "h", "d", "GiB", "MB", "/s", "e3", "k",
                ]);
                s.push_str(unit);
                self.out.push_str(&s);
            }
            _ => {
                let w = self.c.pick(WORDS);
                self.out.push_str(w);
            }
        }
    }
}
