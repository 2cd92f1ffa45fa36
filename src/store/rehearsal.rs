//! A dry run's rehearsal: the command runs against a copy of the state, and what it changed
//! there is read back by comparing the copy with the original.

use std::path::Path;

use serde::Serialize;

use super::{Db, DecisionRow, Store, StoreError};
use crate::model::audit::AuditEvent;

impl Store {
    /// Copies the state, page for page, to a new file at `path` (SQLite's online backup: a
    /// consistent snapshot, with every row's id as it is).
    pub fn copy_to(&self, path: &Path) -> Result<(), StoreError> {
        self.conn
            .backup(
                rusqlite::MAIN_DB,
                path,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| self.read().err(e))
    }
}

/// What a rehearsal changed: the audit events and decisions it recorded, and the tables whose
/// row count it changed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Changes {
    pub audit: Vec<AuditEvent>,
    pub decisions: Vec<DecisionRow>,
    pub tables: Vec<TableChange>,
}

/// A table whose number of rows a rehearsal changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TableChange {
    pub table: String,
    pub before: u64,
    pub after: u64,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.audit.is_empty() && self.decisions.is_empty() && self.tables.is_empty()
    }
}

/// What `after` (a rehearsal's copy of `before`) holds that `before` does not.
pub fn changes(before: &Db<'_>, after: &Db<'_>) -> Result<Changes, StoreError> {
    let head = before.audit().head()?.map_or(0, |(seq, _)| seq);
    let mut tables = Vec::new();
    for table in table_names(after)? {
        let (b, a) = (count(before, &table)?, count(after, &table)?);
        if a != b {
            tables.push(TableChange {
                table,
                before: b,
                after: a,
            });
        }
    }
    Ok(Changes {
        audit: after.audit().after(head)?,
        decisions: after.decisions().after(head)?,
        tables,
    })
}

fn table_names(db: &Db<'_>) -> Result<Vec<String>, StoreError> {
    let mut stmt = db
        .conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )
        .map_err(|e| db.err(e))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| db.err(e))?;
    rows.collect::<Result<_, _>>().map_err(|e| db.err(e))
}

/// Rows of `table` (both sides are opened, and so migrated, by `Store::open`: the same tables).
fn count(db: &Db<'_>, table: &str) -> Result<u64, StoreError> {
    let quoted = table.replace('"', "\"\"");
    db.conn
        .query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n.max(0) as u64)
        .map_err(|e| db.err(e))
}
