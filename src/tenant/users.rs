//! Principals and their roles: `init`, `user:add`, `user:list`.

use serde::Serialize;
use serde_json::json;

use super::ops::{load, refresh_boundary};
use super::{Role, TenantError, TenantStatus};
use crate::audit::{self, NewEvent};
use crate::authz::Action;
use crate::authz::{bootstrap, guarded_write, read_scope};
use crate::context::Context;
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::{Db, RoleBinding};

/// What `init` found or did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InitOutcome {
    /// Whether this call created the first platform admin.
    pub created: bool,
    pub state: String,
    pub schema_version: i64,
    pub platform_admins: Vec<PrincipalId>,
}

/// Initializes the state: the actor becomes its first platform admin. Idempotent: on a state
/// that already has principals it changes nothing and reports the platform admins.
pub fn init(ctx: &mut Context) -> Result<InitOutcome, TenantError> {
    let actor = crate::authz::actor(ctx)?;
    let clock = ctx.clock;
    let created = ctx.store.write(|db| {
        if db.principals().count()? > 0 {
            return Ok::<_, TenantError>(false);
        }
        bootstrap(db, &clock, &actor)?;
        Ok(true)
    })?;
    let mut platform_admins: Vec<PrincipalId> = ctx
        .store
        .read()
        .principals()
        .list(None)?
        .into_iter()
        .filter(|b| b.role == Role::PlatformAdmin)
        .map(|b| b.principal)
        .collect();
    platform_admins.dedup();
    Ok(InitOutcome {
        created,
        state: ctx.store.path().display().to_string(),
        schema_version: ctx.store.schema_version()?,
        platform_admins,
    })
}

#[derive(Debug, Clone)]
pub struct AddOptions {
    pub principal: String,
    pub role: Role,
    pub tenant: Option<String>,
}

/// Grants a role, audited. A tenant-admin may grant tenant-admin or viewer of their tenant.
pub fn add(ctx: &mut Context, opts: &AddOptions) -> Result<RoleBinding, TenantError> {
    let principal = PrincipalId::parse(&opts.principal)?;
    let role = opts.role;
    let tenant = opts.tenant.as_deref().map(TenantId::parse).transpose()?;
    match (role, &tenant) {
        (Role::PlatformAdmin, Some(_)) => {
            return Err(TenantError::BadRole(
                "role platform-admin is platform-wide: drop --tenant".into(),
            ));
        }
        (Role::TenantAdmin | Role::Viewer, None) => {
            return Err(TenantError::BadRole(format!(
                "role {role} is held for one tenant: add --tenant TENANT"
            )));
        }
        _ => {}
    }
    let now = ctx.clock.now_rfc3339();
    let clock = ctx.clock;
    guarded_write(
        ctx,
        Action::PrincipalGrant(role),
        tenant.as_ref(),
        |db, actor| {
            if let Some(t) = &tenant {
                let found = load(db, t)?;
                if found.status == TenantStatus::Deleted {
                    return Err(TenantError::Deleted(t.clone()));
                }
            }
            db.principals().ensure(&principal, &now)?;
            if !db
                .principals()
                .bind(&principal, role, tenant.as_ref(), &now)?
            {
                return Err(TenantError::AlreadyBound {
                    principal: principal.clone(),
                    role,
                    tenant: tenant.clone(),
                });
            }
            let binding = RoleBinding {
                principal: principal.clone(),
                role,
                tenant: tenant.clone(),
                created_at: now.clone(),
            };
            record(db, &clock, actor, "principal.grant", binding)
        },
    )
}

/// After a grant or revocation: the tenant's boundary (its admins) made again when a
/// tenant-admin changed, and the audit event `action`.
fn record(
    db: &Db<'_>,
    clock: &Clock,
    actor: &PrincipalId,
    action: &'static str,
    binding: RoleBinding,
) -> Result<RoleBinding, TenantError> {
    if let (Role::TenantAdmin, Some(t)) = (binding.role, &binding.tenant) {
        refresh_boundary(db, t, &binding.created_at)?;
    }
    audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: binding.tenant.clone(),
            action,
            target: format!("principal/{}", binding.principal),
            details: json!({"role": binding.role, "tenant": binding.tenant}),
        },
    )?;
    Ok(binding)
}

/// Revokes a role, audited. A tenant-admin may revoke roles of their tenant; the last
/// platform admin cannot be removed (nobody could grant it again).
pub fn remove(ctx: &mut Context, opts: &AddOptions) -> Result<RoleBinding, TenantError> {
    let principal = PrincipalId::parse(&opts.principal)?;
    let role = opts.role;
    let tenant = opts.tenant.as_deref().map(TenantId::parse).transpose()?;
    let now = ctx.clock.now_rfc3339();
    let clock = ctx.clock;
    guarded_write(
        ctx,
        Action::PrincipalRevoke(role),
        tenant.as_ref(),
        |db, actor| {
            if role == Role::PlatformAdmin && db.principals().platform_admins()? <= 1 {
                return Err(TenantError::BadRole(format!(
                    "`{principal}` is the last platform admin: grant another one first (`user:add EMAIL --role platform-admin`)"
                )));
            }
            if !db.principals().unbind(&principal, role, tenant.as_ref())? {
                return Err(TenantError::BadRole(format!(
                    "`{principal}` does not hold {role}{}: nothing was changed",
                    tenant
                        .as_ref()
                        .map(|t| format!(" of tenant `{t}`"))
                        .unwrap_or_default()
                )));
            }
            let binding = RoleBinding {
                principal: principal.clone(),
                role,
                tenant: tenant.clone(),
                created_at: now.clone(),
            };
            record(db, &clock, actor, "principal.revoke", binding)
        },
    )
}

/// Role bindings the actor may see, optionally of one tenant.
pub fn list(ctx: &mut Context, tenant: Option<&str>) -> Result<Vec<RoleBinding>, TenantError> {
    let scope = read_scope(ctx, Action::PrincipalList, tenant)?;
    let all = ctx.store.read().principals().list(None)?;
    Ok(all
        .into_iter()
        .filter(|b| match (&scope, &b.tenant) {
            (None, _) => true,
            (Some(ids), Some(t)) => ids.contains(t),
            (Some(_), None) => false,
        })
        .collect())
}
