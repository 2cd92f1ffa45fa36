//! Queries on the outbox and its deliveries.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Db, StoreError};
pub use crate::model::outbox::OutboxRow;

pub struct Outbox<'a> {
    pub(super) db: &'a Db<'a>,
}

/// The outcome of a delivery attempt: `done`, `retry` (not before `next_at`) or `dead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt<'a> {
    pub status: &'a str,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub next_at: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// A delivery that gave up, as `sync:dead` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeadRow {
    pub id: i64,
    pub adapter: String,
    pub kind: String,
    pub tenant_id: Option<String>,
    pub idem_key: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: String,
}

/// An adapter's queue, for `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct QueueState {
    pub pending: i64,
    pub dead: i64,
    /// Deliveries whose last attempt failed, not delivered since (retried or dead).
    pub failed: i64,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
}

/// A row of `id, kind, tenant_id, idem_key, payload, created_at, attempts`.
fn outbox_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        tenant_id: r.get(2)?,
        idem_key: r.get(3)?,
        payload: r.get(4)?,
        created_at: r.get(5)?,
        attempts: r.get(6)?,
    })
}

fn kinds_json(kinds: &[&str]) -> String {
    serde_json::Value::from(kinds.to_vec()).to_string()
}

impl Outbox<'_> {
    /// Queues a change for the backends; a key already queued is ignored (`false`).
    pub fn enqueue(
        &self,
        kind: &str,
        tenant_id: Option<&str>,
        idem_key: &str,
        payload: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let inserted = self
            .db
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO outbox (kind, tenant_id, idem_key, payload, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut st| st.execute(params![kind, tenant_id, idem_key, payload, at]))
            .map_err(|e| self.db.err(e))?;
        Ok(inserted > 0)
    }

    /// Up to `limit` rows of `kinds` that `adapter` has not delivered nor given up on, and
    /// whose retry time (if any) has come, oldest first.
    pub fn pending(
        &self,
        adapter: &str,
        kinds: &[&str],
        now: &str,
        limit: u32,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "SELECT o.id, o.kind, o.tenant_id, o.idem_key, o.payload, o.created_at,
                        coalesce(d.attempts, 0)
                   FROM outbox o
                   LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.adapter = ?1
                  WHERE o.kind IN (SELECT value FROM json_each(?2))
                    AND (d.status IS NULL OR (d.status = 'retry' AND d.next_at <= ?3))
                  ORDER BY o.id
                  LIMIT ?4",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![adapter, kinds_json(kinds), now, limit], outbox_row)
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// Records an attempt's outcome.
    pub fn record(
        &self,
        id: i64,
        adapter: &str,
        a: &Attempt<'_>,
        at: &str,
    ) -> Result<(), StoreError> {
        self.db
            .conn
            .prepare_cached(
                "INSERT INTO outbox_deliveries (outbox_id, adapter, status, attempts, next_at,
                     last_error, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (outbox_id, adapter) DO UPDATE SET status = ?3, attempts = ?4,
                     next_at = ?5, last_error = ?6, updated_at = ?7",
            )
            .and_then(|mut st| {
                st.execute(params![
                    id, adapter, a.status, a.attempts, a.next_at, a.error, at
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// The earliest retry time still ahead for `adapter`.
    pub fn next_retry(&self, adapter: &str) -> Result<Option<String>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT min(next_at) FROM outbox_deliveries WHERE adapter = ?1 AND status = 'retry'",
                params![adapter],
                |r| r.get(0),
            )
            .map_err(|e| self.db.err(e))
    }

    pub fn dead(&self, adapter: Option<&str>) -> Result<Vec<DeadRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT o.id, d.adapter, o.kind, o.tenant_id, o.idem_key, d.attempts,
                        d.last_error, d.updated_at
                   FROM outbox_deliveries d JOIN outbox o ON o.id = d.outbox_id
                  WHERE d.status = 'dead' AND (?1 IS NULL OR d.adapter = ?1)
                  ORDER BY o.id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![adapter], |r| {
                Ok(DeadRow {
                    id: r.get(0)?,
                    adapter: r.get(1)?,
                    kind: r.get(2)?,
                    tenant_id: r.get(3)?,
                    idem_key: r.get(4)?,
                    attempts: r.get(5)?,
                    last_error: r.get(6)?,
                    updated_at: r.get(7)?,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// The payload of the newest row of `kind` for `tenant`.
    pub fn last_payload(&self, kind: &str, tenant: &str) -> Result<Option<String>, StoreError> {
        self.db
            .conn
            .prepare_cached(
                "SELECT payload FROM outbox WHERE kind = ?1 AND tenant_id = ?2
                  ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut st| st.query_row(params![kind, tenant], |r| r.get(0)).optional())
            .map_err(|e| self.db.err(e))
    }

    /// The payloads of `kind` whose key starts with `prefix`, oldest first.
    pub fn payloads(&self, kind: &str, prefix: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "SELECT payload FROM outbox
                  WHERE kind = ?1 AND substr(idem_key, 1, length(?2)) = ?2 ORDER BY id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![kind, prefix], |r| r.get(0))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// Every row of `kinds`, oldest first (for `intelgraph:export`); stops at `f`'s first
    /// error.
    pub fn for_each<E: From<StoreError>>(
        &self,
        kinds: &[&str],
        mut f: impl FnMut(OutboxRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT id, kind, tenant_id, idem_key, payload, created_at, 0 FROM outbox
                  WHERE kind IN (SELECT value FROM json_each(?1)) ORDER BY id",
            )
            .map_err(|e| self.db.err(e))?;
        let mut rows = stmt
            .query(params![kinds_json(kinds)])
            .map_err(|e| self.db.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            f(outbox_row(r).map_err(|e| self.db.err(e))?)?;
        }
        Ok(())
    }

    /// Puts a dead delivery back in the queue; returns how many were requeued.
    pub fn requeue(&self, id: i64, adapter: Option<&str>) -> Result<usize, StoreError> {
        self.db
            .conn
            .execute(
                "DELETE FROM outbox_deliveries
                  WHERE outbox_id = ?1 AND status = 'dead' AND (?2 IS NULL OR adapter = ?2)",
                params![id, adapter],
            )
            .map_err(|e| self.db.err(e))
    }

    /// Pending, dead and failed counts, last success and last error of `adapter` over `kinds`.
    pub fn state(&self, adapter: &str, kinds: &[&str]) -> Result<QueueState, StoreError> {
        let (pending, dead, failed) = self
            .db
            .conn
            .query_row(
                "SELECT
                    (SELECT count(*) FROM outbox o
                      LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.adapter = ?1
                      WHERE o.kind IN (SELECT value FROM json_each(?2))
                        AND (d.status IS NULL OR d.status = 'retry')),
                    (SELECT count(*) FROM outbox_deliveries WHERE adapter = ?1 AND status = 'dead'),
                    (SELECT count(*) FROM outbox_deliveries
                      WHERE adapter = ?1 AND status IN ('retry', 'dead') AND attempts > 0)",
                params![adapter, kinds_json(kinds)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.db.err(e))?;
        let last = |status: &str| -> Result<Option<(String, Option<String>)>, StoreError> {
            self.db
                .conn
                .query_row(
                    "SELECT updated_at, last_error FROM outbox_deliveries
                      WHERE adapter = ?1 AND status = ?2 ORDER BY updated_at DESC LIMIT 1",
                    params![adapter, status],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(|e| self.db.err(e))
        };
        Ok(QueueState {
            pending,
            dead,
            failed,
            last_success: last("done")?.map(|(at, _)| at),
            last_error: match (last("retry")?, last("dead")?) {
                (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
                (a, b) => a.or(b),
            }
            .and_then(|(at, e)| e.map(|e| format!("{at}: {e}"))),
        })
    }
}
