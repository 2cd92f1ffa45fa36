//! Who may do what: [`decide`] asks the Rego policy `maestro.abac` (`policies/abac.rego`)
//! about the actor's role bindings. [`authorize`] does the same inside a write transaction
//! and logs the allowing decision with the change; a denial is logged by `ops::record_denial`.
//!
//! - `platform-admin`: everything (decisions flagged `audit`).
//! - `tenant-admin` of T: read, update T; grant `tenant-admin`/`viewer` of T; run flows and
//!   deploy for T; read T's audit and decisions.
//! - `viewer` of T: read T, its principals, its runs, its audit events and decisions.
//! - anyone else, or a principal that is not registered: nothing.

use serde::Serialize;

use super::Role;
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::{Diagnostic, ExitStatus};
use crate::store::RoleBinding;

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

/// The input `maestro.abac` gets.
fn input(
    actor: &PrincipalId,
    bindings: &[RoleBinding],
    action: Action,
    tenant: Option<&TenantId>,
) -> serde_json::Value {
    serde_json::json!({
        "actor": actor,
        "action": action.policy_action(),
        "tenant": tenant,
        "roles": bindings.iter().map(|b| serde_json::json!({"role": b.role, "tenant": b.tenant})).collect::<Vec<_>>(),
    })
}

/// Decides whether `actor`, holding `bindings`, may perform `action` on `tenant`
/// (`None`: not about one tenant). `Err` carries the policy's reasons. An engine failure
/// denies (fail closed).
pub fn decide(
    db: &crate::store::Db<'_>,
    actor: &PrincipalId,
    bindings: &[RoleBinding],
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(), Denied> {
    decide_with_input(db, actor, bindings, action, tenant).map(|_| ())
}

fn decide_with_input(
    db: &crate::store::Db<'_>,
    actor: &PrincipalId,
    bindings: &[RoleBinding],
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(serde_json::Value, crate::policy::Decision), Denied> {
    let input = input(actor, bindings, action, tenant);
    let deny = |reasons: Vec<String>, input: serde_json::Value| Denied {
        actor: actor.clone(),
        command: action.command(),
        tenant: tenant.cloned(),
        reasons,
        input,
    };
    match crate::policy::abac::decide(db, &input) {
        Ok(d) if d.allow => Ok((input, d)),
        Ok(d) if d.deny.is_empty() => {
            Err(deny(vec!["the ABAC policy gave no allow".into()], input))
        }
        Ok(d) => Err(deny(d.deny, input)),
        Err(e) => Err(deny(
            vec![format!("the ABAC policy could not decide: {e}")],
            input,
        )),
    }
}

/// Authorizes inside a write transaction and logs the allowing decision with the change.
pub fn authorize(
    db: &crate::store::Db<'_>,
    clock: &crate::model::clock::Clock,
    actor: &PrincipalId,
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(), super::TenantError> {
    let bindings = db.principals().roles_of(actor)?;
    let (input, decision) = decide_with_input(db, actor, &bindings, action, tenant)?;
    crate::policy::abac::record(db, clock, actor, tenant, &input, &decision)
        .map_err(|e| super::TenantError::Policy(e.to_string()))
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
        // Twice: evaluated, then (the decisions written as a logged one would write them)
        // read back from the decision cache, with the same answers.
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open(&dir.path().join("state.db")).unwrap();
        for pass in ["evaluated", "remembered"] {
            for (bindings, action, tenant, expected) in cases {
                let got = decide(&store.read(), &actor, bindings, *action, *tenant).is_ok();
                assert_eq!(got, *expected, "{pass}: {bindings:?} {action:?} {tenant:?}");
            }
            store.write(crate::policy::cache::flush).unwrap();
        }
        let distinct: std::collections::BTreeSet<String> = cases
            .iter()
            .map(|(b, a, t, _)| input(&actor, b, *a, *t).to_string())
            .collect();
        let remembered = store.read().decision_cache().count().unwrap();
        assert_eq!(remembered, distinct.len() as i64);
    }

    #[test]
    fn denial_names_actor_command_tenant_and_reason() {
        let actor = PrincipalId::parse("alice@acme.example").unwrap();
        let globex = TenantId::parse("globex").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("state.db")).unwrap();
        let err = decide(
            &store.read(),
            &actor,
            &[binding(Role::TenantAdmin, Some("acme"))],
            Action::TenantUpdate,
            Some(&globex),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "denied: `alice@acme.example` may not run `tenant:update` on tenant `globex`: it needs tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`"
        );
    }
}
