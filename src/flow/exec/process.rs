//! Worker steps: each runs on its own thread, its child process in its own process group
//! (so a timeout or Ctrl-C kills the whole group), with the run's environment; their results
//! (with the captured output) come back over a channel.
//!
//! A step's process never runs unrecorded. Kinds whose process waits at a [`Gate`] (`shell`)
//! are started when the scheduler decides to start the step, before the transaction that
//! records the attempt: their process group goes into that transaction, and the gate opens
//! only after it has committed and the step has a `--jobs` slot. Until then the step is
//! *held*: its process exists and does nothing; if the engine dies, the gate closes with it
//! and the process exits without running the step. A reserved step is held this way, so when
//! a slot frees it starts at once, its process group on record already.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::json;

use super::journal::{mark_interrupted, record};
use super::schedule::Change;
use super::steps::{ScopeView, render_args};
use super::{Exec, FlowError, FlowEvent, RunReport};
use crate::flow::interrupt;
use crate::flow::kinds::{self, AttemptResult, Gate, SubflowCx, WorkerCx};
use crate::flow::template::env_name;

/// How long a timed-out or interrupted process group gets between SIGTERM and SIGKILL.
pub(super) const KILL_GRACE: Duration = Duration::from_secs(2);

/// A worker step's attempt in progress.
pub(super) struct Running {
    pub(super) attempt: i64,
    /// Started ahead, waiting at its gate for a `--jobs` slot.
    pub(super) held: bool,
    pub(super) started: Instant,
    pub(super) started_at: String,
    pub(super) deadline: Option<Instant>,
    pub(super) pgid: Option<u32>,
    /// The process's gate, until the step may run.
    pub(super) gate: Option<Gate>,
    pub(super) cancel: Arc<AtomicBool>,
    /// When and why we started killing it.
    pub(super) killing: Option<(Instant, Stop)>,
}

/// Why a running step is being killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    Timeout,
    Interrupt,
}

/// What a gated worker hands over once its process waits at the gate: the process group and
/// the gate.
type Spawned = mpsc::Receiver<(u32, Gate)>;

/// What a worker thread reports back to the executor: how its attempt ended.
pub(super) struct Done {
    step: String,
    attempt: i64,
    result: AttemptResult,
}

impl Exec<'_> {
    /// Worker slots in use (held steps wait for one).
    pub(super) fn busy(&self) -> usize {
        self.running.values().filter(|r| !r.held).count()
    }

    /// Starts the steps of this pass whose kind waits at a gate, held, before the pass's
    /// transaction: their process groups are recorded with their attempts.
    pub(super) fn start_held(&mut self, changes: &[Change]) {
        let mut starting = Vec::new();
        for c in changes {
            if let Change::Start { step, attempt } = c
                && kinds::lookup(&self.specs[step].uses).is_some_and(|k| k.gated())
            {
                starting.push((step.clone(), self.spawn(step, *attempt, true)));
            }
        }
        // Their processes start side by side; each worker hands over its process group and
        // gate, or drops the sender when it failed before it had a process.
        for (step, spawned) in starting {
            if let Some(Ok((pid, gate))) = spawned.map(|s| s.recv())
                && let Some(r) = self.running.get_mut(&step)
            {
                r.pgid = Some(pid);
                r.gate = Some(gate);
            }
        }
    }

    /// Gives free worker slots to reserved steps, in plan order: a held one's gate opens, any
    /// other starts on its own thread now. Every reserved attempt is already committed.
    pub(super) fn spawn_reserved(&mut self) {
        while self.busy() < self.jobs && !self.reserved.is_empty() {
            let (step, attempt) = self.reserved.remove(0);
            match self.running.get(&step) {
                Some(r) if r.attempt == attempt => self.release(&step),
                Some(_) => {}
                None => {
                    self.spawn(&step, attempt, false);
                }
            }
        }
    }

    /// A held step gets its slot: its clock starts and its gate opens.
    fn release(&mut self, step: &str) {
        let Some(r) = self.running.get_mut(step).filter(|r| r.held) else {
            return;
        };
        r.held = false;
        r.started = Instant::now();
        r.started_at = self.ctx.clock.now_rfc3339();
        r.deadline = self.specs[step].timeout.map(|t| r.started + t);
        if let Some(gate) = r.gate.take() {
            gate.open();
        }
        let attempt = r.attempt;
        self.events.push(FlowEvent::StepStarted {
            run_id: self.run_id.clone(),
            step: step.to_string(),
            attempt,
        });
    }

    /// Starts a worker step on its own thread. `held`: its kind waits at a gate, and what its
    /// worker hands over when it has started the process comes through the returned
    /// receiver. Otherwise the step runs now (its `running` attempt is already committed).
    fn spawn(&mut self, step: &str, attempt: i64, held: bool) -> Option<Spawned> {
        if !held {
            self.events.push(FlowEvent::StepStarted {
                run_id: self.run_id.clone(),
                step: step.to_string(),
                attempt,
            });
        }
        let fs = self.specs[step].clone();
        let kind = kinds::lookup(&fs.uses)?;
        let scope = ScopeView {
            steps: &self.steps,
            params: &self.params,
            tenant: &self.tenant,
            run_id: &self.run_id,
        };
        let args = render_args(&fs.with, &scope);
        let env = self.env_for(&fs.id, attempt);
        let cancel = Arc::new(AtomicBool::new(false));
        let (spawned_tx, spawned_rx) = mpsc::sync_channel(1);
        let step_id = step.to_string();
        let cx = WorkerCx {
            env,
            cancel: cancel.clone(),
            on_spawn: Box::new(move |pid, gate| {
                let _ = spawned_tx.send((pid, gate));
            }),
            scratch: self.scratch.join(format!("{step}-{attempt}")),
            sub: SubflowCx {
                state: self.ctx.store.path().to_path_buf(),
                config: self.ctx.config.clone(),
                clock: self.ctx.clock,
                actor: self.actor.clone(),
                bundle: self.ctx.abac.bundle().clone(),
                run_id: self.run_id.clone(),
                step_id: step_id.clone(),
                tenant: self.tenant.as_ref().map(|t| t.to_string()),
                jobs: self.jobs,
                templates: self.templates.clone(),
            },
        };
        // The attempt really starts now (it may have waited reserved for a slot); a held
        // one's clock starts when it gets its slot.
        let started = Instant::now();
        self.running.insert(
            step_id.clone(),
            Running {
                attempt,
                held,
                started,
                started_at: self.ctx.clock.now_rfc3339(),
                deadline: fs.timeout.filter(|_| !held).map(|t| started + t),
                pgid: None,
                gate: None,
                cancel,
                killing: None,
            },
        );
        let (tx, failed_tx) = (self.tx.clone(), self.tx.clone());
        let failed_step = step_id.clone();
        let worker = std::thread::Builder::new()
            .name(format!("step-{step_id}"))
            .stack_size(kind.worker_stack())
            .spawn(move || {
                let result = kind.run_worker(cx, args);
                let _ = tx.send(Done {
                    step: step_id,
                    attempt,
                    result,
                });
            });
        if let Err(e) = worker {
            let result = AttemptResult::failed(format!("cannot start a worker thread: {e}"), None);
            let _ = failed_tx.send(Done {
                step: failed_step,
                attempt,
                result,
            });
        }
        held.then_some(spawned_rx)
    }

    /// The environment of a worker step: params, outputs of the steps it needs, ids.
    fn env_for(&self, step: &str, attempt: i64) -> Vec<(String, String)> {
        let mut env = vec![
            ("MAESTRO_RUN_ID".to_string(), self.run_id.clone()),
            ("MAESTRO_FLOW".to_string(), self.flow.name.clone()),
            ("MAESTRO_STEP_ID".to_string(), step.to_string()),
            ("MAESTRO_ATTEMPT".to_string(), attempt.to_string()),
            (
                "MAESTRO_IDEMPOTENCY_KEY".to_string(),
                format!("{}/{step}", self.run_id),
            ),
            (
                "MAESTRO_TENANT".to_string(),
                self.tenant
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ),
        ];
        for (k, v) in &self.params {
            env.push((format!("MAESTRO_PARAM_{}", env_name(k)), v.to_env()));
        }
        for a in crate::flow::plan::ancestors(&self.flow, step) {
            if let Some(row) = self.steps.get(a) {
                for (k, v) in &row.outputs {
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    env.push((format!("MAESTRO_STEP_{}_{}", env_name(a), env_name(k)), v));
                }
            }
        }
        env
    }

    /// Takes in how attempts ended: buffers the writes, updates the state in memory, and
    /// gives the freed slots to reserved steps.
    pub(super) fn absorb(&mut self, done: Vec<Done>) {
        let now = self.ctx.clock.now_rfc3339();
        for Done {
            step,
            attempt,
            result,
        } in done
        {
            let Some(r) = self.running.remove(&step).filter(|r| r.attempt == attempt) else {
                continue;
            };
            // A held step can end before its turn (its process died at the gate).
            self.reserved
                .retain(|(s, a)| !(*s == step && *a == attempt));
            self.finish_attempt(&step, attempt, result, &r, &now);
        }
        if !interrupt::requested() {
            self.spawn_reserved();
        }
    }

    pub(super) fn enforce_timeouts(&mut self) {
        let now = Instant::now();
        for r in self.running.values_mut() {
            match r.killing {
                None if r.deadline.is_some_and(|d| d <= now) => {
                    r.killing = Some((now, Stop::Timeout));
                    r.cancel.store(true, Ordering::Relaxed);
                    if let Some(pid) = r.pgid {
                        kill_group(pid, Signal::SIGTERM);
                    }
                }
                Some((at, _)) if now >= at + KILL_GRACE => {
                    if let Some(pid) = r.pgid {
                        kill_group(pid, Signal::SIGKILL);
                    }
                }
                _ => {}
            }
        }
    }

    /// Ctrl-C or SIGTERM: stop every running step, record the run as interrupted.
    pub(super) fn interrupt(
        &mut self,
        obs: &mut dyn FnMut(&FlowEvent),
    ) -> Result<RunReport, FlowError> {
        let start = Instant::now();
        for r in self.running.values_mut() {
            r.killing = Some((start, Stop::Interrupt));
            // A held step's process exits at its closed gate, without running the step.
            r.gate = None;
            r.cancel.store(true, Ordering::Relaxed);
            if let Some(pid) = r.pgid {
                kill_group(pid, Signal::SIGTERM);
            }
        }
        while !self.running.is_empty() && start.elapsed() < KILL_GRACE + Duration::from_secs(1) {
            if start.elapsed() >= KILL_GRACE {
                for r in self.running.values() {
                    if let Some(pid) = r.pgid {
                        kill_group(pid, Signal::SIGKILL);
                    }
                }
            }
            if let Ok(first) = self.rx.recv_timeout(Duration::from_millis(50)) {
                let mut msgs = vec![first];
                msgs.extend(self.rx.try_iter());
                self.absorb(msgs);
            }
        }
        let clock = self.ctx.clock;
        let at = clock.now_rfc3339();
        let mut leftovers: Vec<(String, i64)> = self
            .running
            .iter()
            .map(|(s, r)| (s.clone(), r.attempt))
            .collect();
        for left in std::mem::take(&mut self.reserved) {
            if !leftovers.contains(&left) {
                leftovers.push(left);
            }
        }
        for row in self
            .steps
            .values()
            .filter(|r| r.status == "waiting")
            .cloned()
            .collect::<Vec<_>>()
        {
            let mut r = row;
            r.status = "pending".into();
            self.buffer_step(r);
        }
        self.commit(&[])?;
        let (run_id, actor, tenant) = (self.run_id.clone(), &self.actor, &self.tenant);
        self.ctx.store.write(|db| -> Result<(), FlowError> {
            for (step, attempt) in &leftovers {
                mark_interrupted(db, &run_id, step, *attempt, &at)?;
            }
            db.flows().finish_run(
                &run_id,
                "interrupted",
                Some("interrupted by a signal"),
                false,
                Some(&at),
            )?;
            db.flows().set_lease(&run_id, None, None)?;
            let running: Vec<&String> = leftovers.iter().map(|(s, _)| s).collect();
            record(
                db,
                &clock,
                actor,
                tenant,
                "flow.run.interrupt",
                &run_id,
                "",
                json!({"running": running}),
            )?;
            Ok(())
        })?;
        for e in std::mem::take(&mut self.events) {
            obs(&e);
        }
        obs(&FlowEvent::RunFinished {
            run_id: run_id.clone(),
            status: "interrupted".into(),
            error: Some("interrupted by a signal".into()),
        });
        Err(FlowError::Interrupted { run_id })
    }
}

/// Sends `signal` to a process group; a group that is gone already is fine.
fn kill_group(pgid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pgid)
        && raw > 1
    {
        let _ = killpg(Pid::from_raw(raw), signal);
    }
}
