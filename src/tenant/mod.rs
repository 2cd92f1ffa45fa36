//! Tenants, their isolation boundaries, principals and their roles (the types are in
//! `model::tenant`; who may do what is decided in `crate::authz`).
//!
//! - [`ops`]: the creation's checks and provisioning (`tenant:create` itself runs the
//!   `new-tenant` flow: `ops::tenant`), `update`, `delete`, `show`, `list`,
//!   `manifests`;
//! - [`users`]: `init`, `add`, `list` of principals and their roles;
//! - [`boundary`]: the namespace and Kubernetes manifests of a tenant.

pub mod boundary;
pub mod ops;
pub mod users;

pub use crate::model::tenant::{Boundary, Regions, Role, Tenant, TenantStatus, Tier};

use crate::authz::AuthzError;
use crate::model::ids::{InvalidId, PrincipalId, TENANT_ID_HELP, TenantId};
use crate::model::{Diagnostic, ExitStatus};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Invalid(#[from] InvalidId),
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("tenant `{0}` already exists; nothing was changed")]
    Exists(TenantId),
    /// Another command created the tenant while this one's `new-tenant` run was starting.
    #[error(
        "tenant `{id}` was created by another command meanwhile; run `{run_id}` stopped without changing it"
    )]
    CreatedMeanwhile { id: TenantId, run_id: String },
    #[error("tenant `{0}` does not exist")]
    NotFound(TenantId),
    #[error("tenant `{0}` is deleted")]
    Deleted(TenantId),
    #[error("region `{region}` is not in the catalogue ({catalogue})")]
    UnknownRegion { region: String, catalogue: String },
    #[error("invalid --regions `{value}`: {reason}")]
    BadRegions { value: String, reason: String },
    #[error("invalid tenant name {0:?}: use 1 to 200 printable characters")]
    BadName(String),
    #[error("{0}")]
    BadRole(String),
    #[error("`{principal}` already has role {role}{}", tenant.as_ref().map(|t| format!(" of tenant `{t}`")).unwrap_or_default())]
    AlreadyBound {
        principal: PrincipalId,
        role: Role,
        tenant: Option<TenantId>,
    },
    #[error("nothing to update: give at least one of --name, --regions, --tier")]
    NothingToUpdate,
    #[error("template `{template}`: {problem}")]
    Template { template: String, problem: String },
}

impl crate::authz::Refusal for TenantError {
    fn into_denied(self) -> Result<crate::authz::Denied, Self> {
        match self {
            TenantError::Authz(AuthzError::Denied(d)) => Ok(d),
            other => Err(other),
        }
    }
}

impl Diagnostic for TenantError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            TenantError::Authz(e) => e.exit_status(),
            _ => ExitStatus::Error,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            TenantError::Store(e) => return e.help(),
            TenantError::Invalid(e) if e.kind == "tenant id" => TENANT_ID_HELP.into(),
            TenantError::Invalid(_) => return None,
            TenantError::Authz(e) => return e.help(),
            TenantError::Exists(id) | TenantError::CreatedMeanwhile { id, .. } => format!("see it with `maestro-cli tenant:show {id}`, or choose another id"),
            TenantError::NotFound(_) => "list tenants with `maestro-cli tenant:list --all`".into(),
            TenantError::Deleted(id) => format!("tenant `{id}` was deleted; its data is kept, see `maestro-cli tenant:show {id}`"),
            TenantError::UnknownRegion { .. } => {
                "use a region of the catalogue, or add it under [platform.regions] in maestro.toml".into()
            }
            TenantError::BadRegions { .. } => {
                "for example `--regions eu-west-1,eu-central-1` (a dev tenant may use `--regions '*'`)".into()
            }
            TenantError::BadName(_) | TenantError::BadRole(_) | TenantError::Template { .. } => return None,
            TenantError::AlreadyBound { .. } => "see roles with `maestro-cli user:list`".into(),
            TenantError::NothingToUpdate => {
                "for example `maestro-cli tenant:update acme --regions eu-west-1`".into()
            }
        })
    }
}
