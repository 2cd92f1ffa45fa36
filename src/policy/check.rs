//! `policy:check`: one decision (deploy or any query and input), or a batch of JSON lines;
//! every decision logged.

use std::io::BufRead;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Decision, Governance, PolicyError, platform_data, record};
use crate::context::Context;
use crate::ids::TenantId;
use crate::tenant::{Action, users};

/// One evaluated and logged decision.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub decision_id: String,
    pub query: String,
    pub allow: bool,
    pub deny: Vec<String>,
    pub audit: bool,
    pub exceptions_applied: Vec<String>,
    pub bundle_sha256: String,
    pub engine: String,
    /// Paths of the input that were masked in the log.
    pub masked: Vec<String>,
}

/// The governance of this context: its bundle with the platform data loaded.
pub fn governance(ctx: &Context) -> Result<Governance, PolicyError> {
    let cache = super::wasm_cache(ctx.store.path());
    let mut gov = Governance::for_config(&ctx.config, cache.as_deref())?;
    gov.add_data(&platform_data(&ctx.store.read(), &ctx.config)?)?;
    Ok(gov)
}

/// The deploy gate: may `tenant` deploy `service`/`env` to `cluster`?
pub fn check_deploy(
    ctx: &mut Context,
    tenant: &str,
    service: &str,
    env: &str,
    cluster: &str,
) -> Result<Checked, PolicyError> {
    let input = json!({"action": "deploy", "tenant": tenant, "service": service, "env": env, "cluster": cluster});
    check(ctx, "data.maestro.residency", input)
}

/// Evaluates `query` on `input` and logs the decision. The actor needs a role for the
/// tenant the input names (`input.tenant`), or any role when it names none.
pub fn check(ctx: &mut Context, query: &str, input: Value) -> Result<Checked, PolicyError> {
    let mut all = check_many(ctx, query, vec![input])?;
    Ok(all.remove(0))
}

/// Evaluates every input and logs all decisions in one transaction.
pub fn check_many(
    ctx: &mut Context,
    query: &str,
    inputs: Vec<Value>,
) -> Result<Vec<Checked>, PolicyError> {
    if !query.starts_with("data.") {
        return Err(PolicyError::Input(format!(
            "invalid --query `{query}`: a query names a document under `data.`, e.g. `data.maestro.residency`"
        )));
    }
    let mut tenants: Vec<Option<String>> = inputs
        .iter()
        .map(|i| i.get("tenant").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut scoped: Vec<String> = tenants.iter().flatten().cloned().collect();
    scoped.sort();
    scoped.dedup();
    for t in &scoped {
        users::read_scope(ctx, Action::PolicyRead, Some(t))?;
    }
    if scoped.is_empty() {
        users::read_scope(ctx, Action::PolicyRead, None)?;
    }
    let actor = ctx.actor()?;
    let mut gov = governance(ctx)?;
    let mut decided: Vec<(Value, Decision)> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let d = gov.decide(query, &input)?;
        decided.push((input, d));
    }
    let clock = ctx.clock;
    let rows = ctx.store.write(|db| -> Result<Vec<Checked>, PolicyError> {
        let mut out = Vec::with_capacity(decided.len());
        for ((input, d), tenant) in decided.iter().zip(tenants.iter_mut()) {
            let tenant = tenant.as_deref().and_then(|t| TenantId::parse(t).ok());
            let row = record(db, &clock, &gov, &actor, tenant.as_ref(), query, input, d)?;
            out.push(Checked {
                decision_id: row.id,
                query: query.to_string(),
                allow: d.allow,
                deny: d.deny.clone(),
                audit: d.audit,
                exceptions_applied: d.exceptions_applied.clone(),
                bundle_sha256: row.bundle_sha256,
                engine: row.engine,
                masked: row.masked,
            });
        }
        Ok(out)
    })?;
    Ok(rows)
}

/// Reads JSON lines (`-` for stdin); a bad line is an error naming its number, and then
/// nothing is evaluated.
pub fn read_lines(reader: impl BufRead, name: &str) -> Result<Vec<Value>, PolicyError> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| PolicyError::Input(format!("{name}:{}: {e}", i + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| PolicyError::Input(format!("{name}:{}: not JSON: {e}", i + 1)))?;
        out.push(v);
    }
    Ok(out)
}
