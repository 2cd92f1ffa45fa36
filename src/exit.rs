//! Exit codes, and the one place that maps an error to its exit code and `help:` line.

use crate::audit::AuditError;
use crate::config::ConfigError;
use crate::flow::FlowError;
use crate::ids::InvalidId;
use crate::input::InputError;
use crate::pack::PackError;
use crate::perf::PerfError;
use crate::policy::PolicyError;
use crate::signals::SignalsError;
use crate::store::StoreError;
use crate::tenant::TenantError;
use crate::trial::TrialError;

/// The process exit codes of DESIGN.md §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The command did what was asked.
    Ok = 0,
    /// Bad input, I/O, corrupt state.
    Error = 1,
    /// The command line itself is wrong (clap).
    Usage = 2,
    /// Denied by policy or a gate.
    Denied = 3,
    /// A check ran and found problems (`audit:verify`, ...).
    Problems = 4,
    /// Interrupted by a signal.
    Interrupted = 130,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What an error tells the operator beyond its message.
pub trait Diagnostic {
    fn exit_status(&self) -> ExitStatus {
        ExitStatus::Error
    }
    /// One line telling the operator what to do next, ideally the exact command.
    fn help(&self) -> Option<String> {
        None
    }
}

impl Diagnostic for InvalidId {}

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
