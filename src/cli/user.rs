//! `init`, `user:add`, `user:remove`, `user:list`.

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::Table;
use crate::model::ExitStatus;
use crate::tenant::{Role, users};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Grant a role to a principal (created if new)
    #[command(
        name = "user:add",
        after_help = "Examples:\n  maestro-cli user:add bob@acme.example --role viewer --tenant acme\n  maestro-cli user:add carol@example.com --role platform-admin"
    )]
    Add(AddArgs),
    /// Revoke a role from a principal (a tenant admin: roles of their tenant)
    #[command(
        name = "user:remove",
        after_help = "Examples:\n  maestro-cli user:remove bob@acme.example --role viewer --tenant acme\n  maestro-cli user:remove carol@example.com --role platform-admin"
    )]
    Remove(RemoveArgs),
    /// List principals and their roles (those the actor may see)
    #[command(
        name = "user:list",
        after_help = "Example:\n  maestro-cli user:list --tenant acme --output json"
    )]
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The principal, an e-mail-like id
    pub email: String,
    /// The role to grant
    #[arg(long, value_enum)]
    pub role: Role,
    /// The tenant the role is for (tenant-admin, viewer)
    #[arg(long)]
    pub tenant: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub grant: AddArgs,
    /// Do not ask before revoking an admin role (needed where there is no terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the roles of this tenant
    #[arg(long)]
    pub tenant: Option<String>,
}

impl AddArgs {
    fn options(&self) -> users::AddOptions {
        users::AddOptions {
            principal: self.email.clone(),
            role: self.role,
            tenant: self.tenant.clone(),
        }
    }
}

impl UserCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            UserCommand::Add(a) => a.dry_run,
            UserCommand::Remove(a) => a.grant.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let mut ctx = if matches!(self, UserCommand::List(_)) {
            settings.read_context()?
        } else {
            settings.context()?
        };
        let printer = settings.printer;
        let listed_change = !matches!(self, UserCommand::List(_));
        let bindings = match self {
            UserCommand::Add(a) => {
                let binding = users::add(&mut ctx, &a.options())?;
                printer.note(&format!(
                    "granted {} to `{}`",
                    binding.role, binding.principal
                ));
                vec![binding]
            }
            UserCommand::Remove(RemoveArgs { grant: a, yes }) => {
                if matches!(a.role, Role::PlatformAdmin | Role::TenantAdmin) {
                    let of = a
                        .tenant
                        .as_deref()
                        .map(|t| format!(" of `{t}`"))
                        .unwrap_or_default();
                    super::confirm::confirm(
                        &format!("revoking {}{of} from `{}`", a.role, a.email),
                        &format!("Revoke {}{of} from `{}`?", a.role, a.email),
                        yes || settings.printer.dry_run,
                    )?;
                }
                let binding = users::remove(&mut ctx, &a.options())?;
                printer.note(&format!(
                    "revoked {} from `{}`",
                    binding.role, binding.principal
                ));
                vec![binding]
            }
            UserCommand::List(a) => users::list(&mut ctx, a.tenant.as_deref())?,
        };
        // A grant or revocation said its note; quiet, its table is left out too.
        if listed_change && printer.quiet && printer.format.is_table() {
            return Ok(ExitStatus::Ok);
        }
        printer.data(&bindings, || {
            let mut t = Table::new(vec!["principal", "role", "tenant", "created_at"]);
            for b in &bindings {
                t.push(vec![
                    b.principal.to_string(),
                    b.role.to_string(),
                    b.tenant.as_ref().map_or("*".into(), |t| t.to_string()),
                    b.created_at.clone(),
                ]);
            }
            t
        })?;
        Ok(ExitStatus::Ok)
    }
}

pub fn init(settings: &Settings) -> anyhow::Result<ExitStatus> {
    let mut ctx = settings.context()?;
    let outcome = users::init(&mut ctx)?;
    let printer = settings.printer;
    if outcome.created {
        printer.note(&format!(
            "initialised `{}`; `{}` is its platform admin",
            outcome.state,
            outcome
                .platform_admins
                .first()
                .map(|p| p.as_str())
                .unwrap_or("")
        ));
    } else {
        printer.note(&format!(
            "`{}` is already initialised; nothing changed",
            outcome.state
        ));
    }
    if !(printer.quiet && printer.format.is_table()) {
        printer.data(&outcome, || {
            Table::record(vec![
                ("state", outcome.state.clone()),
                ("schema_version", outcome.schema_version.to_string()),
                ("created", outcome.created.to_string()),
                (
                    "platform_admins",
                    outcome
                        .platform_admins
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ])
        })?;
    }
    Ok(ExitStatus::Ok)
}
