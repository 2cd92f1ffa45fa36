//! `flow:list`, `flow:validate`, `flow:graph`, `flow:run`, `flow:status`, `flow:runs`,
//! `flow:logs`, `flow:resume`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{OutputFormat, Printer, Table};
use crate::config::Config;
use crate::flow::{self, FlowError, RunReport, StartOptions, catalog, plan, template};
use crate::model::ExitStatus;
use progress::Progress;

mod progress;

#[derive(Debug, Subcommand)]
pub enum FlowCommand {
    /// List flow templates (built-in and from --templates DIR)
    #[command(
        name = "flow:list",
        after_help = "Example:\n  maestro-cli flow:list --templates ./flows"
    )]
    List(TemplatesArg),
    /// Check a template: YAML, ids, needs, kinds, params, cycles; exit 4 on problems
    #[command(
        name = "flow:validate",
        after_help = "Examples:\n  maestro-cli flow:validate feature-lifecycle\n  maestro-cli flow:validate ./flows/release.yaml"
    )]
    Validate(FlowArg),
    /// Print a flow's dependency graph (text waves, Graphviz dot or Mermaid)
    #[command(
        name = "flow:graph",
        after_help = "Example:\n  maestro-cli flow:graph feature-lifecycle --format dot | dot -Tsvg > flow.svg"
    )]
    Graph(GraphArgs),
    /// Run a flow: at most --jobs steps at once, checkpointed, resumable
    #[command(
        name = "flow:run",
        after_help = "Examples:\n  maestro-cli flow:run deploy --tenant acme --param service=api --param version=1.4.2 --param cluster=eu-prod-1\n  maestro-cli flow:run feature-lifecycle --dry-run --param feature=search ..."
    )]
    Run(RunArgs),
    /// Show a run and its steps
    #[command(
        name = "flow:status",
        after_help = "Example:\n  maestro-cli flow:status 019ab1c2-... --output json"
    )]
    Status(StatusArgs),
    /// List runs, newest first
    #[command(
        name = "flow:runs",
        after_help = "Example:\n  maestro-cli flow:runs --tenant acme --status failed"
    )]
    Runs(RunsArgs),
    /// Print the captured output of a run's attempts
    #[command(
        name = "flow:logs",
        after_help = "Example:\n  maestro-cli flow:logs 019ab1c2-... build"
    )]
    Logs(LogsArgs),
    /// Continue a run after a crash, a failure or Ctrl-C
    #[command(
        name = "flow:resume",
        after_help = "Example:\n  maestro-cli flow:resume 019ab1c2-..."
    )]
    Resume(ResumeArgs),
}

#[derive(Debug, Args)]
pub struct TemplatesArg {
    /// A directory of *.yaml templates (overrides built-ins of the same name); repeatable
    #[arg(long = "templates", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FlowArg {
    /// A template name or a path to a .yaml file
    pub flow: String,
    #[command(flatten)]
    pub templates: TemplatesArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Text,
    Dot,
    Mermaid,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub flow: FlowArg,
    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub flow: FlowArg,
    /// A param as NAME=VALUE (lists: comma-separated); repeatable
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// The tenant the run is for (steps see it as $MAESTRO_TENANT)
    #[arg(long)]
    pub tenant: Option<String>,
    /// At most this many steps at once
    #[arg(long, short = 'j', default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Print the plan (waves of steps) and run nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub run: RunIdArg,
    /// Show the run again each time it changes, until it ends (JSON: one line a change)
    #[arg(long, short = 'w')]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct RunIdArg {
    /// The run id (from flow:run or flow:runs)
    pub run_id: String,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Only runs of this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only runs with this status
    #[arg(long, value_parser = ["running", "succeeded", "failed", "interrupted"])]
    pub status: Option<String>,
    /// At most this many
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: u64,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The run id
    pub run_id: String,
    /// Only this step
    pub step: Option<String>,
    /// Print each attempt as it finishes, until the run ends (JSON: one line an attempt)
    #[arg(long, short = 'f')]
    pub follow: bool,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The run id
    pub run_id: String,
    #[command(flatten)]
    pub templates: TemplatesArg,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

impl FlowCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let printer = settings.printer;
        match self {
            FlowCommand::List(a) => {
                let entries = catalog::list(&a.dirs)?;
                printer.data(&entries, || {
                    let mut t = Table::new(vec!["name", "steps", "origin", "description"]);
                    for e in &entries {
                        let steps = if e.problems > 0 {
                            format!("invalid ({} problems)", e.problems)
                        } else {
                            e.steps.to_string()
                        };
                        t.push(vec![
                            e.name.clone(),
                            steps,
                            e.origin.clone(),
                            e.description.clone(),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Validate(a) => validate(&a, printer),
            FlowCommand::Graph(a) => {
                let f = catalog::find(&a.flow.flow, &a.flow.templates.dirs)?;
                let format = match a.format {
                    GraphFormat::Text => "text",
                    GraphFormat::Dot => "dot",
                    GraphFormat::Mermaid => "mermaid",
                };
                printer.raw(&plan::render_graph(&f, format))?;
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Run(a) => run(a, settings),
            FlowCommand::Status(a) if a.watch => {
                let mut ctx = settings.read_context()?;
                let mut first = true;
                let ended = flow::watch(&mut ctx, &a.run.run_id, &mut |report| {
                    if !first && printer.format.is_table() {
                        let _ = printer.raw("\n");
                    }
                    first = false;
                    print_report(printer, report, false)
                        .map_err(|e| FlowError::Params(e.to_string()))
                })?;
                if !ended {
                    anyhow::bail!(
                        "run `{}` is not being executed any more (its process is gone): continue it with `maestro-cli flow:resume {}`",
                        a.run.run_id,
                        a.run.run_id
                    );
                }
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Status(a) => {
                let mut ctx = settings.read_context()?;
                let report = flow::status(&mut ctx, &a.run.run_id)?;
                print_report(printer, &report, false)?;
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Runs(a) => {
                let mut ctx = settings.read_context()?;
                let runs = flow::runs(
                    &mut ctx,
                    a.tenant.as_deref(),
                    a.status.as_deref(),
                    Some(a.limit),
                )?;
                printer.data(&runs, || {
                    let mut t = Table::new(vec![
                        "run_id",
                        "flow",
                        "status",
                        "tenant",
                        "actor",
                        "created_at",
                        "finished_at",
                    ]);
                    for r in &runs {
                        t.push(vec![
                            r.id.clone(),
                            r.flow.clone(),
                            r.status.clone(),
                            r.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            r.actor.clone(),
                            r.created_at.clone(),
                            r.finished_at.clone().unwrap_or_else(|| "-".into()),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Logs(a) if a.follow => {
                let mut ctx = settings.read_context()?;
                let ended = flow::follow(&mut ctx, &a.run_id, a.step.as_deref(), &mut |at| {
                    let text = if printer.format.is_table() {
                        attempt_text(at)
                    } else {
                        serde_json::to_string(at).unwrap_or_default() + "\n"
                    };
                    printer
                        .raw(&text)
                        .map_err(|e| FlowError::Params(e.to_string()))
                })?;
                if !ended {
                    anyhow::bail!(
                        "run `{}` is not being executed any more (its process is gone): continue it with `maestro-cli flow:resume {}`",
                        a.run_id,
                        a.run_id
                    );
                }
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Logs(a) => {
                let mut ctx = settings.read_context()?;
                let attempts = flow::logs(&mut ctx, &a.run_id, a.step.as_deref())?;
                match printer.format {
                    OutputFormat::Table | OutputFormat::Wide => {
                        let mut text = String::new();
                        for at in &attempts {
                            text.push_str(&attempt_text(at));
                        }
                        printer.raw(&text)?;
                    }
                    _ => printer.data(&attempts, || {
                        let mut t = Table::new(vec![
                            "step",
                            "attempt",
                            "status",
                            "exit_code",
                            "started_at",
                            "finished_at",
                            "stdout",
                            "stderr",
                            "error",
                        ]);
                        for at in &attempts {
                            t.push(vec![
                                at.step_id.clone(),
                                at.attempt.to_string(),
                                at.status.clone(),
                                at.exit_code.map(|c| c.to_string()).unwrap_or_default(),
                                at.started_at.clone(),
                                at.finished_at.clone().unwrap_or_default(),
                                at.stdout.clone(),
                                at.stderr.clone(),
                                at.error.clone().unwrap_or_default(),
                            ]);
                        }
                        t
                    })?,
                }
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Resume(a) if dry_run::wanted(a.dry_run, settings) => {
                dry_run::rehearse(settings, |s| FlowCommand::Resume(a).run(s))
            }
            FlowCommand::Resume(a) if settings.printer.dry_run => {
                let mut ctx = settings.context()?;
                let report = flow::resume_preview(&mut ctx, &a.run_id)?;
                let again: Vec<&str> = report
                    .steps
                    .iter()
                    .filter(|s| s.status != "succeeded")
                    .map(|s| s.id.as_str())
                    .collect();
                printer.note(&if again.is_empty() {
                    format!("run {} has nothing to run again", report.run_id)
                } else {
                    format!("would run again: {}", again.join(", "))
                });
                print_report(printer, &report, false)?;
                Ok(ExitStatus::Ok)
            }
            FlowCommand::Resume(a) => {
                flow::interrupt::install()?;
                let mut ctx = settings.context()?;
                let mut progress = Progress::new(printer);
                let report = flow::resume(&mut ctx, &a.run_id, a.templates.dirs, &mut |e| {
                    progress.event(e)
                });
                finish(printer, &mut progress, report)
            }
        }
    }
}

fn validate(a: &FlowArg, printer: Printer) -> anyhow::Result<ExitStatus> {
    let v = flow::validate(&a.flow, &a.templates.dirs)?;
    if v.valid {
        printer.data(&v, || {
            let count = |n: Option<usize>| n.unwrap_or_default().to_string();
            Table::record(vec![
                ("valid", "true".into()),
                ("flow", v.flow.clone().unwrap_or_default()),
                ("origin", v.origin.clone().unwrap_or_default()),
                ("steps", count(v.steps)),
                ("waves", count(v.waves)),
                ("params", v.params.as_deref().unwrap_or_default().join(",")),
            ])
        })?;
        return Ok(ExitStatus::Ok);
    }
    if printer.format == OutputFormat::Json {
        printer.data(&v, || Table::new(vec![]))?;
    }
    for p in &v.problems {
        super::output::report_problem_lines(&p.render());
    }
    Ok(ExitStatus::Problems)
}

fn run(a: RunArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    let printer = settings.printer;
    let f = catalog::find(&a.flow.flow, &a.flow.templates.dirs)?;
    if a.dry_run {
        template::resolve_params(&f, &a.params).map_err(FlowError::Params)?;
        let _ = Config::discover(settings.config.as_deref())?;
        let p = plan::plan(&f);
        printer.data(&p, || {
            let mut t = Table::new(vec!["wave", "step", "uses", "needs", "if"]);
            for (i, w) in p.waves.iter().enumerate() {
                for s in w {
                    t.push(vec![
                        (i + 1).to_string(),
                        s.id.clone(),
                        s.uses.clone(),
                        s.needs.join(","),
                        s.condition.clone().unwrap_or_default(),
                    ]);
                }
            }
            t
        })?;
        return Ok(ExitStatus::Ok);
    }
    flow::interrupt::install()?;
    let mut ctx = settings.context()?;
    let mut progress = Progress::new(printer);
    let report = flow::start(
        &mut ctx,
        StartOptions {
            flow: f,
            params: a.params,
            tenant: a.tenant,
            jobs: usize::from(a.jobs),
            templates: a.flow.templates.dirs,
            parent: None,
        },
        &mut |e| progress.event(e),
    );
    finish(printer, &mut progress, report)
}

/// Prints the run's summary and turns its outcome into the exit status.
fn finish(
    printer: Printer,
    progress: &mut Progress,
    report: Result<RunReport, FlowError>,
) -> anyhow::Result<ExitStatus> {
    progress.clear();
    let report = match report {
        Ok(r) => r,
        Err(e @ FlowError::Interrupted { .. }) => return Err(e.into()),
        Err(e) => return Err(e.into()),
    };
    print_report(printer, &report, true)?;
    report.into_result()?;
    Ok(ExitStatus::Ok)
}

/// A run's report; as JSON one line, and as the last line of `flow:run`'s event stream
/// (`as_event`) with `"event": "run.report"`.
/// One attempt as `flow:logs` shows it: a header line, then its output.
fn attempt_text(at: &crate::store::AttemptRow) -> String {
    let mut text = format!(
        "==> {} attempt {} ({}{}) <==\n",
        at.step_id,
        at.attempt,
        at.status,
        at.exit_code
            .map(|c| format!(", exit {c}"))
            .unwrap_or_default()
    );
    for (name, body) in [("stdout", &at.stdout), ("stderr", &at.stderr)] {
        if !body.is_empty() {
            text.push_str(&format!("--- {name}\n{body}"));
            if !body.ends_with('\n') {
                text.push('\n');
            }
        }
    }
    if let Some(e) = &at.error {
        text.push_str(&format!("--- error: {e}\n"));
    }
    text
}

fn print_report(printer: Printer, report: &RunReport, as_event: bool) -> anyhow::Result<()> {
    if printer.format == OutputFormat::Json {
        let mut v = serde_json::to_value(report)?;
        if let (Some(m), true) = (v.as_object_mut(), as_event) {
            m.insert("event".into(), "run.report".into());
        }
        return printer.raw(&(serde_json::to_string(&v)? + "\n"));
    }
    if printer.quiet && report.status == "succeeded" {
        return Ok(());
    }
    printer.data(report, || {
        let mut t = Table::new(vec![
            "step",
            "uses",
            "status",
            "attempts",
            "started_at",
            "finished_at",
            "error",
        ]);
        for s in &report.steps {
            t.push(vec![
                s.id.clone(),
                s.uses.clone(),
                s.status.clone(),
                s.attempts.to_string(),
                s.started_at.clone().unwrap_or_default(),
                s.finished_at.clone().unwrap_or_default(),
                s.error.clone().unwrap_or_default(),
            ]);
        }
        t
    })?;
    printer.note(&format!(
        "run {} {} ({})",
        report.run_id, report.status, report.flow
    ));
    Ok(())
}
