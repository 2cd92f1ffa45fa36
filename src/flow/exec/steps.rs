//! What a step sees: its `with` arguments with `${{ }}` rendered, the scope expressions
//! are evaluated in (params, outcomes and outputs of the run's steps), and its report.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Exec;
use crate::flow::expr::{Scope, Val, parse_template, render};
use crate::flow::kinds;
use crate::model::ids::TenantId;
use crate::store::StepRow;

/// Renders `${{ }}` in every string of `with`.
pub(super) fn render_args(
    with: &BTreeMap<String, serde_json::Value>,
    scope: &dyn Scope,
) -> kinds::Args {
    fn go(v: &serde_json::Value, scope: &dyn Scope) -> serde_json::Value {
        match v {
            serde_json::Value::String(s) if s.contains("${{") => match parse_template(s) {
                Ok(p) => render(&p, scope).to_json(),
                Err(_) => v.clone(),
            },
            serde_json::Value::Array(a) => a.iter().map(|x| go(x, scope)).collect(),
            serde_json::Value::Object(m) => {
                m.iter().map(|(k, x)| (k.clone(), go(x, scope))).collect()
            }
            other => other.clone(),
        }
    }
    with.iter()
        .map(|(k, v)| (k.clone(), go(v, scope)))
        .collect()
}

/// Expressions see params, outcomes and outputs of the run's steps.
pub(super) struct ScopeView<'a> {
    pub(super) steps: &'a BTreeMap<String, StepRow>,
    pub(super) params: &'a BTreeMap<String, Val>,
    pub(super) tenant: &'a Option<TenantId>,
    pub(super) run_id: &'a str,
}

fn outcome_of(steps: &BTreeMap<String, StepRow>, step: &str) -> Option<String> {
    steps.get(step).map(|s| match s.status.as_str() {
        "succeeded" => "success".to_string(),
        "failed" => "failure".to_string(),
        other => other.to_string(),
    })
}

fn output_of(steps: &BTreeMap<String, StepRow>, step: &str, name: &str) -> Option<String> {
    steps
        .get(step)?
        .outputs
        .get(name)
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
}

impl Scope for ScopeView<'_> {
    fn param(&self, name: &str) -> Option<Val> {
        self.params.get(name).cloned()
    }
    fn outcome(&self, step: &str) -> Option<String> {
        outcome_of(self.steps, step)
    }
    fn output(&self, step: &str, name: &str) -> Option<String> {
        output_of(self.steps, step, name)
    }
    fn tenant(&self) -> Option<String> {
        self.tenant.as_ref().map(|t| t.to_string())
    }
    fn run_id(&self) -> String {
        self.run_id.to_string()
    }
}

impl Scope for Exec<'_> {
    fn param(&self, name: &str) -> Option<Val> {
        self.params.get(name).cloned()
    }
    fn outcome(&self, step: &str) -> Option<String> {
        outcome_of(&self.steps, step)
    }
    fn output(&self, step: &str, name: &str) -> Option<String> {
        output_of(&self.steps, step, name)
    }
    fn tenant(&self) -> Option<String> {
        self.tenant.as_ref().map(|t| t.to_string())
    }
    fn run_id(&self) -> String {
        self.run_id.clone()
    }
}

/// The run report for events and output.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StepReport {
    pub id: String,
    pub uses: String,
    pub status: String,
    pub attempts: i64,
    pub outputs: serde_json::Map<String, serde_json::Value>,
    pub error: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}
