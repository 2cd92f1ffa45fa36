//! The performance model (PERF-1): request logs rolled up per day and tenant / service / env
//! with exact latency distributions (to the microsecond), baselines, and budgets checked in
//! a `warn` phase (report, exit 0) or a `gate` phase (exit 3). See
//! `docs/adr/0001-performance-and-cost-budgets.md`.

//!
//! - `requests.rs`: reading request logs (JSON lines or CSV) into per-day distributions;
//! - `ingest.rs`: `perf:ingest`, one streaming pass then one transaction;
//! - `check.rs`: `perf:baseline set` and `show`, and `perf:check`.

mod check;
mod ingest;
mod requests;

use crate::model::Diagnostic;

pub use check::{
    Breach, CheckOptions, CheckReport, KeptBaseline, Stats, baselines, check, set_baseline,
};
pub use ingest::{IngestReport, ingest};

/// A performance command found nothing to work on.
#[derive(Debug, thiserror::Error)]
pub enum PerfError {
    #[error("no request data{}", .0.as_ref().map(|w| format!(" between {w}")).unwrap_or_default())]
    NoData(Option<String>),
}

impl Diagnostic for PerfError {
    fn help(&self) -> Option<String> {
        Some("ingest request logs first: maestro-cli perf:ingest requests.jsonl".into())
    }
}
