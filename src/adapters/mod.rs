//! Remote backends, reached only from the outbox: commands write outbox rows in the same
//! transaction as their change, and `sync` delivers them here, per adapter, in order, with
//! retries and exponential backoff, and a dead letter after `max_attempts`. A backend that is
//! down delays delivery; it never fails a command nor loses a row.
//!
//! - [`syslog`]: RFC 5424 over TCP (audit events, security alerts), for a SIEM.

pub mod syslog;

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
}

/// A remote backend.
pub trait Backend {
    /// The outbox kinds it can take.
    fn kinds(&self) -> &'static [&'static str];
    /// Delivers `rows` in order; one result per row.
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>>;
    /// Whether it answers at all (for `status`).
    fn reachable(&self) -> Result<(), String>;
}

pub fn backend(config: &AdapterConfig) -> Box<dyn Backend> {
    match config.kind {
        AdapterKind::Syslog => Box::new(syslog::Syslog::new(config)),
    }
}

/// The kinds an adapter receives: its `events`, or all its backend can take.
pub fn kinds<'a>(config: &'a AdapterConfig, backend: &dyn Backend) -> Vec<&'a str> {
    match &config.events {
        Some(events) => events.iter().map(String::as_str).collect(),
        None => backend.kinds().to_vec(),
    }
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
/// batch each. Stops an adapter's run at its first failed batch (the failed rows wait for
/// their retry time).
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
        let kinds = kinds(config, backend.as_ref());
        let mut outcome = SyncOutcome {
            adapter: name.clone(),
            ..SyncOutcome::default()
        };
        loop {
            let now = ctx.clock.now();
            let stamp = crate::clock::format_rfc3339(now);
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
                    for (row, result) in rows.iter().zip(&results) {
                        let attempts = row.attempts + 1;
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
                            Err(f) if f.permanent || attempts >= i64::from(config.max_attempts) => {
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("dead", None, Some(&f.message)),
                                    &stamp,
                                )?;
                                outcome.dead += 1;
                                outcome.last_error = Some(f.message.clone());
                                failed = true;
                            }
                            Err(f) => {
                                let next = crate::clock::format_rfc3339(
                                    now.checked_add(backoff(row.attempts)).unwrap_or(now),
                                );
                                outbox.record(
                                    row.id,
                                    &name,
                                    &attempt("retry", Some(&next), Some(&f.message)),
                                    &stamp,
                                )?;
                                outcome.retrying += 1;
                                outcome.last_error = Some(f.message.clone());
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
