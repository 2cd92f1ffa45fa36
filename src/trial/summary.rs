//! What `trial:up` reports, as printed and with `--output json`.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialTenant {
    pub id: String,
    pub tier: String,
    pub regions: Vec<String>,
    pub admin: String,
    pub namespace: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialDeploy {
    pub tenant: String,
    pub cluster: String,
    pub region: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialDeny {
    pub tenant: String,
    pub cluster: String,
    pub message: String,
    pub decision_id: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialPack {
    pub tenant: String,
    pub path: String,
    pub verified: bool,
}

/// Commit signals of the trial repository and alerts of the sample auth log.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialSignals {
    pub repo: String,
    pub commits: u64,
    pub auth_log: String,
    pub alerts: u64,
    pub root_logins: u64,
}

/// Cost per tenant from the sample billing data, and the performance check of the samples.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialCost {
    pub billing: String,
    pub rows: u64,
    pub unallocated: u64,
    /// (tenant or `unallocated`, effective cost) for November 2026.
    pub per_tenant: Vec<(String, String)>,
    pub requests: String,
    pub perf_breaches: Vec<String>,
}

/// What exists after `trial:up`, as printed (and with `--output json`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrialSummary {
    /// `[branding]` short name (else product name) and support contact, for the banner.
    pub product: String,
    pub support: Option<String>,
    pub name: String,
    pub dir: String,
    pub config: String,
    pub state: String,
    pub platform_admin: String,
    pub operator: String,
    pub tenants: Vec<TrialTenant>,
    pub deployments: Vec<TrialDeploy>,
    pub deny: TrialDeny,
    pub signals: TrialSignals,
    pub cost: TrialCost,
    pub packs: Vec<TrialPack>,
    pub public_key: String,
    pub audit_ok: bool,
    pub next: Vec<String>,
}
