//! `deploy:list`.

use clap::{Args, Subcommand};

use super::Settings;
use super::output::Table;
use crate::model::ExitStatus;

#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// List deployments, newest first: what runs where, and what ran before
    #[command(
        name = "deploy:list",
        long_about = "List the deployments the `deploy` flow recorded (each admitted by the \
                      residency gate), newest first: tenant, service, env, cluster, region, \
                      version, the run that made it. The second row of a service and env is the \
                      version to roll back to (see runbooks/deploy-and-rollback.md). A viewer \
                      sees their tenants' deployments.",
        after_help = "Examples:\n  maestro-cli deploy:list --tenant acme\n  maestro-cli deploy:list --tenant acme --service api --env prod --output json"
    )]
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this tenant's
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only this service's
    #[arg(long)]
    pub service: Option<String>,
    /// Only this env's
    #[arg(long)]
    pub env: Option<String>,
}

impl DeployCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let DeployCommand::List(a) = self;
        let mut ctx = settings.read_context()?;
        let list = crate::flow::deployments(
            &mut ctx,
            a.tenant.as_deref(),
            a.service.as_deref(),
            a.env.as_deref(),
        )?;
        settings.printer.data(&list, || {
            let mut t = Table::new(vec![
                "tenant", "service", "env", "cluster", "region", "version", "at", "run",
            ]);
            for d in &list {
                t.push(vec![
                    d.tenant_id.clone(),
                    d.service.clone(),
                    d.env.clone(),
                    d.cluster.clone(),
                    d.region.clone(),
                    d.version.clone(),
                    d.created_at.clone(),
                    d.run_id.clone().unwrap_or_default(),
                ]);
            }
            t
        })?;
        Ok(ExitStatus::Ok)
    }
}
