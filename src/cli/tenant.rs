//! `tenant:create`, `tenant:list`, `tenant:show`, `tenant:update`, `tenant:delete`,
//! `tenant:manifests`.

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{OutputFormat, Table};
use crate::model::ExitStatus;
use crate::tenant::{Tenant, Tier, ops};

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant with its isolation boundary and its admin
    #[command(
        name = "tenant:create",
        after_help = "Example:\n  maestro-cli tenant:create acme --name \"Acme Corp\" --regions eu-west-1,eu-central-1 \\\n      --tier prod --admin alice@acme.example"
    )]
    Create(CreateArgs),
    /// List tenants (those the actor may see)
    #[command(
        name = "tenant:list",
        after_help = "Example:\n  maestro-cli tenant:list --all --output csv"
    )]
    List(ListArgs),
    /// Show one tenant
    #[command(
        name = "tenant:show",
        after_help = "Example:\n  maestro-cli tenant:show acme --output json"
    )]
    Show(IdArg),
    /// Change a tenant's name, tier or allowed regions (audited with old and new values)
    #[command(
        name = "tenant:update",
        after_help = "Example:\n  maestro-cli tenant:update acme --regions eu-west-1,eu-central-1,us-east-1"
    )]
    Update(UpdateArgs),
    /// Mark a tenant deleted (its data is kept)
    #[command(
        name = "tenant:delete",
        after_help = "Example:\n  maestro-cli tenant:delete acme"
    )]
    Delete(DeleteArgs),
    /// Print a tenant's isolation boundary as Kubernetes manifests
    #[command(
        name = "tenant:manifests",
        after_help = "Example:\n  maestro-cli tenant:manifests acme | kubectl apply -f -"
    )]
    Manifests(IdArg),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Tenant id: a DNS label (lowercase letters, digits, `-`; 1-63 characters)
    pub id: String,
    /// Display name [default: the id]
    #[arg(long)]
    pub name: Option<String>,
    /// Allowed regions, comma-separated ids of the catalogue; `*` for a dev tenant
    #[arg(long, value_name = "REGIONS")]
    pub regions: String,
    /// Tier: prod gets a strict allowlist and larger quota
    #[arg(long, value_enum, default_value_t = Tier::Prod)]
    pub tier: Tier,
    /// The tenant's first admin (gets role tenant-admin of this tenant)
    #[arg(long, value_name = "EMAIL")]
    pub admin: String,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include deleted tenants
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// Tenant id
    pub id: String,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Tenant id
    pub id: String,
    /// Do not ask (needed where there is no terminal to ask on)
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Tenant id
    pub id: String,
    /// New display name
    #[arg(long)]
    pub name: Option<String>,
    /// New allowed regions (replaces the list)
    #[arg(long, value_name = "REGIONS")]
    pub regions: Option<String>,
    /// New tier
    #[arg(long, value_enum)]
    pub tier: Option<Tier>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

impl TenantCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            TenantCommand::Create(a) => a.dry_run,
            TenantCommand::Update(a) => a.dry_run,
            TenantCommand::Delete(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let mut ctx = if matches!(
            self,
            TenantCommand::List(_) | TenantCommand::Show(_) | TenantCommand::Manifests(_)
        ) {
            settings.read_context()?
        } else {
            settings.context()?
        };
        let printer = settings.printer;
        match self {
            TenantCommand::Create(a) => {
                // A run of the built-in `new-tenant` flow; same checks, output plus the run id.
                let created = crate::ops::tenant::create(
                    &mut ctx,
                    &ops::CreateOptions {
                        id: a.id,
                        name: a.name,
                        tier: a.tier,
                        regions: a.regions,
                        admin: a.admin,
                    },
                )?;
                if !(printer.quiet && printer.format.is_table()) {
                    printer.data(&created, || {
                        let mut t = tenant_record(&created.tenant);
                        t.headers.push("run_id");
                        t.rows[0].push(created.run_id.clone());
                        t
                    })?;
                }
                printer.note(&format!(
                    "tenant `{}` created (run {})",
                    created.tenant.id, created.run_id
                ));
            }
            TenantCommand::List(a) => {
                let tenants = ops::list(&mut ctx, a.all)?;
                printer.data(&tenants, || {
                    let mut t = Table::new(vec![
                        "id",
                        "name",
                        "tier",
                        "regions",
                        "status",
                        "namespace",
                        "admins",
                    ]);
                    for x in &tenants {
                        t.push(vec![
                            x.id.to_string(),
                            x.name.clone(),
                            x.tier.to_string(),
                            x.regions.to_string(),
                            x.status.as_str().into(),
                            x.namespace.clone(),
                            join(&x.admins),
                        ]);
                    }
                    t
                })?;
            }
            TenantCommand::Show(a) => {
                let tenant = ops::show(&mut ctx, &a.id)?;
                printer.data(&tenant, || tenant_record(&tenant))?;
            }
            TenantCommand::Update(a) => {
                let tenant = ops::update(
                    &mut ctx,
                    &ops::UpdateOptions {
                        id: a.id,
                        name: a.name,
                        tier: a.tier,
                        regions: a.regions,
                    },
                )?;
                print_tenant(settings, &tenant, "updated")?;
            }
            TenantCommand::Delete(a) => {
                let id = crate::model::ids::TenantId::parse(&a.id)?;
                super::confirm::confirm(
                    &format!("deleting tenant `{id}`"),
                    &format!("Mark tenant `{id}` deleted (its data is kept, its admins lose it)?"),
                    a.yes || settings.printer.dry_run,
                )?;
                let tenant = ops::delete(&mut ctx, &a.id)?;
                print_tenant(settings, &tenant, "deleted (data kept)")?;
            }
            TenantCommand::Manifests(a) => {
                let b = ops::manifests(&mut ctx, &a.id)?;
                match printer.format {
                    OutputFormat::Table | OutputFormat::Wide => printer.raw(&b.manifests)?,
                    _ => printer.data(&b, || {
                        Table::record(vec![
                            ("tenant_id", b.tenant_id.to_string()),
                            ("namespace", b.namespace.clone()),
                            ("sha256", b.sha256.clone()),
                            ("rendered_at", b.rendered_at.clone()),
                            ("manifests", b.manifests.clone()),
                        ])
                    })?,
                }
            }
        }
        Ok(ExitStatus::Ok)
    }
}

/// After a change: the tenant as data (quiet in table format), and a note on stderr.
fn print_tenant(settings: &Settings, tenant: &Tenant, what: &str) -> anyhow::Result<()> {
    let printer = settings.printer;
    if !(printer.quiet && printer.format.is_table()) {
        printer.data(tenant, || tenant_record(tenant))?;
    }
    printer.note(&format!("tenant `{}` {what}", tenant.id));
    Ok(())
}

fn tenant_record(t: &Tenant) -> Table {
    Table::record(vec![
        ("id", t.id.to_string()),
        ("name", t.name.clone()),
        ("tier", t.tier.to_string()),
        ("regions", t.regions.to_string()),
        ("status", t.status.as_str().into()),
        ("namespace", t.namespace.clone()),
        ("admins", join(&t.admins)),
        ("created_at", t.created_at.clone()),
        ("updated_at", t.updated_at.clone()),
    ])
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
