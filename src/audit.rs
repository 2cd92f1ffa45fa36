//! The audit log: append-only and hash-chained.
//!
//! `hash = sha256(prev_hash || canonical_json(event))` where the event is
//! `{seq, at, actor, tenant_id, action, target, details}` with keys sorted and no whitespace;
//! the first event's `prev_hash` is 64 zeros. Every mutating command appends its event in the
//! same transaction as its change. [`verify`] recomputes the chain and names the first bad link.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::exit::Diagnostic;
use crate::ids::{PrincipalId, TenantId};
use crate::store::{Db, StoreError};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "invalid --since `{0}`: expected a date (`2026-11-25`), an RFC 3339 instant or an age (`36h`, `7d`)"
    )]
    BadSince(String),
}

impl Diagnostic for AuditError {
    fn help(&self) -> Option<String> {
        match self {
            AuditError::Store(e) => e.help(),
            AuditError::BadSince(_) => {
                Some("for example: `maestro-cli audit:log --since 2026-11-01`".into())
            }
        }
    }
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub actor: PrincipalId,
    pub tenant_id: Option<TenantId>,
    /// `tenant.create`, `tenant.update`, `principal.add`, `authz.deny`, ...
    pub action: &'static str,
    pub target: String,
    pub details: Value,
}

/// A recorded event, as stored and as printed by `audit:log --output json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target: String,
    pub details: Value,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event should carry, given its fields and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            self.tenant_id.as_deref(),
            &self.action,
            &self.target,
            &canonical_json(&self.details),
        )
    }
}

/// `sha256(prev_hash || canonical JSON of the event)`, with the event's canonical JSON written
/// out directly (keys in sorted order: action, actor, at, details, seq, target, tenant_id).
/// `details` must already be canonical JSON — as stored.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    tenant_id: Option<&str>,
    action: &str,
    target: &str,
    details: &str,
) -> String {
    let js = |s: &str| Value::String(s.to_string()).to_string();
    let body = format!(
        "{{\"action\":{},\"actor\":{},\"at\":{},\"details\":{details},\"seq\":{seq},\"target\":{},\"tenant_id\":{}}}",
        js(action),
        js(actor),
        js(at),
        js(target),
        tenant_id.map_or_else(|| "null".to_string(), js),
    );
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(body.as_bytes());
    hex(&hasher.finalize())
}

/// Appends `event` after the current head. Call inside a write transaction.
pub fn append(db: &Db<'_>, clock: &Clock, event: NewEvent) -> Result<AuditEvent, StoreError> {
    let (seq, prev_hash) = match db.audit().head()? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let mut stored = AuditEvent {
        seq,
        at: clock.now_rfc3339(),
        actor: event.actor.to_string(),
        tenant_id: event.tenant_id.map(|t| t.to_string()),
        action: event.action.to_string(),
        target: event.target,
        details: event.details,
        prev_hash,
        hash: String::new(),
    };
    stored.hash = stored.compute_hash();
    db.audit().insert(&stored)?;
    // For the remote backends (syslog, ...), in this same transaction.
    let payload = serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt {
        path: std::path::PathBuf::new(),
        detail: format!("audit event {seq} as JSON: {e}"),
    })?;
    db.outbox().enqueue(
        "audit",
        stored.tenant_id.as_deref(),
        &format!("audit:{seq}"),
        &payload,
        &stored.at,
    )?;
    Ok(stored)
}

/// The outcome of `audit:verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    /// Events read.
    pub events: u64,
    /// The hash of the last event (the chain anchor), if any.
    pub head: Option<String>,
    /// The first broken link, if any.
    pub first_bad: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub problem: String,
}

/// Recomputes the whole chain and reports the first link that does not hold.
pub fn verify(db: &Db<'_>) -> Result<VerifyReport, StoreError> {
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let mut events = 0;
    let mut first_bad: Option<BrokenLink> = None;
    // `policy.batch` events, whose decisions are checked against their digest below.
    let mut batches: Vec<(i64, Value)> = Vec::new();
    db.audit().for_each_link(|event| {
        events += 1;
        if first_bad.is_some() {
            return Ok(());
        }
        let problem = if event.seq != expected_seq {
            Some(if event.seq > expected_seq {
                format!("event {expected_seq} is missing (the next stored event is {})", event.seq)
            } else {
                format!("event {} is out of order", event.seq)
            })
        } else if event.prev_hash != prev_hash {
            Some("its prev_hash does not match the hash of the event before it: events were removed or reordered".into())
        } else if event.computed_hash() != event.hash {
            Some("its content does not match its hash: the event was altered".into())
        } else {
            None
        };
        match problem {
            Some(problem) => {
                first_bad = Some(BrokenLink {
                    seq: expected_seq.min(event.seq),
                    problem,
                })
            }
            None => {
                expected_seq += 1;
                prev_hash = event.hash.to_string();
                if event.action == crate::policy::BATCH_ACTION {
                    batches.push((event.seq, serde_json::from_str(event.details).unwrap_or_default()));
                }
            }
        }
        Ok(())
    })?;
    let head = if events == 0 {
        None
    } else {
        Some(prev_hash.clone())
    };
    if first_bad.is_none() {
        match db.audit().head()? {
            Some((seq, hash)) if seq != expected_seq - 1 || hash != prev_hash => {
                first_bad = Some(BrokenLink {
                    seq: expected_seq,
                    problem: format!(
                        "the chain ends at event {} but the recorded head is event {seq}: events were removed from the end",
                        expected_seq - 1
                    ),
                });
            }
            None if events > 0 => {
                first_bad = Some(BrokenLink {
                    seq: 1,
                    problem: "the recorded head is missing".into(),
                });
            }
            _ => {}
        }
    }
    if first_bad.is_none() {
        first_bad = verify_batches(db, &batches)?;
    }
    Ok(VerifyReport {
        ok: first_bad.is_none(),
        events,
        head,
        first_bad,
    })
}

/// The first batch of decisions whose stored rows do not match the digest of its event.
fn verify_batches(db: &Db<'_>, batches: &[(i64, Value)]) -> Result<Option<BrokenLink>, StoreError> {
    for (seq, details) in batches {
        let want_digest = details.get("digest").and_then(Value::as_str).unwrap_or("");
        let want_count = details
            .get("decisions")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let (digest, count) = db.decisions().digest_of(*seq)?;
        if digest != want_digest {
            let problem = if count == want_count {
                format!(
                    "its {want_count} decisions do not match its digest: decision rows were altered"
                )
            } else {
                format!(
                    "it logged {want_count} decisions but {count} are stored: decision rows were removed or added"
                )
            };
            return Ok(Some(BrokenLink { seq: *seq, problem }));
        }
    }
    Ok(None)
}

/// JSON with object keys sorted and no whitespace: the form that is hashed.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Parses `--since`: a date (midnight UTC), an RFC 3339 instant, or an age such as `36h`/`7d`.
/// Returns the instant in the stored form, so it compares as text.
pub fn parse_since(value: &str, clock: &Clock) -> Result<String, AuditError> {
    let bad = || AuditError::BadSince(value.to_string());
    if let Some(n) = value.strip_suffix('d').or_else(|| value.strip_suffix('h')) {
        let n: i64 = n.parse().map_err(|_| bad())?;
        let hours = if value.ends_with('d') { n * 24 } else { n };
        let span = jiff::Span::new().try_hours(hours).map_err(|_| bad())?;
        let at = clock.now().checked_sub(span).map_err(|_| bad())?;
        return Ok(crate::clock::format_rfc3339(at));
    }
    if let Ok(at) = value.parse::<jiff::Timestamp>() {
        return Ok(crate::clock::format_rfc3339(at));
    }
    let date: jiff::civil::Date = value.parse().map_err(|_| bad())?;
    let at = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(|_| bad())?
        .timestamp();
    Ok(crate::clock::format_rfc3339(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_event_hash_is_the_canonical_json_hash() {
        let e = AuditEvent {
            seq: 7,
            at: "2026-11-25T10:00:00.000Z".into(),
            actor: "a\"b@x.example".into(),
            tenant_id: None,
            action: "tenant.update".into(),
            target: "tenant/é".into(),
            details: serde_json::json!({"z": [1, {"b": null, "a": "\n"}], "a": true}),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let body = serde_json::json!({
            "seq": e.seq, "at": e.at, "actor": e.actor, "tenant_id": e.tenant_id,
            "action": e.action, "target": e.target, "details": e.details,
        });
        let mut h = Sha256::new();
        h.update(e.prev_hash.as_bytes());
        h.update(canonical_json(&body).as_bytes());
        assert_eq!(e.compute_hash(), hex(&h.finalize()));
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = serde_json::json!({"b": 1, "a": {"d": [1, {"z": 0, "y": "é\n"}], "c": null}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":null,"d":[1,{"y":"é\n","z":0}]},"b":1}"#
        );
    }

    #[test]
    fn since_accepts_dates_instants_and_ages() {
        let clock = Clock::Fixed("2026-11-25T12:00:00Z".parse().unwrap());
        assert_eq!(
            parse_since("2026-11-01", &clock).unwrap(),
            "2026-11-01T00:00:00.000Z"
        );
        assert_eq!(
            parse_since("2026-11-01T10:00:00+01:00", &clock).unwrap(),
            "2026-11-01T09:00:00.000Z"
        );
        assert_eq!(
            parse_since("36h", &clock).unwrap(),
            "2026-11-24T00:00:00.000Z"
        );
        assert_eq!(
            parse_since("7d", &clock).unwrap(),
            "2026-11-18T12:00:00.000Z"
        );
        assert!(parse_since("yesterday", &clock).is_err());
    }
}
