//! The audit log: append-only and hash-chained.
//!
//! `hash = sha256(prev_hash || canonical_json(event))` where the event is
//! `{seq, at, actor, tenant_id, action, target, details}` with keys sorted and no whitespace;
//! the first event's `prev_hash` is 64 zeros. Every mutating command appends its event in the
//! same transaction as its change. [`verify`] recomputes the chain and names the first bad link.

pub mod checkpoint;
pub mod proofs;
pub mod tree;

use serde::Serialize;
use serde_json::Value;

use crate::model::Diagnostic;
use crate::model::audit::{AuditEvent, GENESIS};
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::outbox::{self, Queued};
use crate::store::{Db, StoreError};

/// The action of the event that seals a batch of logged decisions: it carries their count,
/// allow/deny split and a digest over the rows, which [`verify`] recomputes.
pub const POLICY_BATCH: &str = "policy.batch";

/// The actions of the event that seals one logged decision; its details carry the row's
/// digest (events written before digests were added carry none).
pub const POLICY_ALLOW: &str = "policy.allow";
pub const POLICY_DENY: &str = "policy.deny";

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

/// Appends `event` after the current head, and to the log's Merkle tree. Call inside a write
/// transaction.
pub fn append(db: &Db<'_>, clock: &Clock, event: NewEvent) -> Result<AuditEvent, StoreError> {
    let head = db.audit().head_and_frontier()?;
    let (seq, prev_hash) = match &head {
        Some((seq, hash, _)) => (seq + 1, hash.clone()),
        None => (1, GENESIS.to_string()),
    };
    let seq_and_hash = head.as_ref().map(|(s, h, _)| (*s, h.clone()));
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
    // The details' canonical text once: hashed, made the leaf, and stored.
    let details = crate::model::audit::canonical_json(&stored.details);
    stored.hash = crate::model::audit::event_hash(
        &stored.prev_hash,
        seq,
        &stored.at,
        &stored.actor,
        stored.tenant_id.as_deref(),
        &stored.action,
        &stored.target,
        &details,
    );
    let kept = head.and_then(|(_, _, frontier)| frontier);
    let tenant_prev = match &stored.tenant_id {
        Some(t) => Some(
            db.audit()
                .last_of_tenant(t, seq_and_hash.as_ref().map(|(s, h)| (*s, h.as_str())))?
                .unwrap_or(0),
        ),
        None => None,
    };
    let grown = tree::grow(db, &stored, &details, tenant_prev, kept.as_deref())?;
    db.audit()
        .insert(&stored, &details, tenant_prev, &grown.leaf, &grown.frontier)?;
    // For the remote backends (syslog, ...), in this same transaction.
    let payload = serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt {
        path: std::path::PathBuf::new(),
        detail: format!("audit event {seq} as JSON: {e}"),
    })?;
    let row = Queued {
        kind: "audit",
        tenant_id: stored.tenant_id.as_deref(),
        key: format!("audit:{seq}"),
        payload,
    };
    outbox::enqueue_at(db, &row, &stored.at)?;
    Ok(stored)
}

/// Queues `row` for the backends and, when it is new, appends `event`; `false` when that key
/// was queued before (nothing changes). Call inside the command's write transaction.
pub fn queue_audited(
    db: &Db<'_>,
    clock: &Clock,
    row: &Queued<'_>,
    event: NewEvent,
) -> Result<bool, StoreError> {
    let queued = outbox::enqueue(db, clock, row)?;
    if queued {
        append(db, clock, event)?;
    }
    Ok(queued)
}

/// The outcome of `audit:verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct VerifyReport {
    pub ok: bool,
    /// Events read.
    pub events: u64,
    /// The hash of the last event (the chain anchor), if any.
    pub head: Option<String>,
    /// The first broken link, if any.
    pub first_bad: Option<BrokenLink>,
    /// With `--checkpoint`: whether the log extends that checkpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<proofs::CheckpointCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
    // Events that seal decisions (`policy.batch`, `policy.allow`, `policy.deny`), whose rows
    // are checked against their digest below.
    let mut sealing: Vec<(i64, Value)> = Vec::new();
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
                if [POLICY_BATCH, POLICY_ALLOW, POLICY_DENY].contains(&event.action) {
                    let mut details: Value = serde_json::from_str(event.details).unwrap_or_default();
                    if event.action != POLICY_BATCH {
                        details["decisions"] = Value::from(1);
                    }
                    sealing.push((event.seq, details));
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
        let last = expected_seq - 1;
        match db.audit().head()? {
            Some((head, _)) if head < last => {
                first_bad = Some(BrokenLink {
                    seq: head + 1,
                    problem: format!(
                        "event {} comes after the recorded head (event {head}): events were appended outside maestro-cli",
                        head + 1
                    ),
                });
            }
            Some((head, _)) if head > last => {
                first_bad = Some(BrokenLink {
                    seq: last + 1,
                    problem: format!(
                        "the chain ends at event {last} but the recorded head is event {head}: events were removed from the end"
                    ),
                });
            }
            Some((head, hash)) if hash != prev_hash => {
                first_bad = Some(BrokenLink {
                    seq: head,
                    problem: "the recorded head's hash is not this event's: the head or the event was rewritten".into(),
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
        first_bad = verify_decisions(db, &sealing)?;
    }
    Ok(VerifyReport {
        ok: first_bad.is_none(),
        events,
        head,
        first_bad,
        checkpoint: None,
    })
}

/// The first event whose decisions as stored are not what it logged: a digest that does not
/// match (rows altered), or a count that differs (rows removed, or added under any event). An
/// event from before single decisions carried a digest is checked by its count alone.
fn verify_decisions(
    db: &Db<'_>,
    sealing: &[(i64, Value)],
) -> Result<Option<BrokenLink>, StoreError> {
    let plural = |n: u64| if n == 1 { "decision" } else { "decisions" };
    let mut problems: std::collections::BTreeMap<i64, String> = Default::default();
    let mut stored: std::collections::BTreeMap<i64, (String, u64)> = db
        .decisions()
        .digests_by_event()?
        .into_iter()
        .map(|(seq, digest, count)| (seq, (digest, count)))
        .collect();
    for (seq, details) in sealing {
        let want = details
            .get("decisions")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let (digest, count) = stored.remove(seq).unwrap_or_default();
        if count != want {
            problems.insert(*seq, format!(
                "it logged {want} {} but {count} {} stored: decision rows were removed or added",
                plural(want),
                if count == 1 { "is" } else { "are" },
            ));
            continue;
        }
        let Some(want_digest) = details.get("digest").and_then(Value::as_str) else {
            continue;
        };
        if digest != want_digest {
            problems.insert(
                *seq,
                if want == 1 {
                    "its decision does not match its digest: the decision row was altered".into()
                } else {
                    format!(
                        "its {want} decisions do not match its digest: decision rows were altered"
                    )
                },
            );
        }
    }
    for (seq, (_, count)) in stored {
        problems.insert(
            seq,
            format!(
                "{count} {} stored under it, but it logged none: decision rows were added",
                if count == 1 {
                    "decision is"
                } else {
                    "decisions are"
                },
            ),
        );
    }
    Ok(problems
        .into_iter()
        .next()
        .map(|(seq, problem)| BrokenLink { seq, problem }))
}

/// Parses `--since`: a date (midnight UTC), an RFC 3339 instant, or an age in jiff's friendly
/// format (`36h`, `7d`, `2w`, `1d12h`, `90 minutes`; days are days of UTC).
/// Returns the instant in the stored form, so it compares as text.
pub fn parse_since(value: &str, clock: &Clock) -> Result<String, AuditError> {
    let bad = || AuditError::BadSince(value.to_string());
    // An age: starts with a digit and is no date (`2026-11-01` is one).
    if value.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && let Ok(span) = value.parse::<jiff::Span>()
    {
        if span.is_negative() {
            return Err(bad());
        }
        let at = clock
            .now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .checked_sub(span)
            .map_err(|_| bad())?
            .timestamp();
        return Ok(crate::model::clock::format_rfc3339(at));
    }
    if let Ok(at) = value.parse::<jiff::Timestamp>() {
        return Ok(crate::model::clock::format_rfc3339(at));
    }
    let date: jiff::civil::Date = value.parse().map_err(|_| bad())?;
    let at = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(|_| bad())?
        .timestamp();
    Ok(crate::model::clock::format_rfc3339(at))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            parse_since("1d12h", &clock).unwrap(),
            "2026-11-24T00:00:00.000Z"
        );
        assert_eq!(
            parse_since("2w", &clock).unwrap(),
            "2026-11-11T12:00:00.000Z"
        );
        assert_eq!(
            parse_since("90 minutes", &clock).unwrap(),
            "2026-11-25T10:30:00.000Z"
        );
        assert!(parse_since("-3h", &clock).is_err());
        assert!(parse_since("yesterday", &clock).is_err());
        assert_eq!(
            parse_since("7d", &clock).unwrap(),
            "2026-11-18T12:00:00.000Z"
        );
        assert!(parse_since("yesterday", &clock).is_err());
    }
}
