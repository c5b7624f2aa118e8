//! The loader through the library: every diagnostic SL000–SL003 is checked
//! against the slice of the source it points at (never only a count), its
//! model path, and the line and column a report shows; the typed model is
//! checked where the loader has to decide something (merge keys, aliases);
//! the effective stage at its boundaries.
//!
//! Tests marked `#[ignore = "bug: …"]` describe a bug in `src/` that is
//! reported, not fixed here: they state the behaviour the contract asks for.

use scalelint::diagnostic::Diagnostic;
use scalelint::load::{decode, load, model_path, tree};
use scalelint::model::derived::{effective_stage, Facts, StageSource};
use scalelint::model::Architecture;
use scalelint::span::{LineIndex, Position, Span};
use std::collections::BTreeSet;

/// The smallest valid description, for tests to append to.
const HEAD: &str = "version: 1\nsystem:\n  name: shop\n";

/// Every SL000–SL003 finding of `src`, with model paths, in report order:
/// what `check` reports for the loader's rules.
fn check(src: &str) -> Vec<Diagnostic> {
    let loaded = load(src);
    let mut found = loaded.diagnostics;
    if let Some(model) = &loaded.model {
        Facts::new(model, None, 1.0, &mut found);
    }
    if let Some(tree) = &loaded.tree {
        for d in &mut found {
            if d.path.is_empty() {
                d.path = model_path(tree, d.span);
            }
        }
    }
    found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    found
}

/// The text a span covers.
fn text(src: &str, span: Span) -> &str {
    &src[span.start as usize..span.end as usize]
}

/// The model of a file that must load without any finding.
fn model(src: &str) -> Architecture {
    let loaded = load(src);
    assert!(
        loaded.diagnostics.is_empty(),
        "unexpected findings: {:#?}",
        loaded.diagnostics
    );
    loaded.model.expect("a model")
}

/// The one diagnostic whose message contains `needle`.
fn the<'d>(ds: &'d [Diagnostic], needle: &str) -> &'d Diagnostic {
    let hits: Vec<&Diagnostic> = ds.iter().filter(|d| d.message.contains(needle)).collect();
    assert_eq!(
        hits.len(),
        1,
        "one finding with {needle:?} expected in {ds:#?}"
    );
    hits[0]
}

fn codes(ds: &[Diagnostic]) -> Vec<&str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or("")
}

fn position(src: &str, offset: u32) -> Position {
    LineIndex::new(src).position(src, offset)
}

/// Asserts the diagnostic's primary span covers exactly `expected`, at the
/// given 1-based line and column.
#[track_caller]
fn points_at(src: &str, d: &Diagnostic, expected: &str, line: u32, column: u32) {
    assert_eq!(text(src, d.span), expected, "primary span of {d:#?}");
    let at = position(src, d.span.start);
    assert_eq!((at.line, at.column), (line, column), "position of {d:#?}");
}

/// Asserts the diagnostic has exactly one label, covering `expected`.
#[track_caller]
fn labelled_at(src: &str, d: &Diagnostic, expected: &str) {
    assert_eq!(d.labels.len(), 1, "one label expected: {d:#?}");
    assert_eq!(text(src, d.labels[0].span), expected, "label of {d:#?}");
}

// ---------------------------------------------------------------------------
// Files that load cleanly

#[test]
fn a_minimal_description_loads_without_findings() {
    let m = model(HEAD);
    assert_eq!(m.system.unwrap().value.name.unwrap().value, "shop");
    assert!(check(HEAD).is_empty());
}

#[test]
fn the_example_fixtures_have_no_loader_findings_and_their_stages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples");
    // EXPECTED.md: the effective stage of each example and why.
    let expected = [
        ("shop.arch.yaml", 3, StageSource::Users),
        ("stage1-clean.arch.yaml", 1, StageSource::Declared),
        ("stage1-problems.arch.yaml", 1, StageSource::Users),
        ("stage2-clean.arch.yaml", 2, StageSource::Declared),
        ("stage2-problems.arch.yaml", 2, StageSource::Declared),
        ("stage2-thresholds.arch.yaml", 2, StageSource::Users),
        ("stage3-clean.arch.yaml", 3, StageSource::Declared),
        ("stage3-problems.arch.yaml", 3, StageSource::Declared),
        ("stage4-global.arch.yaml", 4, StageSource::Declared),
        ("stage4-problems.arch.yaml", 4, StageSource::Declared),
    ];
    for (name, stage, source) in expected {
        let src = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(check(&src).is_empty(), "{name}: {:#?}", check(&src));
        let m = model(&src);
        let mut found = Vec::new();
        let facts = Facts::new(&m, None, 1.0, &mut found);
        assert_eq!((facts.stage, facts.stage_source), (stage, source), "{name}");
    }
}

// ---------------------------------------------------------------------------
// Spans in every construct

#[test]
fn a_byte_order_mark_is_skipped_in_offsets_and_columns() {
    let src = "\u{feff}versoin: 1\nsystem: {name: shop, stage: 9}\n";
    let ds = check(src);
    let unknown = the(&ds, "unknown key `versoin`");
    points_at(src, unknown, "versoin", 1, 1);
    // The BOM is three bytes: the key starts at byte 3, column 1.
    assert_eq!(unknown.span.start, 3);
    assert_eq!(unknown.path, "versoin");
    let stage = the(&ds, "stages are 1 to 4");
    points_at(src, stage, "9", 2, 29);
    assert_eq!(stage.path, "system.stage");
}

#[test]
fn multi_byte_characters_before_the_value_count_one_column_each() {
    let src = format!("{HEAD}services:\n  - {{name: \"日本語\", x-é: \"😀✓\", instances: -1}}\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let d = &ds[0];
    assert_eq!(text(&src, d.span), "-1");
    let line_start = src.find("  - {").unwrap();
    let before = "  - {name: \"日本語\", x-é: \"😀✓\", instances: ";
    // Byte offset: 3 × 3 bytes (日本語), 2 (é), 4 (😀) and 3 (✓) before it.
    assert_eq!(before.len(), before.chars().count() + 6 + 1 + 3 + 2);
    assert_eq!(d.span.start as usize, line_start + before.len());
    let at = position(&src, d.span.start);
    assert_eq!(at.line, 5);
    assert_eq!(at.column as usize, before.chars().count() + 1);
    assert_eq!(at.column, 41);
    assert_eq!(at.offset, d.span.start);
    let end = position(&src, d.span.end);
    assert_eq!((end.line, end.column), (5, 43));
    assert_eq!(d.path, "services[日本語].instances");
    assert_eq!(d.message, "expected a count of 0 or more, found -1");
}

#[test]
fn crlf_line_ends_stay_out_of_spans() {
    let src = "version: 1\r\nsystem:\r\n  name: shop\r\n  stage: 5\r\nservices:\r\n  - name: api\r\n    metrics:\r\n      cpu: 72\r\n    instances: |\r\n      3\r\n\r\n    kind: wrker\r\n";
    let ds = check(src);
    assert_eq!(ds.len(), 4, "{ds:#?}");
    points_at(src, the(&ds, "stages are 1 to 4"), "5", 4, 10);
    let cpu = the(&ds, "expected a ratio");
    points_at(src, cpu, "72", 8, 12);
    assert_eq!(cpu.path, "services[api].metrics.cpu");
    let block = the(&ds, "expected a count");
    points_at(src, block, "|\r\n      3", 9, 16);
    let kind = the(&ds, "not a service kind");
    points_at(src, kind, "wrker", 12, 11);
    assert_eq!(help(kind), "did you mean `worker`?");
}

#[test]
fn flow_mappings_and_sequences() {
    let src = format!(
        "{HEAD}  compliance: [soc2, sox, gdpr]\n  data_residency: [eu, 5]\nservices:\n  - {{name: api, metrics: {{cpu: 72, p95_latency: 300}}, depends_on: [{{target: api, mode: sometimes}}]}}\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 5, "{ds:#?}");
    let sox = the(&ds, "`sox` is not a compliance framework");
    points_at(&src, sox, "sox", 4, 22);
    assert_eq!(sox.path, "system.compliance[1]");
    assert_eq!(help(sox), "did you mean `soc2`?");
    let five = the(&ds, "expected a string");
    points_at(&src, five, "5", 5, 24);
    assert_eq!(five.path, "system.data_residency[1]");
    let cpu = the(&ds, "expected a ratio");
    assert_eq!(text(&src, cpu.span), "72");
    assert_eq!(cpu.path, "services[api].metrics.cpu");
    let latency = the(&ds, "expected a duration");
    assert_eq!(text(&src, latency.span), "300");
    let mode = the(&ds, "`sometimes` is not a dependency mode");
    assert_eq!(text(&src, mode.span), "sometimes");
    assert_eq!(mode.path, "services[api].depends_on[0].mode");
}

#[test]
fn block_scalars_are_pointed_at_from_their_indicator() {
    let src = format!(
        "{HEAD}services:\n  - name: api\n    instances: |\n      3\n    capacity_rps: >-\n      12\n      13\n\n    kind: |  # a comment\n      api\n    region: >\n      eu\n"
    );
    let ds = check(&src);
    assert_eq!(codes(&ds), ["SL001", "SL001", "SL001", "SL002"], "{ds:#?}");
    points_at(&src, the(&ds, "expected a count"), "|\n      3", 6, 16);
    points_at(
        &src,
        the(&ds, "expected a rate"),
        ">-\n      12\n      13",
        8,
        19,
    );
    let kind = the(&ds, "is not a service kind");
    points_at(&src, kind, "|  # a comment\n      api", 12, 11);
    assert_eq!(kind.path, "services[api].kind");
    // A block scalar is a string: a region name with a line break in it.
    let region = the(&ds, "does not name a region");
    points_at(&src, region, ">\n      eu", 14, 13);
}

#[test]
fn a_wrong_value_reached_through_an_alias_points_at_the_alias_use() {
    let src = format!(
        "{HEAD}x-metrics: &m {{cpu: 72, rps: 10}}\nservices:\n  - name: api\n    metrics: *m\n  - name: web\n    metrics: *m\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    // One finding per use, each at its own `*m`, each naming the anchored value.
    points_at(&src, &ds[0], "*m", 7, 14);
    assert_eq!(ds[0].path, "services[api].metrics");
    points_at(&src, &ds[1], "*m", 9, 14);
    assert_eq!(ds[1].path, "services[web].metrics");
    for d in &ds {
        assert_eq!(d.message, "expected a ratio, found 72");
        assert_eq!(help(d), "write 0.72 or 72%");
        labelled_at(&src, d, "72");
        assert!(d.labels[0].message.contains("anchor"), "{d:#?}");
        assert_eq!(position(&src, d.labels[0].span.start).line, 4);
    }
}

#[test]
fn an_alias_to_a_scalar_points_at_the_use_and_labels_the_anchor() {
    let src = format!("{HEAD}x-cpu: &c 72\nservices:\n  - name: api\n    metrics: {{cpu: *c}}\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let d = &ds[0];
    points_at(&src, d, "*c", 7, 20);
    assert_eq!(d.path, "services[api].metrics.cpu");
    assert_eq!(d.labels.len(), 1);
    // The label is on the anchored value (today it also covers `&c `).
    assert!(text(&src, d.labels[0].span).ends_with("72"), "{d:#?}");
}

#[test]
fn an_alias_to_a_valid_value_is_used() {
    let src = format!(
        "{HEAD}x-cpu: &c 0.5\nx-m: &m {{cpu: *c, rps: 10}}\nservices:\n  - name: api\n    metrics: *m\n"
    );
    let m = model(&src);
    let svc = &m.services.unwrap().value[0].value;
    let metrics = svc.metrics.as_ref().unwrap();
    assert_eq!(text(&src, metrics.span), "*m");
    assert_eq!(
        text(&src, metrics.origin.span().unwrap()),
        "{cpu: *c, rps: 10}"
    );
    assert_eq!(metrics.value.cpu.as_ref().unwrap().value.0, 0.5);
}

// ---------------------------------------------------------------------------
// Merge keys

const MERGE_DEFAULTS: &str = "x-defaults: &defaults\n  kind: worker\n  instances: 2\n  stateless: true\nx-dep: &dep {target: jobs, mode: async}\n";

#[test]
fn merge_keys_apply_and_explicit_keys_win() {
    let src = format!(
        "{HEAD}{MERGE_DEFAULTS}services:\n  - <<: *defaults\n    name: mailer\n    instances: 3\n    depends_on:\n      - <<: *dep\n      - <<: *dep\n        mode: sync\nqueues:\n  - name: jobs\n"
    );
    // `target` comes only from the merge: a merged key counts as present.
    let m = model(&src);
    assert!(check(&src).is_empty());
    let svc = &m.services.unwrap().value[0].value;
    assert_eq!(svc.kind.as_ref().unwrap().value.as_str(), "worker");
    assert!(svc.stateless.as_ref().unwrap().value);
    // The explicit `instances: 3` overrides the merged `instances: 2`.
    assert_eq!(svc.instances.as_ref().unwrap().value.0, 3);
    let deps = &svc.depends_on.as_ref().unwrap().value;
    assert_eq!(deps[0].value.target.as_ref().unwrap().value, "jobs");
    assert_eq!(deps[0].value.mode.as_ref().unwrap().value.as_str(), "async");
    assert_eq!(deps[1].value.mode.as_ref().unwrap().value.as_str(), "sync");
    // A merged value is spanned at the alias use, with its origin.
    let kind = svc.kind.as_ref().unwrap();
    assert_eq!(text(&src, kind.span), "*defaults");
    assert_eq!(text(&src, kind.origin.span().unwrap()), "worker");
}

#[test]
fn a_merged_wrong_value_points_at_the_merge() {
    let src = format!("{HEAD}x-d: &d {{instances: many}}\nservices:\n  - name: api\n    <<: *d\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    points_at(&src, &ds[0], "*d", 7, 9);
    labelled_at(&src, &ds[0], "many");
    assert!(ds[0].message.contains("expected a count"), "{ds:#?}");
}

#[test]
fn an_unknown_key_inside_a_merged_mapping_is_reported() {
    let src = format!("{HEAD}x-d: &d {{instancs: 2}}\nservices:\n  - name: api\n    <<: *d\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let d = &ds[0];
    assert_eq!(d.code, "SL001");
    assert_eq!(d.message, "unknown key `instancs` in a service");
    assert_eq!(help(d), "did you mean `instances`?");
    // Either at the key itself or at the merge with a label on the key.
    let mentioned: Vec<&str> = std::iter::once(d.span)
        .chain(d.labels.iter().map(|l| l.span))
        .map(|s| text(&src, s))
        .collect();
    assert!(mentioned.contains(&"instancs"), "{d:#?}");
}

#[test]

fn an_unknown_key_merged_twice_points_at_each_merge() {
    let src = format!(
        "{HEAD}x-d: &d {{instancs: 2}}\nservices:\n  - name: api\n    <<: *d\n  - name: web\n    <<: *d\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    points_at(&src, &ds[0], "*d", 7, 9);
    points_at(&src, &ds[1], "*d", 9, 9);
    for d in &ds {
        labelled_at(&src, d, "instancs");
    }
}

#[test]

fn a_merged_required_key_with_a_wrong_type_is_not_also_missing() {
    let src = format!("{HEAD}x-d: &d {{name: 5}}\nservices:\n  - <<: *d\n    kind: api\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].message, "expected a string, found an integer");
}

#[test]

fn a_merged_name_names_the_entity_in_model_paths() {
    let src = format!("{HEAD}x-d: &d {{name: api}}\nservices:\n  - <<: *d\n    kind: wrker\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].path, "services[api].kind");
}

// ---------------------------------------------------------------------------
// Keys

#[test]
fn a_duplicate_key_is_reported_at_the_second_one() {
    let src = format!(
        "{HEAD}services:\n  - name: api\n    instances: 2\n    kind: web\n    instances: 3\n  - {{name: web, kind: web, kind: api}}\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    let first = &ds[0];
    assert_eq!(first.message, "duplicate key `instances`");
    points_at(&src, first, "instances", 8, 5);
    labelled_at(&src, first, "instances");
    assert_eq!(position(&src, first.labels[0].span.start).line, 6);
    assert_eq!(first.path, "services[api].instances");
    let second = &ds[1];
    assert_eq!(second.message, "duplicate key `kind`");
    points_at(&src, second, "kind", 9, 28);
    assert_eq!(position(&src, second.labels[0].span.start).column, 17);
    // The first value is kept.
    let m = load(&src).model.unwrap();
    let svcs = &m.services.unwrap().value;
    assert_eq!(svcs[0].value.instances.as_ref().unwrap().value.0, 2);
    assert_eq!(svcs[1].value.kind.as_ref().unwrap().value.as_str(), "web");
}

#[test]
fn missing_required_keys() {
    // version and system, at the top level's first key.
    let src = "services: []\n";
    let ds = check(src);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    for (d, key) in ds.iter().zip(["version", "system"]) {
        assert_eq!(
            d.message,
            format!("the description is missing the required key `{key}`")
        );
        assert_eq!(help(d), format!("add `{key}:`"));
        points_at(src, d, "services", 1, 1);
    }

    // system.name, at `system`'s first key; an empty mapping at its `{}`.
    let src = "version: 1\nsystem:\n  stage: 2\n";
    let ds = check(src);
    let d = the(&ds, "missing");
    assert_eq!(d.message, "`system` is missing the required key `name`");
    points_at(src, d, "stage", 3, 3);
    let src = "version: 1\nsystem: {}\n";
    points_at(src, the(&check(src), "`name`"), "{}", 2, 9);

    // Every entity's name, and a dependency's target.
    let src = format!(
        "{HEAD}services:\n  - kind: api\n    depends_on:\n      - {{mode: async}}\n      - target: db\ndatabases:\n  - {{engine: postgres}}\n  - name: db\ncaches:\n  - engine: redis\nqueues:\n  - {{}}\nregions:\n  - jurisdiction: eu\ndata:\n  - {{kind: other}}\n"
    );
    let ds = check(&src);
    let expected = [
        ("a service is missing the required key `name`", "kind", 5),
        (
            "a dependency is missing the required key `target`",
            "mode",
            7,
        ),
        (
            "a database is missing the required key `name`",
            "engine",
            10,
        ),
        ("a cache is missing the required key `name`", "engine", 13),
        ("a queue is missing the required key `name`", "{}", 15),
        (
            "a region is missing the required key `name`",
            "jurisdiction",
            17,
        ),
        (
            "a data class is missing the required key `name`",
            "kind",
            19,
        ),
    ];
    assert_eq!(ds.len(), expected.len(), "{ds:#?}");
    for (message, at, line) in expected {
        let d = the(&ds, message);
        assert_eq!(d.code, "SL001");
        assert_eq!(text(&src, d.span), at, "{d:#?}");
        assert_eq!(position(&src, d.span.start).line, line, "{d:#?}");
    }
    assert_eq!(the(&ds, "`target`").path, "services[0].depends_on[0].mode");
}

#[test]
fn a_null_value_is_not_a_missing_key() {
    let src = "version:\nsystem:\n  name:\n";
    let ds = check(src);
    assert_eq!(ds.len(), 2, "{ds:#?}");
    // An empty value points at its key.
    points_at(src, &ds[0], "version", 1, 1);
    assert_eq!(ds[0].message, "expected the format version, found null");
    points_at(src, &ds[1], "name", 3, 3);
    assert_eq!(ds[1].path, "system.name");
}

#[test]

fn an_empty_list_item_points_at_itself() {
    let src = format!("{HEAD}services:\n  - name: api\n    kind: api\n  -\n  - name: web\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].message, "expected a service (a mapping), found null");
    assert_eq!(position(&src, ds[0].span.start).line, 7, "{ds:#?}");
}

#[test]
fn unknown_keys_get_a_did_you_mean() {
    let src = format!(
        "{HEAD}  peak_rsp: 10\nservcies: []\nservices:\n  - name: api\n    capacty_rps: 100\n    metrics: {{cpu_usage: 0.5}}\n    wibble: 1\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 5, "{ds:#?}");
    let cases = [
        (
            "peak_rsp",
            "in `system`",
            "did you mean `peak_rps`?",
            "system.peak_rsp",
        ),
        (
            "servcies",
            "in the description",
            "did you mean `services`?",
            "servcies",
        ),
        (
            "capacty_rps",
            "in a service",
            "did you mean `capacity_rps`?",
            "services[api].capacty_rps",
        ),
    ];
    for (key, within, hint, path) in cases {
        let d = the(&ds, &format!("unknown key `{key}`"));
        assert_eq!(d.message, format!("unknown key `{key}` {within}"));
        assert_eq!(help(d), hint);
        assert_eq!(text(&src, d.span), key);
        assert_eq!(d.path, path);
    }
    let capacity = the(&ds, "`capacty_rps`");
    points_at(&src, capacity, "capacty_rps", 8, 5);
    // With nothing close, the help lists the known keys.
    let far = the(&ds, "`wibble`");
    assert!(help(far).contains("capacity_rps") && help(far).contains("`x-`"));
    let cpu = the(&ds, "`cpu_usage`");
    assert_eq!(cpu.message, "unknown key `cpu_usage` in service `metrics`");
    assert_eq!(text(&src, cpu.span), "cpu_usage");
}

#[test]
fn extension_keys_are_ignored_anywhere() {
    let src = "x-top: {anything: [1, 2]}\nversion: 1\nsystem:\n  name: shop\n  x-owner: platform\nservices:\n  - name: api\n    x-team: payments\n    autoscaling: {min: 1, max: 2, x-note: n}\n    metrics: {cpu: 0.5, x-source: grafana}\n    depends_on:\n      - {target: db, x-why: orders}\ndatabases:\n  - name: db\n    x-tier: gold\n    metrics: {x-a: 1}\n    replicas: {count: 1, x-b: 2}\n    sharding: {x-c: 3}\ncaches:\n  - {name: c, x-d: 4, ttl: {session: 5m, x-e: 5}}\nqueues:\n  - {name: q, x-f: 6}\ncdn: {enabled: true, x-g: 7}\nload_balancer: {x-h: 8}\nregions:\n  - {name: eu, x-i: 9}\ndeployment:\n  x-j: 10\n  disaster_recovery: {x-k: 11}\nobservability: {x-l: 12}\ndata:\n  - {name: orders, x-m: 13}\n";
    assert!(check(src).is_empty(), "{:#?}", check(src));
    model(src);
}

// ---------------------------------------------------------------------------
// Values

#[test]
fn unit_mistakes_get_a_hint_that_fixes_them() {
    let src = format!(
        "{HEAD}services:\n  - name: api\n    metrics:\n      cpu: 72\n      p95_latency: 300\ncaches:\n  - name: c\n    memory: 15\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 3, "{ds:#?}");
    let cpu = the(&ds, "expected a ratio");
    assert_eq!(cpu.message, "expected a ratio, found 72");
    assert_eq!(help(cpu), "write 0.72 or 72%");
    points_at(&src, cpu, "72", 7, 12);
    assert_eq!(cpu.path, "services[api].metrics.cpu");
    let latency = the(&ds, "expected a duration");
    assert_eq!(help(latency), "write 300ms");
    points_at(&src, latency, "300", 8, 20);
    assert_eq!(latency.path, "services[api].metrics.p95_latency");
    let memory = the(&ds, "expected a size");
    assert_eq!(memory.message, "expected a size, found 15");
    assert!(help(memory).contains("15GB"), "{memory:#?}");
    points_at(&src, memory, "15", 11, 13);
    assert_eq!(memory.path, "caches[c].memory");
}

#[test]
fn values_out_of_range() {
    let src = "version: 2\nsystem:\n  name: shop\n  stage: 7\n  sla: 100\n  growth: 0.5\n  static_bandwidth_share: 1.3\nservices:\n  - {name: api, instances: 2.5, metrics: {error_rate: \"-5%\"}}\n";
    let ds = check(src);
    assert_eq!(ds.len(), 7, "{ds:#?}");
    points_at(src, the(&ds, "the only format version is 1"), "2", 1, 10);
    let stage = the(&ds, "stages are 1 to 4");
    assert_eq!(stage.message, "7 is out of range: stages are 1 to 4");
    points_at(src, stage, "7", 4, 10);
    let sla = the(&ds, "availability");
    assert_eq!(sla.message, "expected an availability below 100, found 100");
    points_at(src, sla, "100", 5, 8);
    assert_eq!(sla.path, "system.sla");
    points_at(src, the(&ds, "a factor is at least 1"), "0.5", 6, 11);
    points_at(src, the(&ds, "found 1.3"), "1.3", 7, 27);
    points_at(src, the(&ds, "whole number"), "2.5", 9, 28);
    let error_rate = the(&ds, "-5%");
    assert_eq!(text(src, error_rate.span), "\"-5%\"");
    assert_eq!(error_rate.path, "services[api].metrics.error_rate");
}

#[test]
fn a_top_level_that_is_not_a_mapping() {
    for (src, found, span) in [
        (
            "- version: 1\n- system: {}\n",
            "a list",
            "- version: 1\n- system: {}",
        ),
        ("just text\n", "the string \"just text\"", "just text"),
        ("42\n", "an integer `42`", "42"),
        ("[version, system]\n", "a list", "[version, system]"),
        ("~\n", "null", "~"),
    ] {
        let loaded = load(src);
        assert!(loaded.model.is_none(), "{src:?}");
        let ds = check(src);
        assert_eq!(ds.len(), 1, "{src:?}: {ds:#?}");
        assert_eq!(ds[0].code, "SL001");
        assert_eq!(
            ds[0].message,
            format!("expected the description (a mapping), found {found}")
        );
        assert_eq!(text(src, ds[0].span), span);
        assert_eq!(ds[0].span.start, 0);
    }
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_pass() {
    let src = "\
version: 1
system:
  name: shop
  stage: 6                 # 1 out of range
  sla: 0.999               # 2 availability as a fraction
services:
  - name: api
    capacty_rps: 100       # 3 unknown key
    metrics:
      cpu: 72              # 4 ratio
      p95_latency: 300     # 5 duration
    depends_on:
      - target: ghost      # 6 unresolved (SL002)
      - mode: async        # 7 missing target
    instances: 2
    instances: 3           # 8 duplicate key
caches:
  - name: api              # 9 duplicate name (SL003)
    memory: 15             # 10 size
    backs: [orders]        # 11 unresolved (SL002)
regions:
  - {jurisdiction: eu}     # 12 missing name
";
    let ds = check(src);
    let lines: Vec<u32> = ds
        .iter()
        .map(|d| position(src, d.span.start).line)
        .collect();
    assert_eq!(
        lines,
        [4, 5, 8, 10, 11, 13, 14, 16, 18, 19, 20, 22],
        "{ds:#?}"
    );
    assert_eq!(
        codes(&ds),
        [
            "SL001", "SL001", "SL001", "SL001", "SL001", "SL002", "SL001", "SL001", "SL003",
            "SL001", "SL002", "SL001"
        ]
    );
    // Report order: by offset.
    assert!(ds.windows(2).all(|w| w[0].span.start <= w[1].span.start));
}

// ---------------------------------------------------------------------------
// References and names

#[test]
fn every_kind_of_reference_must_resolve() {
    let src = "\
version: 1
system: {name: shop}
regions:
  - {name: eu-west, jurisdiction: eu}
data:
  - {name: orders, kind: financial, consistency: strong}
services:
  - name: api
    region: eu-wset
    depends_on:
      - target: orders-db
      - target: ghost
databases:
  - name: orders-db
    region: us-east
    replicas: {count: 1, regions: [eu-west, ap-south]}
    stores: [orders, payments]
caches:
  - name: sessions
    region: mars
    backs: [orders-db, users-db, api]
queues:
  - name: jobs
    consumers: [api, worker, orders-db]
";
    let ds = check(src);
    assert!(ds.iter().all(|d| d.code == "SL002"), "{ds:#?}");
    let expected = [
        ("eu-wset", "services[api].region", "a region", (9, 13)),
        (
            "ghost",
            "services[api].depends_on[1].target",
            "a service, database, cache or queue",
            (12, 17),
        ),
        (
            "us-east",
            "databases[orders-db].region",
            "a region",
            (15, 13),
        ),
        (
            "ap-south",
            "databases[orders-db].replicas.regions[1]",
            "a region",
            (16, 45),
        ),
        (
            "payments",
            "databases[orders-db].stores[1]",
            "a data class",
            (17, 22),
        ),
        ("mars", "caches[sessions].region", "a region", (20, 13)),
        (
            "users-db",
            "caches[sessions].backs[1]",
            "a database",
            (21, 24),
        ),
        ("worker", "queues[jobs].consumers[1]", "a service", (24, 22)),
    ];
    let mut missing = ds.iter();
    for (name, path, what, (line, column)) in expected {
        let d = missing
            .find(|d| d.message.starts_with(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("no SL002 for {name}: {ds:#?}"));
        assert_eq!(d.message, format!("`{name}` does not name {what}"));
        points_at(src, d, name, line, column);
        assert_eq!(d.path, path);
    }
    assert_eq!(help(the(&ds, "`eu-wset`")), "did you mean `eu-west`?");
    assert_eq!(
        help(the(&ds, "`mars`")),
        "define a region named `mars`, or fix the name"
    );
    // A name of the wrong kind: a cache backs a service, a queue's consumer
    // is a database.
    let api = the(&ds, "`api` is a service, not a database");
    points_at(src, api, "api", 21, 34);
    assert_eq!(api.path, "caches[sessions].backs[2]");
    let db = the(&ds, "`orders-db` is a database, not a service");
    points_at(src, db, "orders-db", 24, 30);
    assert_eq!(ds.len(), expected.len() + 2);
}

#[test]
fn references_that_resolve_are_quiet() {
    let src = "\
version: 1
system: {name: shop}
regions: [{name: eu}, {name: us}]
data: [{name: orders}]
services:
  - {name: api, region: eu, depends_on: [{target: db}, {target: c}, {target: q}, {target: worker}]}
  - {name: worker}
databases:
  - {name: db, region: us, replicas: {regions: [eu, us]}, stores: [orders]}
caches:
  - {name: c, region: eu, backs: [db]}
queues:
  - {name: q, consumers: [api, worker]}
";
    assert!(check(src).is_empty(), "{:#?}", check(src));
    let m = model(src);
    let mut found = Vec::new();
    let facts = Facts::new(&m, None, 1.0, &mut found);
    assert_eq!(facts.db_dependents, [vec![(0, 0)]]);
    assert_eq!(facts.cache_backs, [vec![0]]);
}

#[test]
fn entity_names_share_one_namespace() {
    let src = format!(
        "{HEAD}services:\n  - name: sessions\ncaches:\n  - name: sessions\nqueues:\n  - name: sessions\nregions:\n  - name: sessions\ndata:\n  - name: sessions\n"
    );
    let ds = check(&src);
    // Regions and data classes have namespaces of their own.
    assert_eq!(codes(&ds), ["SL003", "SL003"], "{ds:#?}");
    let cache = &ds[0];
    assert_eq!(
        cache.message,
        "the name `sessions` is already used by an entity"
    );
    points_at(&src, cache, "sessions", 7, 11);
    assert_eq!(cache.path, "caches[sessions].name");
    labelled_at(&src, cache, "sessions");
    assert_eq!(position(&src, cache.labels[0].span.start).line, 5);
    assert_eq!(help(cache), "give each one a unique name");
    let queue = &ds[1];
    points_at(&src, queue, "sessions", 9, 11);
    assert_eq!(position(&src, queue.labels[0].span.start).line, 5);
}

#[test]
fn regions_and_data_classes_must_be_unique_among_themselves() {
    let src = format!(
        "{HEAD}regions:\n  - name: eu\n  - name: eu\ndata:\n  - name: orders\n  - name: orders\n"
    );
    let ds = check(&src);
    assert_eq!(codes(&ds), ["SL003", "SL003"], "{ds:#?}");
    assert_eq!(ds[0].message, "the name `eu` is already used by a region");
    points_at(&src, &ds[0], "eu", 6, 11);
    assert_eq!(position(&src, ds[0].labels[0].span.start).line, 5);
    assert_eq!(
        ds[1].message,
        "the name `orders` is already used by a data class"
    );
    points_at(&src, &ds[1], "orders", 9, 11);
}

#[test]

fn the_did_you_mean_of_sl002_is_deterministic() {
    let src = format!(
        "{HEAD}services:\n  - name: api\n    depends_on: [{{target: db3}}]\ndatabases:\n  - {{name: db1}}\n  - {{name: db2}}\n  - {{name: db4}}\n"
    );
    let helps: BTreeSet<String> = (0..64).map(|_| help(&check(&src)[0]).to_owned()).collect();
    assert_eq!(helps.len(), 1, "{helps:?}");
}

#[test]

fn an_unresolved_name_through_an_alias_labels_the_anchor() {
    let src = format!("{HEAD}x-region: &r nowhere\nservices:\n  - name: api\n    region: *r\n");
    let ds = check(&src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    points_at(&src, &ds[0], "*r", 7, 13);
    assert_eq!(ds[0].labels.len(), 1, "{ds:#?}");
    assert!(text(&src, ds[0].labels[0].span).ends_with("nowhere"));
}

#[test]

fn an_anchored_or_tagged_scalar_is_pointed_at_without_its_properties() {
    let src = format!(
        "{HEAD}services:\n  - name: api\n    metrics: {{cpu: &c 72, rps: !!str fast}}\n    kind: &k |\n      api\n"
    );
    let ds = check(&src);
    assert_eq!(ds.len(), 3, "{ds:#?}");
    assert_eq!(text(&src, the(&ds, "ratio").span), "72");
    assert_eq!(text(&src, the(&ds, "rate").span), "fast");
    assert_eq!(text(&src, the(&ds, "service kind").span), "|\n      api");
}

// ---------------------------------------------------------------------------
// Model paths

#[test]
fn model_paths_name_entities_and_index_other_items() {
    let src = "\
version: 1
system:
  name: shop
  data_residency: [eu, us]
services:
  - name: web
  - name: api
    metrics: {cpu: 0.5}
    depends_on:
      - target: orders-db
      - {target: mailer, mode: async}
databases:
  - name: orders-db
    replicas:
      count: 2
";
    let loaded = load(src);
    assert!(loaded.diagnostics.is_empty());
    let tree = loaded.tree.as_ref().unwrap();
    let at = |needle: &str, nth: usize| -> String {
        let start = src.match_indices(needle).nth(nth).unwrap().0;
        model_path(tree, Span::new(start, start + needle.len()))
    };
    assert_eq!(at("0.5", 0), "services[api].metrics.cpu");
    assert_eq!(at("cpu", 0), "services[api].metrics.cpu");
    assert_eq!(at("mailer", 0), "services[api].depends_on[1].target");
    assert_eq!(at("orders-db", 0), "services[api].depends_on[0].target");
    assert_eq!(at("eu", 0), "system.data_residency[0]");
    assert_eq!(at("us", 0), "system.data_residency[1]");
    assert_eq!(at("2", 0), "databases[orders-db].replicas.count");
    assert_eq!(at("replicas", 0), "databases[orders-db].replicas");
    assert_eq!(at("orders-db", 1), "databases[orders-db].name");
    assert_eq!(at("web", 0), "services[web].name");
    assert_eq!(at("shop", 0), "system.name");
    assert_eq!(model_path(tree, Span::empty(0)), "version");
}

// ---------------------------------------------------------------------------
// The effective stage

fn stage_of(system: &str) -> (u8, StageSource) {
    let src = format!("version: 1\nsystem:\n  name: shop\n{system}");
    let m = model(&src);
    let mut found = Vec::new();
    let facts = Facts::new(&m, None, 1.0, &mut found);
    assert!(found.is_empty());
    assert_eq!(
        (facts.stage, facts.stage_source),
        effective_stage(&m, None, 1.0)
    );
    (facts.stage, facts.stage_source)
}

#[test]
fn the_effective_stage_comes_from_users_at_the_boundaries() {
    for (users, stage) in [
        (0, 1),
        (9_999, 1),
        (10_000, 2),
        (99_999, 2),
        (100_000, 3),
        (999_999, 3),
        (1_000_000, 4),
        (50_000_000, 4),
    ] {
        assert_eq!(
            stage_of(&format!("  users: {users}\n")),
            (stage, StageSource::Users),
            "users {users}"
        );
    }
}

#[test]
fn a_declared_stage_wins_and_none_at_all_is_stage_1() {
    assert_eq!(stage_of("  stage: 2\n"), (2, StageSource::Declared));
    assert_eq!(
        stage_of("  stage: 1\n  users: 2000000\n"),
        (1, StageSource::Declared)
    );
    assert_eq!(
        stage_of("  stage: 4\n  users: 10\n"),
        (4, StageSource::Declared)
    );
    assert_eq!(stage_of(""), (1, StageSource::Assumed));
    // An invalid stage is SL001 and does not count as declared.
    let src = "version: 1\nsystem: {name: shop, stage: 9, users: 20000}\n";
    let loaded = load(src);
    assert_eq!(loaded.diagnostics.len(), 1);
    let m = loaded.model.unwrap();
    assert_eq!(effective_stage(&m, None, 1.0), (2, StageSource::Users));
}

#[test]
fn the_stage_option_and_load_projection() {
    let m = model("version: 1\nsystem: {name: shop, stage: 2, users: 50000}\n");
    assert_eq!(
        effective_stage(&m, Some(4), 1.0),
        (4, StageSource::Override)
    );
    // 50,000 users at 10× load are 500,000: stage 3, above the declared 2.
    assert_eq!(effective_stage(&m, None, 10.0), (3, StageSource::Projected));
    assert_eq!(effective_stage(&m, None, 1.5), (2, StageSource::Declared));
}

// ---------------------------------------------------------------------------
// SL000

#[test]
fn a_syntax_error_is_sl000_at_the_parser_position() {
    let src = "version: 1\nsystem:\n  name: shop\n  peak_rps: [1, 2\nservices:\n";
    let loaded = load(src);
    assert!(loaded.tree.is_none() && loaded.model.is_none());
    let ds = check(src);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0].code, "SL000");
    assert_eq!(ds[0].name, "invalid-yaml");
    assert!(ds[0].message.starts_with("invalid YAML: "), "{ds:#?}");
    // A one-character span inside the file.
    assert_eq!(ds[0].span.len(), 1);
    assert!(position(src, ds[0].span.start).line >= 4);
}

#[test]
fn no_document_or_two_documents_are_sl000() {
    for src in ["", "# only a comment\n", "\u{feff}"] {
        let ds = check(src);
        assert_eq!(codes(&ds), ["SL000"], "{src:?}");
        assert!(ds[0].message.contains("no YAML document"));
        assert_eq!(ds[0].span, Span::empty(0));
    }
    let src = format!("{HEAD}---\nversion: 1\n");
    let ds = check(&src);
    assert_eq!(codes(&ds), ["SL000"]);
    assert!(ds[0].message.contains("second YAML document"));
    points_at(&src, &ds[0], "---", 4, 1);
    // An explicit start and end of one document are fine.
    assert!(check(&format!("---\n{HEAD}...\n")).is_empty());
}

#[test]
fn nesting_past_128_levels_is_sl000() {
    let deep = format!("{HEAD}x-deep: {}\n", "[".repeat(200));
    let ds = check(&deep);
    assert_eq!(codes(&ds), ["SL000"]);
    assert!(ds[0].message.contains("128 levels"), "{ds:#?}");
    let ok = format!("{HEAD}x-deep: {}{}\n", "[".repeat(100), "]".repeat(100));
    assert!(check(&ok).is_empty());
}

#[test]
fn a_file_over_16_mib_is_sl000_naming_the_limit() {
    let mut big = String::from(HEAD);
    big.push_str(&"#".repeat(tree::MAX_FILE_BYTES + 1 - big.len()));
    assert_eq!(big.len(), tree::MAX_FILE_BYTES + 1);
    let ds = check(&big);
    assert_eq!(codes(&ds), ["SL000"]);
    assert!(ds[0].message.contains("16 MiB"), "{ds:#?}");
    assert_eq!(ds[0].span, Span::empty(0));
}

#[test]
fn aliases_expanding_past_a_million_nodes_are_sl000() {
    // Nine levels of ten aliases each: 10^9 nodes once expanded.
    let mut bomb = String::from(HEAD);
    bomb.push_str("x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
    for (p, n) in ('a'..='h').zip('b'..='i') {
        let refs = vec![format!("*{p}"); 10].join(", ");
        bomb.push_str(&format!("x-{n}: &{n} [{refs}]\n"));
    }
    let ds = check(&bomb);
    assert_eq!(codes(&ds), ["SL000"], "{ds:#?}");
    assert!(ds[0].message.contains("1000000 nodes"), "{ds:#?}");
    // A few aliases are fine.
    let small = format!("{HEAD}x-a: &a [1, 2]\nx-b: [*a, *a]\n");
    assert!(check(&small).is_empty());
}

#[test]
fn bytes_that_are_not_utf8_are_sl000_at_the_first_bad_byte() {
    let bytes = b"version: 1\nsystem: {name: caf\xe9}\n";
    let d = decode(bytes).unwrap_err();
    assert_eq!(d.code, "SL000");
    assert_eq!(d.span, Span::new(29, 30));
    assert!(d.message.contains("0xe9"), "{d:#?}");
    assert_eq!(decode(b"version: 1\n").unwrap(), "version: 1\n");
}
