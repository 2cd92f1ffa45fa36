//! The ABAC policy (`maestro.abac`) as the CLI's authorization: every mutating command and
//! tenant-scoped read asks it, through the command's engine (`Context::abac`, over the
//! bundle `[policy] dir` names, else the built-in policies).

use serde_json::Value;

use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::policy::{Decision, LazyGovernance, PolicyError};
use crate::store::Db;

pub const QUERY: &str = "data.maestro.abac";

/// Asks `maestro.abac` about `input` (`{actor, action, tenant, roles}`); a decision made
/// before is read from `db` (see `policy::cache`).
pub fn decide(abac: &LazyGovernance, db: &Db<'_>, input: &Value) -> Result<Decision, PolicyError> {
    abac.with(|g| g.decide_remembered(db, QUERY, input))
}

/// Logs an ABAC decision (and its audit event) in the caller's transaction.
pub fn record(
    abac: &LazyGovernance,
    db: &Db<'_>,
    clock: &Clock,
    actor: &PrincipalId,
    tenant: Option<&TenantId>,
    input: &Value,
    decision: &Decision,
) -> Result<(), PolicyError> {
    abac.with(|g| {
        crate::policy::record(db, clock, g, actor, tenant, QUERY, input, decision)?;
        Ok(())
    })
}
