//! What every domain operation runs with: the open store, the configuration, the clock,
//! the acting principal and the engine authorization asks. It owns its connection and is
//! cheap to make (the built-in bundle is hashed once per process), so a server can make one
//! per request.

use std::path::Path;

use crate::config::Config;
use crate::model::Diagnostic;
use crate::model::clock::Clock;
use crate::model::ids::PrincipalId;
use crate::policy::{Bundle, LazyGovernance};
use crate::store::Store;

#[derive(Debug)]
pub struct Context {
    pub store: Store,
    pub config: Config,
    pub clock: Clock,
    /// From `--actor` / `MAESTRO_ACTOR`, validated.
    pub actor: Option<PrincipalId>,
    /// The engine authorization asks (`maestro.abac` of the configured bundle), made when
    /// a question first needs it.
    pub abac: LazyGovernance,
}

impl Context {
    /// The context of a command on the state file `state`: the policy bundle `config` names
    /// is read first, so that a broken `[policy] dir` leaves the state untouched.
    pub fn open(
        state: &Path,
        config: Config,
        clock: Clock,
        actor: Option<PrincipalId>,
    ) -> anyhow::Result<Context> {
        let abac = LazyGovernance::new(Bundle::for_config(&config)?);
        Ok(Context {
            store: Store::open(state)?,
            config,
            clock,
            actor,
            abac,
        })
    }

    /// The acting principal, required by every mutating command and tenant-scoped read.
    pub fn actor(&self) -> Result<PrincipalId, NoActor> {
        self.actor.clone().ok_or(NoActor)
    }
}

/// A command that records who did it was run without an acting principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no acting principal: this command records who did it")]
pub struct NoActor;

impl Diagnostic for NoActor {
    fn help(&self) -> Option<String> {
        Some("pass `--actor you@example.com` or set MAESTRO_ACTOR=you@example.com".into())
    }
}
