//! `scalelint stage FILE`: the effective stage and why, and the checklist
//! of the next stage (or of stage 4 at stage 4), item by item, each item
//! checked by running its rule as if the system were already at that stage.

use crate::engine::{eval, RuleSet};
use crate::load;
use crate::model::derived::{stage_floor, Facts, StageSource};
use serde::Serialize;

/// The checklists of the advice: stage 2's key additions, stage 3's scaling
/// checklist, stage 4's enterprise checklist. Each item: what, and its rules.
/// A checklist item: what it asks for, and the rules that check it.
type ChecklistItem = (&'static str, &'static [&'static str]);

const CHECKLISTS: &[(u8, &[ChecklistItem])] = &[
    (
        2,
        &[
            ("a CDN for static assets", &["SL201"]),
            (
                "a load balancer in front of scaled services",
                &["SL202", "SL203"],
            ),
            ("read replicas for read-heavy databases", &["SL204"]),
            ("a cache for repeated queries", &["SL205"]),
            ("a job queue for background work", &["SL206"]),
        ],
    ),
    (
        3,
        &[
            ("stateless application servers", &["SL301"]),
            ("database read/write separation", &["SL302"]),
            ("asynchronous processing for non-critical paths", &["SL303"]),
            ("circuit breakers between services", &["SL304"]),
            ("distributed tracing", &["SL305"]),
            ("autoscaling", &["SL306"]),
            ("database connection pooling", &["SL307"]),
        ],
    ),
    (
        4,
        &[
            ("multi-region deployment", &["SL401"]),
            ("cross-region data replication", &["SL402"]),
            ("a global CDN", &["SL403"]),
            ("disaster recovery tested", &["SL404"]),
            (
                "compliance declared, data residency met",
                &["SL405", "SL406"],
            ),
            ("an architecture for a 99.99% SLA", &["SL409"]),
            ("zero-downtime deployments", &["SL407"]),
            ("chaos engineering", &["SL408"]),
        ],
    ),
];

#[derive(Debug, Serialize)]
pub struct StageReport {
    pub file: String,
    pub stage: u8,
    /// `declared`, `users` or `assumed`.
    pub source: &'static str,
    pub reason: String,
    /// The stage whose checklist follows.
    pub checklist_stage: u8,
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub struct Item {
    pub item: &'static str,
    pub rules: Vec<&'static str>,
    pub met: bool,
    /// What the rules found, when not met.
    pub findings: Vec<String>,
}

/// `Err` when the file does not load (its SL000/SL001 problems, as text).
pub fn report(
    file: &str,
    source: &str,
    rules: &RuleSet,
    today: chrono::NaiveDate,
) -> Result<StageReport, String> {
    let loaded = load::load(source);
    let Some(model) = &loaded.model else {
        let first = loaded
            .diagnostics
            .first()
            .map_or("not a description".to_owned(), |d| {
                format!("{} {}", d.code, d.message)
            });
        return Err(format!("{file}: cannot tell the stage: {first}"));
    };
    let mut sink = Vec::new();
    let facts = Facts::new(model, None, 1.0, &mut sink);
    let system = model.system.as_ref().map(|s| &s.value);
    let users = system.and_then(|s| s.users.as_ref()).map(|u| u.value.0);
    let (source_name, reason) = match facts.stage_source {
        StageSource::Declared => ("declared", format!("declared as `stage: {}`", facts.stage)),
        StageSource::Users => {
            let range = match facts.stage {
                4 => format!("{} users or more", thousands(stage_floor(4))),
                s => format!(
                    "{} to {} users",
                    thousands(stage_floor(s)),
                    thousands(stage_floor(s + 1) - 1)
                ),
            };
            (
                "users",
                format!(
                    "from `users: {}`: stage {} is {range}",
                    thousands(users.unwrap_or(0)),
                    facts.stage
                ),
            )
        }
        _ => (
            "assumed",
            "assumed: neither `stage` nor `users` is given".to_owned(),
        ),
    };
    let checklist_stage = (facts.stage + 1).min(4);
    let list = CHECKLISTS
        .iter()
        .find(|(s, _)| *s == checklist_stage)
        .map_or(&[][..], |(_, l)| *l);

    // Run the checklist's rules as if the system were at that stage.
    let next = Facts::new(model, Some(checklist_stage), 1.0, &mut Vec::new());
    let ctx = eval::Ctx::new(model, &next, 1.0, today);
    let items = list
        .iter()
        .map(|(item, codes)| {
            let mut findings = Vec::new();
            for code in *codes {
                match rules.get(code) {
                    Some(rule) => {
                        let mut out = Vec::new();
                        eval::run(rule, &ctx, &mut out);
                        findings
                            .extend(out.into_iter().map(|d| format!("{} {}", d.code, d.message)));
                    }
                    // Deselected or missing: unknown, so not met.
                    None => findings.push(format!("{code} is not loaded: cannot tell")),
                }
            }
            Item {
                item,
                rules: codes.to_vec(),
                met: findings.is_empty(),
                findings,
            }
        })
        .collect();
    Ok(StageReport {
        file: file.to_owned(),
        stage: facts.stage,
        source: source_name,
        reason,
        checklist_stage,
        items,
    })
}

/// The human rendering.
pub fn render(r: &StageReport) -> String {
    let mut s = format!("{}: stage {} ({})\n\n", r.file, r.stage, r.reason);
    let heading = if r.checklist_stage > r.stage {
        format!("Checklist for stage {}", r.checklist_stage)
    } else {
        format!("Checklist of stage {}", r.checklist_stage)
    };
    s.push_str(&heading);
    s.push('\n');
    for item in &r.items {
        let mark = if item.met { "[x]" } else { "[ ]" };
        s.push_str(&format!(
            "  {mark} {} ({})\n",
            item.item,
            item.rules.join(", ")
        ));
        for f in &item.findings {
            s.push_str(&format!("        {f}\n"));
        }
    }
    let met = r.items.iter().filter(|i| i.met).count();
    s.push_str(&format!("\n{met} of {} met\n", r.items.len()));
    s
}

/// `250000` → `250,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
