//! The rule file format (docs/rule-format.md), declared with the model's own
//! `record!`/`keyword!` macros: a rule file is loaded by the same strict,
//! spanned loader as a description, so every mistake in it has a line and
//! column.

use crate::load::scalar::Scalar;
use crate::load::tree::{NodeId, NodeKind, Style};
use crate::model::convert::{describe, Cx, FromNode};
use crate::model::reflect::{Reflect, Value};
use crate::model::units::{Count, FromScalar, UnitError};
use crate::model::{keyword, record, Spanned};

keyword!(pub enum Selector ("an entity selector") {
    System = "system", Services = "services", Databases = "databases", Caches = "caches",
    Queues = "queues", Dependencies = "dependencies", Regions = "regions", Data = "data",
});
keyword!(pub enum SeverityName ("a severity") { Error = "error", Warning = "warning", Info = "info" });
keyword!(pub enum ParamType ("a parameter type") {
    Ratio = "ratio", Duration = "duration", Size = "size", Rate = "rate", Count = "count",
    Number = "number", Availability = "availability",
});
keyword!(pub enum CheckKind ("a check kind") {
    Threshold = "threshold", Ratio = "ratio", Match = "match", Formula = "formula",
    Graph = "graph", Stage = "stage", Premature = "premature", Cel = "cel", Global = "global",
});
keyword!(pub enum GlobalCheck ("a global check") {
    Residency = "residency", SinglePoints = "single_points", StrongDataActiveActive = "strong_data_active_active",
});
keyword!(pub enum Is ("a condition") {
    Present = "present", Absent = "absent", True = "true", NotTrue = "not_true", False = "false",
    Empty = "empty",
});
keyword!(pub enum FormulaName ("a formula") {
    Capacity = "capacity", PoolSize = "pool_size", Replicas = "replicas", CacheMemory = "cache_memory",
    ConnectionBudget = "connection_budget", Budget = "budget",
});
keyword!(pub enum WalkName ("a graph walk") {
    SyncCycle = "sync_cycle", SyncChain = "sync_chain", CrossRegionSync = "cross_region_sync",
});
keyword!(pub enum StageCheck ("a stage check") { Mismatch = "mismatch", Undetermined = "undetermined" });

/// A scalar kept as written, typed later (by a parameter's `type`, or by the
/// field a condition compares with).
#[derive(Debug, Clone, PartialEq)]
pub struct RawScalar {
    pub text: String,
    pub plain: bool,
}

impl RawScalar {
    pub fn scalar(&self) -> Scalar<'_> {
        Scalar::resolve(&self.text, self.plain)
    }
}

impl FromNode for RawScalar {
    const EXPECTED: &'static str = "a scalar";

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        match cx.tree.node(id).kind() {
            NodeKind::Scalar { style, .. } => Some(RawScalar {
                text: cx.tree.scalar_text(id).unwrap_or_default().to_owned(),
                plain: style == Style::Plain,
            }),
            _ => {
                let found = describe(cx.tree, id);
                cx.type_error(id, &format!("expected a scalar, found {found}"), None);
                None
            }
        }
    }

    fn json_schema() -> serde_json::Value {
        serde_json::json!({"type": ["string", "number", "boolean"]})
    }
}

impl Reflect for RawScalar {
    fn reflect(&self) -> Value<'_> {
        Value::Str(&self.text)
    }
}

record! {
    /// One rule file.
    pub struct RuleSpec ("a rule") {
        code: String = required,
        name: String = required,
        severity: SeverityName = required,
        summary: String = required,
        stages: StageRange,
        select: Selector = required,
        filter: Vec<Spanned<Condition>>,
        check: Checks = required,
        params: ParamMap,
        message: String = required,
        help: String,
        docs: Docs = required,
    }
}

record! {
    /// The stages a rule applies at (by the effective stage).
    pub struct StageRange ("`stages`") {
        min: Count,
        max: Count,
    }
}

record! {
    /// A condition on a field of the selected entity; absent fields take
    /// the format's default (`kind: api`, `mode: sync`, …) when it has one.
    pub struct Condition ("a condition") {
        field: String,
        any: Vec<Spanned<Condition>>,
        below: RawScalar,
        older_than_days: Count,
        is: Is,
        equals: RawScalar,
        not_equals: RawScalar,
        one_of: Vec<Spanned<RawScalar>>,
        none_of: Vec<Spanned<RawScalar>>,
        above: RawScalar,
    }
}

record! {
    /// The check: a kind and its options.
    pub struct CheckSpec ("`check`") {
        kind: CheckKind = required,
        filter: Vec<Spanned<Condition>>,
        field: String,
        numerator: String,
        denominator: String,
        above: Levels,
        below: Levels,
        at: Vec<Spanned<String>>,
        formula: FormulaName,
        walk: WalkName,
        stage: StageCheck,
        global: GlobalCheck,
        expr: String,
    }
}

record! {
    /// Which parameter holds the limit of each severity level.
    pub struct Levels ("levels") {
        error: String,
        warning: String,
        info: String,
    }
}

record! {
    pub struct ParamSpec ("a parameter") {
        unit: ParamType = required,
        default: RawScalar = required,
        doc: String = required,
    }
}

record! {
    pub struct Docs ("`docs`") {
        source: String = required,
        what: String = required,
        why: String = required,
        fix: String = required,
        fail: String = required,
        pass: String = required,
    }
}

/// `check:` — one check, or a list of checks that all run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks(pub Vec<Spanned<CheckSpec>>);

impl FromNode for Checks {
    const EXPECTED: &'static str = "`check`";

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        if matches!(cx.tree.node(id).kind(), NodeKind::Seq { .. }) {
            return Vec::<Spanned<CheckSpec>>::from_node(cx, id).map(Checks);
        }
        let span = cx.tree.node(id).span;
        let one = CheckSpec::from_node(cx, id)?;
        Some(Checks(vec![Spanned {
            value: one,
            span,
            key: span,
            origin: crate::model::Origin::NONE,
        }]))
    }

    fn json_schema() -> serde_json::Value {
        serde_json::json!({"anyOf": [CheckSpec::json_schema(), {"type": "array", "items": CheckSpec::json_schema()}]})
    }
}

impl Reflect for Checks {
    fn reflect(&self) -> Value<'_> {
        Value::Str("check")
    }
}

/// `params:` — a mapping from parameter names to their declarations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamMap(pub Vec<(Spanned<String>, Spanned<ParamSpec>)>);

impl FromNode for ParamMap {
    const EXPECTED: &'static str = "`params`";

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        let entries = cx.entries(id, "`params`")?;
        let mut out = Vec::new();
        for e in &entries {
            let key_span = cx.tree.node(e.key_id).span;
            let name = Spanned {
                value: e.key.to_owned(),
                span: key_span,
                key: key_span,
                origin: crate::model::Origin::NONE,
            };
            let mut slot = None;
            cx.field::<ParamSpec>(&mut slot, e);
            if let Some(spec) = slot {
                out.push((name, spec));
            }
        }
        Some(ParamMap(out))
    }

    fn json_schema() -> serde_json::Value {
        serde_json::json!({"type": "object", "additionalProperties": ParamSpec::json_schema()})
    }
}

impl Reflect for ParamMap {
    fn reflect(&self) -> Value<'_> {
        Value::Str("params")
    }
}

/// Parses a raw scalar as a parameter type into a comparable number (in the
/// unit the model's by-name view uses: fractions, milliseconds, bytes, …).
pub fn parse_param(ty: ParamType, raw: &RawScalar) -> Result<f64, UnitError> {
    use crate::model::units::{Availability, Bytes, Duration, Number, Rate, Ratio};
    let s = raw.scalar();
    Ok(match ty {
        ParamType::Ratio => Ratio::from_scalar(s)?.0,
        ParamType::Duration => Duration::from_scalar(s)?.ms,
        ParamType::Size => Bytes::from_scalar(s)?.0,
        ParamType::Rate => Rate::from_scalar(s)?.0,
        ParamType::Count => Count::from_scalar(s)?.0 as f64,
        ParamType::Number => Number::from_scalar(s)?.0,
        ParamType::Availability => Availability::from_scalar(s)?.0,
    })
}
