//! What the executor records in the store for a run, its steps and their attempts. Each
//! scheduling pass writes the buffered changes and its own decisions in one transaction,
//! inline steps included; every state change goes with its audit event. A crash leaves
//! `running` attempts behind, which `resume` marks interrupted before it starts again.

use std::time::{Duration, Instant};

use serde_json::json;

use super::process::{Running, Stop};
use super::schedule::{Change, settle};
use super::steps::{ScopeView, render_args};
use super::{Exec, FlowError, FlowEvent};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::flow::kinds::{self, AttemptResult, InlineCx};
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::{AttemptRow, Db, StepRow, StoreError};

/// A buffered write, flushed by the next pass's transaction.
pub(super) enum Write {
    Step(StepRow),
    Attempt(AttemptRow),
    Audit {
        action: &'static str,
        step: String,
        details: serde_json::Value,
    },
    Lease,
}

impl Exec<'_> {
    /// One transaction: the buffered writes, then this pass's changes (inline steps run
    /// inside it, each in a savepoint that undoes its effect if it fails).
    pub(super) fn commit(&mut self, changes: &[Change]) -> Result<(), FlowError> {
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
                    // A held step's process group is on record before its gate opens.
                    let pgid = self
                        .running
                        .get(step)
                        .filter(|r| r.attempt == *attempt)
                        .and_then(|r| r.pgid);
                    self.writes.push(Write::Attempt(AttemptRow {
                        step_id: step.clone(),
                        attempt: *attempt,
                        status: "running".into(),
                        pid: pgid.map(i64::from),
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
        let Context {
            store,
            config,
            abac,
            ..
        } = &mut *self.ctx;
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
                        abac,
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
    pub(super) fn buffer_step(&mut self, row: StepRow) {
        self.writes.push(Write::Step(row.clone()));
        self.set_step(row);
    }
    pub(super) fn finish_attempt(
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
}

pub(crate) fn mark_interrupted(
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
pub(crate) fn record(
    db: &Db<'_>,
    clock: &crate::model::clock::Clock,
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
fn humanize(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}
