//! Who may do what. One pure function, [`decide`], over the actor's role bindings; the
//! governance issue (#4) replaces it with the Rego policy engine behind the same call.
//!
//! - `platform-admin`: everything.
//! - `tenant-admin` of T: read, update T; grant `tenant-admin`/`viewer` of T; read T's audit.
//! - `viewer` of T: read T, its principals and its audit events.
//! - anyone else, or a principal that is not registered: nothing.

use serde::Serialize;

use super::Role;
use crate::exit::{Diagnostic, ExitStatus};
use crate::ids::{PrincipalId, TenantId};
use crate::store::RoleBinding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TenantCreate,
    TenantRead,
    TenantUpdate,
    TenantDelete,
    /// Granting a role to a principal.
    PrincipalGrant(Role),
    PrincipalList,
    AuditRead,
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
            Action::PrincipalList => "user:list",
            Action::AuditRead => "audit:log",
            Action::FlowRun => "flow:run",
            Action::FlowRead => "flow:status",
            Action::Deploy => "deploy",
            Action::PolicyRead => "policy:log",
            Action::PolicyDrift => "policy:drift",
        }
    }

    /// The least role of the tenant that allows this; `None`: platform-admin only.
    fn needs(self) -> Option<Role> {
        match self {
            Action::TenantCreate | Action::TenantDelete => None,
            Action::PrincipalGrant(Role::PlatformAdmin) => None,
            Action::TenantUpdate | Action::PrincipalGrant(_) | Action::FlowRun | Action::Deploy => {
                Some(Role::TenantAdmin)
            }
            Action::PolicyDrift => None,
            Action::TenantRead
            | Action::PrincipalList
            | Action::AuditRead
            | Action::FlowRead
            | Action::PolicyRead => {
                Some(Role::Viewer)
            }
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
}

impl Diagnostic for Denied {
    fn exit_status(&self) -> ExitStatus {
        ExitStatus::Denied
    }
    fn help(&self) -> Option<String> {
        Some("a platform admin can grant a role with `maestro-cli user:add EMAIL --role tenant-admin --tenant TENANT`".into())
    }
}

/// Decides whether `actor`, holding `bindings`, may perform `action` on `tenant`
/// (`None`: not about one tenant). `Err` carries the reasons for a denial.
pub fn decide(
    actor: &PrincipalId,
    bindings: &[RoleBinding],
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(), Denied> {
    let deny = |reason: String| Denied {
        actor: actor.clone(),
        command: action.command(),
        tenant: tenant.cloned(),
        reasons: vec![reason],
    };
    if bindings.is_empty() {
        return Err(deny(format!("`{actor}` holds no role")));
    }
    if bindings.iter().any(|b| b.role == Role::PlatformAdmin) {
        return Ok(());
    }
    let held = describe(bindings);
    let Some(least) = action.needs() else {
        return Err(deny(format!(
            "it needs the platform-admin role; `{actor}` is {held}"
        )));
    };
    let Some(tenant) = tenant else {
        return Err(deny(format!(
            "it needs the platform-admin role when no tenant is named; `{actor}` is {held}"
        )));
    };
    // Roles are ordered from most to least powerful, so `b.role <= least` is "at least".
    let allowed = bindings
        .iter()
        .any(|b| b.tenant.as_ref() == Some(tenant) && b.role <= least);
    if allowed {
        Ok(())
    } else {
        Err(deny(format!(
            "it needs {} of `{tenant}`; `{actor}` is {held}",
            if least == Role::Viewer {
                "viewer or tenant-admin"
            } else {
                "tenant-admin"
            }
        )))
    }
}

/// The tenants whose data `bindings` may read; `None` means every tenant (platform admin).
pub fn visible_tenants(bindings: &[RoleBinding]) -> Option<Vec<TenantId>> {
    if bindings.iter().any(|b| b.role == Role::PlatformAdmin) {
        return None;
    }
    let mut tenants: Vec<TenantId> = bindings.iter().filter_map(|b| b.tenant.clone()).collect();
    tenants.sort();
    tenants.dedup();
    Some(tenants)
}

fn describe(bindings: &[RoleBinding]) -> String {
    let parts: Vec<String> = bindings
        .iter()
        .map(|b| match &b.tenant {
            Some(t) => format!("{} of `{t}`", b.role),
            None => b.role.to_string(),
        })
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(role: Role, tenant: Option<&str>) -> RoleBinding {
        RoleBinding {
            principal: PrincipalId::parse("p@x.example").unwrap(),
            role,
            tenant: tenant.map(|t| TenantId::parse(t).unwrap()),
            created_at: String::new(),
        }
    }

    #[test]
    fn decision_table() {
        let actor = PrincipalId::parse("p@x.example").unwrap();
        let acme = TenantId::parse("acme").unwrap();
        let globex = TenantId::parse("globex").unwrap();
        let platform = [binding(Role::PlatformAdmin, None)];
        let admin_acme = [binding(Role::TenantAdmin, Some("acme"))];
        let viewer_acme = [binding(Role::Viewer, Some("acme"))];
        use Action::*;
        let cases: &[(&[RoleBinding], Action, Option<&TenantId>, bool)] = &[
            (&platform, TenantCreate, Some(&acme), true),
            (&platform, TenantDelete, Some(&acme), true),
            (&platform, AuditRead, None, true),
            (&admin_acme, TenantUpdate, Some(&acme), true),
            (&admin_acme, TenantUpdate, Some(&globex), false),
            (&admin_acme, TenantRead, Some(&acme), true),
            (&admin_acme, TenantRead, Some(&globex), false),
            (&admin_acme, TenantCreate, Some(&acme), false),
            (&admin_acme, TenantDelete, Some(&acme), false),
            (&admin_acme, PrincipalGrant(Role::Viewer), Some(&acme), true),
            (
                &admin_acme,
                PrincipalGrant(Role::TenantAdmin),
                Some(&acme),
                true,
            ),
            (
                &admin_acme,
                PrincipalGrant(Role::PlatformAdmin),
                None,
                false,
            ),
            (
                &admin_acme,
                PrincipalGrant(Role::Viewer),
                Some(&globex),
                false,
            ),
            (&admin_acme, AuditRead, None, false),
            (&viewer_acme, TenantRead, Some(&acme), true),
            (&viewer_acme, AuditRead, Some(&acme), true),
            (&viewer_acme, TenantUpdate, Some(&acme), false),
            (
                &viewer_acme,
                PrincipalGrant(Role::Viewer),
                Some(&acme),
                false,
            ),
            (&[], TenantRead, Some(&acme), false),
        ];
        for (bindings, action, tenant, expected) in cases {
            let got = decide(&actor, bindings, *action, *tenant).is_ok();
            assert_eq!(got, *expected, "{bindings:?} {action:?} {tenant:?}");
        }
    }

    #[test]
    fn denial_names_actor_command_tenant_and_reason() {
        let actor = PrincipalId::parse("alice@acme.example").unwrap();
        let globex = TenantId::parse("globex").unwrap();
        let err = decide(
            &actor,
            &[binding(Role::TenantAdmin, Some("acme"))],
            Action::TenantUpdate,
            Some(&globex),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "denied: `alice@acme.example` may not run `tenant:update` on tenant `globex`: it needs tenant-admin of `globex`; `alice@acme.example` is tenant-admin of `acme`"
        );
    }
}
