//! `perf:ingest`, `perf:baseline`, `perf:check`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{self, OutputFormat, Table};
use crate::config::{BudgetsFile, Phase};
use crate::model::ExitStatus;
use crate::perf::{self, CheckOptions, Stats};

#[derive(Debug, Subcommand)]
pub enum PerfCommand {
    /// Ingest request logs (JSON lines, or CSV; .gz read): daily p50/p95/p99 and error rates
    #[command(
        name = "perf:ingest",
        long_about = "Ingest request logs, one request per JSON line \
                      ({\"ts\",\"tenant\",\"service\",\"env\",\"latency_ms\",\"status\"}) or per CSV \
                      row with that header (file name ending in .csv), .gz decompressed. Each \
                      day, tenant, service and env keeps its request and 5xx counts and its exact \
                      latency distribution (to the microsecond). A file is ingested once.",
        after_help = "Examples:\n  maestro-cli perf:ingest requests-2026-11-24.jsonl.gz\n  maestro-cli perf:ingest access.csv --skip-bad"
    )]
    Ingest(IngestArgs),
    /// Set (or show) the baseline that later windows are compared with
    #[command(
        name = "perf:baseline",
        after_help = "Examples:\n  maestro-cli perf:baseline set --from 2026-11-01 --to 2026-11-14\n  maestro-cli perf:baseline show --output json"
    )]
    Baseline(BaselineArgs),
    /// Compare the latest window with the budgets and the baseline: warn (exit 0) or gate (exit 3)
    #[command(
        name = "perf:check",
        long_about = "Compare a window (default: the last day with data) with the per-service \
                      budgets ([perf.budgets] in maestro.toml, or --budgets FILE) and with the \
                      baseline (perf:baseline set). In the warn phase breaches are printed as \
                      warnings and the exit code is 0; in the gate phase they fail the check with \
                      exit 3. The phase comes from [perf] phase, or --phase.",
        after_help = "Examples:\n  maestro-cli perf:check\n  maestro-cli perf:check --phase gate --budgets budgets.toml --from 2026-11-24"
    )]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The request log
    pub file: PathBuf,
    /// Leave malformed lines out (counted and listed) instead of stopping
    #[arg(long)]
    pub skip_bad: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BaselineAction {
    /// Measure --from..--to and keep it as the baseline
    Set,
    /// Print the stored baselines
    Show,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    pub action: BaselineAction,
    /// First day of the window (UTC, inclusive)
    #[arg(long, value_name = "DATE", required_if_eq("action", "set"))]
    pub from: Option<String>,
    /// Last day of the window (UTC, inclusive)
    #[arg(long, value_name = "DATE", required_if_eq("action", "set"))]
    pub to: Option<String>,
    /// Only this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// warn: report breaches, exit 0; gate: exit 3 on any breach [default: [perf] phase]
    #[arg(long, value_enum)]
    pub phase: Option<Phase>,
    /// First day of the window [default: the last day with data]
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the window [default: --from]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Budgets from this TOML file (`[budgets.<service>]`) instead of [perf.budgets]
    #[arg(long, value_name = "FILE")]
    pub budgets: Option<PathBuf>,
}

fn stats_table(groups: &[Stats]) -> Table {
    let mut t = Table::new(vec![
        "tenant", "service", "env", "requests", "p50 ms", "p95 ms", "p99 ms", "5xx %",
    ]);
    for g in groups {
        t.push(vec![
            g.tenant_id.clone(),
            g.service.clone(),
            g.env.clone(),
            g.requests.to_string(),
            format!("{:.3}", g.p50_ms),
            format!("{:.3}", g.p95_ms),
            format!("{:.3}", g.p99_ms),
            format!("{:.2}", g.error_rate_pct),
        ]);
    }
    t
}

impl PerfCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            PerfCommand::Ingest(a) => a.dry_run,
            PerfCommand::Baseline(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let printer = settings.printer;
        let mut ctx = settings.context()?;
        match self {
            PerfCommand::Ingest(a) => {
                let r = perf::ingest(
                    &mut ctx,
                    &a.file,
                    a.skip_bad,
                    output::file_progress(&printer, &a.file),
                )?;
                output::ingest_notes(&printer, &r.file, r.already_ingested, &r.skipped_rows);
                printer.data(&r, || {
                    Table::record(vec![
                        ("file", r.file.clone()),
                        ("rows", r.rows.to_string()),
                        ("skipped", r.skipped.to_string()),
                        ("groups", r.groups.to_string()),
                    ])
                })?;
                Ok(ExitStatus::Ok)
            }
            PerfCommand::Baseline(a) => match a.action {
                BaselineAction::Set => {
                    let (Some(from), Some(to)) = (a.from.as_deref(), a.to.as_deref()) else {
                        anyhow::bail!("perf:baseline set needs --from and --to");
                    };
                    let set = perf::set_baseline(&mut ctx, from, to, a.tenant.as_deref())?;
                    printer.data(&set, || stats_table(&set))?;
                    Ok(ExitStatus::Ok)
                }
                BaselineAction::Show => {
                    let rows = perf::baselines(&mut ctx, a.tenant.as_deref())?;
                    printer.data(&rows, || {
                        let mut t = Table::new(vec![
                            "tenant", "service", "env", "window", "requests", "p50 ms", "p95 ms",
                        ]);
                        for b in &rows {
                            t.push(vec![
                                b.tenant_id.clone(),
                                b.service.clone(),
                                b.env.clone(),
                                format!("{}..{}", b.from, b.to),
                                b.requests.to_string(),
                                format!("{:.3}", b.p50_ms),
                                format!("{:.3}", b.p95_ms),
                            ]);
                        }
                        t
                    })?;
                    Ok(ExitStatus::Ok)
                }
            },
            PerfCommand::Check(a) => {
                let budgets = match &a.budgets {
                    Some(path) => BudgetsFile::load(path)?.budgets,
                    None => ctx.config.perf.budgets.clone(),
                };
                let options = CheckOptions {
                    phase: a.phase.unwrap_or(ctx.config.perf.phase),
                    from: a.from,
                    to: a.to,
                    tenant: a.tenant,
                    budgets,
                    regression_pct: ctx.config.perf.regression_pct,
                    error_regression_pp: ctx.config.perf.error_regression_pp,
                };
                let r = perf::check(&mut ctx, &options)?;
                printer.data(&r, || stats_table(&r.groups))?;
                let json = printer.format == OutputFormat::Json;
                for b in &r.breaches {
                    let line = b.describe();
                    match r.phase {
                        Phase::Warn => printer.note(&format!("warning: {line}")),
                        Phase::Gate if !json => output::report_problem(&line),
                        Phase::Gate => {}
                    }
                }
                match (r.phase, r.breaches.len()) {
                    (_, 0) => {
                        printer.note(&format!(
                            "ok: {} groups within budget and baseline ({}..{})",
                            r.groups.len(),
                            r.from,
                            r.to
                        ));
                        Ok(ExitStatus::Ok)
                    }
                    (Phase::Warn, n) => {
                        printer.note(&format!(
                            "{n} breaches, warn phase: not failing (set [perf] phase = \"gate\" to gate)"
                        ));
                        Ok(ExitStatus::Ok)
                    }
                    (Phase::Gate, n) => {
                        output::report_error(
                            &anyhow::anyhow!(
                                "gate: {n} performance breaches ({}..{})",
                                r.from,
                                r.to
                            ),
                            Some(
                                "fix the regression, or adjust [perf.budgets] / perf:baseline set after review",
                            ),
                            ExitStatus::Denied.code(),
                            json,
                            false,
                        );
                        Ok(ExitStatus::Denied)
                    }
                }
            }
        }
    }
}
