//! `audit:log`: the audit events the actor may read (all for a platform admin, else those of
//! their tenants); `audit:checkpoint` and `audit:prove`: the log's Merkle tree signed (a
//! platform admin holding the log key) and proven (for an event the actor may read).

use crate::audit::{self, AuditError};
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::audit::AuditEvent;
use crate::store::AuditFilter;

/// What `audit:log` lists.
#[derive(Debug, Clone, Default)]
pub struct LogOptions<'a> {
    /// Only events of this tenant.
    pub tenant: Option<&'a str>,
    /// A date, an RFC 3339 instant or an age (`36h`, `7d`).
    pub since: Option<&'a str>,
    /// At most this many events, the most recent.
    pub limit: Option<u64>,
}

/// The events `o` selects among those the actor may read, oldest first.
pub fn log(ctx: &mut Context, o: &LogOptions<'_>) -> anyhow::Result<Vec<AuditEvent>> {
    let since = o
        .since
        .map(|s| audit::parse_since(s, &ctx.clock))
        .transpose()?;
    let tenants = authz::read_scope(ctx, Action::AuditRead, o.tenant)?;
    let events = ctx
        .store
        .read()
        .audit()
        .list(&AuditFilter {
            tenants,
            since,
            limit: o.limit,
        })
        .map_err(AuditError::from)?;
    Ok(events)
}

/// `audit:checkpoint`: signs the tree of every event with the log key at `key`.
pub fn checkpoint(
    ctx: &mut Context,
    key: &std::path::Path,
) -> anyhow::Result<audit::proofs::CheckpointReport> {
    let key = audit::checkpoint::load_key(key)?;
    authz::check(ctx, Action::AuditCheckpoint, None)?;
    let clock = ctx.clock;
    ctx.store.write(|db| audit::proofs::sign(db, &clock, &key))
}

/// `audit:prove`: the inclusion proof of event `seq`, which the actor may read.
pub fn prove(ctx: &mut Context, seq: i64) -> anyhow::Result<audit::proofs::InclusionReport> {
    let tenant = audit::proofs::tenant_of(&ctx.store.read(), seq)?;
    let scope = authz::read_scope(ctx, Action::AuditRead, tenant.as_ref().map(|t| t.as_str()))?;
    if tenant.is_none() && scope.is_some() {
        return Err(audit::proofs::ProofError::PlatformWide(seq).into());
    }
    audit::proofs::prove(&ctx.store.read(), seq)
}
