//! Starting a run: params typed and checked, the actor authorized, the run and its steps
//! recorded with the start's audit event in one transaction; then the executor runs it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;

use super::expr::Val;
use super::template::{self, Flow};
use super::{FlowError, FlowEvent, RunReport, exec};
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::RunRow;
use crate::tenant::{TenantError, TenantStatus, ops};

/// What `flow:run` (or a sub-flow step, or `tenant:create`) starts a run with.
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

/// [`start`] authorized as `action`: `tenant:create` runs its flow as
/// [`Action::TenantCreate`], for a tenant that does not exist yet.
pub(crate) fn start_as(
    ctx: &mut Context,
    opts: StartOptions,
    action: Action,
    obs: &mut dyn FnMut(&FlowEvent),
) -> Result<RunReport, FlowError> {
    let params = template::resolve_params(&opts.flow, &opts.params).map_err(FlowError::Params)?;
    let tenant = opts.tenant.as_deref().map(TenantId::parse).transpose()?;
    let actor = crate::authz::actor(ctx)?;
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
            authz::bootstrap(db, &clock, &actor)?;
        }
        authz::authorize(&ctx.abac, db, &clock, &actor, action, tenant.as_ref())?;
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
    if let Err(FlowError::Tenant(TenantError::Authz(authz::AuthzError::Denied(d)))) = written {
        return Err(authz::record_denial(ctx, d).into());
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
pub(super) struct Started {
    pub(super) run_id: String,
    pub(super) flow: Flow,
    pub(super) params: BTreeMap<String, Val>,
    pub(super) tenant: Option<TenantId>,
    pub(super) actor: PrincipalId,
    pub(super) jobs: usize,
    pub(super) templates: Vec<PathBuf>,
}

/// Reports the start, loads the step checkpoints and runs the executor.
pub(super) fn execute(
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
    let (run_id, flow) = (run.run_id.clone(), run.flow.name.clone());
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
    .map_err(|e| match e {
        FlowError::Store(_) | FlowError::Internal(_) => FlowError::Stopped {
            run_id,
            flow,
            cause: e.to_string(),
            done: None,
        },
        other => other,
    })
}
