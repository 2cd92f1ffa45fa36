//! Grafana dashboards (S0-08, COST-2): "Summitsight Pulse" and "Platform P&L", from the
//! templates in `templates/dashboards/`, titled with the `[branding]` product name and with a
//! `tenant` variable: every tenant for a platform admin, or fixed to one tenant. Their queries
//! read the metric names the adapters push (`maestro_cost_*`, `maestro_perf_*`) and the
//! cluster's container metrics of the tenant's namespace.

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::audit::NewEvent;
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::ids::TenantId;
use crate::tenant::TenantError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dashboard {
    /// Summitsight Pulse: CPU, memory, request rate, p95 latency, error rate
    Pulse,
    /// Platform P&L: cost per tenant, top-5 cost drivers, cost per request
    Pnl,
}

impl Dashboard {
    pub fn template(self) -> &'static str {
        match self {
            Dashboard::Pulse => include_str!("../templates/dashboards/pulse.json"),
            Dashboard::Pnl => include_str!("../templates/dashboards/pnl.json"),
        }
    }
}

/// The dashboard's JSON: `product` prefixes the title; with `tenant`, the `tenant` variable is
/// a hidden constant (and the uid says whose it is), else a multi-value query over every
/// tenant that has cost metrics.
pub fn render(which: Dashboard, product: &str, tenant: Option<&TenantId>) -> Value {
    let mut d: Value = match serde_json::from_str(which.template()) {
        Ok(v) => v,
        // The templates are compiled in and tested: this cannot happen in a released binary.
        Err(e) => json!({ "error": format!("dashboard template is not JSON: {e}") }),
    };
    let title = d["title"].as_str().unwrap_or_default().to_string();
    d["title"] = match tenant {
        Some(t) => json!(format!("{product} {title} — {t}")),
        None => json!(format!("{product} {title}")),
    };
    if let Some(t) = tenant {
        let uid = format!("{}-{t}", d["uid"].as_str().unwrap_or("maestro"));
        // Grafana uids are at most 40 characters.
        d["uid"] = json!(uid.chars().take(40).collect::<String>());
    }
    let datasource = json!({
        "name": "datasource",
        "label": "Prometheus",
        "type": "datasource",
        "query": "prometheus",
        "hide": 0
    });
    let tenant_var = match tenant {
        Some(t) => json!({
            "name": "tenant",
            "type": "constant",
            "query": t.as_str(),
            "hide": 2
        }),
        None => json!({
            "name": "tenant",
            "label": "Tenant",
            "type": "query",
            "datasource": { "type": "prometheus", "uid": "${datasource}" },
            "query": "label_values(maestro_cost_effective_usd, tenant_id)",
            "refresh": 2,
            "multi": true,
            "includeAll": true,
            "allValue": ".+",
            "hide": 0
        }),
    };
    d["templating"]["list"] = json!([datasource, tenant_var]);
    d
}

/// `dashboard:export`: the dashboard as [`render`] makes it, once the actor may have it. A
/// dashboard fixed to a tenant needs a role of that tenant; the all-tenant one, a platform
/// admin.
pub fn export(
    ctx: &mut Context,
    which: Dashboard,
    tenant: Option<&TenantId>,
) -> Result<Value, TenantError> {
    authz::check(ctx, Action::DashboardExport, tenant)?;
    Ok(render(which, &ctx.config.branding.product_name, tenant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_dashboard_is_fixed_to_that_tenant() {
        let t = TenantId::parse("acme").unwrap();
        let d = render(Dashboard::Pnl, "CompanyOS", Some(&t));
        assert_eq!(d["title"], "CompanyOS Platform P&L — acme");
        assert_eq!(d["uid"], "maestro-pnl-acme");
        assert_eq!(d["templating"]["list"][1]["type"], "constant");
        assert_eq!(d["templating"]["list"][1]["query"], "acme");
        let all = render(Dashboard::Pulse, "CompanyOS", None);
        assert_eq!(all["templating"]["list"][1]["type"], "query");
    }
}

/// What `dashboard:publish` queued.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Published {
    pub uid: String,
    pub title: String,
    pub sha256: String,
    /// `false`: this very dashboard was already queued (nothing changed).
    pub queued: bool,
}

/// Queues the dashboard for the Grafana adapters (`sync` posts it), audited. Publishing the
/// same dashboard again queues nothing.
pub fn publish(
    ctx: &mut Context,
    which: Dashboard,
    tenant: Option<&TenantId>,
) -> Result<Published, TenantError> {
    let d = render(which, &ctx.config.branding.product_name, tenant);
    let uid = d["uid"].as_str().unwrap_or_default().to_string();
    let title = d["title"].as_str().unwrap_or_default().to_string();
    let payload = json!({
        "dashboard": d,
        "overwrite": true,
        "message": "published by maestro-cli dashboard:publish",
    })
    .to_string();
    let sha256 = crate::model::audit::hex(&Sha256::digest(payload.as_bytes()));
    let clock = ctx.clock;
    authz::guarded_write(ctx, Action::DashboardPublish, tenant, |db, actor| {
        let row = crate::outbox::Queued {
            kind: "dashboard",
            tenant_id: tenant.map(TenantId::as_str),
            key: format!("dashboard:{uid}:{}", &sha256[..16]),
            payload: payload.clone(),
        };
        let event = NewEvent {
            actor: actor.clone(),
            tenant_id: tenant.cloned(),
            action: "dashboard.publish",
            target: format!("dashboard/{uid}"),
            details: json!({"title": title, "sha256": sha256}),
        };
        let queued = crate::audit::queue_audited(db, &clock, &row, event)?;
        Ok(Published {
            uid: uid.clone(),
            title: title.clone(),
            sha256: sha256.clone(),
            queued,
        })
    })
}
