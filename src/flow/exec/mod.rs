//! Executing a run: schedule ready steps (at most `jobs` workers at once, each step at most
//! once per attempt), checkpoint every state change in the store together with its audit
//! event, retry with exponential backoff and jitter, kill timed-out process groups, and stop
//! cleanly on Ctrl-C. Crash-safe: `resume` continues from the last checkpoint.
//!
//! One write path: what happened since the last pass (finished attempts, the lease
//! heartbeat) is buffered in memory, and each scheduling pass writes it together with the
//! pass's own decisions (skips, inline steps, starts) in one transaction. Events are reported
//! and steps run only after that transaction commits; a `shell` step's process is started
//! before it, waiting at its gate, so that the transaction records its process group.
//!
//! - [`schedule`]: each pass's decisions: which steps are ready, skipped, run inline or
//!   started within the `--jobs` pool, and how an attempt's result settles its step (retry
//!   or not);
//! - [`journal`]: what is written to the store for a run, its steps and their attempts (the
//!   one transaction of a pass, the audit record, what a crash leaves for `resume`);
//! - [`process`]: worker steps on their threads, their process groups (on record before
//!   they run), timeouts and signals;
//! - [`leftovers`]: what earlier attempts of a run left running, killed before it resumes;
//! - [`steps`]: what a step sees (its rendered arguments, the expression scope) and its
//!   report.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::json;

mod journal;
mod leftovers;
mod process;
mod schedule;
mod steps;

use journal::Write;
pub(super) use journal::{mark_interrupted, record};
pub(super) use leftovers::{Leftover, kill_leftovers};
use process::{Done, KILL_GRACE, Running};
use schedule::open_steps;
pub use steps::StepReport;

use super::expr::Val;
use super::template::{Flow, FlowStep};
use super::{FlowError, FlowEvent, RunReport, interrupt};
use crate::context::Context;
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::StepRow;

/// How often the lease is renewed.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

/// One run being executed: its plan, its steps' state in memory, the worker pool, and the
/// writes and events of the next commit.
pub(super) struct Exec<'c> {
    ctx: &'c mut Context,
    run_id: String,
    flow: Flow,
    specs: BTreeMap<String, FlowStep>,
    order: Vec<String>,
    /// The steps still to decide on (pending or waiting), in plan order.
    open: Vec<String>,
    params: BTreeMap<String, Val>,
    tenant: Option<TenantId>,
    actor: PrincipalId,
    jobs: usize,
    steps: BTreeMap<String, StepRow>,
    templates: Vec<std::path::PathBuf>,
    running: BTreeMap<String, Running>,
    /// Worker steps whose attempt is recorded, waiting for a free slot (plan order).
    reserved: Vec<(String, i64)>,
    due: BTreeMap<String, Instant>,
    writes: Vec<Write>,
    events: Vec<FlowEvent>,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    last_heartbeat: Instant,
    scratch: std::path::PathBuf,
}

impl<'c> Exec<'c> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ctx: &'c mut Context,
        run_id: String,
        flow: Flow,
        params: BTreeMap<String, Val>,
        tenant: Option<TenantId>,
        actor: PrincipalId,
        jobs: usize,
        steps: BTreeMap<String, StepRow>,
        templates: Vec<std::path::PathBuf>,
    ) -> Self {
        let order: Vec<String> = super::plan::plan(&flow)
            .waves
            .into_iter()
            .flatten()
            .map(|s| s.id)
            .collect();
        let open = open_steps(&order, &steps);
        let specs = flow
            .steps
            .iter()
            .map(|s| (s.id.clone(), s.clone()))
            .collect();
        let (tx, rx) = mpsc::channel();
        let scratch = std::env::temp_dir().join(format!("maestro-run-{run_id}"));
        Exec {
            ctx,
            run_id,
            flow,
            specs,
            order,
            open,
            params,
            tenant,
            actor,
            jobs: jobs.max(1),
            steps,
            templates,
            running: BTreeMap::new(),
            reserved: Vec::new(),
            due: BTreeMap::new(),
            writes: Vec::new(),
            events: Vec::new(),
            tx,
            rx,
            last_heartbeat: Instant::now(),
            scratch,
        }
    }

    pub fn run(mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        let result = self.drive(obs);
        let _ = std::fs::remove_dir_all(&self.scratch);
        result
    }

    fn drive(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        loop {
            if interrupt::requested() {
                return self.interrupt(obs);
            }
            self.schedule(obs)?;
            if self.running.is_empty()
                && self.reserved.is_empty()
                && self.due.is_empty()
                && !self.steps.values().any(|s| s.status == "pending")
            {
                return self.finish(obs);
            }
            match self.rx.recv_timeout(self.next_wake()) {
                Ok(first) => {
                    let mut msgs = vec![first];
                    msgs.extend(self.rx.try_iter());
                    self.absorb(msgs);
                }
                Err(RecvTimeoutError::Timeout) => {}
                // The engine holds a sender itself: the channel cannot disconnect.
                Err(RecvTimeoutError::Disconnected) => {}
            }
            self.enforce_timeouts();
            if self.last_heartbeat.elapsed() >= HEARTBEAT {
                self.last_heartbeat = Instant::now();
                self.writes.push(Write::Lease);
            }
        }
    }

    /// Sleeps at most until the next timeout, retry or heartbeat.
    fn next_wake(&self) -> Duration {
        let now = Instant::now();
        let mut wake = self.last_heartbeat + HEARTBEAT;
        for r in self.running.values() {
            if let Some(d) = r.deadline {
                wake = wake.min(d);
            }
            if let Some((at, _)) = r.killing {
                wake = wake.min(at + KILL_GRACE);
            }
        }
        for d in self.due.values() {
            wake = wake.min(*d);
        }
        wake.saturating_duration_since(now)
            .max(Duration::from_millis(1))
    }
    fn finish(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        for e in std::mem::take(&mut self.events) {
            obs(&e);
        }
        let failed: Vec<&StepRow> = self
            .order
            .iter()
            .map(|id| &self.steps[id])
            .filter(|s| s.status == "failed" && !self.specs[&s.step_id].continue_on_failure)
            .collect();
        let denied = failed.iter().any(|s| s.denied);
        let (status, error) = match failed.first() {
            None => ("succeeded", None),
            Some(s) => (
                "failed",
                Some(format!(
                    "step `{}` failed: {}",
                    s.step_id,
                    s.error.clone().unwrap_or_default()
                )),
            ),
        };
        let clock = self.ctx.clock;
        let at = clock.now_rfc3339();
        let (run_id, actor, tenant) = (self.run_id.clone(), &self.actor, &self.tenant);
        self.ctx.store.write(|db| -> Result<(), FlowError> {
            db.flows()
                .finish_run(&run_id, status, error.as_deref(), denied, Some(&at))?;
            db.flows().set_lease(&run_id, None, None)?;
            crate::metrics::refresh(db, &clock, tenant.as_ref().map(|t| t.as_str()))?;
            record(
                db,
                &clock,
                actor,
                tenant,
                "flow.run.finish",
                &run_id,
                "",
                json!({"status": status, "error": error, "denied": denied}),
            )?;
            Ok(())
        })?;
        obs(&FlowEvent::RunFinished {
            run_id: run_id.clone(),
            status: status.into(),
            error,
        });
        super::report(&self.ctx.store.read(), &run_id)
    }
}
