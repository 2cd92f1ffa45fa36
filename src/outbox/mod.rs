//! The outbox: how a change reaches the remote backends without ever depending on them.
//!
//! A command queues what the backends must learn (audit events, security alerts, tenants'
//! metrics snapshots, commit signals, graph statements, dashboards) with [`enqueue`], in the
//! same transaction as its change: either both are recorded or neither. `sync` then delivers
//! the rows per adapter ([`sync`]): read the pending rows → hand them to the adapter's
//! [`Backend`] → a pure [`sync::plan`] turns the outcomes into transitions (done, retry at a
//! time, dead letter) → apply them in one transaction. A backend that is down delays
//! delivery; it never fails a command nor loses a row.
//!
//! - [`backend`]: the interface every adapter implements, and its failures;
//! - [`payload`]: the payloads whose shape a backend reads (metrics, graph statements);
//! - [`redact`]: the adapters' secrets, in every encoding, out of every error text;
//! - [`sync`]: delivery, its pure plan, and the probe `status` runs.

pub mod backend;
pub mod payload;
pub mod redact;
pub mod sync;

pub use backend::{Backend, Failure, one_by_one, parse};
pub use redact::Secrets;

use crate::model::clock::Clock;
use crate::store::{Db, StoreError};

/// A row to queue for the backends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued<'a> {
    /// What it is (`audit`, `alert`, `metrics`, `commits`, `graph-schema`, `dashboard`): the
    /// adapters pick rows by kind.
    pub kind: &'a str,
    pub tenant_id: Option<&'a str>,
    /// The idempotency key: a row with a key already queued is not queued again.
    pub key: String,
    pub payload: String,
}

/// Queues `row`, stamped now; `false` when its key was queued before (nothing changes). The
/// only way into the outbox; call inside the command's write transaction.
pub fn enqueue(db: &Db<'_>, clock: &Clock, row: &Queued<'_>) -> Result<bool, StoreError> {
    enqueue_at(db, row, &clock.now_rfc3339())
}

/// [`enqueue`] with the row's time given (the time of the change it reports).
pub fn enqueue_at(db: &Db<'_>, row: &Queued<'_>, at: &str) -> Result<bool, StoreError> {
    db.outbox()
        .enqueue(row.kind, row.tenant_id, &row.key, &row.payload, at)
}
