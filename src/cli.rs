//! Command-line definitions and dispatch: one subcommand each. Only this
//! module and `main` touch the process (arguments, stdout, stderr).

use crate::check::Linter;
use crate::diagnostic::Severity;
use crate::discover::{self, DEFAULT_INCLUDE};
use crate::engine::RuleSet;
use crate::registry;
use crate::report::{self, FileResult, Report};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

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
    /// The effective stage and why, and the next stage's checklist.
    Stage(StageArgs),
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
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
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
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A rule code or name (`SL503`, `replica-count`).
    pub rule: String,
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
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
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "warning")]
    pub fail_on: FailOn,
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
    /// Add a directory of custom rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub no_config: bool,
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
        Command::Stage(args) => stage(args),
    }
}

fn stage(args: StageArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.rules)?;
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

/// The built-in rules plus the users' directories.
fn rule_set(dirs: &[PathBuf]) -> Result<RuleSet, RunError> {
    let mut set = RuleSet::builtin().map_err(|e| RunError(e.to_string()))?;
    for dir in dirs {
        set.add_dir(dir).map_err(|e| RunError(e.to_string()))?;
    }
    Ok(set)
}

fn list_rules(args: RulesArgs) -> Result<u8, RunError> {
    let set = rule_set(&args.rules)?;
    let text = match args.format {
        ListFormat::Human => crate::engine::docs::listing(&set, &registry::loader_rules()),
        ListFormat::Markdown => crate::engine::docs::markdown(&set),
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
    let set = rule_set(&args.rules)?;
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
        emit(&format!("{} {} ({}, stages: all)\n\n{}\n\nReported by the loader; see docs/format-notes.md.\n", r.code, r.name, r.severity, r.summary), None)?;
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
    let rule_set = rule_set(&args.rules)?;
    let rules = registry::all_rules(&rule_set);
    let selection = registry::select(&rules, &args.select, &args.ignore).map_err(RunError)?;
    let linter = Linter {
        rules,
        selection,
        rule_set,
        stage: args.stage,
        load: args.load.unwrap_or(1.0),
        today: args
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };

    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let include: Vec<String> = DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect();
    let include_set = discover::globset(&include).map_err(RunError)?;
    let exclude_set = discover::globset(&[]).map_err(RunError)?;

    let stdin_index = paths.iter().position(|p| p.as_os_str() == "-");
    let file_paths: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let found = discover::discover(&file_paths, &include_set, &exclude_set).map_err(RunError)?;
    if found.files.is_empty() && stdin_index.is_none() {
        let shown: Vec<String> = file_paths.iter().map(|p| p.display().to_string()).collect();
        return Err(RunError(format!(
            "no description files found under {} (include globs: {})",
            shown.join(", "),
            include.join(", ")
        )));
    }

    // A file named directly and reached through its directory is checked once.
    let mut seen = std::collections::HashSet::new();
    let files: Vec<&PathBuf> = found
        .files
        .iter()
        .filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| (*p).clone())))
        .collect();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len() + 1);
    if stdin_index.is_some() {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| RunError(format!("cannot read standard input: {e}")))?;
        inputs.push((
            args.stdin_filename.clone().unwrap_or_else(|| "-".into()),
            buf,
        ));
    }
    for path in files {
        let bytes = std::fs::read(path).map_err(|e| {
            RunError(format!(
                "{}: cannot read: {}",
                path.display(),
                discover::io_reason(&e)
            ))
        })?;
        inputs.push((path.display().to_string(), bytes));
    }

    let results: Vec<Result<FileResult, String>> = inputs
        .into_par_iter()
        .map(|(path, bytes)| {
            let name = path.clone();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                linter.check_bytes(path, bytes)
            }))
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
    // CLI.md: diagnostics are sorted by file, then offset, then code.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let report = Report { files };

    let color = args.output.is_none()
        && args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = if args.statistics {
        report::statistics::render(&report, args.format == Format::Json)
    } else {
        match args.format {
            Format::Human => report::human::render(
                &report,
                &report::human::HumanOptions {
                    color,
                    quiet: args.quiet,
                    width: terminal_width(),
                },
            ),
            Format::Json => report::json::render(&report),
        }
    };
    emit(&text, args.output.as_deref())?;

    if !crashed.is_empty() {
        return Err(RunError(format!(
            "internal error while checking {}; the other files were checked. Please report this with the file.",
            crashed.join(", ")
        )));
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| report.diagnostics().any(|(_, d)| d.severity >= t));
    Ok(u8::from(failing))
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
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            RunError(format!(
                "{}: cannot write the report: {}",
                path.display(),
                discover::io_reason(&e)
            ))
        }),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(RunError(format!("cannot write the report: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
