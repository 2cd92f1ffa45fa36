//! The one place that maps an error to its exit code and `help:` line: it walks the error
//! chain and asks the first domain error it knows.

use crate::audit::AuditError;
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

/// Walks the error chain and returns the exit status and help line of the first error
/// that knows them; anything else is a plain error (exit 1).
pub fn classify(err: &anyhow::Error) -> (ExitStatus, Option<String>) {
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
        } else {
            None
        };
        if let Some(d) = found {
            return (d.exit_status(), d.help());
        }
    }
    (ExitStatus::Error, None)
}
