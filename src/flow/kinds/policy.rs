//! `policy`: asks the governance kernel for a decision (`with.query`, `with.input`), logs it,
//! and fails the step as denied when the policy denies.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, check_keys};
use crate::authz::{self, Action};
use crate::model::ids::TenantId;
use crate::policy;

pub struct Policy;

impl StepKind for Policy {
    fn name(&self) -> &'static str {
        "policy"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["query"], &["input"])?;
        match with.get("query").and_then(|q| q.as_str()) {
            Some(q) if q.starts_with("data.") => {}
            _ => {
                return Err(
                    "`with.query` must name a policy document such as `data.maestro.residency`"
                        .into(),
                );
            }
        }
        match with.get("input") {
            None | Some(Value::Object(_)) => Ok(()),
            Some(_) => Err("`with.input` must be a mapping".into()),
        }
    }
    fn run_inline(&self, cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        let query = args.get("query").and_then(|q| q.as_str()).unwrap_or("");
        let mut input = args
            .get("input")
            .cloned()
            .unwrap_or_else(|| Value::Object(Default::default()));
        if let (Some(obj), Some(t)) = (input.as_object_mut(), cx.tenant) {
            obj.entry("tenant").or_insert_with(|| Value::from(t));
        }
        if let Err(refused) = authorize_other_tenants(cx, &input) {
            return refused;
        }
        match decide_and_log(cx, query, &input) {
            Ok((true, id, _)) => {
                AttemptResult::ok(BTreeMap::from([("decision_id".to_string(), id)]))
            }
            Ok((false, _, deny)) => {
                AttemptResult::denied(format!("denied by `{query}`: {}", deny.join("; ")))
            }
            Err(e) => AttemptResult::failed(e.to_string(), None),
        }
    }
}

/// A policy step answers for the run's tenant. An input naming another tenant is asked about
/// first, as a read of that tenant's decisions: without that right the step is denied (and
/// the refusal logged) before the policy is evaluated, so neither the other tenant's data nor
/// whether it exists can leak through a decision or its deny messages.
fn authorize_other_tenants(cx: &InlineCx<'_>, input: &Value) -> Result<(), AttemptResult> {
    for other in policy::named_tenants(input)
        .iter()
        .filter(|t| Some(t.as_str()) != cx.tenant)
    {
        let tenant =
            TenantId::parse(other).map_err(|e| AttemptResult::failed(e.to_string(), None))?;
        match authz::authorize(
            cx.abac,
            cx.db,
            cx.clock,
            cx.actor,
            Action::PolicyRead,
            Some(&tenant),
        ) {
            Ok(()) => {}
            Err(authz::AuthzError::Denied(d)) => {
                authz::log_denial(cx.abac, cx.db, cx.clock, &d)
                    .map_err(|e| AttemptResult::failed(e.to_string(), None))?;
                return Err(AttemptResult::denied(d.to_string()));
            }
            Err(e) => return Err(AttemptResult::failed(e.to_string(), None)),
        }
    }
    Ok(())
}

/// Evaluates `query` on `input` with the platform data of this transaction and logs the
/// decision. Returns (allow, decision id, deny messages).
pub(crate) fn decide_and_log(
    cx: &InlineCx<'_>,
    query: &str,
    input: &Value,
) -> Result<(bool, String, Vec<String>), policy::PolicyError> {
    let cache = policy::wasm_cache(cx.db.path());
    let mut gov = policy::Governance::for_config(cx.config, cache.as_deref())?.sharing(cx.abac);
    gov.add_data(&policy::platform_data(cx.db, cx.config)?)?;
    let d = gov.decide(query, input)?;
    let tenant = input
        .get("tenant")
        .and_then(|t| t.as_str())
        .and_then(|t| TenantId::parse(t).ok());
    let row = policy::record(
        cx.db,
        cx.clock,
        &gov,
        cx.actor,
        tenant.as_ref(),
        query,
        input,
        &d,
    )?;
    Ok((d.allow, row.id, d.deny))
}
