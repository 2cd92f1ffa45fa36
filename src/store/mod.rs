//! The one SQLite file that holds all state. This module owns every SQL statement; other
//! modules call typed functions through [`Db`] (`db.tenants().insert(..)`).
//!
//! Opening creates the file with mode 0600 before SQLite touches it, turns on WAL,
//! `synchronous=FULL`, foreign keys and a busy timeout, and applies the append-only migrations
//! on `PRAGMA user_version`. Every write runs in a `BEGIN IMMEDIATE` transaction.

mod audit;
mod cost;
mod decision_cache;
mod decisions;
mod flows;
mod metrics;
mod outbox;
mod perf;
mod principals;
mod signals;
mod tenants;

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, MAIN_DB, TransactionBehavior};

pub use audit::{AuditFilter, AuditRows, ChainLink};
pub use cost::{Column, CostFilter, CostRows, DailyKey, DriverKey, FileCounts, Grain, Sums};
pub use decision_cache::{DecisionCache, KEPT as DECISIONS_KEPT};
pub use decisions::{BatchDigest, DecisionRow, Decisions, RowTexts};
pub use flows::{AttemptRow, Deployment, FlowRows, RunFilter, RunRow, StepRow};
pub use metrics::{CostTotal, Counted, MetricRows};
pub use outbox::{Attempt, DeadRow, Outbox, OutboxRow, QueueState};
pub use perf::{Baseline, Distribution, PerfKey, PerfRows};
pub use principals::{Principals, RoleBinding};
pub use signals::{
    AlertRow, CommitRow, LogSource, RepoRow, ReportRow, SignalFilter, SignalRows, SignalSummary,
};
pub use tenants::{Boundary, Tenants};

use crate::model::Diagnostic;

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
];

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create state directory `{}`: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create state file `{}`: {source}", path.display())]
    CreateFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot sync state directory `{}`: {source}", path.display())]
    SyncDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open state file `{}`: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "state file `{}` has schema version {found}, newer than this maestro-cli knows ({known})",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("state file `{}`: {source}", path.display())]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("state file `{}` holds a value it cannot read back: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },
}

impl Diagnostic for StoreError {
    fn help(&self) -> Option<String> {
        match self {
            StoreError::TooNew { .. } => Some(
                "this state was written by a newer maestro-cli: upgrade maestro-cli, or point `--state` at another file"
                    .into(),
            ),
            StoreError::CreateDir { .. } | StoreError::CreateFile { .. } => Some(
                "choose a writable location with `--state PATH` or MAESTRO_HOME".into(),
            ),
            StoreError::Sql { source, .. } if is_busy(source) => Some(
                "another maestro-cli holds the state file for longer than the busy timeout; retry".into(),
            ),
            _ => None,
        }
    }
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// How many frames (pages) the WAL may hold when a store that wrote closes before they are
/// copied into the state file: 64 × 4 KiB, six or so policy checks.
const WAL_KEPT_FRAMES: i32 = 64;

/// The size the WAL file is cut back to when it starts over after a big transaction.
const WAL_FILE_LIMIT: i64 = 1024 * 1024;

/// An open state file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Frames in the WAL after this store's last commit (SQLite's WAL hook); 0 before one.
    wal_frames: Arc<AtomicI32>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// By default the last connection to close copies the WAL into the state file and deletes it
/// (two fsyncs and an unlink), and the next command creates it again (its header and the
/// directory fsynced): about 2 ms of a 10 ms command. Instead the WAL stays, and the next
/// open reads it back (about 0.1 ms a 64 KiB). Once a store has written and the WAL holds
/// [`WAL_KEPT_FRAMES`] or more, its close copies them into the state file and starts the WAL
/// over at its beginning, in the same file: a commit then writes over blocks the file already
/// has, and its fsync costs about half that of a commit that grows the file (0.3 against
/// 0.6 ms here). Commits are as durable either way: each one fsyncs the WAL.
impl Drop for Store {
    fn drop(&mut self) {
        if self.wal_frames.load(Ordering::Relaxed) < WAL_KEPT_FRAMES {
            return;
        }
        // Best effort, and never waiting: while another process reads an older snapshot the
        // checkpoint stops short (not after the busy timeout), and a later close tries again.
        let _ = self.conn.busy_timeout(Duration::ZERO);
        let copied = self
            .conn
            .wal_checkpoint_v2(Some(MAIN_DB), CheckpointMode::PASSIVE);
        if !matches!(copied, Ok((frames, done)) if frames == done) {
            return;
        }
        // A checkpoint leaves the WAL's frames valid, so the next process would read them
        // back and copy them again; a write after a complete checkpoint starts the WAL over
        // (a new header, and the file cut back to `WAL_FILE_LIMIT` if a big transaction grew
        // it). Rewriting the schema version as it is (read in the same transaction, so never
        // undoing a newer binary's migration) is the smallest write there is.
        let _ = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .and_then(|tx| {
                let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                tx.pragma_update(None, "user_version", version)?;
                tx.commit()
            });
    }
}

impl Store {
    /// Opens (creating if needed) the state file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let wal_was_there = wal_path(path).exists();
        create_private_file(path)?;
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            wal_frames: Arc::new(AtomicI32::new(0)),
        };
        store.configure()?;
        store.migrate()?;
        if !wal_was_there {
            // SQLite is built without its own directory syncs (`.cargo/config.toml`): it
            // would sync the directory at the first commit of every process, as it cannot
            // tell that the WAL file is not new. The WAL file stays (see `Drop`), so the
            // directory is synced here, once, when the WAL file (and a new state file) has
            // just been created (by the reads and writes of `migrate`), before any command
            // writes.
            sync_dir(path)?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&mut self) -> Result<(), StoreError> {
        let sql = |source| self.sql_err(source);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // journal_mode returns a row; WAL persists in the file once set.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: format!("journal mode is `{mode}`, WAL could not be enabled"),
            });
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(sql)?;
        // The WAL outlives the process and is copied in by `Drop`. The hook counts its frames
        // after each commit, and does what SQLite's own hook (which it replaces) did: copy them
        // in once there are 1,000, so that a long process writing many transactions (an
        // ingest, a flow) keeps the WAL short.
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .map_err(sql)?;
        self.conn
            .pragma_update(None, "journal_size_limit", WAL_FILE_LIMIT)
            .map_err(sql)?;
        let frames = Arc::clone(&self.wal_frames);
        self.conn
            .wal_hook(Some(
                move |wal: &mut rusqlite::hooks::Wal, n: std::ffi::c_int| {
                    frames.store(n, Ordering::Relaxed);
                    if n >= 1000 {
                        // As SQLite's: a checkpoint that cannot finish now is left to a later one.
                        let _ = wal.checkpoint();
                    }
                    Ok(())
                },
            ))
            .map_err(|source| self.sql_err(source))?;
        Ok(())
    }

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
    fn migrate(&mut self) -> Result<(), StoreError> {
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

    /// `PRAGMA integrity_check`: the problems SQLite finds (none when healthy).
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_err(e))?;
        let all: Vec<String> = rows
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql_err(e))?;
        Ok(all.into_iter().filter(|r| r != "ok").collect())
    }

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
        })?;
        tx.commit()
            .map_err(|source| StoreError::Sql { path, source })?;
        Ok(value)
    }

    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }
}

/// The WAL file of the state file at `path`.
fn wal_path(path: &Path) -> PathBuf {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// Makes the names in the directory of `path` durable.
fn sync_dir(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::SyncDir {
            path: dir.to_path_buf(),
            source,
        })
}

/// Creates `path` (and its directory, 0700) with mode 0600 if it does not exist yet, so the
/// database never exists with wider permissions. SQLite gives -wal/-shm the same mode.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::CreateFile {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A JSON array of tenant ids for `json_each`, or `NULL` for every tenant.
fn tenants_json(tenants: &Option<Vec<crate::model::ids::TenantId>>) -> Option<String> {
    tenants.as_ref().map(|ts| {
        serde_json::Value::from(ts.iter().map(|t| t.as_str()).collect::<Vec<_>>()).to_string()
    })
}

/// A connection inside a transaction (or a plain read), with the typed query groups.
pub struct Db<'a> {
    conn: &'a Connection,
    path: &'a Path,
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

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.to_path_buf(),
            source,
        }
    }

    fn corrupt(&self, detail: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn new_state_is_private_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("state.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

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
            let width = stmt.column_count();
            stmt.query_map([], |r| {
                (0..width)
                    .map(|i| {
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

    /// Inserts rows `from..from + n` of 500-odd bytes into a table `t`, in one transaction.
    fn insert_rows(store: &mut Store, from: usize, n: usize) {
        store
            .write(|db| -> Result<(), StoreError> {
                db.conn
                    .execute_batch("CREATE TABLE IF NOT EXISTS t (v TEXT) STRICT")
                    .unwrap();
                for i in from..from + n {
                    db.conn
                        .execute("INSERT INTO t VALUES (?1)", [format!("{i:0>500}")])
                        .unwrap();
                }
                Ok(())
            })
            .unwrap();
    }

    /// The frames of the WAL file `wal` that belong to its current header (same salts): the
    /// ones a new open reads back.
    fn live_frames(wal: &Path) -> usize {
        let bytes = std::fs::read(wal).unwrap();
        let salts = &bytes[16..24];
        bytes[32..]
            .chunks(24 + 4096)
            .take_while(|frame| frame.len() >= 24 && &frame[8..16] == salts)
            .count()
    }

    #[test]
    fn the_wal_stays_and_starts_over_in_place_once_copied_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let wal = dir.path().join("state.db-wal");
        let write = |rows: usize| insert_rows(&mut Store::open(&path).unwrap(), 0, rows);
        let count = || -> i64 {
            let store = Store::open(&path).unwrap();
            store
                .conn
                .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                .unwrap()
        };
        // The WAL file exists from the first open on (its name is made durable then) and is
        // never removed.
        drop(Store::open(&path).unwrap());
        assert!(wal.exists());
        write(10);
        // Committed, closed, and still in the WAL: a new open reads it back.
        let kept = live_frames(&wal);
        assert!(kept > 0 && kept < WAL_KEPT_FRAMES as usize, "{kept}");
        assert_eq!(count(), 10);
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Another connection reading an older snapshot: the close cannot copy the frames it
        // may still need, so the WAL keeps them...
        let reader = rusqlite::Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let seen: i64 = reader
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seen, 10);
        write(4_000);
        let big = live_frames(&wal);
        assert!(big > kept + 500, "{big}");
        assert!(std::fs::metadata(&wal).unwrap().len() > WAL_FILE_LIMIT as u64);
        // ... and a read-only close leaves them too.
        reader.execute_batch("COMMIT").unwrap();
        // (Closed while a store is open: the last connection to close, without the store's
        // settings, would copy the WAL in and delete the file.)
        let store = Store::open(&path).unwrap();
        drop(reader);
        drop(store);
        assert_eq!(count(), 4_010);
        assert_eq!(live_frames(&wal), big);
        // The next close that wrote copies them in and starts the WAL over, in a file cut
        // back to the limit: the next commits write over its first blocks.
        write(1);
        assert_eq!(live_frames(&wal), 1);
        assert_eq!(
            std::fs::metadata(&wal).unwrap().len(),
            WAL_FILE_LIMIT as u64
        );
        write(1);
        let after = live_frames(&wal);
        assert!(after > 1 && after < WAL_KEPT_FRAMES as usize, "{after}");
        assert_eq!(
            std::fs::metadata(&wal).unwrap().len(),
            WAL_FILE_LIMIT as u64
        );
        // Read without the WAL's last commit at all: all before it is in the state file.
        write(WAL_KEPT_FRAMES as usize * 8);
        assert_eq!(live_frames(&wal), 1);
        let _ = std::fs::remove_file(&wal);
        let _ = std::fs::remove_file(dir.path().join("state.db-shm"));
        assert_eq!(count(), 4_012 + WAL_KEPT_FRAMES as i64 * 8);
        assert!(
            Store::open(&path)
                .unwrap()
                .integrity_check()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_long_process_copies_the_wal_in_every_thousand_frames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let wal = dir.path().join("state.db-wal");
        let mut store = Store::open(&path).unwrap();
        let mut commit = |from: usize| insert_rows(&mut store, from, 10_000);
        commit(0);
        let one = live_frames(&wal);
        assert!(one > 1000, "{one}");
        // Copied in after the first commit: the second starts the WAL over.
        commit(10_000);
        let two = live_frames(&wal);
        assert!(two < one + 100, "{one} then {two}");
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
