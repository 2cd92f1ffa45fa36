//! What every domain operation runs with: the open store, the configuration, the clock
//! and the acting principal.

use crate::config::Config;
use crate::model::clock::Clock;
use crate::model::ids::PrincipalId;
use crate::store::Store;
use crate::tenant::TenantError;

#[derive(Debug)]
pub struct Context {
    pub store: Store,
    pub config: Config,
    pub clock: Clock,
    /// From `--actor` / `MAESTRO_ACTOR`, validated.
    pub actor: Option<PrincipalId>,
}

impl Context {
    /// The acting principal, required by every mutating command and tenant-scoped read.
    pub fn actor(&self) -> Result<PrincipalId, TenantError> {
        self.actor.clone().ok_or(TenantError::NoActor)
    }
}
