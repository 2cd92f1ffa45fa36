//! The reads of runs and deployments, each filtered by what the actor may see:
//! `flow:status`, `flow:runs`, `flow:logs`, `deploy:list`.

use super::{FlowError, RunReport, report};
use crate::authz::Action;
use crate::context::Context;
use crate::store::RunRow;

/// Runs, newest first, that the actor may see.
pub fn runs(
    ctx: &mut Context,
    tenant: Option<&str>,
    status: Option<&str>,
    limit: Option<u64>,
) -> Result<Vec<RunRow>, FlowError> {
    let tenants = crate::authz::read_scope(ctx, Action::FlowRead, tenant)?;
    Ok(ctx.store.read().flows().runs(&crate::store::RunFilter {
        tenants: tenants.map(|ts| ts.iter().map(|t| t.to_string()).collect()),
        status: status.map(str::to_string),
        limit,
    })?)
}

/// Deployments the actor may see, newest first, optionally of one service and env: what
/// runs where, and the version to roll back to.
pub fn deployments(
    ctx: &mut Context,
    tenant: Option<&str>,
    service: Option<&str>,
    env: Option<&str>,
) -> Result<Vec<crate::store::Deployment>, FlowError> {
    let tenants = crate::authz::read_scope(ctx, Action::FlowRead, tenant)?;
    let mut all = ctx.store.read().flows().deployments(tenant)?;
    all.retain(|d| {
        tenants
            .as_ref()
            .is_none_or(|ts| ts.iter().any(|t| t.as_str() == d.tenant_id))
            && service.is_none_or(|s| d.service == s)
            && env.is_none_or(|e| d.env == e)
    });
    all.reverse();
    Ok(all)
}

/// A run the actor may see.
pub fn status(ctx: &mut Context, run_id: &str) -> Result<RunReport, FlowError> {
    let run = readable_run(ctx, run_id)?;
    report(&ctx.store.read(), &run.id)
}

/// How often `watch` reads the run again.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// `flow:status --watch`: `on_change` gets the run's report, then again each time it changes,
/// until the run is no longer running (`Ok(true)`) or no live process executes it any more
/// (`Ok(false)`: it needs `flow:resume`). The read is authorized once; the polling reads
/// record nothing.
pub fn watch(
    ctx: &mut Context,
    run_id: &str,
    on_change: &mut dyn FnMut(&RunReport) -> Result<(), FlowError>,
) -> Result<bool, FlowError> {
    let id = readable_run(ctx, run_id)?.id;
    let mut last = String::new();
    loop {
        let now = report(&ctx.store.read(), &id)?;
        let shown = serde_json::to_string(&now).unwrap_or_default();
        if shown != last {
            on_change(&now)?;
            last = shown;
        }
        if now.status != "running" {
            return Ok(true);
        }
        let run = find_run(ctx, &id)?;
        let live = run.lease_pid.is_some_and(|pid| {
            super::resume::lease_is_live(pid, run.lease_heartbeat.as_deref(), &ctx.clock)
        });
        if !live {
            return Ok(false);
        }
        std::thread::sleep(WATCH_EVERY);
    }
}

/// `flow:logs --follow`: `on_attempt` gets each finished attempt of the run (or of its step
/// `step`) once, in the order they are recorded, until the run is no longer running
/// (`Ok(true)`) or no live process executes it (`Ok(false)`). Authorized once; the polling
/// reads record nothing.
pub fn follow(
    ctx: &mut Context,
    run_id: &str,
    step: Option<&str>,
    on_attempt: &mut dyn FnMut(&crate::store::AttemptRow) -> Result<(), FlowError>,
) -> Result<bool, FlowError> {
    let id = readable_run(ctx, run_id)?.id;
    check_step(ctx, &id, step)?;
    let mut shown = std::collections::HashSet::new();
    loop {
        // The run first: once it has ended, the attempts read after it are all there are.
        let run = find_run(ctx, &id)?;
        for attempt in ctx.store.read().flows().attempts(&id, step)? {
            if attempt.status != "running"
                && shown.insert((attempt.step_id.clone(), attempt.attempt))
            {
                on_attempt(&attempt)?;
            }
        }
        if run.status != "running" {
            return Ok(true);
        }
        let live = run.lease_pid.is_some_and(|pid| {
            super::resume::lease_is_live(pid, run.lease_heartbeat.as_deref(), &ctx.clock)
        });
        if !live {
            return Ok(false);
        }
        std::thread::sleep(WATCH_EVERY);
    }
}

/// The shortest start of a run id taken for the whole (as git takes a commit's).
const SHORTEST_PREFIX: usize = 4;

/// The run id `given` names: itself, or the one run the actor may see whose id starts with
/// it. Runs of tenants the actor holds no role for are not counted (nor named), and nothing
/// is recorded.
pub(super) fn full_run_id(ctx: &Context, given: &str) -> Result<String, FlowError> {
    let db = ctx.store.read();
    if db.flows().run(given)?.is_some() || given.chars().count() < SHORTEST_PREFIX {
        return Ok(given.to_string());
    }
    let visible = match ctx.actor.as_ref() {
        Some(actor) => crate::authz::visible_tenants(&db.principals().roles_of(actor)?),
        None => Some(Vec::new()),
    };
    let mut matches: Vec<String> = db
        .flows()
        .runs_starting_with(given, 10)?
        .into_iter()
        .filter(|(_, tenant)| match (&visible, tenant) {
            (None, _) => true,
            (Some(ts), Some(t)) => ts.iter().any(|v| v.as_str() == t),
            (Some(_), None) => false,
        })
        .map(|(id, _)| id)
        .collect();
    match matches.len() {
        0 => Err(FlowError::RunNotFound(given.to_string())),
        1 => Ok(matches.remove(0)),
        _ => Err(FlowError::AmbiguousRun {
            prefix: given.to_string(),
            matches,
        }),
    }
}

/// The run, if it exists and the actor may read it.
fn readable_run(ctx: &mut Context, run_id: &str) -> Result<RunRow, FlowError> {
    let run = find_run(ctx, run_id)?;
    check_read(ctx, &run)?;
    Ok(run)
}

/// The run `run_id` (or the start of its id), or `RunNotFound`.
pub(super) fn find_run(ctx: &Context, run_id: &str) -> Result<RunRow, FlowError> {
    let id = full_run_id(ctx, run_id)?;
    ctx.store
        .read()
        .flows()
        .run(&id)?
        .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))
}

/// The attempts (with their captured output) of a run, or of one of its steps.
pub fn logs(
    ctx: &mut Context,
    run_id: &str,
    step: Option<&str>,
) -> Result<Vec<crate::store::AttemptRow>, FlowError> {
    let run_id = &readable_run(ctx, run_id)?.id;
    let attempts = ctx.store.read().flows().attempts(run_id, step)?;
    if attempts.is_empty() {
        check_step(ctx, run_id, step)?;
    }
    Ok(attempts)
}

/// `step`, when given, is a step of the run.
fn check_step(ctx: &Context, run_id: &str, step: Option<&str>) -> Result<(), FlowError> {
    if let Some(s) = step
        && !ctx
            .store
            .read()
            .flows()
            .steps(run_id)?
            .iter()
            .any(|r| r.step_id == s)
    {
        return Err(FlowError::Params(format!(
            "run `{run_id}` has no step `{s}`"
        )));
    }
    Ok(())
}

fn check_read(ctx: &mut Context, run: &RunRow) -> Result<(), FlowError> {
    let scope = crate::authz::read_scope(ctx, Action::FlowRead, run.tenant_id.as_deref())?;
    if run.tenant_id.is_none() && scope.is_some() {
        // A run of no tenant is platform-wide: platform admins only.
        crate::authz::check(ctx, Action::FlowRead, None)?;
    }
    Ok(())
}
