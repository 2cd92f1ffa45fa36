//! `dashboard:export`, `dashboard:publish`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::Table;
use crate::config::AdapterKind;
use crate::dashboards::{self, Dashboard};
use crate::model::ExitStatus;
use crate::model::ids::TenantId;

#[derive(Debug, Subcommand)]
pub enum DashboardCommand {
    /// Export a Grafana dashboard: Summitsight Pulse or Platform P&L
    #[command(
        name = "dashboard:export",
        long_about = "Print (or write with --out) a Grafana dashboard as JSON, ready for \
                      Grafana's import or its /api/dashboards/db endpoint: `pulse` (CPU, memory, \
                      request rate, p95 latency, error rate) or `pnl` (cost per tenant, top-5 \
                      cost drivers, cost per request), titled with [branding] product_name. \
                      With --tenant the dashboard is fixed to that tenant (a viewer may export \
                      it); without, it has a tenant picker over every tenant (platform admin).",
        after_help = "Examples:\n  maestro-cli dashboard:export pulse --out pulse.json\n  maestro-cli dashboard:export pnl --tenant acme"
    )]
    Export(ExportArgs),
    /// Queue a dashboard for Grafana (the [[adapters]] of kind grafana; `sync` posts it)
    #[command(
        name = "dashboard:publish",
        long_about = "Queue the dashboard that dashboard:export prints for every Grafana \
                      adapter in [[adapters]]; `maestro-cli sync` posts it to \
                      /api/dashboards/db (overwrite on, into folder_uid when set). Publishing \
                      the same dashboard again queues nothing. Platform admins only.",
        after_help = "Examples:\n  maestro-cli dashboard:publish pnl && maestro-cli sync --adapter grafana\n  maestro-cli dashboard:publish pulse --tenant acme --output json"
    )]
    Publish(PublishArgs),
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    #[arg(value_enum)]
    pub dashboard: Dashboard,
    /// Fix the dashboard to this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub dashboard: Dashboard,
    /// Fix the dashboard to this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl DashboardCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            DashboardCommand::Publish(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let a = match self {
            DashboardCommand::Export(a) => a,
            DashboardCommand::Publish(p) => return publish(settings, p),
        };
        let mut ctx = settings.read_context()?;
        let tenant = a.tenant.as_deref().map(TenantId::parse).transpose()?;
        let d = dashboards::export(&mut ctx, a.dashboard, tenant.as_ref())?;
        let text = serde_json::to_string_pretty(&d)? + "\n";
        match &a.out {
            Some(path) => {
                std::fs::write(path, &text)
                    .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", path.display()))?;
                settings
                    .printer
                    .note(&format!("wrote `{}`", path.display()));
            }
            None => settings.printer.raw(&text)?,
        }
        Ok(ExitStatus::Ok)
    }
}

fn publish(settings: &Settings, a: PublishArgs) -> anyhow::Result<ExitStatus> {
    let mut ctx = settings.context()?;
    let tenant = a.tenant.as_deref().map(TenantId::parse).transpose()?;
    let p = dashboards::publish(&mut ctx, a.dashboard, tenant.as_ref())?;
    if !ctx
        .config
        .adapters
        .iter()
        .any(|x| x.kind == AdapterKind::Grafana)
    {
        settings.printer.note(
            "warning: no grafana adapter in [[adapters]]: the dashboard waits in the outbox until one is configured",
        );
    }
    settings.printer.data(&p, || {
        let mut t = Table::new(vec!["uid", "title", "queued"]);
        t.push(vec![
            p.uid.clone(),
            p.title.clone(),
            if p.queued {
                "yes"
            } else {
                "no (already queued)"
            }
            .to_string(),
        ]);
        t
    })?;
    Ok(ExitStatus::Ok)
}
