//! Full reports of the realistic example descriptions, human and JSON, as
//! reviewed snapshots; and `scalelint stage` on a system at each stage.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.is_empty() || !err.contains("panicked"), "{err}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

const EXAMPLES: &[&str] = &[
    "shop",
    "stage1-clean",
    "stage1-problems",
    "stage2-clean",
    "stage2-problems",
    "stage2-thresholds",
    "stage3-clean",
    "stage3-problems",
    "stage4-global",
    "stage4-problems",
];

#[test]
fn example_reports() {
    for name in EXAMPLES {
        let path = format!("fixtures/examples/{name}.arch.yaml");
        let (code, human) = run(&["check", "--today", "2026-11-28", &path]);
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        insta::assert_snapshot!(format!("{name}.human"), human);
        let (_, json) = run(&["check", "--today", "2026-11-28", "--format", "json", &path]);
        let json = json.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("{name}.json"), json);
    }
}

#[test]
fn clean_examples_are_clean() {
    for name in EXAMPLES
        .iter()
        .filter(|n| n.ends_with("-clean") || **n == "stage4-global" || **n == "stage2-thresholds")
    {
        let path = format!("fixtures/examples/{name}.arch.yaml");
        let (code, out) = run(&["check", "--today", "2026-11-28", &path]);
        assert_eq!(code, 0, "{name} should be clean:\n{out}");
    }
}

#[test]
fn stage_at_each_of_the_four_stages() {
    for (file, stage) in [
        ("stage1-problems", 1),
        ("stage2-problems", 2),
        ("shop", 3),
        ("stage4-problems", 4),
    ] {
        let path = format!("fixtures/examples/{file}.arch.yaml");
        let (code, out) = run(&["stage", "--today", "2026-11-28", &path]);
        assert_eq!(code, 0, "{out}");
        insta::assert_snapshot!(format!("stage-{stage}"), out);
        let (_, json) = run(&["stage", "--today", "2026-11-28", "--format", "json", &path]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["stage"], stage);
        assert_eq!(v["checklist_stage"], (stage + 1).min(4));
        assert!(!v["items"].as_array().unwrap().is_empty());
    }
}
