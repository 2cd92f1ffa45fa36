//! What every bench shares: the binary it measures.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `maestro-cli` to measure: `MAESTRO_BENCH_BIN` when set (so that two builds, say a
/// release before and after a change, are measured by the same bench, side by side),
/// else the one cargo built for this bench.
pub fn binary() -> PathBuf {
    std::env::var_os("MAESTRO_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_maestro-cli")))
}

/// Runs [`binary`] in `home` as the platform admin on a fixed clock, insisting on success:
/// how long it took. (Each bench compiles this module; not every one runs commands.)
#[allow(dead_code)]
pub fn cli(home: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(binary())
        .args(args)
        .env("MAESTRO_HOME", home)
        .env("MAESTRO_ACTOR", "ops@example.com")
        .env("MAESTRO_CLOCK", "2026-11-25T10:00:00Z")
        .env_remove("RUST_BACKTRACE")
        .current_dir(home)
        .stdout(Stdio::null())
        .status()
        .expect("the binary runs");
    assert!(status.success(), "{args:?}");
    start.elapsed()
}
