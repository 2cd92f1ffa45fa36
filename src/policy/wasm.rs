//! The opt-in `opa-wasm` engine (Cargo feature `opa-wasm`): policies compiled by OPA
//! (`opa build -t wasm -e maestro/residency/decision policies/`), evaluated on wasmtime
//! through the `opa-wasm` crate. A query `data.maestro.residency.decision` is the entry point
//! `maestro/residency/decision`. The crate is async: a current-thread tokio runtime inside
//! the engine drives it, invisible to the rest of the code.
//!
//! The compiled module is cached (wasmtime's serialized form, keyed by the module's sha256)
//! beside the state file, so a one-shot `policy:check` does not compile it every time.

use std::path::{Path, PathBuf};

use opa_wasm::wasmtime::{Engine, Module, Store};
use opa_wasm::{DefaultContext, Policy, Runtime};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::engine::{PolicyEngine, TestRule};
use super::{PolicyError, WasmBundle};

/// Pinned exactly in Cargo.toml.
pub const OPA_WASM_VERSION: &str = "0.3.4";

pub struct OpaWasm {
    rt: tokio::runtime::Runtime,
    engine: Engine,
    module: Module,
    entrypoints: Vec<String>,
    data: Value,
    /// The instance with the current data, made on the first evaluation after data changed.
    loaded: Option<(Store<()>, Policy<DefaultContext>)>,
}

/// The module compiled for `engine`: from the cache when a valid entry exists, else compiled
/// (and cached when `cache` is given).
fn compile(engine: &Engine, wasm: &[u8], cache: Option<&Path>) -> Result<Module, PolicyError> {
    let sha = crate::model::audit::hex(&Sha256::digest(wasm));
    let entry: Option<PathBuf> = cache.map(|dir| dir.join(format!("{sha}.cwasm")));
    if let Some(path) = &entry
        && path.is_file()
    {
        #[allow(unsafe_code)]
        // SAFETY: the file is one this binary wrote with `Module::serialize` (below) into a
        // directory only its user can write (0700); wasmtime checks the header (its version
        // and the engine's configuration) and refuses a mismatch, which falls back to
        // compiling. A corrupt or foreign file in that directory is the risk `deserialize`
        // documents; the cache is as trusted as the state file beside it.
        let cached = unsafe { Module::deserialize_file(engine, path) };
        if let Ok(module) = cached {
            return Ok(module);
        }
    }
    let module = Module::new(engine, wasm).map_err(|e| PolicyError::Module {
        path: "policy.wasm".into(),
        message: format!("not a WebAssembly module wasmtime can compile: {e:#}"),
    })?;
    if let Some(path) = entry {
        // A cache that cannot be written only costs the next run a compilation.
        let _ = write_cache(&path, &module);
    }
    Ok(module)
}

fn write_cache(path: &Path, module: &Module) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let bytes = module.serialize().map_err(std::io::Error::other)?;
    let tmp = path.with_extension("partial");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(&bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

impl OpaWasm {
    /// Loads `bundle`'s module (compiled, or from `cache`) and reads its entry points; a module
    /// that needs a builtin this build does not provide is refused here, by name.
    pub fn new(bundle: &WasmBundle, cache: Option<&Path>) -> Result<OpaWasm, PolicyError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| PolicyError::Input(format!("cannot start the opa-wasm runtime: {e}")))?;
        let engine = Engine::default();
        let module = compile(&engine, &bundle.wasm, cache)?;
        let entrypoints = rt.block_on(async {
            let mut store = Store::new(&engine, ());
            let runtime = Runtime::new(&mut store, &module).await?;
            let mut names: Vec<String> = runtime
                .entrypoints()
                .into_iter()
                .map(str::to_string)
                .collect();
            names.sort();
            Ok::<_, anyhow::Error>(names)
        });
        let entrypoints = entrypoints.map_err(|e| {
            let message = format!("{e:#}");
            PolicyError::Module {
                path: "policy.wasm".into(),
                message: if message.contains("unknown builtin") {
                    "it calls an OPA builtin this engine does not provide (maestro-cli's opa-wasm engine is built without OPA's builtins: the shipped policies need none)".into()
                } else {
                    message
                },
            }
        })?;
        Ok(OpaWasm {
            rt,
            engine,
            module,
            entrypoints,
            data: bundle.data.clone(),
            loaded: None,
        })
    }

    pub fn entrypoints(&self) -> &[String] {
        &self.entrypoints
    }
}

/// `data.maestro.residency.decision` → `maestro/residency/decision`.
pub fn entrypoint(query: &str) -> String {
    query
        .strip_prefix("data.")
        .unwrap_or(query)
        .replace('.', "/")
}

/// Merges `add` into `base`, objects key by key.
fn merge(base: &mut Value, add: &Value) {
    match (base, add) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, v) in a {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, a) => *b = a.clone(),
    }
}

impl PolicyEngine for OpaWasm {
    fn name(&self) -> &'static str {
        "opa-wasm"
    }

    fn version(&self) -> &'static str {
        OPA_WASM_VERSION
    }

    fn add_module(&mut self, path: &str, _text: &str) -> Result<(), PolicyError> {
        Err(PolicyError::Module {
            path: path.to_string(),
            message: "the opa-wasm engine runs OPA-built bundles (policy.wasm), not Rego source"
                .into(),
        })
    }

    fn add_data(&mut self, data: &Value) -> Result<(), PolicyError> {
        merge(&mut self.data, data);
        self.loaded = None;
        Ok(())
    }

    fn eval(&mut self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError> {
        let name = entrypoint(query);
        if !self.entrypoints.contains(&name) {
            return Err(PolicyError::Eval {
                query: query.to_string(),
                message: format!(
                    "the bundle has no entry point `{name}` (it has: {}); build it with `opa build -t wasm -e {name} ...`",
                    self.entrypoints.join(", ")
                ),
            });
        }
        let eval_failed = |e: anyhow::Error| PolicyError::Eval {
            query: query.to_string(),
            message: format!("{e:#}"),
        };
        if self.loaded.is_none() {
            let (engine, module, data) = (&self.engine, &self.module, &self.data);
            let loaded = self.rt.block_on(async {
                let mut store = Store::new(engine, ());
                let runtime = Runtime::new(&mut store, module).await?;
                let policy = runtime.with_data(&mut store, data).await?;
                Ok::<_, anyhow::Error>((store, policy))
            });
            self.loaded = Some(loaded.map_err(eval_failed)?);
        }
        let Some((store, policy)) = self.loaded.as_mut() else {
            return Ok(None);
        };
        let result: Value = self
            .rt
            .block_on(policy.evaluate(&mut *store, &name, input))
            .map_err(eval_failed)?;
        // A result set: `[{"result": value}]`, empty when undefined.
        Ok(result
            .as_array()
            .and_then(|set| set.first())
            .and_then(|r| r.get("result"))
            .cloned())
    }

    fn tests(&self) -> Vec<TestRule> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_name_entry_points() {
        assert_eq!(
            entrypoint("data.maestro.residency.decision"),
            "maestro/residency/decision"
        );
        let mut d = serde_json::json!({"a": {"b": 1}, "c": 2});
        merge(&mut d, &serde_json::json!({"a": {"x": 3}, "c": 4}));
        assert_eq!(d, serde_json::json!({"a": {"b": 1, "x": 3}, "c": 4}));
    }
}
