//! The Maestro task-graph engine: YAML flow templates run as a DAG.
//!
//! Three steps anyone can see in the code:
//! 1. [`template::load`]: parse and validate (every problem with file, line, column; the
//!    whole cycle named);
//! 2. [`plan::plan`]: pure and deterministic waves of steps (what `--dry-run` prints);
//! 3. [`exec`]: execute with a `--jobs` pool, each step at most once per attempt, every state
//!    change checkpointed with its audit event; [`resume`] continues after a crash.
//!
//! Around them: [`validate`] (steps 1 and 2 alone, for `flow:validate`), [`start`] and
//! [`resume`] (a run's start and its continuation after a crash, each under a lease), the
//! [`FlowEvent`]s and [`RunReport`] a run tells, and the reads `flow:status`, `flow:runs`,
//! `flow:logs` and `deploy:list` make.

pub mod catalog;
mod exec;
pub mod expr;
pub mod interrupt;
pub mod kinds;
pub mod plan;
mod query;
mod report;
mod resume;
mod run;
pub mod template;
mod validation;

pub use exec::StepReport;
pub use query::{deployments, follow, logs, runs, status, watch};
pub use report::{FlowEvent, RunReport, report};
pub use resume::{preview as resume_preview, resume};
pub(crate) use run::start_as;
pub use run::{StartOptions, start};
use template::Problem;
pub use validation::{Validation, validate};

use crate::model::ids::InvalidId;
use crate::model::{Diagnostic, ExitStatus};
use crate::store::StoreError;
use crate::tenant::TenantError;

/// What can go wrong loading, starting, running or reading a flow.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error(transparent)]
    Invalid(#[from] InvalidId),
    #[error("{}", render_problems(.0))]
    Template(Vec<Problem>),
    #[error("no flow template `{name}` (looked in: {searched})")]
    NotFound { name: String, searched: String },
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Params(String),
    #[error("no run `{0}`")]
    RunNotFound(String),
    #[error("`{prefix}` starts {} runs: {}", matches.len(), matches.join(", "))]
    AmbiguousRun {
        prefix: String,
        matches: Vec<String>,
    },
    #[error("run `{run_id}` is being executed by process {pid} (heartbeat {heartbeat})")]
    AlreadyRunning {
        run_id: String,
        pid: i64,
        heartbeat: String,
    },
    #[error(
        "attempt {attempt} of step `{step}` of run `{run_id}` still runs (process group {pgid}) after SIGKILL"
    )]
    LeftoverRunning {
        run_id: String,
        step: String,
        attempt: i64,
        pgid: i64,
    },
    #[error("run `{run_id}` failed: {error}")]
    RunFailed {
        run_id: String,
        error: String,
        denied: bool,
    },
    #[error("run `{run_id}` was interrupted")]
    Interrupted { run_id: String },
    #[error("internal error in the flow engine: {0}")]
    Internal(String),
    /// The engine could not go on after the run started (the state could not be written, say
    /// the disk is full): what its finished steps did is kept, and the run can be resumed.
    #[error("{}run `{run_id}` of `{flow}` stopped part-way: {cause}", done.as_deref().map(|d| format!("{d}, but ")).unwrap_or_default())]
    Stopped {
        run_id: String,
        flow: String,
        cause: String,
        /// What is done for certain, said first (`tenant:create`: the tenant was created).
        done: Option<String>,
    },
}

fn render_problems(problems: &[Problem]) -> String {
    let mut out = problems
        .iter()
        .map(Problem::render)
        .collect::<Vec<_>>()
        .join("\n");
    if problems.len() > 1 {
        out = format!("{} problems in the flow template:\n{out}", problems.len());
    }
    out
}

impl Diagnostic for FlowError {
    fn multiline(&self) -> bool {
        matches!(self, FlowError::Template(_))
    }

    fn exit_status(&self) -> ExitStatus {
        match self {
            FlowError::Tenant(e) => e.exit_status(),
            FlowError::Template(_) => ExitStatus::Problems,
            FlowError::RunFailed { denied: true, .. } => ExitStatus::Denied,
            FlowError::Interrupted { .. } => ExitStatus::Interrupted,
            _ => ExitStatus::Error,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            FlowError::Store(e) => return e.help(),
            FlowError::Tenant(e) => return e.help(),
            FlowError::Template(_) => {
                "fix the template; its format is in templates/flows/README.md".into()
            }
            FlowError::NotFound { .. } => {
                "list templates with `maestro-cli flow:list`, or pass a path to a .yaml file".into()
            }
            FlowError::Params(_) => {
                "see the flow's params with `maestro-cli flow:validate NAME`".into()
            }
            FlowError::RunNotFound(_) => "list runs with `maestro-cli flow:runs`".into(),
            FlowError::AmbiguousRun { .. } => {
                "give more of the run id (`maestro-cli flow:runs` lists them)".into()
            }
            FlowError::AlreadyRunning { run_id, .. } => {
                format!("wait for it, or watch it with `maestro-cli flow:status {run_id}`")
            }
            FlowError::LeftoverRunning { run_id, pgid, .. } => format!(
                "see it with `pgrep -a -g {pgid}`; once it is gone, `maestro-cli flow:resume {run_id}`"
            ),
            FlowError::RunFailed { run_id, .. } => format!(
                "see `maestro-cli flow:logs {run_id}`; after fixing the cause, `maestro-cli flow:resume {run_id}`"
            ),
            FlowError::Interrupted { run_id } => {
                format!("continue with `maestro-cli flow:resume {run_id}`")
            }
            FlowError::Stopped { run_id, .. } => format!(
                "its finished steps are kept (`maestro-cli flow:status {run_id}`); once the cause is fixed, finish it with `maestro-cli flow:resume {run_id}`"
            ),
            _ => return None,
        })
    }
}

/// An authorization refusal, reported as the tenant operations report it.
impl From<crate::authz::AuthzError> for FlowError {
    fn from(e: crate::authz::AuthzError) -> Self {
        FlowError::Tenant(crate::tenant::TenantError::Authz(e))
    }
}
