//! Remote backends, reached only from the outbox: commands write outbox rows in the same
//! transaction as their change, and `sync` delivers them here, per adapter, in order, with
//! retries and exponential backoff (or the server's `Retry-After`), and a dead letter for
//! rows a backend refuses for good or after `max_attempts`. A backend that is down delays
//! delivery; it never fails a command nor loses a row.
//!
//! - [`syslog`]: RFC 5424 over TCP (audit events, security alerts), for a SIEM;
//! - [`pushgateway`], [`victoriametrics`]: each tenant's metrics (see `crate::metrics`);
//! - [`loki`]: audit events and alerts as log lines labelled `tenant_id` and `kind`;
//! - [`neo4j`]: IntelGraph, the Cypher statements of `crate::intelgraph`;
//! - [`grafana`]: the dashboards `dashboard:publish` queues;
//! - [`webhook`]: alerts and audit events as JSON signed with HMAC-SHA256.
//!
//! Tokens come from the environment variable `token_env` names, at delivery time, in a
//! [`secret::Secret`] that never prints.

pub mod exposition;
pub mod grafana;
pub mod http;
pub mod loki;
pub mod neo4j;
pub mod pushgateway;
pub mod secret;
pub mod syslog;
pub mod victoriametrics;
pub mod webhook;

use std::time::Duration;

use serde::Serialize;

use crate::config::{AdapterConfig, AdapterKind};
use crate::context::Context;
use crate::store::{Attempt, OutboxRow};
use crate::tenant::{Action, users};

/// Why a delivery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `true`: retrying cannot help (the row goes to the dead letter at once).
    pub permanent: bool,
    pub message: String,
    /// The server's `Retry-After`, when it gave one.
    pub retry_after: Option<Duration>,
    /// `false`: the row was not sent at all (it waits behind an earlier one); its attempts
    /// do not grow.
    pub tried: bool,
}

impl Failure {
    pub fn retry(message: impl Into<String>) -> Failure {
        Failure {
            permanent: false,
            message: message.into(),
            retry_after: None,
            tried: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Failure {
        Failure {
            permanent: true,
            ..Failure::retry(message)
        }
    }

    /// A row not sent because an earlier one of its batch must be retried first.
    pub fn waiting() -> Failure {
        Failure {
            tried: false,
            ..Failure::retry("waiting behind an earlier row that is retried")
        }
    }
}

/// A remote backend.
pub trait Backend {
    /// Delivers `rows` in order; one result per row.
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>>;
    /// Whether it answers at all (for `status`).
    fn reachable(&self) -> Result<(), String>;
}

pub fn backend(config: &AdapterConfig) -> Box<dyn Backend> {
    match config.kind {
        AdapterKind::Syslog => Box::new(syslog::Syslog::new(config)),
        AdapterKind::Pushgateway => Box::new(pushgateway::Pushgateway::new(config)),
        AdapterKind::Victoriametrics => Box::new(victoriametrics::VictoriaMetrics::new(config)),
        AdapterKind::Loki => Box::new(loki::Loki::new(config)),
        AdapterKind::Neo4j => Box::new(neo4j::Neo4j::new(config)),
        AdapterKind::Grafana => Box::new(grafana::Grafana::new(config)),
        AdapterKind::Webhook => Box::new(webhook::Webhook::new(config)),
    }
}

/// The kinds an adapter receives: its `events`, or all its backend can take.
pub fn kinds(config: &AdapterConfig) -> Vec<&str> {
    match &config.events {
        Some(events) => events.iter().map(String::as_str).collect(),
        None => config.kind.outbox_kinds().to_vec(),
    }
}

/// Delivers `rows` one at a time with `send`, in order: after a failure that may pass, the
/// rest of the batch waits too (order is kept); a row refused for good does not hold the
/// others back.
pub fn one_by_one(
    rows: &[OutboxRow],
    mut send: impl FnMut(&OutboxRow) -> Result<(), Failure>,
) -> Vec<Result<(), Failure>> {
    let mut blocked = false;
    rows.iter()
        .map(|row| {
            if blocked {
                return Err(Failure::waiting());
            }
            let result = send(row);
            if matches!(&result, Err(f) if !f.permanent) {
                blocked = true;
            }
            result
        })
        .collect()
}

/// What a command puts in the outbox for the backends, with the audit event that records it.
pub struct Queued<'a> {
    pub kind: &'a str,
    pub tenant_id: Option<&'a str>,
    /// The idempotency key: a row with a key already queued is not queued again.
    pub key: String,
    pub payload: String,
}

/// Queues `row` and, when it is new, appends `event`; `false` when that key was queued
/// before (nothing changes). Call inside the command's write transaction.
pub fn queue_audited(
    db: &crate::store::Db<'_>,
    clock: &crate::model::clock::Clock,
    row: &Queued<'_>,
    event: crate::audit::NewEvent,
) -> Result<bool, crate::store::StoreError> {
    let queued = db.outbox().enqueue(
        row.kind,
        row.tenant_id,
        &row.key,
        &row.payload,
        &clock.now_rfc3339(),
    )?;
    if queued {
        crate::audit::append(db, clock, event)?;
    }
    Ok(queued)
}

/// `payload` as JSON, or a permanent failure naming the row.
pub fn parse<T: serde::de::DeserializeOwned>(row: &OutboxRow) -> Result<T, Failure> {
    serde_json::from_str(&row.payload).map_err(|e| {
        Failure::permanent(format!(
            "outbox row {} ({}) is not valid: {e}",
            row.id, row.kind
        ))
    })
}

/// Rows read from the outbox at a time.
const BATCH: u32 = 500;

/// The wait before attempt `attempts + 1`: 1 s doubling up to 5 minutes.
fn backoff(attempts: i64) -> jiff::SignedDuration {
    let seconds = 1i64 << attempts.clamp(0, 9);
    jiff::SignedDuration::from_secs(seconds.min(300))
}

/// What one `sync` did for one adapter.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncOutcome {
    pub adapter: String,
    pub delivered: u64,
    pub retrying: u64,
    pub dead: u64,
    /// Rows still waiting (including those whose retry time has not come).
    pub pending: i64,
    pub last_error: Option<String>,
}

/// Delivers the pending rows of each configured adapter (or only `only`); with `once`, one
/// batch each. Stops an adapter's run at the first batch with a row to retry (it waits for
/// its retry time); dead-lettered rows do not stop it.
pub fn sync(ctx: &mut Context, only: Option<&str>, once: bool) -> anyhow::Result<Vec<SyncOutcome>> {
    users::check(ctx, Action::Sync, None)?;
    let configs: Vec<AdapterConfig> = ctx
        .config
        .adapters
        .iter()
        .filter(|a| only.is_none_or(|n| a.name.get_ref() == n))
        .cloned()
        .collect();
    if let Some(name) = only
        && configs.is_empty()
    {
        anyhow::bail!("no adapter named `{name}` in [[adapters]] of the configuration");
    }
    let mut outcomes = Vec::new();
    for config in &configs {
        let name = config.name.get_ref().clone();
        let mut backend = backend(config);
        let kinds = kinds(config);
        let mut outcome = SyncOutcome {
            adapter: name.clone(),
            ..SyncOutcome::default()
        };
        loop {
            let now = ctx.clock.now();
            let stamp = crate::model::clock::format_rfc3339(now);
            let rows = ctx
                .store
                .read()
                .outbox()
                .pending(&name, &kinds, &stamp, BATCH)?;
            if rows.is_empty() {
                break;
            }
            let results = backend.deliver(&rows);
            let mut failed = false;
            ctx.store
                .write(|db| -> Result<(), crate::store::StoreError> {
                    let outbox = db.outbox();
                    let mut blocker_next: Option<String> = None;
                    for (row, result) in rows.iter().zip(&results) {
                        let tried = result.as_ref().err().is_none_or(|f| f.tried);
                        let attempts = row.attempts + i64::from(tried);
                        let attempt = |status, next_at, error| Attempt {
                            status,
                            attempts,
                            next_at,
                            error,
                        };
                        match result {
                            Ok(()) => {
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("done", None, None),
                                    &stamp,
                                )?;
                                outcome.delivered += 1;
                            }
                            // Refused for good, again and again: the dead letter, so that the
                            // rest flow. A backend that is down is waited for, however long.
                            Err(f) if f.permanent && attempts >= i64::from(config.max_attempts) => {
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("dead", None, Some(&f.message)),
                                    &stamp,
                                )?;
                                outcome.dead += 1;
                                outcome.last_error.get_or_insert_with(|| f.message.clone());
                            }
                            // Not sent: it waits as long as the row it waits behind.
                            Err(f) if !f.tried && blocker_next.is_some() => {
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("retry", blocker_next.as_deref(), Some(&f.message)),
                                    &stamp,
                                )?;
                                outcome.retrying += 1;
                                failed = true;
                            }
                            Err(f) => {
                                let wait = match f.retry_after {
                                    Some(after) => backoff(row.attempts).max(
                                        jiff::SignedDuration::try_from(after)
                                            .unwrap_or(jiff::SignedDuration::MAX),
                                    ),
                                    None => backoff(row.attempts),
                                };
                                let next = crate::model::clock::format_rfc3339(
                                    now.checked_add(wait).unwrap_or(now),
                                );
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("retry", Some(&next), Some(&f.message)),
                                    &stamp,
                                )?;
                                blocker_next.get_or_insert(next);
                                outcome.retrying += 1;
                                outcome.last_error.get_or_insert_with(|| f.message.clone());
                                failed = true;
                            }
                        }
                    }
                    Ok(())
                })?;
            if failed || once {
                break;
            }
        }
        outcome.pending = ctx.store.read().outbox().state(&name, &kinds)?.pending;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        assert_eq!(backoff(0).as_secs(), 1);
        assert_eq!(backoff(3).as_secs(), 8);
        assert_eq!(backoff(20).as_secs(), 300);
    }
}
