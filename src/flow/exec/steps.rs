//! The executor's helpers: how an attempt's result settles its step, the audit record of a
//! state change, process-group signals, retry jitter, and what expressions see.

use std::collections::BTreeMap;
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::Serialize;

use super::Exec;
use crate::audit::{self, NewEvent};
use crate::flow::expr::{Scope, Val, parse_template, render};
use crate::flow::kinds::{self, AttemptResult};
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::{Db, StepRow, StoreError};

pub(super) fn open_steps(order: &[String], steps: &BTreeMap<String, StepRow>) -> Vec<String> {
    order
        .iter()
        .filter(|id| {
            steps
                .get(*id)
                .is_some_and(|r| matches!(r.status.as_str(), "pending" | "waiting"))
        })
        .cloned()
        .collect()
}

/// Applies an attempt's result to its step: succeeded, waiting for a retry, failed, or back
/// to pending when interrupted. Returns the retry delay, if any.
pub(super) fn settle(
    row: &mut StepRow,
    fs: &crate::flow::template::FlowStep,
    result: &AttemptResult,
    attempt: i64,
    interrupted: bool,
    now: &str,
) -> Option<Duration> {
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
        return None;
    }
    row.error = result.error.clone();
    row.denied = result.denied;
    if interrupted {
        row.status = "pending".into();
        return None;
    }
    if !result.denied
        && (attempt as u32) < fs.retry.max_attempts
        && fs.retry.retries(result.exit_code)
    {
        row.status = "waiting".into();
        let delay = jitter(fs.retry.delay_before(attempt as u32 + 1), &fs.id, attempt);
        return Some(delay);
    }
    row.status = "failed".into();
    row.finished_at = Some(now.to_string());
    None
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

/// Sends `signal` to a process group; a group that is gone already is fine.
pub(crate) fn kill_group(pgid: u32, signal: Signal) {
    if let Ok(raw) = i32::try_from(pgid)
        && raw > 1
    {
        let _ = killpg(Pid::from_raw(raw), signal);
    }
}

/// ±20 % of `d`, decided by a small hash of the step and attempt (spreads retries of many
/// steps without a random number generator).
pub(super) fn jitter(d: Duration, step: &str, attempt: i64) -> Duration {
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

pub(super) fn humanize(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Renders `${{ }}` in every string of `with`.
pub(super) fn render_args(
    with: &BTreeMap<String, serde_json::Value>,
    scope: &dyn Scope,
) -> kinds::Args {
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
pub(super) struct ScopeView<'a> {
    pub(super) steps: &'a BTreeMap<String, StepRow>,
    pub(super) params: &'a BTreeMap<String, Val>,
    pub(super) tenant: &'a Option<TenantId>,
    pub(super) run_id: &'a str,
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
