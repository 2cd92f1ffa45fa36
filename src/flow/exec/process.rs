//! Worker steps: each runs on its own thread, its child process in its own process group
//! (so a timeout or Ctrl-C kills the whole group), with the run's environment; what the
//! workers report (process ids, results with the captured output) comes back over a channel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::json;

use super::journal::{Write, mark_interrupted, record};
use super::steps::{ScopeView, render_args};
use super::{Exec, FlowError, FlowEvent, RunReport};
use crate::flow::interrupt;
use crate::flow::kinds::{self, AttemptResult, SubflowCx, WorkerCx};
use crate::flow::template::env_name;

/// How long a timed-out or interrupted process group gets between SIGTERM and SIGKILL.
pub(super) const KILL_GRACE: Duration = Duration::from_secs(2);

/// A worker step's attempt in progress.
pub(super) struct Running {
    pub(super) attempt: i64,
    pub(super) started: Instant,
    pub(super) started_at: String,
    pub(super) deadline: Option<Instant>,
    pub(super) pgid: Option<u32>,
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

/// What a worker thread reports back to the executor.
pub(super) enum Msg {
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

impl Exec<'_> {
    /// Starts reserved steps while a worker slot is free.
    pub(super) fn spawn_reserved(&mut self) {
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
                bundle: self.ctx.abac.bundle().clone(),
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

    /// Takes in what workers reported: buffers the writes, updates the state in memory.
    pub(super) fn absorb(&mut self, msgs: Vec<Msg>) {
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
}

/// Sends `signal` to a process group; a group that is gone already is fine.
pub(crate) fn kill_group(pgid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pgid)
        && raw > 1
    {
        let _ = killpg(Pid::from_raw(raw), signal);
    }
}
