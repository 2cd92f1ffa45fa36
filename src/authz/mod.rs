//! Authorization in one place: who may do what, asked of the Rego policy `maestro.abac`
//! (`policies/abac.rego`) before every mutating command and every tenant-scoped read.
//!
//! - [`Action`]: what is asked for, named as the command the operator typed;
//! - [`check`] / [`read_scope`]: before a read or a change, a denial recorded and returned;
//! - [`allows`]: whether a read may show more (`status`'s adapter errors), nothing recorded;
//! - [`guarded_write`]: a change in one transaction with its allowing decision;
//! - `decide`: the decision itself, remembered across processes (`policy::cache`);
//! - `abac`: the questions to `maestro.abac`, asked of the command's engine (`Context::abac`).
//!
//! Roles:
//! - `platform-admin`: everything (decisions flagged `audit`).
//! - `tenant-admin` of T: read, update T; grant `tenant-admin`/`viewer` of T; run flows and
//!   deploy for T; read T's audit and decisions.
//! - `viewer` of T: read T, its principals, its runs, its audit events and decisions.
//! - anyone else, or a principal that is not registered: nothing.

mod abac;
mod decide;
mod guard;

pub use decide::{authorize, decide, visible_tenants};
pub use guard::{
    Refusal, allows, bootstrap, check, guarded_read, guarded_write, log_denial, read_scope,
    record_denial,
};

use serde::Serialize;

use crate::model::ids::{InvalidId, PrincipalId, TenantId};
use crate::model::tenant::Role;
use crate::model::{Diagnostic, ExitStatus};
use crate::store::StoreError;

/// The acting principal, required by every mutating command and tenant-scoped read.
pub fn actor(ctx: &crate::context::Context) -> Result<PrincipalId, AuthzError> {
    Ok(ctx.actor()?)
}

/// Why an action was not authorized, or could not be asked about.
#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Invalid(#[from] InvalidId),
    #[error(transparent)]
    NoActor(#[from] crate::context::NoActor),
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("policy engine: {0}")]
    Policy(String),
}

/// A failure to log a decision: the state's own error when the store failed (a read-only or
/// full state is not the policy engine's fault), else the engine's.
impl From<crate::policy::PolicyError> for AuthzError {
    fn from(e: crate::policy::PolicyError) -> Self {
        match e {
            crate::policy::PolicyError::Store(e) => AuthzError::Store(e),
            other => AuthzError::Policy(other.to_string()),
        }
    }
}

impl Diagnostic for AuthzError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            AuthzError::Denied(_) => ExitStatus::Denied,
            _ => ExitStatus::Error,
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            AuthzError::Store(e) => e.help(),
            AuthzError::Invalid(e) if e.kind == "tenant id" => {
                Some(crate::model::ids::TENANT_ID_HELP.into())
            }
            AuthzError::Invalid(e) => e.help(),
            AuthzError::NoActor(e) => e.help(),
            AuthzError::Denied(d) => d.help(),
            AuthzError::Policy(_) => {
                Some("check the policies with `maestro-cli policy:test`".into())
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TenantCreate,
    TenantRead,
    TenantUpdate,
    TenantDelete,
    /// Granting a role to a principal.
    PrincipalGrant(Role),
    /// Revoking a role from a principal.
    PrincipalRevoke(Role),
    PrincipalList,
    AuditRead,
    /// Signing a checkpoint of the audit log's Merkle tree (platform-admin).
    AuditCheckpoint,
    /// Running a flow (for a tenant: its tenant-admin; without one: platform-admin).
    FlowRun,
    /// Reading runs, their status and logs.
    FlowRead,
    /// Recording a deployment of a tenant's service.
    Deploy,
    /// Asking for a policy decision, reading the decision log.
    PolicyRead,
    /// Re-checking the whole platform against the policies.
    PolicyDrift,
    /// Exporting a tenant's disclosure pack.
    PackExport,
    /// Mining commit signals of a tenant's repositories (platform-wide: platform-admin).
    SignalsMine,
    /// Reading commit signals.
    SignalsRead,
    /// Reading security alerts.
    SignalsAlerts,
    /// Ingesting billing data (platform-wide: platform-admin).
    CostIngest,
    /// Reading cost reports.
    CostRead,
    /// Ingesting request logs (platform-wide: platform-admin).
    PerfIngest,
    /// Setting a performance baseline (for a tenant: its tenant-admin).
    PerfBaseline,
    /// Checking performance against budgets and baselines.
    PerfRead,
    /// Exporting a Grafana dashboard (of one tenant: its viewer; of all: platform-admin).
    DashboardExport,
    /// Queueing a dashboard for Grafana (platform-admin).
    DashboardPublish,
    /// Queueing the IntelGraph schema, exporting the graph's statements (platform-admin).
    GraphSchema,
    GraphExport,
    /// Delivering the outbox to remote backends, and managing its dead letters.
    Sync,
}

impl Action {
    /// The command that asks for this, as the operator typed it.
    pub fn command(self) -> &'static str {
        match self {
            Action::TenantCreate => "tenant:create",
            Action::TenantRead => "tenant:show",
            Action::TenantUpdate => "tenant:update",
            Action::TenantDelete => "tenant:delete",
            Action::PrincipalGrant(_) => "user:add",
            Action::PrincipalRevoke(_) => "user:remove",
            Action::PrincipalList => "user:list",
            Action::AuditRead => "audit:log",
            Action::AuditCheckpoint => "audit:checkpoint",
            Action::FlowRun => "flow:run",
            Action::FlowRead => "flow:status",
            Action::Deploy => "deploy",
            Action::PolicyRead => "policy:log",
            Action::PolicyDrift => "policy:drift",
            Action::PackExport => "pack:export",
            Action::SignalsMine => "signals:mine",
            Action::SignalsRead => "signals:report",
            Action::SignalsAlerts => "signals:alerts",
            Action::CostIngest => "cost:ingest",
            Action::CostRead => "cost:report",
            Action::PerfIngest => "perf:ingest",
            Action::PerfBaseline => "perf:baseline",
            Action::PerfRead => "perf:check",
            Action::DashboardExport => "dashboard:export",
            Action::DashboardPublish => "dashboard:publish",
            Action::GraphSchema => "intelgraph:schema",
            Action::GraphExport => "intelgraph:export",
            Action::Sync => "sync",
        }
    }

    /// The action's name in `maestro.abac` (granting platform-admin is its own action).
    pub fn policy_action(self) -> &'static str {
        match self {
            Action::PrincipalGrant(Role::PlatformAdmin) => "user:add-platform-admin",
            Action::PrincipalRevoke(Role::PlatformAdmin) => "user:remove-platform-admin",
            other => other.command(),
        }
    }
}

/// A refusal: who, what, on which tenant, and why. Exit code 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("denied: `{actor}` may not run `{command}`{}: {}", tenant.as_ref().map(|t| format!(" on tenant `{t}`")).unwrap_or_default(), reasons.join("; "))]
pub struct Denied {
    pub actor: PrincipalId,
    pub command: &'static str,
    pub tenant: Option<TenantId>,
    pub reasons: Vec<String>,
    /// What the policy was asked, for the decision log.
    #[serde(skip)]
    pub input: serde_json::Value,
}

impl Diagnostic for Denied {
    fn exit_status(&self) -> ExitStatus {
        ExitStatus::Denied
    }
    fn help(&self) -> Option<String> {
        Some("a platform admin can grant a role with `maestro-cli user:add EMAIL --role tenant-admin --tenant TENANT`".into())
    }
}
