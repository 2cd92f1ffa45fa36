//! Baselines and budgets: `perf:baseline set` measures a window and keeps it, `perf:baseline
//! show` lists what is kept, `perf:check` compares a window with the per-service budgets and
//! the baselines.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::PerfError;
use crate::audit::{self, NewEvent};
use crate::authz::{self, Action};
use crate::config::{Budget, Phase};
use crate::context::Context;
use crate::input;
use crate::model::ids::TenantId;
use crate::model::latency::percentile;
use crate::store::{Baseline, Distribution, PerfKey};
use crate::tenant::TenantError;

/// A group's measured figures.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Stats {
    pub tenant_id: String,
    pub service: String,
    pub env: String,
    pub requests: u64,
    pub errors: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// 5xx share of requests, in percent.
    pub error_rate_pct: f64,
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn stats(key: &PerfKey, d: &Distribution) -> Stats {
    let p = |q| percentile(&d.latencies, q).map_or(0.0, ms);
    Stats {
        tenant_id: key.tenant_id.clone(),
        service: key.service.clone(),
        env: key.env.clone(),
        requests: d.requests,
        errors: d.errors,
        p50_ms: p(50),
        p95_ms: p(95),
        p99_ms: p(99),
        error_rate_pct: if d.requests == 0 {
            0.0
        } else {
            d.errors as f64 * 100.0 / d.requests as f64
        },
    }
}

/// `perf:baseline set`: measures each tenant / service / env over `from..=to` and keeps it as
/// the baseline later windows are compared with.
pub fn set_baseline(
    ctx: &mut Context,
    from: &str,
    to: &str,
    tenant: Option<&str>,
) -> anyhow::Result<Vec<Stats>> {
    input::check_day("--from", from)?;
    input::check_day("--to", to)?;
    let tenant = tenant.map(TenantId::parse).transpose()?;
    let actor = authz::check(ctx, Action::PerfBaseline, tenant.as_ref())?;
    let scope = tenant.clone().map(|t| vec![t]);
    let found = ctx.store.read().perf().distributions(from, to, &scope)?;
    if found.is_empty() {
        return Err(PerfError::NoData(Some(format!("{from} and {to}"))).into());
    }
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    ctx.store.write(|db| -> anyhow::Result<Vec<Stats>> {
        authz::authorize(
            &ctx.abac,
            db,
            &clock,
            &actor,
            Action::PerfBaseline,
            tenant.as_ref(),
        )?;
        let mut out = Vec::new();
        for (key, d) in &found {
            let p = |q| percentile(&d.latencies, q).unwrap_or(0);
            db.perf().set_baseline(
                key,
                &Baseline {
                    from: from.to_string(),
                    to: to.to_string(),
                    requests: d.requests,
                    errors: d.errors,
                    p50_us: p(50),
                    p95_us: p(95),
                    p99_us: p(99),
                    set_at: now.clone(),
                },
            )?;
            out.push(stats(key, d));
        }
        audit::append(
            db,
            &clock,
            NewEvent {
                actor: actor.clone(),
                tenant_id: tenant.clone(),
                action: "perf.baseline",
                target: format!("{from}..{to}"),
                details: serde_json::json!({ "groups": out.len() }),
            },
        )?;
        Ok(out)
    })
}

/// A kept baseline as `perf:baseline show` lists it, latencies in milliseconds. The fields
/// stand in the order `--output json` has always printed them (alphabetical).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct KeptBaseline {
    pub env: String,
    pub errors: u64,
    /// The first day of the measured window.
    pub from: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    pub service: String,
    /// When it was set (RFC 3339).
    pub set_at: String,
    pub tenant_id: String,
    /// The last day of the measured window.
    pub to: String,
}

/// `perf:baseline show`: the baselines of the tenants the actor may read (`tenant`: of that
/// one only), by tenant, service and env.
pub fn baselines(
    ctx: &mut Context,
    tenant: Option<&str>,
) -> Result<Vec<KeptBaseline>, TenantError> {
    let tenants = authz::read_scope(ctx, Action::PerfRead, tenant)?;
    let rows = ctx.store.read().perf().baselines(&tenants)?;
    Ok(rows
        .into_iter()
        .map(|(k, b)| KeptBaseline {
            env: k.env,
            errors: b.errors,
            from: b.from,
            p50_ms: ms(b.p50_us),
            p95_ms: ms(b.p95_us),
            p99_ms: ms(b.p99_us),
            requests: b.requests,
            service: k.service,
            set_at: b.set_at,
            tenant_id: k.tenant_id,
            to: b.to,
        })
        .collect())
}

/// One breach of a budget or a regression against the baseline.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Breach {
    pub tenant_id: String,
    pub service: String,
    pub env: String,
    /// `p50`, `p95` or `error_rate`.
    pub metric: &'static str,
    /// `budget` or `baseline`.
    pub against: &'static str,
    pub value: f64,
    pub limit: f64,
    /// `ms` or `%`.
    pub unit: &'static str,
}

impl Breach {
    pub fn describe(&self) -> String {
        format!(
            "{}/{}/{}: {} {:.3}{} over the {} limit {:.3}{}",
            self.tenant_id,
            self.service,
            self.env,
            self.metric,
            self.value,
            self.unit,
            self.against,
            self.limit,
            self.unit
        )
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckReport {
    pub phase: Phase,
    pub from: String,
    pub to: String,
    pub groups: Vec<Stats>,
    pub breaches: Vec<Breach>,
}

pub struct CheckOptions {
    pub phase: Phase,
    pub from: Option<String>,
    pub to: Option<String>,
    pub tenant: Option<String>,
    pub budgets: BTreeMap<String, Budget>,
    pub regression_pct: f64,
    pub error_regression_pp: f64,
}

/// `perf:check`: the window (default: the last day with data) against the per-service
/// budgets and the baselines.
pub fn check(ctx: &mut Context, o: &CheckOptions) -> anyhow::Result<CheckReport> {
    let tenants = authz::read_scope(ctx, Action::PerfRead, o.tenant.as_deref())?;
    let db = ctx.store.read();
    let (from, to) = match (&o.from, &o.to) {
        (Some(f), Some(t)) => (f.clone(), t.clone()),
        (Some(f), None) => (f.clone(), f.clone()),
        (None, Some(t)) => (t.clone(), t.clone()),
        (None, None) => {
            let last = db
                .perf()
                .last_day(&tenants)?
                .ok_or(PerfError::NoData(None))?;
            (last.clone(), last)
        }
    };
    input::check_day("--from", &from)?;
    input::check_day("--to", &to)?;
    let found = db.perf().distributions(&from, &to, &tenants)?;
    if found.is_empty() {
        return Err(PerfError::NoData(Some(format!("{from} and {to}"))).into());
    }
    let baselines: HashMap<PerfKey, Baseline> =
        db.perf().baselines(&tenants)?.into_iter().collect();
    let mut groups = Vec::new();
    let mut breaches = Vec::new();
    for (key, d) in &found {
        let s = stats(key, d);
        let mut breach = |metric, against, value: f64, limit: f64, unit| {
            if value > limit {
                breaches.push(Breach {
                    tenant_id: key.tenant_id.clone(),
                    service: key.service.clone(),
                    env: key.env.clone(),
                    metric,
                    against,
                    value,
                    limit,
                    unit,
                });
            }
        };
        if let Some(b) = o.budgets.get(&key.service) {
            if let Some(limit) = b.p50_ms {
                breach("p50", "budget", s.p50_ms, limit, "ms");
            }
            if let Some(limit) = b.p95_ms {
                breach("p95", "budget", s.p95_ms, limit, "ms");
            }
            if let Some(limit) = b.error_rate_pct {
                breach("error_rate", "budget", s.error_rate_pct, limit, "%");
            }
        }
        if let Some(base) = baselines.get(key) {
            let grow = 1.0 + o.regression_pct / 100.0;
            breach("p50", "baseline", s.p50_ms, ms(base.p50_us) * grow, "ms");
            breach("p95", "baseline", s.p95_ms, ms(base.p95_us) * grow, "ms");
            let base_rate = if base.requests == 0 {
                0.0
            } else {
                base.errors as f64 * 100.0 / base.requests as f64
            };
            breach(
                "error_rate",
                "baseline",
                s.error_rate_pct,
                base_rate + o.error_regression_pp,
                "%",
            );
        }
        groups.push(s);
    }
    Ok(CheckReport {
        phase: o.phase,
        from,
        to,
        groups,
        breaches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_baseline_prints_its_fields_in_order() {
        let b = KeptBaseline {
            env: "prod".into(),
            errors: 8,
            from: "2026-11-01".into(),
            p50_ms: ms(137_067),
            p95_ms: ms(281_000),
            p99_ms: ms(295_145),
            requests: 133,
            service: "api".into(),
            set_at: "2026-11-25T10:00:00.000Z".into(),
            tenant_id: "acme".into(),
            to: "2026-11-02".into(),
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"env":"prod","errors":8,"from":"2026-11-01","p50_ms":137.067,"p95_ms":281.0,"p99_ms":295.145,"requests":133,"service":"api","set_at":"2026-11-25T10:00:00.000Z","tenant_id":"acme","to":"2026-11-02"}"#
        );
    }
}
