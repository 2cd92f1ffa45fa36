//! Delivery of the outbox to one adapter: read the pending rows → the adapter's [`Backend`]
//! delivers them → [`plan`] (pure) turns the outcomes into transitions → apply them in one
//! write transaction. Each adapter keeps its own queue position, so a backend that is down
//! holds back only its own rows. Every error text passes through the configuration's
//! [`Secrets`] before it is recorded or returned.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::backend::{Backend, Failure};
use super::redact::Secrets;
use crate::config::AdapterConfig;
use crate::model::clock::{Clock, format_rfc3339};
use crate::model::outbox::OutboxRow;
use crate::store::{Attempt, QueueState, Store, StoreError};

/// Rows read from the outbox at a time.
const BATCH: u32 = 500;

/// The kinds an adapter receives: its `events`, or all its backend can take.
pub fn kinds(config: &AdapterConfig) -> Vec<&str> {
    match &config.events {
        Some(events) => events.iter().map(String::as_str).collect(),
        None => config.kind.outbox_kinds().to_vec(),
    }
}

/// The wait before attempt `attempts + 1`: 1 s doubling up to 5 minutes.
fn backoff(attempts: i64) -> SignedDuration {
    let seconds = 1i64 << attempts.clamp(0, 9);
    SignedDuration::from_secs(seconds.min(300))
}

/// Where a row goes after one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Done,
    /// Tried again, not before this instant (RFC 3339).
    Retry(String),
    /// Given up: the dead letter (`sync:dead`, `sync:retry`).
    Dead,
}

/// One row's transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub row: i64,
    pub next: Next,
    /// Attempts so far, this one included (a row that waited was not tried).
    pub attempts: i64,
    pub error: Option<String>,
}

/// What a batch's outcomes come to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub transitions: Vec<Transition>,
    pub delivered: u64,
    pub retrying: u64,
    pub dead: u64,
    /// The first error of the batch, shown to the operator.
    pub last_error: Option<String>,
}

impl Plan {
    /// Whether a row must be retried: the adapter's run stops at this batch.
    pub fn blocked(&self) -> bool {
        self.retrying > 0
    }
}

/// The transitions of `rows` given their delivery `results` at `now`:
/// - delivered: done;
/// - refused for good (`permanent`) once `max_attempts` is reached: the dead letter, so that
///   the rest flow; a row refused for good before that is retried like any other;
/// - failed: retried after the backoff of its attempts, or the server's `Retry-After` when
///   that is longer; a backend that is down is waited for, however long;
/// - not sent (it waited behind a failed row): retried when the row it waits behind is, its
///   attempts unchanged.
pub fn plan(
    rows: &[OutboxRow],
    results: &[Result<(), Failure>],
    now: Timestamp,
    max_attempts: u32,
) -> Plan {
    let mut plan = Plan::default();
    let mut blocker_next: Option<String> = None;
    for (row, result) in rows.iter().zip(results) {
        let tried = result.as_ref().err().is_none_or(|f| f.tried);
        let attempts = row.attempts + i64::from(tried);
        let (next, error) = match result {
            Ok(()) => {
                plan.delivered += 1;
                (Next::Done, None)
            }
            Err(f) if f.permanent && attempts >= i64::from(max_attempts) => {
                plan.dead += 1;
                plan.last_error.get_or_insert_with(|| f.message.clone());
                (Next::Dead, Some(f.message.clone()))
            }
            Err(f) if !f.tried && blocker_next.is_some() => {
                plan.retrying += 1;
                let at = blocker_next.clone().unwrap_or_default();
                (Next::Retry(at), Some(f.message.clone()))
            }
            Err(f) => {
                let wait = match f.retry_after {
                    Some(after) => backoff(row.attempts)
                        .max(SignedDuration::try_from(after).unwrap_or(SignedDuration::MAX)),
                    None => backoff(row.attempts),
                };
                let at = format_rfc3339(now.checked_add(wait).unwrap_or(now));
                blocker_next.get_or_insert_with(|| at.clone());
                plan.retrying += 1;
                plan.last_error.get_or_insert_with(|| f.message.clone());
                (Next::Retry(at), Some(f.message.clone()))
            }
        };
        plan.transitions.push(Transition {
            row: row.id,
            next,
            attempts,
            error,
        });
    }
    plan
}

/// Records `plan`'s transitions for `adapter`, stamped `stamp`, in one transaction.
fn apply(store: &mut Store, adapter: &str, plan: &Plan, stamp: &str) -> Result<(), StoreError> {
    store.write(|db| -> Result<(), StoreError> {
        let outbox = db.outbox();
        for t in &plan.transitions {
            let (status, next_at) = match &t.next {
                Next::Done => ("done", None),
                Next::Retry(at) => ("retry", Some(at.as_str())),
                Next::Dead => ("dead", None),
            };
            let attempt = Attempt {
                status,
                attempts: t.attempts,
                next_at,
                error: t.error.as_deref(),
            };
            outbox.record(t.row, adapter, &attempt, stamp)?;
        }
        Ok(())
    })
}

/// What one `sync` did for one adapter.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct SyncOutcome {
    pub adapter: String,
    pub delivered: u64,
    pub retrying: u64,
    pub dead: u64,
    /// Rows still waiting (including those whose retry time has not come).
    pub pending: i64,
    pub last_error: Option<String>,
}

/// Delivers the pending rows of one adapter through `backend`; with `once`, one batch. Stops
/// at the first batch with a row to retry (it waits for its retry time); dead-lettered rows
/// do not stop it. Failures are recorded and reported with `secrets` redacted.
pub fn deliver(
    store: &mut Store,
    clock: &Clock,
    config: &AdapterConfig,
    backend: &mut dyn Backend,
    secrets: &Secrets,
    pace: Pace,
    progress: &crate::model::progress::Sink,
) -> Result<SyncOutcome, StoreError> {
    let Pace {
        once,
        respect_backoff,
    } = pace;
    let name = config.name.get_ref().as_str();
    let kinds = kinds(config);
    let mut outcome = SyncOutcome {
        adapter: name.to_string(),
        ..SyncOutcome::default()
    };
    loop {
        let now = clock.now();
        let stamp = format_rfc3339(now);
        let due = due_by(respect_backoff, &stamp);
        let rows = store.read().outbox().pending(name, &kinds, due, BATCH)?;
        if rows.is_empty() {
            break;
        }
        let results: Vec<Result<(), Failure>> = backend
            .deliver(&rows)
            .into_iter()
            .map(|r| r.map_err(|f| f.redacted(secrets)))
            .collect();
        let plan = plan(&rows, &results, now, config.max_attempts);
        apply(store, name, &plan, &stamp)?;
        outcome.delivered += plan.delivered;
        if let Some(p) = progress {
            p.advance(plan.delivered);
        }
        outcome.retrying += plan.retrying;
        outcome.dead += plan.dead;
        if outcome.last_error.is_none() {
            outcome.last_error = plan.last_error.clone();
        }
        if plan.blocked() || once {
            break;
        }
    }
    outcome.pending = store.read().outbox().state(name, &kinds)?.pending;
    Ok(outcome)
}

/// The retry time up to which pending rows are tried: by hand every pending row now (the
/// operator just fixed the backend); with `respect_backoff` (cron) only the rows whose retry
/// time has come by `now`.
fn due_by(respect_backoff: bool, now: &str) -> &str {
    if respect_backoff {
        now
    } else {
        "9999-12-31T23:59:59Z"
    }
}

/// What `sync --dry-run` says of one adapter: the rows a `sync` would try now, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SyncPreview {
    pub adapter: String,
    pub would_send: u64,
    /// The rows it would send, counted by outbox kind (`audit`, `alert`, `metrics`, ...).
    pub by_kind: std::collections::BTreeMap<String, u64>,
    /// Rows left waiting for their retry time (`--respect-backoff`) or for a later batch
    /// (`--once`).
    pub waiting: i64,
}

/// The rows `deliver` would try now with `pace`, without sending anything.
pub fn preview(
    store: &Store,
    clock: &Clock,
    config: &AdapterConfig,
    pace: Pace,
) -> Result<SyncPreview, StoreError> {
    let name = config.name.get_ref().as_str();
    let kinds = kinds(config);
    let stamp = format_rfc3339(clock.now());
    let due = due_by(pace.respect_backoff, &stamp);
    let limit = if pace.once { BATCH } else { u32::MAX };
    let db = store.read();
    let rows = db.outbox().pending(name, &kinds, due, limit)?;
    let mut by_kind = std::collections::BTreeMap::new();
    for row in &rows {
        *by_kind.entry(row.kind.clone()).or_insert(0) += 1;
    }
    let pending = db.outbox().state(name, &kinds)?.pending;
    Ok(SyncPreview {
        adapter: name.to_string(),
        would_send: rows.len() as u64,
        by_kind,
        waiting: pending - rows.len() as i64,
    })
}

/// How far a `sync` goes: one batch per adapter or all (`once`), and whether a failed row
/// waits out its retry time (`respect_backoff`, as cron should) or is tried now.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pace {
    pub once: bool,
    pub respect_backoff: bool,
}

/// What `status` learns of one adapter: whether its server answers, and its queue.
#[derive(Debug)]
pub struct Probe {
    pub reachable: Result<(), String>,
    pub queue: Result<QueueState, StoreError>,
}

/// Probes `backend` (does it answer?) and reads the adapter's queue; its errors with
/// `secrets` redacted (a last error recorded by an older version may still hold one).
pub fn probe(
    store: &Store,
    config: &AdapterConfig,
    backend: &dyn Backend,
    secrets: &Secrets,
) -> Probe {
    let kinds = kinds(config);
    let redact = |text: String| secrets.redact(&text).into_owned();
    Probe {
        reachable: backend.reachable().map_err(redact),
        queue: store
            .read()
            .outbox()
            .state(config.name.get_ref(), &kinds)
            .map(|mut q| {
                q.last_error = q.last_error.map(redact);
                q
            }),
    }
}

#[cfg(test)]
mod tests;
