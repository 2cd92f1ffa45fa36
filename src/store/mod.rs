//! The one SQLite file that holds all state. This module owns every SQL statement; other
//! modules call typed functions through [`Db`] (`db.tenants().insert(..)`).
//!
//! Opening creates the file with mode 0600 before SQLite touches it, turns on WAL,
//! `synchronous=FULL`, foreign keys and a busy timeout, and applies the append-only migrations
//! on `PRAGMA user_version`. Every write runs in a `BEGIN IMMEDIATE` transaction.
//!
//! `open` creates and configures the file (and keeps its WAL), `migrate` brings the schema up
//! to date, `db` is the handle every query runs on; each other file holds the queries of one
//! group of tables.

mod audit;
mod cost;
mod db;
mod decision_cache;
mod decisions;
mod flows;
mod metrics;
mod migrate;
mod open;
mod outbox;
mod perf;
mod principals;
pub mod rehearsal;
mod signals;
mod tenants;

pub use audit::{AuditFilter, AuditRows, ChainLink, StoredCheckpoint};
pub use cost::{Column, CostFilter, CostRows, DailyKey, DriverKey, FileCounts, Grain, Sums};
pub use db::Db;
pub use decision_cache::{DecisionCache, KEPT as DECISIONS_KEPT};
pub use decisions::{BatchDigest, DecisionRow, Decisions, RowTexts};
pub use flows::{AttemptRow, Deployment, FlowRows, RunFilter, RunRow, StepRow};
pub use metrics::{CostTotal, Counted, MetricRows};
pub use open::{BUSY_TIMEOUT, Store};
pub use outbox::{Attempt, DeadRow, Outbox, OutboxRow, QueueState};
pub use perf::{Baseline, Distribution, PerfKey, PerfRows};
pub use principals::{Principals, RoleBinding};
pub use signals::{
    AlertRow, CommitRow, LogSource, RepoRow, ReportRow, SignalFilter, SignalRows, SignalSummary,
};
pub use tenants::Tenants;

use std::path::PathBuf;

use crate::model::Diagnostic;

use db::tenants_json;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no state at `{}`", path.display())]
    Missing { path: PathBuf },
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
            StoreError::Missing { .. } => Some(
                "create it with `maestro-cli --actor you@example.com init`, or check `--state`, MAESTRO_STATE and MAESTRO_HOME; nothing was created"
                    .into(),
            ),
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
            StoreError::Sql { source, .. } | StoreError::Open { source, .. }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) =>
            {
                Some(
                    "the state file, its directory or its mount is read-only: make them writable (the directory too, for the -wal and -shm files); nothing was changed"
                        .into(),
                )
            }
            StoreError::Sql { source, .. }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) =>
            {
                Some("free space on the state file's disk, then retry; nothing was changed".into())
            }
            // SQLite reports a write into its WAL that found no space as an I/O error.
            StoreError::Sql { source, path }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure) =>
            {
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
                let dir = dir.unwrap_or(std::path::Path::new("."));
                Some(match free_bytes(dir) {
                    Some(free) if free < 1 << 20 => format!(
                        "the disk holding `{}` is full ({free} bytes free): free space, then retry; nothing was changed",
                        dir.display()
                    ),
                    _ => format!(
                        "the state could not be written: check the disk holding `{}` (`df -h`, the kernel log); nothing was changed",
                        dir.display()
                    ),
                })
            }
            _ => None,
        }
    }
}

/// The bytes an unprivileged user may still write on the filesystem holding `dir`.
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let stat = nix::sys::statvfs::statvfs(dir).ok()?;
    Some(stat.blocks_available() * stat.fragment_size())
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
