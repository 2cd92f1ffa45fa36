//! `deploy`: records a deployment `{tenant, service, env, cluster, region, version}` after
//! its gate: the actor may deploy for the tenant, the tenant is active, and the cluster's
//! region is in the tenant's allowlist (residency). The rollout itself is a `shell` step the
//! operator supplies. Recorded once per run step, so a resumed run does not record it twice.

use std::collections::BTreeMap;

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, check_keys, required_text, text};
use crate::authz::{self, Action};
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::Deployment;
use crate::tenant::{TenantStatus, ops};

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
        if let Some(reason) = crate::model::ids::dns_label_problem(v) {
            return Err(failed(format!("invalid {what} `{v}`: {reason}")));
        }
    }
    let actor: &PrincipalId = cx.actor;
    match authz::authorize(
        cx.abac,
        cx.db,
        cx.clock,
        actor,
        Action::Deploy,
        Some(&tenant_id),
    ) {
        Ok(()) => {}
        Err(authz::AuthzError::Denied(d)) => {
            // Logged here: a denied step keeps only its decision log.
            authz::log_denial(cx.abac, cx.db, cx.clock, &d).map_err(|e| failed(e.to_string()))?;
            return Err(Refusal::Denied(d.to_string()));
        }
        Err(e) => return Err(failed(e.to_string())),
    }
    let tenant = ops::load(cx.db, &tenant_id).map_err(|e| failed(e.to_string()))?;
    if tenant.status == TenantStatus::Deleted {
        return Err(Refusal::Denied(format!(
            "tenant `{tenant_id}` is deleted: nothing may be deployed for it"
        )));
    }
    // The residency gate: the governance kernel decides, and the decision is logged.
    let input = serde_json::json!({"action": "deploy", "tenant": tenant_id, "service": service, "env": env, "cluster": cluster});
    let (allow, decision_id, deny) =
        super::policy::decide_and_log(cx, "data.maestro.residency", &input)
            .map_err(|e| failed(e.to_string()))?;
    if !allow {
        return Err(Refusal::Denied(deny.join("; ")));
    }
    let region = cx
        .config
        .platform
        .clusters
        .get(cluster.as_str())
        .map(|c| c.region.get_ref().clone())
        .ok_or_else(|| failed(format!("unknown cluster `{cluster}`")))?;
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
                    "allowed_regions": tenant.regions, "decision_id": decision_id,
                }),
            },
        )?;
    }
    Ok(recorded)
}
