//! Continuing a run after a crash, a failure or an interrupt. The run's lease says who
//! executes it: a live holder is refused, a dead or silent one is taken over, and what
//! earlier attempts left running is killed, and gone, before anything starts again.

use std::path::PathBuf;

use serde_json::json;

use super::run::{Started, execute};
use super::{FlowError, FlowEvent, RunReport, exec, report, template};
use crate::authz::Action;
use crate::context::Context;
use crate::model::ids::TenantId;

/// A resumed run whose lease holder sent no heartbeat for this long is taken over.
const STALE_LEASE_SECS: i64 = 15;

/// What `resume` would do (`flow:resume --dry-run`): the same checks, then the run as it
/// stands; its steps not `succeeded` are those that would run again. Runs nothing.
pub fn preview(ctx: &mut Context, run_id: &str) -> Result<RunReport, FlowError> {
    crate::authz::actor(ctx)?;
    let run = super::query::find_run(ctx, run_id)?;
    let tenant = run.tenant_id.as_deref().map(TenantId::parse).transpose()?;
    crate::authz::check(ctx, Action::FlowRun, tenant.as_ref())?;
    template::load(&run.template, &run.origin).map_err(FlowError::Template)?;
    report(&ctx.store.read(), &run.id)
}

/// Continues a run after a crash, a failure or an interrupt: finished steps are kept,
/// steps that were running are retried (their attempt recorded as interrupted), failed and
/// skipped steps are tried again.
pub fn resume(
    ctx: &mut Context,
    run_id: &str,
    templates: Vec<PathBuf>,
    obs: &mut dyn FnMut(&FlowEvent),
) -> Result<RunReport, FlowError> {
    let actor = crate::authz::actor(ctx)?;
    let run = super::query::find_run(ctx, run_id)?;
    let run_id = run.id.as_str();
    let tenant = run.tenant_id.as_deref().map(TenantId::parse).transpose()?;
    crate::authz::check(ctx, Action::FlowRun, tenant.as_ref())?;
    if run.status == "succeeded" {
        return report(&ctx.store.read(), run_id);
    }
    let flow = template::load(&run.template, &run.origin).map_err(FlowError::Template)?;
    let params = template::params_from_json(&flow, &run.params);
    let clock = ctx.clock;
    let me = i64::from(std::process::id());
    ctx.store.write(|db| -> Result<Option<i64>, FlowError> {
        let run = db
            .flows()
            .run(run_id)?
            .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))?;
        let holder = run.lease_pid.filter(|_| run.status == "running");
        if let Some(pid) = holder
            && pid != me
            && lease_is_live(pid, run.lease_heartbeat.as_deref(), &clock)
        {
            return Err(FlowError::AlreadyRunning {
                run_id: run.id,
                pid,
                heartbeat: run.lease_heartbeat.unwrap_or_default(),
            });
        }
        // Every step that runs again: whatever its earlier attempts left running is killed,
        // and gone, before anything starts (inside this transaction: one resume at a time).
        let succeeded: Vec<String> = db
            .flows()
            .steps(run_id)?
            .into_iter()
            .filter(|s| s.status == "succeeded")
            .map(|s| s.step_id)
            .collect();
        let leftovers: Vec<exec::Leftover> = db
            .flows()
            .attempts(run_id, None)?
            .into_iter()
            .filter(|a| !succeeded.contains(&a.step_id))
            .filter_map(|a| {
                Some(exec::Leftover {
                    step: a.step_id,
                    attempt: a.attempt,
                    pgid: a.pid?,
                })
            })
            .collect();
        let killed = exec::kill_leftovers(run_id, &leftovers)?;
        let at = clock.now_rfc3339();
        for a in db
            .flows()
            .attempts(run_id, None)?
            .into_iter()
            .filter(|a| a.status == "running")
        {
            exec::mark_interrupted(db, run_id, &a.step_id, a.attempt, &at)?;
        }
        for mut s in db.flows().steps(run_id)? {
            if matches!(
                s.status.as_str(),
                "running" | "waiting" | "failed" | "skipped"
            ) {
                s.status = "pending".into();
                s.finished_at = None;
                db.flows().update_step(run_id, &s)?;
            }
        }
        db.flows()
            .finish_run(run_id, "running", None, false, None)?;
        db.flows().set_lease(run_id, Some(me), Some(&at))?;
        exec::record(
            db,
            &clock,
            &actor,
            &tenant,
            "flow.run.resume",
            run_id,
            "",
            json!({
                "previous_status": run.status, "previous_holder": holder, "killed": killed,
            }),
        )?;
        Ok(holder)
    })?;
    let started = Started {
        run_id: run_id.to_string(),
        flow,
        params,
        tenant,
        actor,
        jobs: run.jobs.max(1) as usize,
        templates,
    };
    execute(ctx, started, true, obs)
}

/// Whether the process holding a run's lease is alive and recently heard from.
pub(super) fn lease_is_live(
    pid: i64,
    heartbeat: Option<&str>,
    clock: &crate::model::clock::Clock,
) -> bool {
    let alive = i32::try_from(pid).is_ok_and(|p| {
        !matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(p), None),
            Err(nix::errno::Errno::ESRCH)
        )
    });
    let fresh = heartbeat
        .and_then(|h| h.parse::<jiff::Timestamp>().ok())
        .is_some_and(|h| clock.now().as_second() - h.as_second() < STALE_LEASE_SECS);
    alive && fresh
}
