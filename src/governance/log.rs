//! `policy:log`: the decision log, as far as the actor may read it.

use super::GovernanceError;
use crate::authz::{self, Action};
use crate::context::Context;
use crate::store::DecisionRow;

/// What `policy:log` lists.
#[derive(Debug, Clone, Default)]
pub struct LogOptions<'a> {
    /// Only decisions about this tenant.
    pub tenant: Option<&'a str>,
    /// Only allows (`Some(true)`) or only denials (`Some(false)`).
    pub allow: Option<bool>,
    /// At most this many, the most recent.
    pub limit: Option<u64>,
}

/// The logged decisions `o` selects among those the actor may read, in time order.
pub fn log(ctx: &mut Context, o: &LogOptions<'_>) -> Result<Vec<DecisionRow>, GovernanceError> {
    let scope = authz::read_scope(ctx, Action::PolicyRead, o.tenant)?;
    let tenants: Option<Vec<String>> = scope.map(|ts| ts.iter().map(|t| t.to_string()).collect());
    Ok(ctx
        .store
        .read()
        .decisions()
        .list(tenants.as_deref(), o.allow, o.limit)?)
}
