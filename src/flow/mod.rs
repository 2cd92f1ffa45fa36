//! The Maestro task-graph engine: YAML flow templates run as a DAG.
//!
//! Three steps anyone can see in the code:
//! 1. [`template::load`]: parse and validate (every problem with file, line, column; the
//!    whole cycle named);
//! 2. [`plan::plan`]: pure and deterministic waves of steps (what `--dry-run` prints);
//! 3. [`exec`]: execute with a `--jobs` pool, each step at most once per attempt, every state
//!    change checkpointed with its audit event; [`resume`] continues after a crash.

pub mod catalog;
mod exec;
pub mod expr;
pub mod interrupt;
pub mod kinds;
pub mod plan;
pub mod template;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

pub use exec::StepReport;
use expr::Val;
use template::{Flow, Problem};

use crate::context::Context;
use crate::model::ids::{InvalidId, TenantId};
use crate::model::{Diagnostic, ExitStatus};
use crate::store::{Db, RunRow, StepRow, StoreError};
use crate::tenant::{Action, Tenant, TenantError, TenantStatus, authz, ops};

/// A resumed run whose lease holder sent no heartbeat for this long is taken over.
const STALE_LEASE_SECS: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error(transparent)]
    Invalid(#[from] InvalidId),
    #[error("{}", render_problems(.0))]
    Template(Vec<Problem>),
    #[error("no flow template `{name}` (looked in: {searched})")]
    NotFound { name: String, searched: String },
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Params(String),
    #[error("no run `{0}`")]
    RunNotFound(String),
    #[error("run `{run_id}` is being executed by process {pid} (heartbeat {heartbeat})")]
    AlreadyRunning {
        run_id: String,
        pid: i64,
        heartbeat: String,
    },
    #[error("run `{run_id}` failed: {error}")]
    RunFailed {
        run_id: String,
        error: String,
        denied: bool,
    },
    #[error("run `{run_id}` was interrupted")]
    Interrupted { run_id: String },
    #[error("internal error in the flow engine: {0}")]
    Internal(String),
}

fn render_problems(problems: &[Problem]) -> String {
    let mut out = problems
        .iter()
        .map(Problem::render)
        .collect::<Vec<_>>()
        .join("\n");
    if problems.len() > 1 {
        out = format!("{} problems in the flow template:\n{out}", problems.len());
    }
    out
}

impl Diagnostic for FlowError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            FlowError::Tenant(e) => e.exit_status(),
            FlowError::Template(_) => ExitStatus::Problems,
            FlowError::RunFailed { denied: true, .. } => ExitStatus::Denied,
            FlowError::Interrupted { .. } => ExitStatus::Interrupted,
            _ => ExitStatus::Error,
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            FlowError::Store(e) => return e.help(),
            FlowError::Tenant(e) => return e.help(),
            FlowError::Template(_) => {
                "fix the template; its format is in templates/flows/README.md".into()
            }
            FlowError::NotFound { .. } => {
                "list templates with `maestro-cli flow:list`, or pass a path to a .yaml file".into()
            }
            FlowError::Params(_) => {
                "see the flow's params with `maestro-cli flow:validate NAME`".into()
            }
            FlowError::RunNotFound(_) => "list runs with `maestro-cli flow:runs`".into(),
            FlowError::AlreadyRunning { run_id, .. } => {
                format!("wait for it, or watch it with `maestro-cli flow:status {run_id}`")
            }
            FlowError::RunFailed { run_id, .. } => format!(
                "see `maestro-cli flow:logs {run_id}`; after fixing the cause, `maestro-cli flow:resume {run_id}`"
            ),
            FlowError::Interrupted { run_id } => {
                format!("continue with `maestro-cli flow:resume {run_id}`")
            }
            _ => return None,
        })
    }
}

/// One state change of a run, as `--output json` prints it (one JSON object per line).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event")]
pub enum FlowEvent {
    #[serde(rename = "run.started")]
    RunStarted {
        run_id: String,
        flow: String,
        steps: usize,
        resumed: bool,
    },
    #[serde(rename = "step.started")]
    StepStarted {
        run_id: String,
        step: String,
        attempt: i64,
    },
    #[serde(rename = "step.finished")]
    StepFinished {
        run_id: String,
        step: String,
        attempt: i64,
        status: String,
        exit_code: Option<i32>,
        error: Option<String>,
        duration_ms: u64,
    },
    #[serde(rename = "step.retrying")]
    StepRetrying {
        run_id: String,
        step: String,
        next_attempt: i64,
        delay_ms: u64,
    },
    #[serde(rename = "step.skipped")]
    StepSkipped {
        run_id: String,
        step: String,
        reason: String,
    },
    #[serde(rename = "run.finished")]
    RunFinished {
        run_id: String,
        status: String,
        error: Option<String>,
    },
}

/// A run and its steps, as `flow:status` and the end of `flow:run` print it.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub flow: String,
    pub status: String,
    pub tenant_id: Option<String>,
    pub actor: String,
    pub params: serde_json::Value,
    pub error: Option<String>,
    pub denied: bool,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub steps: Vec<StepReport>,
}

impl RunReport {
    /// `Ok` when the run succeeded, else the error that says how it ended.
    pub fn into_result(self) -> Result<RunReport, FlowError> {
        match self.status.as_str() {
            "succeeded" => Ok(self),
            "interrupted" => Err(FlowError::Interrupted {
                run_id: self.run_id,
            }),
            _ => Err(FlowError::RunFailed {
                run_id: self.run_id,
                error: self.error.unwrap_or_else(|| "unknown".into()),
                denied: self.denied,
            }),
        }
    }
}

/// Reads a run's report; steps in plan order.
pub fn report(db: &Db<'_>, run_id: &str) -> Result<RunReport, FlowError> {
    let run = db
        .flows()
        .run(run_id)?
        .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))?;
    let rows: BTreeMap<String, StepRow> = db
        .flows()
        .steps(run_id)?
        .into_iter()
        .map(|s| (s.step_id.clone(), s))
        .collect();
    let order: Vec<(String, String)> = match template::load(&run.template, &run.origin) {
        Ok(f) => plan::plan(&f)
            .waves
            .into_iter()
            .flatten()
            .map(|s| (s.id, s.uses))
            .collect(),
        Err(_) => rows.keys().map(|k| (k.clone(), String::new())).collect(),
    };
    let steps = order
        .into_iter()
        .filter_map(|(id, uses)| {
            let r = rows.get(&id)?;
            Some(StepReport {
                id,
                uses,
                status: r.status.clone(),
                attempts: r.attempts,
                outputs: r.outputs.clone(),
                error: r.error.clone(),
                started_at: r.started_at.clone(),
                finished_at: r.finished_at.clone(),
            })
        })
        .collect();
    Ok(RunReport {
        run_id: run.id,
        flow: run.flow,
        status: run.status,
        tenant_id: run.tenant_id,
        actor: run.actor,
        params: run.params,
        error: run.error,
        denied: run.denied,
        created_at: run.created_at,
        finished_at: run.finished_at,
        steps,
    })
}

#[derive(Debug, Clone)]
pub struct StartOptions {
    pub flow: Flow,
    /// `--param k=v` pairs, typed and checked against the template here.
    pub params: Vec<(String, String)>,
    pub tenant: Option<String>,
    pub jobs: usize,
    /// Where sub-flows are looked up (besides the built-in templates).
    pub templates: Vec<PathBuf>,
    /// For a sub-flow: the parent run and step.
    pub parent: Option<(String, String)>,
}

/// Starts a run and executes it to the end. The report's status says how it ended.
pub fn start(
    ctx: &mut Context,
    opts: StartOptions,
    obs: &mut dyn FnMut(&FlowEvent),
) -> Result<RunReport, FlowError> {
    start_as(ctx, opts, Action::FlowRun, obs)
}

fn start_as(
    ctx: &mut Context,
    opts: StartOptions,
    action: Action,
    obs: &mut dyn FnMut(&FlowEvent),
) -> Result<RunReport, FlowError> {
    let params = template::resolve_params(&opts.flow, &opts.params).map_err(FlowError::Params)?;
    let tenant = opts.tenant.as_deref().map(TenantId::parse).transpose()?;
    let actor = ctx.actor()?;
    let run_id = uuid::Uuid::now_v7().to_string();
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let flow = &opts.flow;
    let params_json: serde_json::Map<String, serde_json::Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let written = ctx.store.write(|db| -> Result<(), FlowError> {
        if db.principals().count()? == 0 {
            crate::tenant::users::bootstrap(db, &clock, &actor)?;
        }
        authz::authorize(db, &clock, &actor, action, tenant.as_ref())?;
        if let (Some(t), Action::FlowRun) = (&tenant, action) {
            let found = ops::load(db, t)?;
            if found.status == TenantStatus::Deleted {
                return Err(TenantError::Deleted(t.clone()).into());
            }
        }
        db.flows().insert_run(&RunRow {
            id: run_id.clone(),
            flow: flow.name.clone(),
            origin: flow.origin.clone(),
            template: flow.text.clone(),
            template_sha256: flow.sha256.clone(),
            params: serde_json::Value::Object(params_json.clone()),
            tenant_id: tenant.as_ref().map(|t| t.to_string()),
            actor: actor.to_string(),
            jobs: opts.jobs as i64,
            status: "running".into(),
            error: None,
            denied: false,
            parent_run: opts.parent.as_ref().map(|p| p.0.clone()),
            parent_step: opts.parent.as_ref().map(|p| p.1.clone()),
            created_at: now.clone(),
            finished_at: None,
            lease_pid: Some(i64::from(std::process::id())),
            lease_heartbeat: Some(now.clone()),
        })?;
        for s in &flow.steps {
            db.flows().insert_step(&run_id, &s.id)?;
        }
        exec::record(
            db,
            &clock,
            &actor,
            &tenant,
            "flow.run.start",
            &run_id,
            "",
            json!({
                "flow": flow.name, "origin": flow.origin, "template_sha256": flow.sha256,
                "params": params_json, "jobs": opts.jobs, "parent": opts.parent,
            }),
        )?;
        Ok(())
    });
    if let Err(FlowError::Tenant(TenantError::Denied(d))) = written {
        return Err(ops::record_denial(ctx, d).into());
    }
    written?;
    let run = Started {
        run_id,
        flow: opts.flow,
        params,
        tenant,
        actor,
        jobs: opts.jobs,
        templates: opts.templates,
    };
    execute(ctx, run, false, obs)
}

/// A run ready to execute (newly started or resumed).
struct Started {
    run_id: String,
    flow: Flow,
    params: BTreeMap<String, Val>,
    tenant: Option<TenantId>,
    actor: crate::model::ids::PrincipalId,
    jobs: usize,
    templates: Vec<PathBuf>,
}

/// Reports the start, loads the step checkpoints and runs the executor.
fn execute(
    ctx: &mut Context,
    run: Started,
    resumed: bool,
    obs: &mut dyn FnMut(&FlowEvent),
) -> Result<RunReport, FlowError> {
    obs(&FlowEvent::RunStarted {
        run_id: run.run_id.clone(),
        flow: run.flow.name.clone(),
        steps: run.flow.steps.len(),
        resumed,
    });
    let steps = ctx
        .store
        .read()
        .flows()
        .steps(&run.run_id)?
        .into_iter()
        .map(|s| (s.step_id.clone(), s))
        .collect();
    exec::Exec::new(
        ctx,
        run.run_id,
        run.flow,
        run.params,
        run.tenant,
        run.actor,
        run.jobs,
        steps,
        run.templates,
    )
    .run(obs)
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
    let actor = ctx.actor()?;
    let run = ctx
        .store
        .read()
        .flows()
        .run(run_id)?
        .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))?;
    let tenant = run.tenant_id.as_deref().map(TenantId::parse).transpose()?;
    crate::tenant::users::check(ctx, Action::FlowRun, tenant.as_ref())?;
    if run.status == "succeeded" {
        return report(&ctx.store.read(), run_id);
    }
    let flow = template::load(&run.template, &run.origin).map_err(FlowError::Template)?;
    let params = template::params_from_json(&flow, &run.params);
    let clock = ctx.clock;
    let me = i64::from(std::process::id());
    // Kill what a dead holder left running, before anything is started again.
    let orphans: Vec<i64> = ctx
        .store
        .read()
        .flows()
        .attempts(run_id, None)?
        .into_iter()
        .filter(|a| a.status == "running")
        .filter_map(|a| a.pid)
        .collect();
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
        if holder.is_some() {
            for pid in &orphans {
                if let Ok(pid) = u32::try_from(*pid) {
                    exec::kill_group(pid, nix::sys::signal::Signal::SIGKILL);
                }
            }
        }
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
                "previous_status": run.status, "previous_holder": holder,
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
fn lease_is_live(pid: i64, heartbeat: Option<&str>, clock: &crate::model::clock::Clock) -> bool {
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

/// `tenant:create` as a run of the built-in `new-tenant` flow: the same checks first (so a
/// refused creation leaves nothing behind), then the run.
pub fn create_tenant(
    ctx: &mut Context,
    opts: &ops::CreateOptions,
) -> Result<(Tenant, RunReport), FlowError> {
    let p = ops::preflight_create(ctx, opts)?;
    let flow = catalog::builtin("new-tenant")?;
    let params = vec![
        ("id".to_string(), p.id.to_string()),
        ("name".to_string(), p.name.clone()),
        ("regions".to_string(), p.regions.to_string()),
        ("tier".to_string(), p.tier.to_string()),
        ("admin".to_string(), p.admin.to_string()),
    ];
    let report = start_as(
        ctx,
        StartOptions {
            flow,
            params,
            tenant: Some(p.id.to_string()),
            jobs: 1,
            templates: vec![],
            parent: None,
        },
        Action::TenantCreate,
        &mut |_| {},
    )?
    .into_result()?;
    let tenant = ops::load(&ctx.store.read(), &p.id)?;
    Ok((tenant, report))
}

/// Runs, newest first, that the actor may see.
pub fn runs(
    ctx: &mut Context,
    tenant: Option<&str>,
    status: Option<&str>,
    limit: Option<u64>,
) -> Result<Vec<RunRow>, FlowError> {
    let tenants = crate::tenant::users::read_scope(ctx, Action::FlowRead, tenant)?;
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
    let tenants = crate::tenant::users::read_scope(ctx, Action::FlowRead, tenant)?;
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
    readable_run(ctx, run_id)?;
    report(&ctx.store.read(), run_id)
}

/// The run, if it exists and the actor may read it.
fn readable_run(ctx: &mut Context, run_id: &str) -> Result<RunRow, FlowError> {
    let run = ctx
        .store
        .read()
        .flows()
        .run(run_id)?
        .ok_or_else(|| FlowError::RunNotFound(run_id.to_string()))?;
    check_read(ctx, &run)?;
    Ok(run)
}

/// The attempts (with their captured output) of a run, or of one of its steps.
pub fn logs(
    ctx: &mut Context,
    run_id: &str,
    step: Option<&str>,
) -> Result<Vec<crate::store::AttemptRow>, FlowError> {
    readable_run(ctx, run_id)?;
    let attempts = ctx.store.read().flows().attempts(run_id, step)?;
    if let Some(s) = step
        && attempts.is_empty()
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
    Ok(attempts)
}

fn check_read(ctx: &mut Context, run: &RunRow) -> Result<(), FlowError> {
    let scope = crate::tenant::users::read_scope(ctx, Action::FlowRead, run.tenant_id.as_deref())?;
    if run.tenant_id.is_none() && scope.is_some() {
        // A run of no tenant is platform-wide: platform admins only.
        crate::tenant::users::check(ctx, Action::FlowRead, None)?;
    }
    Ok(())
}
