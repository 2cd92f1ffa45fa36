//! `policy:drift`: today's policies against today's state — what no longer complies.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::{GovernanceError, check};
use crate::authz::Action;
use crate::context::Context;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DriftItem {
    /// `deployment`, `exception`, `tenant`
    pub kind: String,
    pub id: String,
    pub tenant_id: Option<String>,
    pub problem: String,
}

/// The current deployment of every service/env of every tenant is re-checked against
/// `maestro.residency`; exceptions in the policy data that have expired are listed; tenants
/// allowed regions that left the catalogue are listed. Re-checks are logged decisions.
pub fn drift(ctx: &mut Context) -> Result<Vec<DriftItem>, GovernanceError> {
    // Platform-wide: platform admins only.
    crate::authz::check(ctx, Action::PolicyDrift, None)?;
    let mut items = Vec::new();
    let db = ctx.store.read();
    let mut latest: BTreeMap<(String, String, String), crate::store::Deployment> = BTreeMap::new();
    for d in db.flows().deployments(None)? {
        latest.insert((d.tenant_id.clone(), d.service.clone(), d.env.clone()), d);
    }
    for t in db.tenants().list(false)? {
        if let crate::tenant::Regions::Only(list) = &t.regions {
            for r in list.iter().filter(|r| !ctx.config.has_region(r)) {
                items.push(DriftItem {
                    kind: "tenant".into(),
                    id: t.id.to_string(),
                    tenant_id: Some(t.id.to_string()),
                    problem: format!("allowed region `{r}` is no longer in the region catalogue"),
                });
            }
        }
    }
    let deployments: Vec<_> = latest.into_values().collect();
    let inputs: Vec<_> = deployments
        .iter()
        .map(|d| json!({"action": "deploy", "tenant": d.tenant_id, "service": d.service, "env": d.env, "cluster": d.cluster}))
        .collect();
    if !inputs.is_empty() {
        let checked = check::check_many(ctx, "data.maestro.residency", inputs)?;
        for (d, c) in deployments.iter().zip(checked) {
            if !c.allow {
                items.push(DriftItem {
                    kind: "deployment".into(),
                    id: d.id.clone(),
                    tenant_id: Some(d.tenant_id.clone()),
                    problem: format!(
                        "{} {} version {} on `{}`: {}",
                        d.service,
                        d.env,
                        d.version,
                        d.cluster,
                        c.deny.join("; ")
                    ),
                });
            }
        }
    }
    let gov = check::governance(ctx)?;
    let now = ctx.clock.now_rfc3339();
    if let Some(exceptions) = gov.bundle.data.get("exceptions").and_then(|e| e.as_array()) {
        for e in exceptions {
            let expires = e.get("expires_at").and_then(|x| x.as_str()).unwrap_or("");
            if !expires.is_empty() && expires <= now.as_str() {
                items.push(DriftItem {
                    kind: "exception".into(),
                    id: e
                        .get("id")
                        .and_then(|x| x.as_str())
                        .unwrap_or("?")
                        .to_string(),
                    tenant_id: e
                        .get("from_tenant")
                        .and_then(|x| x.as_str())
                        .map(str::to_string),
                    problem: format!(
                        "expired at {expires}; remove it from the policy data or renew it"
                    ),
                });
            }
        }
    }
    Ok(items)
}
