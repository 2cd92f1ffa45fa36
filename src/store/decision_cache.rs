//! Queries on `decision_cache`, the decisions remembered across processes (see
//! `policy::cache`).

use rusqlite::{OptionalExtension, params};

use super::{Db, StoreError};

/// How many remembered decisions are kept; older ones are dropped as new ones come.
pub const KEPT: i64 = 4096;

pub struct DecisionCache<'a> {
    pub(super) db: &'a Db<'a>,
}

impl DecisionCache<'_> {
    /// The decision document remembered under `key`, as JSON text.
    pub fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.db
            .conn
            .prepare_cached("SELECT result FROM decision_cache WHERE key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(|e| self.db.err(e))
    }

    /// Remembers `result` under `key` (replacing an entry of that key) and drops what is
    /// beyond the newest [`KEPT`].
    pub fn put(&self, key: &str, result: &str) -> Result<(), StoreError> {
        let conn = self.db.conn;
        conn.prepare_cached("INSERT OR REPLACE INTO decision_cache (key, result) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![key, result]))
            .and_then(|_| {
                conn.prepare_cached("DELETE FROM decision_cache WHERE id <= ?1 - ?2")
                    .and_then(|mut s| s.execute(params![conn.last_insert_rowid(), KEPT]))
            })
            .map(|_| ())
            .map_err(|e| self.db.err(e))
    }

    /// How many decisions are remembered.
    pub fn count(&self) -> Result<i64, StoreError> {
        self.db
            .conn
            .query_row("SELECT count(*) FROM decision_cache", [], |r| r.get(0))
            .map_err(|e| self.db.err(e))
    }
}
