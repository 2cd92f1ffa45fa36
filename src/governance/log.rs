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
    /// Only the decisions whose id starts with this (at least 4 characters, as a denial or a
    /// table shows it).
    pub id: Option<&'a str>,
}

/// The fewest characters of a decision id `--id` takes.
const SHORTEST_PREFIX: usize = 4;

/// The logged decisions `o` selects among those the actor may read, in time order.
pub fn log(ctx: &mut Context, o: &LogOptions<'_>) -> Result<Vec<DecisionRow>, GovernanceError> {
    if let Some(id) = o.id
        && id.chars().count() < SHORTEST_PREFIX
    {
        return Err(GovernanceError::ShortId(id.to_string()));
    }
    let scope = authz::read_scope(ctx, Action::PolicyRead, o.tenant)?;
    let tenants: Option<Vec<String>> = scope.map(|ts| ts.iter().map(|t| t.to_string()).collect());
    let rows = ctx
        .store
        .read()
        .decisions()
        .list_ids(tenants.as_deref(), o.allow, o.limit, o.id)?;
    match o.id {
        Some(id) if rows.is_empty() => Err(GovernanceError::DecisionNotFound(id.to_string())),
        _ => Ok(rows),
    }
}
