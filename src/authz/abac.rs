//! The ABAC policy (`maestro.abac`) as the CLI's authorization: every mutating command and
//! tenant-scoped read asks it. One engine per thread, loaded from the installed bundle
//! (`[policy] dir`, else the built-in policies).

use std::cell::RefCell;
use std::sync::OnceLock;

use serde_json::Value;

use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::policy::{Bundle, Decision, Governance, PolicyError};
use crate::store::Db;

pub const QUERY: &str = "data.maestro.abac";

static INSTALLED: OnceLock<Bundle> = OnceLock::new();

thread_local! {
    static GOV: RefCell<Option<Governance>> = const { RefCell::new(None) };
}

/// Sets the bundle authorization uses in this process (first call wins).
pub fn install(bundle: Bundle) {
    let _ = INSTALLED.set(bundle);
}

fn with_gov<T>(
    f: impl FnOnce(&mut Governance) -> Result<T, PolicyError>,
) -> Result<T, PolicyError> {
    GOV.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let bundle = match INSTALLED.get() {
                Some(b) => b.clone(),
                None => Bundle::builtin()?,
            };
            *slot = Some(Governance::new(bundle)?);
        }
        match slot.as_mut() {
            Some(gov) => f(gov),
            None => Err(PolicyError::Data("no policy engine".into())),
        }
    })
}

/// Asks `maestro.abac` about `input` (`{actor, action, tenant, roles}`); a decision made
/// before is read from `db` (see `policy::cache`).
pub fn decide(db: &Db<'_>, input: &Value) -> Result<Decision, PolicyError> {
    with_gov(|g| g.decide_remembered(db, QUERY, input))
}

/// Logs an ABAC decision (and its audit event) in the caller's transaction.
pub fn record(
    db: &Db<'_>,
    clock: &Clock,
    actor: &PrincipalId,
    tenant: Option<&TenantId>,
    input: &Value,
    decision: &Decision,
) -> Result<(), PolicyError> {
    with_gov(|g| {
        crate::policy::record(db, clock, g, actor, tenant, QUERY, input, decision)?;
        Ok(())
    })
}
