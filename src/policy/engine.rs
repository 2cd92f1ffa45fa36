//! The policy engine behind a trait, so a second engine (opa-wasm for OPA-built bundles) can
//! sit beside the default one. Default: regorus, Microsoft's Rego interpreter in Rust.

use serde_json::Value;

use super::PolicyError;

pub trait PolicyEngine {
    /// `regorus`, `opa-wasm`, ...
    fn name(&self) -> &'static str;
    fn version(&self) -> &'static str;
    /// Adds one Rego module; `path` names it in errors.
    fn add_module(&mut self, path: &str, text: &str) -> Result<(), PolicyError>;
    /// Merges `data` into the data document.
    fn add_data(&mut self, data: &Value) -> Result<(), PolicyError>;
    /// Evaluates `query` (`data.maestro.residency.decision`) against `input`.
    /// `Ok(None)` when the query is undefined.
    fn eval(&mut self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError>;
    /// The test rules (`data.<package>.test_*`) of the loaded modules, with their module.
    fn tests(&self) -> Vec<TestRule>;
}

/// A test rule found in a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRule {
    pub module: String,
    /// `data.maestro.residency_test.test_deploy_in_allowed_region`
    pub query: String,
    pub name: String,
    /// `todo_test_*`: reported as skipped.
    pub skipped: bool,
    pub line: usize,
}

/// The default engine.
pub struct Regorus {
    engine: regorus::Engine,
    modules: Vec<(String, String)>,
}

/// Pinned exactly in Cargo.toml; newer regorus releases pull a formal-verification toolchain.
pub const REGORUS_VERSION: &str = "0.10.1";

impl Regorus {
    pub fn new() -> Regorus {
        let mut engine = regorus::Engine::new();
        engine.set_strict_builtin_errors(true);
        Regorus {
            engine,
            modules: Vec::new(),
        }
    }
}

impl Default for Regorus {
    fn default() -> Self {
        Regorus::new()
    }
}

impl PolicyEngine for Regorus {
    fn name(&self) -> &'static str {
        "regorus"
    }

    fn version(&self) -> &'static str {
        REGORUS_VERSION
    }

    fn add_module(&mut self, path: &str, text: &str) -> Result<(), PolicyError> {
        self.engine
            .add_policy(path.to_string(), text.to_string())
            .map_err(|e| PolicyError::Module {
                path: path.to_string(),
                message: e.to_string(),
            })?;
        self.modules.push((path.to_string(), text.to_string()));
        Ok(())
    }

    fn add_data(&mut self, data: &Value) -> Result<(), PolicyError> {
        self.engine
            .add_data(regorus::Value::from(data.clone()))
            .map_err(|e| PolicyError::Data(e.to_string()))
    }

    fn eval(&mut self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError> {
        self.engine.set_input(regorus::Value::from(input.clone()));
        let v = self
            .engine
            .eval_rule(query.to_string())
            .map_err(|e| PolicyError::Eval {
                query: query.to_string(),
                message: e.to_string(),
            })?;
        if v == regorus::Value::Undefined {
            return Ok(None);
        }
        let text = v.to_json_str().map_err(|e| PolicyError::Eval {
            query: query.to_string(),
            message: e.to_string(),
        })?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| PolicyError::Eval {
                query: query.to_string(),
                message: e.to_string(),
            })
    }

    fn tests(&self) -> Vec<TestRule> {
        let mut out = Vec::new();
        for (path, text) in &self.modules {
            let Some(package) = text.lines().find_map(|l| l.trim().strip_prefix("package ")) else {
                continue;
            };
            let mut seen = std::collections::BTreeSet::new();
            for (i, line) in text.lines().enumerate() {
                let name: String = line
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let skipped = name.starts_with("todo_test_");
                if !(name.starts_with("test_") || skipped) || !seen.insert(name.clone()) {
                    continue;
                }
                out.push(TestRule {
                    module: path.clone(),
                    query: format!("data.{}.{name}", package.trim()),
                    name,
                    skipped,
                    line: i + 1,
                });
            }
        }
        out
    }
}
