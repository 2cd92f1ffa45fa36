//! `trial:up` / `trial:down`: a self-contained trial environment in one directory — its own
//! configuration, state and signing key; a platform admin and a least-privilege operator; two
//! tenants made by the `new-tenant` flow; a deploy of each into an allowed region and the
//! staged deny of `trial-prod` into a forbidden one; commit signals of a small generated
//! repository and alerts from a sample auth log with a root login; a verified disclosure pack
//! per tenant.
//! Every step is skipped when its result already exists, so running `trial:up` again finishes
//! an interrupted run and leaves a finished one as it was.
//!
//! `files` writes the directory and its configuration, `samples` the sample repository, logs,
//! billing data and request logs and what is made of them, `up` the steps that stand the
//! environment up, `down` its teardown; `summary` is what `trial:up` reports.

mod down;
mod files;
mod samples;
mod summary;
mod up;

use crate::model::Diagnostic;

pub use down::{TeardownRecord, down, plan as teardown_plan};
pub use summary::{
    TrialCost, TrialDeny, TrialDeploy, TrialPack, TrialSignals, TrialSummary, TrialTenant,
};
pub use up::up;

/// Written into DIR by `trial:up`; `trial:down` removes only a DIR that has it.
pub const MARKER: &str = ".maestro-trial";
pub const ADMIN: &str = "trial-admin@trial.example";
pub const OPERATOR: &str = "operator@trial.example";

#[derive(Debug, thiserror::Error)]
#[error("trial:up stopped at step `{step}`: {source}")]
pub struct TrialError {
    pub step: &'static str,
    #[source]
    pub source: anyhow::Error,
}

impl Diagnostic for TrialError {
    fn help(&self) -> Option<String> {
        Some(
            "fix the cause and run `maestro-cli trial:up` again: it continues where it stopped"
                .into(),
        )
    }
}

fn step<T, E: Into<anyhow::Error>>(step: &'static str, r: Result<T, E>) -> Result<T, TrialError> {
    r.map_err(|e| TrialError {
        step,
        source: e.into(),
    })
}
