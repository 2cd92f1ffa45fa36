//! `audit:log`: the audit events the actor may read (all for a platform admin, else those of
//! their tenants).

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
