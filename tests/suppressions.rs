//! Inline suppressions end to end (CLI.md "Suppressions"): where a comment
//! applies, expiry, and the findings about suppressions themselves
//! (SL090–SL094). Each test runs the binary on a stage-3 description and
//! compares the whole JSON report in a compact form.

mod common;

use common::{check_json, repo, HEAD};

/// The rules these tests look at: SL103 (server CPU), SL301 (stateless
/// servers, stage ≥3) and the suppression findings; other rules stay out so
/// that new rules do not change the expected reports.
const SELECT: &str = "--select=SL103,SL301,SL09";

fn services(body: &str) -> String {
    format!("{HEAD}services:\n{body}")
}

const HOT: &str = "a.arch.yaml:10:12 SL103 error service `api` runs at 90% CPU at peak, above the error limit of 85%";

#[test]
fn without_suppressions_the_finding_is_reported() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(r.findings(), [HOT], "{r:?}");
    assert_eq!(r.hidden(), (0, 0));
    assert_eq!(r.code, 1);
}

#[test]
fn a_suppression_at_the_end_of_the_line_hides_the_finding() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103] load test before launch\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.hidden(), (1, 0));
    assert_eq!(r.code, 0);
}

#[test]
fn a_suppression_alone_on_the_line_above_hides_the_finding() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      # scalelint: ignore[server-cpu] load test before launch\n      cpu: 0.9\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.hidden(), (1, 0));
}

#[test]
fn a_suppression_two_lines_above_or_below_does_not_apply() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    # scalelint: ignore[SL103] too far\n    metrics:\n      cpu: 0.9\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            "a.arch.yaml:9:5 SL090 warning suppression of `SL103` hides nothing",
            "a.arch.yaml:11:12 SL103 error service `api` runs at 90% CPU at peak, above the error limit of 85%",
        ],
        "{r:?}"
    );
}

#[test]
fn an_expired_suppression_is_sl092_and_the_finding_comes_back() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103] until=2026-05-31 load test\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            HOT,
            "a.arch.yaml:10:17 SL092 warning suppression of `SL103` expired on 2026-05-31; its findings are reported again",
        ],
        "{r:?}"
    );
    assert_eq!(r.hidden(), (0, 0));
}

#[test]
fn a_suppression_until_today_or_later_still_hides() {
    for until in ["2026-06-01", "2027-03-31"] {
        let dir = repo(&[(
            "a.arch.yaml",
            &services(&format!("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103] until={until} load test\n")),
        )]);
        let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
        assert_eq!(r.findings(), Vec::<String>::new(), "{until}: {r:?}");
        assert_eq!(r.hidden(), (1, 0));
    }
}

#[test]
fn a_suppression_that_hides_nothing_is_sl090() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true  # scalelint: ignore[SL103] wrong line\n    metrics:\n      cpu: 0.9\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            "a.arch.yaml:8:22 SL090 warning suppression of `SL103` hides nothing",
            HOT,
        ],
        "{r:?}"
    );
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_sl090() {
    // SL109 runs at stage 1 only (this is stage 3); SL202 is not selected;
    // SL301 is ignored.
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api  # scalelint: ignore[SL109,SL202,SL301] not today\n    stateless: true\n    metrics:\n      cpu: 0.7\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "--ignore", "SL301", "a.arch.yaml"]);
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.code, 0);
}

#[test]
fn a_suppression_without_a_reason_is_sl091_and_still_hides() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103]\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:10:17 SL091 warning suppression of `SL103` gives no reason"],
        "{r:?}"
    );
    assert_eq!(r.hidden(), (1, 0));
}

#[test]
fn an_unknown_code_is_sl093_at_the_code_and_the_other_codes_still_work() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103, SL1033] load test\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:10:44 SL093 warning no rule has the code or name `SL1033`; this code of the suppression hides nothing"],
        "{r:?}"
    );
    let help = r.json()["diagnostics"][0]["help"].clone();
    assert_eq!(help, "did you mean `SL103`?");
    assert_eq!(r.hidden(), (1, 0));
}

#[test]
fn a_bare_ignore_without_codes_is_not_accepted() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore load test\n"),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            HOT,
            "a.arch.yaml:10:17 SL093 warning `ignore` without rule codes is not accepted: name the rules it hides, as in `ignore[SL301]`",
        ],
        "{r:?}"
    );
}

#[test]
fn a_suppression_on_an_entity_name_line_covers_the_whole_entity() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services(concat!(
            "  - name: api  # scalelint: ignore[SL103,SL301] being rewritten\n",
            "    metrics:\n",
            "      cpu: 0.9\n",
            "  # scalelint: ignore[SL103] batch host, hot by design\n",
            "  - name: batch\n",
            "    stateless: true\n",
            "    metrics: {cpu: 0.95}\n",
            "  - name: web\n",
            "    kind: web\n",
            "    stateless: true\n",
            "    metrics: {cpu: 0.9}\n",
        )),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:17:20 SL103 error service `web` runs at 90% CPU at peak, above the error limit of 85%"],
        "{r:?}"
    );
    assert_eq!(r.hidden(), (3, 0));
}

#[test]
fn ignore_file_hides_a_rule_in_the_whole_file() {
    let dir = repo(&[(
        "a.arch.yaml",
        &format!(
            "# scalelint: ignore-file[SL103] capacity review in progress\n{}",
            services("  - name: api\n    stateless: true\n    metrics: {cpu: 0.9}\n  - name: web\n    kind: web\n    stateless: true\n    metrics: {cpu: 0.9}\n")
        ),
    )]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.hidden(), (2, 0));
}

#[test]
fn a_hash_inside_a_quoted_string_is_not_a_comment() {
    let src = format!(
        "{HEAD}services:\n  - name: \"api # scalelint: ignore[SL103] not a comment\"\n    stateless: true\n    metrics:\n      cpu: 0.9\n    region: 'x  # scalelint: ignore-file[SL103] nor this'\n"
    );
    let dir = repo(&[("a.arch.yaml", &src)]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        ["a.arch.yaml:10:12 SL103 error service `api # scalelint: ignore[SL103] not a comment` runs at 90% CPU at peak, above the error limit of 85%"],
        "{r:?}"
    );
}

#[test]
fn a_suppression_of_an_unsuppressible_rule_is_sl094_and_hides_nothing() {
    let dir = repo(&[
        ("scalelint.yaml", "unsuppressible: [SL103]\n"),
        (
            "a.arch.yaml",
            &services("  - name: api  # scalelint: ignore[SL301] sessions move out in Q3\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103] load test\n"),
        ),
    ]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.findings(),
        [
            HOT.replace(":10:12", ":9:12").as_str(),
            "a.arch.yaml:9:17 SL094 error `SL103` may not be suppressed: the config lists it in `unsuppressible`",
        ],
        "{r:?}"
    );
    // The SL301 suppression is still allowed.
    assert_eq!(r.hidden(), (1, 0));
}

#[test]
fn with_suppressions_off_every_suppression_is_sl094() {
    let dir = repo(&[
        ("scalelint.yaml", "suppressions: false\n"),
        (
            "a.arch.yaml",
            &services("  - name: api  # scalelint: ignore[SL301,SL103] rewrite\n    metrics:\n      cpu: 0.9\n"),
        ),
    ]);
    let r = check_json(dir.path(), &[SELECT, "a.arch.yaml"]);
    let off = "error `{}` may not be suppressed: the config turns suppressions off (`suppressions: false`)";
    assert_eq!(
        r.findings(),
        [
            "a.arch.yaml:7:11 SL301 error service `api` is not declared stateless".to_owned(),
            format!("a.arch.yaml:7:16 SL094 {}", off.replace("{}", "SL301")),
            format!("a.arch.yaml:7:16 SL094 {}", off.replace("{}", "SL103")),
            HOT.replace(":10:12", ":9:12"),
        ],
        "{r:?}"
    );
    assert_eq!(r.hidden(), (0, 0));
}

#[test]
fn suppression_findings_can_be_ignored_like_any_rule() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true  # scalelint: ignore[SL103]\n    metrics:\n      cpu: 0.5\n"),
    )]);
    let r = check_json(
        dir.path(),
        &[SELECT, "--ignore", "unused-suppression", "a.arch.yaml"],
    );
    assert_eq!(r.findings(), Vec::<String>::new(), "{r:?}");
    assert_eq!(r.code, 0);
}

#[test]
fn the_human_summary_counts_suppressed_findings() {
    let dir = repo(&[(
        "a.arch.yaml",
        &services("  - name: api\n    stateless: true\n    metrics:\n      cpu: 0.9  # scalelint: ignore[SL103] load test before launch\n"),
    )]);
    let r = common::scalelint(dir.path(), &["check", SELECT, "a.arch.yaml"]);
    assert_eq!(
        r.stdout, "All checks passed (1 file, 1 suppressed).\n",
        "{r:?}"
    );
}
