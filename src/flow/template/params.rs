//! The params a flow declares (type, required or default, pattern) and the typed values of
//! a run: from `--param k=v` pairs when it starts, from the stored JSON when it resumes.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::Flow;
use crate::flow::expr::Val;

/// A param as declared under `params:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    #[serde(rename = "type", default)]
    pub kind: ParamType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<yaml_serde::Value>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// A param's `type:` (default `string`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    #[default]
    String,
    Int,
    Bool,
    List,
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "string",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::List => "list",
        })
    }
}
pub(super) fn yaml_to_val(v: &yaml_serde::Value, kind: ParamType) -> Result<Val, String> {
    use yaml_serde::Value as Y;
    match (kind, v) {
        (ParamType::String, Y::String(s)) => Ok(Val::Str(s.clone())),
        (ParamType::Int, Y::Number(n)) if n.as_i64().is_some() => {
            Ok(Val::Int(n.as_i64().unwrap_or(0)))
        }
        (ParamType::Bool, Y::Bool(b)) => Ok(Val::Bool(*b)),
        (ParamType::List, Y::Sequence(items)) => items
            .iter()
            .map(|i| match i {
                Y::String(s) => Ok(s.clone()),
                other => Err(format!("list items must be strings, found {other:?}")),
            })
            .collect::<Result<_, _>>()
            .map(Val::List),
        (kind, other) => Err(format!("is not a {kind}: {other:?}")),
    }
}

pub(super) fn check_pattern(name: &str, spec: &ParamSpec, v: &Val) -> Result<(), String> {
    let Some(p) = &spec.pattern else {
        return Ok(());
    };
    let re = regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| e.to_string())?;
    let items = match v {
        Val::List(l) => l.clone(),
        other => vec![other.to_env()],
    };
    for item in items {
        if !re.is_match(&item) {
            return Err(format!(
                "`{item}` does not match the pattern `{p}` of param `{name}`"
            ));
        }
    }
    Ok(())
}

/// Turns `--param k=v` pairs into typed values: defaults filled, required ones present,
/// types and patterns checked, unknown names refused.
pub fn resolve_params(
    flow: &Flow,
    given: &[(String, String)],
) -> Result<BTreeMap<String, Val>, String> {
    let mut out = BTreeMap::new();
    for (k, raw) in given {
        let spec = flow.params.get(k).ok_or_else(|| {
            let known: Vec<&str> = flow.params.keys().map(String::as_str).collect();
            format!(
                "flow `{}` has no param `{k}` (params: {})",
                flow.name,
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )
        })?;
        let v = match spec.kind {
            ParamType::String => Val::Str(raw.clone()),
            ParamType::Int => Val::Int(
                raw.trim()
                    .parse()
                    .map_err(|_| format!("param `{k}`: `{raw}` is not an int"))?,
            ),
            ParamType::Bool => Val::Bool(match raw.as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                _ => return Err(format!("param `{k}`: `{raw}` is not a bool (true/false)")),
            }),
            ParamType::List => Val::List(if raw.is_empty() {
                vec![]
            } else {
                raw.split(',').map(|s| s.trim().to_string()).collect()
            }),
        };
        check_pattern(k, spec, &v)?;
        if out.insert(k.clone(), v).is_some() {
            return Err(format!("param `{k}` is given twice"));
        }
    }
    for (k, spec) in &flow.params {
        if out.contains_key(k) {
            continue;
        }
        if let Some(d) = &spec.default {
            out.insert(k.clone(), yaml_to_val(d, spec.kind)?);
        } else if spec.required {
            return Err(format!(
                "flow `{}` needs param `{k}`: add `--param {k}=...`",
                flow.name
            ));
        }
    }
    Ok(out)
}
/// The typed values of a run's params, from the JSON stored with the run.
pub(crate) fn params_from_json(flow: &Flow, json: &serde_json::Value) -> BTreeMap<String, Val> {
    let mut out = BTreeMap::new();
    let Some(map) = json.as_object() else {
        return out;
    };
    for (k, v) in map {
        let kind = flow.params.get(k).map_or(ParamType::String, |p| p.kind);
        let val = match (kind, v) {
            (ParamType::Int, serde_json::Value::Number(n)) => Val::Int(n.as_i64().unwrap_or(0)),
            (ParamType::Bool, serde_json::Value::Bool(b)) => Val::Bool(*b),
            (ParamType::List, serde_json::Value::Array(a)) => Val::List(
                a.iter()
                    .map(|x| x.as_str().unwrap_or("").to_string())
                    .collect(),
            ),
            (_, serde_json::Value::String(s)) => Val::Str(s.clone()),
            (_, other) => Val::Str(other.to_string()),
        };
        out.insert(k.clone(), val);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::template::load;
    use crate::flow::template::tests::OK;

    #[test]
    fn params_are_typed() {
        let f = load(OK, "demo.yaml").unwrap();
        let p = |kv: &[(&str, &str)]| {
            resolve_params(
                &f,
                &kv.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        let ok = p(&[("n", "3")]).unwrap();
        assert_eq!(ok["env"], Val::Str("dev".into()));
        assert_eq!(ok["n"], Val::Int(3));
        assert!(p(&[]).unwrap_err().contains("needs param `n`"));
        assert!(p(&[("n", "x")]).unwrap_err().contains("not an int"));
        assert!(
            p(&[("n", "1"), ("env", "qa")])
                .unwrap_err()
                .contains("does not match the pattern")
        );
        assert!(
            p(&[("n", "1"), ("zz", "1")])
                .unwrap_err()
                .contains("has no param `zz`")
        );
    }
}
