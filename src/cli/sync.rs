//! `sync`, `sync:dead`, `sync:retry`.

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{self, Table};
use crate::model::ExitStatus;
use crate::ops;
use crate::outbox::sync::SyncOutcome;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Deliver the outbox to the remote backends in [[adapters]]
    #[command(
        name = "sync",
        long_about = "Deliver what the outbox holds (audit events, security alerts, tenants' \
                      metrics, IntelGraph statements, dashboards) to each adapter in \
                      [[adapters]] of maestro.toml, oldest first. A backend that is down is \
                      retried later, without limit, with exponential backoff (1 s doubling to \
                      5 min) or after its Retry-After; a row a backend refuses (HTTP 4xx other \
                      than 408 and 429) max_attempts times goes to the dead letter (sync:dead) \
                      and the rest flow on. Exit 1 when something could not be delivered this \
                      time.",
        after_help = "Examples:\n  maestro-cli sync\n  maestro-cli sync --adapter siem --once\n\nCrontab:\n  * * * * *  MAESTRO_ACTOR=ops@example.com maestro-cli sync --quiet"
    )]
    Sync(SyncArgs),
    /// Deliveries given up on (dead letter)
    #[command(
        name = "sync:dead",
        after_help = "Example:\n  maestro-cli sync:dead --adapter siem --output json"
    )]
    Dead(DeadArgs),
    /// Put a dead delivery back in the queue
    #[command(
        name = "sync:retry",
        after_help = "Example:\n  maestro-cli sync:retry 1234 --adapter siem && maestro-cli sync --adapter siem"
    )]
    Retry(RetryArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Only this adapter
    #[arg(long)]
    pub adapter: Option<String>,
    /// One batch per adapter, then stop
    #[arg(long)]
    pub once: bool,
    /// Leave a failed row until its retry time (1 s doubling to 5 min), as cron should; by
    /// default every pending row is tried now
    #[arg(long)]
    pub respect_backoff: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct DeadArgs {
    /// Only this adapter
    #[arg(long)]
    pub adapter: Option<String>,
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    /// The outbox row's id (first column of sync:dead)
    pub id: i64,
    /// Only for this adapter [default: every adapter that gave it up]
    #[arg(long)]
    pub adapter: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

impl SyncCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            SyncCommand::Sync(a) => a.dry_run,
            SyncCommand::Retry(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let printer = settings.printer;
        let mut ctx = if matches!(self, SyncCommand::Dead(_)) {
            settings.read_context()?
        } else {
            settings.context()?
        };
        match self {
            SyncCommand::Sync(a) => {
                if ctx.config.adapters.is_empty() {
                    anyhow::bail!(
                        "no [[adapters]] in the configuration: nothing to deliver to (see docs/configuration.md)"
                    );
                }
                let pace = crate::outbox::sync::Pace {
                    once: a.once,
                    respect_backoff: a.respect_backoff,
                };
                if settings.printer.dry_run {
                    let previews = ops::sync::preview(&mut ctx, a.adapter.as_deref(), pace)?;
                    printer.data(&previews, || {
                        let mut t = Table::new(vec!["adapter", "would send", "kinds", "waiting"]);
                        for p in &previews {
                            let kinds: Vec<String> =
                                p.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
                            t.push(vec![
                                p.adapter.clone(),
                                p.would_send.to_string(),
                                kinds.join(", "),
                                p.waiting.to_string(),
                            ]);
                        }
                        t
                    })?;
                    return Ok(ExitStatus::Ok);
                }
                let outcomes = ops::sync::sync(
                    &mut ctx,
                    a.adapter.as_deref(),
                    pace,
                    &output::count_progress(&printer, "rows delivered"),
                )?;
                let failed: Vec<&SyncOutcome> = outcomes
                    .iter()
                    .filter(|o| o.retrying + o.dead > 0)
                    .collect();
                if !printer.quiet || !failed.is_empty() {
                    printer.data(&outcomes, || {
                        let mut t = Table::new(vec![
                            "adapter",
                            "delivered",
                            "retrying",
                            "dead",
                            "pending",
                            "last error",
                        ]);
                        for o in &outcomes {
                            t.push(vec![
                                o.adapter.clone(),
                                o.delivered.to_string(),
                                o.retrying.to_string(),
                                o.dead.to_string(),
                                o.pending.to_string(),
                                o.last_error.clone().unwrap_or_else(|| "-".into()),
                            ]);
                        }
                        t
                    })?;
                }
                for o in &failed {
                    output::report_error(
                        &anyhow::anyhow!(
                            "adapter `{}`: {}",
                            o.adapter,
                            o.last_error.as_deref().unwrap_or("delivery failed")
                        ),
                        Some(
                            "the rows stay queued and are retried by the next sync; see sync:dead for given-up ones",
                        ),
                        1,
                        printer.format == output::OutputFormat::Json,
                        false,
                    );
                }
                Ok(if failed.is_empty() {
                    ExitStatus::Ok
                } else {
                    ExitStatus::Error
                })
            }
            SyncCommand::Dead(a) => {
                let dead = ops::sync::dead(&mut ctx, a.adapter.as_deref())?;
                printer.data(&dead, || {
                    let mut t = Table::new(vec![
                        "id",
                        "adapter",
                        "kind",
                        "tenant",
                        "key",
                        "attempts",
                        "last error",
                    ]);
                    for d in &dead {
                        t.push(vec![
                            d.id.to_string(),
                            d.adapter.clone(),
                            d.kind.clone(),
                            d.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            d.idem_key.clone(),
                            d.attempts.to_string(),
                            d.last_error.clone().unwrap_or_default(),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            SyncCommand::Retry(a) => {
                let n = ops::sync::retry(&mut ctx, a.id, a.adapter.as_deref())?;
                printer.note(&format!(
                    "requeued outbox row {} ({n} deliveries); run `maestro-cli sync`",
                    a.id
                ));
                Ok(ExitStatus::Ok)
            }
        }
    }
}
