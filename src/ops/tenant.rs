//! `tenant:create`: the tenant is made by a run of the built-in `new-tenant` flow, so its
//! steps (record, boundary, admin) are checkpointed, audited and resumable like any run's.
//! It sits here, over both `tenant` (the checks, the provisioning the flow's steps call) and
//! `flow` (the run), so that neither of the two needs the other both ways.

use serde::Serialize;

use crate::authz::Action;
use crate::context::Context;
use crate::flow::{self, FlowError, StartOptions, catalog};
use crate::model::ids::TenantId;
use crate::tenant::{Tenant, TenantError, ops};

/// What `tenant:create` made: the tenant, and the id of the `new-tenant` run that made it.
/// As JSON, the tenant's own fields with `run_id` after them.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Created {
    #[serde(flatten)]
    pub tenant: Tenant,
    pub run_id: String,
}

/// `tenant:create` as a run of the built-in `new-tenant` flow: the same checks first (so a
/// refused creation leaves nothing behind), then the run.
pub fn create(ctx: &mut Context, opts: &ops::CreateOptions) -> Result<Created, FlowError> {
    let p = ops::preflight_create(ctx, opts)?;
    let flow = catalog::builtin("new-tenant")?;
    let params = vec![
        ("id".to_string(), p.id.to_string()),
        ("name".to_string(), p.name.clone()),
        ("regions".to_string(), p.regions.to_string()),
        ("tier".to_string(), p.tier.to_string()),
        ("admin".to_string(), p.admin.to_string()),
    ];
    let report = flow::start_as(
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
    )
    .map_err(|e| match e {
        // Said first when it is so: the tenant exists, only the run is unfinished.
        FlowError::Stopped {
            run_id,
            flow,
            cause,
            done: None,
        } => FlowError::Stopped {
            done: ops::load(&ctx.store.read(), &p.id)
                .ok()
                .map(|_| format!("tenant `{}` was created", p.id)),
            run_id,
            flow,
            cause,
        },
        other => other,
    })?
    .into_result()
    .map_err(|e| match e {
        // Lost a race: the tenant appeared between the checks and the provisioning step,
        // which refused it. Resuming the run cannot help; the tenant is there.
        FlowError::RunFailed { run_id, .. } if provision_refused(ctx, &run_id, &p.id) => {
            FlowError::Tenant(TenantError::CreatedMeanwhile {
                id: p.id.clone(),
                run_id,
            })
        }
        other => other,
    })?;
    let tenant = ops::load(&ctx.store.read(), &p.id)?;
    Ok(Created {
        tenant,
        run_id: report.run_id,
    })
}

/// Whether run `run_id` failed at its `provision` step while tenant `id` exists: another
/// command made the tenant after this one's checks.
fn provision_refused(ctx: &Context, run_id: &str, id: &TenantId) -> bool {
    let db = ctx.store.read();
    let failed = db.flows().steps(run_id).is_ok_and(|steps| {
        steps
            .iter()
            .any(|s| s.step_id == "provision" && s.status == "failed")
    });
    failed && ops::load(&db, id).is_ok()
}
