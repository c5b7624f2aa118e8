//! The architecture model of FORMAT.md: typed, with every value's span.
//!
//! Each type is declared once, with the `record!` and `keyword!` macros,
//! which generate the struct, its loader (unknown keys, required keys,
//! duplicate keys, merge keys), its by-name view for data-driven rules, and
//! its JSON Schema: one declaration is the single source of all four.

pub mod convert;
pub mod derived;
pub mod reflect;
pub mod units;

use crate::span::Span;
use convert::FromNode;
use reflect::{Reflect, Value};
use units::{
    Availability, Bytes, Count, Date, Duration, FromScalar, Number, Rate, Ratio, UnitError,
};

/// A model value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    /// Where diagnostics about the value point: the value as written, or the
    /// alias use that brought it here.
    pub span: Span,
    /// The key of the entry that holds the value (the item itself in a list).
    pub key: Span,
    /// When the value came through an alias: where it is written, at its
    /// anchor ([`Origin::span`]).
    pub origin: Origin,
}

/// Where an aliased value is written, in eight bytes of which the first
/// four are never zero and whose alignment is four: so an
/// `Option<Spanned<f64>>`, of which the model holds hundreds of thousands,
/// takes 32 bytes rather than 40, and an `Option<Spanned<bool>>` 28.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The span's start plus two; 1 when the value is not through an alias.
    start: std::num::NonZeroU32,
    end: u32,
}

impl Origin {
    /// Not through an alias.
    pub const NONE: Origin = Origin {
        start: std::num::NonZeroU32::MIN,
        end: 0,
    };

    pub fn new(span: Option<Span>) -> Origin {
        let packed = span.and_then(|s| {
            Some(Origin {
                start: std::num::NonZeroU32::new(s.start.checked_add(2)?)?,
                end: s.end,
            })
        });
        packed.unwrap_or(Origin::NONE)
    }

    pub fn span(self) -> Option<Span> {
        (self.start.get() >= 2).then(|| Span {
            start: self.start.get() - 2,
            end: self.end,
        })
    }
}

// What the model's size rests on: the option costs nothing.
const _: () = assert!(
    std::mem::size_of::<Option<Spanned<f64>>>() == 32
        && std::mem::size_of::<Option<Spanned<bool>>>() == 28
        && std::mem::size_of::<Option<Spanned<Service>>>()
            == std::mem::size_of::<Spanned<Service>>()
);

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.span().fmt(f)
    }
}

/// Schema facts about one field, for the JSON Schema and for "did you mean".
pub struct FieldInfo {
    pub name: &'static str,
    pub required: bool,
    pub schema: fn() -> serde_json::Value,
}

/// Declares a mapping type of the format.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($what:literal) {
            $( $field:ident : $ty:ty $(= $req:ident)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( pub $field: Option<$crate::model::Spanned<$ty>>, )*
        }

        impl $name {
            pub const FIELDS: &'static [$crate::model::FieldInfo] = &[
                $( $crate::model::FieldInfo { name: stringify!($field), required: record!(@req $($req)?), schema: <$ty as $crate::model::convert::FromNode>::json_schema }, )*
            ];
            pub const FIELD_NAMES: &'static [&'static str] = &[ $( stringify!($field), )* ];
        }

        impl $crate::model::convert::FromNode for $name {
            const EXPECTED: &'static str = $what;

            fn from_node(cx: &mut $crate::model::convert::Cx<'_, '_>, id: crate::load::tree::NodeId) -> Option<Self> {
                let entries = cx.entries(id, $what)?;
                let mut out = $name::default();
                for e in &entries {
                    match e.key {
                        $( stringify!($field) => cx.field(&mut out.$field, e), )*
                        k if k.starts_with("x-") => {}
                        _ => cx.unknown_key(e, Self::FIELD_NAMES, $what),
                    }
                }
                $( record!(@check cx, id, entries, $what, out.$field, $field $(, $req)?); )*
                cx.recycle(entries);
                Some(out)
            }

            fn json_schema() -> serde_json::Value {
                $crate::model::record_schema(Self::FIELDS)
            }
        }

        impl $crate::model::reflect::Record for $name {
            fn field_names(&self) -> &'static [&'static str] {
                Self::FIELD_NAMES
            }
            fn field_at(&self, i: usize) -> Option<$crate::model::reflect::Field<'_>> {
                let mut at = 0usize;
                $(
                    if i == at {
                        return self.$field.as_ref().map($crate::model::Spanned::as_field);
                    }
                    at += 1;
                )*
                let _ = at;
                None
            }
        }

        impl $crate::model::reflect::Reflect for $name {
            fn reflect(&self) -> $crate::model::reflect::Value<'_> {
                $crate::model::reflect::Value::Record(self)
            }
        }
    };
    (@req required) => { true };
    (@req) => { false };
    (@check $cx:ident, $id:ident, $entries:ident, $what:literal, $slot:expr, $field:ident, required) => {
        // A key that is present with an invalid value was reported already.
        if $slot.is_none() && !$entries.iter().any(|e| e.key == stringify!($field)) {
            $cx.missing_key($id, stringify!($field), $what);
        }
    };
    (@check $cx:ident, $id:ident, $entries:ident, $what:literal, $slot:expr, $field:ident) => {};
}

pub(crate) use record;

/// Declares a keyword type: one of a fixed set of strings.
macro_rules! keyword {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) { $( $variant:ident = $text:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $( $variant, )* }

        impl $name {
            pub const ALL: &'static [&'static str] = &[ $( $text, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
        }

        impl $crate::model::units::FromScalar for $name {
            const EXPECTED: &'static str = $what;

            fn from_scalar(s: $crate::load::scalar::Scalar<'_>) -> Result<Self, $crate::model::units::UnitError> {
                $crate::model::keyword_from_scalar(s, Self::ALL, $what).map(|i| [$( $name::$variant, )*][i])
            }

            fn json_schema() -> serde_json::Value {
                serde_json::json!({"enum": Self::ALL})
            }
        }

        impl $crate::model::reflect::Reflect for $name {
            fn reflect(&self) -> $crate::model::reflect::Value<'_> {
                $crate::model::reflect::Value::Str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use keyword;

pub(crate) fn keyword_from_scalar(
    s: crate::load::scalar::Scalar<'_>,
    all: &[&str],
    what: &str,
) -> Result<usize, UnitError> {
    use crate::load::scalar::Scalar;
    let text = match s {
        Scalar::Str(t) => t,
        // `is: true` in a rule file: YAML reads the word as a boolean.
        Scalar::Bool(true) if all.contains(&"true") => "true",
        Scalar::Bool(false) if all.contains(&"false") => "false",
        other => {
            return Err(UnitError {
                message: format!("expected {what}, found {}", other.type_name()),
                hint: Some(format!("write one of: {}", all.join(", "))),
            })
        }
    };
    if let Some(i) = all.iter().position(|k| *k == text) {
        return Ok(i);
    }
    let hint = match convert::did_you_mean(text, all) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("write one of: {}", all.join(", ")),
    };
    Err(UnitError {
        message: format!("`{text}` is not {what}"),
        hint: Some(hint),
    })
}

pub(crate) fn record_schema(fields: &[FieldInfo]) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    for f in fields {
        props.insert(f.name.to_owned(), (f.schema)());
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut schema = serde_json::json!({
        "type": "object",
        "properties": props,
        "patternProperties": {"^x-": {}},
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = serde_json::json!(required);
    }
    schema
}

/// Builds a whole-number type with a range check.
macro_rules! bounded {
    ($(#[$meta:meta])* pub struct $name:ident($inner:ty) : $what:literal, |$v:ident| $ok:expr, $why:literal, $schema:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(pub $inner);

        impl FromScalar for $name {
            const EXPECTED: &'static str = $what;
            fn from_scalar(s: crate::load::scalar::Scalar<'_>) -> Result<Self, UnitError> {
                let $v = <$inner as FromScalar>::from_scalar(s).map_err(|mut e| {
                    e.message = e.message.replacen(<$inner as FromScalar>::EXPECTED, $what, 1);
                    e
                })?;
                if $ok {
                    Ok($name($v))
                } else {
                    Err(UnitError { message: format!("{} is out of range: {}", $v, $why), hint: None })
                }
            }
            fn json_schema() -> serde_json::Value {
                $schema
            }
        }

        impl Reflect for $name {
            fn reflect(&self) -> Value<'_> {
                self.0.reflect()
            }
        }
    };
}

bounded!(
    /// The format version: only 1 exists.
    pub struct Version(Count): "the format version", |v| v.0 == 1, "the only format version is 1",
    serde_json::json!({"const": 1})
);
bounded!(
    /// A declared scaling stage, 1 to 4.
    pub struct Stage(Count): "a stage (1 to 4)", |v| (1..=4).contains(&v.0), "stages are 1 to 4",
    serde_json::json!({"type": "integer", "minimum": 1, "maximum": 4})
);
bounded!(
    /// A multiplier of at least 1 (growth, safety margin).
    pub struct Factor(Number): "a factor (a number of at least 1)", |v| v.0 >= 1.0, "a factor is at least 1",
    serde_json::json!({"type": "number", "minimum": 1})
);
bounded!(
    /// An amount of money.
    pub struct Money(Number): "an amount in dollars", |v| v.0 >= 0.0, "an amount cannot be negative",
    serde_json::json!({"type": "number", "minimum": 0})
);

keyword!(pub enum ServiceKind ("a service kind") { Api = "api", Web = "web", Worker = "worker", Gateway = "gateway", External = "external" });
keyword!(pub enum ScalingMetric ("an autoscaling metric") { Cpu = "cpu", Rps = "rps", QueueDepth = "queue_depth", Memory = "memory", Custom = "custom" });
keyword!(pub enum BackgroundJobs ("a background-jobs mode") { Inline = "inline", Queue = "queue", None = "none" });
keyword!(pub enum Mode ("a dependency mode") { Sync = "sync", Async = "async" });
keyword!(pub enum ReadsFrom ("a read source") { Primary = "primary", Replica = "replica" });
keyword!(pub enum Pooler ("a connection pooler") { None = "none", Pgbouncer = "pgbouncer", Proxysql = "proxysql", Builtin = "builtin" });
keyword!(pub enum ShardStrategy ("a sharding strategy") { Hash = "hash", Range = "range", Directory = "directory" });
keyword!(pub enum KeyKind ("a shard key kind") { Random = "random", Sequential = "sequential", Time = "time" });
keyword!(pub enum RegionRole ("a region role") { Primary = "primary", Secondary = "secondary", Active = "active" });
keyword!(pub enum DeployStrategy ("a deployment strategy") { Rolling = "rolling", BlueGreen = "blue-green", Canary = "canary", Recreate = "recreate" });
keyword!(pub enum TracingBackend ("a tracing backend") { Otel = "otel", Jaeger = "jaeger", Zipkin = "zipkin", Datadog = "datadog", None = "none" });
keyword!(pub enum DataKind ("a data kind") { Financial = "financial", Inventory = "inventory", SocialFeed = "social_feed", Analytics = "analytics", Messaging = "messaging", Collaboration = "collaboration", Session = "session", Profile = "profile", Other = "other" });
keyword!(pub enum Consistency ("a consistency level") { Strong = "strong", Eventual = "eventual", Causal = "causal" });
keyword!(pub enum Compliance ("a compliance framework") { Soc2 = "soc2", Gdpr = "gdpr", Hipaa = "hipaa", PciDss = "pci-dss", Iso27001 = "iso27001" });
keyword!(pub enum MultiRegion ("a multi-region pattern") { ActivePassive = "active-passive", ActiveActive = "active-active", FollowTheSun = "follow-the-sun" });

record! {
    /// The whole description file.
    pub struct Architecture ("the description") {
        version: Version = required,
        system: System = required,
        services: Vec<Spanned<Service>>,
        databases: Vec<Spanned<Database>>,
        caches: Vec<Spanned<Cache>>,
        queues: Vec<Spanned<Queue>>,
        cdn: Cdn,
        load_balancer: LoadBalancer,
        regions: Vec<Spanned<Region>>,
        deployment: Deployment,
        observability: Observability,
        data: Vec<Spanned<DataClass>>,
    }
}

record! {
    pub struct System ("`system`") {
        name: String = required,
        stage: Stage,
        users: Count,
        peak_rps: Rate,
        growth: Factor,
        safety_margin: Factor,
        static_bandwidth_share: Ratio,
        sla: Availability,
        compliance: Vec<Spanned<Compliance>>,
        data_residency: Vec<Spanned<String>>,
        multi_region: MultiRegion,
        monthly_budget_usd: Money,
    }
}

record! {
    pub struct Service ("a service") {
        name: String = required,
        kind: ServiceKind,
        stateless: bool,
        instances: Count,
        capacity_rps: Rate,
        autoscaling: Autoscaling,
        region: String,
        tracing: bool,
        background_jobs: BackgroundJobs,
        metrics: ServiceMetrics,
        depends_on: Vec<Spanned<Dependency>>,
    }
}

record! {
    pub struct Autoscaling ("`autoscaling`") {
        min: Count,
        max: Count,
        metric: ScalingMetric,
        target: Ratio,
    }
}

record! {
    pub struct ServiceMetrics ("service `metrics`") {
        rps: Rate,
        p95_latency: Duration,
        cpu: Ratio,
        memory: Ratio,
        db_queries_per_request: Number,
        error_rate: Ratio,
    }
}

record! {
    pub struct Dependency ("a dependency") {
        target: String = required,
        mode: Mode,
        timeout: Duration,
        circuit_breaker: bool,
        critical: bool,
        reads_from: ReadsFrom,
        pool_size: Count,
    }
}

record! {
    pub struct Database ("a database") {
        name: String = required,
        engine: String,
        region: String,
        cores: Count,
        spindles: Count,
        max_connections: Count,
        pooler: Pooler,
        pool_size: Count,
        write_capacity_wps: Rate,
        read_write_split: bool,
        metrics: DatabaseMetrics,
        replicas: Replicas,
        sharding: Sharding,
        stores: Vec<Spanned<String>>,
    }
}

record! {
    pub struct DatabaseMetrics ("database `metrics`") {
        cpu: Ratio,
        read_ratio: Ratio,
        reads_per_sec: Rate,
        writes_per_sec: Rate,
        connections: Count,
        slow_query_p95: Duration,
        repeated_query_ratio: Ratio,
    }
}

record! {
    pub struct Replicas ("`replicas`") {
        count: Count,
        capacity_rps: Rate,
        lag: Duration,
        regions: Vec<Spanned<String>>,
    }
}

record! {
    pub struct Sharding ("`sharding`") {
        strategy: ShardStrategy,
        shards: Count,
        key: String,
        key_kind: KeyKind,
    }
}

record! {
    pub struct Cache ("a cache") {
        name: String = required,
        engine: String,
        region: String,
        memory: Bytes,
        working_set: Bytes,
        hit_rate: Ratio,
        backs: Vec<Spanned<String>>,
        ttl: Ttl,
    }
}

record! {
    pub struct Ttl ("`ttl`") {
        session: Duration,
        user_profile: Duration,
        api_response: Duration,
        query_result: Duration,
        computed: Duration,
    }
}

record! {
    pub struct Queue ("a queue") {
        name: String = required,
        engine: String,
        consumers: Vec<Spanned<String>>,
        dead_letter: bool,
    }
}

record! {
    pub struct Cdn ("`cdn`") {
        enabled: bool,
        global: bool,
    }
}

record! {
    pub struct LoadBalancer ("`load_balancer`") {
        enabled: bool,
        health_checks: bool,
    }
}

record! {
    pub struct Region ("a region") {
        name: String = required,
        jurisdiction: String,
        role: RegionRole,
    }
}

record! {
    pub struct Deployment ("`deployment`") {
        zero_downtime: bool,
        strategy: DeployStrategy,
        chaos_engineering: bool,
        disaster_recovery: DisasterRecovery,
    }
}

record! {
    pub struct DisasterRecovery ("`disaster_recovery`") {
        tested: Date,
        rto: Duration,
        rpo: Duration,
    }
}

record! {
    pub struct Observability ("`observability`") {
        monitoring: bool,
        tracing: TracingBackend,
        slow_query_log: bool,
    }
}

record! {
    pub struct DataClass ("a data class") {
        name: String = required,
        kind: DataKind,
        consistency: Consistency,
    }
}

/// The format's JSON Schema as a value, built once: what rule files' field
/// paths are checked against.
pub fn schema_value() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(<Architecture as FromNode>::json_schema)
}

/// Why a dotted path (`metrics.cpu`) names no field of the mapping whose
/// JSON Schema is `record`, or `None` when it names one.
pub fn field_path_error(record: &serde_json::Value, path: &str) -> Option<String> {
    let mut at = record;
    let mut walked = String::new();
    for part in path.split('.') {
        let Some(props) = at.get("properties").and_then(|p| p.as_object()) else {
            let what = if at.get("items").is_some() {
                "a list"
            } else {
                "a single value"
            };
            return Some(format!(
                "`{walked}` is {what}, so `{path}` names nothing under it"
            ));
        };
        match props.get(part) {
            Some(next) => at = next,
            None => {
                let under = if walked.is_empty() {
                    String::new()
                } else {
                    format!(" under `{walked}`")
                };
                let known: Vec<&str> = props.keys().map(String::as_str).collect();
                let hint = match convert::did_you_mean(part, &known) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("the fields here: {}", known.join(", ")),
                };
                return Some(format!("there is no field `{part}`{under} ({hint})"));
            }
        }
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
    }
    None
}

/// The JSON Schema (draft 2020-12) of the description format, generated from
/// the same declarations the loader uses.
pub fn schema() -> String {
    let mut schema = <Architecture as FromNode>::json_schema();
    schema["$schema"] = serde_json::json!("https://json-schema.org/draft/2020-12/schema");
    schema["$id"] =
        serde_json::json!("https://github.com/scalelint/scalelint/schema/architecture-v1.json");
    schema["title"] = serde_json::json!("scalelint architecture description, format version 1");
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
