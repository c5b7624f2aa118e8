//! Load projection (`check --load`) and `forecast`, against numbers worked
//! out by hand from RULES.md "Load projection".

use std::process::Command;

fn run(args: &[&str], input: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.arch.yaml");
    std::fs::write(&path, input).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push(path.to_str().unwrap());
    let o = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .args(&all)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// A stage-1 system: 4,000 users; `api` at 40% CPU, not stateless.
const STARTUP: &str = "version: 1
system:
  name: startup
  users: 4000
  monthly_budget_usd: 200
services:
  - name: api
    metrics: {cpu: 0.4, rps: 100}
observability: {monitoring: true}
";

fn points(json: &str) -> Vec<(f64, String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["breaking_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["factor"].as_f64().unwrap(),
                p["code"].as_str().unwrap().to_owned(),
                p["severity"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn factor_of(points: &[(f64, String, String, String)], code: &str, severity: &str) -> f64 {
    points
        .iter()
        .find(|p| p.1 == code && p.2 == severity)
        .unwrap_or_else(|| panic!("no {code} {severity} in {points:?}"))
        .0
}

#[test]
fn forecast_finds_the_cpu_and_stage_breaking_points() {
    let (code, json) = run(
        &["forecast", "--format", "json", "--today", "2026-11-28"],
        STARTUP,
    );
    assert_eq!(code, 0, "{json}");
    let p = points(&json);
    // CPU 40% crosses 70% strictly above 70/40 = 1.75, and 85% above 85/40 = 2.125.
    let warn = factor_of(&p, "SL103", "warning");
    let error = factor_of(&p, "SL103", "error");
    assert!(
        (1.75..=1.75 * 1.01).contains(&warn) && warn > 1.75,
        "{warn}"
    );
    assert!(
        (2.125..=2.125 * 1.01).contains(&error) && error > 2.125,
        "{error}"
    );
    assert_eq!(error, 2.13, "printed to 2 decimals, at or just above");
    // Stage 3 starts at 100,000 users: 4,000 × 25. SL301 (stateless, stage ≥ 3) fires from there.
    let stateless = factor_of(&p, "SL301", "error");
    assert!((25.0..=25.0 * 1.01).contains(&stateless), "{stateless}");
    // Stage 2 at 10,000 users (2.5×): the $200 budget is below stage 2's $1,000 floor.
    let budget = factor_of(&p, "SL506", "info");
    assert!((2.5..=2.5 * 1.01).contains(&budget), "{budget}");
    // Sorted by factor.
    assert!(p.windows(2).all(|w| w[0].0 <= w[1].0), "{p:?}");
    // Nothing that fires today is a breaking point (SL109 and friends are quiet here anyway).
    assert!(p.iter().all(|x| x.0 > 1.0));
}

#[test]
fn forecast_human_verdict_names_the_first_break() {
    let (_, text) = run(&["forecast", "--today", "2026-11-28"], STARTUP);
    assert!(
        text.contains("first breaks at 1.76× load (SL103 on `api`)"),
        "{text}"
    );
}

#[test]
fn a_two_level_rule_at_its_lower_level_today_breaks_again_at_the_higher() {
    let input = STARTUP.replace("cpu: 0.4", "cpu: 0.75");
    let (_, json) = run(
        &["forecast", "--format", "json", "--today", "2026-11-28"],
        &input,
    );
    let p = points(&json);
    assert!(
        !p.iter().any(|x| x.1 == "SL103" && x.2 == "warning"),
        "warning fires today: {p:?}"
    );
    let error = factor_of(&p, "SL103", "error");
    assert!(
        error > 0.85 / 0.75 && error <= 0.85 / 0.75 * 1.01,
        "{error}"
    );
}

#[test]
fn check_at_10x_load_matches_the_hand_computed_findings() {
    let (code, json) = run(
        &[
            "check",
            "--format",
            "json",
            "--today",
            "2026-11-28",
            "--load",
            "10x",
        ],
        STARTUP,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut found: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            assert!(message.starts_with("at 10× load: "), "{message}");
            assert_eq!(d["load"], 10.0);
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    // At 10×: 40,000 users (stage 2); CPU 400% (SL103 error; SL202: one instance, no
    // autoscaling, above 70%); budget $200 below stage 2's $1,000 (SL506). Stage-3
    // rules stay quiet; SL109 (stage 1 only) too.
    let expected: Vec<(String, String)> =
        [("SL103", "error"), ("SL202", "warning"), ("SL506", "info")]
            .iter()
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .collect();
    assert_eq!(found, expected, "{json}");
}
