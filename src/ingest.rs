//! What `cost:ingest` and `perf:ingest` share.

use serde::Serialize;

/// A row left out with `--skip-bad`.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub problem: String,
}
