//! The payload of a `metrics` outbox row: a tenant's metrics snapshot, as the Pushgateway and
//! VictoriaMetrics adapters push it (`crate::metrics` builds and queues it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One sample: a gauge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// A decimal number, exact as computed (money keeps its decimals).
    pub value: String,
}

/// A tenant's metrics at one time: the payload of a `metrics` outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub tenant_id: String,
    pub at: String,
    pub samples: Vec<Sample>,
}

/// The `# HELP` text of each metric.
pub fn help(name: &str) -> &'static str {
    match name {
        "maestro_cost_billed_usd" => "Billed cost ingested, by service, env, region and provider",
        "maestro_cost_effective_usd" => {
            "Effective cost ingested, by service, env, region and provider"
        }
        "maestro_cost_driver_effective_usd" => "Effective cost of the top cost drivers",
        "maestro_perf_requests" => "Requests on the last day with request data",
        "maestro_perf_latency_ms" => "Latency quantiles on the last day with request data",
        "maestro_perf_error_rate_pct" => "Share of 5xx answers on the last day with request data",
        "maestro_flow_runs" => "Flow runs by flow and status",
        "maestro_signal_commits" => "Distinct non-merge commits mined",
        "maestro_security_alerts" => "Security alerts by level",
        _ => "maestro-cli metric",
    }
}
