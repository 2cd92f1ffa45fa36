//! `trial:up` and `trial:down`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{Printer, Table};
use crate::model::ExitStatus;
use crate::trial;

#[derive(Debug, Subcommand)]
pub enum TrialCommand {
    /// Stand up a trial environment in one directory: two tenants, deploys, the staged deny, packs
    #[command(
        name = "trial:up",
        after_help = "Examples:\n  maestro-cli trial:up\n  maestro-cli trial:up --dir /tmp/demo --name demo --output json"
    )]
    Up(UpArgs),
    /// Remove a trial environment made by trial:up (and only that), writing a teardown record
    #[command(
        name = "trial:down",
        after_help = "Example:\n  maestro-cli trial:down --dir /tmp/demo"
    )]
    Down(DownArgs),
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Where the environment lives (its config, state, keys and packs)
    #[arg(long, default_value = "maestro-trial")]
    pub dir: PathBuf,
    /// A name for it
    #[arg(long, default_value = "maestro-trial")]
    pub name: String,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct DownArgs {
    /// The directory trial:up made
    #[arg(long, default_value = "maestro-trial")]
    pub dir: PathBuf,
    /// Do not ask (needed where there is no terminal to ask on)
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

impl TrialCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let printer = settings.printer;
        match self {
            // Rehearsed in a scratch copy of DIR (when there is one: trial:up continues it).
            TrialCommand::Up(a) if dry_run::wanted(a.dry_run, settings) => {
                let real = a.dir.clone();
                dry_run::rehearse_files(settings, &real, "nothing was made in", |s, stand_in| {
                    if real.exists() {
                        dry_run::copy_dir(&real, stand_in)?;
                    }
                    let a = UpArgs {
                        dir: stand_in.to_path_buf(),
                        ..a
                    };
                    TrialCommand::Up(a).run(s)
                })
            }
            TrialCommand::Down(a) if dry_run::wanted(a.dry_run, settings) => {
                let real = a.dir.clone();
                dry_run::rehearse_files(settings, &real, "nothing was removed:", |s, _| {
                    let r = trial::teardown_plan(&a.dir, s.clock)?;
                    print_teardown(s.printer, &r)
                })
            }
            TrialCommand::Up(a) => {
                let s = trial::up(&a.dir, &a.name, settings.clock)?;
                if !printer.format.is_table() {
                    printer.data(&s, || Table::new(vec![]))?;
                    return Ok(ExitStatus::Ok);
                }
                if printer.quiet {
                    return Ok(ExitStatus::Ok);
                }
                let mut text = format!(
                    "{}: trial environment `{}` is up in {}\n\n",
                    s.product, s.name, s.dir
                );
                text.push_str(&format!("  config       {}\n  state        {}\n  admin        {}\n  operator     {} (tenant-admin of the trial tenants only)\n\n", s.config, s.state, s.platform_admin, s.operator));
                for t in &s.tenants {
                    text.push_str(&format!(
                        "  tenant       {} ({}, regions {}, namespace {})\n",
                        t.id,
                        t.tier,
                        t.regions.join(","),
                        t.namespace
                    ));
                }
                for d in &s.deployments {
                    text.push_str(&format!(
                        "  deployed     web 1.0.0 of {} to {} ({})\n",
                        d.tenant, d.cluster, d.region
                    ));
                }
                text.push_str(&format!(
                    "  DENIED       {} into {}: {}\n               decision {}\n",
                    s.deny.tenant, s.deny.cluster, s.deny.message, s.deny.decision_id
                ));
                text.push_str(&format!(
                    "  signals      {} commits of trial-prod mined from {}\n  alerts       {} from {} ({} root logins)\n",
                    s.signals.commits,
                    s.signals.repo,
                    s.signals.alerts,
                    s.signals.auth_log,
                    s.signals.root_logins
                ));
                let costs: Vec<String> = s
                    .cost
                    .per_tenant
                    .iter()
                    .map(|(t, c)| format!("{t} {c} USD"))
                    .collect();
                text.push_str(&format!(
                    "  cost         {} (from {})\n  perf         {}\n",
                    costs.join(", "),
                    s.cost.billing,
                    if s.cost.perf_breaches.is_empty() {
                        "within budget and baseline".to_string()
                    } else {
                        format!(
                            "{} warnings: {}",
                            s.cost.perf_breaches.len(),
                            s.cost.perf_breaches.join("; ")
                        )
                    }
                ));
                for p in &s.packs {
                    text.push_str(&format!("  pack         {} (verified)\n", p.path));
                }
                text.push_str(&format!(
                    "  audit chain  {}\n\nTry next:\n",
                    if s.audit_ok { "intact" } else { "BROKEN" }
                ));
                for n in &s.next {
                    text.push_str(&format!("  {n}\n"));
                }
                if let Some(contact) = &s.support {
                    text.push_str(&format!("\nSupport: {contact}\n"));
                }
                printer.raw(&text)?;
                Ok(ExitStatus::Ok)
            }
            TrialCommand::Down(a) => {
                super::confirm::confirm(
                    &format!("removing `{}`", a.dir.display()),
                    &format!(
                        "Remove the trial environment `{}` (its state, keys and packs)?",
                        a.dir.display()
                    ),
                    a.yes,
                )?;
                let r = trial::down(&a.dir, settings.clock)?;
                print_teardown(printer, &r)
            }
        }
    }
}

fn print_teardown(printer: Printer, r: &trial::TeardownRecord) -> anyhow::Result<ExitStatus> {
    printer.data(r, || {
        Table::record(vec![
            ("removed", r.dir.clone()),
            ("tenants", r.tenants.join(",")),
            (
                "final_audit_head",
                r.final_audit_head.clone().unwrap_or_default(),
            ),
            ("audit_events", r.audit_events.to_string()),
            ("record", r.record.clone()),
        ])
    })?;
    Ok(ExitStatus::Ok)
}
