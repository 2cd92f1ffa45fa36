//! [`Db`], the handle every query runs on: a plain read, or a `BEGIN IMMEDIATE` write
//! transaction that commits only when its body succeeds.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{
    AuditRows, CostRows, DecisionCache, Decisions, FlowRows, MetricRows, Outbox, PerfRows,
    Principals, SignalRows, Store, StoreError, Tenants,
};

impl Store {
    /// Lets SQLite's page cache grow for a transaction of about `rows` inserted rows (up to
    /// 64 MiB), so that a big batch is not spilled to the WAL page by page before it commits.
    pub fn grow_cache_for(&self, rows: usize) {
        let kib = (rows / 2).clamp(2_048, 65_536);
        let _ = self
            .conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"));
    }

    /// A read view over the current state.
    pub fn read(&self) -> Db<'_> {
        Db {
            conn: &self.conn,
            path: &self.path,
            tenant_heads: &self.tenant_heads,
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed if it returns `Ok`,
    /// rolled back (nothing changed) if it returns `Err`.
    pub fn write<T, E>(&mut self, body: impl FnOnce(&Db<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Sql {
                path: path.clone(),
                source,
            })?;
        let value = body(&Db {
            conn: &tx,
            path: &path,
            tenant_heads: &self.tenant_heads,
        })?;
        tx.commit()
            .map_err(|source| StoreError::Sql { path, source })?;
        Ok(value)
    }
}

/// A JSON array of tenant ids for `json_each`, or `NULL` for every tenant.
pub(super) fn tenants_json(tenants: &Option<Vec<crate::model::ids::TenantId>>) -> Option<String> {
    tenants.as_ref().map(|ts| {
        serde_json::Value::from(ts.iter().map(|t| t.as_str()).collect::<Vec<_>>()).to_string()
    })
}

/// A connection inside a transaction (or a plain read), with the typed query groups.
pub struct Db<'a> {
    pub(super) conn: &'a Connection,
    pub(super) path: &'a Path,
    pub(super) tenant_heads: &'a std::cell::RefCell<super::audit::TenantHeads>,
}

impl<'a> Db<'a> {
    /// The state file.
    pub fn path(&self) -> &Path {
        self.path
    }

    pub fn tenants(&self) -> Tenants<'_> {
        Tenants { db: self }
    }

    pub fn principals(&self) -> Principals<'_> {
        Principals { db: self }
    }

    pub fn audit(&self) -> AuditRows<'_> {
        AuditRows { db: self }
    }

    pub fn decisions(&self) -> Decisions<'_> {
        Decisions { db: self }
    }

    pub fn decision_cache(&self) -> DecisionCache<'_> {
        DecisionCache { db: self }
    }

    pub fn flows(&self) -> FlowRows<'_> {
        FlowRows { db: self }
    }

    pub fn cost(&self) -> CostRows<'_> {
        CostRows { db: self }
    }

    pub fn outbox(&self) -> Outbox<'_> {
        Outbox { db: self }
    }

    pub fn metrics(&self) -> MetricRows<'_> {
        MetricRows { db: self }
    }

    pub fn perf(&self) -> PerfRows<'_> {
        PerfRows { db: self }
    }

    pub fn signals(&self) -> SignalRows<'_> {
        SignalRows { db: self }
    }

    /// Runs `body` in a savepoint inside the current transaction. `body` returns its value
    /// and whether to keep its writes; when not, they are rolled back and the transaction
    /// goes on.
    pub fn savepoint<T>(&self, body: impl FnOnce(&Db<'_>) -> (T, bool)) -> Result<T, StoreError> {
        self.conn
            .execute_batch("SAVEPOINT step")
            .map_err(|e| self.err(e))?;
        let (value, keep) = body(self);
        let sql = if keep {
            "RELEASE step"
        } else {
            "ROLLBACK TO step; RELEASE step"
        };
        self.conn.execute_batch(sql).map_err(|e| self.err(e))?;
        Ok(value)
    }

    pub(super) fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.to_path_buf(),
            source,
        }
    }

    /// A `Corrupt` error that names this state file.
    pub fn corrupt(&self, detail: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            detail: detail.into(),
        }
    }
}
