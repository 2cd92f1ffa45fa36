//! `deploy`: records a deployment `{tenant, service, env, cluster, region, version}` after
//! its gate: the actor may deploy for the tenant, the tenant is active, and the cluster's
//! region is in the tenant's allowlist (residency). The rollout itself is a `shell` step the
//! operator supplies. Recorded once per run step, so a resumed run does not record it twice.

use std::collections::BTreeMap;

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, check_keys, required_text, text};
use crate::ids::{PrincipalId, RegionId, TenantId};
use crate::store::Deployment;
use crate::tenant::{Action, TenantStatus, authz, ops};

pub struct Deploy;

impl StepKind for Deploy {
    fn name(&self) -> &'static str {
        "deploy"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["service", "env", "cluster", "version"], &["tenant"])
    }
    fn run_inline(&self, cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        match gate_and_record(cx, args) {
            Ok(d) => AttemptResult::ok(BTreeMap::from([
                ("deployment_id".to_string(), d.id),
                ("region".to_string(), d.region),
                ("cluster".to_string(), d.cluster),
            ])),
            Err(Refusal::Denied(m)) => AttemptResult::denied(m),
            Err(Refusal::Failed(m)) => AttemptResult::failed(m, None),
        }
    }
}

enum Refusal {
    Denied(String),
    Failed(String),
}

impl From<crate::store::StoreError> for Refusal {
    fn from(e: crate::store::StoreError) -> Self {
        Refusal::Failed(e.to_string())
    }
}

fn gate_and_record(cx: &InlineCx<'_>, args: &Args) -> Result<Deployment, Refusal> {
    let failed = Refusal::Failed;
    let tenant_text = text(args, "tenant")
        .filter(|t| !t.is_empty())
        .or(cx.tenant.map(str::to_string));
    let tenant_text = tenant_text.ok_or_else(|| {
        failed("no tenant: pass `with.tenant` or run the flow with `--tenant`".into())
    })?;
    let tenant_id = TenantId::parse(&tenant_text).map_err(|e| failed(e.to_string()))?;
    let service = required_text(args, "service").map_err(failed)?;
    let env = required_text(args, "env").map_err(failed)?;
    let cluster = required_text(args, "cluster").map_err(failed)?;
    let version = required_text(args, "version").map_err(failed)?;
    for (what, v) in [("service", &service), ("env", &env)] {
        if let Some(reason) = crate::ids::dns_label_problem(v) {
            return Err(failed(format!("invalid {what} `{v}`: {reason}")));
        }
    }
    let actor: &PrincipalId = cx.actor;
    let bindings = cx.db.principals().roles_of(actor)?;
    authz::decide(actor, &bindings, Action::Deploy, Some(&tenant_id))
        .map_err(|d| Refusal::Denied(d.to_string()))?;
    let tenant = ops::load(cx.db, &tenant_id).map_err(|e| failed(e.to_string()))?;
    if tenant.status == TenantStatus::Deleted {
        return Err(Refusal::Denied(format!(
            "tenant `{tenant_id}` is deleted: nothing may be deployed for it"
        )));
    }
    let region = cx
        .config
        .platform
        .clusters
        .get(cluster.as_str())
        .map(|c| c.region.get_ref().clone())
        .ok_or_else(|| {
            let known: Vec<&str> = cx
                .config
                .platform
                .clusters
                .keys()
                .map(|k| k.get_ref().as_str())
                .collect();
            failed(format!(
                "unknown cluster `{cluster}` (clusters in [platform.clusters]: {})",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })?;
    let region_id = RegionId::parse(&region).map_err(|e| failed(e.to_string()))?;
    if !tenant.regions.allows(&region_id) {
        return Err(Refusal::Denied(format!(
            "residency: tenant `{tenant_id}` may not deploy to cluster `{cluster}` in region `{region}`; its allowed regions are {}",
            tenant.regions
        )));
    }
    let d = Deployment {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_id: tenant_id.to_string(),
        service,
        env,
        cluster,
        region,
        version,
        run_id: Some(cx.run_id.to_string()),
        step_id: Some(cx.step_id.to_string()),
        actor: actor.to_string(),
        created_at: cx.clock.now_rfc3339(),
    };
    let recorded = cx.db.flows().put_deployment(&d)?;
    if recorded.id == d.id {
        crate::audit::append(
            cx.db,
            cx.clock,
            crate::audit::NewEvent {
                actor: actor.clone(),
                tenant_id: Some(tenant_id.clone()),
                action: "deployment.record",
                target: format!("deployment/{}", d.id),
                details: serde_json::json!({
                    "service": d.service, "env": d.env, "cluster": d.cluster, "region": d.region,
                    "version": d.version, "run_id": d.run_id, "step_id": d.step_id,
                    "allowed_regions": tenant.regions,
                }),
            },
        )?;
    }
    Ok(recorded)
}
