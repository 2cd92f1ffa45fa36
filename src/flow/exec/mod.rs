//! Executing a run: schedule ready steps (at most `jobs` workers at once, each step at most
//! once per attempt), checkpoint every state change in SQLite together with its audit event,
//! retry with exponential backoff and jitter, kill timed-out process groups, and stop cleanly
//! on Ctrl-C. Crash-safe: `resume` continues from the last checkpoint.
//!
//! One write path: what happened since the last pass (finished attempts, process ids, the
//! lease heartbeat) is buffered in memory, and each scheduling pass writes it together with
//! the pass's own decisions (skips, inline steps, starts) in one transaction. Events are
//! reported and processes started only after that transaction commits.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use serde_json::json;

mod steps;

pub use steps::StepReport;
use steps::{ScopeView, humanize, open_steps, render_args, settle};
pub(super) use steps::{kill_group, mark_interrupted, record};

use super::expr::Val;
use super::kinds::{self, AttemptResult, InlineCx, Mode, SubflowCx, WorkerCx};
use super::template::{Flow, FlowStep, env_name};
use super::{FlowError, FlowEvent, RunReport, interrupt};
use crate::context::Context;
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::{AttemptRow, StepRow};

/// How long a timed-out or interrupted process group gets between SIGTERM and SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How often the lease is renewed.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

struct Running {
    attempt: i64,
    started: Instant,
    started_at: String,
    deadline: Option<Instant>,
    pgid: Option<u32>,
    cancel: Arc<AtomicBool>,
    /// When and why we started killing it.
    killing: Option<(Instant, Stop)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Timeout,
    Interrupt,
}

enum Msg {
    Spawned {
        step: String,
        attempt: i64,
        pid: u32,
    },
    Done {
        step: String,
        attempt: i64,
        result: AttemptResult,
    },
}

/// A buffered write, flushed by the next pass's transaction.
enum Write {
    Step(StepRow),
    Attempt(AttemptRow),
    Pid {
        step: String,
        attempt: i64,
        pid: u32,
    },
    Audit {
        action: &'static str,
        step: String,
        details: serde_json::Value,
    },
    Lease,
}

/// What one scheduling pass decided.
enum Change {
    Skip { step: String, reason: String },
    Inline { step: String, attempt: i64 },
    Start { step: String, attempt: i64 },
}

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
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
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

    /// Decides what can happen now and commits it with the buffered writes, until nothing
    /// changes; then reports the events and starts the workers.
    fn schedule(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<(), FlowError> {
        loop {
            let changes = self.decide();
            // Process ids alone do not warrant a commit (an fsync): they ride along with the
            // next one, at the latest the lease heartbeat's.
            let lazy = self.writes.iter().all(|w| matches!(w, Write::Pid { .. }));
            if changes.is_empty() && lazy {
                return Ok(());
            }
            // Starting workers makes nothing else ready; skips and inline steps may.
            let settled = changes.iter().all(|c| matches!(c, Change::Start { .. }));
            self.commit(&changes)?;
            for c in changes {
                if let Change::Start { step, attempt } = c {
                    self.reserved.push((step, attempt));
                }
            }
            self.spawn_reserved();
            for e in std::mem::take(&mut self.events) {
                obs(&e);
            }
            if settled {
                return Ok(());
            }
        }
    }

    /// Pure: which steps to skip, run inline, or start. Up to `jobs` workers run, and up to
    /// `jobs` more are reserved: their attempt is recorded, so that when a worker finishes
    /// the next one starts at once instead of after the next commit's fsync.
    fn decide(&self) -> Vec<Change> {
        let now = Instant::now();
        let mut changes = Vec::new();
        let mut workers = self.running.len() + self.reserved.len();
        for id in &self.open {
            let ready = match self.steps[id].status.as_str() {
                "pending" => match self.verdict(id) {
                    None => false,
                    Some(Ok(())) => true,
                    Some(Err(reason)) => {
                        changes.push(Change::Skip {
                            step: id.clone(),
                            reason,
                        });
                        false
                    }
                },
                "waiting" => self.due.get(id).is_some_and(|d| *d <= now),
                _ => false,
            };
            if !ready {
                continue;
            }
            let attempt = self.steps[id].attempts + 1;
            let inline =
                kinds::lookup(&self.specs[id].uses).is_some_and(|k| k.mode() == Mode::Inline);
            if inline {
                changes.push(Change::Inline {
                    step: id.clone(),
                    attempt,
                });
            } else if workers < 2 * self.jobs {
                workers += 1;
                changes.push(Change::Start {
                    step: id.clone(),
                    attempt,
                });
            }
        }
        changes
    }

    /// For a pending step whose needs are all finished: `Ok` to run, `Err(reason)` to skip.
    /// `None` while some need is not finished.
    fn verdict(&self, id: &str) -> Option<Result<(), String>> {
        let fs = &self.specs[id];
        if fs.needs.iter().any(|n| {
            !matches!(
                self.steps[n].status.as_str(),
                "succeeded" | "failed" | "skipped"
            )
        }) {
            return None;
        }
        if let Some((text, e)) = &fs.condition {
            return Some(if e.eval(self).truthy() {
                Ok(())
            } else {
                Err(format!("condition `{text}` is false"))
            });
        }
        for n in &fs.needs {
            let need = &self.steps[n];
            let passed = need.status == "succeeded"
                || (need.status == "failed" && self.specs[n].continue_on_failure);
            if !passed {
                let what = if need.status == "skipped" {
                    "was skipped"
                } else {
                    "failed"
                };
                return Some(Err(format!("needs `{n}`, which {what}")));
            }
        }
        Some(Ok(()))
    }

    /// One transaction: the buffered writes, then this pass's changes (inline steps run
    /// inside it, each in a savepoint that undoes its effect if it fails).
    fn commit(&mut self, changes: &[Change]) -> Result<(), FlowError> {
        let clock = self.ctx.clock;
        let now = clock.now_rfc3339();
        for c in changes {
            match c {
                Change::Skip { step, reason } => {
                    let mut row = self.steps[step].clone();
                    row.status = "skipped".into();
                    row.error = Some(reason.clone());
                    row.finished_at = Some(now.clone());
                    self.buffer_step(row);
                    self.writes.push(Write::Audit {
                        action: "flow.step.skip",
                        step: step.clone(),
                        details: json!({"reason": reason}),
                    });
                    self.events.push(FlowEvent::StepSkipped {
                        run_id: self.run_id.clone(),
                        step: step.clone(),
                        reason: reason.clone(),
                    });
                }
                Change::Start { step, attempt } => {
                    let mut row = self.steps[step].clone();
                    row.status = "running".into();
                    row.attempts = *attempt;
                    row.started_at.get_or_insert(now.clone());
                    self.buffer_step(row);
                    self.writes.push(Write::Attempt(AttemptRow {
                        step_id: step.clone(),
                        attempt: *attempt,
                        status: "running".into(),
                        pid: None,
                        exit_code: None,
                        started_at: now.clone(),
                        finished_at: None,
                        stdout: String::new(),
                        stderr: String::new(),
                        error: None,
                    }));
                    self.writes.push(Write::Audit {
                        action: "flow.step.start",
                        step: step.clone(),
                        details: json!({"attempt": attempt}),
                    });
                }
                Change::Inline { .. } => {}
            }
        }
        let writes = std::mem::take(&mut self.writes);
        let run_id = self.run_id.clone();
        let inline: Vec<(String, i64)> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Inline { step, attempt } => Some((step.clone(), *attempt)),
                _ => None,
            })
            .collect();
        let pid = i64::from(std::process::id());
        let Context { store, config, .. } = &mut *self.ctx;
        let (specs, actor, tenant) = (&self.specs, &self.actor, &self.tenant);
        let scope = ScopeView {
            steps: &self.steps,
            params: &self.params,
            tenant,
            run_id: &run_id,
        };
        let results = store.write(
            |db| -> Result<Vec<(String, i64, AttemptResult, Duration)>, FlowError> {
                for w in &writes {
                    match w {
                        Write::Step(row) => db.flows().update_step(&run_id, row)?,
                        Write::Attempt(a) => db.flows().put_attempt(&run_id, a)?,
                        Write::Pid { step, attempt, pid } => {
                            db.flows()
                                .set_attempt_pid(&run_id, step, *attempt, i64::from(*pid))?
                        }
                        Write::Audit {
                            action,
                            step,
                            details,
                        } => record(
                            db,
                            &clock,
                            actor,
                            tenant,
                            action,
                            &run_id,
                            step,
                            details.clone(),
                        )?,
                        Write::Lease => {
                            db.flows()
                                .set_lease(&run_id, Some(pid), Some(&clock.now_rfc3339()))?
                        }
                    }
                }
                let mut results = Vec::new();
                for (step, attempt) in &inline {
                    let fs = &specs[step];
                    let kind = kinds::lookup(&fs.uses).ok_or_else(|| {
                        FlowError::Internal(format!("unknown kind `{}`", fs.uses))
                    })?;
                    let args = render_args(&fs.with, &scope);
                    let cx = InlineCx {
                        db,
                        config,
                        clock: &clock,
                        actor,
                        run_id: &run_id,
                        step_id: step,
                        tenant: tenant.as_ref().map(|t| t.as_str()),
                    };
                    let started = Instant::now();
                    // The step's own writes are undone when it fails; its record is not.
                    let result = db.savepoint(|_| {
                        let r = kind.run_inline(&cx, &args);
                        // A denial keeps its writes: the logged decision that refused it.
                        let keep = r.success || r.denied;
                        (r, keep)
                    })?;
                    let mut row = scope.steps[step].clone();
                    let status = if result.success {
                        "succeeded"
                    } else {
                        "failed"
                    };
                    db.flows().put_attempt(
                        &run_id,
                        &AttemptRow {
                            step_id: step.clone(),
                            attempt: *attempt,
                            status: status.into(),
                            pid: None,
                            exit_code: result.exit_code.map(i64::from),
                            started_at: now.clone(),
                            finished_at: Some(now.clone()),
                            stdout: String::new(),
                            stderr: String::new(),
                            error: result.error.clone(),
                        },
                    )?;
                    row.started_at.get_or_insert(now.clone());
                    settle(&mut row, fs, &result, *attempt, false, &now);
                    db.flows().update_step(&run_id, &row)?;
                    record(
                        db,
                        &clock,
                        actor,
                        tenant,
                        "flow.step.finish",
                        &run_id,
                        step,
                        json!({
                            "attempt": attempt, "status": status, "exit_code": result.exit_code,
                            "error": result.error, "denied": result.denied, "outputs": row.outputs,
                        }),
                    )?;
                    results.push((step.clone(), *attempt, result, started.elapsed()));
                }
                Ok(results)
            },
        )?;
        for (step, attempt, result, took) in results {
            let mut row = self.steps[&step].clone();
            row.started_at.get_or_insert(now.clone());
            let retry = settle(&mut row, &self.specs[&step], &result, attempt, false, &now);
            let status = if result.success {
                "succeeded"
            } else {
                "failed"
            };
            self.events.push(FlowEvent::StepFinished {
                run_id: self.run_id.clone(),
                step: step.clone(),
                attempt,
                status: status.into(),
                exit_code: result.exit_code,
                error: result.error.clone(),
                duration_ms: took.as_millis() as u64,
            });
            self.note_retry(&row, retry);
            self.set_step(row);
        }
        Ok(())
    }

    /// Records a new step state in memory now and in the store with the next commit.
    fn buffer_step(&mut self, row: StepRow) {
        self.writes.push(Write::Step(row.clone()));
        self.set_step(row);
    }

    fn set_step(&mut self, row: StepRow) {
        if row.status != "waiting" {
            self.due.remove(&row.step_id);
        }
        let open = matches!(row.status.as_str(), "pending" | "waiting");
        let was_open = self
            .steps
            .get(&row.step_id)
            .is_some_and(|r| matches!(r.status.as_str(), "pending" | "waiting"));
        let id = row.step_id.clone();
        self.steps.insert(row.step_id.clone(), row);
        if was_open && !open {
            self.open.retain(|s| *s != id);
        } else if open && !was_open {
            self.open = open_steps(&self.order, &self.steps);
        }
    }

    fn note_retry(&mut self, row: &StepRow, retry: Option<Duration>) {
        if let Some(delay) = retry {
            self.due.insert(row.step_id.clone(), Instant::now() + delay);
            self.events.push(FlowEvent::StepRetrying {
                run_id: self.run_id.clone(),
                step: row.step_id.clone(),
                next_attempt: row.attempts + 1,
                delay_ms: delay.as_millis() as u64,
            });
        }
    }

    /// Starts reserved steps while a worker slot is free.
    fn spawn_reserved(&mut self) {
        while self.running.len() < self.jobs && !self.reserved.is_empty() {
            let (step, attempt) = self.reserved.remove(0);
            self.spawn(&step, attempt);
        }
    }

    /// Starts a worker step on its own thread (its `running` attempt is already committed).
    fn spawn(&mut self, step: &str, attempt: i64) {
        self.events.push(FlowEvent::StepStarted {
            run_id: self.run_id.clone(),
            step: step.to_string(),
            attempt,
        });
        let fs = self.specs[step].clone();
        let Some(kind) = kinds::lookup(&fs.uses) else {
            return;
        };
        let scope = ScopeView {
            steps: &self.steps,
            params: &self.params,
            tenant: &self.tenant,
            run_id: &self.run_id,
        };
        let args = render_args(&fs.with, &scope);
        let env = self.env_for(&fs.id, attempt);
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, spawned_tx) = (self.tx.clone(), self.tx.clone());
        let (step_id, spawned_step) = (step.to_string(), step.to_string());
        let cx = WorkerCx {
            env,
            cancel: cancel.clone(),
            on_spawn: Box::new(move |pid| {
                let _ = spawned_tx.send(Msg::Spawned {
                    step: spawned_step,
                    attempt,
                    pid,
                });
            }),
            scratch: self.scratch.join(format!("{step}-{attempt}")),
            sub: SubflowCx {
                state: self.ctx.store.path().to_path_buf(),
                config: self.ctx.config.clone(),
                clock: self.ctx.clock,
                actor: self.actor.clone(),
                run_id: self.run_id.clone(),
                step_id: step_id.clone(),
                tenant: self.tenant.as_ref().map(|t| t.to_string()),
                jobs: self.jobs,
                templates: self.templates.clone(),
            },
        };
        // The attempt really starts now (it may have waited reserved for a slot).
        let started_at = self.ctx.clock.now_rfc3339();
        self.running.insert(
            step_id.clone(),
            Running {
                attempt,
                started: Instant::now(),
                started_at,
                deadline: fs.timeout.map(|t| Instant::now() + t),
                pgid: None,
                cancel,
                killing: None,
            },
        );
        let failed_tx = tx.clone();
        let failed_step = step_id.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("step-{step_id}"))
            .stack_size(kind.worker_stack())
            .spawn(move || {
                let result = kind.run_worker(cx, args);
                let _ = tx.send(Msg::Done {
                    step: step_id,
                    attempt,
                    result,
                });
            });
        if let Err(e) = spawned {
            let result = AttemptResult::failed(format!("cannot start a worker thread: {e}"), None);
            let _ = failed_tx.send(Msg::Done {
                step: failed_step,
                attempt,
                result,
            });
        }
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
        for a in super::plan::ancestors(&self.flow, step) {
            if let Some(row) = self.steps.get(a) {
                for (k, v) in &row.outputs {
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    env.push((format!("MAESTRO_STEP_{}_{}", env_name(a), env_name(k)), v));
                }
            }
        }
        env
    }

    /// Takes in what workers reported: buffers the writes, updates the state in memory.
    fn absorb(&mut self, msgs: Vec<Msg>) {
        let now = self.ctx.clock.now_rfc3339();
        for m in msgs {
            match m {
                Msg::Spawned { step, attempt, pid } => {
                    if let Some(r) = self.running.get_mut(&step).filter(|r| r.attempt == attempt) {
                        r.pgid = Some(pid);
                        if r.killing.is_some() {
                            kill_group(pid, Signal::SIGKILL);
                        }
                        self.writes.push(Write::Pid { step, attempt, pid });
                    }
                }
                Msg::Done {
                    step,
                    attempt,
                    result,
                } => {
                    let Some(r) = self.running.remove(&step).filter(|r| r.attempt == attempt)
                    else {
                        continue;
                    };
                    self.finish_attempt(&step, attempt, result, &r, &now);
                }
            }
        }
        if !interrupt::requested() {
            self.spawn_reserved();
        }
    }

    fn finish_attempt(
        &mut self,
        step: &str,
        attempt: i64,
        result: AttemptResult,
        r: &Running,
        now: &str,
    ) {
        let stop = r.killing.map(|(_, s)| s);
        let status = match (result.success, stop) {
            (true, _) => "succeeded",
            (false, Some(Stop::Timeout)) => "timed_out",
            (false, Some(Stop::Interrupt)) => "interrupted",
            (false, None) => "failed",
        };
        let timeout = self.specs[step].timeout.unwrap_or_default();
        let error = match stop {
            Some(Stop::Timeout) if !result.success => Some(format!(
                "timed out after {}; its process group was killed",
                humanize(timeout)
            )),
            _ => result.error.clone(),
        };
        self.writes.push(Write::Attempt(AttemptRow {
            step_id: step.to_string(),
            attempt,
            status: status.into(),
            pid: r.pgid.map(i64::from),
            exit_code: result.exit_code.map(i64::from),
            started_at: r.started_at.clone(),
            finished_at: Some(now.to_string()),
            stdout: result.stdout.clone(),
            stderr: result.stderr.clone(),
            error: error.clone(),
        }));
        let effective = AttemptResult {
            error: error.clone(),
            exit_code: if stop == Some(Stop::Timeout) {
                None
            } else {
                result.exit_code
            },
            ..result.clone()
        };
        let mut row = self.steps[step].clone();
        if attempt == 1 {
            row.started_at = Some(r.started_at.clone());
        }
        let retry = settle(
            &mut row,
            &self.specs[step],
            &effective,
            attempt,
            stop == Some(Stop::Interrupt),
            now,
        );
        self.writes.push(Write::Audit {
            action: "flow.step.finish",
            step: step.to_string(),
            details: json!({
                "attempt": attempt, "status": status, "exit_code": result.exit_code, "error": error,
                "denied": result.denied, "outputs": row.outputs,
            }),
        });
        self.events.push(FlowEvent::StepFinished {
            run_id: self.run_id.clone(),
            step: step.to_string(),
            attempt,
            status: status.into(),
            exit_code: result.exit_code,
            error,
            duration_ms: r.started.elapsed().as_millis() as u64,
        });
        self.note_retry(&row, retry);
        self.buffer_step(row);
    }

    fn enforce_timeouts(&mut self) {
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
    fn interrupt(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        let start = Instant::now();
        for r in self.running.values_mut() {
            r.killing = Some((start, Stop::Interrupt));
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
        leftovers.append(&mut self.reserved);
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
