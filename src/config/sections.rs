//! The serde types of `maestro.toml`'s sections, with their defaults: `[platform]`,
//! `[branding]`, `[policy]`, `[cost]`, `[[adapters]]`, `[perf]` and `[signals]`. What serde
//! cannot check (ids, URLs, patterns, colours) is checked in [`validate`](super::validate).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    #[serde(default = "default_platform_name")]
    pub name: String,
    /// Region catalogue: id → display name.
    #[serde(default = "default_regions")]
    pub regions: BTreeMap<Spanned<String>, String>,
    /// Clusters: name → where it runs.
    #[serde(default)]
    pub clusters: BTreeMap<Spanned<String>, Cluster>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub region: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    #[serde(default = "default_platform_name")]
    pub product_name: String,
    /// A short name for CLI banners and summaries (default: the product name).
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub logo: Option<PathBuf>,
    #[serde(default = "default_primary_color")]
    pub primary_color: Spanned<String>,
    #[serde(default = "default_accent_color")]
    pub accent_color: Spanned<String>,
    /// Where customers and operators get help (an e-mail address or a URL).
    #[serde(default)]
    pub support_contact: Option<String>,
}

impl Branding {
    /// The name in CLI banners: `short_name`, else `product_name`.
    pub fn short(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.product_name)
    }
}

/// `[policy]`: where the Rego bundle is (default: the policies built into the binary).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// A directory of `*.rego` files and an optional `data.json`.
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// The engine of `policy:check` and the flow gates.
    #[serde(default)]
    pub engine: EngineKind,
    /// For `engine = "opa-wasm"`: an OPA-built `policy.wasm` or `bundle.tar.gz`.
    #[serde(default)]
    pub bundle: Option<PathBuf>,
}

/// Which policy engine decides `policy:check` and the flow gates.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// regorus: the Rego source of `policies/` (or `[policy] dir`)
    #[default]
    Regorus,
    /// OPA-built wasm (`opa build -t wasm`); needs a build with `--features opa-wasm`
    OpaWasm,
}

/// `[cost]`: which billing tags carry the tenant, service and env, and an explicit mapping
/// from tenant tag values to tenant ids.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostConfig {
    #[serde(default = "default_tenant_tag")]
    pub tenant_tag: String,
    #[serde(default = "default_service_tag")]
    pub service_tag: String,
    #[serde(default = "default_env_tag")]
    pub env_tag: String,
    /// Tenant tag value → tenant id (values that are not valid tenant ids need one).
    #[serde(default)]
    pub tenants: BTreeMap<String, Spanned<String>>,
}

impl Default for CostConfig {
    fn default() -> Self {
        CostConfig {
            tenant_tag: default_tenant_tag(),
            service_tag: default_service_tag(),
            env_tag: default_env_tag(),
            tenants: BTreeMap::new(),
        }
    }
}

fn default_tenant_tag() -> String {
    "tenant".into()
}

fn default_service_tag() -> String {
    "service".into()
}

fn default_env_tag() -> String {
    "env".into()
}

/// The kinds of remote backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AdapterKind {
    /// RFC 5424 syslog over TCP (octet-counted framing): audit events and security alerts.
    Syslog,
    /// Prometheus Pushgateway: each tenant's metrics, one group per tenant.
    Pushgateway,
    /// VictoriaMetrics: each tenant's metrics, imported with their time.
    Victoriametrics,
    /// Grafana Loki: audit events and alerts as log lines labelled with the tenant.
    Loki,
    /// IntelGraph on Neo4j: tenants, users, features, incidents, repos and commit signals.
    Neo4j,
    /// Grafana: the dashboards that `dashboard:publish` queues.
    Grafana,
    /// A JSON POST signed with HMAC-SHA256, for chat and incident tools.
    Webhook,
}

impl AdapterKind {
    /// The outbox kinds its backend takes.
    pub fn outbox_kinds(self) -> &'static [&'static str] {
        match self {
            // Checkpoints go to the SIEM-like receivers: the log's witnesses.
            AdapterKind::Syslog | AdapterKind::Loki | AdapterKind::Webhook => {
                &["audit", "alert", "checkpoint"]
            }
            AdapterKind::Pushgateway | AdapterKind::Victoriametrics => &["metrics"],
            AdapterKind::Neo4j => &["graph-schema", "audit", "alert", "commits"],
            AdapterKind::Grafana => &["dashboard"],
        }
    }

    /// Its name in `maestro.toml`.
    pub fn name(self) -> &'static str {
        match self {
            AdapterKind::Syslog => "syslog",
            AdapterKind::Pushgateway => "pushgateway",
            AdapterKind::Victoriametrics => "victoriametrics",
            AdapterKind::Loki => "loki",
            AdapterKind::Neo4j => "neo4j",
            AdapterKind::Grafana => "grafana",
            AdapterKind::Webhook => "webhook",
        }
    }

    /// How its `url` is written.
    pub fn url_form(self) -> &'static str {
        match self {
            AdapterKind::Syslog => "tcp://host:port",
            _ => "http://host:port or https://host[:port][/path]",
        }
    }
}

/// `[[adapters]]`: one remote backend.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterConfig {
    /// A unique name (lower-case letters, digits, `-`), used by `sync --adapter`.
    pub name: Spanned<String>,
    pub kind: AdapterKind,
    /// `tcp://host:port` for syslog, the base URL for the others.
    pub url: Spanned<String>,
    /// The kinds of outbox rows it receives (default: all it can take).
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// Connect and write timeout.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Attempts before a delivery the backend refuses for good (a 4xx other than 408 and
    /// 429) is given up on (dead-lettered). A backend that is down is retried without limit.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// The *name* of the environment variable holding the token (a bearer token; Neo4j's
    /// password; the webhook's HMAC key). Never the token itself.
    #[serde(default)]
    pub token_env: Option<Spanned<String>>,
    /// Neo4j: the database (default `neo4j`).
    #[serde(default)]
    pub database: Option<String>,
    /// Neo4j: the user of basic authentication (default `neo4j`).
    #[serde(default)]
    pub user: Option<String>,
    /// Neo4j: `query` (the Query API, default) or `tx` (the older transactional endpoint).
    #[serde(default)]
    pub api: Option<Neo4jApi>,
    /// Loki: send `X-Scope-OrgID: <tenant id>` with each tenant's lines.
    #[serde(default)]
    pub org_id_per_tenant: bool,
    /// Loki: the `X-Scope-OrgID` of lines without a tenant (and of all lines when
    /// `org_id_per_tenant` is off).
    #[serde(default)]
    pub org_id: Option<String>,
    /// Grafana: the folder dashboards go to.
    #[serde(default)]
    pub folder_uid: Option<String>,
}

impl AdapterConfig {
    /// The user its token is sent with in basic authentication (Neo4j's `user`, default
    /// `neo4j`); `None` for the kinds that send a bearer token or none.
    pub fn basic_user(&self) -> Option<&str> {
        match self.kind {
            AdapterKind::Neo4j => Some(self.user.as_deref().unwrap_or("neo4j")),
            _ => None,
        }
    }
}

/// The Neo4j HTTP endpoint.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Neo4jApi {
    /// `POST /db/<db>/query/v2`.
    #[default]
    Query,
    /// `POST /db/<db>/tx/commit` (answers 200 even on failure: its `errors` are checked).
    Tx,
}

fn default_timeout_ms() -> u64 {
    5_000
}

fn default_max_attempts() -> u32 {
    8
}

/// Whether a broken performance budget only warns (exit 0) or fails the check (exit 3).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    #[default]
    Warn,
    Gate,
}

/// A service's budget; each limit optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub error_rate_pct: Option<f64>,
}

/// `[perf]`: the gating phase, per-service budgets, and how much worse than the baseline a
/// window may be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerfConfig {
    #[serde(default)]
    pub phase: Phase,
    /// Allowed growth of p50 and p95 over the baseline, in percent.
    #[serde(default = "default_regression_pct")]
    pub regression_pct: f64,
    /// Allowed growth of the error rate over the baseline, in percentage points.
    #[serde(default = "default_error_regression_pp")]
    pub error_regression_pp: f64,
    /// Service → budget.
    #[serde(default)]
    pub budgets: BTreeMap<String, Budget>,
}

impl Default for PerfConfig {
    fn default() -> Self {
        PerfConfig {
            phase: Phase::Warn,
            regression_pct: default_regression_pct(),
            error_regression_pp: default_error_regression_pp(),
            budgets: BTreeMap::new(),
        }
    }
}

fn default_regression_pct() -> f64 {
    10.0
}

fn default_error_regression_pp() -> f64 {
    0.5
}

/// `[signals]`: the repositories `signals:mine` walks, who counts as a bot, what counts as
/// innovation, and which hosts' logs belong to which tenant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalsConfig {
    /// Repositories mined on every run, each optionally owned by a tenant.
    #[serde(default)]
    pub repos: Vec<SignalsRepo>,
    /// Regular expressions (case-insensitive) on `Name <email>`: matching authors are bots.
    #[serde(default = "default_bots")]
    pub bots: Vec<Spanned<String>>,
    /// Regular expressions (case-insensitive) on a commit's subject and body that flag it
    /// as an innovation.
    #[serde(default = "default_innovation")]
    pub innovation: Vec<Spanned<String>>,
    /// Log host name → the tenant its alerts belong to.
    #[serde(default)]
    pub hosts: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalsRepo {
    pub path: PathBuf,
    #[serde(default)]
    pub tenant: Option<Spanned<String>>,
    /// A branch or ref; default: the repository's HEAD.
    #[serde(default)]
    pub branch: Option<String>,
}

impl Default for SignalsConfig {
    fn default() -> Self {
        SignalsConfig {
            repos: Vec::new(),
            bots: default_bots(),
            innovation: default_innovation(),
            hosts: BTreeMap::new(),
        }
    }
}

fn spanned_list(items: &[&str]) -> Vec<Spanned<String>> {
    items
        .iter()
        .map(|s| Spanned::new(0..0, (*s).to_string()))
        .collect()
}

pub(super) const DEFAULT_BOTS: [&str; 3] = [
    r"\[bot\]",
    r"^(dependabot|renovate|github-actions)\b",
    r"<noreply@",
];

pub(super) const DEFAULT_INNOVATION: [&str; 2] = [
    r"\b(novel|invent(ion|ed)?|prototype|patent(able)?|first[- ]of[- ]its[- ]kind)\b",
    r"\bnew (algorithm|approach|technique)\b",
];

fn default_bots() -> Vec<Spanned<String>> {
    spanned_list(&DEFAULT_BOTS)
}

fn default_innovation() -> Vec<Spanned<String>> {
    spanned_list(&DEFAULT_INNOVATION)
}

fn default_platform_name() -> String {
    "CompanyOS".into()
}

fn default_primary_color() -> Spanned<String> {
    Spanned::new(0..0, "#1f6feb".into())
}

fn default_accent_color() -> Spanned<String> {
    Spanned::new(0..0, "#8250df".into())
}

fn default_regions() -> BTreeMap<Spanned<String>, String> {
    [
        ("us-east-1", "US East (N. Virginia)"),
        ("us-west-2", "US West (Oregon)"),
        ("eu-west-1", "Europe (Ireland)"),
        ("eu-central-1", "Europe (Frankfurt)"),
        ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ]
    .into_iter()
    .map(|(id, name)| (Spanned::new(0..0, id.to_string()), name.to_string()))
    .collect()
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            name: default_platform_name(),
            regions: default_regions(),
            clusters: BTreeMap::new(),
        }
    }
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            product_name: default_platform_name(),
            short_name: None,
            logo: None,
            primary_color: default_primary_color(),
            accent_color: default_accent_color(),
            support_contact: None,
        }
    }
}
