//! [`Governance`]: a bundle loaded into a policy engine — the engine `[policy]` selects, made
//! when a question first needs it — and the questions asked of it, a decision of pure modules
//! remembered across processes through [`cache`].

use std::path::{Path, PathBuf};
#[cfg(feature = "opa-wasm")]
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::engine::{self, PolicyEngine, Regorus};
use super::{Bundle, PolicyError, cache};
#[cfg(feature = "opa-wasm")]
use super::{WasmBundle, wasm};
use crate::config::Config;
use crate::model::audit::hex;
use crate::store::Db;

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
    /// Decisions made and not yet written to the decision cache (shared, see
    /// [`Governance::sharing`]).
    pub unwritten: cache::Unwritten,
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

    /// This governance, keeping its unwritten decisions with `other`'s: the command's engines
    /// share one list, written by whichever logs a decision next.
    pub fn sharing(mut self, other: &LazyGovernance) -> Governance {
        self.unwritten = other.unwritten.clone();
        self
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
            unwritten: cache::Unwritten::default(),
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
            unwritten: cache::Unwritten::default(),
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
        self.unwritten.note(key, &decision);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

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
        store.write(|db| first.unwritten.flush(db)).unwrap();

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

/// The governance of one command, made the first time a question needs it (a remembered
/// decision needs none) and kept in the command's context: one engine per process, in no
/// global. `&self` methods, so that a write transaction's closure can ask it; a clone is a
/// handle on the same engine.
#[derive(Debug, Clone)]
pub struct LazyGovernance {
    bundle: Bundle,
    made: std::rc::Rc<std::cell::RefCell<Option<Governance>>>,
    unwritten: cache::Unwritten,
}

impl LazyGovernance {
    pub fn new(bundle: Bundle) -> LazyGovernance {
        LazyGovernance {
            bundle,
            made: std::rc::Rc::new(std::cell::RefCell::new(None)),
            unwritten: cache::Unwritten::default(),
        }
    }

    /// The bundle it is made over.
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// Runs `f` on the governance, made now if it was not yet.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Governance) -> Result<T, PolicyError>,
    ) -> Result<T, PolicyError> {
        let mut made = self.made.borrow_mut();
        let gov = match made.take() {
            Some(gov) => made.insert(gov),
            None => made.insert(Governance::new(self.bundle.clone())?.sharing(self)),
        };
        f(gov)
    }
}
