//! The ABAC decision: [`decide`] asks `maestro.abac` about the actor's role bindings;
//! [`authorize`] does the same inside a write transaction and logs the allowing decision with
//! the change.

use super::{Action, AuthzError, Denied, abac};
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::tenant::Role;
use crate::policy::LazyGovernance;
use crate::store::{Db, RoleBinding};

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
    abac: &LazyGovernance,
    db: &Db<'_>,
    actor: &PrincipalId,
    bindings: &[RoleBinding],
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(), Denied> {
    decide_with_input(abac, db, actor, bindings, action, tenant).map(|_| ())
}

fn decide_with_input(
    abac: &LazyGovernance,
    db: &Db<'_>,
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
    match abac::decide(abac, db, &input) {
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
    abac: &LazyGovernance,
    db: &Db<'_>,
    clock: &Clock,
    actor: &PrincipalId,
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<(), AuthzError> {
    let bindings = db.principals().roles_of(actor)?;
    let (input, decision) = decide_with_input(abac, db, actor, &bindings, action, tenant)?;
    abac::record(abac, db, clock, actor, tenant, &input, &decision).map_err(AuthzError::from)
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
        let abac = LazyGovernance::new(crate::policy::Bundle::builtin().unwrap());
        for pass in ["evaluated", "remembered"] {
            for (bindings, action, tenant, expected) in cases {
                let got = decide(&abac, &store.read(), &actor, bindings, *action, *tenant).is_ok();
                assert_eq!(got, *expected, "{pass}: {bindings:?} {action:?} {tenant:?}");
            }
            store
                .write(|db| abac.with(|g| Ok(g.unwritten.flush(db)?)))
                .unwrap();
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
        let abac = LazyGovernance::new(crate::policy::Bundle::builtin().unwrap());
        let err = decide(
            &abac,
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
