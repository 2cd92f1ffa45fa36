//! The policy engine behind a trait, so a second engine (opa-wasm for OPA-built bundles) can
//! sit beside the default one. Default: regorus, Microsoft's Rego interpreter in Rust.

use serde_json::Value;

use super::PolicyError;
use super::deps::{self, ModuleDeps, Needs, Path};

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
    /// Loads every module now, so that a broken one is reported before any query (an
    /// engine that loads modules lazily; for the others there is nothing to do).
    fn load_all(&mut self) -> Result<(), PolicyError> {
        Ok(())
    }
    /// Whether `query`'s result is a function of input and data alone (the modules it
    /// reaches call no clock, randomness or network builtin), so that it may be remembered.
    /// `false` when the engine cannot tell.
    fn pure(&self, _query: &str) -> bool {
        false
    }
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

/// The default engine. Modules are parsed when a query first needs them: those whose package
/// the query names and those they refer to (see [`super::deps`]), so a one-shot check parses
/// one policy, not the bundle. A broken module is reported by the first query that needs it,
/// and always by `policy:test`, which loads them all.
pub struct Regorus {
    engine: regorus::Engine,
    modules: Vec<Module>,
    /// The last query whose modules are loaded: a batch asks the same one every time.
    ready: Option<String>,
}

struct Module {
    path: String,
    text: String,
    deps: ModuleDeps,
    loaded: bool,
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
            ready: None,
        }
    }

    /// The modules `query` can reach: those whose package overlaps its path, then,
    /// transitively, what those refer to; `None` for every module.
    fn reachable(&self, query: &str) -> Option<Vec<usize>> {
        let mut wanted: Vec<Path> = vec![deps::query_path(query)?];
        let mut seen = vec![false; self.modules.len()];
        let mut order = Vec::new();
        while let Some(path) = wanted.pop() {
            for (i, m) in self.modules.iter().enumerate() {
                let hit = m
                    .deps
                    .package
                    .as_ref()
                    .is_none_or(|p| deps::overlaps(p, &path));
                if !hit || seen[i] {
                    continue;
                }
                seen[i] = true;
                order.push(i);
                match &m.deps.needs {
                    Needs::All => return None,
                    Needs::Paths(paths) => wanted.extend(paths.iter().cloned()),
                }
            }
        }
        Some(order)
    }

    /// Parses what `query` can reach.
    fn require(&mut self, query: &str) -> Result<(), PolicyError> {
        match self.reachable(query) {
            Some(which) => self.load(which),
            None => self.load_all(),
        }
    }

    fn load(&mut self, mut which: Vec<usize>) -> Result<(), PolicyError> {
        which.sort_unstable();
        for i in which {
            let m = &mut self.modules[i];
            if m.loaded {
                continue;
            }
            self.engine
                .add_policy(m.path.clone(), m.text.clone())
                .map_err(|e| PolicyError::Module {
                    path: m.path.clone(),
                    message: e.to_string(),
                })?;
            m.loaded = true;
        }
        Ok(())
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
        self.modules.push(Module {
            path: path.to_string(),
            text: text.to_string(),
            deps: deps::scan(text),
            loaded: false,
        });
        self.ready = None;
        Ok(())
    }

    fn add_data(&mut self, data: &Value) -> Result<(), PolicyError> {
        self.engine
            .add_data(regorus::Value::from(data.clone()))
            .map_err(|e| PolicyError::Data(e.to_string()))
    }

    fn eval(&mut self, query: &str, input: &Value) -> Result<Option<Value>, PolicyError> {
        if self.ready.as_deref() != Some(query) {
            self.require(query)?;
            self.ready = Some(query.to_string());
        }
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

    fn load_all(&mut self) -> Result<(), PolicyError> {
        let all: Vec<usize> = (0..self.modules.len()).collect();
        self.load(all)
    }

    fn pure(&self, query: &str) -> bool {
        match self.reachable(query) {
            Some(which) => which.iter().all(|&i| self.modules[i].deps.pure),
            None => self.modules.iter().all(|m| m.deps.pure),
        }
    }

    fn tests(&self) -> Vec<TestRule> {
        let mut out = Vec::new();
        for Module { path, text, .. } in &self.modules {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn engine(modules: &[(&str, &str)]) -> Regorus {
        let mut e = Regorus::new();
        for (path, text) in modules {
            e.add_module(path, text).unwrap();
        }
        e
    }

    const BROKEN: (&str, &str) = ("broken.rego", "package other\n\nx := {{{\n");

    #[test]
    fn a_query_parses_only_what_it_reaches() {
        let mut e = engine(&[
            ("a.rego", "package a\nimport rego.v1\ny := data.b.x + 1\n"),
            ("b.rego", "package b\nx := input.n * 2\n"),
            BROKEN,
        ]);
        // `a` refers to `b`, so `b` is loaded with it; the broken module is never parsed.
        let v = e.eval("data.a.y", &json!({"n": 20})).unwrap();
        assert_eq!(v, Some(json!(41)));
        let loaded: Vec<&str> = e
            .modules
            .iter()
            .filter(|m| m.loaded)
            .map(|m| m.path.as_str())
            .collect();
        assert_eq!(loaded, ["a.rego", "b.rego"]);
    }

    #[test]
    fn a_broken_module_is_reported_when_needed_and_by_load_all() {
        let mut e = engine(&[("a.rego", "package a\ny := 1\n"), BROKEN]);
        let err = e.eval("data.other.x", &json!({})).unwrap_err();
        assert!(
            matches!(&err, PolicyError::Module { path, .. } if path == "broken.rego"),
            "{err}"
        );
        let mut e = engine(&[("a.rego", "package a\ny := 1\n"), BROKEN]);
        assert!(matches!(
            e.load_all(),
            Err(PolicyError::Module { path, .. }) if path == "broken.rego"
        ));
        // A query of all of `data` needs everything.
        let mut e = engine(&[("a.rego", "package a\ny := 1\n"), BROKEN]);
        assert!(e.eval("data", &json!({})).is_err());
    }

    #[test]
    fn data_as_a_whole_loads_every_module() {
        let mut e = engine(&[
            (
                "a.rego",
                "package a\nimport rego.v1\nn := count(data.b)\nm := data[input.p].x\n",
            ),
            ("b.rego", "package b\nx := 1\ny := 2\n"),
        ]);
        let v = e.eval("data.a.m", &json!({"p": "b"})).unwrap();
        assert_eq!(v, Some(json!(1)));
        assert!(e.modules.iter().all(|m| m.loaded));
    }
}
