//! `maestro.toml`: found via `--config`, `MAESTRO_CONFIG`, `./maestro.toml`, then the XDG
//! config dir; without any file, built-in defaults. Unknown keys and wrong types are errors
//! that name the key, the file and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::Diagnostic;
use crate::model::ids::{RegionId, dns_label_problem};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Diagnostic for ConfigError {
    fn help(&self) -> Option<String> {
        match self {
            ConfigError::Read { .. } => Some(
                "pass an existing file with `--config PATH`, or unset MAESTRO_CONFIG to use the defaults"
                    .into(),
            ),
            ConfigError::Invalid { .. } => Some(
                "fix the file; the sections and keys are listed in README.md under Configuration"
                    .into(),
            ),
        }
    }
}

/// The whole configuration, validated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub platform: Platform,
    #[serde(default)]
    pub branding: Branding,
    #[serde(default)]
    pub policy: PolicyConfig,
    #[serde(default)]
    pub signals: SignalsConfig,
    #[serde(default)]
    pub cost: CostConfig,
    #[serde(default)]
    pub perf: PerfConfig,
    /// Remote backends that `sync` delivers the outbox to.
    #[serde(default)]
    pub adapters: Vec<AdapterConfig>,
    /// The file this came from; `None` for built-in defaults.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
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
            AdapterKind::Syslog | AdapterKind::Loki | AdapterKind::Webhook => &["audit", "alert"],
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

    fn url_ok(self, url: &str) -> bool {
        let authority = |rest: &str| {
            let host_port = rest.split('/').next().unwrap_or_default();
            !host_port.is_empty()
                && !host_port.contains('@')
                && host_port
                    .rsplit_once(':')
                    .is_none_or(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
        };
        match self {
            AdapterKind::Syslog => url
                .strip_prefix("tcp://")
                .and_then(|rest| rest.rsplit_once(':'))
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok()),
            _ => url
                .strip_prefix("http://")
                .or_else(|| url.strip_prefix("https://"))
                .is_some_and(authority),
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

/// The Neo4j HTTP endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
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

/// A `--budgets FILE`: `[budgets.<service>]` tables as in `[perf.budgets]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetsFile {
    pub budgets: BTreeMap<String, Budget>,
}

impl BudgetsFile {
    pub fn load(path: &Path) -> Result<BudgetsFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| {
            let (line, column) = line_col(&text, e.span().map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })
    }
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

const DEFAULT_BOTS: [&str; 3] = [
    r"\[bot\]",
    r"^(dependabot|renovate|github-actions)\b",
    r"<noreply@",
];

const DEFAULT_INNOVATION: [&str; 2] = [
    r"\b(novel|invent(ion|ed)?|prototype|patent(able)?|first[- ]of[- ]its[- ]kind)\b",
    r"\bnew (algorithm|approach|technique)\b",
];

fn default_bots() -> Vec<Spanned<String>> {
    spanned_list(&DEFAULT_BOTS)
}

fn default_innovation() -> Vec<Spanned<String>> {
    spanned_list(&DEFAULT_INNOVATION)
}

/// Whether `pattern` is one of the built-in signal patterns (known to parse, see the tests).
fn is_default_pattern(pattern: &str) -> bool {
    DEFAULT_BOTS.contains(&pattern) || DEFAULT_INNOVATION.contains(&pattern)
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

impl Config {
    /// Finds and loads the configuration. `explicit` is `--config`/`MAESTRO_CONFIG`: it must
    /// exist. Otherwise `./maestro.toml`, then `<xdg config>/maestro/maestro.toml`, then defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        let mut candidates = vec![PathBuf::from("maestro.toml")];
        if let Some(dirs) = directories::BaseDirs::new() {
            candidates.push(dirs.config_dir().join("maestro").join("maestro.toml"));
        }
        match candidates.into_iter().find(|p| p.is_file()) {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates `text`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = line_col(text, span.map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let mut config: Config =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
        config.source = Some(path.to_path_buf());
        for id in config.platform.regions.keys() {
            if let Some(reason) = dns_label_problem(id.get_ref()) {
                return Err(invalid(
                    Some(id.span()),
                    format!("invalid region id `{}`: {reason}", id.get_ref()),
                ));
            }
        }
        for (name, cluster) in &config.platform.clusters {
            if let Some(reason) = dns_label_problem(name.get_ref()) {
                return Err(invalid(
                    Some(name.span()),
                    format!("invalid cluster name `{}`: {reason}", name.get_ref()),
                ));
            }
            if !config
                .platform
                .regions
                .contains_key(cluster.region.get_ref().as_str())
            {
                return Err(invalid(
                    Some(cluster.region.span()),
                    format!(
                        "cluster `{}` is in region `{}`, which is not in [platform.regions] ({})",
                        name.get_ref(),
                        cluster.region.get_ref(),
                        config.region_list()
                    ),
                ));
            }
        }
        let s = &config.signals;
        // Parsed, not compiled: compiling the default patterns on every run cost ~1 ms of
        // each command; the classifier compiles them when signals are mined. The built-in
        // ones are not parsed again (~0.2 ms of every command with a config file).
        let own = s.bots.iter().chain(&s.innovation);
        for pattern in own.filter(|p| !is_default_pattern(p.get_ref())) {
            if let Err(e) = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(pattern.get_ref())
            {
                let first = e.to_string().lines().last().unwrap_or_default().to_string();
                return Err(invalid(
                    Some(pattern.span()),
                    format!("invalid pattern `{}`: {first}", pattern.get_ref()),
                ));
            }
        }
        let tenants = s
            .repos
            .iter()
            .filter_map(|r| r.tenant.as_ref())
            .chain(s.hosts.values())
            .chain(config.cost.tenants.values());
        for tenant in tenants {
            if let Some(reason) = dns_label_problem(tenant.get_ref()) {
                return Err(invalid(
                    Some(tenant.span()),
                    format!("invalid tenant id `{}`: {reason}", tenant.get_ref()),
                ));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for adapter in &config.adapters {
            let name = &adapter.name;
            if let Some(reason) = dns_label_problem(name.get_ref()) {
                return Err(invalid(
                    Some(name.span()),
                    format!("invalid adapter name `{}`: {reason}", name.get_ref()),
                ));
            }
            if !names.insert(name.get_ref().clone()) {
                return Err(invalid(
                    Some(name.span()),
                    format!("a second adapter named `{}`", name.get_ref()),
                ));
            }
            let url = adapter.url.get_ref();
            if !adapter.kind.url_ok(url) {
                return Err(invalid(
                    Some(adapter.url.span()),
                    format!(
                        "invalid url `{url}` for a {} adapter: expected `{}`",
                        adapter.kind.name(),
                        adapter.kind.url_form()
                    ),
                ));
            }
            if let Some(var) = &adapter.token_env {
                let name = var.get_ref();
                let is_var_name = !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !is_var_name {
                    // Never echo it: a token pasted here by mistake must not reach a terminal.
                    return Err(invalid(
                        Some(var.span()),
                        "token_env must be the *name* of an environment variable (letters, digits, `_`), not the token itself".to_string(),
                    ));
                }
            }
            let takes = adapter.kind.outbox_kinds();
            if let Some(other) = adapter
                .events
                .iter()
                .flatten()
                .find(|e| !takes.contains(&e.as_str()))
            {
                return Err(invalid(
                    Some(adapter.name.span()),
                    format!(
                        "adapter `{}` lists event kind `{other}`, which a {} adapter does not take (it takes: {})",
                        adapter.name.get_ref(),
                        adapter.kind.name(),
                        takes.join(", ")
                    ),
                ));
            }
            if adapter.kind == AdapterKind::Webhook && adapter.token_env.is_none() {
                return Err(invalid(
                    Some(adapter.name.span()),
                    format!(
                        "webhook adapter `{}` needs token_env: the variable holding its HMAC key",
                        adapter.name.get_ref()
                    ),
                ));
            }
        }
        for (key, color) in [
            ("primary_color", &config.branding.primary_color),
            ("accent_color", &config.branding.accent_color),
        ] {
            if !is_hex_color(color.get_ref()) {
                return Err(invalid(
                    Some(color.span()),
                    format!("invalid {key} `{}`: expected `#rrggbb`", color.get_ref()),
                ));
            }
        }
        Ok(config)
    }

    /// Whether `id` is in the region catalogue.
    pub fn has_region(&self, id: &RegionId) -> bool {
        self.platform.regions.contains_key(id.as_str())
    }

    /// The catalogue's ids, comma-separated, for messages.
    pub fn region_list(&self) -> String {
        self.platform
            .regions
            .keys()
            .map(|k| k.get_ref().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn is_hex_color(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_signal_patterns_parse() {
        for pattern in DEFAULT_BOTS.iter().chain(&DEFAULT_INNOVATION) {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(pattern)
                .unwrap();
        }
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("maestro.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").unwrap();
        assert!(config.has_region(&RegionId::parse("eu-west-1").unwrap()));
        assert_eq!(config.branding.product_name, "CompanyOS");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("[platform]\nname = \"x\"\nregoins = {}\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("maestro.toml:3:1: unknown field `regoins`"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("[platform]\nname = 3\n").unwrap_err().to_string();
        assert!(err.starts_with("maestro.toml:2:8: "), "{err}");
    }

    #[test]
    fn cluster_in_unknown_region_is_refused() {
        let text = "[platform.regions]\neu-west-1 = \"Ireland\"\n[platform.clusters]\nc1 = { region = \"mars-1\" }\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:4:17: cluster `c1` is in region `mars-1`"),
            "{err}"
        );
    }

    #[test]
    fn signals_section_is_validated() {
        let text = "[signals]\nbots = [\"(unclosed\"]\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:2:9: invalid pattern `(unclosed`"),
            "{err}"
        );
        let text = "[[signals.repos]]\npath = \"/srv/app\"\ntenant = \"Not_A_Label\"\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:3:10: invalid tenant id `Not_A_Label`"),
            "{err}"
        );
        let ok = parse("[[signals.repos]]\npath = \"/srv/app\"\ntenant = \"acme\"\n").unwrap();
        assert_eq!(ok.signals.repos.len(), 1);
        assert!(!ok.signals.bots.is_empty());
    }

    #[test]
    fn bad_accent_colour_is_refused() {
        let err = parse("[branding]\naccent_color = \"#12345\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("maestro.toml:2:16: invalid accent_color `#12345`"),
            "{err}"
        );
        let ok =
            parse("[branding]\nproduct_name = \"Acme Cloud\"\nshort_name = \"Acme\"\n").unwrap();
        assert_eq!(ok.branding.short(), "Acme");
        assert_eq!(parse("").unwrap().branding.short(), "CompanyOS");
    }

    #[test]
    fn bad_colour_is_refused() {
        let err = parse("[branding]\nprimary_color = \"blue\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("maestro.toml:2:17: invalid primary_color `blue`"),
            "{err}"
        );
    }
}
