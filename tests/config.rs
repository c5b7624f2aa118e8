//! The config file end to end (CLI.md "Configuration", "Failing loudly"):
//! discovery, `--config`/`--no-config`, strict keys with "did you mean",
//! selection, severities, params and per-file overrides, and the command
//! line winning over the config.

mod common;

use common::{check_json, repo, scalelint, write, HEAD};

/// One service at 68% CPU (quiet at SL103's default 70%), one at 90%, and
/// a web service that is not stateless (SL301 at stage 3).
fn description() -> String {
    format!(
        "{HEAD}services:\n  - name: api\n    stateless: true\n    metrics: {{cpu: 0.68}}\n  - name: web\n    kind: web\n    metrics: {{cpu: 0.9}}\n"
    )
}

const WEB_HOT: &str = "service `web` runs at 90% CPU at peak, above the error limit of 85%";
const WEB_STATEFUL: &str = "service `web` is not declared stateless";

#[test]
fn a_config_key_typo_fails_with_did_you_mean_and_its_position() {
    let dir = repo(&[
        ("scalelint.yaml", "select: [SL1]\ningore: [SL108]\n"),
        ("a.arch.yaml", &description()),
    ]);
    let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "scalelint: error: scalelint.yaml:2:1: unknown key `ingore` in the config; did you mean `ignore`?\n"
    );
}

#[test]
fn a_typo_inside_an_override_is_found_too() {
    let dir = repo(&[
        (
            "scalelint.yaml",
            "overrides:\n  - files: [\"legacy/**\"]\n    sevrity: {SL301: info}\n",
        ),
        ("a.arch.yaml", &description()),
    ]);
    let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr,
        "scalelint: error: scalelint.yaml:3:5: unknown key `sevrity` in an override; did you mean `severity`?\n"
    );
}

#[test]
fn unknown_codes_in_the_config_fail_with_did_you_mean() {
    let cases = [
        ("select: [SL1O3]\n", "scalelint.yaml:1:10: unknown rule code or name `SL1O3`; did you mean `SL103`?"),
        ("ignore: [stateles-servers]\n", "scalelint.yaml:1:10: unknown rule code or name `stateles-servers`; did you mean `stateless-servers`?"),
        ("severity: {SL3011: off}\n", "scalelint.yaml:1:12: unknown rule code or name `SL3011`; did you mean `SL301`?"),
        ("unsuppressible: [SL1033]\n", "scalelint.yaml:1:18: unknown rule code or name `SL1033`; did you mean `SL103`?"),
        ("params: {SL1033: {warn: 65%}}\n", "scalelint.yaml:1:10: unknown rule code or name `SL1033`; did you mean `SL103`?"),
        ("overrides:\n  - files: [a]\n    ignore: [SL3O1]\n", "scalelint.yaml:3:14: unknown rule code or name `SL3O1`; did you mean `SL301`?"),
    ];
    for (config, message) in cases {
        let dir = repo(&[("scalelint.yaml", config), ("a.arch.yaml", &description())]);
        let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
        assert_eq!(r.code, 2, "{config}: {r:?}");
        assert_eq!(
            r.stderr,
            format!("scalelint: error: {message}\n"),
            "{config}"
        );
    }
}

#[test]
fn params_are_checked_against_each_rules_params_and_units() {
    let cases = [
        (
            "params: {SL103: {wrn: 65%}}\n",
            "scalelint.yaml:1:18: SL103 has no parameter `wrn`; did you mean `warn`?",
        ),
        (
            "params: {SL001: {max: 3}}\n",
            "scalelint.yaml:1:10: SL001 has no parameters",
        ),
        (
            "params:\n  SL103:\n    warn: lots\n",
            "scalelint.yaml:3:11: SL103.warn: expected a ratio, found \"lots\"",
        ),
    ];
    for (config, message) in cases {
        let dir = repo(&[("scalelint.yaml", config), ("a.arch.yaml", &description())]);
        let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
        assert_eq!(r.code, 2, "{config}: {r:?}");
        assert_eq!(
            r.stderr,
            format!("scalelint: error: {message}\n"),
            "{config}"
        );
    }
}

#[test]
fn a_param_in_the_config_moves_a_threshold() {
    let dir = repo(&[
        (
            "scalelint.yaml",
            "select: [SL103]\nparams: {SL103: {warn: 65%}}\n",
        ),
        ("a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            "a.arch.yaml:9:20 SL103 warning service `api` runs at 68% CPU at peak, above the warning limit of 65%".to_owned(),
            format!("a.arch.yaml:12:20 SL103 error {WEB_HOT}"),
        ],
        "{r:?}"
    );
}

#[test]
fn an_override_changes_severity_only_in_the_files_its_glob_matches() {
    let config =
        "select: [SL301]\noverrides:\n  - files: [\"legacy/**\"]\n    severity: {SL301: info}\n";
    let dir = repo(&[
        ("scalelint.yaml", config),
        ("legacy/a.arch.yaml", &description()),
        ("new/a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["."]);
    assert_eq!(
        r.findings(),
        [
            format!("legacy/a.arch.yaml:10:11 SL301 info {WEB_STATEFUL}"),
            format!("new/a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}"),
        ],
        "{r:?}"
    );
    // Globs are relative to the config file, wherever the run starts.
    let r = check_json(&dir.path().join("legacy"), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:10:11 SL301 info {WEB_STATEFUL}")],
        "{r:?}"
    );
}

#[test]
fn later_overrides_win_and_params_apply_per_file() {
    let config = concat!(
        "select: [SL103, SL301]\n",
        "overrides:\n",
        "  - files: [\"legacy/**\"]\n",
        "    ignore: [SL3]\n",
        "    params: {SL103: {warn: 65%}}\n",
        "  - files: [\"legacy/keep/**\"]\n",
        "    select: [stateless-servers]\n",
        "    severity: {SL103: off}\n",
    );
    let dir = repo(&[
        ("scalelint.yaml", config),
        ("legacy/a.arch.yaml", &description()),
        ("legacy/keep/a.arch.yaml", &description()),
        ("new/a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["."]);
    assert_eq!(
        r.findings(),
        [
            "legacy/a.arch.yaml:9:20 SL103 warning service `api` runs at 68% CPU at peak, above the warning limit of 65%".to_owned(),
            format!("legacy/a.arch.yaml:12:20 SL103 error {WEB_HOT}"),
            format!("legacy/keep/a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}"),
            format!("new/a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}"),
            format!("new/a.arch.yaml:12:20 SL103 error {WEB_HOT}"),
        ],
        "{r:?}"
    );
}

#[test]
fn the_config_is_found_by_walking_up_from_a_subdirectory() {
    let config =
        "select: [SL103, SL301]\nseverity: {SL301: warning}\nparams: {SL103: {error: 95%}}\n";
    let dir = repo(&[
        ("scalelint.yaml", config),
        ("sub/deeper/a.arch.yaml", &description()),
    ]);
    let sub = dir.path().join("sub/deeper");
    let r = check_json(&sub, &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            format!("a.arch.yaml:10:11 SL301 warning {WEB_STATEFUL}"),
            "a.arch.yaml:12:20 SL103 warning service `web` runs at 90% CPU at peak, above the warning limit of 70%".to_owned(),
        ],
        "{r:?}"
    );
    // A broken config found by walking up is named relative to here.
    write(dir.path(), "scalelint.yaml", "fail_on: warnings\n");
    let r = scalelint(&sub, &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "scalelint: error: ../../scalelint.yaml:1:10: `warnings` is not a `fail_on` level; did you mean `warning`?\n"
    );
}

#[test]
fn a_dot_config_is_found_and_two_configs_in_one_directory_fail() {
    let dir = repo(&[
        (".scalelint.yaml", "select: [SL301]\n"),
        ("a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}")],
        "{r:?}"
    );
    write(dir.path(), "scalelint.yaml", "select: [SL103]\n");
    let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "scalelint: error: scalelint.yaml and .scalelint.yaml are both config files; keep one\n"
    );
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "scalelint.yaml", "not_a_key: 1\n");
    write(outer.path(), "repo/a.arch.yaml", &description());
    std::fs::create_dir(outer.path().join("repo/.git")).unwrap();
    let r = check_json(
        &outer.path().join("repo"),
        &["--select", "SL301", "a.arch.yaml"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}")]
    );
}

#[test]
fn no_config_ignores_the_config_and_config_names_one() {
    let dir = repo(&[
        ("scalelint.yaml", "severity: {SL301: info}\n"),
        ("other.yaml", "severity: {SL301: warning}\n"),
        ("a.arch.yaml", &description()),
    ]);
    let severity = |args: &[&str]| {
        let mut all = vec!["--select", "SL301"];
        all.extend_from_slice(args);
        all.push("a.arch.yaml");
        let r = check_json(dir.path(), &all);
        r.json()["diagnostics"][0]["severity"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(severity(&[]), "info");
    assert_eq!(severity(&["--no-config"]), "error");
    assert_eq!(severity(&["--config", "other.yaml"]), "warning");

    let r = scalelint(
        dir.path(),
        &["check", "--config", "missing.yaml", "a.arch.yaml"],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "scalelint: error: missing.yaml: cannot read the config: no such file or directory\n"
    );
    let r = scalelint(
        dir.path(),
        &[
            "check",
            "--config",
            "other.yaml",
            "--no-config",
            "a.arch.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn the_command_line_wins_over_the_config() {
    let dir = repo(&[
        ("scalelint.yaml", "select: [SL301]\nfail_on: never\n"),
        ("a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:10:11 SL301 error {WEB_STATEFUL}")]
    );
    assert_eq!(r.code, 0, "fail_on: never");
    let r = check_json(dir.path(), &["--fail-on", "error", "a.arch.yaml"]);
    assert_eq!(r.code, 1);
    // `--select` names exactly what runs; `--ignore` takes from it.
    let r = check_json(
        dir.path(),
        &[
            "--select",
            "SL103,SL301",
            "--ignore",
            "SL301",
            "a.arch.yaml",
        ],
    );
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:12:20 SL103 error {WEB_HOT}")]
    );
}

#[test]
fn severity_off_turns_a_rule_off() {
    let dir = repo(&[
        (
            "scalelint.yaml",
            "select: [SL103, SL301]\nseverity: {server-cpu: off, SL301: warning}\n",
        ),
        ("a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [format!("a.arch.yaml:10:11 SL301 warning {WEB_STATEFUL}")]
    );
}

#[test]
fn include_and_exclude_shape_what_a_directory_walk_finds() {
    let config = "select: [SL301]\ninclude: [\"**/*.yaml\"]\nexclude: [\"fixtures/**\"]\n";
    let dir = repo(&[
        ("scalelint.yaml", config),
        ("shop.yaml", &description()),
        ("fixtures/bad.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["."]);
    // Not the excluded fixture, and not the config file itself.
    assert_eq!(
        r.findings(),
        [format!("shop.yaml:10:11 SL301 error {WEB_STATEFUL}")],
        "{r:?}"
    );
    // A file named on the command line is checked even when excluded.
    let r = check_json(dir.path(), &["fixtures/bad.yaml"]);
    assert_eq!(
        r.findings(),
        [format!(
            "fixtures/bad.yaml:10:11 SL301 error {WEB_STATEFUL}"
        )]
    );
    // With nothing left to check, the run fails loudly.
    write(dir.path(), "scalelint.yaml", "exclude: [\"**\"]\n");
    let r = scalelint(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("scalelint: error: no description files found under ."),
        "{r:?}"
    );
}

/// A custom threshold rule, as a team would write one.
const WORKER_RULE: &str = include_str!("data/ACME002-worker-cpu.yaml");

#[test]
fn custom_rule_directories_are_relative_to_the_config() {
    let dir = repo(&[
        (
            "scalelint.yaml",
            "rules: [policies]\nselect: [ACME]\nparams: {worker-cpu: {limit: 50%}}\n",
        ),
        ("policies/ACME002-worker-cpu.yaml", WORKER_RULE),
        (
            "sub/a.arch.yaml",
            &format!(
                "{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 0.55}}\n"
            ),
        ),
    ]);
    let r = check_json(&dir.path().join("sub"), &["a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:9:20 ACME002 warning worker `w` runs at 55% CPU, above the team limit of 50%"],
        "{r:?}"
    );
    write(dir.path(), "scalelint.yaml", "rules: [polices]\n");
    let r = scalelint(&dir.path().join("sub"), &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("scalelint: error: ../scalelint.yaml:1:9: the rule directory `polices` (../polices) does not exist"),
        "{r:?}"
    );
}

/// CLI.md: `rules` lists custom rules too. The config's rule directories
/// and parameters reach every command that runs or shows rules, not only
/// `check`; `--no-config` leaves them out.
#[test]
fn the_configs_rules_and_params_reach_the_other_commands() {
    let dir = repo(&[
        (
            "scalelint.yaml",
            "rules: [policies]\nparams: {worker-cpu: {limit: 66%}}\n",
        ),
        ("policies/ACME002-worker-cpu.yaml", WORKER_RULE),
        (
            "sub/a.arch.yaml",
            &format!(
                "{HEAD}services:\n  - name: w\n    kind: worker\n    metrics: {{cpu: 0.55}}\n"
            ),
        ),
    ]);
    let sub = dir.path().join("sub");
    let r = scalelint(&sub, &["rules"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("ACME002"), "{r:?}");
    let r = scalelint(&sub, &["rules", "--no-config"]);
    assert!(!r.stdout.contains("ACME002"), "{r:?}");

    let r = scalelint(&sub, &["explain", "worker-cpu"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("ACME002 worker-cpu"), "{r:?}");
    let r = scalelint(&sub, &["explain", "worker-cpu", "--no-config"]);
    assert_eq!(r.code, 2, "{r:?}");

    // The worker at 55% passes the config's 66% limit (the rule's default
    // is 60%) at 66/55 = 1.2 times today's load.
    let r = scalelint(&sub, &["forecast", "a.arch.yaml", "--format", "json"]);
    assert_eq!(r.code, 0, "{r:?}");
    let f: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let acme: Vec<&serde_json::Value> = f["breaking_points"]
        .as_array()
        .expect("a list of breaking points")
        .iter()
        .filter(|b| b["code"] == "ACME002")
        .collect();
    assert_eq!(acme.len(), 1, "{}", r.stdout);
    let factor = acme[0]["factor"].as_f64().expect("a factor");
    assert!((factor - 1.2).abs() < 0.02, "{factor}");
    let r = scalelint(
        &sub,
        &["forecast", "a.arch.yaml", "--format", "json", "--no-config"],
    );
    assert!(!r.stdout.contains("ACME002"), "{r:?}");

    // A broken config fails these commands as it fails `check`.
    write(dir.path(), "scalelint.yaml", "rules: [polices]\n");
    for args in [
        &["rules"][..],
        &["stage", "a.arch.yaml"],
        &["graph", "a.arch.yaml"],
    ] {
        let r = scalelint(&sub, args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains("the rule directory `polices`"), "{r:?}");
    }
}

#[test]
fn an_empty_config_configures_nothing_and_broken_yaml_fails() {
    let dir = repo(&[
        ("scalelint.yaml", "# nothing yet\n"),
        ("a.arch.yaml", &description()),
    ]);
    let r = check_json(dir.path(), &["--select", "SL301", "a.arch.yaml"]);
    assert_eq!(r.code, 1, "{r:?}");
    write(dir.path(), "scalelint.yaml", "select: [SL1\n");
    let r = scalelint(dir.path(), &["check", "a.arch.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("scalelint: error: scalelint.yaml:2:1: invalid YAML"),
        "{r:?}"
    );
}
