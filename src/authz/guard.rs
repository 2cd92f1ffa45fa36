//! Authorization around a command: asked before a read ([`check`], [`read_scope`]) or inside
//! the write transaction of a change ([`guarded_write`]). A denial rolls the change back and
//! is then recorded on its own ([`record_denial`]): the decision log and the audit chain show
//! every refusal.

use serde_json::json;

use super::{Action, AuthzError, Denied, abac, authorize, decide, visible_tenants};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::tenant::Role;
use crate::policy::LazyGovernance;
use crate::store::{Db, StoreError};

/// An error that may carry an authorization refusal, so that [`guarded_write`] can record it
/// after the refused transaction is rolled back.
pub trait Refusal: From<AuthzError> + From<StoreError> {
    /// The refusal inside, or the error itself when it is something else.
    fn into_denied(self) -> Result<Denied, Self>;
}

impl Refusal for AuthzError {
    fn into_denied(self) -> Result<Denied, Self> {
        match self {
            AuthzError::Denied(d) => Ok(d),
            other => Err(other),
        }
    }
}

/// Makes `actor` the first platform admin of a new state, audited. Call inside a write
/// transaction, only when there are no principals yet.
pub fn bootstrap(db: &Db<'_>, clock: &Clock, actor: &PrincipalId) -> Result<(), AuthzError> {
    let now = clock.now_rfc3339();
    db.principals().ensure(actor, &now)?;
    db.principals()
        .bind(actor, Role::PlatformAdmin, None, &now)?;
    audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: None,
            action: "principal.bootstrap",
            target: format!("principal/{actor}"),
            details: json!({"role": Role::PlatformAdmin, "reason": "first principal of a new state"}),
        },
    )?;
    Ok(())
}

/// Asks the policy whether the actor may do `action` (on `tenant`, or platform-wide), before
/// anything is read or written: a denial is recorded and returned. The allowed decision is
/// logged later, with the change, by [`authorize`].
pub fn check(
    ctx: &mut Context,
    action: Action,
    tenant: Option<&TenantId>,
) -> Result<PrincipalId, AuthzError> {
    let actor = crate::authz::actor(ctx)?;
    let db = ctx.store.read();
    let bindings = db.principals().roles_of(&actor)?;
    match decide(&ctx.abac, &db, &actor, &bindings, action, tenant) {
        Ok(()) => Ok(actor),
        Err(denied) => Err(record_denial(ctx, denied)),
    }
}

/// Whether the actor may do `action` (on `tenant`, or platform-wide), asked without recording
/// anything: for a read that shows some actors more than others, where a no is not a refusal.
/// No actor, or a question the policy cannot answer, is a no.
pub fn allows(ctx: &Context, action: Action, tenant: Option<&TenantId>) -> bool {
    let Ok(actor) = crate::authz::actor(ctx) else {
        return false;
    };
    let db = ctx.store.read();
    let Ok(bindings) = db.principals().roles_of(&actor) else {
        return false;
    };
    decide(&ctx.abac, &db, &actor, &bindings, action, tenant).is_ok()
}

/// The tenants whose data the actor may read with `action`: `None` for all (platform
/// admin). With `tenant`, that tenant only, or a denial (recorded).
pub fn read_scope(
    ctx: &mut Context,
    action: Action,
    tenant: Option<&str>,
) -> Result<Option<Vec<TenantId>>, AuthzError> {
    let tenant = tenant.map(TenantId::parse).transpose()?;
    let actor = crate::authz::actor(ctx)?;
    let db = ctx.store.read();
    let bindings = db.principals().roles_of(&actor)?;
    let decision = match &tenant {
        Some(t) => decide(&ctx.abac, &db, &actor, &bindings, action, Some(t)),
        None if bindings.is_empty() => decide(&ctx.abac, &db, &actor, &bindings, action, None),
        None => Ok(()),
    };
    if let Err(denied) = decision {
        return Err(record_denial(ctx, denied));
    }
    Ok(match tenant {
        Some(t) => Some(vec![t]),
        None => visible_tenants(&bindings),
    })
}

/// Runs `body` in one write transaction after authorizing the actor for `action` on `tenant`
/// (the first change to a new state makes the actor its platform admin); the allowing
/// decision is logged with the change, a denial after the rollback.
pub fn guarded_write<T, E: Refusal>(
    ctx: &mut Context,
    action: Action,
    tenant: Option<&TenantId>,
    body: impl FnOnce(&Db<'_>, &PrincipalId) -> Result<T, E>,
) -> Result<T, E> {
    let actor = crate::authz::actor(ctx)?;
    let clock = ctx.clock;
    let result = ctx.store.write(|db| {
        if db.principals().count()? == 0 {
            bootstrap(db, &clock, &actor)?;
        }
        authorize(&ctx.abac, db, &clock, &actor, action, tenant)?;
        body(db, &actor)
    });
    match result {
        Err(e) => match e.into_denied() {
            Ok(denied) => Err(E::from(record_denial(ctx, denied))),
            Err(other) => Err(other),
        },
        ok => ok,
    }
}

/// Runs `body` on the current state after the actor is authorized to read `tenant`.
pub fn guarded_read<T, E: From<AuthzError>>(
    ctx: &mut Context,
    action: Action,
    tenant: Option<&TenantId>,
    body: impl FnOnce(&Db<'_>) -> Result<T, E>,
) -> Result<T, E> {
    check(ctx, action, tenant)?;
    body(&ctx.store.read())
}

/// Logs `denied` (its decision and audit event) in the caller's transaction: a refused flow
/// step keeps only that.
pub fn log_denial(
    abac: &LazyGovernance,
    db: &Db<'_>,
    clock: &Clock,
    denied: &Denied,
) -> Result<(), crate::policy::PolicyError> {
    let decision = crate::policy::Decision {
        allow: false,
        deny: denied.reasons.clone(),
        audit: false,
        exceptions_applied: vec![],
    };
    abac::record(
        abac,
        db,
        clock,
        &denied.actor,
        denied.tenant.as_ref(),
        &denied.input,
        &decision,
    )
}

/// Records a denial in the audit log (its own transaction: the denied change was rolled
/// back) and returns the error to report. If even that fails, the failure is reported.
pub fn record_denial(ctx: &mut Context, denied: Denied) -> AuthzError {
    let clock = ctx.clock;
    let logged = ctx
        .store
        .write(|db| log_denial(&ctx.abac, db, &clock, &denied).map_err(AuthzError::from));
    match logged {
        Ok(()) => AuthzError::Denied(denied),
        Err(e) => e,
    }
}
