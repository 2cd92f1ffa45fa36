//! The decision log: each decision written with its input masked, joined to the audit hash
//! chain by an event of its own carrying the row's digest, or by one `policy.batch` event per
//! tenant carrying a digest over a batch's rows; `audit:verify` recomputes both.

use serde_json::{Value, json};

use super::{Decision, Governance, mask_secrets};
use crate::audit::{self, NewEvent};
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::store::{BatchDigest, Db, DecisionRow, RowTexts, StoreError};

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
    let row = DecisionRow {
        id: uuid::Uuid::now_v7().to_string(),
        at: clock.now_rfc3339(),
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
        // The event appended next, in this transaction.
        audit_seq: db.audit().head()?.map_or(1, |(seq, _)| seq + 1),
    };
    let event = audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: tenant.cloned(),
            action: if decision.allow {
                audit::POLICY_ALLOW
            } else {
                audit::POLICY_DENY
            },
            target: query.to_string(),
            details: json!({
                "decision_id": row.id, "query": query, "allow": decision.allow, "deny": decision.deny,
                "audit": decision.audit, "exceptions_applied": decision.exceptions_applied,
                "bundle_sha256": gov.bundle.sha256, "engine": gov.engine_name(),
                "digest": row.digest(),
            }),
        },
    )?;
    debug_assert_eq!(event.seq, row.audit_seq);
    db.decisions().insert(&row)?;
    gov.unwritten.flush(db)?;
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
                action: crate::audit::POLICY_BATCH,
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
    gov.unwritten.flush(db)
}
