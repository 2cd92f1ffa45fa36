//! Opening the state file: created with mode 0600 before SQLite touches it, then WAL,
//! `synchronous=FULL`, foreign keys and the busy timeout. The WAL outlives the process: a hook
//! counts its frames after each commit, and a store that wrote copies them in when it closes.

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, MAIN_DB, TransactionBehavior};

use super::StoreError;

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many frames (pages) the WAL may hold when a store that wrote closes before they are
/// copied into the state file: 64 × 4 KiB, six or so policy checks.
const WAL_KEPT_FRAMES: i32 = 64;

/// The size the WAL file is cut back to when it starts over after a big transaction.
const WAL_FILE_LIMIT: i64 = 1024 * 1024;

/// An open state file.
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// Frames in the WAL after this store's last commit (SQLite's WAL hook); 0 before one.
    wal_frames: Arc<AtomicI32>,
    /// Each tenant's newest audit event as this store last wrote them (`store::audit`).
    pub(super) tenant_heads: std::cell::RefCell<super::audit::TenantHeads>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// By default the last connection to close copies the WAL into the state file and deletes it
/// (two fsyncs and an unlink), and the next command creates it again (its header and the
/// directory fsynced): a large share of a short command. Instead the WAL stays, and the next
/// open reads it back, which costs far less. Once a store has written and the WAL holds
/// [`WAL_KEPT_FRAMES`] or more, its close copies them into the state file and starts the WAL
/// over at its beginning, in the same file: a commit then writes over blocks the file already
/// has, and its fsync is cheaper than that of a commit that grows the file (BENCHMARKS.md).
/// Commits are as durable either way: each one fsyncs the WAL.
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
        align_sidecar_modes(path);
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            wal_frames: Arc::new(AtomicI32::new(0)),
            tenant_heads: Default::default(),
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
        // Room for every statement one command prepares again and again (an audit append
        // alone uses about ten): past the capacity, rusqlite re-prepares, at tens of µs each.
        self.conn.set_prepared_statement_cache_capacity(64);
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

    pub(super) fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }
}

/// The WAL file of the state file at `path`.
fn wal_path(path: &Path) -> PathBuf {
    sidecar(path, "-wal")
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// SQLite gives the `-wal` and `-shm` files the state file's mode when it creates them, and
/// they outlive the process: a state made read-only (0400) for a while leaves a read-only
/// `-shm` behind, and once the state's mode is fixed every write still fails. They are given
/// the state file's mode again where it differs (best effort: only their owner can).
fn align_sidecar_modes(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(state) = std::fs::metadata(path) else {
        return;
    };
    let mode = state.permissions().mode() & 0o777;
    for side in [sidecar(path, "-wal"), sidecar(path, "-shm")] {
        if let Ok(meta) = std::fs::metadata(&side)
            && meta.permissions().mode() & 0o777 != mode
        {
            let _ = std::fs::set_permissions(&side, std::fs::Permissions::from_mode(mode));
        }
    }
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
}
