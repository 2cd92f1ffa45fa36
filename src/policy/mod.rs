//! The governance kernel: Rego policies (`policies/`), evaluated by a [`PolicyEngine`], every
//! decision logged (secrets masked) and joined to the audit hash chain.
//!
//! - [`Bundle`]: the policy files and their data, built in or from `[policy] dir`, with a hash;
//! - [`Governance`]: a bundle loaded into an engine; `decide` evaluates a query;
//! - [`record`]: writes a decision to the decision log and the audit chain;
//! - [`platform_data`]: the data document built from the store (tenants, clusters).

pub mod abac;
pub mod cache;
pub mod check;
mod deps;
pub mod drift;
pub mod engine;
mod mask;
pub mod testing;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use engine::{PolicyEngine, Regorus};

#[cfg(feature = "opa-wasm")]
pub mod wasm;
pub use mask::mask_secrets;

use crate::audit::{self, NewEvent};
use crate::config::Config;
use crate::model::audit::hex;
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::{Diagnostic, ExitStatus};
use crate::store::{BatchDigest, Db, DecisionRow, RowTexts, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tenant(#[from] crate::tenant::TenantError),
    #[error("policy `{path}`: {message}")]
    Module { path: String, message: String },
    #[error("policy data: {0}")]
    Data(String),
    #[error("evaluating `{query}`: {message}")]
    Eval { query: String, message: String },
    #[error("`{query}` is undefined: no such rule, or no decision for this input")]
    Undefined { query: String },
    #[error(
        "`{query}` did not return a decision document `{{allow, deny, audit, exceptions_applied}}`: got {got}"
    )]
    NotADecision { query: String, got: String },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` has no *.rego files", .0.display())]
    Empty(PathBuf),
    #[error("{0}")]
    Input(String),
    #[error("denied by `{query}`: {}", deny.join("; "))]
    Denied { query: String, deny: Vec<String> },
}

impl Diagnostic for PolicyError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            PolicyError::Denied { .. } => ExitStatus::Denied,
            PolicyError::Tenant(e) => e.exit_status(),
            _ => ExitStatus::Error,
        }
    }
    fn help(&self) -> Option<String> {
        match self {
            PolicyError::Store(e) => e.help(),
            PolicyError::Tenant(e) => e.help(),
            PolicyError::Module { .. } | PolicyError::Empty(_) => {
                Some("check the policies with `maestro-cli policy:test`".into())
            }
            PolicyError::Undefined { .. } => {
                Some("queries name a package or its decision, e.g. `data.maestro.residency`".into())
            }
            _ => None,
        }
    }
}

/// Policy modules and data, as loaded, with the hash that identifies them.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// `(file name, text)`, sorted by name; shared, so that a clone (the built-in bundle is
    /// cloned for every question a process asks) copies no policy text.
    pub files: Arc<[(String, String)]>,
    /// `data.json` of the bundle (stewards, exceptions, mission).
    pub data: Value,
    /// Its text, as read.
    pub data_text: Option<String>,
    /// sha256 over the sorted files: `name NUL text NUL` each, data.json included.
    pub sha256: String,
    /// `builtin` or the directory.
    pub origin: String,
}

const BUILTIN: &[(&str, &str)] = &[
    ("abac.rego", include_str!("../../policies/abac.rego")),
    (
        "abac_test.rego",
        include_str!("../../policies/abac_test.rego"),
    ),
    (
        "mission_lock.rego",
        include_str!("../../policies/mission_lock.rego"),
    ),
    (
        "mission_lock_test.rego",
        include_str!("../../policies/mission_lock_test.rego"),
    ),
    (
        "residency.rego",
        include_str!("../../policies/residency.rego"),
    ),
    (
        "residency_test.rego",
        include_str!("../../policies/residency_test.rego"),
    ),
    (
        "tenant_isolation.rego",
        include_str!("../../policies/tenant_isolation.rego"),
    ),
    (
        "tenant_isolation_test.rego",
        include_str!("../../policies/tenant_isolation_test.rego"),
    ),
];

const BUILTIN_DATA: &str = include_str!("../../policies/data.json");

impl Bundle {
    /// The policies shipped in `policies/`, compiled into the binary. Hashed once per process
    /// (authorization and the command's own policy question both load it).
    pub fn builtin() -> Result<Bundle, PolicyError> {
        static HASHED: OnceLock<Bundle> = OnceLock::new();
        if let Some(bundle) = HASHED.get() {
            return Ok(bundle.clone());
        }
        let files = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let bundle = Bundle::new(files, Some(BUILTIN_DATA.to_string()), "builtin".into())?;
        Ok(HASHED.get_or_init(|| bundle).clone())
    }

    /// `[policy] dir` when set, else the built-in bundle.
    pub fn for_config(config: &Config) -> Result<Bundle, PolicyError> {
        match &config.policy.dir {
            Some(dir) => Bundle::load_dir(dir),
            None => Bundle::builtin(),
        }
    }

    /// Every `*.rego` of `dir` (not recursive) and its `data.json` if any.
    pub fn load_dir(dir: &Path) -> Result<Bundle, PolicyError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| PolicyError::Read {
                path: p.to_path_buf(),
                source,
            })
        };
        let entries = std::fs::read_dir(dir).map_err(|source| PolicyError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files = Vec::new();
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rego") {
                files.push((e.file_name().to_string_lossy().into_owned(), read(&p)?));
            }
        }
        if files.is_empty() {
            return Err(PolicyError::Empty(dir.to_path_buf()));
        }
        let data_path = dir.join("data.json");
        let data = if data_path.is_file() {
            Some(read(&data_path)?)
        } else {
            None
        };
        Bundle::new(files, data, dir.display().to_string())
    }

    fn new(
        mut files: Vec<(String, String)>,
        data: Option<String>,
        origin: String,
    ) -> Result<Bundle, PolicyError> {
        files.sort();
        let mut h = Sha256::new();
        for (name, text) in &files {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(text.as_bytes());
            h.update([0]);
        }
        if let Some(d) = &data {
            h.update(b"data.json\0");
            h.update(d.as_bytes());
            h.update([0]);
        }
        let data_text = data;
        let data = match &data_text {
            Some(d) => serde_json::from_str(d)
                .map_err(|e| PolicyError::Data(format!("data.json of `{origin}`: {e}")))?,
            None => json!({}),
        };
        Ok(Bundle {
            files: files.into(),
            data,
            data_text,
            sha256: hex(&h.finalize()),
            origin,
        })
    }

    /// Writes the bundle's files (tests and `data.json` included) into `dir`, which is
    /// created if need be; refuses before writing anything when one of them exists there.
    /// The copy has the same sha256.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, PolicyError> {
        let mut files: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        if let Some(d) = &self.data_text {
            files.push(("data.json", d));
        }
        let write_error = |path: &Path, source| PolicyError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
            return Err(PolicyError::Input(format!(
                "`{}` exists: write the bundle into a new or empty directory",
                dir.join(name).display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut written = Vec::new();
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| write_error(&path, e))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The non-test modules, for packs and drift reports.
    pub fn policies(&self) -> impl Iterator<Item = &(String, String)> {
        self.files
            .iter()
            .filter(|(n, _)| !n.ends_with("_test.rego"))
    }
}

/// The decision document every policy returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Decision {
    pub allow: bool,
    pub deny: Vec<String>,
    pub audit: bool,
    pub exceptions_applied: Vec<String>,
}

/// Where the opa-wasm engine caches compiled modules: `cache/opa-wasm/` beside the state file.
pub fn wasm_cache(state: &Path) -> Option<PathBuf> {
    state.parent().map(|dir| dir.join("cache").join("opa-wasm"))
}

/// What a build without the engine says when asked for it.
pub const NO_OPA_WASM: &str = "this maestro-cli was built without the opa-wasm engine: build it with `cargo build --release --features opa-wasm`";

/// An OPA-built bundle: a bare `policy.wasm`, or a `bundle.tar.gz` holding `/policy.wasm`
/// and optionally `/data.json` (read with tar and flate2, never extracted).
#[cfg(feature = "opa-wasm")]
#[derive(Debug, Clone)]
pub struct WasmBundle {
    pub wasm: Vec<u8>,
    pub data: Value,
    /// sha256 of the file as given: the bundle hash of its decisions.
    pub sha256: String,
}

#[cfg(feature = "opa-wasm")]
impl WasmBundle {
    pub fn read(path: &Path) -> Result<WasmBundle, PolicyError> {
        use std::io::Read;
        let bytes = std::fs::read(path).map_err(|source| PolicyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let shown = path.display();
        if bytes.starts_with(b"\0asm") {
            return Ok(WasmBundle {
                wasm: bytes,
                data: json!({}),
                sha256,
            });
        }
        if !bytes.starts_with(&[0x1f, 0x8b]) {
            return Err(PolicyError::Input(format!(
                "`{shown}` is neither a policy.wasm nor an OPA bundle (.tar.gz): build one with `opa build -t wasm -e maestro/residency/decision policies/`"
            )));
        }
        let bad = |e: std::io::Error| {
            PolicyError::Input(format!("`{shown}` is not a readable bundle: {e}"))
        };
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let (mut wasm, mut data) = (None, None);
        for entry in archive.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            let name = entry.path().map_err(bad)?.to_string_lossy().into_owned();
            let name = name
                .trim_start_matches("./")
                .trim_start_matches('/')
                .to_string();
            let slot = match name.as_str() {
                "policy.wasm" => &mut wasm,
                "data.json" => &mut data,
                _ => continue,
            };
            let mut content = Vec::new();
            entry.read_to_end(&mut content).map_err(bad)?;
            *slot = Some(content);
        }
        let wasm = wasm.ok_or_else(|| {
            PolicyError::Input(format!(
                "`{shown}` has no /policy.wasm: is it a wasm bundle (`opa build -t wasm`)?"
            ))
        })?;
        let data = match data {
            Some(d) => serde_json::from_slice(&d)
                .map_err(|e| PolicyError::Data(format!("/data.json of `{shown}`: {e}")))?,
            None => json!({}),
        };
        Ok(WasmBundle { wasm, data, sha256 })
    }
}

/// A bundle loaded into an engine. The regorus engine is made when a question first needs
/// it: a decision remembered from an earlier process (see [`cache`]) needs none, so a
/// repeated check does not scan the modules or convert the data.
pub struct Governance {
    /// `None` until [`engine`](Governance::engine) makes it (regorus only).
    engine: Option<Box<dyn PolicyEngine>>,
    name: &'static str,
    version: &'static str,
    /// Whether the engine can tell a pure query (see [`PolicyEngine::pure`]), so that its
    /// decisions may be remembered.
    remembers: bool,
    pub bundle: Bundle,
    /// Data documents added before the engine was made, added to it when it is.
    pending: Vec<Value>,
    /// sha256 over the data documents added, in order (part of a remembered decision's key).
    data_sha256: String,
}

impl std::fmt::Debug for Governance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Governance")
            .field("engine", &self.name)
            .field("bundle", &self.bundle.sha256)
            .finish()
    }
}

impl Governance {
    /// The bundle's policies, without its `*_test.rego` modules.
    pub fn new(bundle: Bundle) -> Result<Governance, PolicyError> {
        Governance::load(bundle, false)
    }

    /// The bundle's policies and their tests (`policy:test`).
    pub fn with_tests(bundle: Bundle) -> Result<Governance, PolicyError> {
        Governance::load(bundle, true)
    }

    /// The engine and bundle `[policy]` names: regorus over the Rego bundle, or opa-wasm over
    /// an OPA-built bundle (its compiled module cached in `cache`).
    pub fn for_config(config: &Config, cache: Option<&Path>) -> Result<Governance, PolicyError> {
        match config.policy.engine {
            crate::config::EngineKind::Regorus => Governance::new(Bundle::for_config(config)?),
            crate::config::EngineKind::OpaWasm => {
                let path = config.policy.bundle.as_deref().ok_or_else(|| {
                    PolicyError::Input(
                        "the opa-wasm engine needs a bundle: `--bundle FILE` or `[policy] bundle`"
                            .into(),
                    )
                })?;
                Governance::opa_wasm(path, cache)
            }
        }
    }

    #[cfg(feature = "opa-wasm")]
    fn opa_wasm(path: &Path, cache: Option<&Path>) -> Result<Governance, PolicyError> {
        let bundle = WasmBundle::read(path)?;
        let engine = wasm::OpaWasm::new(&bundle, cache)?;
        Ok(Governance {
            name: engine.name(),
            version: engine.version(),
            remembers: false,
            engine: Some(Box::new(engine)),
            pending: Vec::new(),
            data_sha256: String::new(),
            bundle: Bundle {
                files: Arc::new([]),
                data: bundle.data,
                data_text: None,
                sha256: bundle.sha256,
                origin: path.display().to_string(),
            },
        })
    }

    #[cfg(not(feature = "opa-wasm"))]
    fn opa_wasm(_path: &Path, _cache: Option<&Path>) -> Result<Governance, PolicyError> {
        Err(PolicyError::Input(NO_OPA_WASM.into()))
    }

    fn load(bundle: Bundle, tests: bool) -> Result<Governance, PolicyError> {
        let mut gov = Governance {
            engine: None,
            name: "regorus",
            version: engine::REGORUS_VERSION,
            remembers: true,
            data_sha256: data_digest("", &bundle.data),
            bundle,
            pending: Vec::new(),
        };
        if tests {
            // `policy:test` reports a broken module before running anything.
            gov.engine_with(true)?;
        }
        Ok(gov)
    }

    /// The engine, made (the bundle's modules and data, then the data added since) if this
    /// is the first question.
    fn engine(&mut self) -> Result<&mut dyn PolicyEngine, PolicyError> {
        self.engine_with(false)
    }

    fn engine_with(&mut self, tests: bool) -> Result<&mut dyn PolicyEngine, PolicyError> {
        let engine = match self.engine.take() {
            Some(engine) => engine,
            None => self.make_engine(tests)?,
        };
        Ok(self.engine.insert(engine).as_mut())
    }

    /// A regorus engine with the bundle's modules (and tests, if `tests`), its data, then the
    /// data added since.
    fn make_engine(&mut self, tests: bool) -> Result<Box<dyn PolicyEngine>, PolicyError> {
        let mut engine: Box<dyn PolicyEngine> = Box::new(Regorus::new());
        for (name, text) in self.bundle.files.iter() {
            if tests || !name.ends_with("_test.rego") {
                engine.add_module(name, text)?;
            }
        }
        if tests {
            engine.load_all()?;
        }
        engine.add_data(&self.bundle.data)?;
        for data in &self.pending {
            engine.add_data(data)?;
        }
        // Kept until the engine is whole: a failed attempt leaves nothing half-made.
        self.pending.clear();
        Ok(engine)
    }

    pub fn engine_name(&self) -> &'static str {
        self.name
    }

    pub fn engine_version(&self) -> &'static str {
        self.version
    }

    /// Adds data (the platform's tenants and clusters) to the data document.
    pub fn add_data(&mut self, data: &Value) -> Result<(), PolicyError> {
        match self.engine.as_deref_mut() {
            Some(engine) => engine.add_data(data)?,
            None => self.pending.push(data.clone()),
        }
        self.data_sha256 = data_digest(&self.data_sha256, data);
        Ok(())
    }

    /// The test rules of the bundle (loaded by [`with_tests`](Governance::with_tests)).
    pub fn tests(&mut self) -> Result<Vec<engine::TestRule>, PolicyError> {
        Ok(self.engine()?.tests())
    }

    /// Evaluates `query` against `input`, to a raw value.
    pub fn eval(&mut self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError> {
        self.engine()?.eval(query, input)
    }

    /// Evaluates `query` — a package (`data.maestro.residency`, its `decision` is used) or a
    /// rule that yields a decision document.
    pub fn decide(&mut self, query: &str, input: &Value) -> Result<Decision, PolicyError> {
        let q = decision_query(query);
        let value = self
            .engine()?
            .eval(&q, input)?
            .ok_or_else(|| PolicyError::Undefined { query: q.clone() })?;
        let obj = value.as_object().ok_or_else(|| PolicyError::NotADecision {
            query: q.clone(),
            got: value.to_string(),
        })?;
        let strings = |k: &str| -> Vec<String> {
            obj.get(k)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let allow =
            obj.get("allow")
                .and_then(Value::as_bool)
                .ok_or_else(|| PolicyError::NotADecision {
                    query: q.clone(),
                    got: value.to_string(),
                })?;
        Ok(Decision {
            allow,
            deny: strings("deny"),
            audit: obj.get("audit").and_then(Value::as_bool).unwrap_or(false),
            exceptions_applied: strings("exceptions_applied"),
        })
    }

    /// [`decide`](Governance::decide), remembered across processes (see [`cache`]): a
    /// decision whose query reaches only pure modules is read from `db` when it was made
    /// before, else made and kept to be written with the next logged decision. Only pure
    /// decisions are ever stored, under a key naming this bundle, so a key found needs no
    /// engine to be made to tell.
    pub fn decide_remembered(
        &mut self,
        db: &Db<'_>,
        query: &str,
        input: &Value,
    ) -> Result<Decision, PolicyError> {
        let q = decision_query(query);
        if !self.remembers {
            return self.decide(&q, input);
        }
        let basis = cache::Basis {
            engine: self.name,
            engine_version: self.version,
            bundle_sha256: &self.bundle.sha256,
            data_sha256: &self.data_sha256,
        };
        let key = cache::key(&basis, &q, input);
        if let Some(decision) = cache::get(db, &key)? {
            return Ok(decision);
        }
        if !self.engine()?.pure(&q) {
            return self.decide(&q, input);
        }
        let decision = self.decide(&q, input)?;
        cache::note(key, &decision);
        Ok(decision)
    }
}

/// The digest of the data documents added so far: `previous`'s, chained with `data`'s JSON.
fn data_digest(previous: &str, data: &Value) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(data.to_string().as_bytes());
    hex(&h.finalize())
}

/// The rule a decision is read from: `data.maestro.residency` → `data.maestro.residency.decision`.
fn decision_query(query: &str) -> String {
    if query.ends_with(".decision") {
        query.to_string()
    } else {
        format!("{query}.decision")
    }
}

/// The platform's side of the data document: tenants (tier, allowed regions, status) from
/// the store, clusters (region) from the configuration.
pub fn platform_data(db: &Db<'_>, config: &Config) -> Result<Value, StoreError> {
    let tenants = db.tenants().residency()?;
    let clusters: serde_json::Map<String, Value> = config
        .platform
        .clusters
        .iter()
        .map(|(name, c)| {
            (
                name.get_ref().clone(),
                json!({"region": c.region.get_ref()}),
            )
        })
        .collect();
    Ok(json!({"tenants": tenants, "clusters": clusters}))
}

/// Writes a decision to the log (input masked) and appends its audit event, in the caller's
/// transaction. Returns the logged row.
#[allow(clippy::too_many_arguments)]
pub fn record(
    db: &Db<'_>,
    clock: &Clock,
    gov: &Governance,
    actor: &PrincipalId,
    tenant: Option<&TenantId>,
    query: &str,
    input: &Value,
    decision: &Decision,
) -> Result<DecisionRow, StoreError> {
    let (masked_input, masked) = mask_secrets(input);
    let id = uuid::Uuid::now_v7().to_string();
    let event = audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: tenant.cloned(),
            action: if decision.allow {
                "policy.allow"
            } else {
                "policy.deny"
            },
            target: query.to_string(),
            details: json!({
                "decision_id": id, "query": query, "allow": decision.allow, "deny": decision.deny,
                "audit": decision.audit, "exceptions_applied": decision.exceptions_applied,
                "bundle_sha256": gov.bundle.sha256, "engine": gov.engine_name(),
            }),
        },
    )?;
    let row = DecisionRow {
        id,
        at: event.at,
        actor: actor.to_string(),
        tenant_id: tenant.map(|t| t.to_string()),
        query: query.to_string(),
        input: masked_input,
        masked,
        allow: decision.allow,
        result: serde_json::to_value(decision).unwrap_or(Value::Null),
        bundle_sha256: gov.bundle.sha256.clone(),
        engine: gov.engine_name().to_string(),
        engine_version: gov.engine_version().to_string(),
        audit_seq: event.seq,
    };
    db.decisions().insert(&row)?;
    cache::flush(db)?;
    Ok(row)
}

/// One distinct decision of a batch, its JSON columns written once however often it repeats.
pub struct BatchDecision {
    pub decision: Decision,
    /// The input with secrets masked, as stored; the masked paths.
    pub input_text: String,
    pub masked: Vec<String>,
    pub masked_text: String,
    pub result_text: String,
}

impl BatchDecision {
    pub fn new(input: &Value, decision: Decision) -> BatchDecision {
        let (masked_input, masked) = mask_secrets(input);
        BatchDecision {
            input_text: masked_input.to_string(),
            masked_text: Value::from(masked.clone()).to_string(),
            masked,
            result_text: serde_json::to_string(&decision).unwrap_or_else(|_| "null".into()),
            decision,
        }
    }
}

/// The audit action of a batch's event.
pub const BATCH_ACTION: &str = "policy.batch";

/// Logs a batch of decisions of `query` in the caller's transaction: a decision row for each
/// of `items` (a tenant and an index into `distinct`), with its id from `ids`, and one audit
/// event per tenant of the
/// batch (`policy.batch`) whose details carry the count and a [`BatchDigest`] over that
/// tenant's rows as stored — the rows join the hash chain through it and `audit:verify`
/// finds any change to them — instead of an event per decision.
#[allow(clippy::too_many_arguments)]
pub fn record_batch(
    db: &Db<'_>,
    clock: &Clock,
    gov: &Governance,
    actor: &PrincipalId,
    query: &str,
    distinct: &[BatchDecision],
    items: &[(Option<&TenantId>, usize)],
    ids: &[String],
) -> Result<(), StoreError> {
    let at = clock.now_rfc3339();
    let mut groups: std::collections::BTreeMap<Option<&TenantId>, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, (tenant, _)) in items.iter().enumerate() {
        groups.entry(*tenant).or_default().push(i);
    }
    let actor_text = actor.to_string();
    let decisions = db.decisions();
    for (tenant, members) in groups {
        let seq = db.audit().head()?.map_or(1, |(seq, _)| seq + 1);
        let tenant_text = tenant.map(|t| t.to_string());
        let ids: Vec<&str> = members.iter().map(|&k| ids[k].as_str()).collect();
        let texts = |k: usize, j: usize| RowTexts {
            id: ids[j],
            at: &at,
            actor: &actor_text,
            tenant_id: tenant_text.as_deref(),
            query,
            input: &distinct[items[k].1].input_text,
            masked: &distinct[items[k].1].masked_text,
            allow: distinct[items[k].1].decision.allow,
            result: &distinct[items[k].1].result_text,
            bundle_sha256: &gov.bundle.sha256,
            engine: gov.engine_name(),
            engine_version: gov.engine_version(),
            audit_seq: seq,
        };
        let mut digest = BatchDigest::default();
        let mut allowed = 0;
        for (j, &k) in members.iter().enumerate() {
            let row = texts(k, j);
            digest.add(&row);
            allowed += usize::from(row.allow);
        }
        let (digest, count) = digest.finish();
        audit::append(
            db,
            clock,
            NewEvent {
                actor: actor.clone(),
                tenant_id: tenant.cloned(),
                action: BATCH_ACTION,
                target: query.to_string(),
                details: json!({
                    "query": query, "decisions": count, "allowed": allowed,
                    "denied": members.len() - allowed,
                    "first_decision_id": ids.first(), "last_decision_id": ids.last(),
                    "digest": digest,
                    "bundle_sha256": gov.bundle.sha256, "engine": gov.engine_name(),
                }),
            },
        )?;
        for (j, &k) in members.iter().enumerate() {
            decisions.insert_texts(&texts(k, j))?;
        }
    }
    cache::flush(db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn gov() -> Governance {
        let mut gov = Governance::new(Bundle::builtin().unwrap()).unwrap();
        gov.add_data(
            &json!({"tenants": {"acme": {"tier": "prod", "allowed_regions": ["eu-west-1"]}},
                             "clusters": {"us-prod-1": {"region": "us-east-1"}}}),
        )
        .unwrap();
        gov
    }

    #[test]
    fn a_remembered_decision_needs_no_engine() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("state.db")).unwrap();
        let input = json!({"action": "deploy", "tenant": "acme", "service": "api", "env": "prod", "cluster": "us-prod-1"});
        let mut first = gov();
        assert!(first.engine.is_none(), "made before any question");
        let made = first
            .decide_remembered(&store.read(), "data.maestro.residency", &input)
            .unwrap();
        assert!(!made.allow, "{made:?}");
        assert!(first.engine.is_some());
        store.write(cache::flush).unwrap();

        let mut second = gov();
        let read = second
            .decide_remembered(&store.read(), "data.maestro.residency", &input)
            .unwrap();
        assert_eq!(read, made);
        assert!(
            second.engine.is_none(),
            "a remembered decision made an engine"
        );

        // Another input is a new question: the engine is made, with the data added before.
        let other = json!({"action": "deploy", "tenant": "acme", "service": "api", "env": "prod", "cluster": "eu-prod-9"});
        let d = second
            .decide_remembered(&store.read(), "data.maestro.residency", &other)
            .unwrap();
        assert!(second.engine.is_some());
        assert!(!d.allow);
        assert!(d.deny.iter().any(|m| m.contains("eu-prod-9")), "{d:?}");
    }
}
