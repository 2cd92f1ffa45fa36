//! The one place that maps an error to its exit code and `help:` line: it walks the error
//! chain and asks the first domain error it knows.

use crate::audit::AuditError;
use crate::audit::checkpoint::CheckpointError;
use crate::audit::proofs::{ProofError, SignError};
use crate::authz::AuthzError;
use crate::config::ConfigError;
use crate::flow::FlowError;
use crate::governance::GovernanceError;
use crate::input::InputError;
use crate::model::ids::InvalidId;
use crate::model::{Diagnostic, ExitStatus};
use crate::pack::PackError;
use crate::perf::PerfError;
use crate::policy::PolicyError;
use crate::signals::SignalsError;
use crate::store::StoreError;
use crate::tenant::TenantError;
use crate::trial::TrialError;

/// How an error is reported: its exit status, its help line, and whether its message is laid
/// out on several lines ([`Diagnostic::multiline`]).
pub struct Classified {
    pub status: ExitStatus,
    pub help: Option<String>,
    pub multiline: bool,
}

/// Walks the error chain and returns how the first error that knows is reported; anything
/// else is a plain one-line error (exit 1).
pub fn classify(err: &anyhow::Error) -> Classified {
    for cause in err.chain() {
        let found: Option<&dyn Diagnostic> = if let Some(e) = cause.downcast_ref::<TenantError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<StoreError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<ConfigError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<AuditError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<FlowError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<TrialError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<PackError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<PolicyError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<SignalsError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<PerfError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<InputError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<AuthzError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<GovernanceError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<InvalidId>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<super::confirm::NotConfirmed>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<ProofError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<SignError>() {
            Some(e)
        } else if let Some(e) = cause.downcast_ref::<CheckpointError>() {
            Some(e)
        } else {
            None
        };
        if let Some(d) = found {
            return Classified {
                status: d.exit_status(),
                help: d.help(),
                multiline: d.multiline(),
            };
        }
    }
    Classified {
        status: ExitStatus::Error,
        help: None,
        multiline: false,
    }
}
