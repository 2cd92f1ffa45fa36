//! `policy:check`: one decision (deploy or any query and input), or a batch of JSON lines;
//! every decision logged.

use std::io::BufRead;

use serde::Serialize;
use serde_json::{Value, json};

use std::collections::HashMap;

use super::GovernanceError;
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::ids::TenantId;
use crate::policy::{
    BatchDecision, Decision, Governance, PolicyError, platform_data, record, record_batch,
};

/// One evaluated and logged decision.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    let cache = crate::policy::wasm_cache(ctx.store.path());
    let mut gov = Governance::for_config(&ctx.config, cache.as_deref())?.sharing(&ctx.abac);
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
) -> Result<Checked, GovernanceError> {
    let input = json!({"action": "deploy", "tenant": tenant, "service": service, "env": env, "cluster": cluster});
    check(ctx, "data.maestro.residency", input)
}

/// Evaluates `query` on `input` and logs the decision. The actor needs a role for every
/// tenant the input names ([`crate::policy::named_tenants`]), or any role when it names none.
pub fn check(ctx: &mut Context, query: &str, input: Value) -> Result<Checked, GovernanceError> {
    let mut all = check_many(ctx, query, vec![input])?;
    Ok(all.remove(0))
}

/// Evaluates every input and logs all decisions in one transaction.
pub fn check_many(
    ctx: &mut Context,
    query: &str,
    inputs: Vec<Value>,
) -> Result<Vec<Checked>, GovernanceError> {
    let order = (0..inputs.len()).collect::<Vec<_>>();
    Ok(check_batch_rendered(ctx, query, &inputs, &order, |_| ())?.0)
}

/// [`check_many`] over `order` (indices into `inputs`: the decisions of a batch whose lines
/// repeat, each distinct input given once), with `render` run on the results on a second
/// thread while the batch is written (the output of a big batch costs as much as a tenth of
/// its logging). Whatever `render` makes is the caller's to show once this returns, i.e.
/// once the log is committed.
pub fn check_batch_rendered<T: Send>(
    ctx: &mut Context,
    query: &str,
    inputs: &[Value],
    order: &[usize],
    render: impl FnOnce(&[Checked]) -> T + Send,
) -> Result<(Vec<Checked>, T), GovernanceError> {
    if !query.starts_with("data.") {
        return Err(PolicyError::Input(format!(
            "invalid --query `{query}`: a query names a document under `data.`, e.g. `data.maestro.residency`"
        ))
        .into());
    }
    let tenants: Vec<Option<String>> = inputs
        .iter()
        .map(|i| i.get("tenant").and_then(Value::as_str).map(str::to_string))
        .collect();
    // Every tenant an input names, wherever it names it: the asker must be able to read it.
    let mut scoped: Vec<String> = inputs
        .iter()
        .flat_map(crate::policy::named_tenants)
        .collect();
    scoped.sort();
    scoped.dedup();
    for t in &scoped {
        authz::read_scope(ctx, Action::PolicyRead, Some(t))?;
    }
    if scoped.is_empty() {
        authz::read_scope(ctx, Action::PolicyRead, None)?;
    }
    let actor = crate::authz::actor(ctx)?;
    let mut gov = governance(ctx)?;
    // A batch repeats inputs (the same tenant, cluster and service on many lines): each
    // distinct input is evaluated, masked and written out once; the data cannot change
    // within the batch. A single check (a deploy gate run by every pipeline) is remembered
    // across processes; a batch is not (its inputs would crowd out the cache).
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut distinct: Vec<BatchDecision> = Vec::new();
    let mut canonical: Vec<usize> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let key = input.to_string();
        let i = match seen.get(&key) {
            Some(&i) => i,
            None => {
                let decision = if inputs.len() == 1 {
                    gov.decide_remembered(&ctx.store.read(), query, input)?
                } else {
                    gov.decide(query, input)?
                };
                distinct.push(BatchDecision::new(input, decision));
                seen.insert(key, distinct.len() - 1);
                distinct.len() - 1
            }
        };
        canonical.push(i);
    }
    let which: Vec<usize> = order.iter().map(|&k| canonical[k]).collect();
    let tenants: Vec<Option<TenantId>> = tenants
        .iter()
        .map(|t| t.as_deref().and_then(|t| TenantId::parse(t).ok()))
        .collect();
    let clock = ctx.clock;
    let checked = |id: String, d: &Decision| Checked {
        decision_id: id,
        query: query.to_string(),
        allow: d.allow,
        deny: d.deny.clone(),
        audit: d.audit,
        exceptions_applied: d.exceptions_applied.clone(),
        bundle_sha256: gov.bundle.sha256.clone(),
        engine: gov.engine_name().to_string(),
        masked: Vec::new(),
    };
    if let [k] = order {
        let d = &distinct[canonical[*k]].decision;
        let (input, tenant) = (&inputs[*k], tenants[*k].as_ref());
        let row = ctx
            .store
            .write(|db| record(db, &clock, &gov, &actor, tenant, query, input, d))?;
        let checked = vec![Checked {
            masked: row.masked,
            ..checked(row.id, d)
        }];
        let rendered = render(&checked);
        return Ok((checked, rendered));
    }
    let items: Vec<(Option<&TenantId>, usize)> = order
        .iter()
        .zip(&which)
        .map(|(&k, &i)| (tenants[k].as_ref(), i))
        .collect();
    let ids: Vec<String> = order
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let results: Vec<Checked> = ids
        .iter()
        .zip(&which)
        .map(|(id, &i)| Checked {
            masked: distinct[i].masked.clone(),
            ..checked(id.clone(), &distinct[i].decision)
        })
        .collect();
    ctx.store.grow_cache_for(order.len());
    let store = &mut ctx.store;
    let (written, rendered) = std::thread::scope(|scope| {
        let rendering = scope.spawn(|| render(&results));
        let written = store
            .write(|db| record_batch(db, &clock, &gov, &actor, query, &distinct, &items, &ids));
        (written, rendering.join())
    });
    written?;
    let rendered =
        rendered.map_err(|_| PolicyError::Input("rendering the results failed".into()))?;
    Ok((results, rendered))
}

/// Reads one JSON document (`-` for stdin), laid out in any way (pretty-printed or on one
/// line); bad JSON is an error naming its line, and more than one document points to
/// `--input-lines`.
pub fn read_document(mut reader: impl BufRead, name: &str) -> Result<Value, PolicyError> {
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .map_err(|e| PolicyError::Input(format!("{name}: {e}")))?;
    let not_json =
        |e: serde_json::Error| PolicyError::Input(format!("{name}:{}: not JSON: {e}", e.line()));
    let mut values = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
    let first = match values.next() {
        None => {
            return Err(PolicyError::Input(format!(
                "{name}: empty; expected one JSON document"
            )));
        }
        Some(v) => v.map_err(not_json)?,
    };
    match values.next() {
        None => Ok(first),
        Some(Err(e)) => Err(not_json(e)),
        Some(Ok(_)) => Err(PolicyError::Input(format!(
            "{name}: more than one JSON document; use --input-lines for many (one per line)"
        ))),
    }
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

/// JSON lines read for a batch: each distinct line parsed once.
#[derive(Debug, Default)]
pub struct Batch {
    pub inputs: Vec<Value>,
    /// Per non-blank line, its input's index in `inputs`.
    pub order: Vec<usize>,
}

/// Reads JSON lines (`-` for stdin) as a [`Batch`]; a bad line is an error naming its
/// number, and then nothing is evaluated.
pub fn read_batch(mut reader: impl BufRead, name: &str) -> Result<Batch, PolicyError> {
    let mut batch = Batch::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut line = String::new();
    for n in 1.. {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|e| PolicyError::Input(format!("{name}:{n}: {e}")))?;
        if read == 0 {
            break;
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let i = match seen.get(text) {
            Some(&i) => i,
            None => {
                let v: Value = serde_json::from_str(text)
                    .map_err(|e| PolicyError::Input(format!("{name}:{n}: not JSON: {e}")))?;
                batch.inputs.push(v);
                seen.insert(text.to_string(), batch.inputs.len() - 1);
                batch.inputs.len() - 1
            }
        };
        batch.order.push(i);
    }
    Ok(batch)
}
