//! `audit:log` and `audit:verify`.

use clap::{Args, Subcommand};

use super::Settings;
use super::output::Table;
use crate::audit::{self, AuditError};
use crate::model::ExitStatus;
use crate::ops::audit::LogOptions;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit events (those of the actor's tenants unless platform admin)
    #[command(
        name = "audit:log",
        after_help = "Examples:\n  maestro-cli audit:log --tenant acme --since 2026-11-01\n  maestro-cli audit:log --since 24h --output json"
    )]
    Log(LogArgs),
    /// Recompute the audit hash chain; exit 4 naming the first bad event if it is broken
    #[command(
        name = "audit:verify",
        after_help = "Example:\n  maestro-cli audit:verify --output json"
    )]
    Verify,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events of this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only events since a date (`2026-11-01`), an instant (RFC 3339) or an age (`36h`, `7d`, `1d12h`)
    #[arg(long)]
    pub since: Option<String>,
    /// At most this many events, the most recent
    #[arg(long, short = 'n')]
    pub limit: Option<u64>,
}

impl AuditCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let mut ctx = settings.read_context()?;
        let printer = settings.printer;
        match self {
            AuditCommand::Log(a) => {
                let events = crate::ops::audit::log(
                    &mut ctx,
                    &LogOptions {
                        tenant: a.tenant.as_deref(),
                        since: a.since.as_deref(),
                        limit: a.limit,
                    },
                )?;
                printer.data(&events, || {
                    let mut t = Table::new(vec![
                        "seq", "at", "actor", "tenant", "action", "target", "details",
                    ]);
                    for e in &events {
                        t.push(vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.actor.clone(),
                            e.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            e.action.clone(),
                            e.target.clone(),
                            crate::model::audit::canonical_json(&e.details),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            AuditCommand::Verify => {
                let report = audit::verify(&ctx.store.read()).map_err(AuditError::from)?;
                if !printer.format.is_table() || !printer.quiet {
                    printer.data(&report, || {
                        Table::record(vec![
                            ("ok", report.ok.to_string()),
                            ("events", report.events.to_string()),
                            ("head", report.head.clone().unwrap_or_else(|| "-".into())),
                            (
                                "first_bad_seq",
                                report
                                    .first_bad
                                    .as_ref()
                                    .map_or("-".into(), |b| b.seq.to_string()),
                            ),
                            (
                                "problem",
                                report
                                    .first_bad
                                    .as_ref()
                                    .map_or("-".into(), |b| b.problem.clone()),
                            ),
                        ])
                    })?;
                }
                match &report.first_bad {
                    None => Ok(ExitStatus::Ok),
                    Some(bad) => {
                        super::output::report_problem(&format!(
                            "audit chain broken at event {}: {}",
                            bad.seq, bad.problem
                        ));
                        Ok(ExitStatus::Problems)
                    }
                }
            }
        }
    }
}
