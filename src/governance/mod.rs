//! The governance commands over the policy kernel (`crate::policy`): `policy:check` asks for
//! decisions and logs them, `policy:drift` re-checks today's state against today's policies, `policy:log` reads the
//! decision log.

pub mod check;
pub mod drift;
pub mod log;

pub use check::{Checked, check, check_deploy, check_many};

use crate::authz::AuthzError;
use crate::model::{Diagnostic, ExitStatus};
use crate::policy::PolicyError;
use crate::store::StoreError;

/// A governance command's failure: the policy kernel's, or an authorization refusal.
#[derive(Debug, thiserror::Error)]
pub enum GovernanceError {
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no decision `{0}` (among those you may read)")]
    DecisionNotFound(String),
    #[error("`{0}` is too short for a decision id: give at least 4 characters")]
    ShortId(String),
}

impl From<StoreError> for GovernanceError {
    fn from(e: StoreError) -> Self {
        GovernanceError::Policy(PolicyError::Store(e))
    }
}

impl Diagnostic for GovernanceError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            GovernanceError::Policy(e) => e.exit_status(),
            GovernanceError::Authz(e) => e.exit_status(),
            GovernanceError::DecisionNotFound(_) | GovernanceError::ShortId(_) => ExitStatus::Error,
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            GovernanceError::Policy(e) => e.help(),
            GovernanceError::Authz(e) => e.help(),
            GovernanceError::DecisionNotFound(_) | GovernanceError::ShortId(_) => {
                Some("list decisions with `maestro-cli policy:log`".into())
            }
        }
    }
}
