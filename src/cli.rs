//! Command-line definitions and dispatch: one subcommand each. Only this
//! module and `main` touch the process (arguments, stdout, stderr).

use crate::config::baseline::Baseline;
use crate::config::{self, Plan};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover;
use crate::engine::RuleSet;
use crate::registry;
use crate::report::{self, FileResult, Report};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "scalelint",
    version,
    about = "Lint architecture description files against staged scaling advice"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint description files and directories (default: the current directory).
    Check(CheckArgs),
    /// List every rule: code, name, severity, stages, summary.
    Rules(RulesArgs),
    /// Show a rule's full documentation.
    Explain(ExplainArgs),
    /// Run rules against their fixtures and report mismatches.
    TestRules(TestRulesArgs),
    /// Record today's findings so that later checks report only new ones.
    Baseline(BaselineArgs),
    /// The effective stage and why, and the next stage's checklist.
    Stage(StageArgs),
    /// The load factors at which the architecture breaks, in order.
    Forecast(ForecastArgs),
    /// Print a JSON Schema (draft 2020-12) of the description format.
    Schema,
    /// A Language Server on standard input/output: diagnostics, rule docs on hover, quick fixes.
    Lsp(LspArgs),
    /// The architecture as a diagram, entities with findings marked.
    Graph(GraphArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    Mermaid,
    Dot,
}

/// Where a command takes its rules from: the built-in ones, the config's
/// `rules` directories (and settings), and `--rules`.
#[derive(clap::Args, Debug)]
pub struct RuleSource {
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// The configuration file to use (default: `scalelint.yaml` or
    /// `.scalelint.yaml`, found by walking up to the repository root).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// A description file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: DiagramFormat,
    /// The date that date-based rules compare with (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub source: RuleSource,
}

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// The date that date-based rules and suppression expiry compare with (default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ForecastArgs {
    /// A description file.
    pub file: PathBuf,
    /// The largest load factor to look at.
    #[arg(long, value_name = "F", default_value = "1000x", value_parser = parse_load)]
    pub max: f64,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The date that date-based rules compare with (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub source: RuleSource,
}

#[derive(clap::Args, Debug)]
pub struct StageArgs {
    /// A description file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The date that date-based rules compare with (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub source: RuleSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
    #[command(flatten)]
    pub source: RuleSource,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule code or name (`SL503`, `replica-count`).
    pub rule: String,
    #[command(flatten)]
    pub source: RuleSource,
}

#[derive(clap::Args, Debug)]
pub struct TestRulesArgs {
    /// Rule directories (fixtures in DIR/fixtures/CODE/ or DIR/../fixtures/CODE/).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The date that date-based rules compare with (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }

    /// Whether these diagnostics fail the run (exit 1).
    fn failed_by<'d>(self, mut diagnostics: impl Iterator<Item = &'d Diagnostic>) -> bool {
        self.threshold()
            .is_some_and(|t| diagnostics.any(|d| d.severity >= t))
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories; `-` reads standard input.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Write the report to a file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Comma-separated rule codes, names or prefixes to enable (default: all).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Comma-separated rule codes, names or prefixes to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The lowest severity that makes the exit code 1 [default: the config's, or warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Use this stage as the effective stage.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub stage: Option<u8>,
    /// Project the load: every rule sees traffic F times today's (`10x`, `2.5`).
    #[arg(long, value_name = "F", value_parser = parse_load)]
    pub load: Option<f64>,
    /// The date that date-based rules compare with (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Counts per rule instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// Print only findings.
    #[arg(short, long)]
    pub quiet: bool,
    /// The file name to report standard input under.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Apply the fixes in place (only the fixed values change).
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the fixes as a unified diff instead; exit 1 when there is something to fix.
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub source: RuleSource,
    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct BaselineArgs {
    /// Files or directories (default: the current directory); `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// The baseline file to write (with `--prune`, to read and rewrite).
    #[arg(short, long, value_name = "BASELINE")]
    pub output: PathBuf,
    /// Rewrite the baseline keeping only the entries that still match a finding.
    #[arg(long)]
    pub prune: bool,
    /// Comma-separated rule codes, names or prefixes to enable (default: all).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Comma-separated rule codes, names or prefixes to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this stage as the effective stage.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub stage: Option<u8>,
    /// Project the load: every rule sees traffic F times today's (`10x`, `2.5`).
    #[arg(long, value_name = "F", value_parser = parse_load)]
    pub load: Option<f64>,
    /// The date that date-based rules and suppression expiry compare with.
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// The file name to report standard input under.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    #[command(flatten)]
    pub source: RuleSource,
}

/// A load factor: `10x`, `10×`, `2.5`; positive and finite.
pub fn parse_load(s: &str) -> Result<f64, String> {
    let number = s.trim().trim_end_matches(['x', 'X', '×']);
    match number.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(f),
        _ => Err(format!(
            "`{s}` is not a load factor: write a positive number, like 10x or 2.5"
        )),
    }
}

/// A failure of the run itself (exit 2): a one-paragraph message.
#[derive(Debug)]
pub struct RunError(pub String);

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, RunError> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => list_rules(args),
        Command::Explain(args) => explain(args),
        Command::TestRules(args) => test_rules(args),
        Command::Baseline(args) => baseline(args),
        Command::Stage(args) => stage(args),
        Command::Forecast(args) => forecast(args),
        Command::Graph(args) => {
            let set = rule_set(&args.source)?;
            let shown = args.file.display().to_string();
            let source = std::fs::read_to_string(&args.file).map_err(|e| {
                RunError(format!("{shown}: cannot read: {}", discover::io_reason(&e)))
            })?;
            let format = match args.format {
                DiagramFormat::Mermaid => crate::graph::GraphFormat::Mermaid,
                DiagramFormat::Dot => crate::graph::GraphFormat::Dot,
            };
            let text = crate::graph::graph(&shown, &source, &set, today(args.today), format)
                .map_err(RunError)?;
            emit(&text, None)?;
            Ok(0)
        }
        Command::Lsp(args) => {
            crate::lsp::run(crate::lsp::Options {
                rules: args.rules,
                today: args.today,
            })
            .map_err(RunError)?;
            Ok(0)
        }
        Command::Schema => {
            emit(&crate::model::schema(), None)?;
            Ok(0)
        }
    }
}

fn forecast(args: ForecastArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.source)?;
    let shown = args.file.display().to_string();
    let source = std::fs::read_to_string(&args.file)
        .map_err(|e| RunError(format!("{shown}: cannot read: {}", discover::io_reason(&e))))?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let f = crate::forecast::forecast(&shown, &source, &set, &|_| true, args.max, today)
        .map_err(RunError)?;
    let text = match args.format {
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&f).unwrap_or_default();
            t.push('\n');
            t
        }
        _ => crate::forecast::render(&f),
    };
    emit(&text, None)?;
    Ok(0)
}

fn stage(args: StageArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.source)?;
    let shown = args.file.display().to_string();
    let source = std::fs::read_to_string(&args.file)
        .map_err(|e| RunError(format!("{shown}: cannot read: {}", discover::io_reason(&e))))?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = crate::stage::report(&shown, &source, &set, today).map_err(RunError)?;
    let text = match args.format {
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&report).unwrap_or_default();
            t.push('\n');
            t
        }
        _ => crate::stage::render(&report),
    };
    emit(&text, None)?;
    Ok(0)
}

/// The built-in rules plus the config's rule directories and `--rules`,
/// with the parameters the config's top level sets (CLI.md: `rules` lists
/// custom rules too). The config's other settings concern `check`.
fn rule_set(source: &RuleSource) -> Result<RuleSet, RunError> {
    let cwd = current_dir()?;
    let plan = plan(
        &cwd,
        source.config.as_deref(),
        source.no_config,
        &config::CliOptions {
            select: &[],
            ignore: &[],
            rules: &source.rules,
            stage: None,
            load: 1.0,
            today: today(None),
            cwd: &cwd,
        },
    )?;
    Ok(plan.into_rule_set())
}

fn list_rules(args: RulesArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.source)?;
    let text = match args.format {
        ListFormat::Human => crate::engine::docs::listing(&set, &registry::loader_rules()),
        ListFormat::Markdown => crate::engine::docs::markdown(&set, &registry::loader_rules()),
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = registry::loader_rules()
                .iter()
                .map(|r| serde_json::json!({"code": r.code, "name": r.name, "severity": r.severity, "stages": "all", "summary": r.summary, "custom": false}))
                .chain(set.rules.iter().map(|r| serde_json::json!({
                    "code": r.code, "name": r.name, "severity": r.severity, "stages": r.stages_text(),
                    "summary": r.summary, "custom": !r.builtin,
                    "params": r.params.iter().map(|p| serde_json::json!({"name": p.name, "unit": p.unit.as_str(), "default": p.default_text, "doc": p.doc})).collect::<Vec<_>>(),
                })))
                .collect();
            let mut t = serde_json::to_string_pretty(&rows).unwrap_or_default();
            t.push('\n');
            t
        }
    };
    emit(&text, None)?;
    Ok(0)
}

fn explain(args: ExplainArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.source)?;
    if let Some(rule) = set
        .get(&args.rule)
        .or_else(|| set.get(&args.rule.to_ascii_uppercase()))
    {
        emit(&crate::engine::docs::explain(rule), None)?;
        return Ok(0);
    }
    let loader = registry::loader_rules();
    if let Some(r) = loader
        .iter()
        .find(|r| r.code == args.rule.to_ascii_uppercase() || r.name == args.rule)
    {
        let source = if r.code.starts_with("SL09") {
            "Reported for suppression comments; see docs/configuration.md."
        } else {
            "Reported by the loader; see docs/format-notes.md."
        };
        emit(
            &format!(
                "{} {} ({}, stages: all)\n\n{}\n\n{source}\n",
                r.code, r.name, r.severity, r.summary
            ),
            None,
        )?;
        return Ok(0);
    }
    let mut all = registry::all_rules(&set);
    all.sort_by(|a, b| a.code.cmp(&b.code));
    Err(RunError(
        registry::resolve_selector(&all, &args.rule)
            .err()
            .unwrap_or_else(|| format!("`{}` is a group of rules, not one rule", args.rule)),
    ))
}

fn test_rules(args: TestRulesArgs) -> Result<u8, RunError> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut text = String::new();
    let (mut passed, mut failed) = (0, 0);
    for dir in &args.dirs {
        let outcomes =
            crate::engine::testing::test_dir(dir, today).map_err(|e| RunError(e.to_string()))?;
        for o in outcomes {
            if o.problems.is_empty() {
                passed += 1;
            } else {
                failed += 1;
                text.push_str(&format!("FAIL {} ({})\n", o.code, o.file));
                for p in &o.problems {
                    text.push_str(&format!("  {p}\n"));
                }
            }
        }
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    emit(&text, None)?;
    Ok(u8::from(failed > 0))
}

fn check(args: CheckArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let plan = plan(
        &cwd,
        args.source.config.as_deref(),
        args.source.no_config,
        &config::CliOptions {
            select: &args.select,
            ignore: &args.ignore,
            rules: &args.source.rules,
            stage: args.stage,
            load: args.load.unwrap_or(1.0),
            today: today(args.today),
            cwd: &cwd,
        },
    )?;
    let fail_on = args
        .fail_on
        .or(plan.fail_on.map(|f| match f {
            config::FailOnLevel::Error => FailOn::Error,
            config::FailOnLevel::Warning => FailOn::Warning,
            config::FailOnLevel::Info => FailOn::Info,
            config::FailOnLevel::Never => FailOn::Never,
        }))
        .unwrap_or(FailOn::Warning);
    let streams = args.format == Format::Json
        && !args.statistics
        && args.baseline.is_none()
        && !args.diff
        && !args.fix;
    if streams {
        return check_streamed(&plan, &args, fail_on);
    }
    let (mut report, crashed) = lint(&plan, &args.paths, args.stdin_filename.as_deref())?;
    if let Some(path) = &args.baseline {
        let baseline = Baseline::read(path, &cwd).map_err(RunError)?;
        let stale = baseline.apply(&mut report, &cwd);
        warn_stale(&stale, path);
    }
    if args.diff {
        let diff = fix_diff(&report);
        emit(&diff, args.output.as_deref())?;
        return Ok(u8::from(!diff.is_empty()));
    }
    if args.fix {
        fix_in_place(&mut report)?;
    }

    let color = args.output.is_none()
        && args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // The JSON of a large report is written in pieces, the rest as one text.
    let output = args.output.as_deref();
    if args.statistics {
        emit(
            &report::statistics::render(&report, args.format == Format::Json),
            output,
        )?;
    } else {
        match args.format {
            Format::Human => {
                let options = report::human::HumanOptions {
                    color,
                    quiet: args.quiet,
                    width: terminal_width(),
                };
                emit(&report::human::render(&report, &options), output)?;
            }
            Format::Json => emit_with(output, |w| report::json::write(&report, w))?,
            Format::Sarif => emit(&report::sarif::render(&report, plan.rule_set()), output)?,
            Format::Github => emit(&report::github::render(&report), output)?,
            Format::Junit => emit(&report::junit::render(&report), output)?,
        }
    }

    if !crashed.is_empty() {
        return Err(crashed_error(&crashed));
    }
    let failing = fail_on.failed_by(report.diagnostics().map(|(_, d)| d));
    // Freeing every file's source and diagnostics takes a while and decides
    // nothing: let another thread do it (the process may exit first).
    // (When no thread can be started, the report is freed right here.)
    let _ = std::thread::Builder::new().spawn(move || drop(report));
    Ok(u8::from(failing))
}

/// `check --format json` with no baseline and no fixes: each file's
/// diagnostics are rendered by the thread that checked it, and written as
/// soon as the files before it are, so the report is never held whole.
/// The output is [`report::json::write`]'s.
fn check_streamed(plan: &Plan, args: &CheckArgs, fail_on: FailOn) -> Result<u8, RunError> {
    let Gathered { linters, inputs } = gather(plan, &args.paths, args.stdin_filename.as_deref())?;
    let mut summary = report::Summary::default();
    let mut failing = false;
    let mut crashed = Vec::new();
    emit_with(args.output.as_deref(), |w| {
        let mut stream = report::json::Stream::start(w)?;
        let mut written = Ok(());
        check_in_order(
            inputs,
            |path, (bytes, i)| {
                let file = linters[i].check_bytes(path, bytes);
                let mut counts = report::Summary::default();
                counts.add(&file);
                let fails = fail_on.failed_by(file.diagnostics.iter());
                let part = report::json::render_diagnostics(&file, &file.diagnostics);
                (part, counts, fails)
            },
            |checked| match checked {
                Ok((part, counts, fails)) => {
                    summary.merge(&counts);
                    failing |= fails;
                    // After a failed write, the files still being checked are not written.
                    if written.is_ok() {
                        written = stream.diagnostics(&part);
                    }
                }
                Err(name) => crashed.push(name),
            },
        );
        written?;
        stream.finish(&summary)
    })?;
    if !crashed.is_empty() {
        return Err(crashed_error(&crashed));
    }
    Ok(u8::from(failing))
}

/// `check --diff`: the fixes of every file as one unified diff.
fn fix_diff(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        let (fixed, applied) = crate::fix::apply(&f.source, &f.diagnostics);
        if applied > 0 {
            out.push_str(&crate::fix::unified_diff(&f.path, &f.source, &fixed));
        }
    }
    out
}

/// `check --fix`: writes each file with its fixes applied; the fixed
/// findings leave the report, the others stay.
fn fix_in_place(report: &mut Report) -> Result<(), RunError> {
    let mut total = 0;
    for f in &mut report.files {
        let (fixed, applied) = crate::fix::apply(&f.source, &f.diagnostics);
        if applied == 0 {
            continue;
        }
        if f.path == "-" {
            return Err(RunError(
                "--fix cannot write back to standard input; use --diff".into(),
            ));
        }
        std::fs::write(&f.path, &fixed).map_err(|e| {
            RunError(format!(
                "{}: cannot write the fixes: {}",
                f.path,
                discover::io_reason(&e)
            ))
        })?;
        f.diagnostics.retain(|d| d.fix.is_none());
        total += applied;
    }
    if total > 0 {
        eprintln!(
            "scalelint: fixed {total} finding{}",
            if total == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// `scalelint baseline`: record the findings of the paths, or (`--prune`)
/// drop the recorded ones that no longer match.
fn baseline(args: BaselineArgs) -> Result<u8, RunError> {
    let cwd = current_dir()?;
    let plan = plan(
        &cwd,
        args.source.config.as_deref(),
        args.source.no_config,
        &config::CliOptions {
            select: &args.select,
            ignore: &args.ignore,
            rules: &args.source.rules,
            stage: args.stage,
            load: args.load.unwrap_or(1.0),
            today: today(args.today),
            cwd: &cwd,
        },
    )?;
    let old = if args.prune {
        Some(Baseline::read(&args.output, &cwd).map_err(RunError)?)
    } else {
        None
    };
    let (report, crashed) = lint(&plan, &args.paths, args.stdin_filename.as_deref())?;
    if !crashed.is_empty() {
        return Err(crashed_error(&crashed));
    }
    let (baseline, note) = match &old {
        Some(old) => {
            let pruned = old.prune(&report, &cwd);
            let dropped = old.len() - pruned.len();
            (pruned, format!("dropped {dropped}, kept"))
        }
        None => (
            Baseline::record(&report, &args.output, &cwd),
            "recorded".into(),
        ),
    };
    emit(&baseline.to_json(), Some(&args.output))?;
    let n = baseline.len();
    let summary = format!(
        "{}: {note} {n} finding{}\n",
        args.output.display(),
        if n == 1 { "" } else { "s" }
    );
    emit(&summary, None)?;
    Ok(0)
}

fn current_dir() -> Result<PathBuf, RunError> {
    std::env::current_dir().map_err(|e| RunError(format!("cannot read the current directory: {e}")))
}

fn today(given: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    given.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The config (`--config`, or found by walking up unless `--no-config`)
/// resolved against the rules and the command line.
pub(crate) fn plan(
    cwd: &Path,
    config_path: Option<&Path>,
    no_config: bool,
    cli: &config::CliOptions<'_>,
) -> Result<Plan, RunError> {
    let path = match config_path {
        Some(p) => Some(p.to_path_buf()),
        None if no_config => None,
        None => config::find(cwd).map_err(RunError)?,
    };
    let loaded = match path {
        Some(p) => Some(config::Config::load(&p, cwd).map_err(RunError)?),
        None => None,
    };
    Plan::new(loaded, cli).map_err(RunError)
}

/// Prints the baseline entries that matched nothing (CLI.md: the baseline
/// only shrinks) to standard error: a diagnostic needs a span, and these
/// have none.
fn warn_stale(stale: &[config::baseline::Entry], path: &Path) {
    if stale.is_empty() {
        return;
    }
    let n: usize = stale.iter().map(|e| e.count).sum();
    let mut text = format!(
        "scalelint: warning: {n} baseline entr{} in {} no longer match{} any finding; `scalelint baseline --prune PATH… -o {}` drops {}:\n",
        if n == 1 { "y" } else { "ies" },
        path.display(),
        if n == 1 { "es" } else { "" },
        path.display(),
        if n == 1 { "it" } else { "them" },
    );
    for e in stale {
        let times = if e.count > 1 {
            format!(" (×{})", e.count)
        } else {
            String::new()
        };
        text.push_str(&format!("  {}: {} at {}{times}\n", e.file, e.code, e.path));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn crashed_error(crashed: &[String]) -> RunError {
    RunError(format!(
        "internal error while checking {}; the other files were checked. Please report this with the file.",
        crashed.join(", ")
    ))
}

/// Files read and ready to check, in report order (by path), each with
/// the index of its linter in `linters` (that of the overrides it matches).
struct Gathered {
    linters: Vec<crate::check::Linter>,
    inputs: Vec<(String, (Vec<u8>, usize))>,
}

/// Finds and reads the files under `paths` (default `.`), and standard
/// input when a path is `-`. Any file that cannot be read fails the run
/// before anything is checked.
fn gather(
    plan: &Plan,
    paths: &[PathBuf],
    stdin_filename: Option<&str>,
) -> Result<Gathered, RunError> {
    let mut paths = paths.to_vec();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let include_set = plan.include_set().map_err(RunError)?;
    let exclude_set = discover::globset(&[]).map_err(RunError)?;

    let stdin_index = paths.iter().position(|p| p.as_os_str() == "-");
    let file_paths: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let mut found =
        discover::discover(&file_paths, &include_set, &exclude_set).map_err(RunError)?;
    // The config's `exclude` applies to files found by walking, not to
    // files named on the command line.
    found
        .files
        .retain(|p| file_paths.contains(p) || !plan.excludes(p));
    if found.files.is_empty() && stdin_index.is_none() {
        let shown: Vec<String> = file_paths.iter().map(|p| p.display().to_string()).collect();
        return Err(RunError(format!(
            "no description files found under {} (include globs: {})",
            shown.join(", "),
            plan.include.join(", ")
        )));
    }

    // A file named directly and reached through its directory is checked
    // once. One path cannot reach a file twice (the walk does not follow
    // links), so only several paths need their files' canonical names.
    let files: Vec<&PathBuf> = if file_paths.len() > 1 {
        let canonical: Vec<PathBuf> = found
            .files
            .par_iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        let mut seen = std::collections::HashSet::new();
        found
            .files
            .iter()
            .zip(canonical)
            .filter_map(|(p, c)| seen.insert(c).then_some(p))
            .collect()
    } else {
        found.files.iter().collect()
    };
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len() + 1);
    if stdin_index.is_some() {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| RunError(format!("cannot read standard input: {e}")))?;
        inputs.push((stdin_filename.unwrap_or("-").to_owned(), buf));
    }
    // Read in parallel; the first file in order that cannot be read fails the run.
    let read: Vec<std::io::Result<Vec<u8>>> = files.par_iter().map(std::fs::read).collect();
    for (path, bytes) in files.into_iter().zip(read) {
        let bytes = bytes.map_err(|e| {
            RunError(format!(
                "{}: cannot read: {}",
                path.display(),
                discover::io_reason(&e)
            ))
        })?;
        inputs.push((path.display().to_string(), bytes));
    }
    // CLI.md: diagnostics are sorted by file, then offset, then code. The
    // sort is stable, and checking keeps the order.
    inputs.sort_by(|a, b| a.0.cmp(&b.0));

    let names: Vec<String> = inputs.iter().map(|(n, _)| n.clone()).collect();
    let (linters, which) = plan.linters(&names).map_err(RunError)?;
    let inputs = inputs
        .into_iter()
        .zip(which)
        .map(|((path, bytes), i)| (path, (bytes, i)))
        .collect();
    Ok(Gathered { linters, inputs })
}

/// Finds, reads and checks the files under `paths`, in parallel. Returns
/// the report, sorted by file, and the files whose check panicked.
fn lint(
    plan: &Plan,
    paths: &[PathBuf],
    stdin_filename: Option<&str>,
) -> Result<(Report, Vec<String>), RunError> {
    let Gathered { linters, inputs } = gather(plan, paths, stdin_filename)?;
    let (files, crashed) = check_all(inputs, |path, (bytes, i)| {
        linters[i].check_bytes(path, bytes)
    });
    Ok((Report { files }, crashed))
}

/// Checks each input on its own, in parallel. A panic while checking one
/// file (a bug) loses that file only: it is named in the second list, in
/// input order, and the others are still checked.
pub fn check_all<T: Send>(
    inputs: Vec<(String, T)>,
    check: impl Fn(String, T) -> FileResult + Sync,
) -> (Vec<FileResult>, Vec<String>) {
    let results: Vec<Result<FileResult, String>> = inputs
        .into_par_iter()
        .map(|(path, input)| {
            let name = path.clone();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(path, input)))
                .map_err(|_| name)
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut crashed = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(name) => crashed.push(name),
        }
    }
    (files, crashed)
}

/// [`check_all`], handing each file's result to `each` in input order as
/// soon as it and every file before it are checked (`Err` with the path
/// when its check panicked). `each` runs on the thread that completed the
/// run of files, under a lock. The files are taken in order, so few
/// results wait for an earlier one.
pub fn check_in_order<T: Send, R: Send>(
    inputs: Vec<(String, T)>,
    check: impl Fn(String, T) -> R + Sync,
    each: impl FnMut(Result<R, String>) + Send,
) {
    struct Queue<R, F> {
        next: usize,
        waiting: std::collections::BTreeMap<usize, Result<R, String>>,
        each: F,
    }
    let queue = std::sync::Mutex::new(Queue {
        next: 0,
        waiting: std::collections::BTreeMap::new(),
        each,
    });
    rayon::scope_fifo(|scope| {
        for (i, (path, input)) in inputs.into_iter().enumerate() {
            let (check, queue) = (&check, &queue);
            scope.spawn_fifo(move |_| {
                let name = path.clone();
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(path, input)))
                        .map_err(|_| name);
                let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                let queue = &mut *queue;
                queue.waiting.insert(i, result);
                while let Some(result) = queue.waiting.remove(&queue.next) {
                    (queue.each)(result);
                    queue.next += 1;
                }
            });
        }
    });
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Writes the report to the output file or standard output. A closed pipe
/// (`scalelint check | head`) is not an error.
fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), RunError> {
    emit_with(output, |w| w.write_all(text.as_bytes()))
}

/// Writes a report to `--output` or stdout with `write`.
fn emit_with(
    output: Option<&std::path::Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<(), RunError> {
    let write_all = |out: &mut (dyn Write + Send)| -> std::io::Result<()> {
        write(out)?;
        out.flush()
    };
    match output {
        Some(path) => std::fs::File::create(path)
            .map(std::io::BufWriter::new)
            .and_then(|mut f| write_all(&mut f))
            .map_err(|e| {
                RunError(format!(
                    "{}: cannot write the report: {}",
                    path.display(),
                    discover::io_reason(&e)
                ))
            }),
        None => {
            // Not locked: a streamed report is written by the thread that
            // checked the file.
            match write_all(&mut std::io::stdout()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(RunError(format!("cannot write the report: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
