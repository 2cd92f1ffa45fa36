//! Step kinds, each a small module behind [`StepKind`].
//!
//! Two ways to run: *inline* kinds (`noop`, `fail`, `tenant.provision`, `deploy`, `policy`)
//! run on the engine's thread inside the transaction that checkpoints their result, so their
//! effect and its record commit together (exactly once); *worker* kinds (`shell`, `sleep`,
//! `flow`) run on their own thread and report back, at least once.

mod basic;
mod deploy;
mod policy;
mod shell;
mod subflow;
mod tenant;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use crate::config::Config;
use crate::model::clock::Clock;
use crate::model::ids::PrincipalId;
use crate::store::Db;

pub type Args = BTreeMap<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Inline,
    Worker,
}

/// What an inline step runs with.
pub struct InlineCx<'a> {
    pub db: &'a Db<'a>,
    pub config: &'a Config,
    pub clock: &'a Clock,
    pub actor: &'a PrincipalId,
    /// What authorization asks (the command's engine).
    pub abac: &'a crate::policy::LazyGovernance,
    pub run_id: &'a str,
    pub step_id: &'a str,
    pub tenant: Option<&'a str>,
}

/// What a worker step runs with.
pub struct WorkerCx {
    /// `MAESTRO_*` variables: params, earlier outputs, run and step ids.
    pub env: Vec<(String, String)>,
    /// Set when the step must stop (timeout, Ctrl-C).
    pub cancel: Arc<AtomicBool>,
    /// A [`StepKind::gated`] kind calls it with the process group id and the gate of the
    /// process it started (waiting at that gate), or drops it when it fails before it has a
    /// process: the engine waits for one or the other.
    pub on_spawn: Box<dyn FnOnce(u32, Gate) + Send>,
    /// A private directory for this attempt, removed afterwards.
    pub scratch: PathBuf,
    /// For sub-flows: how to open the state again.
    pub sub: SubflowCx,
}

/// The engine's end of a started process's start gate (a pipe the process reads one line
/// from before it runs the step). The process group goes on record before the gate opens, so
/// whatever the step does, a resumed run can find and kill it. [`Gate::open`] lets the step
/// run; a gate closed without it (dropped: the engine gave up on the attempt, or died) makes
/// the process exit without running the step.
pub struct Gate(std::io::PipeWriter);

impl Gate {
    /// Lets the process run the step. A process that is gone already (killed) is fine: the
    /// write fails with `EPIPE` (Rust ignores `SIGPIPE`), and its attempt ends as it ended.
    pub fn open(mut self) {
        use std::io::Write;
        let _ = self.0.write_all(b"\n");
    }
}

/// Enough to run a sub-flow on another thread with its own connection.
#[derive(Debug, Clone)]
pub struct SubflowCx {
    pub state: PathBuf,
    pub config: Config,
    pub clock: Clock,
    pub actor: PrincipalId,
    /// The policy bundle the parent run authorizes with (read once, by the parent).
    pub bundle: crate::policy::Bundle,
    pub run_id: String,
    pub step_id: String,
    pub tenant: Option<String>,
    pub jobs: usize,
    pub templates: Vec<PathBuf>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptResult {
    pub success: bool,
    pub exit_code: Option<i32>,
    pub outputs: BTreeMap<String, String>,
    pub stdout: String,
    pub stderr: String,
    pub error: Option<String>,
    /// Refused by a gate (exit 3 for the run).
    pub denied: bool,
}

impl AttemptResult {
    pub fn ok(outputs: BTreeMap<String, String>) -> Self {
        AttemptResult {
            success: true,
            exit_code: Some(0),
            outputs,
            ..Default::default()
        }
    }

    pub fn failed(message: impl Into<String>, exit_code: Option<i32>) -> Self {
        AttemptResult {
            success: false,
            exit_code,
            error: Some(message.into()),
            ..Default::default()
        }
    }

    pub fn denied(message: impl Into<String>) -> Self {
        AttemptResult {
            denied: true,
            ..AttemptResult::failed(message, None)
        }
    }
}

pub trait StepKind: Sync {
    fn name(&self) -> &'static str;
    fn mode(&self) -> Mode;
    /// Checks `with` when the template is loaded.
    fn check(&self, with: &Args) -> Result<(), String>;
    /// Inline kinds: runs inside the checkpoint transaction. A failed result rolls back
    /// whatever the step wrote; a denied one keeps its writes, which must be only the
    /// decision log of the refusal.
    fn run_inline(&self, _cx: &InlineCx<'_>, _args: &Args) -> AttemptResult {
        AttemptResult::failed(
            format!("step kind `{}` does not run inline", self.name()),
            None,
        )
    }
    /// The stack of a worker kind's thread: small, since most only wait for a process.
    fn worker_stack(&self) -> usize {
        256 * 1024
    }
    /// Worker kinds whose process waits at a [`Gate`] until the engine opens it (reported
    /// through `WorkerCx::on_spawn` before anything else can take long). The engine starts
    /// them before it records their attempt, so the attempt's record holds the process group.
    fn gated(&self) -> bool {
        false
    }
    /// Worker kinds: runs on its own thread.
    fn run_worker(&self, _cx: WorkerCx, _args: Args) -> AttemptResult {
        AttemptResult::failed(
            format!("step kind `{}` does not run on a worker", self.name()),
            None,
        )
    }
}

static KINDS: &[&dyn StepKind] = &[
    &shell::Shell,
    &policy::Policy,
    &tenant::TenantProvision,
    &tenant::TenantDelete,
    &deploy::Deploy,
    &basic::Noop,
    &basic::Sleep,
    &basic::Fail,
    &subflow::SubFlow,
];

pub fn lookup(name: &str) -> Option<&'static dyn StepKind> {
    KINDS.iter().copied().find(|k| k.name() == name)
}

pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name()).collect()
}

/// `with` must hold every key of `required` and nothing outside `required` + `optional`.
pub(crate) fn check_keys(with: &Args, required: &[&str], optional: &[&str]) -> Result<(), String> {
    for r in required {
        if !with.contains_key(*r) {
            return Err(format!("`with.{r}` is required"));
        }
    }
    for k in with.keys() {
        if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
            let mut known: Vec<&str> = required.iter().chain(optional).copied().collect();
            known.sort_unstable();
            return Err(format!(
                "unknown argument `with.{k}` (known: {})",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ));
        }
    }
    Ok(())
}

/// A string argument (numbers and booleans are taken as their text).
pub(crate) fn text(args: &Args, key: &str) -> Option<String> {
    match args.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    }
}

pub(crate) fn required_text(args: &Args, key: &str) -> Result<String, String> {
    text(args, key)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("`with.{key}` is empty"))
}
