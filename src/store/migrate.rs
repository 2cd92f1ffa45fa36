//! The schema: append-only migrations on `PRAGMA user_version`, applied when a file is opened.

use rusqlite::TransactionBehavior;

use super::{Store, StoreError};

/// Append-only: never edit a migration that has shipped, only add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_flows.sql"),
    include_str!("migrations/0003_policy.sql"),
    include_str!("migrations/0004_signals.sql"),
    include_str!("migrations/0005_cost.sql"),
    include_str!("migrations/0006_perf.sql"),
    include_str!("migrations/0007_outbox.sql"),
    include_str!("migrations/0008_metrics.sql"),
    include_str!("migrations/0009_cost_without_rowid.sql"),
    include_str!("migrations/0010_decision_cache.sql"),
    include_str!("migrations/0011_content_hash.sql"),
    include_str!("migrations/0012_decisions_append_only.sql"),
    include_str!("migrations/0013_cost_credits.sql"),
    include_str!("migrations/0014_audit_tree.sql"),
];

impl Store {
    /// The schema version of this binary.
    pub fn known_version() -> i64 {
        MIGRATIONS.len() as i64
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sql_err(e))
    }

    /// Applies the migrations the file lacks, each in its own `BEGIN IMMEDIATE` transaction
    /// that re-reads the version, so concurrent first opens apply each migration once.
    pub(super) fn migrate(&mut self) -> Result<(), StoreError> {
        let known = Store::known_version();
        // The common case, a file already at this version, needs no write lock.
        if self.schema_version()? == known {
            return Ok(());
        }
        loop {
            let path = self.path.clone();
            let sql = |source| StoreError::Sql {
                path: path.clone(),
                source,
            };
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let found: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(sql)?;
            if found > known {
                return Err(StoreError::TooNew {
                    path: path.clone(),
                    found,
                    known,
                });
            }
            if found == known {
                return Ok(());
            }
            tx.execute_batch(MIGRATIONS[found as usize]).map_err(sql)?;
            tx.pragma_update(None, "user_version", found + 1)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let schema = |s: &Store| -> Vec<String> {
            let mut stmt = s
                .conn
                .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let first = Store::open(&path).unwrap();
        let before = schema(&first);
        drop(first);
        let mut second = Store::open(&path).unwrap();
        second.migrate().unwrap();
        assert_eq!(schema(&second), before);
        assert_eq!(second.schema_version().unwrap(), Store::known_version());
    }

    #[test]
    fn cost_rollups_keep_their_rows_when_they_lose_their_rowid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        // A file as a binary of schema 8 left it, with rows in each rollup.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..8] {
            conn.execute_batch(migration).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 8;
             INSERT INTO cost_daily VALUES ('2025-01-02', 'acme', 'api', 'prod', 'eu-west-1',
                 'AWS', 3, 5, 2, 7, 0, 0, 4);
             INSERT INTO cost_daily VALUES ('2025-01-02', '', 'db', 'dev', '-', 'Oracle',
                 1, 0, 1, 0, 9, 1, 1);
             INSERT INTO cost_monthly VALUES ('2025-01', 'acme', 'api', 'prod', 'eu-west-1',
                 'AWS', 3, 5, 2, 7, 0, 0, 4);
             INSERT INTO cost_drivers VALUES ('2025-01-02', 'acme', 'resource', 'i-1', 2, 7);
             INSERT INTO cost_drivers_monthly VALUES ('2025-01', 'acme', 'service', 'EC2', 2, 7);",
        )
        .unwrap();
        let dump = |conn: &rusqlite::Connection, table: &str| -> Vec<String> {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3, 4"))
                .unwrap();
            // The columns of schema 8 (0013 added the credit columns, zero on old rows).
            let kept: Vec<usize> = (0..stmt.column_count())
                .filter(|&i| !stmt.column_name(i).unwrap().starts_with("credit_"))
                .collect();
            stmt.query_map([], |r| {
                kept.iter()
                    .map(|&i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let tables = [
            "cost_daily",
            "cost_monthly",
            "cost_drivers",
            "cost_drivers_monthly",
        ];
        let before: Vec<Vec<String>> = tables.iter().map(|t| dump(&conn, t)).collect();
        drop(conn);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        let after: Vec<Vec<String>> = tables.iter().map(|t| dump(&store.conn, t)).collect();
        assert_eq!(after, before);
        assert_eq!(before[0].len(), 2);
        for table in tables {
            let sql: String = store
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(sql.ends_with("WITHOUT ROWID"), "{table}: {sql}");
        }
        assert!(store.integrity_check().unwrap().is_empty());
    }
    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let store = Store::open(&path).unwrap();
        store
            .conn
            .pragma_update(None, "user_version", Store::known_version() + 1)
            .unwrap();
        drop(store);
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("newer than this maestro-cli knows")
        );
    }
}
