//! Each tenant's metrics, as the Pushgateway and VictoriaMetrics adapters push them: a
//! snapshot of the tenant's figures (cost, cost drivers, the last day's requests, latency and
//! errors, flow runs, commit signals, security alerts), queued in the outbox in the same
//! transaction as the change that moved them. A snapshot equal to the tenant's last one is
//! not queued again, so a rerun that changes nothing sends nothing.
//!
//! Metric names are those the dashboards of `dashboard:export` query. Every sample carries
//! `tenant_id` (added by the adapter: the Pushgateway's grouping key, VictoriaMetrics'
//! `extra_label`), plus `service` and `env` where they apply.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::model::clock::Clock;
use crate::outbox::payload::metrics::{Sample, Snapshot};
use crate::outbox::{self, Queued};
use crate::store::{Db, StoreError};

/// How many cost drivers of each kind a tenant's snapshot carries (largest first).
const DRIVERS: usize = 10;

fn sample(name: &str, labels: &[(&str, &str)], value: String) -> Sample {
    Sample {
        name: name.to_string(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        value,
    }
}

/// Microseconds as milliseconds, exactly (`1234` → `1.234`).
fn ms(us: u64) -> String {
    let text = format!("{}.{:03}", us / 1000, us % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The current snapshot of each of `tenants` (sorted samples; tenants without any figure
/// get an empty one).
pub fn snapshots(db: &Db<'_>, at: &str, tenants: &[String]) -> Result<Vec<Snapshot>, StoreError> {
    let mut by: BTreeMap<&str, Vec<Sample>> =
        tenants.iter().map(|t| (t.as_str(), Vec::new())).collect();
    let rows = db.metrics();
    for c in rows.cost(tenants)? {
        let [service, env, region, provider] = &c.labels;
        let labels = [
            ("service", service.as_str()),
            ("env", env.as_str()),
            ("region", region.as_str()),
            ("provider", provider.as_str()),
        ];
        if let Some(v) = by.get_mut(c.tenant_id.as_str()) {
            v.push(sample(
                "maestro_cost_billed_usd",
                &labels,
                c.billed.to_string(),
            ));
            v.push(sample(
                "maestro_cost_effective_usd",
                &labels,
                c.effective.to_string(),
            ));
        }
    }
    let mut kept: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (tenant, kind, name, effective) in rows.drivers(tenants)? {
        let n = kept.entry((tenant.clone(), kind.clone())).or_default();
        *n += 1;
        if *n <= DRIVERS
            && let Some(v) = by.get_mut(tenant.as_str())
        {
            v.push(sample(
                "maestro_cost_driver_effective_usd",
                &[("kind", &kind), ("name", &name)],
                effective.to_string(),
            ));
        }
    }
    for (tenant, day) in rows.perf_days(tenants)? {
        let scope = Some(vec![crate::model::ids::TenantId::parse(&tenant).map_err(
            |e| StoreError::Corrupt {
                path: std::path::PathBuf::new(),
                detail: format!("perf_daily holds tenant `{tenant}`: {e}"),
            },
        )?]);
        for (key, d) in db.perf().distributions(&day, &day, &scope)? {
            let Some(v) = by.get_mut(key.tenant_id.as_str()) else {
                continue;
            };
            let labels = [("service", key.service.as_str()), ("env", key.env.as_str())];
            v.push(sample(
                "maestro_perf_requests",
                &labels,
                d.requests.to_string(),
            ));
            if d.requests > 0 {
                let pct = d.errors as f64 * 100.0 / d.requests as f64;
                v.push(sample(
                    "maestro_perf_error_rate_pct",
                    &labels,
                    format!("{pct:.4}"),
                ));
            }
            for (q, p) in [("0.5", 50), ("0.95", 95), ("0.99", 99)] {
                if let Some(us) = crate::model::latency::percentile(&d.latencies, p) {
                    let mut l = labels.to_vec();
                    l.push(("quantile", q));
                    v.push(sample("maestro_perf_latency_ms", &l, ms(us)));
                }
            }
        }
    }
    for c in rows.flow_runs(tenants)? {
        if let Some(v) = by.get_mut(c.tenant_id.as_str()) {
            v.push(sample(
                "maestro_flow_runs",
                &[("flow", &c.labels[0]), ("status", &c.labels[1])],
                c.count.to_string(),
            ));
        }
    }
    for c in rows.commits(tenants)? {
        if let Some(v) = by.get_mut(c.tenant_id.as_str()) {
            v.push(sample("maestro_signal_commits", &[], c.count.to_string()));
        }
    }
    for c in rows.alerts(tenants)? {
        if let Some(v) = by.get_mut(c.tenant_id.as_str()) {
            v.push(sample(
                "maestro_security_alerts",
                &[("level", &c.labels[0])],
                c.count.to_string(),
            ));
        }
    }
    Ok(by
        .into_iter()
        .map(|(tenant, mut samples)| {
            samples.sort_by(|a, b| (&a.name, &a.labels).cmp(&(&b.name, &b.labels)));
            Snapshot {
                tenant_id: tenant.to_string(),
                at: at.to_string(),
                samples,
            }
        })
        .collect())
}

/// Queues the snapshot of each of `tenants` whose figures changed since its last one. Call
/// inside the write transaction of the change.
pub fn refresh<'t>(
    db: &Db<'_>,
    clock: &Clock,
    tenants: impl IntoIterator<Item = &'t str>,
) -> Result<(), StoreError> {
    let mut tenants: Vec<String> = tenants
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    tenants.sort();
    tenants.dedup();
    if tenants.is_empty() {
        return Ok(());
    }
    let at = clock.now_rfc3339();
    for snapshot in snapshots(db, &at, &tenants)? {
        let last = db.outbox().last_payload("metrics", &snapshot.tenant_id)?;
        let unchanged = last
            .and_then(|p| serde_json::from_str::<Snapshot>(&p).ok())
            .is_some_and(|l| l.samples == snapshot.samples);
        if unchanged || (snapshot.samples.is_empty()) {
            continue;
        }
        let payload = serde_json::to_string(&snapshot).map_err(|e| StoreError::Corrupt {
            path: std::path::PathBuf::new(),
            detail: format!("metrics of `{}` as JSON: {e}", snapshot.tenant_id),
        })?;
        let digest = crate::model::audit::hex(&Sha256::digest(payload.as_bytes()));
        let row = Queued {
            kind: "metrics",
            tenant_id: Some(&snapshot.tenant_id),
            key: format!("metrics:{}:{}", snapshot.tenant_id, &digest[..16]),
            payload,
        };
        outbox::enqueue_at(db, &row, &at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_become_exact_milliseconds() {
        assert_eq!(ms(1234), "1.234");
        assert_eq!(ms(250_000), "250");
        assert_eq!(ms(1500), "1.5");
        assert_eq!(ms(7), "0.007");
    }
}
