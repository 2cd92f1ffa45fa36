//! `dashboard:export`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use crate::dashboards::{self, Dashboard};
use crate::exit::ExitStatus;
use crate::ids::TenantId;
use crate::tenant::{Action, users};

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
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let DashboardCommand::Export(a) = self;
        let mut ctx = settings.context()?;
        let tenant = a.tenant.as_deref().map(TenantId::parse).transpose()?;
        // A fixed dashboard needs a role of that tenant; the all-tenant one, a platform admin.
        users::check(&mut ctx, Action::DashboardExport, tenant.as_ref())?;
        let d = dashboards::render(
            a.dashboard,
            &ctx.config.branding.product_name,
            tenant.as_ref(),
        );
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
