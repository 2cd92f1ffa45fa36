//! Executing a run: schedule ready steps (at most `jobs` workers at once, each step at most
//! once per attempt), checkpoint every state change in SQLite together with its audit event,
//! retry with exponential backoff and jitter, kill timed-out process groups, and stop cleanly
//! on Ctrl-C. Crash-safe: `resume` continues from the last checkpoint.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::Serialize;
use serde_json::json;

use super::expr::{Scope, Val, parse_template, render};
use super::kinds::{self, AttemptResult, InlineCx, Mode, SubflowCx, WorkerCx};
use super::template::{Flow, env_name};
use super::{FlowError, FlowEvent, RunReport, interrupt};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::ids::{PrincipalId, TenantId};
use crate::store::{AttemptRow, Db, StepRow, StoreError};

/// How long a timed-out or interrupted process group gets between SIGTERM and SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How often the lease is renewed.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

struct Running {
    attempt: i64,
    started: Instant,
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

pub(super) struct Exec<'c> {
    pub ctx: &'c mut Context,
    pub run_id: String,
    pub flow: Flow,
    pub order: Vec<String>,
    pub params: BTreeMap<String, Val>,
    pub tenant: Option<TenantId>,
    pub actor: PrincipalId,
    pub jobs: usize,
    pub steps: BTreeMap<String, StepRow>,
    pub templates: Vec<std::path::PathBuf>,
    running: BTreeMap<String, Running>,
    due: BTreeMap<String, Instant>,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    last_heartbeat: Instant,
}

/// What one pass of the scheduler decided, before it is written.
enum Change {
    Skip { step: String, reason: String },
    Inline { step: String, attempt: i64 },
    Start { step: String, attempt: i64 },
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
        let order = super::plan::plan(&flow)
            .waves
            .into_iter()
            .flatten()
            .map(|s| s.id)
            .collect();
        let (tx, rx) = mpsc::channel();
        Exec {
            ctx,
            run_id,
            flow,
            order,
            params,
            tenant,
            actor,
            jobs: jobs.max(1),
            steps,
            templates,
            running: BTreeMap::new(),
            due: BTreeMap::new(),
            tx,
            rx,
            last_heartbeat: Instant::now(),
        }
    }

    pub fn run(mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        loop {
            if interrupt::requested() {
                return self.interrupt(obs);
            }
            self.schedule(obs)?;
            if self.running.is_empty() && self.due.is_empty() && !self.has_ready_or_pending() {
                return self.finish(obs);
            }
            let wait = self.next_wake();
            match self.rx.recv_timeout(wait) {
                Ok(first) => {
                    let mut msgs = vec![first];
                    msgs.extend(self.rx.try_iter());
                    self.handle(msgs, obs)?;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable_disconnect(),
            }
            self.enforce_timeouts();
            self.heartbeat()?;
        }
    }

    fn has_ready_or_pending(&self) -> bool {
        self.steps.values().any(|s| s.status == "pending")
    }

    /// Sleeps at most until the next timeout, retry or heartbeat.
    fn next_wake(&self) -> Duration {
        let now = Instant::now();
        let mut wake = now + Duration::from_millis(200);
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

    /// Decides and records skips, inline steps and worker starts until nothing changes.
    fn schedule(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<(), FlowError> {
        loop {
            let now = Instant::now();
            let mut changes = Vec::new();
            let mut workers = 0;
            for id in &self.order {
                let step = &self.steps[id];
                let ready = match step.status.as_str() {
                    "pending" => {
                        let Some(verdict) = self.verdict(id) else {
                            continue;
                        };
                        match verdict {
                            Ok(()) => true,
                            Err(reason) => {
                                changes.push(Change::Skip {
                                    step: id.clone(),
                                    reason,
                                });
                                continue;
                            }
                        }
                    }
                    "waiting" => self.due.get(id).is_some_and(|d| *d <= now),
                    _ => false,
                };
                if !ready {
                    continue;
                }
                let fs = self
                    .flow
                    .step(id)
                    .ok_or_else(|| FlowError::Internal(format!("step `{id}` vanished")))?;
                let kind = kinds::lookup(&fs.uses)
                    .ok_or_else(|| FlowError::Internal(format!("kind `{}`", fs.uses)))?;
                let attempt = step.attempts + 1;
                if kind.mode() == Mode::Inline {
                    changes.push(Change::Inline {
                        step: id.clone(),
                        attempt,
                    });
                } else if self.running.len() + workers < self.jobs {
                    workers += 1;
                    changes.push(Change::Start {
                        step: id.clone(),
                        attempt,
                    });
                }
            }
            if changes.is_empty() {
                return Ok(());
            }
            let events = self.apply(&changes)?;
            for e in &events {
                obs(e);
            }
            for c in changes {
                if let Change::Start { step, attempt } = c {
                    self.spawn(&step, attempt);
                }
            }
        }
    }

    /// For a pending step whose needs are all finished: `Ok` to run, `Err(reason)` to skip.
    /// `None` while some need is not finished.
    fn verdict(&self, id: &str) -> Option<Result<(), String>> {
        let fs = self.flow.step(id)?;
        for n in &fs.needs {
            if !matches!(
                self.steps[n].status.as_str(),
                "succeeded" | "failed" | "skipped"
            ) {
                return None;
            }
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
                || (need.status == "failed"
                    && self.flow.step(n).is_some_and(|s| s.continue_on_failure));
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

    /// Writes one pass's changes in one transaction; runs inline steps inside it.
    fn apply(&mut self, changes: &[Change]) -> Result<Vec<FlowEvent>, FlowError> {
        let clock = self.ctx.clock;
        let now = clock.now_rfc3339();
        let run_id = self.run_id.clone();
        let mut events = Vec::new();
        let mut updated: Vec<StepRow> = Vec::new();
        let Context { store, config, .. } = &mut *self.ctx;
        let (flow, steps, actor, tenant, params) = (
            &self.flow,
            &self.steps,
            &self.actor,
            &self.tenant,
            &self.params,
        );
        let scope = ScopeView {
            steps,
            params,
            tenant,
            run_id: &run_id,
        };
        store.write(|db| -> Result<(), FlowError> {
            for c in changes {
                match c {
                    Change::Skip { step, reason } => {
                        let mut row = steps[step].clone();
                        row.status = "skipped".into();
                        row.error = Some(reason.clone());
                        row.finished_at = Some(now.clone());
                        db.flows().update_step(&run_id, &row)?;
                        record(db, &clock, actor, tenant, "flow.step.skip", &run_id, step, json!({"reason": reason}))?;
                        events.push(FlowEvent::StepSkipped { run_id: run_id.clone(), step: step.clone(), reason: reason.clone() });
                        updated.push(row);
                    }
                    Change::Inline { step, attempt } => {
                        let fs = flow.step(step).ok_or_else(|| FlowError::Internal(step.clone()))?;
                        let kind = kinds::lookup(&fs.uses).ok_or_else(|| FlowError::Internal(fs.uses.clone()))?;
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
                            let keep = r.success;
                            (r, keep)
                        })?;
                        let mut row = steps[step].clone();
                        row.attempts = *attempt;
                        row.started_at.get_or_insert(now.clone());
                        let attempt_row = AttemptRow {
                            step_id: step.clone(),
                            attempt: *attempt,
                            status: if result.success { "succeeded" } else { "failed" }.into(),
                            pid: None,
                            exit_code: result.exit_code.map(i64::from),
                            started_at: now.clone(),
                            finished_at: Some(now.clone()),
                            stdout: String::new(),
                            stderr: String::new(),
                            error: result.error.clone(),
                        };
                        db.flows().put_attempt(&run_id, &attempt_row)?;
                        let (status, retry_in) = settle(&mut row, fs, &result, *attempt, false, &now);
                        db.flows().update_step(&run_id, &row)?;
                        record(db, &clock, actor, tenant, "flow.step.finish", &run_id, step, json!({
                            "attempt": attempt, "status": attempt_row.status, "exit_code": result.exit_code,
                            "error": result.error, "denied": result.denied, "outputs": row.outputs,
                        }))?;
                        events.push(FlowEvent::StepFinished {
                            run_id: run_id.clone(),
                            step: step.clone(),
                            attempt: *attempt,
                            status: attempt_row.status.clone(),
                            exit_code: result.exit_code,
                            error: result.error.clone(),
                            duration_ms: started.elapsed().as_millis() as u64,
                        });
                        if let Some(delay) = retry_in {
                            events.push(FlowEvent::StepRetrying { run_id: run_id.clone(), step: step.clone(), next_attempt: attempt + 1, delay_ms: delay.as_millis() as u64 });
                        }
                        let _ = status;
                        updated.push(row);
                    }
                    Change::Start { step, attempt } => {
                        let mut row = steps[step].clone();
                        row.status = "running".into();
                        row.attempts = *attempt;
                        row.started_at.get_or_insert(now.clone());
                        db.flows().update_step(&run_id, &row)?;
                        db.flows().put_attempt(&run_id, &AttemptRow {
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
                        })?;
                        record(db, &clock, actor, tenant, "flow.step.start", &run_id, step, json!({"attempt": attempt}))?;
                        events.push(FlowEvent::StepStarted { run_id: run_id.clone(), step: step.clone(), attempt: *attempt });
                        updated.push(row);
                    }
                }
            }
            Ok(())
        })?;
        for row in updated {
            if row.status == "waiting" {
                let fs = self.flow.step(&row.step_id);
                let delay = fs.map_or(Duration::ZERO, |f| {
                    jitter(
                        f.retry.delay_before(row.attempts as u32 + 1),
                        &row.step_id,
                        row.attempts,
                    )
                });
                self.due.insert(row.step_id.clone(), Instant::now() + delay);
            } else {
                self.due.remove(&row.step_id);
            }
            self.steps.insert(row.step_id.clone(), row);
        }
        Ok(events)
    }

    /// Starts a worker step on its own thread (its `running` attempt is already recorded).
    fn spawn(&mut self, step: &str, attempt: i64) {
        let Some(fs) = self.flow.step(step).cloned() else {
            return;
        };
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
        let tx = self.tx.clone();
        let spawned_tx = self.tx.clone();
        let step_id = step.to_string();
        let spawned_step = step_id.clone();
        let scratch =
            std::env::temp_dir().join(format!("maestro-{}-{}-{attempt}", self.run_id, step));
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
            scratch,
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
        self.running.insert(
            step_id.clone(),
            Running {
                attempt,
                started: Instant::now(),
                deadline: fs.timeout.map(|t| Instant::now() + t),
                pgid: None,
                cancel,
                killing: None,
            },
        );
        std::thread::spawn(move || {
            let result = kind.run_worker(cx, args);
            let _ = tx.send(Msg::Done {
                step: step_id,
                attempt,
                result,
            });
        });
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

    fn handle(&mut self, msgs: Vec<Msg>, obs: &mut dyn FnMut(&FlowEvent)) -> Result<(), FlowError> {
        let mut done = Vec::new();
        let mut spawned = Vec::new();
        for m in msgs {
            match m {
                Msg::Spawned { step, attempt, pid } => {
                    if let Some(r) = self.running.get_mut(&step).filter(|r| r.attempt == attempt) {
                        r.pgid = Some(pid);
                        if r.killing.is_some() {
                            kill_group(pid, Signal::SIGKILL);
                        }
                        spawned.push((step, attempt, pid));
                    }
                }
                Msg::Done {
                    step,
                    attempt,
                    result,
                } => done.push((step, attempt, result)),
            }
        }
        if !spawned.is_empty() {
            let run_id = self.run_id.clone();
            self.ctx.store.write(|db| -> Result<(), StoreError> {
                for (step, attempt, pid) in &spawned {
                    db.flows()
                        .set_attempt_pid(&run_id, step, *attempt, i64::from(*pid))?;
                }
                Ok(())
            })?;
        }
        if done.is_empty() {
            return Ok(());
        }
        let events = self.record_done(done)?;
        for e in &events {
            obs(e);
        }
        Ok(())
    }

    /// Checkpoints finished worker attempts, all in one transaction.
    fn record_done(
        &mut self,
        done: Vec<(String, i64, AttemptResult)>,
    ) -> Result<Vec<FlowEvent>, FlowError> {
        let clock = self.ctx.clock;
        let now = clock.now_rfc3339();
        let run_id = self.run_id.clone();
        let mut events = Vec::new();
        let mut updated = Vec::new();
        let mut finished = Vec::new();
        for (step, attempt, result) in done {
            let Some(r) = self.running.remove(&step).filter(|r| r.attempt == attempt) else {
                continue;
            };
            finished.push((step, attempt, result, r));
        }
        let (flow, steps, actor, tenant) = (&self.flow, &self.steps, &self.actor, &self.tenant);
        self.ctx.store.write(|db| -> Result<(), FlowError> {
            for (step, attempt, result, r) in &finished {
                let fs = flow.step(step).ok_or_else(|| FlowError::Internal(step.clone()))?;
                let stop = r.killing.map(|(_, s)| s);
                let status = match (result.success, stop) {
                    (true, _) => "succeeded",
                    (false, Some(Stop::Timeout)) => "timed_out",
                    (false, Some(Stop::Interrupt)) => "interrupted",
                    (false, None) => "failed",
                };
                let error = match stop {
                    Some(Stop::Timeout) if !result.success => Some(format!(
                        "timed out after {}; its process group was killed",
                        humanize(fs.timeout.unwrap_or_default())
                    )),
                    _ => result.error.clone(),
                };
                let started_at = db
                    .flows()
                    .attempts(&run_id, Some(step))?
                    .into_iter()
                    .find(|a| a.attempt == *attempt)
                    .map_or(now.clone(), |a| a.started_at);
                db.flows().put_attempt(&run_id, &AttemptRow {
                    step_id: step.clone(),
                    attempt: *attempt,
                    status: status.into(),
                    pid: r.pgid.map(i64::from),
                    exit_code: result.exit_code.map(i64::from),
                    started_at,
                    finished_at: Some(now.clone()),
                    stdout: result.stdout.clone(),
                    stderr: result.stderr.clone(),
                    error: error.clone(),
                })?;
                let mut row = steps[step].clone();
                let effective = AttemptResult { error: error.clone(), exit_code: if stop == Some(Stop::Timeout) { None } else { result.exit_code }, ..result.clone() };
                let (_, retry_in) = settle(&mut row, fs, &effective, *attempt, stop == Some(Stop::Interrupt), &now);
                db.flows().update_step(&run_id, &row)?;
                record(db, &clock, actor, tenant, "flow.step.finish", &run_id, step, json!({
                    "attempt": attempt, "status": status, "exit_code": result.exit_code, "error": error,
                    "denied": result.denied, "outputs": row.outputs,
                }))?;
                events.push(FlowEvent::StepFinished {
                    run_id: run_id.clone(),
                    step: step.clone(),
                    attempt: *attempt,
                    status: status.into(),
                    exit_code: result.exit_code,
                    error,
                    duration_ms: r.started.elapsed().as_millis() as u64,
                });
                if let Some(delay) = retry_in {
                    events.push(FlowEvent::StepRetrying { run_id: run_id.clone(), step: step.clone(), next_attempt: attempt + 1, delay_ms: delay.as_millis() as u64 });
                }
                updated.push(row);
            }
            Ok(())
        })?;
        for row in updated {
            if row.status == "waiting" {
                let fs = self.flow.step(&row.step_id);
                let delay = fs.map_or(Duration::ZERO, |f| {
                    jitter(
                        f.retry.delay_before(row.attempts as u32 + 1),
                        &row.step_id,
                        row.attempts,
                    )
                });
                self.due.insert(row.step_id.clone(), Instant::now() + delay);
            } else {
                self.due.remove(&row.step_id);
            }
            self.steps.insert(row.step_id.clone(), row);
        }
        Ok(events)
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

    fn heartbeat(&mut self) -> Result<(), FlowError> {
        if self.last_heartbeat.elapsed() < HEARTBEAT {
            return Ok(());
        }
        self.last_heartbeat = Instant::now();
        let at = self.ctx.clock.now_rfc3339();
        let (id, pid) = (self.run_id.clone(), i64::from(std::process::id()));
        self.ctx
            .store
            .write(|db| db.flows().set_lease(&id, Some(pid), Some(&at)))?;
        Ok(())
    }

    /// Ctrl-C or SIGTERM: stop every running step, record the run as interrupted.
    fn interrupt(mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        let now = Instant::now();
        for r in self.running.values_mut() {
            r.killing = Some((now, Stop::Interrupt));
            r.cancel.store(true, Ordering::Relaxed);
            if let Some(pid) = r.pgid {
                kill_group(pid, Signal::SIGTERM);
            }
        }
        let give_up = now + KILL_GRACE + Duration::from_secs(1);
        while !self.running.is_empty() && Instant::now() < give_up {
            if Instant::now() >= now + KILL_GRACE {
                for r in self.running.values() {
                    if let Some(pid) = r.pgid {
                        kill_group(pid, Signal::SIGKILL);
                    }
                }
            }
            if let Ok(first) = self.rx.recv_timeout(Duration::from_millis(50)) {
                let mut msgs = vec![first];
                msgs.extend(self.rx.try_iter());
                self.handle(msgs, obs)?;
            }
        }
        let (clock, run_id) = (self.ctx.clock, self.run_id.clone());
        let at = clock.now_rfc3339();
        let (actor, tenant) = (&self.actor, &self.tenant);
        let leftovers: Vec<(String, i64)> = self
            .running
            .iter()
            .map(|(s, r)| (s.clone(), r.attempt))
            .collect();
        let steps = &self.steps;
        self.ctx.store.write(|db| -> Result<(), FlowError> {
            for (step, attempt) in &leftovers {
                mark_interrupted(db, &run_id, step, *attempt, &at)?;
            }
            for row in steps.values().filter(|r| r.status == "waiting") {
                let mut r = row.clone();
                r.status = "pending".into();
                db.flows().update_step(&run_id, &r)?;
            }
            db.flows().finish_run(
                &run_id,
                "interrupted",
                Some("interrupted by a signal"),
                false,
                Some(&at),
            )?;
            db.flows().set_lease(&run_id, None, None)?;
            record(
                db,
                &clock,
                actor,
                tenant,
                "flow.run.interrupt",
                &run_id,
                "",
                json!({"running": leftovers.iter().map(|(s, _)| s).collect::<Vec<_>>()}),
            )?;
            Ok(())
        })?;
        obs(&FlowEvent::RunFinished {
            run_id: run_id.clone(),
            status: "interrupted".into(),
            error: Some("interrupted by a signal".into()),
        });
        Err(FlowError::Interrupted { run_id })
    }

    fn finish(self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<RunReport, FlowError> {
        let failed: Vec<&StepRow> = self
            .steps
            .values()
            .filter(|s| {
                s.status == "failed"
                    && !self
                        .flow
                        .step(&s.step_id)
                        .is_some_and(|f| f.continue_on_failure)
            })
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
        let run_id = self.run_id.clone();
        let (actor, tenant) = (&self.actor, &self.tenant);
        self.ctx.store.write(|db| -> Result<(), FlowError> {
            db.flows()
                .finish_run(&run_id, status, error.as_deref(), denied, Some(&at))?;
            db.flows().set_lease(&run_id, None, None)?;
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

fn unreachable_disconnect() {
    // The engine holds a sender itself, so the channel cannot disconnect.
}

/// Applies an attempt's result to its step: succeeded, waiting for a retry, failed, or back
/// to pending when interrupted. Returns the new status and the retry delay, if any.
fn settle(
    row: &mut StepRow,
    fs: &super::template::FlowStep,
    result: &AttemptResult,
    attempt: i64,
    interrupted: bool,
    now: &str,
) -> (String, Option<Duration>) {
    row.attempts = attempt;
    if result.success {
        row.status = "succeeded".into();
        row.error = None;
        row.denied = false;
        row.outputs = result
            .outputs
            .iter()
            .filter(|(k, _)| fs.outputs.contains(k))
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        row.finished_at = Some(now.to_string());
        return (row.status.clone(), None);
    }
    row.error = result.error.clone();
    row.denied = result.denied;
    if interrupted {
        row.status = "pending".into();
        return (row.status.clone(), None);
    }
    if !result.denied
        && (attempt as u32) < fs.retry.max_attempts
        && fs.retry.retries(result.exit_code)
    {
        row.status = "waiting".into();
        let delay = jitter(fs.retry.delay_before(attempt as u32 + 1), &fs.id, attempt);
        return (row.status.clone(), Some(delay));
    }
    row.status = "failed".into();
    row.finished_at = Some(now.to_string());
    (row.status.clone(), None)
}

pub(super) fn mark_interrupted(
    db: &Db<'_>,
    run_id: &str,
    step: &str,
    attempt: i64,
    at: &str,
) -> Result<(), StoreError> {
    if let Some(mut a) = db
        .flows()
        .attempts(run_id, Some(step))?
        .into_iter()
        .find(|a| a.attempt == attempt)
    {
        a.status = "interrupted".into();
        a.finished_at = Some(at.to_string());
        a.error
            .get_or_insert_with(|| "interrupted before it finished".into());
        db.flows().put_attempt(run_id, &a)?;
    }
    if let Some(mut s) = db
        .flows()
        .steps(run_id)?
        .into_iter()
        .find(|s| s.step_id == step)
    {
        s.status = "pending".into();
        db.flows().update_step(run_id, &s)?;
    }
    Ok(())
}

/// Appends a flow audit event.
#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    db: &Db<'_>,
    clock: &crate::clock::Clock,
    actor: &PrincipalId,
    tenant: &Option<TenantId>,
    action: &'static str,
    run_id: &str,
    step: &str,
    mut details: serde_json::Value,
) -> Result<(), StoreError> {
    if let Some(m) = details.as_object_mut() {
        m.insert("run_id".into(), run_id.into());
        if !step.is_empty() {
            m.insert("step".into(), step.into());
        }
    }
    let target = if step.is_empty() {
        format!("run/{run_id}")
    } else {
        format!("run/{run_id}/{step}")
    };
    audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: tenant.clone(),
            action,
            target,
            details,
        },
    )?;
    Ok(())
}

/// Sends `signal` to a process group; a group that is gone already is fine.
pub(super) fn kill_group(pgid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pgid)
        && raw > 1
    {
        let _ = killpg(Pid::from_raw(raw), signal);
    }
}

/// ±20 % of `d`, decided by a small hash of the step and attempt (spreads retries of many
/// steps without a random number generator).
fn jitter(d: Duration, step: &str, attempt: i64) -> Duration {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in step.bytes().chain(attempt.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    h ^= u64::from(nanos);
    let f = 0.8 + (h % 4001) as f64 / 10_000.0;
    d.mul_f64(f)
}

fn humanize(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Renders `${{ }}` in every string of `with`.
fn render_args(with: &BTreeMap<String, serde_json::Value>, scope: &dyn Scope) -> kinds::Args {
    fn go(v: &serde_json::Value, scope: &dyn Scope) -> serde_json::Value {
        match v {
            serde_json::Value::String(s) if s.contains("${{") => match parse_template(s) {
                Ok(p) => render(&p, scope).to_json(),
                Err(_) => v.clone(),
            },
            serde_json::Value::Array(a) => a.iter().map(|x| go(x, scope)).collect(),
            serde_json::Value::Object(m) => {
                m.iter().map(|(k, x)| (k.clone(), go(x, scope))).collect()
            }
            other => other.clone(),
        }
    }
    with.iter()
        .map(|(k, v)| (k.clone(), go(v, scope)))
        .collect()
}

/// Expressions see params, outcomes and outputs of the run's steps.
struct ScopeView<'a> {
    steps: &'a BTreeMap<String, StepRow>,
    params: &'a BTreeMap<String, Val>,
    tenant: &'a Option<TenantId>,
    run_id: &'a str,
}

fn outcome_of(steps: &BTreeMap<String, StepRow>, step: &str) -> Option<String> {
    steps.get(step).map(|s| match s.status.as_str() {
        "succeeded" => "success".to_string(),
        "failed" => "failure".to_string(),
        other => other.to_string(),
    })
}

fn output_of(steps: &BTreeMap<String, StepRow>, step: &str, name: &str) -> Option<String> {
    steps
        .get(step)?
        .outputs
        .get(name)
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
}

impl Scope for ScopeView<'_> {
    fn param(&self, name: &str) -> Option<Val> {
        self.params.get(name).cloned()
    }
    fn outcome(&self, step: &str) -> Option<String> {
        outcome_of(self.steps, step)
    }
    fn output(&self, step: &str, name: &str) -> Option<String> {
        output_of(self.steps, step, name)
    }
    fn tenant(&self) -> Option<String> {
        self.tenant.as_ref().map(|t| t.to_string())
    }
    fn run_id(&self) -> String {
        self.run_id.to_string()
    }
}

impl Scope for Exec<'_> {
    fn param(&self, name: &str) -> Option<Val> {
        self.params.get(name).cloned()
    }
    fn outcome(&self, step: &str) -> Option<String> {
        outcome_of(&self.steps, step)
    }
    fn output(&self, step: &str, name: &str) -> Option<String> {
        output_of(&self.steps, step, name)
    }
    fn tenant(&self) -> Option<String> {
        self.tenant.as_ref().map(|t| t.to_string())
    }
    fn run_id(&self) -> String {
        self.run_id.clone()
    }
}

/// The run report for events and output.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub id: String,
    pub uses: String,
    pub status: String,
    pub attempts: i64,
    pub outputs: serde_json::Map<String, serde_json::Value>,
    pub error: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}
