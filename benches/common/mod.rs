//! What every bench shares: the binary it measures.

use std::path::PathBuf;

/// The `maestro-cli` to measure: `MAESTRO_BENCH_BIN` when set (so that two builds, say a
/// release before and after a change, are measured by the same bench, side by side),
/// else the one cargo built for this bench.
pub fn binary() -> PathBuf {
    std::env::var_os("MAESTRO_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_maestro-cli")))
}
