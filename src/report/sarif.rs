//! The SARIF format (`check --format sarif`): a SARIF 2.1.0 log that GitHub
//! code scanning and other SARIF viewers accept.
//!
//! One run. `tool.driver.rules` lists every rule the run knows (the loader's
//! codes, then the rule set's, built-in and custom) with the docs of its rule
//! file, so a viewer can explain a finding without scalelint at hand; each
//! result points at its rule by `ruleId` and `ruleIndex`.
//!
//! Positions are the [`LineIndex`](crate::span::LineIndex)'s, as in the JSON
//! format: 1-based lines, columns in Unicode scalar values (declared by
//! `run.columnKind: unicodeCodePoints`), `end` exclusive, which is what
//! SARIF's `endColumn` means. Offsets are given as `byteOffset`/`byteLength`
//! rather than `charOffset`/`charLength`: ours are byte offsets, and SARIF's
//! "char" offsets would be in the same units as the columns.
//!
//! The log is built from typed structs of our own: the whole of SARIF is
//! large, the part we write is small, and typed `version` and `columnKind`
//! keep it from drifting.

use super::{rule_url, FileResult, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{Rule, RuleSet};
use crate::registry::{self, RuleMeta};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The schema the log declares (`$schema`).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where users learn about the tool (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/scalelint/scalelint";

/// The key of our entry in each result's `partialFingerprints`; the suffix
/// is bumped if what the fingerprint hashes ever changes.
pub const FINGERPRINT_KEY: &str = "scalelint/v1";

/// The base that relative artifact URIs are resolved against: the directory
/// scalelint ran in, normally the repository root.
const SRCROOT: &str = "%SRCROOT%";

/// The whole log, pretty-printed with a final newline. `rules` is the run's
/// rule set; the loader's codes are added to it.
pub fn render(report: &Report, rules: &RuleSet) -> String {
    let mut descriptors = Descriptors::new(rules);
    let uris: Vec<ArtifactLocation> = report.files.iter().map(|f| artifact_uri(&f.path)).collect();
    let mut results = Vec::new();
    for (file, uri) in report.files.iter().zip(&uris) {
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for d in &file.diagnostics {
            let occurrence = seen.entry((&d.code, &d.path)).or_insert(0);
            let fingerprint = fingerprint(&file.path, d, *occurrence);
            *occurrence += 1;
            let rule_index = descriptors.index_of(d);
            results.push(SarifResult::new(file, uri, d, rule_index, fingerprint));
        }
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: Version::V2_1_0,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "scalelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: descriptors.list,
                },
            },
            column_kind: ColumnKind::UnicodeCodePoints,
            results,
        }],
    };
    let mut out =
        serde_json::to_string_pretty(&log).expect("the log holds only strings and numbers");
    out.push('\n');
    out
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: Version,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
enum Version {
    #[serde(rename = "2.1.0")]
    V2_1_0,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: ColumnKind,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum ColumnKind {
    UnicodeCodePoints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

/// A `reportingDescriptor`: one rule and its docs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Formatted>,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Formatted {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: Level,
}

#[derive(Serialize)]
struct RuleProperties {
    /// Where the rule comes from: `core` (the loader's and the suppressions'
    /// codes, SL000–SL003 and SL09x), `builtin` (a rule file of `rules/`) or
    /// `custom` (a user's rule directory).
    tags: [&'static str; 1],
    /// The stages the rule applies at (`all`, `≥3`, `2–3`).
    stages: String,
    /// Whether its findings carry a fix.
    fixable: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<ParamProperty>,
}

#[derive(Serialize)]
struct ParamProperty {
    name: String,
    unit: &'static str,
    default: String,
    description: String,
}

/// The rules of the log, in code order, and where each code sits.
struct Descriptors {
    list: Vec<Descriptor>,
    index: HashMap<String, usize>,
}

impl Descriptors {
    fn new(rules: &RuleSet) -> Descriptors {
        let mut by_code: BTreeMap<String, Descriptor> = BTreeMap::new();
        for meta in registry::loader_rules() {
            by_code.insert(meta.code.clone(), Descriptor::loader(&meta));
        }
        for rule in &rules.rules {
            by_code.insert(rule.code.clone(), Descriptor::rule(rule));
        }
        let list: Vec<Descriptor> = by_code.into_values().collect();
        let index = list
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Descriptors { list, index }
    }

    /// The index of a diagnostic's rule; a code no rule declares (it should
    /// not happen) gets a descriptor made from the diagnostic, so every
    /// result still has a `ruleIndex`.
    fn index_of(&mut self, d: &Diagnostic) -> usize {
        if let Some(&i) = self.index.get(d.code.as_str()) {
            return i;
        }
        let i = self.list.len();
        self.list.push(Descriptor {
            id: d.code.to_string(),
            name: d.name.to_string(),
            short_description: Text {
                text: d.name.to_string(),
            },
            full_description: None,
            help: None,
            help_uri: rule_url(&d.code),
            default_configuration: Configuration {
                level: level(d.severity),
            },
            properties: RuleProperties {
                tags: ["builtin"],
                stages: "all".into(),
                fixable: false,
                parameters: Vec::new(),
            },
        });
        self.index.insert(d.code.to_string(), i);
        i
    }
}

impl Descriptor {
    fn loader(meta: &RuleMeta) -> Descriptor {
        Descriptor {
            id: meta.code.clone(),
            name: meta.name.clone(),
            short_description: Text {
                text: meta.summary.clone(),
            },
            full_description: None,
            help: None,
            help_uri: rule_url(&meta.code),
            default_configuration: Configuration {
                level: level(meta.severity),
            },
            properties: RuleProperties {
                tags: ["core"],
                stages: "all".into(),
                fixable: false,
                parameters: Vec::new(),
            },
        }
    }

    fn rule(rule: &Rule) -> Descriptor {
        let docs = rule.docs();
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let help = (!docs.why.trim().is_empty() || !docs.fix.trim().is_empty()).then(|| {
            let (why, fix) = (docs.why.trim(), docs.fix.trim());
            let mut markdown = format!("**Why it matters.** {why}\n\n**How to fix.** {fix}\n");
            for (title, example) in [("Fails", &docs.fail), ("Passes", &docs.pass)] {
                if !example.trim().is_empty() {
                    markdown.push_str(&format!(
                        "\n{title}:\n\n```yaml\n{}\n```\n",
                        example.trim_end()
                    ));
                }
            }
            Formatted {
                text: format!("Why it matters: {why}\n\nHow to fix: {fix}"),
                markdown,
            }
        });
        Descriptor {
            id: rule.code.clone(),
            name: rule.name.clone(),
            short_description: Text {
                text: rule.summary.clone(),
            },
            full_description: non_empty(&docs.what).map(|text| Text { text }),
            help,
            help_uri: rule_url(&rule.code),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
            properties: RuleProperties {
                tags: [if rule.builtin { "builtin" } else { "custom" }],
                stages: rule.stages_text(),
                fixable: crate::engine::docs::has_fix(rule),
                parameters: rule
                    .params
                    .iter()
                    .map(|p| ParamProperty {
                        name: p.name.clone(),
                        unit: p.unit.as_str(),
                        default: p.default_text.clone(),
                        description: p.doc.clone(),
                    })
                    .collect(),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: Level,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    /// The load factor the finding was computed at (`--load`).
    load: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    /// The model path (`databases[orders-db].replicas.count`).
    fully_qualified_name: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    byte_offset: u32,
    byte_length: u32,
}

impl Region {
    fn new(file: &FileResult, span: crate::span::Span) -> Region {
        let s = file.line_span(span);
        Region {
            start_line: s.start.line,
            start_column: s.start.column,
            end_line: s.end.line,
            end_column: s.end.column,
            byte_offset: s.start.offset,
            byte_length: s.end.offset - s.start.offset,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: &'a ArtifactLocation,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

impl<'a> SarifResult<'a> {
    fn new(
        file: &'a FileResult,
        uri: &'a ArtifactLocation,
        d: &'a Diagnostic,
        rule_index: usize,
        fingerprint: String,
    ) -> SarifResult<'a> {
        // The computed advice ("raise replicas.count to 4") is the most
        // useful part of many findings; viewers show only the message.
        let text = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        SarifResult {
            rule_id: &d.code,
            rule_index,
            level: level(d.severity),
            message: Text { text },
            locations: [Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: uri,
                    region: Region::new(file, d.span),
                },
                logical_locations: if d.path.is_empty() {
                    Vec::new()
                } else {
                    vec![LogicalLocation {
                        fully_qualified_name: &d.path,
                    }]
                },
                message: None,
            }],
            related_locations: d
                .labels
                .iter()
                .enumerate()
                .map(|(i, label)| Location {
                    id: Some(i),
                    physical_location: PhysicalLocation {
                        artifact_location: uri,
                        region: Region::new(file, label.span),
                    },
                    logical_locations: Vec::new(),
                    message: Some(Text {
                        text: label.message.clone(),
                    }),
                })
                .collect(),
            fixes: d
                .fix
                .iter()
                .map(|fix| SarifFix {
                    description: Text {
                        text: d
                            .help
                            .clone()
                            .unwrap_or_else(|| format!("replace with `{}`", fix.replacement)),
                    },
                    artifact_changes: [ArtifactChange {
                        artifact_location: uri,
                        replacements: [Replacement {
                            deleted_region: Region::new(file, fix.span),
                            inserted_content: InsertedContent {
                                text: &fix.replacement,
                            },
                        }],
                    }],
                })
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            properties: ResultProperties { load: d.load },
        }
    }
}

/// What identifies a finding across edits, as the baseline does: the file,
/// the rule and the model path, never the line; `occurrence` tells apart
/// findings of one rule on one node. FNV-1a, 64 bits: stable across Rust
/// versions and platforms, unlike `std`'s hasher.
fn fingerprint(file: &str, d: &Diagnostic, occurrence: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let occurrence = occurrence.to_string();
    for part in [file, &d.code, &d.path, &occurrence] {
        for &byte in part.as_bytes().iter().chain(&[0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A report path as an artifact URI: forward slashes, percent-encoded,
/// relative to [`SRCROOT`] unless the path is absolute (then a `file:` URI).
fn artifact_uri(path: &str) -> ArtifactLocation {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_owned();
    }
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        let (letter, rest) = path.split_at(2);
        return ArtifactLocation {
            uri: format!("file:///{letter}{}", percent_encode(rest)),
            uri_base_id: None,
        };
    }
    if path.starts_with('/') {
        return ArtifactLocation {
            uri: format!("file://{}", percent_encode(&path)),
            uri_base_id: None,
        };
    }
    ArtifactLocation {
        uri: percent_encode(&path),
        uri_base_id: Some(SRCROOT),
    }
}

/// Percent-encodes every byte but RFC 3986's unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json::tests::{sample_report, SHOP};
    use serde_json::Value;

    fn parsed() -> Value {
        let rules = RuleSet::builtin().expect("built-in rules compile");
        serde_json::from_str(&render(&sample_report(), &rules)).expect("the output is JSON")
    }

    #[test]
    fn header_and_driver() {
        let log = parsed();
        assert_eq!(log["$schema"], SCHEMA_URI);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0]["columnKind"], "unicodeCodePoints");
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "scalelint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let ids: Vec<&str> = driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "rules in code order");
        for code in ["SL000", "SL001", "SL002", "SL003", "SL503"] {
            assert!(ids.contains(&code), "{code} in {ids:?}");
        }
    }

    #[test]
    fn rule_descriptors_carry_the_docs() {
        let rules = RuleSet::builtin().unwrap();
        let log = parsed();
        let descriptors = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let sl503 = descriptors.iter().find(|r| r["id"] == "SL503").unwrap();
        let rule = rules.get("SL503").unwrap();
        assert_eq!(sl503["name"], "replica-count");
        assert_eq!(sl503["shortDescription"]["text"], rule.summary.as_str());
        assert_eq!(sl503["fullDescription"]["text"], rule.docs().what.trim());
        let help = sl503["help"]["text"].as_str().unwrap();
        assert!(help.contains(rule.docs().why.trim()) && help.contains(rule.docs().fix.trim()));
        assert!(sl503["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("```yaml"));
        assert_eq!(sl503["helpUri"], rule_url("SL503"));
        assert_eq!(
            sl503["defaultConfiguration"]["level"],
            serde_json::to_value(level(rule.severity)).unwrap()
        );
        assert_eq!(sl503["properties"]["fixable"], true);
        assert_eq!(sl503["properties"]["tags"][0], "builtin");
        let sl000 = descriptors.iter().find(|r| r["id"] == "SL000").unwrap();
        assert_eq!(sl000["properties"]["tags"][0], "core");
        assert_eq!(sl000["defaultConfiguration"]["level"], "error");
    }

    #[test]
    fn results_point_where_the_json_does() {
        let log = parsed();
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        let report = sample_report();
        let shop = &report.files[0];
        assert_eq!(results.len(), shop.diagnostics.len());
        for (r, d) in results.iter().zip(&shop.diagnostics) {
            assert_eq!(r["ruleId"], d.code.as_str());
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][index]["id"], d.code.as_str());
            let location = &r["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uri"], "shop.arch.yaml");
            assert_eq!(location["artifactLocation"]["uriBaseId"], SRCROOT);
            let span = shop.line_span(d.span);
            let region = &location["region"];
            assert_eq!(region["startLine"], span.start.line);
            assert_eq!(region["startColumn"], span.start.column);
            assert_eq!(region["endLine"], span.end.line);
            assert_eq!(region["endColumn"], span.end.column);
            let (offset, length) = (
                region["byteOffset"].as_u64().unwrap() as usize,
                region["byteLength"].as_u64().unwrap() as usize,
            );
            assert_eq!(&SHOP[offset..offset + length], &SHOP[d.span.range()]);
        }
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["note", "warning", "error", "warning"]);
        // `3` after a two-byte `é`: column 25 in code points, not 26.
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["region"]["startColumn"],
            25
        );
        assert_eq!(
            results[0]["message"]["text"],
            "system name `café` is not ascii"
        );
        assert_eq!(
            results[1]["message"]["text"],
            "tag `size` is 3; at most 2 expected\nhelp: use a size of 2 or less"
        );
        assert_eq!(
            results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "system.name"
        );
    }

    #[test]
    fn labels_and_fixes() {
        let log = parsed();
        let replicas = &log["runs"][0]["results"][2];
        let related = &replicas["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "reads_per_sec");
        let region = &related["physicalLocation"]["region"];
        let offset = region["byteOffset"].as_u64().unwrap() as usize;
        assert_eq!(&SHOP[offset..offset + 5], "10000");
        let fix = &replicas["fixes"][0];
        assert_eq!(fix["description"]["text"], "raise replicas.count to 4");
        let replacement = &fix["artifactChanges"][0]["replacements"][0];
        assert_eq!(replacement["insertedContent"]["text"], "4");
        let deleted = &replacement["deletedRegion"];
        let offset = deleted["byteOffset"].as_u64().unwrap() as usize;
        assert_eq!(&SHOP[offset..offset + 1], "2");
        assert_eq!(deleted["byteLength"], 1);
        assert!(log["runs"][0]["results"][0].get("fixes").is_none());
        assert!(log["runs"][0]["results"][0]
            .get("relatedLocations")
            .is_none());
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let log = parsed();
        let prints: Vec<&str> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap())
            .collect();
        let mut unique = prints.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), prints.len());
        // The line is not part of it: the same finding elsewhere in the file
        // keeps its fingerprint.
        let d = &sample_report().files[0].diagnostics[2];
        let mut moved = d.clone();
        moved.span = crate::span::Span::new(0, 1);
        assert_eq!(
            fingerprint("shop.arch.yaml", d, 0),
            fingerprint("shop.arch.yaml", &moved, 0)
        );
        assert_ne!(
            fingerprint("shop.arch.yaml", d, 0),
            fingerprint("shop.arch.yaml", d, 1)
        );
        // Pinned: a change of the hash would reopen every alert.
        assert_eq!(fingerprint("", d, 0).len(), 16);
        assert_eq!(prints[2], fingerprint("shop.arch.yaml", d, 0));
    }

    #[test]
    fn uris() {
        let uri = |p: &str| {
            let a = artifact_uri(p);
            (a.uri, a.uri_base_id)
        };
        assert_eq!(
            uri("./fixtures/a.arch.yaml"),
            ("fixtures/a.arch.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            uri("dir\\my file,é.yaml"),
            ("dir/my%20file%2C%C3%A9.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            uri("/srv/a b.yaml"),
            ("file:///srv/a%20b.yaml".into(), None)
        );
        assert_eq!(uri("C:\\x\\a.yaml"), ("file:///C:/x/a.yaml".into(), None));
        assert_eq!(uri("a:b.yaml"), ("a%3Ab.yaml".into(), Some(SRCROOT)));
    }

    #[test]
    fn rendering() {
        // The results only: the rules' docs are the rule files', and the
        // indices follow the rule list.
        let mut log: Value =
            serde_json::from_str(&render(&sample_report(), &RuleSet::default())).unwrap();
        let results = log["runs"][0]["results"].as_array_mut().unwrap();
        for r in results.iter_mut() {
            r.as_object_mut().unwrap().remove("ruleIndex");
        }
        insta::assert_snapshot!(
            "sarif_results",
            serde_json::to_string_pretty(&results).unwrap()
        );
    }

    #[test]
    fn unknown_codes_get_a_descriptor() {
        let mut report = sample_report();
        report.files[0].diagnostics[0].code = "XYZ9".into();
        let log: Value = serde_json::from_str(&render(&report, &RuleSet::default())).unwrap();
        let run = &log["runs"][0];
        let index = run["results"][0]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "XYZ9");
    }
}
